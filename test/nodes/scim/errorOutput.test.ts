/**
 * The SCIM examples' wiring in n8n's engine: a write the app refuses goes to the SCIM 2.0 node's
 * error output (On Error: Continue (using error output)), and Sync Audit records it as failed with
 * the app's status, never as done.
 */
import type { IDataObject, INode } from 'n8n-workflow';

import type { AuditRow, RunRow } from '../../../nodes/SyncAudit/audit/types';
import { startScimSandbox, type ScimSandbox } from '../../../sandbox/scim/server';
import { bobEmployee } from '../../engine/fixtures';
import { runWorkflow, workflowNode as node, type WorkflowJson } from '../../helpers/n8n';
import { scimCredentials, seedUsers } from './helpers';

let sandbox: ScimSandbox;

beforeEach(async () => {
	sandbox = await startScimSandbox();
});
afterEach(async () => sandbox.close());

/** HR and App items → Reconcile Users (SCIM) → Update user (SCIM 2.0) → Sync Audit. */
function workflow(
	hr: object[],
	appUsers: IDataObject[],
	onError: INode['onError'] = 'continueErrorOutput',
): WorkflowJson {
	const to = (target: string, index = 0) => [{ node: target, type: 'main' as const, index }];
	return {
		name: 'SCIM error output',
		nodes: [
			node('Start', 'test.trigger', [0, 0]),
			node('HR', 'test.items', [200, -100], { items: JSON.stringify(hr) }),
			node('App', 'test.items', [200, 100], { items: JSON.stringify(appUsers) }),
			node('Reconcile Users', 'reconcileUsers', [400, 0], {
				mode: 'people',
				source: 'hibob',
				target: 'scim',
				leaverAction: 'deactivate',
				rails: { onTrip: 'plan' },
			}),
			node(
				'Update user',
				'scim',
				[700, 100],
				{
					resource: 'user',
					operation: 'update',
					userId: '={{ $json.appId }}',
					define: 'json',
					operationsJson: '={{ $json.payload }}',
				},
				{ onError },
			),
			node('Audit table', 'test.items', [700, 500], { items: JSON.stringify([{ id: 't' }]) }),
			node('Sync Audit', 'syncAudit', [1000, 200], { hrSystem: 'HiBob', app: 'SCIM' }),
		],
		connections: {
			Start: { main: [[...to('HR'), ...to('App')]] },
			HR: { main: [to('Reconcile Users')] },
			App: { main: [to('Reconcile Users', 1)] },
			'Reconcile Users': {
				main: [[], to('Update user'), [], [], [], [], to('Audit table')],
			},
			'Update user': { main: [to('Sync Audit', 1), to('Sync Audit', 1)] },
			'Audit table': { main: [to('Sync Audit')] },
		},
	};
}

/** The audit rows and the run report of Sync Audit's report run. */
function auditOf(result: Awaited<ReturnType<typeof runWorkflow>>) {
	const outputs = (result.runData['Sync Audit'] ?? []).find(
		(run) => (run.data?.main?.[1] ?? []).length > 0,
	)!.data!.main;
	return {
		rows: (outputs[0] ?? []).map((item) => item.json as unknown as AuditRow),
		report: outputs[1]?.[0]?.json as unknown as RunRow,
	};
}

/** Person 1 is updated; person 2's user is gone from the app since it was listed (PATCH: 404). */
function twoUpdates(): { hr: object[]; app: IDataObject[] } {
	const [kept] = sandbox.setUsers(
		seedUsers(1, () => ({ externalId: '1', userName: 'e1@example.com' })),
	);
	const user = (id: string, externalId: string) => ({
		...kept,
		id,
		externalId,
		userName: `e${externalId}@example.com`,
		name: { givenName: 'Old', familyName: 'Name' },
	});
	return {
		hr: [bobEmployee('1'), bobEmployee('2')],
		app: [user(String(kept.id), '1'), user('gone-2', '2')],
	};
}

describe('SCIM 2.0 writes with Continue On Fail, recorded by Sync Audit', () => {
	it('On Error: Continue (using error output): a refused update goes to the error output and is recorded as failed', async () => {
		const { hr, app } = twoUpdates();
		const result = await runWorkflow(workflow(hr, app), {
			credentials: scimCredentials(sandbox),
		});
		expect(result.error).toBeUndefined();
		const [success, failure] = result.runData['Update user'][0].data!.main;
		expect((success ?? []).map((item) => item.json.externalId)).toStrictEqual(['1']);
		expect(
			(failure ?? []).map((item) => [
				item.json.action,
				item.json.appId,
				item.json.error,
				(item.json.details as { httpCode?: string }).httpCode,
			]),
		).toEqual([['update', 'gone-2', 'The app has no User with id "gone-2" (404)', '404']]);

		const { rows, report } = auditOf(result);
		expect(rows.map((row) => [row.action, row.external_id, row.outcome, row.http_status])).toEqual([
			['update', '1', 'done', null],
			['update', '2', 'failed', 404],
		]);
		expect(rows[1].message).toMatch(/^The app has no User with id "gone-2" \(404\)/);
		expect(report).toMatchObject({ done: 1, failed: 1 });
	});

	it('On Error: Continue (regular output): the error item is recorded as failed, not done', async () => {
		const { hr, app } = twoUpdates();
		const result = await runWorkflow(workflow(hr, app, 'continueRegularOutput'), {
			credentials: scimCredentials(sandbox),
		});
		expect(result.error).toBeUndefined();
		const [items] = result.runData['Update user'][0].data!.main;
		expect(Object.keys(items![1].json).sort()).toEqual(['description', 'error', 'httpCode']);
		const { rows, report } = auditOf(result);
		expect(rows.map((row) => [row.action, row.external_id, row.outcome, row.http_status])).toEqual([
			['update', '1', 'done', null],
			['update', '2', 'failed', 404],
		]);
		expect(rows[1].message).toMatch(/^The app has no User with id "gone-2" \(404\)/);
		expect(report).toMatchObject({ done: 1, failed: 1 });
	});
});
