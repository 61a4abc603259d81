/**
 * A started n8n (`n8n start`, regular mode, scripts/lib/n8nInstance.ts) with this package
 * installed: a published workflow `Webhook → Reconcile Users → …` answers a production webhook
 * call, and its execution is listed by n8n's public API with status success; a published workflow
 * writes Data Table rows (which `n8n execute` cannot) that the public API reads back.
 */
import { startAfasSandbox, type AfasSandbox } from '../../sandbox/afas/server';
import { loadExamples } from '../../scripts/lib/examples';
import { N8nInstance } from '../../scripts/lib/n8nInstance';

jest.setTimeout(600_000);

const PATH = 'hr-sync-plan';
let afas: AfasSandbox;
let n8n: N8nInstance;

/** The Reconcile Users node of the AFAS → MobieTrain example, as shipped. */
function shippedReconcileNode(): Record<string, unknown> {
	const example = loadExamples().find((e) => e.id === 'hrSyncAfasMobi01')!;
	const node = example.json.nodes.find((n) => n.type === 'n8n-nodes-hr-sync.reconcileUsers')!;
	return { ...node, position: [440, 0] };
}

const node = (name: string, type: string, position: [number, number], parameters = {}) => ({
	id: `00000000-0000-4000-8000-${String(position[0] * 10 + position[1]).padStart(12, '0')}`,
	name,
	type,
	typeVersion: 1,
	position,
	parameters,
});

/** Webhook (HR rows and app users in the body) → Reconcile Users → invite list and summary. */
function planWorkflow(): Record<string, unknown> {
	const to = (target: string, index = 0) => [{ node: target, type: 'main', index }];
	return {
		id: 'startedPlanHook1',
		name: 'Started n8n: plan from a webhook',
		nodes: [
			{
				...node('Receive people', 'n8n-nodes-base.webhook', [0, 0]),
				typeVersion: 2.1,
				webhookId: '5b0f2f64-8d0c-4a8e-9b7e-3a1d2c4b5e60',
				parameters: { httpMethod: 'POST', path: PATH, responseMode: 'lastNode', options: {} },
			},
			node('HR rows', 'n8n-nodes-base.splitOut', [220, -100], { fieldToSplitOut: 'body.hr' }),
			node('App users', 'n8n-nodes-base.splitOut', [220, 100], { fieldToSplitOut: 'body.app' }),
			shippedReconcileNode(),
			node('To invite', 'n8n-nodes-base.noOp', [700, -100]),
			node('Run summary', 'n8n-nodes-base.noOp', [700, 300]),
		],
		connections: {
			'Receive people': { main: [[...to('HR rows'), ...to('App users')]] },
			'HR rows': { main: [to('Reconcile Users')] },
			'App users': { main: [to('Reconcile Users', 1)] },
			'Reconcile Users': { main: [to('To invite'), [], [], [], [], [], to('Run summary')] },
		},
		settings: { executionOrder: 'v1', timezone: 'UTC' },
		active: false,
	};
}

const TABLE = 'hr_sync_smoke_rows';

/** Webhook → Data table: create the table (when missing) → insert one row from the body. */
function dataTableWorkflow(): Record<string, unknown> {
	const body = (field: string) => `={{ $('Receive row').first().json.body.${field} }}`;
	return {
		id: 'startedTableHk1',
		name: 'Started n8n: Data Table rows from a webhook',
		nodes: [
			{
				...node('Receive row', 'n8n-nodes-base.webhook', [0, 400]),
				typeVersion: 2.1,
				webhookId: '7c1e9a52-3f4b-4d6e-8a2c-9b8d7e6f5a41',
				parameters: {
					httpMethod: 'POST',
					path: 'hr-sync-row',
					responseMode: 'lastNode',
					options: {},
				},
			},
			{
				...node('Create table', 'n8n-nodes-base.dataTable', [220, 400], {
					resource: 'table',
					operation: 'create',
					tableName: TABLE,
					columns: {
						column: [
							{ name: 'person', type: 'string' },
							{ name: 'action', type: 'string' },
						],
					},
					options: { createIfNotExists: true },
				}),
				typeVersion: 1.1,
			},
			{
				...node('Insert row', 'n8n-nodes-base.dataTable', [440, 400], {
					resource: 'row',
					operation: 'insert',
					dataTableId: {
						__rl: true,
						mode: 'id',
						value: "={{ $('Create table').first().json.id }}",
					},
					columns: {
						mappingMode: 'defineBelow',
						value: { person: body('person'), action: body('action') },
						matchingColumns: [],
						schema: [],
					},
					options: {},
				}),
				typeVersion: 1.1,
			},
		],
		connections: {
			'Receive row': { main: [[{ node: 'Create table', type: 'main', index: 0 }]] },
			'Create table': { main: [[{ node: 'Insert row', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		active: false,
	};
}

beforeAll(async () => {
	afas = await startAfasSandbox({ employeeCount: 60 });
	n8n = await N8nInstance.create({ mode: 'regular' });
	await n8n.importWorkflows([planWorkflow(), dataTableWorkflow()]);
	await n8n.start();
	await n8n.publish('startedPlanHook1', [PATH]);
	await n8n.publish('startedTableHk1', ['hr-sync-row']);
});

afterAll(async () => {
	await n8n?.stop();
	await afas?.close();
});

it('a published Webhook → Reconcile Users workflow answers the call, and the public API lists its successful execution', async () => {
	const hr = afas.getRows('Mobietrain_Employees');
	const known = hr.find((row) => row.email)!;
	// App users in the MobieTrain-style shape: one HR person, one who is not in HR any more.
	const app = [
		{
			id: 'usr_00001',
			externalId: String(known.externalId),
			email: known.email,
			firstName: known.firstName,
			lastName: known.lastName,
			language: null,
			jobDescription: null,
			status: 'active',
			groups: [],
			stores: [],
		},
		{
			id: 'usr_00002',
			externalId: 'left-long-ago',
			email: 'left@example.com',
			firstName: 'Left',
			lastName: 'Long Ago',
			language: null,
			jobDescription: null,
			status: 'active',
			groups: [],
			stores: [],
		},
	];
	const response = await n8n.callWebhook(PATH, { hr, app });
	const [execution] = await n8n.api.waitForExecutions('startedPlanHook1');
	// The execution's own error says more than the webhook's 500.
	expect(execution.data?.resultData.error).toBeUndefined();
	expect(response.status).toBe(200);
	const summary = response.body as { action: string; counts: Record<string, number> };
	expect(summary.action).toBe('summary');
	expect(summary.counts.create).toBeGreaterThan(0);
	expect(summary.counts.remove).toBe(1);

	expect(execution).toMatchObject({ workflowId: 'startedPlanHook1', mode: 'webhook' });
	expect(execution.status).toBe('success');
	const runData = execution.data!.resultData.runData;
	const invites = runData['To invite'][0].data!.main[0]!.map((item) => item.json);
	expect(invites).toHaveLength(summary.counts.create);
	const hrIds = new Set(hr.map((row) => String(row.externalId)));
	for (const invite of invites) {
		const externalId = String((invite.hr as { externalId: unknown }).externalId);
		expect(hrIds.has(externalId)).toBe(true);
		expect(externalId).not.toBe(String(known.externalId));
	}
	expect(runData['Run summary'][0].data!.main[0]![0].json).toEqual(summary);
});

it('a published workflow writes Data Table rows that the public API reads back', async () => {
	const sent = [
		{ person: 'E-1001', action: 'create' },
		{ person: 'E-1002', action: 'remove' },
	];
	for (const row of sent) expect((await n8n.callWebhook('hr-sync-row', row)).status).toBe(200);

	const table = (await n8n.api.dataTables()).find((t) => t.name === TABLE);
	expect(table).toBeDefined();
	const rows = await n8n.api.dataTableRows(table!.id);
	expect(rows.map(({ person, action }) => ({ person, action }))).toEqual(sent);
	const removals = await n8n.api.dataTableRows(table!.id, {
		type: 'and',
		filters: [{ columnName: 'action', condition: 'eq', value: 'remove' }],
	});
	expect(removals.map((row) => row.person)).toEqual(['E-1002']);
});
