/**
 * The SCIM 2.0 target preset: users read in their SCIM form, compared the SCIM way, planned as
 * SCIM requests (User resources to create, PatchOps to change). Plain data in, plan out.
 */
import type { IDataObject } from 'n8n-workflow';

import { ReconcileConfigError, type Plan, type PlanItem } from '../../nodes/ReconcileUsers/engine';
import { readPatchOperations } from '../../nodes/Scim/helpers/patch';
import { userResource } from '../../nodes/ReconcileUsers/engine/targets/scimPayloads';
import { resourceToCreate } from '../../nodes/Scim/helpers/resources';
import { afasRow, bobEmployee, plan, type Row } from './fixtures';
import {
	ENTERPRISE,
	PATCH_OP,
	USER,
	allOperations,
	scimGroup,
	scimUser,
	scimUserForAfas,
} from './scimApp';

const scim = (hr: Row[], app: Row[], config: Record<string, unknown> = {}) =>
	plan(hr, app, { target: 'scim', rails: { maxRemovalPercent: 100 }, ...config });

/** The one user item of HR item `i` (membership items left out). */
function userItem(result: Plan, i: number): PlanItem {
	const found = [
		...result.create,
		...result.update,
		...result.remove,
		...result.unchanged,
		...result.conflicts,
	].filter((item) => item.hrIndex === i && item.members === undefined);
	expect(found).toHaveLength(1);
	return found[0];
}

const operations = (item: PlanItem) => (item.payload as { Operations: unknown[] }).Operations;

describe('SCIM 2.0 target: comparing', () => {
	it('compares userName and the work email without case: Jan@Corp.nl and jan@corp.nl are the same', () => {
		const hr = [afasRow('1', { email: 'Jan@Corp.nl' })];
		const app = [scimUserForAfas('1', { userName: 'jan@corp.nl' })];
		(app[0].emails as IDataObject[])[0].value = 'JAN@corp.NL';
		const result = scim(hr, app);
		expect(userItem(result, 0).action).toBe('unchanged');
		// And the other way round: the app keeps capitals HR does not have.
		const back = scim(
			[afasRow('1', { email: 'jan@corp.nl' })],
			[
				scimUserForAfas('1', {
					userName: 'Jan@Corp.nl',
					emails: [{ value: 'Jan@Corp.nl', type: 'work', primary: true }],
				}),
			],
		);
		expect(userItem(back, 0).action).toBe('unchanged');
	});

	it('compares the work email, not the order of emails or their other attributes', () => {
		const app = scimUserForAfas('1', {
			emails: [
				{ value: 'private@example.net', type: 'home' },
				{ value: 'p1@example.com', type: 'work', primary: true, display: 'Work' },
			],
		});
		expect(userItem(scim([afasRow('1')], [app]), 0).action).toBe('unchanged');
		const moved = scim([afasRow('1', { email: 'first1@example.com' })], [app]);
		const item = userItem(moved, 0);
		expect(item.action).toBe('update');
		expect(item.changes).toEqual([
			{ field: 'userName', from: 'p1@example.com', to: 'first1@example.com' },
			{ field: 'emails', from: 'p1@example.com', to: 'first1@example.com' },
		]);
		expect(operations(item)).toEqual([
			{ op: 'replace', path: 'userName', value: 'first1@example.com' },
			{
				op: 'replace',
				path: 'emails',
				value: [{ value: 'first1@example.com', type: 'work', primary: true }],
			},
		]);
	});

	it('reads attributes the app leaves out as empty, and app users without externalId as unmanaged', () => {
		const bare = scimUser('s1', { userName: 'p1@example.com', email: 'p1@example.com' });
		const admin = scimUser('admin', { userName: 'admin@example.com' });
		const result = scim([afasRow('1')], [bare, admin]);
		const item = userItem(result, 0);
		expect(item.action).toBe('update');
		expect(item.matchedBy).toBe('email');
		expect(item.changes.map((change) => [change.field, change.from])).toEqual([
			['externalId', null],
			['name.givenName', null],
			['name.familyName', null],
			['displayName', null],
			[`${ENTERPRISE}:employeeNumber`, null],
			[`${ENTERPRISE}:department`, null],
		]);
		expect(result.unchanged.map((unchanged) => [unchanged.action, unchanged.appId])).toEqual([
			['ignore', 'admin'],
		]);
	});

	it('a user without active is a conflict, not a guess', () => {
		const user = scimUserForAfas('1');
		delete user.active;
		const result = scim([afasRow('1'), afasRow('2')], [user, scimUserForAfas('2')]);
		expect(userItem(result, 0).conflict?.code).toBe('unknownAppStatus');
		expect(userItem(result, 1).action).toBe('unchanged');
	});

	it('reads active written as text in any case ("True", "FALSE"), as Entra-era apps send it', () => {
		const hr = [
			afasRow('1'),
			afasRow('2'),
			afasRow('3'),
			afasRow('4', { employementEndDate: '2020-01-01' }),
		];
		const app = [
			{ ...scimUserForAfas('1'), active: 'True' },
			{ ...scimUserForAfas('2'), active: ' true ' },
			{ ...scimUserForAfas('3'), active: 'False' },
			{ ...scimUserForAfas('4'), active: 'FALSE' },
		];
		const result = scim(hr, app);
		expect(result.conflicts).toEqual([]);
		expect([0, 1, 2, 3].map((i) => userItem(result, i).action)).toEqual([
			'unchanged',
			'unchanged',
			'reactivate',
			'unchanged',
		]);
		const unknown = scim([afasRow('1')], [{ ...scimUserForAfas('1'), active: 'yes please' }]);
		expect(userItem(unknown, 0).conflict?.code).toBe('unknownAppStatus');
	});

	it('refuses an App input that is not SCIM users, naming the attributes it lacks', () => {
		const mobieUser = { id: 'u1', externalId: '1', email: 'p1@example.com', status: 'active' };
		expect(() => scim([afasRow('1')], [mobieUser])).toThrow(ReconcileConfigError);
		expect(() => scim([afasRow('1')], [mobieUser])).toThrow(/"userName".*"active"/);
	});
});

describe('SCIM 2.0 target: payloads', () => {
	it('creates the full User resource with its schemas, ready for the SCIM node’s Create', () => {
		const result = scim([afasRow('1')], []);
		const [item] = result.create;
		expect(item.payload).toEqual({
			schemas: [USER, ENTERPRISE],
			externalId: '1',
			userName: 'p1@example.com',
			name: { givenName: 'First1', familyName: 'Last1' },
			displayName: 'First1 Last1',
			emails: [{ value: 'p1@example.com', type: 'work', primary: true }],
			active: true,
			[ENTERPRISE]: { employeeNumber: '1', department: 'Store Utrecht' },
		});
		// The SCIM 2.0 node's Create (User JSON = {{ $json.payload }}) sends it as it is.
		expect(resourceToCreate(item.payload as IDataObject, 'User')).toEqual(item.payload);
	});

	it('lists the enterprise schema only when an enterprise attribute is set', () => {
		expect(
			userResource({
				userName: 'a@example.com',
				name: { givenName: 'Ann', familyName: null },
				displayName: 'Ann',
				emails: 'a@example.com',
				department: null,
				active: true,
			}),
		).toEqual({
			schemas: [USER],
			userName: 'a@example.com',
			name: { givenName: 'Ann' },
			displayName: 'Ann',
			emails: [{ value: 'a@example.com', type: 'work', primary: true }],
			active: true,
		});
	});

	it('updates with a PatchOp: one replace per changed attribute, enterprise attributes by URN path', () => {
		const hr = [
			afasRow('1', {
				firstName: 'Anouk',
				lastName: 'de Vries',
				organizationName: 'Finance',
			}),
		];
		const result = scim(hr, [scimUserForAfas('1')]);
		const item = userItem(result, 0);
		expect(item.action).toBe('update');
		expect(item.appId).toBe('s1');
		expect(item.payload).toEqual({
			schemas: [PATCH_OP],
			Operations: [
				{ op: 'replace', path: 'name.givenName', value: 'Anouk' },
				{ op: 'replace', path: 'name.familyName', value: 'de Vries' },
				{ op: 'replace', path: 'displayName', value: 'Anouk de Vries' },
				{ op: 'replace', path: `${ENTERPRISE}:department`, value: 'Finance' },
			],
		});
		expect(item.changes.map((change) => change.field)).toEqual([
			'name.givenName',
			'name.familyName',
			'displayName',
			`${ENTERPRISE}:department`,
		]);
		// The SCIM 2.0 node's Update (Operations JSON = {{ $json.payload }}) reads it as it is.
		expect(readPatchOperations(item.payload)).toEqual(operations(item));
	});

	it('removes a value HR cleared instead of writing an empty one', () => {
		const result = scim([afasRow('1', { organizationName: null })], [scimUserForAfas('1')]);
		expect(userItem(result, 0).payload).toEqual({
			schemas: [PATCH_OP],
			Operations: [{ op: 'remove', path: `${ENTERPRISE}:department` }],
		});
		for (const operation of allOperations(result))
			if (operation.op !== 'remove') expect(operation.value).not.toBeNull();
	});

	it('never blanks an identity field: an empty HR external ID is a conflict, not a PatchOp', () => {
		const hr = [afasRow('1', { externalId: null }), afasRow('2', { externalId: null })];
		const result = scim(hr, [scimUserForAfas('1')]);
		expect(result.update).toEqual([]);
		expect(result.create).toEqual([]);
		expect(result.conflicts.map((item) => [item.conflict?.code, item.appId, item.reason])).toEqual([
			['missingRequiredField', 's1', expect.stringContaining('"externalId"') as string],
			['missingRequiredField', null, expect.stringContaining('"externalId"') as string],
		]);
	});

	it('an empty HR email is a conflict, never a create or a blanked userName', () => {
		const hr = [afasRow('1', { email: null }), afasRow('2', { email: '  ' })];
		const result = scim(hr, [scimUserForAfas('2')]);
		expect(result.create).toEqual([]);
		expect(result.update).toEqual([]);
		expect(result.conflicts.map((item) => [item.conflict?.code, item.reason])).toEqual([
			['missingRequiredField', expect.stringContaining('"userName"') as string],
			['missingRequiredField', expect.stringContaining('"userName"') as string],
		]);
	});

	it('deactivates a leaver with a PatchOp setting active to false', () => {
		const hr = [afasRow('1', { employementEndDate: '2026-03-31T00:00:00Z' })];
		const result = scim(hr, [scimUserForAfas('1'), scimUserForAfas('9')]);
		expect(result.remove.map((item) => [item.action, item.appId, item.payload])).toEqual([
			[
				'deactivate',
				's1',
				{ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] },
			],
			[
				'deactivate',
				's9',
				{ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'active', value: false }] },
			],
		]);
		expect(result.remove[0].changes).toEqual([{ field: 'active', from: true, to: false }]);
	});

	it('leaves an already deactivated leaver alone', () => {
		const hr = [afasRow('1', { employementEndDate: '2026-03-31T00:00:00Z' })];
		const result = scim(hr, [scimUserForAfas('1', { active: false })]);
		expect(userItem(result, 0).action).toBe('unchanged');
	});

	it('reactivates a rehire: active true first, then the changes, in one PatchOp', () => {
		const hr = [afasRow('1', { lastName: 'Jansen' })];
		const result = scim(hr, [scimUserForAfas('1', { active: false })]);
		const item = userItem(result, 0);
		expect(item.action).toBe('reactivate');
		expect(operations(item)).toEqual([
			{ op: 'replace', path: 'active', value: true },
			{ op: 'replace', path: 'name.familyName', value: 'Jansen' },
			{ op: 'replace', path: 'displayName', value: 'First1 Jansen' },
		]);
	});

	it('removes with DELETE when Leaver Action is Remove: no payload, the SCIM id as appId', () => {
		const result = scim([], [scimUserForAfas('9')], {
			leaverAction: 'remove',
			rails: { minHrPercent: 0, maxRemovalPercent: 100 },
		});
		// An empty HR input is held back by the always-on rail; the item is planned all the same.
		expect(result.remove.map((item) => [item.action, item.appId, item.payload])).toEqual([
			['remove', 's9', null],
		]);
	});

	it('points items at the App input: the resource as it came in, its App item index', () => {
		const groups = [scimGroup('g1', 'Sales', 'F01')];
		const users = [scimUserForAfas('1'), scimUserForAfas('2', { displayName: 'Old' })];
		const result = scim([afasRow('1'), afasRow('2')], [...groups, ...users]);
		const item = userItem(result, 1);
		expect(item.app).toBe(users[1]);
		expect(item.appIndex).toBe(2);
		expect(userItem(result, 0).appIndex).toBe(1);
	});
});

describe('SCIM 2.0 target: managers (enterprise manager.value = the manager’s SCIM id)', () => {
	const boss = bobEmployee('100');
	const report = bobEmployee('200', {
		work: { reportsTo: { id: '100', email: 'e100@example.com' } },
	});
	const bobScim = (id: string, extra: Parameters<typeof scimUser>[1] = {}) =>
		scimUser(`s${id}`, {
			externalId: id,
			userName: `e${id}@example.com`,
			givenName: `Bob${id}`,
			familyName: `Surname${id}`,
			displayName: `Bob${id} Surname${id}`,
			email: `e${id}@example.com`,
			employeeNumber: id,
			department: 'D01',
			...extra,
		});

	it('resolves the manager to its SCIM id on create and on update', () => {
		const created = scim([boss, report], [bobScim('100')], { source: 'hibob' });
		expect(created.create[0].manager).toMatchObject({ status: 'resolved', appId: 's100' });
		expect((created.create[0].payload as Row)[ENTERPRISE]).toEqual({
			employeeNumber: '200',
			department: 'D01',
			manager: { value: 's100' },
		});
		const updated = scim([boss, report], [bobScim('100'), bobScim('200')], { source: 'hibob' });
		expect(operations(userItem(updated, 1))).toEqual([
			{ op: 'replace', path: `${ENTERPRISE}:manager`, value: { value: 's100' } },
		]);
		const same = scim([boss, report], [bobScim('100'), bobScim('200', { manager: 's100' })], {
			source: 'hibob',
		});
		expect(userItem(same, 1).action).toBe('unchanged');
	});

	it('a manager created in this run is created first and linked on the next run', () => {
		const result = scim([report, boss], [], { source: 'hibob' });
		expect(result.create.map((item) => item.hrIndex)).toEqual([1, 0]);
		const item = result.create[1];
		expect(item.manager).toMatchObject({ status: 'createdInThisRun', externalId: '100' });
		expect((item.payload as Row)[ENTERPRISE]).toEqual({ employeeNumber: '200', department: 'D01' });
	});

	it('a manager not in scope is reported and the app’s manager left as it is', () => {
		const gone = bobEmployee('100', { internal: { status: 'Inactive' } });
		const app = [bobScim('100', { active: false }), bobScim('200', { manager: 's100' })];
		const result = scim([gone, report], app, { source: 'hibob' });
		const item = userItem(result, 1);
		expect(item.manager).toMatchObject({ status: 'notInScope', externalId: '100' });
		expect(item.action).toBe('unchanged');
	});

	it('HR naming no manager removes the app’s manager', () => {
		const result = scim(
			[boss, bobEmployee('200')],
			[bobScim('100'), bobScim('200', { manager: 's100' })],
			{
				source: 'hibob',
			},
		);
		expect(operations(userItem(result, 1))).toEqual([
			{ op: 'remove', path: `${ENTERPRISE}:manager` },
		]);
	});
});

describe('SCIM 2.0 target: settings', () => {
	it('refuses Groups From with another target, and values other than job and org', () => {
		expect(() => plan([afasRow('1')], [], { groupsFrom: ['job'] })).toThrow(
			/Groups From manages SCIM Groups, but the App Target is MobieTrain-style/,
		);
		expect(() => scim([afasRow('1')], [], { groupsFrom: ['team'] })).toThrow(
			/Groups From must be "job" and\/or "org"/,
		);
	});

	it('takes the SCIM field names as Extra Create-Only Fields', () => {
		const result = scim([afasRow('1', { organizationName: 'Finance' })], [scimUserForAfas('1')], {
			extraCreateOnlyFields: ['department'],
		});
		expect(userItem(result, 0).action).toBe('unchanged');
	});
});
