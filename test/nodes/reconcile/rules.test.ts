/**
 * Reconcile Users in n8n's engine: the options of the lifecycle and field rules (Scope, the
 * deletion marker, Reactivate Users Matched by Email Only, Compare As, Used to Match or Log
 * In) and what a tripped rail does with "Apply Updates, Hold Back Creates and Removals".
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { runNode } from '../../helpers/n8n';
import { afasRow, bobEmployee, declareeUser, mobieUser } from '../../engine/fixtures';

const [CREATE, UPDATE, REMOVE, UNCHANGED, CONFLICTS, CREATE_FIRST, PLAN] = [0, 1, 2, 3, 4, 5, 6];

function reconcileNode(hr: IDataObject[], app: IDataObject[], parameters: IDataObject = {}) {
	return runNode({
		type: 'reconcileUsers',
		parameters: { referenceDate: '2026-04-01', ...parameters },
		inputs: [hr, app],
	});
}

const actions = (items: INodeExecutionData[]) => items.map((item) => item.json.action);

describe('Scope and the deletion marker', () => {
	it('a HiBob "Employee" item for a deleted employee deactivates; other app users are left alone', async () => {
		const result = await reconcileNode(
			[{ id: '2', deleted: true, event: { type: 'employee.deleted' } }],
			[declareeUser('1'), declareeUser('2')] as IDataObject[],
			{ source: 'hibob', target: 'declaree', scope: 'inputOnly' },
		);
		expect(result.status).toBe('success');
		expect(result.outputs[REMOVE].map((item) => item.json)).toMatchObject([
			{ action: 'deactivate', appId: 'd2', payload: { enabled: false } },
		]);
		expect(result.outputs[REMOVE][0].pairedItem).toEqual({ item: 0, input: 0 });
		expect(result.outputs[UNCHANGED].map((item) => [item.json.action, item.json.appId])).toEqual([
			['ignore', 'd1'],
		]);
		expect(result.outputs[PLAN][0].json).toMatchObject({ scope: 'inputOnly', blocked: null });
	});

	it('a webhook run about one joiner creates them and removes no one', async () => {
		const result = await reconcileNode(
			[bobEmployee('9')] as IDataObject[],
			[declareeUser('1'), declareeUser('2')] as IDataObject[],
			{ source: 'hibob', target: 'declaree', scope: 'inputOnly' },
		);
		expect(actions(result.outputs[CREATE])).toEqual(['create']);
		expect(result.outputs[REMOVE]).toEqual([]);
		// Scope Everyone (the default) reads the same input as the whole company: every other
		// user a leaver, held back here by the small-HR rail.
		const everyone = await reconcileNode(
			[bobEmployee('9')] as IDataObject[],
			[declareeUser('1'), declareeUser('2'), declareeUser('3')] as IDataObject[],
			{ source: 'hibob', target: 'declaree' },
		);
		expect(everyone.status).toBe('error');
		expect(everyone.error?.message).toContain('"Min HR Size (% of App)"');
	});

	it('a trigger’s items with Scope left at Everyone stop the node with the Scope to set', async () => {
		// Two HiBob Trigger items and three app users: no rail would trip, and the third user
		// would be deactivated.
		const event = { type: 'employee.updated', triggeredAt: '2026-03-02T08:00:00.123456' };
		const result = await reconcileNode(
			[
				{ ...bobEmployee('1'), event },
				{ ...bobEmployee('2'), event },
			] as IDataObject[],
			[declareeUser('1'), declareeUser('2'), declareeUser('3')] as IDataObject[],
			{ source: 'hibob', target: 'declaree' },
		);
		expect(result.status).toBe('error');
		expect(result.error?.message).toContain('but Scope is "Everyone"');
		expect(result.error?.description).toContain('Set Scope to "Only the People in the HR Input"');
	});

	it('a custom HR mapping names its own deletion marker', async () => {
		const result = await reconcileNode(
			[{ nr: '1', state: { gone: true } }],
			[mobieUser('1')] as IDataObject[],
			{
				source: 'custom',
				hrFields: { externalId: 'nr', email: 'mail', deleted: 'state.gone' },
				scope: 'inputOnly',
				leaverAction: 'remove',
			},
		);
		expect(result.status).toBe('success');
		expect(result.outputs[REMOVE].map((item) => item.json)).toMatchObject([
			{ action: 'remove', appId: 'u1' },
		]);
	});

	it('records mode: Deletion Marker Field and Scope', async () => {
		const result = await reconcileNode(
			[{ OrgUnit: 'OU2', gone: 'true' }],
			[
				{ id: 'c1', externalId: 'OU1', name: 'One' },
				{ id: 'c2', externalId: 'OU2', name: 'Two' },
			],
			{
				mode: 'records',
				recordKind: 'community',
				hrKeyField: 'OrgUnit',
				recordFields: { field: [{ hr: 'OrgUnitDesc', app: 'name' }] },
				recordDeletedField: 'gone',
				scope: 'inputOnly',
			},
		);
		expect(result.status).toBe('success');
		expect(result.outputs[REMOVE].map((item) => item.json.appId)).toEqual(['c2']);
		expect(actions(result.outputs[UNCHANGED])).toEqual(['ignore']);
	});
});

describe('Reactivate Users Matched by Email Only', () => {
	const hire = [afasRow('2001', { email: 'sam@example.com' })] as IDataObject[];
	const old = [
		mobieUser('x', {
			id: 'u-old',
			externalId: null,
			email: 'sam@example.com',
			status: 'deactivated',
		}),
	] as IDataObject[];

	it('off (the default): a conflict to confirm; on: reactivated', async () => {
		const off = await reconcileNode(hire, old);
		expect(off.outputs[CONFLICTS].map((item) => item.json.conflict)).toEqual([
			{ code: 'emailReuseOfDeactivatedUser', hrIndexes: [0], appIndexes: [0] },
		]);
		expect(off.outputs[UPDATE]).toEqual([]);
		const on = await reconcileNode(hire, old, {
			peopleOptions: { reactivateEmailOnlyMatches: true },
		});
		expect(on.outputs[UPDATE].map((item) => [item.json.action, item.json.appId])).toEqual([
			['reactivate', 'u-old'],
		]);
	});
});

describe('custom app fields: Compare As and Used to Match or Log In', () => {
	const parameters: IDataObject = {
		source: 'custom',
		hrFields: { externalId: 'nr', email: 'mail', startDate: 'since', jobId: 'costCentre' },
		target: 'custom',
		appStatusType: 'boolean',
		appStatusField: 'active',
		appFields: {
			field: [
				{ app: 'externalId', from: 'externalId' },
				// Compare As left out: the row's default, Automatic (a start date as a date).
				{ app: 'email', from: 'email' },
				{ app: 'login', from: 'email', identity: true },
				{ app: 'startDate', from: 'startDate' },
				{ app: 'costCentre', from: 'jobId', compare: 'number' },
			],
		},
	};
	const user = {
		id: 'a1',
		externalId: '1',
		email: 'P1@example.com',
		login: 'p1@example.com',
		startDate: '2025-04-01T00:00:00.000Z',
		costCentre: '1004',
		active: true,
	};

	it('values of the same meaning are unchanged', async () => {
		const result = await reconcileNode(
			[{ nr: '1', mail: 'p1@example.com', since: '2025-04-01', costCentre: 1004 }],
			[user],
			parameters,
		);
		expect(result.status).toBe('success');
		expect(actions(result.outputs[UNCHANGED])).toEqual(['unchanged']);
	});

	it('a new cost centre is sent as a number; an empty login is a conflict, not a blank', async () => {
		const moved = await reconcileNode(
			[{ nr: '1', mail: 'p1@example.com', since: '2025-04-01', costCentre: '1005' }],
			[user],
			parameters,
		);
		expect(moved.outputs[UPDATE][0].json.payload).toEqual({ costCentre: 1005 });
		const blank = await reconcileNode(
			[{ nr: '1', mail: null, since: '2025-04-01', costCentre: 1004 }],
			[user],
			parameters,
		);
		expect(blank.outputs[UPDATE]).toEqual([]);
		expect(blank.outputs[CONFLICTS][0].json).toMatchObject({
			conflict: { code: 'missingRequiredField' },
		});
	});
});

describe('When a Safety Rail Trips: Apply Updates, Hold Back Creates and Removals', () => {
	// 20 managed users: 4 leave, 2 are renamed, one moves to a new group, one joins.
	const app = Array.from({ length: 20 }, (_, i) => mobieUser(String(i + 1))) as IDataObject[];
	const hr = Array.from({ length: 16 }, (_, i) => {
		const id = String(i + 1);
		if (id === '5' || id === '6') return afasRow(id, { lastName: 'Renamed' });
		if (id === '7') return afasRow(id, { functionId: 'F09', functionDescription: 'New job' });
		return afasRow(id);
	}) as IDataObject[];
	hr.push(afasRow('30', { organizationId: 'S30', organizationName: 'New store' }) as IDataObject);
	const rails = { maxRemovals: 2, maxRemovalPercent: 10 };

	it('updates (and the groups they need) go out; creates and removals wait on the Plan output', async () => {
		const result = await reconcileNode(hr, app, { rails: { ...rails, onTrip: 'holdBack' } });
		expect(result.status).toBe('success');
		expect(result.outputs[UPDATE].map((item) => item.json.appId)).toEqual(['u5', 'u6', 'u7']);
		expect(result.outputs[CREATE]).toEqual([]);
		expect(result.outputs[REMOVE]).toEqual([]);
		expect(result.outputs[CREATE_FIRST].map((item) => item.json.payload)).toEqual([
			{ externalId: 'F09', name: 'New job' },
		]);
		expect(result.outputs[UNCHANGED]).toHaveLength(13);
		const plan = result.outputs[PLAN];
		expect(plan[0].json).toMatchObject({ action: 'summary', blocked: { rail: 'maxRemovals' } });
		expect(String(plan[0].json.reason)).toContain(
			'updates sent to their outputs, 5 creates and removals held back on the Plan output',
		);
		expect(actions(plan.slice(1))).toEqual([
			'createFirst',
			'create',
			'deactivate',
			'deactivate',
			'deactivate',
			'deactivate',
		]);
		expect(plan[1].json.payload).toEqual({ externalId: 'S30', name: 'New store' });
	});

	it('Fail the Node (the default) sends nothing; Send Plan to Output sends all to Plan', async () => {
		const failed = await reconcileNode(hr, app, { rails });
		expect(failed.status).toBe('error');
		expect(failed.error?.message).toContain('more than both "Max Removals" = 2');
		const planned = await reconcileNode(hr, app, { rails: { ...rails, onTrip: 'plan' } });
		expect(planned.outputs.slice(0, PLAN).every((items) => items.length === 0)).toBe(true);
		expect(planned.outputs[PLAN]).toHaveLength(1 + 2 + hr.length + 4);
	});

	it('a plan within the rails is routed as usual', async () => {
		const result = await reconcileNode(hr, app, { rails: { onTrip: 'holdBack' } });
		expect(result.outputs[REMOVE]).toHaveLength(4);
		expect(result.outputs[CREATE]).toHaveLength(1);
		expect(String(result.outputs[PLAN][0].json.reason)).toContain('sent to the outputs');
	});
});

describe('an input that is one API answer holding the list', () => {
	// An HTTP Request node outputs the whole answer as one item unless it is split.
	const users = [mobieUser('1'), mobieUser('2')] as IDataObject[];
	const splitOut = (key: string) =>
		`add a Split Out node (Fields To Split Out: ${key}) before this input`;

	it('App input { users: [...] }: the error names the list and the Split Out node', async () => {
		const result = await reconcileNode([afasRow('1')] as IDataObject[], [{ users, total: 2 }]);
		expect(result.status).toBe('error');
		expect(result.error?.message).toContain('missing on all 1 App items');
		expect(result.error?.description).toContain(splitOut('users'));
	});

	it('HR input { rows: [...] } (people and records mode) and a plain miss without the hint', async () => {
		const rows = [afasRow('1'), afasRow('2')] as IDataObject[];
		const people = await reconcileNode([{ rows }], users);
		expect(people.error?.description).toContain(splitOut('rows'));
		const records = await reconcileNode([{ rows: [{ OrgUnit: 'OU1', OrgUnitDesc: 'A' }] }], [], {
			mode: 'records',
			hrKeyField: 'OrgUnit',
			appKeyField: 'externalId',
			recordIdField: 'id',
			recordFields: { field: [{ hr: 'OrgUnitDesc', app: 'name' }] },
		});
		expect(records.error?.description).toContain(splitOut('rows'));
		const plain = await reconcileNode([{ nr: '1' }, { nr: '2' }], users);
		expect(plain.error?.message).toContain('missing on all 2 HR items');
		expect(plain.error?.description).not.toContain('Split Out');
	});
});

describe('a deletion marker without a key the HR Source reads', () => {
	it('is a conflict that says the person keeps access and what to fix; nobody else is touched', async () => {
		// A HiBob-style item ({ id, deleted }) given to the AFAS preset, which reads externalId.
		const result = await reconcileNode(
			[{ id: '2', deleted: true }],
			[mobieUser('1'), mobieUser('2')] as IDataObject[],
			{ scope: 'inputOnly' },
		);
		expect(result.status).toBe('success');
		expect(result.outputs[REMOVE]).toEqual([]);
		const conflict = result.outputs[CONFLICTS][0];
		expect(conflict.json.conflict).toMatchObject({ code: 'missingKey', hrIndexes: [0] });
		expect(conflict.json.reason).toContain('is marked deleted in HR but has no external ID');
		expect(conflict.json.reason).toContain('Give the item the key field the HR Source reads');
		expect(conflict.pairedItem).toEqual({ item: 0, input: 0 });
	});
});
