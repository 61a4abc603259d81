/**
 * The SCIM 2.0 target under the lifecycle and field rules every target follows: the groups to
 * create first that matched people need (`neededByUpdates`, which a tripped rail that holds back
 * creates and removals still lets through). Plain data in, plan out.
 */
import type { Plan, PlanItem } from '../../nodes/ReconcileUsers/engine';
import { afasRow, itemFor, plan, type Row } from './fixtures';
import { MemoryScimApp, scimGroup, scimUserForAfas } from './scimApp';

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
