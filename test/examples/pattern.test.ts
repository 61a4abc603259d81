/**
 * Every example workflow (workflows-examples/*.json, the scheduled ones and any added later)
 * reads and records the same way, checked on the workflow JSON itself:
 *
 * - the app's lists are read whole before Reconcile Users: HTTP Request reads 1000 a page, checked
 *   against the app's total by a Code node; SCIM 2.0 reads (Get Many, which reads every page and
 *   checks totalResults itself) with Return All, no filter and no trimmed attributes;
 * - every write node sends errors to its error output, and both outputs go to Sync Audit (write
 *   nodes behind a Switch on the plan item's action count as writes of that output);
 * - the Plan output of the last Reconcile Users node reaches Sync Audit's Plan input through the
 *   nodes that create `hr_sync_audit` and `hr_sync_runs` with the columns Sync Audit writes, and
 *   that chain sits below every other node on Reconcile Users' outputs (n8n runs them top to bottom);
 * - expired audit rows are deleted, the alert goes to a notification node.
 *
 * The scheduled examples (the full daily sync, thousands of writes and audit rows on a first run)
 * are also set up for scale:
 * - the audit rows are inserted at once by the table's name, after a check at the start of the run
 *   that no other table's name contains it; the run report by table ID;
 * - successful runs keep no execution data (the audit tables are the record), failed runs do;
 * - those that write with HTTP Request: every write node paces its requests (HTTP Request's
 *   batching), and its error output also feeds a retry loop that sends the writes the app did not
 *   make (429, 503, no connection) once more after a wait. The SCIM 2.0 examples need neither: the
 *   SCIM 2.0 node sends its items one at a time and waits and retries 429 and 503 itself.
 * The event-driven ones insert both by table ID and keep execution data: a run writes for the
 * handful of people in one event, so neither the insert nor the execution data grows large.
 *
 * The event-driven ones (a HiBob or AFAS trigger) also: Reconcile Users plans only for the people
 * in the HR input, and the app's users it gets (looked up for those people) pass a check that
 * fails the run on an incomplete answer.
 */
import { AUDIT_COLUMNS, RUN_COLUMNS } from '../../nodes/SyncAudit/audit/columns';
import {
	EVENT_TRIGGER_TYPES,
	eventExamples,
	isEventExample,
	loadExamples,
	type ExampleWorkflow,
} from '../../scripts/lib/examples';

type Node = ExampleWorkflow['json']['nodes'][number] & {
	name: string;
	type: string;
	position: [number, number];
	parameters: Record<string, unknown>;
};
type Connection = { node: string; type: string; index: number };
type Connections = Record<string, { main: Connection[][] }>;

const RECONCILE = 'n8n-nodes-hr-sync.reconcileUsers';
const AUDIT = 'n8n-nodes-hr-sync.syncAudit';
const DATA_TABLE = 'n8n-nodes-base.dataTable';
const HTTP = 'n8n-nodes-base.httpRequest';
const SCIM = 'n8n-nodes-hr-sync.scim';
const SWITCH = 'n8n-nodes-base.switch';
const MERGE = 'n8n-nodes-base.merge';

function graph(example: ExampleWorkflow) {
	const nodes = example.json.nodes as Node[];
	const connections = (example.json as unknown as { connections: Connections }).connections;
	const node = (name: string) => nodes.find((n) => n.name === name)!;
	const outputs = (name: string) => connections[name]?.main ?? [];
	const children = (name: string) => outputs(name).flat();
	return { nodes, node, outputs, children };
}

const columnsOf = (node: Node) =>
	Object.fromEntries(
		(node.parameters.columns as { column: Array<{ name: string; type: string }> }).column.map(
			(c) => [c.name, c.type],
		),
	);

describe.each(loadExamples().map((example) => [example.file, example] as const))(
	'%s',
	(_file, example) => {
		const g = graph(example);
		const audit = g.nodes.filter((n) => n.type === AUDIT);
		const reconciles = g.nodes.filter((n) => n.type === RECONCILE);
		// The full daily sync: set up for thousands of writes and audit rows.
		const atScale = !isEventExample(example);
		// Of those, the ones whose writes are HTTP Request nodes: paced, with a retry loop.
		const httpWriter = atScale && !g.nodes.some((n) => n.type === SCIM);

		it('reads the app’s lists whole (1000 a page and counted, or with the SCIM 2.0 node) before Reconcile Users', () => {
			const reads = g.nodes.filter(
				(n) => n.type === HTTP && (n.parameters.options as IDataObject)?.pagination,
			);
			const scimReads = g.nodes.filter(
				(n) => n.type === SCIM && n.parameters.operation === 'getAll',
			);
			// Scheduled examples read whole lists; an event-driven one may read none.
			if (example.json.nodes.some((n) => n.type === 'n8n-nodes-base.scheduleTrigger'))
				expect(reads.length + scimReads.length).toBeGreaterThan(0);
			for (const read of scimReads) {
				// Get Many reads every page and fails unless it read totalResults resources exactly
				// once: no count check after it, but nothing may shorten or trim the list either.
				expect(read.parameters).toMatchObject({ returnAll: true, filterType: 'none' });
				const options = (read.parameters.options ?? {}) as IDataObject;
				expect([options.attributes ?? '', options.excludedAttributes ?? '']).toEqual(['', '']);
				let [next] = g.children(read.name);
				if (g.node(next.node).type === MERGE) {
					expect(g.node(next.node).parameters.mode).toBe('append');
					[next] = g.children(next.node);
				}
				expect([g.node(next.node).type, next.index]).toEqual([RECONCILE, 1]);
			}
			for (const read of reads) {
				const query = (read.parameters.queryParameters as { parameters: IDataObject[] }).parameters;
				expect(query).toContainEqual({ name: 'pageSize', value: '1000' });
				const [check] = g.children(read.name).map((c) => g.node(c.node));
				expect(check.type).toBe('n8n-nodes-base.code');
				expect(String(check.parameters.jsCode)).toMatch(/records\.length !== totals\[0\]/);
				expect(g.children(check.name).map((c) => g.node(c.node).type)).toEqual([RECONCILE]);
			}
		});

		it('sends every write’s success and error output to Sync Audit’s Write Results input', () => {
			expect(audit).toHaveLength(1);
			const direct = reconciles.flatMap((r) =>
				[0, 1, 2, 5].flatMap((output) => (g.outputs(r.name)[output] ?? []).map((c) => c.node)),
			);
			// A Switch on the plan item's action (the SCIM target's Update output holds user
			// changes and group memberships) hands each action to its own write node.
			const writes = direct.flatMap((name) => {
				const node = g.node(name);
				if (node.type !== SWITCH) return [name];
				const rules = (node.parameters.rules as { values: IDataObject[] }).values;
				for (const rule of rules)
					for (const condition of (rule.conditions as { conditions: IDataObject[] }).conditions)
						expect(condition.leftValue).toBe('={{ $json.action }}');
				expect(g.outputs(name)).toHaveLength(rules.length);
				return g.children(name).map((c) => c.node);
			});
			expect(writes.length).toBeGreaterThan(0);
			// Each step writes before its Plan output leads on (to the next step or the audit).
			for (const r of reconciles) {
				const ys = (outputs: number[]) =>
					outputs.flatMap((o) =>
						(g.outputs(r.name)[o] ?? []).map((c) => g.node(c.node).position[1]),
					);
				expect(Math.max(...ys([0, 1, 2, 5]))).toBeLessThan(Math.min(...ys([6])));
			}
			for (const name of writes) {
				expect({ name, onError: g.node(name).onError }).toEqual({
					name,
					onError: 'continueErrorOutput',
				});
				const [success, errors] = g.outputs(name);
				expect(success).toEqual([{ node: audit[0].name, type: 'main', index: 1 }]);
				expect(errors).toContainEqual({ node: audit[0].name, type: 'main', index: 1 });
			}
		});

		if (httpWriter)
			it('paces every write and sends the writes the app did not make once more, after a wait', () => {
				const writes = reconciles.flatMap((r) =>
					[0, 1, 2, 5].flatMap((output) => (g.outputs(r.name)[output] ?? []).map((c) => c.node)),
				);
				for (const name of writes) {
					const options = g.node(name).parameters.options as IDataObject;
					expect({ name, batching: options.batching }).toEqual({
						name,
						batching: { batch: { batchSize: 50, batchInterval: 100 } },
					});
					// Error output → "<write>: app busy?" (If) → true → Wait → the write node again.
					const retry = g.outputs(name)[1].filter((c) => c.node !== audit[0].name);
					expect(retry).toHaveLength(1);
					const busy = g.node(retry[0].node);
					expect(busy.type).toBe('n8n-nodes-base.if');
					const condition = JSON.stringify(busy.parameters.conditions);
					expect(condition).toContain('$runIndex === 0');
					expect(condition).toContain('[429, 503].includes($json.error?.status)');
					const [whenBusy, otherwise] = g.outputs(busy.name);
					expect(otherwise ?? []).toEqual([]);
					expect(whenBusy).toHaveLength(1);
					const wait = g.node(whenBusy[0].node);
					expect(wait.type).toBe('n8n-nodes-base.wait');
					expect(wait.parameters).toMatchObject({ amount: 5, unit: 'seconds' });
					expect(g.outputs(wait.name)).toEqual([[{ node: name, type: 'main', index: 0 }]]);
				}
			});

		it('creates the two tables with Sync Audit’s columns on the Plan path, below every write', () => {
			const planFeeds = reconciles.filter((r) =>
				(g.outputs(r.name)[6] ?? []).some((c) => g.node(c.node).type === DATA_TABLE),
			);
			expect(planFeeds).toHaveLength(1);
			const rec = planFeeds[0];
			const first = (g.outputs(rec.name)[6] ?? [])
				.map((c) => g.node(c.node))
				.find((n) => n.type === DATA_TABLE)!;
			const chain: Node[] = [first];
			while (chain.at(-1)!.type === DATA_TABLE) {
				const [next] = g.children(chain.at(-1)!.name);
				chain.push(g.node(next.node));
				if (next.node === audit[0].name) expect(next.index).toBe(0);
			}
			expect(chain.at(-1)!.name).toBe(audit[0].name);
			const tables = chain.slice(0, -1);
			expect(tables.map((t) => [t.parameters.operation, t.parameters.tableName])).toEqual([
				['create', 'hr_sync_audit'],
				['create', 'hr_sync_runs'],
			]);
			expect(columnsOf(tables[0])).toEqual(AUDIT_COLUMNS);
			expect(columnsOf(tables[1])).toEqual(RUN_COLUMNS);
			for (const table of tables) {
				expect(table.parameters.options).toEqual({ createIfNotExists: true });
				expect(table).toMatchObject({ executeOnce: true, retryOnFail: true });
			}
			// n8n runs the nodes on Reconcile Users' outputs top to bottom: the audit comes last.
			for (const sibling of g.children(rec.name).map((c) => g.node(c.node)))
				if (sibling.name !== first.name)
					expect(sibling.position[1]).toBeLessThan(first.position[1]);
		});

		if (atScale)
			it('inserts the audit rows at once by name after checking the name at the start of the run', () => {
				const [rows] = g.outputs(audit[0].name).map((o) => g.node(o[0].node));
				expect(rows.parameters).toMatchObject({
					operation: 'insert',
					dataTableId: { mode: 'name', value: 'hr_sync_audit' },
					columns: { mappingMode: 'autoMapInputData' },
					options: { optimizeBulk: true },
				});
				// n8n finds a table by name with a "contains" match: the run starts by stopping when
				// another table's name contains hr_sync_audit. n8n runs the top one of a node's
				// children first: the top child of each trigger, or of the one node (Settings) it
				// leads to.
				const triggers = g.nodes.filter((n) =>
					['n8n-nodes-base.scheduleTrigger', 'n8n-nodes-base.manualTrigger'].includes(n.type),
				);
				expect(triggers).toHaveLength(2);
				const firsts = triggers.map((trigger) => {
					let next = g.children(trigger.name);
					if (next.length === 1) next = g.children(next[0].node);
					return next.map((c) => g.node(c.node)).sort((a, b) => a.position[1] - b.position[1])[0];
				});
				const [first] = firsts;
				expect(firsts[1].name).toBe(first.name);
				expect(first.parameters).toMatchObject({
					resource: 'table',
					operation: 'list',
					returnAll: true,
					options: { filterName: 'hr_sync_audit' },
				});
				const [filter] = g.children(first.name).map((c) => g.node(c.node));
				expect(filter.type).toBe('n8n-nodes-base.filter');
				expect(JSON.stringify(filter.parameters.conditions)).toContain(
					'"leftValue":"={{ $json.name }}","rightValue":"hr_sync_audit","operator":{"type":"string","operation":"notEquals"}',
				);
				expect(g.children(filter.name).map((c) => g.node(c.node).type)).toEqual([
					'n8n-nodes-base.stopAndError',
				]);
			});

		it('inserts the run report (and, below scale, the audit rows) by table ID, deletes audit rows after 400 days and sends the alert on', () => {
			const [rows, report, attention] = g.outputs(audit[0].name).map((o) => g.node(o[0].node));
			for (const [insert, table] of atScale
				? ([[report, 'Runs table']] as const)
				: ([
						[rows, 'Audit table'],
						[report, 'Runs table'],
					] as const)) {
				expect(insert.parameters).toMatchObject({
					operation: 'insert',
					dataTableId: { mode: 'id', value: `={{ $('${table}').first().json.id }}` },
					columns: { mappingMode: 'autoMapInputData' },
				});
			}
			const [forget] = g.children(report.name).map((c) => g.node(c.node));
			expect(forget.parameters).toMatchObject({
				operation: 'deleteRows',
				dataTableId: { value: "={{ $('Audit table').first().json.id }}" },
				filters: {
					conditions: [
						{
							keyName: 'time',
							condition: 'lt',
							keyValue: '={{ $now.minus({ days: 400 }).toISO() }}',
						},
					],
				},
			});
			expect(attention.type).toBe('n8n-nodes-base.emailSend');
			expect(attention.disabled).toBe(true);
		});

		if (atScale)
			it('keeps no execution data of successful runs, and all of failed ones', () => {
				const settings = (example.json as unknown as { settings: IDataObject }).settings;
				expect(settings).toMatchObject({
					saveDataSuccessExecution: 'none',
					saveDataErrorExecution: 'all',
					saveExecutionProgress: false,
					executionOrder: 'v1',
				});
			});
	},
);

describe.each(eventExamples().map((example) => [example.file, example] as const))(
	'%s (event-driven)',
	(_file, example) => {
		const g = graph(example);
		const reconciles = g.nodes.filter((n) => n.type === RECONCILE);
		const triggers = g.nodes.filter((n) => EVENT_TRIGGER_TYPES.has(n.type));

		it('starts from one HR or AFAS trigger and has no schedule', () => {
			expect(triggers).toHaveLength(1);
			expect(g.nodes.filter((n) => n.type === 'n8n-nodes-base.scheduleTrigger')).toEqual([]);
			expect(g.nodes.filter((n) => n.type === 'n8n-nodes-base.manualTrigger')).toEqual([]);
		});

		it('plans only for the people in the HR input', () => {
			expect(reconciles.length).toBeGreaterThan(0);
			for (const reconcile of reconciles) expect(reconcile.parameters.scope).toBe('inputOnly');
		});

		it('checks the app users it looked up before Reconcile Users, failing on an incomplete answer', () => {
			for (const reconcile of reconciles) {
				const appFeeds = g.nodes.filter((n) =>
					g.children(n.name).some((c) => c.node === reconcile.name && c.index === 1),
				);
				expect(appFeeds.length).toBeGreaterThan(0);
				for (const check of appFeeds) {
					expect(check.type).toBe('n8n-nodes-base.code');
					expect(String(check.parameters.jsCode)).toMatch(/data\.length !== total/);
					expect(String(check.parameters.jsCode)).toMatch(/throw new Error/);
					const lookups = g.nodes.filter((n) =>
						g.children(n.name).some((c) => c.node === check.name),
					);
					expect(lookups.map((n) => n.type)).toEqual([HTTP]);
					expect(lookups[0]).toMatchObject({ retryOnFail: true });
					expect(lookups[0].onError).toBeUndefined();
				}
			}
		});
	},
);

type IDataObject = Record<string, unknown>;
