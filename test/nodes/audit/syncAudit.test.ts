/**
 * Sync Audit in n8n's engine (n8n-core WorkflowExecute, in process, execution order v1):
 * Reconcile Users plans, write nodes call an apps sandbox over HTTP (one person answered with
 * 500, another with 422), and Sync Audit turns the plan and the answers into audit rows and one
 * run report; dry run, a tripped safety rail, and wiring mistakes it reports.
 */
import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { startAppSandbox, type AppSandbox } from '../../../sandbox/apps/server';
import { AUDIT_COLUMNS, RUN_COLUMNS } from '../../../nodes/SyncAudit/audit/columns';
import type { AuditRow, RunRow } from '../../../nodes/SyncAudit/audit/types';
import { afasRow, mobieUser } from '../../engine/fixtures';
import {
	registerNodeType,
	runWorkflow,
	workflowNode as node,
	type WorkflowJson,
} from '../../helpers/n8n';

const AS_OF = '2026-04-01';

/**
 * A write node for these tests: one HTTP call per item to the apps sandbox (the URL is an
 * expression per item, the body the item's `payload`). A failed call gives, with Continue On
 * Fail, the item HTTP Request gives: `{ error: { message: '<status> - "<body as JSON text>"',
 * status } }`.
 */
class TestWrite implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Write',
		name: 'write',
		group: ['output'],
		version: 1,
		description: 'Sends each item’s payload to a URL',
		defaults: { name: 'Write' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Method', name: 'method', type: 'string', default: 'POST' },
			{ displayName: 'URL', name: 'url', type: 'string', default: '' },
			{ displayName: 'Token', name: 'token', type: 'string', default: '' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const output: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			const method = this.getNodeParameter('method', i) as 'POST' | 'PATCH' | 'DELETE';
			const response = await this.helpers.httpRequest({
				method,
				url: this.getNodeParameter('url', i) as string,
				headers: { authorization: `Bearer ${this.getNodeParameter('token', i) as string}` },
				body: method === 'DELETE' ? undefined : (items[i].json.payload as IDataObject),
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			});
			const { statusCode, body } = response as { statusCode: number; body: unknown };
			if (statusCode < 400) {
				output.push({ json: (body as IDataObject) ?? {}, pairedItem: { item: i } });
				continue;
			}
			if (!this.continueOnFail()) throw new Error(`HTTP ${statusCode}`);
			const message = `${statusCode} - ${JSON.stringify(JSON.stringify(body))}`;
			output.push({ json: { error: { message, status: statusCode } }, pairedItem: { item: i } });
		}
		return [output];
	}
}
registerNodeType('test.write', new TestWrite());

/** Passes its items on while its `pass` parameter is true (e.g. `={{ $runIndex === 0 }}`). */
class FirstRunOnly implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'First Run Only',
		name: 'firstRunOnly',
		group: ['transform'],
		version: 1,
		description: 'Passes items on while Pass is true',
		defaults: { name: 'First Run Only' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Pass', name: 'pass', type: 'boolean', default: true }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData().map((item, index) => ({
			json: item.json,
			pairedItem: { item: index },
		}));
		return [this.getNodeParameter('pass', 0) ? items : []];
	}
}
registerNodeType('test.firstRunOnly', new FirstRunOnly());

/**
 * A stand-in for n8n's Edit Fields (Set) node with "Include Other Input Fields" off: every item
 * becomes `{ checked: 'yes' }`, paired with its input item (what a builder adds to tidy results).
 */
class TestTidy implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Tidy',
		name: 'tidy',
		group: ['transform'],
		version: 1,
		description: 'Keeps one field',
		defaults: { name: 'Tidy' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			this.getInputData().map((_, item) => ({ json: { checked: 'yes' }, pairedItem: { item } })),
		];
	}
}
registerNodeType('test.tidy', new TestTidy());

let app: AppSandbox;

beforeEach(async () => {
	app = await startAppSandbox({ style: 'mobietrain', now: () => '2026-04-01T06:00:00.000Z' });
	app.seed('groups', [{ externalId: 'F01', name: 'Sales' }]);
	app.seed('stores', [{ externalId: 'S01', name: 'Store Utrecht' }]);
	app.seed(
		'users',
		['1', '2', '3'].map((id) => ({ ...mobieUser(id), id: `u${id}` })),
	);
});
afterEach(async () => app?.close());

// One of each: unchanged (1), update (2), leaver (3 not in HR), joiners (4: 500, 5: 422, 6 in a
// new group and store), and two people sharing an e-mail address (a conflict each).
const HR = [
	afasRow('1'),
	afasRow('2', { lastName: 'Moved' }),
	afasRow('4'),
	afasRow('5'),
	afasRow('6', {
		functionId: 'F09',
		functionDescription: 'Buyer',
		organizationId: 'S09',
		organizationName: 'Store Breda',
	}),
	afasRow('8', { email: 'same@example.com' }),
	afasRow('9', { email: 'same@example.com' }),
];

interface Layout {
	/** Canvas y of the first node on the Plan output (the stand-in for the audit table nodes). */
	planY?: number;
	/** Connect the plan chain to Sync Audit's Plan input (default true). */
	planConnected?: boolean;
	reconcile?: IDataObject;
	hr?: IDataObject[];
	/** Leave Reconcile Users' Deactivate/Remove output unconnected. */
	noRemovals?: boolean;
	/**
	 * Invite user's error output also feeds a retry: 'node' sends the failures to "Invite user
	 * again", whose outputs go to Sync Audit; 'loop' sends them back into Invite user itself
	 * through "Retry once" (which passes items on its first run only, as the examples' If does).
	 */
	retry?: 'node' | 'loop';
	/** Both outputs of Invite user reach Sync Audit through a node that keeps only one field. */
	tidyInvites?: boolean;
}

/** Start → HR, App → Reconcile Users → write nodes → Sync Audit (Write Results); Plan → stand-in → Sync Audit (Plan). */
function syncWorkflow(layout: Layout = {}): WorkflowJson {
	const write = (name: string, y: number, method: string, path: string) =>
		node(
			name,
			'test.write',
			[700, y],
			{ method, url: `=${app.url}${path}`, token: app.token },
			{ onError: 'continueErrorOutput' },
		);
	const to = (target: string, index = 0) => [{ node: target, type: 'main' as const, index }];
	const toAudit = { main: [to('Sync Audit', 1), to('Sync Audit', 1)] };
	return {
		name: 'HR sync test',
		nodes: [
			node('Start', 'test.trigger', [0, 0]),
			node('HR', 'test.items', [200, -100], { items: JSON.stringify(layout.hr ?? HR) }),
			node('App', 'test.items', [200, 100], {
				items: JSON.stringify(app.collection('users')),
			}),
			node('Reconcile Users', 'reconcileUsers', [400, 0], {
				mode: 'people',
				source: 'afasMobieTrain',
				target: 'mobieTrain',
				leaverAction: 'remove',
				referenceDate: AS_OF,
				...layout.reconcile,
			}),
			write(
				'Create group or store',
				-300,
				'POST',
				"/{{ $json.kind === 'group' ? 'groups' : 'stores' }}",
			),
			write('Invite user', -100, 'POST', '/invitations'),
			...(layout.retry === 'node'
				? [
						{
							...write('Invite user again', -100, 'POST', '/invitations'),
							position: [850, -100] as [number, number],
						},
					]
				: []),
			...(layout.retry === 'loop'
				? [node('Retry once', 'test.firstRunOnly', [850, -100], { pass: '={{ $runIndex === 0 }}' })]
				: []),
			write('Update user', 100, 'PATCH', '/users/{{ $json.appId }}'),
			write('Remove user', 300, 'DELETE', '/users/{{ $json.appId }}'),
			node('Audit table', 'test.items', [700, layout.planY ?? 500], {
				items: JSON.stringify([{ id: 'table' }]),
			}),
			node('Sync Audit', 'syncAudit', [1000, 200], { hrSystem: 'AFAS', app: 'MobieTrain' }),
			node('Tidy invites', 'test.tidy', [850, -100]),
		],
		connections: {
			Start: { main: [[...to('HR'), ...to('App')]] },
			HR: { main: [to('Reconcile Users')] },
			App: { main: [to('Reconcile Users', 1)] },
			'Reconcile Users': {
				main: [
					to('Invite user'),
					to('Update user'),
					layout.noRemovals ? [] : to('Remove user'),
					[],
					[],
					to('Create group or store'),
					to('Audit table'),
				],
			},
			'Create group or store': toAudit,
			'Invite user': layout.tidyInvites
				? { main: [to('Tidy invites'), to('Tidy invites')] }
				: layout.retry
					? {
							main: [
								to('Sync Audit', 1),
								[
									...to('Sync Audit', 1),
									...to(layout.retry === 'node' ? 'Invite user again' : 'Retry once'),
								],
							],
						}
					: toAudit,
			'Tidy invites': toAudit,
			...(layout.retry === 'node' ? { 'Invite user again': toAudit } : {}),
			...(layout.retry === 'loop' ? { 'Retry once': { main: [to('Invite user')] } } : {}),
			'Update user': toAudit,
			'Remove user': toAudit,
			...(layout.planConnected === false ? {} : { 'Audit table': { main: [to('Sync Audit')] } }),
		},
	};
}

/** Sync Audit's report run: the run whose Run Report output has the report. */
function auditOutputs(result: Awaited<ReturnType<typeof runWorkflow>>) {
	const runs = result.runData['Sync Audit'] ?? [];
	const reportRun = runs.find((run) => (run.data?.main?.[1] ?? []).length > 0);
	const outputs = reportRun?.data?.main ?? [];
	return {
		runs: runs.length,
		rows: (outputs[0] ?? []).map((item) => item.json as unknown as AuditRow),
		report: outputs[1]?.[0]?.json as unknown as RunRow | undefined,
		attention: outputs[2] ?? [],
		paired: (outputs[0] ?? []).concat(outputs[1] ?? []).map((item) => item.pairedItem),
	};
}

const brief = (row: AuditRow) =>
	`${row.action} ${row.external_id ?? row.record_key} ${row.outcome}${row.http_status ? ` ${row.http_status}` : ''}`;

describe('Sync Audit node', () => {
	it('records every operation with its outcome, the app’s status and message for failures, and one report', async () => {
		app.addWriteFault({ person: '4', status: 500 });
		app.addWriteFault({ person: '5', status: 422, message: 'Validation failed: email is blocked' });
		const result = await runWorkflow(syncWorkflow());
		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		const { rows, report, attention, paired } = auditOutputs(result);

		expect(rows.map(brief)).toEqual([
			'createFirst group F09 done',
			'createFirst store S09 done',
			'create 4 failed 500',
			'create 5 failed 422',
			'create 6 done',
			'update 2 done',
			'remove 3 done',
			'conflict 8 needs attention',
			'conflict 9 needs attention',
		]);
		for (const row of rows) {
			expect(Object.keys(row).sort()).toEqual(Object.keys(AUDIT_COLUMNS).sort());
			expect(row).toMatchObject({
				workflow: 'HR sync test',
				execution_id: 'test-execution',
				hr_system: 'AFAS',
				app: 'MobieTrain',
				step: 'Reconcile Users',
			});
			expect(Date.parse(row.time)).not.toBeNaN();
			expect(row.time.endsWith('Z')).toBe(true);
		}
		const byKey = new Map(rows.map((row) => [`${row.action} ${row.external_id}`, row]));
		expect(byKey.get('create 4')).toMatchObject({
			email: 'p4@example.com',
			display_name: 'First4 Last4',
			http_status: 500,
			message: 'Internal server error: the request could not be completed',
			app_id: null,
		});
		expect(byKey.get('create 5')!.message).toBe('Validation failed: email is blocked');
		const created = app.collection('users').find((user) => user.externalId === '6')!;
		expect(byKey.get('create 6')!.app_id).toBe(created.id);
		expect(byKey.get('update 2')).toMatchObject({
			app_id: 'u2',
			changes: 'lastName: Last2 → Moved',
			changes_json: JSON.stringify([{ field: 'lastName', from: 'Last2', to: 'Moved' }]),
			http_status: null,
			message: null,
		});
		expect(byKey.get('create 6')!.changes).toContain('; groups: [F09]; stores: [S09]');
		expect(byKey.get('conflict 8')!.message).toBe('duplicateHrKey');

		expect(Object.keys(report!).sort()).toEqual(Object.keys(RUN_COLUMNS).sort());
		expect(report).toMatchObject({
			outcome: 'failed',
			dry_run: false,
			planned: 7,
			done: 5,
			failed: 2,
			attention: 2,
			conflicts: 2,
			blocked_rail: null,
		});
		expect(JSON.parse(report!.counts_json)).toMatchObject({
			create: { planned: 3, done: 1, failed: 2 },
			update: { planned: 1, done: 1 },
			remove: { planned: 1, done: 1 },
			createFirst: { planned: 2, done: 2 },
			conflict: { planned: 2, attention: 2 },
		});
		expect(report!.failed_people).toBe(
			'First4 Last4 (4), create: 500 Internal server error: the request could not be completed\nFirst5 Last5 (5), create: 422 Validation failed: email is blocked',
		);
		expect(report!.summary).toContain('7 operations planned: 5 done, 2 failed');
		expect(attention.map((item) => item.json)).toEqual([report]);
		expect(paired.every((item) => JSON.stringify(item) === '{"item":0,"input":0}')).toBe(true);

		// The other writes were made: the app has the update, the removal and the new user.
		const users = new Map(app.collection('users').map((user) => [user.externalId, user]));
		expect([...users.keys()].sort()).toEqual(['1', '2', '6']);
		expect(users.get('2')!.lastName).toBe('Moved');
	});

	it.each(['loop', 'node'] as const)(
		'counts a retried write as its retry went (retry: %s): the retry’s answer replaces the failure it retried',
		async (retry) => {
			app.addWriteFault({ person: '4', status: 503, times: 1 });
			app.addWriteFault({
				person: '5',
				status: 422,
				message: 'Validation failed: email is blocked',
			});
			const result = await runWorkflow(syncWorkflow({ retry }));
			expect(result.status).toBe('success');
			const retried =
				retry === 'node'
					? result.runData['Invite user again']?.[0]
					: result.runData['Invite user']?.[1];
			expect(retried?.data?.main?.[0]).toHaveLength(1);
			const { rows, report } = auditOutputs(result);
			const creates = rows.filter((row) => row.action === 'create');
			const created = new Map(app.collection('users').map((user) => [user.externalId, user.id]));
			expect(creates.map((row) => [brief(row), row.app_id])).toEqual([
				['create 4 done', created.get('4')],
				['create 5 failed 422', null],
				['create 6 done', created.get('6')],
			]);
			expect(report).toMatchObject({ planned: 7, done: 6, failed: 1 });
			// The app saw each invitation of person 4 twice (refused, then made) and made it once.
			const invitationsOf4 = app
				.audit()
				.filter((entry) => entry.path.endsWith('/invitations'))
				.filter((entry) =>
					[entry.sent, entry.body].some((b) => (b as IDataObject)?.externalId === '4'),
				);
			expect(invitationsOf4.map((entry) => entry.status)).toEqual([503, 201]);
		},
	);

	it('records a failed write as failed when its answers reach Sync Audit through a node that drops the error', async () => {
		app.addWriteFault({ person: '4', status: 500 });
		app.addWriteFault({ person: '5', status: 422, message: 'Validation failed: email is blocked' });
		const result = await runWorkflow(syncWorkflow({ tidyInvites: true }));
		expect(result.status).toBe('success');
		const { rows, report } = auditOutputs(result);
		expect(rows.filter((row) => row.action === 'create').map(brief)).toEqual([
			'create 4 failed 500',
			'create 5 failed 422',
			'create 6 done',
		]);
		expect(rows.find((row) => row.external_id === '5')!.message).toBe(
			'Validation failed: email is blocked',
		);
		expect(report).toMatchObject({ outcome: 'failed', planned: 7, done: 5, failed: 2 });
	});

	it('reports a run with nothing to do: no audit rows, one report that is ok, no alert', async () => {
		const result = await runWorkflow(
			syncWorkflow({ hr: ['1', '2', '3'].map((id) => afasRow(id)) as IDataObject[] }),
		);
		expect(result.status).toBe('success');
		expect(result.runData['Invite user']).toBeUndefined();
		const { rows, report, attention } = auditOutputs(result);
		expect(rows).toEqual([]);
		expect(report).toMatchObject({ outcome: 'ok', planned: 0, done: 0, failed: 0, attention: 0 });
		expect(report!.counts).toBe('nothing to do');
		expect(attention).toEqual([]);
	});

	it('leaves out the operations of an output with nothing connected, and says so in the report', async () => {
		const result = await runWorkflow(syncWorkflow({ noRemovals: true }));
		expect(result.status).toBe('success');
		const { rows, report } = auditOutputs(result);
		expect(rows.filter((row) => row.action === 'remove')).toEqual([]);
		expect(rows.filter((row) => row.outcome === 'needs attention')).toHaveLength(2);
		expect(report).toMatchObject({ outcome: 'needs attention', planned: 6, done: 6 });
		expect(report!.summary).toContain(
			'Not recorded: 1 planned on the Deactivate/Remove output of Reconcile Users, which has nothing connected.',
		);
		expect(app.collection('users').some((user) => user.externalId === '3')).toBe(true);
	});

	it('in a dry run records the whole plan as skipped and writes nothing', async () => {
		const result = await runWorkflow(syncWorkflow({ reconcile: { dryRun: true } }));
		expect(result.status).toBe('success');
		const { rows, report, attention } = auditOutputs(result);
		expect(rows.filter((row) => row.action !== 'conflict').map((row) => row.outcome)).toEqual(
			Array(7).fill('skipped: dry run'),
		);
		expect(report).toMatchObject({
			outcome: 'needs attention',
			dry_run: true,
			planned: 7,
			done: 0,
		});
		expect(attention).toHaveLength(1);
		expect(app.audit()).toEqual([]);
		expect(result.runData['Invite user']).toBeUndefined();
	});

	it('records a tripped safety rail and every operation it held back', async () => {
		const result = await runWorkflow(
			syncWorkflow({ hr: [], reconcile: { rails: { onTrip: 'plan' } } }),
		);
		expect(result.status).toBe('success');
		const { rows, report } = auditOutputs(result);
		expect(rows.map(brief)).toEqual([
			'blocked emptyHr needs attention',
			'remove 1 needs attention',
			'remove 2 needs attention',
			'remove 3 needs attention',
		]);
		expect(rows[1].message).toMatch(/^Not sent: a safety rail held the run back/);
		expect(report).toMatchObject({ outcome: 'blocked', planned: 3, done: 0 });
		expect(report!.blocked_rail).toMatch(/^emptyHr: /);
		expect(app.audit()).toEqual([]);
	});

	it('with "Apply Updates, Hold Back Creates and Removals", records the updates it sent by their write results and only the held-back operations as not sent', async () => {
		app.addWriteFault({
			person: '2',
			status: 422,
			message: 'Validation failed: lastName is locked',
		});
		const result = await runWorkflow(
			syncWorkflow({ reconcile: { rails: { maxRemovals: 0, onTrip: 'holdBack' } } }),
		);
		expect(result.status).toBe('success');
		const { rows, report } = auditOutputs(result);
		expect(rows.filter((row) => row.action !== 'conflict').map(brief)).toEqual([
			'blocked maxRemovals needs attention',
			'update 2 failed 422',
			'createFirst group F09 needs attention',
			'createFirst store S09 needs attention',
			'create 4 needs attention',
			'create 5 needs attention',
			'create 6 needs attention',
			'remove 3 needs attention',
		]);
		expect(rows.find((row) => row.action === 'update')!.message).toBe(
			'Validation failed: lastName is locked',
		);
		expect(rows.find((row) => row.action === 'remove')!.message).toMatch(
			/^Not sent: a safety rail/,
		);
		expect(report).toMatchObject({ outcome: 'blocked', failed: 1, done: 0 });
		expect(report!.failed_people).toContain('update: 422 Validation failed: lastName is locked');
	});

	it('fails, naming the write node, when the nodes on the Plan output sit above a write node', async () => {
		const result = await runWorkflow(syncWorkflow({ planY: -500 }));
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(
			/^Sync Audit made its report before "(Invite user|Update user|Remove user)" had written/,
		);
	});

	it('fails when write results arrive and the Plan input is not connected', async () => {
		const result = await runWorkflow(syncWorkflow({ planConnected: false }));
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			'Sync Audit received write results, but nothing arrived on its Plan input',
		);
	});
});

describe('Sync Audit: creates the app refuses because the record exists already', () => {
	it('records them as "skipped: exists already" (not failed) when the app names the record’s own external ID; another person’s e-mail is still a failure', async () => {
		// The workflow's App input is read first; then, before the writes, another run creates
		// person 6 and group F09, and someone else takes person 4's e-mail address.
		const workflow = syncWorkflow();
		app.seed('users', [
			...app.collection('users'),
			{ ...mobieUser('6'), id: 'u6', groups: ['F01'], stores: ['S01'] },
			{ ...mobieUser('x4'), id: 'ux4', email: 'p4@example.com' },
		]);
		app.seed('groups', [...app.collection('groups'), { externalId: 'F09', name: 'Buyer' }]);
		const result = await runWorkflow(workflow);
		expect(result.status).toBe('success');
		const { rows, report } = auditOutputs(result);
		expect(rows.filter((row) => row.action !== 'conflict').map(brief)).toEqual([
			'createFirst group F09 skipped: exists already 422',
			'createFirst store S09 done',
			'create 4 failed 422',
			'create 5 done',
			'create 6 skipped: exists already 422',
			'update 2 done',
			'remove 3 done',
		]);
		const byKey = new Map(rows.map((row) => [`${row.action} ${row.external_id}`, row]));
		expect(byKey.get('create 6')).toMatchObject({
			message: expect.stringMatching(/externalId "6" is already taken/),
			app_id: null,
		});
		expect(byKey.get('create 4')!.message).toMatch(/email "p4@example\.com" is already taken/);
		expect(report).toMatchObject({ outcome: 'failed', planned: 7, done: 4, failed: 1 });
		expect(JSON.parse(report!.counts_json)).toMatchObject({
			create: { planned: 3, done: 1, failed: 1, existing: 1 },
			createFirst: { planned: 2, done: 1, existing: 1 },
		});
		expect(report!.counts).toContain('create 1/3 done, 1 failed, 1 existed already');
		expect(report!.summary).toContain('7 operations planned: 4 done, 2 existed already, 1 failed');
		expect(report!.failed_people).toBe(
			'First4 Last4 (4), create: 422 Validation failed: email "p4@example.com" is already taken',
		);
		// Still exactly one user 6 in the app.
		expect(app.collection('users').filter((user) => user.externalId === '6')).toHaveLength(1);
	});
});
