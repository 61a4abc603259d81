/**
 * The shipped example workflows (workflows-examples/*.json), wired to the sandbox servers inside a
 * real n8n: credentials that point at the sandboxes, app URLs rewritten when the sandboxes run on
 * other ports than the defaults the examples carry. Shared by the real-n8n tests and the demo.
 *
 * The examples keep their audit trail in n8n Data Tables, which only a started n8n can write
 * (`n8n execute` does not start n8n's data-table module), so they run in an `N8nInstance`,
 * started through a Webhook trigger added next to their Manual Trigger (`startExamples`,
 * `runExample`), and their audit rows are read back through n8n's public API (`auditOf`).
 *
 * The event-driven examples (a HiBob Trigger or an AFAS Trigger, `eventExamples`) run as shipped:
 * imported unpublished, then published when their turn comes (`publishEventExample`, which also
 * registers a HiBob Trigger's URL with the HiBob sandbox). Events are made in the sandboxes
 * (`stepHiBobClock`, `editAfasRows`, `newAfasRow`), awaited in the app (`waitForApp`) and in n8n
 * (`settleEvents`, `waitForPoll`).
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Sandboxes } from '../../sandbox';
import { DEFAULT_PORTS } from '../../sandbox';
import type { AfasSandbox } from '../../sandbox/afas/server';
import type { HiBobSandbox } from '../../sandbox/hibob/server';
import type { Execution, N8nApi } from './n8nApi';
import type { N8nInstance } from './n8nInstance';
import { waitFor } from './processes';
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

/** Every example workflow, scheduled and event-driven, by file name. */
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

/** The trigger nodes of the event-driven examples (started by HiBob's webhooks or by polling). */
export const EVENT_TRIGGER_TYPES = new Set([
	'n8n-nodes-hr-sync.hiBobTrigger',
	'n8n-nodes-hr-sync.afasTrigger',
]);

/** Whether an example is event-driven: started by a HiBob or AFAS trigger, not by a schedule. */
export function isEventExample(example: ExampleWorkflow): boolean {
	return example.json.nodes.some((node) => EVENT_TRIGGER_TYPES.has(String(node.type)));
}

/** The scheduled examples (Schedule Trigger and a *Run now* Manual Trigger). */
export function scheduledExamples(): ExampleWorkflow[] {
	return loadExamples().filter((example) => !isEventExample(example));
}

/** The event-driven examples (a HiBob Trigger or an AFAS Trigger). */
export function eventExamples(): ExampleWorkflow[] {
	return loadExamples().filter(isEventExample);
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
		{
			id: 'scimApi',
			name: 'SCIM 2.0 API',
			type: 'scimApi',
			data: { baseUrl: sandboxes.scim.url, authentication: 'bearer', token: sandboxes.scim.token },
		},
		{
			id: 'scimApiHiBob',
			name: 'SCIM 2.0 API (HiBob example)',
			type: 'scimApi',
			data: {
				baseUrl: sandboxes.scimHiBob.url,
				authentication: 'bearer',
				token: sandboxes.scimHiBob.token,
			},
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
		[`http://127.0.0.1:${DEFAULT_PORTS.scim}/scim/v2`]: sandboxes.scim.url,
		[`http://127.0.0.1:${DEFAULT_PORTS.scimHiBob}/scim/v2`]: sandboxes.scimHiBob.url,
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
 * Imports the sandbox credentials and every scheduled example (pointed at the sandboxes) with the
 * n8n CLI, ids kept. `transform` may change each example's JSON first (e.g. `withWebhookTrigger`).
 * The event-driven examples are left out: see `importEventExamples`.
 */
export async function importExamples(
	n8n: WorkflowImporter,
	sandboxes: Sandboxes,
	transform: (
		json: ExampleWorkflow['json'],
		example: ExampleWorkflow,
	) => ExampleWorkflow['json'] = (json) => json,
): Promise<ExampleWorkflow[]> {
	const examples = scheduledExamples();
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
 * Imports the event-driven examples (pointed at the sandboxes, otherwise as shipped), unpublished,
 * and returns them. Their credentials come with `importExamples`, or pass `withCredentials`.
 */
export async function importEventExamples(
	n8n: WorkflowImporter,
	sandboxes: Sandboxes,
	options: { withCredentials?: boolean } = {},
): Promise<ExampleWorkflow[]> {
	const examples = eventExamples();
	if (options.withCredentials) await n8n.importCredentials(sandboxCredentials(sandboxes));
	await n8n.importWorkflows(examples.map((example) => pointAtSandboxes(example, sandboxes)));
	return examples;
}

/**
 * Imports the sandbox credentials and every scheduled example with a Webhook trigger
 * (`withWebhookTrigger`, answering at once, schedules off), plus `extra` workflows (for example
 * variants made with `exampleVariant`), then starts n8n (owner and API key) and publishes them
 * all. Returns the scheduled examples. With `events`, the event-driven examples are imported too,
 * and so are the workflows in `unpublished` (e.g. made with `eventExampleVariant`), all
 * unpublished (publish them with `publishEventExample` when their turn comes: a published AFAS
 * Trigger polls, a published HiBob Trigger receives whatever the HiBob sandbox sends). (The
 * examples end in nodes that may output nothing, such as the audit's deletion of expired rows, so
 * "answer with the last node's item" would answer 500: `runExample` waits for the execution
 * through the API instead.)
 */
export async function startExamples(
	n8n: N8nInstance,
	sandboxes: Sandboxes,
	extra: Array<ExampleWorkflow['json']> = [],
	options: { events?: boolean; unpublished?: Array<ExampleWorkflow['json']> } = {},
): Promise<ExampleWorkflow[]> {
	const examples = await importExamples(n8n, sandboxes, (json, example) =>
		withWebhookTrigger(json, { path: examplePath(example), responseMode: 'onReceived' }),
	);
	if (options.events) await importEventExamples(n8n, sandboxes);
	if (options.unpublished?.length) await n8n.importWorkflows(options.unpublished);
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
 * A copy of an event-driven example (pointed at the sandboxes, otherwise as shipped) under another
 * id and name, with new node ids (and webhook ids) and `change` applied to its nodes: e.g. the
 * AFAS Trigger polling every minute instead of every 15 minutes.
 */
export function eventExampleVariant(
	example: ExampleWorkflow,
	sandboxes: Sandboxes,
	variant: { id: string; name: string },
	change: (node: WorkflowNode) => void,
): ExampleWorkflow['json'] {
	const json = pointAtSandboxes(example, sandboxes);
	for (const node of json.nodes) {
		node.id = randomUUID();
		if (node.webhookId) node.webhookId = randomUUID();
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

/**
 * Runs a published example once (see `runExample`) and returns its execution.
 * @throws Error with the execution's status and n8n's error unless the run succeeded.
 */
export async function runExampleOk(n8n: N8nInstance, workflowId: string): Promise<Execution> {
	const execution = await runExample(n8n, { id: workflowId });
	if (execution.status !== 'success')
		throw new Error(
			`${workflowId} ended ${execution.status}: ${JSON.stringify(execution.data?.resultData.error ?? null)}`,
		);
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

/** The HiBob Trigger node of an event-driven example, or undefined. */
function hiBobTriggerOf(example: Pick<ExampleWorkflow, 'json'>): WorkflowNode | undefined {
	return example.json.nodes.find((node) => node.type === 'n8n-nodes-hr-sync.hiBobTrigger');
}

/**
 * The production webhook path of an example's HiBob Trigger (`<webhookId>/webhook`, below
 * `/webhook/`). Throws when the example has no HiBob Trigger.
 */
export function hiBobWebhookPath(example: Pick<ExampleWorkflow, 'id' | 'json'>): string {
	const trigger = hiBobTriggerOf(example);
	if (!trigger?.webhookId) throw new Error(`example ${example.id} has no HiBob Trigger`);
	return `${String(trigger.webhookId)}/webhook`;
}

/**
 * Publishes an event-driven example. For a HiBob Trigger it waits until n8n serves the production
 * URL and then registers that URL with the HiBob sandbox through its control API
 * (`POST /__mock/webhooks`), which saves it only after HiBob's Ping test was answered with 2xx;
 * from then on every change in the sandbox is sent there, signed. Returns the production URL
 * (undefined for a polling trigger). Throws when the Ping test fails.
 */
export async function publishEventExample(
	n8n: N8nInstance,
	sandboxes: Sandboxes,
	example: Pick<ExampleWorkflow, 'id' | 'json'>,
): Promise<string | undefined> {
	if (!hiBobTriggerOf(example)) {
		await n8n.publish(example.id);
		return undefined;
	}
	const path = hiBobWebhookPath(example);
	await n8n.publish(example.id, [path]);
	const url = `${n8n.webhookBaseUrl}/webhook/${path}`;
	const response = await fetch(`${sandboxes.hibob.origin}/__mock/webhooks`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ url }),
	});
	if (response.status !== 201)
		throw new Error(
			`the HiBob sandbox did not register ${url} (Ping test): ${response.status} ${await response.text()}`,
		);
	return url;
}

/**
 * Moves the HiBob sandbox's clock forward by `ms` (default 1000). The sandbox clock stands still
 * and stamps every event with it, while HiBob stamps each event with its own time (microseconds):
 * without a step two changes of the same field of one person would be the same delivery to the
 * HiBob Trigger, which drops repeats.
 */
export function stepHiBobClock(hibob: HiBobSandbox, ms = 1000): void {
	hibob.setNow(new Date(Date.parse(hibob.now()) + ms).toISOString());
}

/**
 * Waits (polling every 25 ms, up to `timeoutMs`) until `probe` returns a value, and returns it
 * with the ms elapsed since `since` (epoch ms; default: now): how long an event took to reach
 * the app. Throws on timeout.
 */
export async function waitForApp<T>(
	what: string,
	probe: () => T | undefined,
	options: { since?: number; timeoutMs?: number } = {},
): Promise<{ value: T; ms: number }> {
	const since = options.since ?? Date.now();
	const value = await waitFor(what, probe, {
		timeoutMs: options.timeoutMs ?? 30_000,
		intervalMs: 25,
	});
	return { value, ms: Date.now() - since };
}

const ENDED = new Set(['success', 'error', 'crashed', 'canceled']);

/**
 * Waits until the HiBob sandbox has delivered every event it sent (retries included) and every
 * execution of `workflowId` with an id above `afterId` has finished (for 500 ms in a row: n8n
 * creates the execution just after the trigger answered). Returns those executions, oldest
 * first, with their data. Throws after `timeoutMs` (default 120 s).
 */
export async function settleEvents(
	n8n: N8nInstance,
	hibob: HiBobSandbox | undefined,
	workflowId: string,
	afterId: string,
	timeoutMs = 120_000,
): Promise<Execution[]> {
	await hibob?.flushWebhooks();
	let quietSince: number | undefined;
	const finished = await waitFor(
		`the executions of ${workflowId} after ${afterId} to finish`,
		async () => {
			// The public API lists running executions only when asked for them.
			const [running, executions] = await Promise.all(
				[
					n8n.api.executions({ workflowId, status: 'running' }),
					n8n.api.executions({ workflowId }),
				].map(async (listed) =>
					(await listed).filter((execution) => Number(execution.id) > Number(afterId)),
				),
			);
			if (running.length > 0 || executions.some((execution) => !ENDED.has(execution.status))) {
				quietSince = undefined;
				return undefined;
			}
			quietSince ??= Date.now();
			return Date.now() - quietSince >= 500 ? executions : undefined;
		},
		{ timeoutMs, intervalMs: 150 },
	);
	const oldestFirst = finished.sort((a, b) => Number(a.id) - Number(b.id));
	return await Promise.all(oldestFirst.map((execution) => n8n.api.execution(execution.id)));
}

/** The AFAS sandbox's reads of one connector so far (its request log). */
export function connectorReads(afas: AfasSandbox, connectorId: string): number {
	return afas.stats().log.filter((entry) => entry.path.endsWith(`/connectors/${connectorId}`))
		.length;
}

/**
 * Waits until an AFAS Trigger poll has read the connector (more reads than `before`, see
 * `connectorReads`) and no read followed for 2 s, up to `timeoutMs` (default 120 s).
 */
export async function waitForPoll(
	afas: AfasSandbox,
	connectorId: string,
	before: number,
	timeoutMs = 120_000,
): Promise<void> {
	let seen = before;
	let quietSince = Date.now();
	await waitFor(
		`a poll of the AFAS connector ${connectorId}`,
		() => {
			const reads = connectorReads(afas, connectorId);
			if (reads !== seen) [seen, quietSince] = [reads, Date.now()];
			return reads > before && Date.now() - quietSince > 2000 ? true : undefined;
		},
		{ timeoutMs, intervalMs: 100 },
	);
}

/**
 * Changes a connector's rows in the AFAS sandbox: rows whose `externalId` is in `remove` left
 * out, `change` applied by `externalId`, `add` appended.
 */
export function editAfasRows(
	afas: AfasSandbox,
	connectorId: string,
	edit: {
		add?: Array<Record<string, unknown>>;
		change?: Record<string, Record<string, unknown>>;
		remove?: string[];
	},
): void {
	const rows = afas
		.getRows(connectorId)
		.filter((row) => !(edit.remove ?? []).includes(String(row.externalId)))
		.map((row) => ({ ...row, ...(edit.change?.[String(row.externalId)] ?? {}) }));
	afas.setRows(connectorId, [...rows, ...(edit.add ?? [])]);
}

/**
 * A new hire for a MobieTrain-style connector: a copy of `like` (same job and organisation) with
 * its own employee number, e-mail address and last name, starting on `startDate` (YYYY-MM-DD).
 */
export function newAfasRow(
	like: Record<string, unknown>,
	externalId: string,
	startDate: string,
): Record<string, unknown> {
	return {
		...like,
		externalId,
		email: `new.${externalId}@afas-sandbox.example`,
		lastName: `Nieuw${externalId}`,
		employmentStartDate: `${startDate}T00:00:00Z`,
		employementEndDate: null,
	};
}

/** The items an AFAS Trigger node (by name) emitted in an execution, as `<event type> <key>`. */
export function afasTriggerItems(execution: Execution, nodeName = 'AFAS changes'): string[] {
	const items = execution.data?.resultData.runData[nodeName]?.[0]?.data?.main?.[0] ?? [];
	return items.map(
		(item) =>
			`${String((item.json.event as { type?: unknown } | undefined)?.type)} ${String(item.json.externalId)}`,
	);
}
