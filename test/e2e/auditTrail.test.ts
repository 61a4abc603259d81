/**
 * The audit trail as a builder wires it and an admin keeps it, in a real, started n8n (regular
 * mode, SQLite), against the sandbox servers:
 *
 * - a builder's own variant of the AFAS → MobieTrain example, with a Set node (Edit Fields, other
 *   fields not kept) between Reconcile Users and Invite user and another between Invite user and
 *   Sync Audit: the failed invitations are still recorded as failed, the others as done;
 * - an app whose error bodies repeat its API token (quoted, or as an x-api-key header): the rows
 *   hold the message with the token masked, and no row holds the token;
 * - retention: the example's own last node deletes audit rows older than 400 days and keeps
 *   younger ones.
 */
import { randomUUID } from 'node:crypto';

import { startSandboxes, type Sandboxes } from '../../sandbox';
import {
	AUDIT_TABLE,
	auditOf,
	exampleVariant,
	loadExamples,
	runExampleOk,
	RUNS_TABLE,
	startExamples,
	tableRows,
} from '../../scripts/lib/examples';
import { N8nInstance } from '../../scripts/lib/n8nInstance';

jest.setTimeout(900_000);

const EXAMPLE = 'hrSyncAfasMobi01';
const WITH_SETS = { id: 'hrSyncAuditSet01', name: 'AFAS → MobieTrain with Set nodes' };
const DAY_MS = 86_400_000;

let sandboxes: Sandboxes;
let n8n: N8nInstance;

/** n8n's Edit Fields (Set) node, adding `checked: yes`, other input fields kept or not. */
function setNode(name: string, position: [number, number], keepOtherFields: boolean) {
	return {
		id: randomUUID(),
		name,
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position,
		parameters: {
			assignments: {
				assignments: [{ id: randomUUID(), name: 'checked', value: 'yes', type: 'string' }],
			},
			includeOtherFields: keepOtherFields,
			options: {},
		},
	};
}

/** The example with Reconcile Users → Prepare invite → Invite user → (both outputs) Tidy result → Sync Audit. */
function withSetNodes(): ReturnType<typeof exampleVariant> {
	const example = loadExamples().find((e) => e.id === EXAMPLE)!;
	const json = exampleVariant(example, sandboxes, WITH_SETS, () => {});
	json.nodes.push(
		setNode('Prepare invite', [700, -80], true),
		setNode('Tidy result', [1000, -80], false),
	);
	const to = (node: string, index = 0) => [{ node, type: 'main', index }];
	const connections = json.connections as Record<string, { main: unknown[][] }>;
	connections['Reconcile Users'].main[0] = to('Prepare invite');
	connections['Prepare invite'] = { main: [to('Invite user')] };
	connections['Invite user'] = { main: [to('Tidy result'), to('Tidy result')] };
	connections['Tidy result'] = { main: [to('Sync Audit', 1)] };
	return json;
}

beforeAll(async () => {
	sandboxes = await startSandboxes({ fixedPorts: false });
	n8n = await N8nInstance.create({ mode: 'regular' });
	await startExamples(n8n, sandboxes, [withSetNodes()]);
});

afterAll(async () => {
	await n8n?.stop();
	await sandboxes?.close();
});

it('records failed invitations as failed through Set nodes, and never stores the token the app repeats in its errors', async () => {
	const app = sandboxes.mobietrain;
	const [quoted, header] = sandboxes.afas
		.getRows('Mobietrain_Employees')
		.filter((row) => row.email && row.employementEndDate === null)
		.slice(5, 7);
	app.addWriteFault({
		person: String(quoted.email),
		status: 500,
		message: `API token "${app.token}" is not valid for this tenant`,
	});
	app.addWriteFault({
		person: String(header.email),
		status: 422,
		message: `Request header x-api-key: ${app.token} refused`,
	});
	const execution = await runExampleOk(n8n, WITH_SETS.id);
	app.clearWriteFaults();

	const { rows, run } = await auditOf(n8n.api, execution.id);
	const creates = rows.filter((row) => row.action === 'create');
	const failed = creates.filter((row) => row.outcome === 'failed');
	expect(failed.map((row) => [row.external_id, row.http_status, row.message])).toEqual([
		[String(quoted.externalId), 500, 'API token [hidden] is not valid for this tenant'],
		[String(header.externalId), 422, 'Request header x-api-key: [hidden] refused'],
	]);
	expect(creates.length).toBeGreaterThan(100);
	expect(creates.filter((row) => row.outcome === 'done')).toHaveLength(creates.length - 2);
	expect(run).toMatchObject({ outcome: 'failed', failed: 2 });
	const everything = JSON.stringify([
		await tableRows(n8n.api, AUDIT_TABLE),
		await tableRows(n8n.api, RUNS_TABLE),
	]);
	expect(everything).not.toContain(app.token);
});

it('deletes audit rows older than 400 days at the end of a run and keeps younger ones', async () => {
	const table = (await n8n.api.dataTables()).find((t) => t.name === AUDIT_TABLE)!;
	const row = (workflow: string, daysAgo: number) => ({
		time: new Date(Date.now() - daysAgo * DAY_MS).toISOString(),
		workflow,
		execution_id: workflow,
		outcome: 'done',
	});
	await n8n.api.request('POST', `/data-tables/${table.id}/rows`, {
		data: [row('older than 400 days', 401), row('younger than 400 days', 399)],
	});
	const execution = await runExampleOk(n8n, EXAMPLE);
	// The run made the two invitations that failed before, and recorded them.
	const { rows } = await auditOf(n8n.api, execution.id);
	expect(rows.filter((r) => r.action === 'create').map((r) => r.outcome)).toEqual(['done', 'done']);
	const kept = (await tableRows(n8n.api, AUDIT_TABLE)).map((r) => r.workflow);
	expect(kept).toContain('younger than 400 days');
	expect(kept).not.toContain('older than 400 days');
});
