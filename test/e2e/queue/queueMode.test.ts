/**
 * n8n in queue mode (scripts/lib/n8nInstance.ts): PostgreSQL 17, Redis, a main process, two
 * workers and a webhook process, this package installed in every process's ~/.n8n/nodes.
 *
 * The scheduled example workflows, started through a Webhook trigger added next to their Manual
 * Trigger and executed by the workers (all five at once), leave the sandbox apps in the same
 * state, and the same audit rows in n8n's Data Tables (PostgreSQL), as the same examples run one
 * after the other in a regular-mode n8n (SQLite).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandboxes, type Sandboxes } from '../../../sandbox';
import type { AppSandbox, Row } from '../../../sandbox/apps/server';
import {
	auditOf,
	importExamples,
	runExample,
	startExamples,
	withWebhookTrigger,
	type ExampleWorkflow,
} from '../../../scripts/lib/examples';
import type { Execution, N8nApi } from '../../../scripts/lib/n8nApi';
import { N8nInstance } from '../../../scripts/lib/n8nInstance';
import { packPackage } from '../../../scripts/lib/realN8n';

jest.setTimeout(900_000);

const APPS = ['mobietrain', 'declaree', 'oneteam'] as const;
const COLLECTIONS = ['users', 'groups', 'stores', 'communities', 'functions'];
const pathOf = (example: ExampleWorkflow) => `hr-sync-example/${example.id}`;

let tarball: string;
let queueSandboxes: Sandboxes;
let regularSandboxes: Sandboxes;
let cluster: N8nInstance;
let regular: N8nInstance;
let examples: ExampleWorkflow[];
/** The regular-mode reference executions by workflow id. */
const reference = new Map<string, Execution>();

/** The queue-mode cluster with the examples (plus a Webhook trigger each) imported and started. */
async function startCluster(): Promise<void> {
	cluster = await N8nInstance.create({ mode: 'queue', workers: 2, tarball });
	examples = await importExamples(cluster, queueSandboxes, (json, example) =>
		withWebhookTrigger(json, { path: pathOf(example), responseMode: 'onReceived' }),
	);
	await cluster.start();
}

/** The reference: the same examples run one after the other in a regular-mode n8n. */
async function runRegularReference(): Promise<void> {
	regular = await N8nInstance.create({ mode: 'regular', tarball });
	for (const example of await startExamples(regular, regularSandboxes)) {
		const execution = await runExample(regular, example);
		if (execution.status !== 'success')
			throw new Error(
				`${example.id} failed in regular mode: ${JSON.stringify(execution.data?.resultData.error ?? null)}`,
			);
		reference.set(example.id, execution);
	}
}

beforeAll(async () => {
	tarball = await packPackage(mkdtempSync(join(tmpdir(), 'hr-sync-pack-')));
	// One clock for both sets of sandboxes, so their data is the same to the millisecond.
	const now = new Date().toISOString();
	[queueSandboxes, regularSandboxes] = await Promise.all([
		startSandboxes({ fixedPorts: false, now }),
		startSandboxes({ fixedPorts: false, now }),
	]);
	await Promise.all([startCluster(), runRegularReference()]);
});

afterAll(async () => {
	await cluster?.stop();
	await regular?.stop();
	await queueSandboxes?.close();
	await regularSandboxes?.close();
});

/**
 * An app's data without what differs between two equal runs: row ids (references to other rows
 * become `<collection>:<externalId>`) and timestamps (fields ending in `At`); rows sorted.
 */
function appState(app: AppSandbox): Record<string, Array<Record<string, unknown>>> {
	const refs = new Map<string, string>();
	for (const name of COLLECTIONS)
		for (const row of app.collection(name)) refs.set(row.id, `${name}:${String(row.externalId)}`);
	const normalise = (row: Row) =>
		Object.fromEntries(
			Object.entries(row)
				.filter(([key]) => key !== 'id' && !key.endsWith('At'))
				.map(([key, value]) => [
					key,
					typeof value === 'string' ? (refs.get(value) ?? value) : value,
				]),
		);
	const state: Record<string, Array<Record<string, unknown>>> = {};
	for (const name of COLLECTIONS) {
		const rows = app.collection(name).map(normalise);
		if (rows.length > 0)
			state[name] = rows.sort((a, b) => String(a.externalId).localeCompare(String(b.externalId)));
	}
	return state;
}

/** An execution's audit rows without what differs between two equal runs (times, ids), sorted. */
async function auditState(api: N8nApi, execution: Execution): Promise<string[]> {
	const { rows, run } = await auditOf(api, execution.id);
	const lines = rows.map((row) =>
		[row.step, row.action, row.external_id ?? row.record_key, row.outcome, row.http_status].join(
			' | ',
		),
	);
	return [...lines.sort(), `run: ${String(run?.outcome)} ${String(run?.counts)}`];
}

it('runs the scheduled examples on the workers, started by webhook, to the same app state as regular mode', async () => {
	for (const example of examples) await cluster.publish(example.id, [pathOf(example)]);
	const responses = await Promise.all(
		examples.map((example) => cluster.callWebhook(pathOf(example), {})),
	);
	const executions = await Promise.all(
		examples.map(
			async (example) =>
				(await cluster.api.waitForExecutions(example.id, { timeoutMs: 300_000 }))[0],
		),
	);

	for (const [index, execution] of executions.entries()) {
		expect({ id: examples[index].id, error: execution.data?.resultData.error }).toEqual({
			id: examples[index].id,
			error: undefined,
		});
		expect(execution).toMatchObject({ status: 'success', mode: 'webhook' });
		expect(responses[index].status).toBe(200);
		// Run by a worker: it logged taking the job and finishing it; main only enqueued it.
		const worker = cluster.processThatRan(execution.id);
		expect(worker).toMatch(/^worker-\d$/);
		expect(cluster.process(worker!).service.logText()).toContain(
			`Worker finished execution ${execution.id} (`,
		);
	}
	for (const name of APPS) {
		const state = appState(queueSandboxes[name]);
		expect(state.users?.length ?? 0).toBeGreaterThan(10);
		expect(state).toEqual(appState(regularSandboxes[name]));
	}
	// The audit rows the workers wrote (PostgreSQL) are the ones regular mode wrote (SQLite).
	for (const [index, example] of examples.entries()) {
		const rows = await auditState(cluster.api, executions[index]);
		expect(rows.length).toBeGreaterThan(10);
		expect(rows).toEqual(await auditState(regular.api, reference.get(example.id)!));
	}
});
