/**
 * Every example workflow (workflows-examples/*.json, the scheduled ones and any added later)
 * reads and records the same way, checked on the workflow JSON itself:
 *
 * - the app's lists are read 1000 a page and checked against the app's total before Reconcile Users;
 * - every write node paces its requests (HTTP Request's batching), sends errors to its error
 *   output, and both outputs go to Sync Audit; the error output also feeds a retry loop that sends
 *   the writes the app did not make (429, 503, no connection) once more after a wait;
 * - the Plan output of the last Reconcile Users node reaches Sync Audit's Plan input through the
 *   nodes that create `hr_sync_audit` and `hr_sync_runs` with the columns Sync Audit writes, and
 *   that chain sits below every other node on Reconcile Users' outputs (n8n runs them top to bottom);
 * - the audit rows are inserted at once by the table's name, after a check at the start of the run
 *   that no other table's name contains it; the run report by table ID; expired audit rows
 *   deleted; the alert goes to a notification node;
 * - successful runs keep no execution data (the audit tables are the record), failed runs do.
 */
import { AUDIT_COLUMNS, RUN_COLUMNS } from '../../nodes/SyncAudit/audit/columns';
import { loadExamples, type ExampleWorkflow } from '../../scripts/lib/examples';

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

		it('reads the app’s lists 1000 a page and checks the count against the app’s total before Reconcile Users', () => {
			const reads = g.nodes.filter(
				(n) => n.type === HTTP && (n.parameters.options as IDataObject)?.pagination,
			);
			// Scheduled examples read whole lists; an event-driven one may read none.
			if (example.json.nodes.some((n) => n.type === 'n8n-nodes-base.scheduleTrigger'))
				expect(reads.length).toBeGreaterThan(0);
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
			const writes = reconciles.flatMap((r) =>
				[0, 1, 2, 5].flatMap((output) => (g.outputs(r.name)[output] ?? []).map((c) => c.node)),
			);
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

		it('inserts the audit rows at once by name after checking the name at the start, the report by table ID, deletes audit rows after 400 days and sends the alert on', () => {
			const [rows, report, attention] = g.outputs(audit[0].name).map((o) => g.node(o[0].node));
			expect(rows.parameters).toMatchObject({
				operation: 'insert',
				dataTableId: { mode: 'name', value: 'hr_sync_audit' },
				columns: { mappingMode: 'autoMapInputData' },
				options: { optimizeBulk: true },
			});
			expect(report.parameters).toMatchObject({
				operation: 'insert',
				dataTableId: { mode: 'id', value: "={{ $('Runs table').first().json.id }}" },
				columns: { mappingMode: 'autoMapInputData' },
			});
			// n8n finds a table by name with a "contains" match: the run starts by stopping when
			// another table's name contains hr_sync_audit (Settings' top child runs first).
			const [first] = (g.outputs('Settings')[0] ?? [])
				.map((c) => g.node(c.node))
				.sort((a, b) => a.position[1] - b.position[1]);
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

type IDataObject = Record<string, unknown>;
