/**
 * The SCIM 2.0 target under the lifecycle and field rules every target follows: identity fields
 * and comparison by kind, Scope "Only the People in the HR Input" (app-only SCIM users and their
 * groups left alone), and the groups to create first that matched people need (`neededByUpdates`,
 * which a tripped rail that holds back creates and removals still lets through). Plain data in,
 * plan out.
 */
import type { Plan, PlanItem } from '../../nodes/ReconcileUsers/engine';
import { isIdentityField } from '../../nodes/ReconcileUsers/engine/items';
import { TARGET_PRESETS } from '../../nodes/ReconcileUsers/engine';
import { afasRow, itemFor, plan, type Row } from './fixtures';
import { MemoryScimApp, scimGroup, scimUserForAfas } from './scimApp';

const ZWSP = '\u200B';
const NBSP = '\u00A0';

const scim = (hr: Row[], app: Row[], config: Record<string, unknown> = {}) =>
	plan(hr, app, { target: 'scim', rails: { maxRemovalPercent: 100 }, ...config });

const withGroups = (hr: Row[], app: Row[], config: Record<string, unknown> = {}) =>
	scim(hr, app, { groupsFrom: ['job', 'org'], ...config });

const membership = (result: Plan) =>
	result.update.filter((item) => item.action === 'groupAdd' || item.action === 'groupRemove');

const summaryOf = (item: PlanItem) => [item.action, item.groupId, item.memberIds];

/** Sales (job F01) and Store Utrecht (organisation S01) with the given members. */
function seedGroups(salesMembers: string[], storeMembers: string[]): Row[] {
	return [
		scimGroup('g-sales', 'Sales', 'F01', salesMembers),
		scimGroup('g-utrecht', 'Store Utrecht', 'S01', storeMembers),
	];
}

describe('SCIM target: identity fields and comparison by kind', () => {
	it('userName, externalId and emails are the identity fields; employeeNumber is not', () => {
		const target = TARGET_PRESETS.scim;
		const identity = target.fields
			.filter((field) => isIdentityField(target, field))
			.map((field) => field.app);
		expect(identity).toEqual(['userName', 'externalId', 'emails']);
	});

	it('invisible characters in the app’s keys and names are no change and no second account', () => {
		const app = [
			scimUserForAfas('1', {
				externalId: `1${ZWSP}`,
				userName: `${NBSP}P1@Example.com`,
				displayName: `First1${ZWSP} Last1`,
			}),
		];
		const result = scim([afasRow('1')], app);
		expect(itemFor(result, 0)).toMatchObject({
			action: 'unchanged',
			matchedBy: 'externalId',
		});
		expect(result.create).toEqual([]);
	});

	it('an HR email with a zero-width space is created clean, and the next run is unchanged', () => {
		const app = new MemoryScimApp();
		const hr = [afasRow('1', { email: `${ZWSP}Jan@Corp.NL ` })];
		const first = scim(hr, app.list({ groups: false }));
		expect(first.create[0].payload).toMatchObject({
			userName: 'jan@corp.nl',
			emails: [{ value: 'jan@corp.nl', type: 'work', primary: true }],
		});
		app.apply(first);
		expect(itemFor(scim(hr, app.list({ groups: false })), 0).action).toBe('unchanged');
	});

	it('a matched user whose HR email went empty is a conflict on the identity fields, never a blank', () => {
		const result = scim([afasRow('1', { email: '' })], [scimUserForAfas('1')]);
		expect(itemFor(result, 0)).toMatchObject({
			action: 'conflict',
			conflict: { code: 'missingRequiredField' },
		});
		expect(result.update).toEqual([]);
	});
});

describe('SCIM target: groups that matched people need are needed by updates', () => {
	// 1 moves to a job whose group the app does not have; 2 is kept (its job's group is missing
	// too, e.g. Groups From was just turned on); 3 is rehired (reactivated) into a third missing
	// job; 4 and 5 join, one of them into the first missing job; 6 stays in Sales.
	const hr = [
		afasRow('1', { functionId: 'F03', functionDescription: 'Cook' }),
		afasRow('2', { functionId: 'F04', functionDescription: 'Driver' }),
		afasRow('3', { functionId: 'F05', functionDescription: 'Baker' }),
		afasRow('4', { functionId: 'F03', functionDescription: 'Cook' }),
		afasRow('5', { functionId: 'F06', functionDescription: 'Cleaner' }),
		afasRow('6'),
	];
	const users = [
		scimUserForAfas('1'),
		scimUserForAfas('2'),
		scimUserForAfas('3', { active: false }),
		scimUserForAfas('6'),
	];
	const groups = seedGroups(['s1', 's2', 's3', 's6'], ['s1', 's2', 's3', 's6']);
	const app = [...users, ...groups];

	it('counts the people with an app user in neededByUpdates, joiners only in neededBy', () => {
		const result = withGroups(hr, app);
		expect(itemFor(result, 2).action).toBe('reactivate');
		expect(
			result.createFirst.map((item) => [
				item.group?.externalId,
				item.neededBy,
				item.neededByUpdates,
			]),
		).toEqual([
			['F03', 2, 1],
			['F04', 1, 1],
			['F05', 1, 1],
			['F06', 1, 0],
		]);
	});

	it('no membership item names a group created in this run: members join on the next run', () => {
		const result = withGroups(hr, app);
		const existing = new Set(['g-sales', 'g-utrecht']);
		expect(membership(result).every((item) => existing.has(item.groupId!))).toBe(true);
		expect(membership(result).map(summaryOf)).toEqual([
			['groupRemove', 'g-sales', ['s1', 's2', 's3']],
		]);
	});

	it('what a held-back run lets through (groups matched people need, updates) converges', () => {
		const memory = new MemoryScimApp(users, groups);
		const first = withGroups(hr, memory.list());
		// What "Apply Updates, Hold Back Creates and Removals" sends: the updates (memberships
		// included) and the create-first items updates need; the creates wait.
		memory.apply({
			...first,
			createFirst: first.createFirst.filter((item) => (item.neededByUpdates ?? 0) > 0),
			create: [],
			remove: [],
		});
		const next = withGroups(hr, memory.list());
		expect(next.createFirst.map((item) => [item.group?.externalId, item.neededByUpdates])).toEqual([
			['F06', 0],
		]);
		expect(
			membership(next).map((item) => [item.action, item.group?.externalId, item.memberIds]),
		).toEqual([
			['groupAdd', 'F03', ['s1']],
			['groupAdd', 'F04', ['s2']],
			['groupAdd', 'F05', ['s3']],
		]);
		expect(next.create.map((item) => item.hrIndex)).toEqual([3, 4]);
	});
});

describe('SCIM target in scope "Only the People in the HR Input"', () => {
	const inputOnly = { scope: 'inputOnly' };
	// Three SCIM users; s1 is in no group yet, s2 and s3 are in both.
	const app = [
		scimUserForAfas('1'),
		scimUserForAfas('2'),
		scimUserForAfas('3'),
		...seedGroups(['s2', 's3'], ['s2', 's3']),
	];

	it('app-only SCIM users are left alone, with their groups; only people in the input join', () => {
		const result = withGroups([afasRow('1')], app, inputOnly);
		expect(result.remove).toEqual([]);
		expect(result.unchanged.map((item) => [item.action, item.appId])).toEqual([
			['unchanged', 's1'],
			['ignore', 's2'],
			['ignore', 's3'],
		]);
		expect(membership(result).map(summaryOf)).toEqual([
			['groupAdd', 'g-sales', ['s1']],
			['groupAdd', 'g-utrecht', ['s1']],
		]);
		expect(result.summary).toMatchObject({ scope: 'inputOnly', blocked: null });
		// App items point at the App input (ignore items too).
		expect(result.unchanged.map((item) => item.appIndex)).toEqual([0, 1, 2]);
		// In scope Everyone the same input makes the other two leavers.
		expect(withGroups([afasRow('1')], app).remove.map((item) => item.appId)).toEqual(['s2', 's3']);
	});

	it('the App input may hold only the users found for the people in the input', () => {
		// 1 moves to a new store; 2 changes job to Sales' (F01), whose group 2 is in already.
		const hr = [
			afasRow('1', { organizationId: 'S02', organizationName: 'Store Zwolle' }),
			afasRow('2', { lastName: 'Jansen' }),
		];
		const whole = withGroups(hr, app, inputOnly);
		const found = withGroups(hr, [app[0], app[1], ...app.slice(3)], inputOnly);
		const forPeople = (result: Plan) => [
			[...result.update, ...result.unchanged]
				.filter((item) => item.hrIndex >= 0 && item.members === undefined)
				.map((item) => [item.hrIndex, item.action]),
			result.createFirst.map((item) => [item.group?.externalId, item.neededByUpdates]),
			membership(result).map(summaryOf),
			result.warnings,
		];
		expect(forPeople(whole)).toEqual([
			[
				[0, 'update'],
				[1, 'update'],
			],
			[['S02', 1]],
			[['groupAdd', 'g-sales', ['s1']]],
			[],
		]);
		expect(forPeople(found)).toEqual(forPeople(whole));
	});

	it('a person deleted in HR is a leaver who keeps their groups; other users are left alone', () => {
		const result = withGroups([{ externalId: '2', deleted: true }], app, inputOnly);
		expect(result.remove.map((item) => [item.action, item.appId, item.payload])).toEqual([
			[
				'deactivate',
				's2',
				{
					schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
					Operations: [{ op: 'replace', path: 'active', value: false }],
				},
			],
		]);
		expect(membership(result)).toEqual([]);
		expect(result.createFirst).toEqual([]);
		expect(result.unchanged.map((item) => item.action)).toEqual(['ignore', 'ignore']);
	});

	it('a mover leaves a group of a code the input has; one the input lacks is left for Everyone', () => {
		// 2 and 3 move from Sales (F01) to Barista (F02); 1 is still in Sales.
		const barista = { functionId: 'F02', functionDescription: 'Barista' };
		const groups = [
			...seedGroups(['s2', 's3'], ['s2', 's3']),
			scimGroup('g-barista', 'Barista', 'F02'),
		];
		const users = app.slice(0, 3);
		const withSales = withGroups(
			[afasRow('1'), afasRow('2', barista)],
			[...users, ...groups],
			inputOnly,
		);
		expect(membership(withSales).map(summaryOf)).toEqual([
			['groupRemove', 'g-sales', ['s2']],
			['groupAdd', 'g-sales', ['s1']],
			['groupAdd', 'g-barista', ['s2']],
			['groupAdd', 'g-utrecht', ['s1']],
		]);
		// Only 3 in the input: Sales' code is not in it, so whether HR still has it cannot be told.
		const alone = withGroups([afasRow('3', barista)], [...users, ...groups], inputOnly);
		expect(membership(alone).map(summaryOf)).toEqual([['groupAdd', 'g-barista', ['s3']]]);
		expect(alone.warnings).toEqual([
			'1 user this sync manages is in 1 SCIM group whose externalId no job or organisation in the HR input has (e.g. "Sales", externalId "F01"): those memberships are left as they are. Scope is "Only the People in the HR Input", so HR may still have that job or organisation (a mover\'s old one): a run in scope Everyone takes movers out of their old groups.',
		]);
		// The run in scope Everyone (everyone in the input) takes 3 out of Sales.
		const everyone = withGroups(
			[afasRow('1'), afasRow('2'), afasRow('3', barista)],
			[...users, ...groups],
		);
		expect(membership(everyone).map(summaryOf)).toContainEqual(['groupRemove', 'g-sales', ['s3']]);
	});
});
