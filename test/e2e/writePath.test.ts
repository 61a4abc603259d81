/**
 * The write path of the shipped examples in a real, started n8n (regular mode, SQLite), with the
 * AFAS → MobieTrain-style example against the sandbox servers:
 *
 * - writes the app refused as busy (503, 429) are sent once more after a wait and done; a write
 *   still refused the second time, or refused otherwise (500), is recorded as failed and the other
 *   writes go on; no write the app made is sent twice (the app's own request log);
 * - a group whose creation was retried exists before the invitations that need it;
 * - with the settings as shipped, a successful run keeps no execution in n8n, and its audit rows
 *   and run report are written;
 * - another Data table whose name matches hr_sync_audit the way n8n looks a table up by name
 *   (part of the name, any case, any character for "_") stops the run before anything is read or
 *   written, naming that table and saying why it matches (the audit rows are inserted by name).
 */
import { randomUUID } from 'node:crypto';
import { startSandboxes, type Sandboxes } from '../../sandbox';
import type { AuditEntry } from '../../sandbox/apps/server';
import {
	auditOf,
	examplePath,
	loadExamples,
	pointAtSandboxes,
	reconcileSummary,
	RUNS_TABLE,
	runExample,
	runExampleOk,
	startExamples,
	tableRows,
	withWebhookTrigger,
	type ExampleWorkflow,
} from '../../scripts/lib/examples';
import { N8nInstance } from '../../scripts/lib/n8nInstance';
import { waitFor } from '../../scripts/lib/processes';

jest.setTimeout(900_000);

const EXAMPLE = 'hrSyncAfasMobi01';
const SHIPPED = { id: 'hrSyncMobiShip01', name: 'AFAS → MobieTrain-style app (as shipped)' };

let sandboxes: Sandboxes;
let n8n: N8nInstance;

/** The example as it ships (no execution data kept for successful runs), under another id. */
function shippedCopy(): ExampleWorkflow['json'] {
	const example = loadExamples().find((e) => e.id === EXAMPLE)!;
	const json = withWebhookTrigger(pointAtSandboxes(example, sandboxes), {
		path: examplePath(SHIPPED),
		responseMode: 'onReceived',
		shippedSettings: true,
	});
	for (const node of json.nodes) {
		node.id = randomUUID();
		if (node.webhookId) node.webhookId = randomUUID();
	}
	return { ...json, id: SHIPPED.id, name: SHIPPED.name };
}

beforeAll(async () => {
	sandboxes = await startSandboxes({ fixedPorts: false });
	n8n = await N8nInstance.create({ mode: 'regular' });
	await startExamples(n8n, sandboxes, [shippedCopy()]);
});

afterAll(async () => {
	await n8n?.stop();
	await sandboxes?.close();
});

/** The key a request names: the externalId it sent (refused) or wrote (made). */
function keyOf(entry: AuditEntry): string | undefined {
	const body = (entry.status < 300 ? entry.body : entry.sent) as { externalId?: unknown };
	return typeof body?.externalId === 'string' ? body.externalId : undefined;
}

/** The statuses the app answered, per externalId, for POSTs to `path` (in order). */
function attempts(path: string): Map<string, number[]> {
	const byKey = new Map<string, number[]>();
	for (const entry of sandboxes.mobietrain.audit()) {
		if (entry.method !== 'POST' || !entry.path.endsWith(path)) continue;
		const key = keyOf(entry);
		if (key === undefined) continue;
		byKey.set(key, [...(byKey.get(key) ?? []), entry.status]);
	}
	return byKey;
}

describe('the write path of the examples in a started n8n', () => {
	it('sends writes refused as busy once more and makes them, records the others as failed, and never sends a made write twice', async () => {
		const app = sandboxes.mobietrain;
		const rows = sandboxes.afas.getRows('Mobietrain_Employees');
		const today = sandboxes.afas.today;
		const inService = rows.filter(
			(row) =>
				row.email &&
				String(row.employmentStartDate).slice(0, 10) <= today &&
				row.employementEndDate === null,
		);
		const [busyOnce, limitedOnce, busyTwice, crashing] = inService
			.slice(10, 14)
			.map((row) => String(row.externalId));
		const group = String(inService[20].functionId);
		app.addWriteFault({ person: busyOnce, status: 503, times: 1 });
		app.addWriteFault({ person: limitedOnce, status: 429, times: 1 });
		app.addWriteFault({ person: busyTwice, status: 503, times: 2 });
		app.addWriteFault({ person: crashing, status: 500 });
		app.addWriteFault({ person: group, status: 503, times: 1 });

		const first = await runExampleOk(n8n, EXAMPLE);
		const counts = (reconcileSummary(first) as { counts: Record<string, number> }).counts;
		const invitations = attempts('/invitations');
		expect(invitations.get(busyOnce)).toEqual([503, 201]);
		expect(invitations.get(limitedOnce)).toEqual([429, 201]);
		expect(invitations.get(busyTwice)).toEqual([503, 503]);
		expect(invitations.get(crashing)).toEqual([500]);
		expect(attempts('/groups').get(group)).toEqual([503, 201]);
		// Everyone else: one request each, made. Nobody's invitation was made twice.
		for (const [key, statuses] of invitations) {
			if ([busyOnce, limitedOnce, busyTwice, crashing].includes(key)) continue;
			expect({ key, statuses }).toEqual({ key, statuses: [201] });
		}
		expect(invitations.size).toBe(counts.create);
		const users = app.collection('users');
		expect(users).toHaveLength(counts.create - 2);
		// The group's creation was retried before the invitations that need it.
		const inGroup = users.filter((user) => (user.groups as string[]).includes(group));
		expect(inGroup.length).toBeGreaterThan(0);

		const { rows: auditRows, run } = await auditOf(n8n.api, first.id);
		const row = (key: string) =>
			auditRows.find((r) => r.external_id === key && r.action === 'create')!;
		const appId = (key: string) => users.find((user) => user.externalId === key)?.id;
		expect(row(busyOnce)).toMatchObject({ outcome: 'done', app_id: appId(busyOnce) });
		expect(row(limitedOnce)).toMatchObject({ outcome: 'done', app_id: appId(limitedOnce) });
		expect(row(busyTwice)).toMatchObject({
			outcome: 'failed',
			http_status: 503,
			message: 'Service unavailable: try again in a moment',
		});
		expect(row(crashing)).toMatchObject({ outcome: 'failed', http_status: 500 });
		expect(
			auditRows.find((r) => r.action === 'createFirst' && r.record_key === `group ${group}`),
		).toMatchObject({ outcome: 'done' });
		expect(run).toMatchObject({ failed: 2, done: Number(run!.planned) - 2 });

		// The next run makes exactly the two failed invitations.
		app.clearWriteFaults();
		app.resetAudit();
		await runExampleOk(n8n, EXAMPLE);
		expect([...attempts('/invitations').entries()].sort()).toEqual(
			[
				[busyTwice, [201]],
				[crashing, [201]],
			].sort(),
		);
	});

	it('as shipped, a successful run keeps no execution and writes its audit rows and run report', async () => {
		const before = await tableRows(n8n.api, RUNS_TABLE);
		const response = await n8n.callWebhook(examplePath(SHIPPED), {});
		expect(response.status).toBe(200);
		const report = await waitFor(
			'the run report of the shipped copy',
			async () =>
				(await tableRows(n8n.api, RUNS_TABLE)).find(
					(row) => row.workflow === SHIPPED.name && !before.some((old) => old.id === row.id),
				),
			{ timeoutMs: 300_000, intervalMs: 1000 },
		);
		expect(report).toMatchObject({ failed: 0, done: report.planned });
		// Once the run has ended n8n deletes it: nothing stays but the audit.
		await waitFor(
			'n8n to keep no execution of the shipped copy',
			async () =>
				(await n8n.api.executions({ workflowId: SHIPPED.id })).length === 0 ? true : undefined,
			{ timeoutMs: 60_000, intervalMs: 1000 },
		);
	});

	it('stops before reading or writing when another Data table’s name matches hr_sync_audit the way n8n looks tables up', async () => {
		// n8n's lookup by name is a case-insensitive LIKE in which "_" matches any character: this
		// name does not contain hr_sync_audit, yet an insert by the name could pick it.
		const table = await n8n.api.request<{ id: string }>('POST', '/data-tables', {
			name: 'Old HR-Sync-Audit 2025',
			columns: [{ name: 'note', type: 'string' }],
		});
		sandboxes.mobietrain.resetAudit();
		const afasCalls = sandboxes.afas.stats().requests;
		try {
			const execution = await runExample(n8n, { id: EXAMPLE });
			expect(execution.status).toBe('error');
			const message = execution.data?.resultData.error?.message;
			expect(message).toContain('name matches "hr_sync_audit": "Old HR-Sync-Audit 2025"');
			expect(message).toContain('ignoring case, with any character in place of "_"');
			expect(Object.keys(execution.data!.resultData.runData)).not.toContain('Get AFAS employees');
			expect(sandboxes.mobietrain.audit()).toEqual([]);
			expect(sandboxes.afas.stats().requests).toBe(afasCalls);
		} finally {
			await n8n.api.request('DELETE', `/data-tables/${table.id}`);
		}
	});
});
