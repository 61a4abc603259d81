/**
 * The shipped example workflows (workflows-examples/*.json), wired to the sandbox servers inside a
 * real n8n: credentials that point at the sandboxes, app URLs rewritten when the sandboxes run on
 * other ports than the defaults the examples carry. Shared by the real-n8n tests and the demo.
 *
 * The examples keep their audit trail in n8n Data Tables, which only a started n8n can write
 * (`n8n execute` does not start n8n's data-table module), so they run in an `N8nInstance`,
 * started through a Webhook trigger added next to their Manual Trigger (`startExamples`,
 * `runExample`), and their audit rows are read back through n8n's public API (`auditRows`).
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sandboxes } from '../../sandbox';
import { DEFAULT_PORTS } from '../../sandbox';
import type { Execution, N8nApi } from './n8nApi';
import type { N8nInstance } from './n8nInstance';
import type { CredentialImport } from './realN8n';

export const EXAMPLES_DIR = join(__dirname, '..', '..', 'workflows-examples');

export interface ExampleWorkflow {
	file: string;
	id: string;
	name: string;
	json: Record<string, unknown> & {
		id: string;
		name: string;
		nodes: Array<Record<string, unknown>>;
	};
}

export function loadExamples(): ExampleWorkflow[] {
	return readdirSync(EXAMPLES_DIR)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => {
			const json = JSON.parse(
				readFileSync(join(EXAMPLES_DIR, file), 'utf8'),
			) as ExampleWorkflow['json'];
			return { file, id: json.id, name: json.name, json };
		});
}

/** The credentials the examples reference (by id), filled in for the sandboxes. */
export function sandboxCredentials(sandboxes: Sandboxes) {
	const header = (token: string) => ({ name: 'Authorization', value: `Bearer ${token}` });
	return [
		{
			id: 'afasProfitApi',
			name: 'AFAS Profit',
			type: 'afasApi',
			data: { connectUsing: 'url', url: sandboxes.afas.url, token: sandboxes.afas.tokenXml },
		},
		{
			id: 'hiBobApi',
			name: 'HiBob',
			type: 'hiBobApi',
			data: {
				serviceUserId: sandboxes.hibob.serviceUserId,
				token: sandboxes.hibob.token,
				baseUrlOverride: sandboxes.hibob.url,
				webhookSecret: sandboxes.hibob.webhookSecret,
			},
		},
		{
			id: 'mobieTrainApi',
			name: 'MobieTrain API',
			type: 'httpHeaderAuth',
			data: header(sandboxes.mobietrain.token),
		},
		{
			id: 'declareeApi',
			name: 'Declaree API',
			type: 'httpHeaderAuth',
			data: header(sandboxes.declaree.token),
		},
		{
			id: 'oneteamApi',
			name: 'Oneteam API',
			type: 'httpHeaderAuth',
			data: header(sandboxes.oneteam.token),
		},
	];
}

/** Rewrites the default sandbox addresses in an example to where the sandboxes really run. */
export function pointAtSandboxes(
	example: ExampleWorkflow,
	sandboxes: Sandboxes,
): ExampleWorkflow['json'] {
	let text = JSON.stringify(example.json);
	const actual: Record<string, string> = {
		[`http://127.0.0.1:${DEFAULT_PORTS.mobietrain}/api/v1`]: sandboxes.mobietrain.url,
		[`http://127.0.0.1:${DEFAULT_PORTS.declaree}/api`]: sandboxes.declaree.url,
		[`http://127.0.0.1:${DEFAULT_PORTS.oneteam}/api`]: sandboxes.oneteam.url,
	};
	for (const [from, to] of Object.entries(actual)) text = text.split(from).join(to);
	return JSON.parse(text) as ExampleWorkflow['json'];
}

/** Where `importExamples` imports to: a RealN8n (`n8n execute`) or a started N8nInstance. */
export interface WorkflowImporter {
	importCredentials(credentials: CredentialImport[]): Promise<void>;
	importWorkflows(workflows: Array<Record<string, unknown>>): Promise<void>;
}

/**
 * Imports the sandbox credentials and every example (pointed at the sandboxes) with the n8n CLI,
 * ids kept. `transform` may change each example's JSON first (e.g. `withWebhookTrigger`).
 */
export async function importExamples(
	n8n: WorkflowImporter,
	sandboxes: Sandboxes,
	transform: (
		json: ExampleWorkflow['json'],
		example: ExampleWorkflow,
	) => ExampleWorkflow['json'] = (json) => json,
): Promise<ExampleWorkflow[]> {
	const examples = loadExamples();
	await n8n.importCredentials(sandboxCredentials(sandboxes));
	await n8n.importWorkflows(
		examples.map((example) => transform(pointAtSandboxes(example, sandboxes), example)),
	);
	return examples;
}

type WorkflowNode = ExampleWorkflow['json']['nodes'][number];
type Connections = Record<string, { main: unknown[][] }>;

/** The name of the Webhook node `withWebhookTrigger` adds. */
export const WEBHOOK_TRIGGER_NAME = 'Start by webhook';

/**
 * A copy of an example workflow that a test can start in a started n8n: a Webhook trigger node
 * (POST `/webhook/<path>`) wired to the same first node(s) as the example's Manual Trigger, so the
 * example itself runs unchanged behind it. `responseMode` 'lastNode' (default) answers when the
 * run has ended, with the last node's first item (500 when the run failed); 'onReceived' answers
 * at once. Schedule Triggers are disabled unless `keepSchedule` is set, so a published copy never
 * starts a run the test did not ask for. The examples do not keep the data of successful runs
 * (their audit tables keep the record); the copy keeps it (`saveDataSuccessExecution: 'all'`), so
 * that tests and the demo can read what each node did, unless `shippedSettings` is set. Throws when
 * the workflow has no Manual Trigger.
 */
export function withWebhookTrigger(
	workflow: ExampleWorkflow['json'],
	options: {
		path: string;
		responseMode?: 'lastNode' | 'onReceived';
		keepSchedule?: boolean;
		shippedSettings?: boolean;
	},
): ExampleWorkflow['json'] {
	const copy = structuredClone(workflow) as ExampleWorkflow['json'] & {
		connections: Connections;
		settings?: Record<string, unknown>;
	};
	if (!options.shippedSettings)
		copy.settings = { ...copy.settings, saveDataSuccessExecution: 'all' };
	const manual = copy.nodes.find((node) => node.type === 'n8n-nodes-base.manualTrigger');
	if (!manual) throw new Error(`workflow ${workflow.id} has no Manual Trigger to stand in for`);
	const [x, y] = (manual.position as [number, number] | undefined) ?? [0, 0];
	const webhook: WorkflowNode = {
		id: randomUUID(),
		name: WEBHOOK_TRIGGER_NAME,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2.1,
		position: [x, y + 200],
		webhookId: randomUUID(),
		parameters: {
			httpMethod: 'POST',
			path: options.path,
			responseMode: options.responseMode ?? 'lastNode',
			options: {},
		},
	};
	copy.nodes.push(webhook);
	copy.connections[WEBHOOK_TRIGGER_NAME] = structuredClone(
		copy.connections[manual.name as string] ?? { main: [[]] },
	);
	if (!options.keepSchedule)
		for (const node of copy.nodes)
			if (node.type === 'n8n-nodes-base.scheduleTrigger') node.disabled = true;
	return copy;
}

/** The calendar day before an ISO date ('2026-11-24' → '2026-11-23'): a leaver's last day "yesterday". */
export function dayBefore(isoDate: string): string {
	return new Date(Date.parse(`${isoDate}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** The summary item of a Reconcile Users node (its Plan output) in an execution. */
export function reconcileSummary(
	execution: Execution,
	nodeName = 'Reconcile Users',
): Record<string, unknown> | undefined {
	const runs = execution.data?.resultData.runData[nodeName];
	const planOutput = runs?.[0]?.data?.main?.[6] ?? [];
	return planOutput.map((item) => item.json).find((json) => json.action === 'summary');
}

/** The production webhook path `startExamples` gives an example. */
export const examplePath = (example: Pick<ExampleWorkflow, 'id'>): string =>
	`hr-sync-example/${example.id}`;

/**
 * Imports the sandbox credentials and every example with a Webhook trigger (`withWebhookTrigger`,
 * answering at once, schedules off), plus `extra` workflows (for example variants made with
 * `exampleVariant`), then starts n8n (owner and API key) and publishes them all. Returns the
 * examples. (The examples end in nodes that may output nothing, such as the audit's deletion of
 * expired rows, so "answer with the last node's item" would answer 500: `runExample` waits for
 * the execution through the API instead.)
 */
export async function startExamples(
	n8n: N8nInstance,
	sandboxes: Sandboxes,
	extra: Array<ExampleWorkflow['json']> = [],
): Promise<ExampleWorkflow[]> {
	const examples = await importExamples(n8n, sandboxes, (json, example) =>
		withWebhookTrigger(json, { path: examplePath(example), responseMode: 'onReceived' }),
	);
	if (extra.length > 0) await n8n.importWorkflows(extra);
	await n8n.start();
	for (const workflow of [...examples.map((example) => example.json), ...extra])
		await n8n.publish(workflow.id, [examplePath(workflow)]);
	return examples;
}

/**
 * A copy of an example (pointed at the sandboxes, with a Webhook trigger) under another id and
 * name, with `change` applied to its nodes: e.g. Reconcile Users' Dry Run switched on.
 */
export function exampleVariant(
	example: ExampleWorkflow,
	sandboxes: Sandboxes,
	variant: { id: string; name: string },
	change: (node: WorkflowNode) => void,
): ExampleWorkflow['json'] {
	const json = withWebhookTrigger(pointAtSandboxes(example, sandboxes), {
		path: examplePath(variant),
		responseMode: 'onReceived',
	});
	for (const node of json.nodes) {
		node.id = randomUUID();
		if (node.type === 'n8n-nodes-base.webhook') node.webhookId = randomUUID();
		change(node);
	}
	return { ...json, id: variant.id, name: variant.name };
}

/**
 * Runs a published example once through its webhook and returns its finished execution (with its
 * run data). Throws when the webhook call is refused; a failed run is returned, not thrown.
 */
export async function runExample(
	n8n: N8nInstance,
	workflow: { id: string },
	timeoutMs = 300_000,
): Promise<Execution> {
	const afterId = await n8n.api.lastExecutionId(workflow.id);
	const response = await n8n.callWebhook(examplePath(workflow), {});
	if (response.status !== 200)
		throw new Error(`the webhook of ${workflow.id} answered ${response.status}: ${response.text}`);
	const [execution] = await n8n.api.waitForExecutions(workflow.id, { afterId, timeoutMs });
	return execution;
}

/** The names of the Data Tables the examples keep their audit trail in. */
export const AUDIT_TABLE = 'hr_sync_audit';
export const RUNS_TABLE = 'hr_sync_runs';

/**
 * The rows of a Data Table found by its exact name (n8n's own lookup by name matches parts of
 * names), optionally only those of one execution; [] when the table does not exist yet. Rows
 * come in insertion order.
 */
export async function tableRows(
	api: N8nApi,
	tableName: string,
	executionId?: string,
): Promise<Array<Record<string, unknown>>> {
	const table = (await api.dataTables()).find((t) => t.name === tableName);
	if (!table) return [];
	const filter = executionId
		? {
				type: 'and',
				filters: [{ columnName: 'execution_id', condition: 'eq', value: executionId }],
			}
		: undefined;
	const rows = await api.dataTableRows(table.id, filter);
	return rows.sort((a, b) => Number(a.id) - Number(b.id));
}

/** The audit rows and the run row of one execution. */
export async function auditOf(
	api: N8nApi,
	executionId: string,
): Promise<{ rows: Array<Record<string, unknown>>; run: Record<string, unknown> | undefined }> {
	const [rows, runs] = await Promise.all([
		tableRows(api, AUDIT_TABLE, executionId),
		tableRows(api, RUNS_TABLE, executionId),
	]);
	return { rows, run: runs[0] };
}
