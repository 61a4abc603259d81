/**
 * Reconcile Users in n8n's engine (n8n-core WorkflowExecute, in process): both inputs, empty
 * inputs, dry run, safety rails, errors, custom and records mode, pairedItem.
 */
import { DateTime } from 'luxon';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { runNode, type NodeRunOptions } from '../../helpers/n8n';
import { afasRow, bobEmployee, declareeUser, mobieUser } from '../../engine/fixtures';

const CREATE = 0;
const UPDATE = 1;
const REMOVE = 2;
const UNCHANGED = 3;
const CONFLICTS = 4;
const CREATE_FIRST = 5;
const PLAN = 6;

const AS_OF = '2026-04-01';

function reconcileNode(
	hr: IDataObject[],
	app: IDataObject[],
	parameters: IDataObject = {},
	extra: Partial<NodeRunOptions> = {},
) {
	return runNode({
		type: 'reconcileUsers',
		parameters: { referenceDate: AS_OF, ...parameters },
		inputs: [hr, app],
		...extra,
	});
}

const actions = (items: INodeExecutionData[]) => items.map((item) => item.json.action);

// A second-day MobieTrain situation: one of each kind.
const hr = [
	afasRow('1'),
	afasRow('2', { lastName: 'Moved', functionId: 'F02', functionDescription: 'Manager' }),
	afasRow('3', { employementEndDate: '2026-03-31T00:00:00Z' }),
	afasRow('4', {
		employmentStartDate: '2026-04-01T00:00:00Z',
		organizationId: 'S99',
		organizationName: 'New store',
	}),
	afasRow('5', { employmentStartDate: '2026-09-01T00:00:00Z' }),
	afasRow('6'),
	// Two records of one person, both current and different: a conflict.
	afasRow('6', { lastName: 'Other' }),
] as IDataObject[];
const app = [
	mobieUser('1'),
	mobieUser('2'),
	mobieUser('3'),
	mobieUser('7', { status: 'invited', invitedAt: '2025-06-01T08:00:00Z' }),
	mobieUser('admin', { externalId: null, email: 'admin@example.com', id: 'admin' }),
	...Array.from({ length: 20 }, (_, i) => mobieUser(String(100 + i))),
] as IDataObject[];
const hrWithStaff = [
	...hr,
	...Array.from({ length: 20 }, (_, i) => afasRow(String(100 + i)) as IDataObject),
];

describe('Reconcile Users node', () => {
	it('routes each decision to its output, with reason, changes, payload and pairedItem', async () => {
		const result = await reconcileNode(hrWithStaff, app, { leaverAction: 'remove' });
		expect(result.status).toBe('success');
		expect(result.outputs).toHaveLength(7);

		expect(actions(result.outputs[CREATE])).toEqual(['create']);
		const created = result.outputs[CREATE][0];
		expect(created.pairedItem).toEqual({ item: 3, input: 0 });
		expect(created.json.payload).toMatchObject({ externalId: '4', stores: ['S99'] });

		const updated = result.outputs[UPDATE][0];
		expect(updated.json).toMatchObject({ action: 'update', matchedBy: 'externalId', appId: 'u2' });
		expect(updated.json.changes).toEqual([
			{ field: 'lastName', from: 'Last2', to: 'Moved' },
			{ field: 'jobDescription', from: 'Sales', to: 'Manager' },
			{ field: 'groups', from: ['F01'], to: ['F02'] },
		]);
		expect(updated.pairedItem).toEqual({ item: 1, input: 0 });

		// The leaver (HR item 2) points at HR; the app-only invitation (App item 3) at the App input.
		expect(
			result.outputs[REMOVE].map((item) => [item.json.action, item.json.appId, item.pairedItem]),
		).toEqual([
			['remove', 'u3', { item: 2, input: 0 }],
			['remove', 'u7', { item: 3, input: 1 }],
		]);
		expect(String(result.outputs[REMOVE][1].json.reason)).toContain('pending invitation');

		expect(actions(result.outputs[UNCHANGED]).sort()).toEqual(
			[...Array(21).fill('unchanged'), 'ignore', 'wait'].sort(),
		);
		expect(
			result.outputs[CONFLICTS].map((item) => [
				item.json.action,
				(item.json.conflict as IDataObject).code,
				item.pairedItem,
			]),
		).toEqual([
			['conflict', 'duplicateHrKey', { item: 5, input: 0 }],
			['conflict', 'duplicateHrKey', { item: 6, input: 0 }],
		]);
		expect(
			result.outputs[CREATE_FIRST].map((item) => [
				item.json.kind,
				item.json.payload,
				item.pairedItem,
			]),
		).toEqual([
			['group', { externalId: 'F02', name: 'Manager' }, { item: 1, input: 0 }],
			['store', { externalId: 'S99', name: 'New store' }, { item: 3, input: 0 }],
		]);

		const [summary] = result.outputs[PLAN];
		expect(result.outputs[PLAN]).toHaveLength(1);
		expect(summary.json).toMatchObject({
			action: 'summary',
			asOf: AS_OF,
			timeZone: 'Europe/Amsterdam',
			dryRun: false,
			blocked: null,
		});
		expect(summary.json.counts).toMatchObject({
			create: 1,
			update: 1,
			remove: 2,
			unchanged: 21,
			conflict: 2,
			createFirst: 2,
			wait: 1,
			ignore: 1,
		});
	});

	it('every output item has the documented fields', async () => {
		const result = await reconcileNode(hrWithStaff, app);
		for (const output of result.outputs.slice(0, PLAN)) {
			for (const item of output) {
				expect(Object.keys(item.json)).toEqual(
					expect.arrayContaining([
						'action',
						'reason',
						'matchedBy',
						'hr',
						'app',
						'appId',
						'changes',
						'payload',
					]),
				);
				expect(typeof item.json.reason).toBe('string');
				expect(item.pairedItem).toBeDefined();
				// Unmapped HR fields are left out, not sent as undefined.
				expect(Object.values((item.json.hr as IDataObject | null) ?? {})).not.toContain(undefined);
			}
		}
	});

	it('first sync: an empty App input creates everyone', async () => {
		const result = await reconcileNode([afasRow('1'), afasRow('2')] as IDataObject[], []);
		expect(result.status).toBe('success');
		expect(actions(result.outputs[CREATE])).toEqual(['create', 'create']);
		expect(result.outputs[PLAN][0].pairedItem).toEqual([{ item: 0, input: 0 }]);
	});

	it('an empty HR input (n8n hands the node no items) refuses removals with the counts', async () => {
		const result = await reconcileNode([], [mobieUser('1'), mobieUser('2')] as IDataObject[]);
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			'Safety rail: the HR input is empty, so nothing is removed (2 of 2 managed app users would have been deactivated or removed)',
		);
		expect(result.error?.description).toContain(
			'Check the node before Reconcile Users on the HR input',
		);
	});

	it('an empty HR input with "Send Plan to Output" sends the plan to the Plan output only', async () => {
		const result = await reconcileNode([], [mobieUser('1')] as IDataObject[], {
			rails: { onTrip: 'plan' },
		});
		expect(result.status).toBe('success');
		expect(result.outputs.slice(0, PLAN).every((items) => items.length === 0)).toBe(true);
		expect(actions(result.outputs[PLAN])).toEqual(['summary', 'deactivate']);
		expect(result.outputs[PLAN][0].json.blocked).toMatchObject({ rail: 'emptyHr' });
		expect(result.outputs[PLAN][1].pairedItem).toEqual({ item: 0, input: 1 });
	});

	it('dry run: the whole plan on the Plan output, summary first, nothing on the action outputs', async () => {
		const result = await reconcileNode(hrWithStaff, app, { dryRun: true });
		expect(result.status).toBe('success');
		expect(result.outputs.slice(0, PLAN).map((items) => items.length)).toEqual([0, 0, 0, 0, 0, 0]);
		const plan = result.outputs[PLAN];
		expect(plan[0].json).toMatchObject({ action: 'summary', dryRun: true });
		expect(String(plan[0].json.reason)).toContain('dry run');
		expect(actions(plan.slice(1, 4))).toEqual(['createFirst', 'createFirst', 'create']);
		// Summary, two create-first items, one item per HR record, and the two app-only users.
		expect(plan).toHaveLength(1 + 2 + hrWithStaff.length + 2);
	});

	it('dry run with a tripped rail (Fail the Node): the plan with "blocked", not an error', async () => {
		// The rail's own error tells the user to turn on Dry Run to review: that must work.
		const staff = Array.from({ length: 30 }, (_, i) => mobieUser(String(i))) as IDataObject[];
		const hrRows = staff
			.slice(0, 22)
			.map((user) => afasRow(String(user.externalId)) as IDataObject);
		const result = await reconcileNode(hrRows, staff, { dryRun: true, rails: { maxRemovals: 5 } });
		expect(result.status).toBe('success');
		expect(result.outputs.slice(0, PLAN).map((items) => items.length)).toEqual([0, 0, 0, 0, 0, 0]);
		const plan = result.outputs[PLAN];
		expect(plan[0].json).toMatchObject({ dryRun: true, blocked: { rail: 'maxRemovals' } });
		expect(String(plan[0].json.reason)).toContain('blocked by a safety rail');
		expect(actions(plan).filter((action) => action === 'deactivate')).toHaveLength(8);
		expect(plan.every((item) => item.pairedItem !== undefined)).toBe(true);
	});

	it('a tripped removal rail fails the node with the counts and the settings to change', async () => {
		const staff = Array.from({ length: 30 }, (_, i) => mobieUser(String(i))) as IDataObject[];
		const hrRows = staff
			.slice(0, 22)
			.map((user) => afasRow(String(user.externalId)) as IDataObject);
		const result = await reconcileNode(hrRows, staff, { rails: { maxRemovals: 5 } });
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			'Safety rail: 8 of 30 managed app users (26.7%) would be deactivated or removed, more than both "Max Removals" = 5 and "Max Removals (%)" = 5% (a limit of 5 here)',
		);
		expect(result.error?.description).toContain('Dry Run');
		// Both limits must be exceeded: a percentage above 26.7 % lets the 8 through.
		const raised = await reconcileNode(hrRows, staff, {
			rails: { maxRemovals: 5, maxRemovalPercent: 30 },
		});
		expect(raised.status).toBe('success');
		expect(raised.outputs[REMOVE]).toHaveLength(8);
		// The defaults (50, or 5 %) allow them too: a small company's leavers never trip it.
		expect((await reconcileNode(hrRows, staff)).outputs[REMOVE]).toHaveLength(8);
	});

	it('a mapping that does not fit the data fails with the field name', async () => {
		const rows = [afasRow('1')].map(
			({ employmentStartDate: _omit, ...row }) => row,
		) as IDataObject[];
		const result = await reconcileNode(rows, []);
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			'HR field "employmentStartDate" (startDate) is missing on all 1 HR items',
		);
	});

	it('with "continue on fail", an error goes to the Plan output, never to an action output', async () => {
		const result = await reconcileNode(
			[],
			[mobieUser('1')] as IDataObject[],
			{},
			{ settings: { continueOnFail: true } },
		);
		expect(result.status).toBe('success');
		expect(result.outputs.slice(0, PLAN).every((items) => items.length === 0)).toBe(true);
		expect(result.outputs[PLAN][0].json).toMatchObject({ action: 'error' });
		expect(String(result.outputs[PLAN][0].json.error)).toContain('the HR input is empty');
	});

	it('rejects a reference date that is not a date', async () => {
		const result = await reconcileNode([afasRow('1')] as IDataObject[], [], {
			referenceDate: '1 april',
		});
		expect(result.error?.message).toBe('Reference Date "1 april" is not a date');
	});

	it('uses today in the workflow time zone when no reference date is set', async () => {
		const zone = 'Pacific/Kiritimati';
		const before = DateTime.now().setZone(zone).toISODate();
		const result = await reconcileNode(
			[afasRow('1')] as IDataObject[],
			[],
			{ referenceDate: '' },
			{ timezone: zone },
		);
		const after = DateTime.now().setZone(zone).toISODate();
		expect([before, after]).toContain(result.outputs[PLAN][0].json.asOf);
		expect(result.outputs[PLAN][0].json.timeZone).toBe(zone);
	});

	it('takes the calendar date of a date-time reference (as an expression would give it)', async () => {
		const result = await reconcileNode(
			[afasRow('1', { employementEndDate: '2026-03-31' })] as IDataObject[],
			[mobieUser('1')] as IDataObject[],
			{
				referenceDate: '2026-04-01T00:30:00.000+02:00',
			},
		);
		expect(result.outputs[REMOVE].map((item) => item.json.action)).toEqual(['deactivate']);
	});

	it('HiBob into Declaree: manager resolved to the app user ID, leavers disabled', async () => {
		const bob = [
			bobEmployee('1'),
			bobEmployee('2', {
				work: {
					reportsTo: {
						id: '1',
						email: 'e1@example.com',
						firstName: 'B',
						surname: 'S',
						displayName: 'B S',
					},
				},
			}),
			bobEmployee('3', { internal: { status: 'Inactive', lifecycleStatus: 'Terminated' } }),
		] as IDataObject[];
		const users = [declareeUser('1'), declareeUser('2'), declareeUser('3')] as IDataObject[];
		const result = await reconcileNode(bob, users, { source: 'hibob', target: 'declaree' });
		expect(result.outputs[UPDATE][0].json).toMatchObject({
			appId: 'd2',
			payload: { managerId: 'd1' },
			manager: { status: 'resolved' },
		});
		expect(result.outputs[REMOVE][0].json).toMatchObject({
			action: 'deactivate',
			appId: 'd3',
			payload: { enabled: false },
		});
	});

	it('custom source and target through the node parameters', async () => {
		const people = [
			{
				nr: 'A1',
				mail: 'a1@example.com',
				given: 'Ann',
				family: 'One',
				since: '2020-01-01',
				until: null,
			},
			{
				nr: 'A2',
				mail: 'a2@example.com',
				given: 'Bo',
				family: 'Two',
				since: '2020-01-01',
				until: null,
			},
		];
		const users = [
			{
				key: 'u-a1',
				employee: 'A1',
				mail: 'A1@example.com',
				fullName: 'x',
				first: 'Ann',
				last: 'Old',
				active: true,
			},
		];
		const result = await reconcileNode(people, users, {
			source: 'custom',
			hrFields: {
				externalId: 'nr',
				email: 'mail',
				firstName: 'given',
				lastName: 'family',
				startDate: 'since',
				endDate: 'until',
			},
			target: 'custom',
			appIdField: 'key',
			appExternalIdField: 'employee',
			appEmailField: 'mail',
			appStatusType: 'boolean',
			appStatusField: 'active',
			appFields: {
				field: [
					{ app: 'employee', from: 'externalId', compare: 'text' },
					{ app: 'mail', from: 'email', compare: 'email', required: true },
					{ app: 'first', from: 'firstName' },
					{ app: 'last', from: 'lastName' },
				],
			},
		});
		expect(result.status).toBe('success');
		expect(result.outputs[UPDATE][0].json).toMatchObject({
			appId: 'u-a1',
			payload: { last: 'One' },
		});
		expect(result.outputs[CREATE][0].json.payload).toEqual({
			employee: 'A2',
			mail: 'a2@example.com',
			first: 'Bo',
			last: 'Two',
		});
	});

	it('records mode: communities from an AFAS organisation connector', async () => {
		const units = [
			{ OrgUnit: 'OU1', OrgUnitDesc: 'Utrecht' },
			{ OrgUnit: 'OU2', OrgUnitDesc: 'Zwolle' },
		];
		const communities = [
			{ id: 'c1', externalId: 'OU1', name: 'Utrecht (old)' },
			{ id: 'c3', externalId: 'OU3', name: 'Closed' },
		];
		const result = await reconcileNode(units, communities, {
			mode: 'records',
			recordKind: 'community',
			hrKeyField: 'OrgUnit',
			appKeyField: 'externalId',
			recordFields: { field: [{ hr: 'OrgUnitDesc', app: 'name' }] },
			rails: { maxRemovalPercent: 100 },
		});
		expect(result.status).toBe('success');
		expect(result.outputs[CREATE][0].json.payload).toEqual({ externalId: 'OU2', name: 'Zwolle' });
		expect(result.outputs[UPDATE][0].json).toMatchObject({
			appId: 'c1',
			payload: { name: 'Utrecht' },
		});
		expect(result.outputs[REMOVE][0].json).toMatchObject({ action: 'remove', appId: 'c3' });
		expect(result.outputs[REMOVE][0].pairedItem).toEqual({ item: 1, input: 1 });
	});

	it('never copies HR fields outside the mapping (such as a BSN) into its output', async () => {
		const row = {
			EmployeeId: '42',
			BSN: '123456782',
			DateOfBirth: '1990-01-01',
			FirstName: 'Ann',
			PrefixBirthName: null,
			BirthName: 'Visser',
			Mail: 'ann@example.com',
			EmploymentStart: '2020-01-01T00:00:00Z',
			EmploymentEnd: null,
		};
		const result = await reconcileNode([row], [], { source: 'afasProfitEmployees', dryRun: true });
		const text = JSON.stringify(result.outputs);
		expect(text).toContain('Visser');
		expect(text).not.toContain('123456782');
		expect(text).not.toContain('1990-01-01');
	});
});
