/**
 * The SCIM 2.0 target with Groups From: SCIM Groups named after the HR job and organisation,
 * created first once each, memberships changed by PatchOps on the groups; and whole plans applied
 * to an in-memory SCIM app until nothing is left to do. Plain data in, plan out.
 */
import type { Plan, PlanItem } from '../../nodes/ReconcileUsers/engine';
import { readPatchOperations } from '../../nodes/Scim/helpers/patch';
import { afasRow, plan, type Row } from './fixtures';
import {
	ENTERPRISE,
	GROUP,
	MemoryScimApp,
	PATCH_OP,
	allOperations,
	scimGroup,
	scimUserForAfas,
} from './scimApp';

const withGroups = (hr: Row[], app: Row[], config: Record<string, unknown> = {}) =>
	plan(hr, app, {
		target: 'scim',
		groupsFrom: ['job', 'org'],
		rails: { maxRemovalPercent: 100 },
		...config,
	});

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

describe('SCIM groups from job and organisation: create first', () => {
	it('lists each missing group once, jobs first, with neededBy and a Group resource', () => {
		const hr = [
			afasRow('1', {
				functionId: 'F10',
				functionDescription: 'Barista',
				organizationId: 'S20',
				organizationName: 'Store Zwolle',
			}),
			afasRow('2', { functionId: 'F10', functionDescription: 'Barista' }),
			afasRow('3', {
				functionId: 'F11',
				functionDescription: 'Cook',
				organizationId: 'S20',
				organizationName: 'Store Zwolle',
			}),
		];
		const result = withGroups(hr, [scimUserForAfas('3'), ...seedGroups([], [])]);
		expect(
			result.createFirst.map((item) => [item.kind, item.group?.from, item.payload, item.neededBy]),
		).toEqual([
			['group', 'job', { schemas: [GROUP], displayName: 'Barista', externalId: 'F10' }, 2],
			['group', 'job', { schemas: [GROUP], displayName: 'Cook', externalId: 'F11' }, 1],
			['group', 'org', { schemas: [GROUP], displayName: 'Store Zwolle', externalId: 'S20' }, 2],
		]);
		expect(result.createFirst.map((item) => item.hrIndex)).toEqual([0, 2, 0]);
		expect(result.summary.counts.createFirst).toBe(3);
	});

	it('finds existing groups by externalId, else by displayName among groups without one', () => {
		const hr = [afasRow('1')];
		const byName = [
			scimGroup('g-sales', 'sales ', undefined),
			scimGroup('g-ut', 'Store Utrecht', undefined),
		];
		const result = withGroups(hr, [...byName]);
		expect(result.createFirst).toEqual([]);
		expect(result.create).toHaveLength(1);
		// A group whose externalId is someone else's is not taken by its name.
		const taken = withGroups(hr, [
			scimGroup('g-x', 'Sales', 'OTHER'),
			...seedGroups([], []).slice(1),
		]);
		expect(taken.createFirst.map((item) => item.group?.externalId)).toEqual(['F01']);
	});

	it('does not create a group nobody planned needs (leavers, conflicts)', () => {
		const hr = [
			afasRow('1', { functionId: 'F90', employementEndDate: '2026-03-01T00:00:00Z' }),
			afasRow('2', { functionId: 'F91', email: null }),
		];
		const result = withGroups(hr, [scimUserForAfas('1'), ...seedGroups([], [])]);
		expect(result.createFirst).toEqual([]);
	});
});

describe('SCIM groups from job and organisation: memberships', () => {
	it('adds users to their groups with one PatchOp per group, members by SCIM id', () => {
		const hr = [afasRow('1'), afasRow('2')];
		const app = [scimUserForAfas('1'), scimUserForAfas('2'), ...seedGroups(['s2'], [])];
		const result = withGroups(hr, app);
		expect(membership(result).map(summaryOf)).toEqual([
			['groupAdd', 'g-sales', ['s1']],
			['groupAdd', 'g-utrecht', ['s1', 's2']],
		]);
		const [, store] = membership(result);
		expect(store.payload).toEqual({
			schemas: [PATCH_OP],
			Operations: [{ op: 'add', path: 'members', value: [{ value: 's1' }, { value: 's2' }] }],
		});
		expect(store.members).toEqual([
			{ appId: 's1', hrIndex: 0, externalId: '1', email: 'p1@example.com' },
			{ appId: 's2', hrIndex: 1, externalId: '2', email: 'p2@example.com' },
		]);
		expect(store.group).toEqual({
			id: 'g-utrecht',
			displayName: 'Store Utrecht',
			externalId: 'S01',
			from: 'org',
		});
		expect(store.appIndex).toBe(3);
		expect(result.summary.counts).toMatchObject({
			update: 0,
			unchanged: 2,
			groupAdd: 2,
			groupRemove: 0,
		});
		// The user items stay unchanged: memberships are the groups' business.
		expect(result.unchanged.map((item) => item.action)).toEqual(['unchanged', 'unchanged']);
	});

	it('splits a large membership change into PatchOps of at most 100 users each', () => {
		const ids = Array.from({ length: 250 }, (_, i) => String(i + 1));
		const result = withGroups(
			ids.map((id) => afasRow(id)),
			[
				...ids.map((id) => scimUserForAfas(id)),
				...seedGroups(
					ids.map((id) => `s${id}`),
					[],
				),
			],
		);
		const items = membership(result);
		expect(items.map((item) => [item.groupId, item.memberIds?.length])).toEqual([
			['g-utrecht', 100],
			['g-utrecht', 100],
			['g-utrecht', 50],
		]);
		expect(items.flatMap((item) => item.memberIds)).toEqual(ids.map((id) => `s${id}`));
		expect(result.summary.counts.groupAdd).toBe(3);
	});

	it('moves a mover: out of the old job’s group, into the new one', () => {
		const hr = [afasRow('1', { functionId: 'F02', functionDescription: 'Barista' }), afasRow('2')];
		const app = [
			scimUserForAfas('1'),
			scimUserForAfas('2'),
			...seedGroups(['s1', 's2'], ['s1', 's2']),
			scimGroup('g-barista', 'Barista', 'F02'),
		];
		const result = withGroups(hr, app);
		expect(membership(result).map(summaryOf)).toEqual([
			['groupRemove', 'g-sales', ['s1']],
			['groupAdd', 'g-barista', ['s1']],
		]);
		expect(membership(result)[0].payload).toEqual({
			schemas: [PATCH_OP],
			Operations: [{ op: 'remove', path: 'members[value eq "s1"]' }],
		});
	});

	it('a mover into a group that does not exist yet leaves the old group now and joins next run', () => {
		const hr = [afasRow('1', { functionId: 'F03', functionDescription: 'Cook' }), afasRow('2')];
		const app = [
			scimUserForAfas('1'),
			scimUserForAfas('2'),
			...seedGroups(['s1', 's2'], ['s1', 's2']),
		];
		const result = withGroups(hr, app);
		expect(result.createFirst.map((item) => item.group?.externalId)).toEqual(['F03']);
		expect(membership(result).map(summaryOf)).toEqual([['groupRemove', 'g-sales', ['s1']]]);
	});

	it('an organisation HR cleared leaves its group; one HR left out of the record is left alone', () => {
		const cleared = withGroups(
			[afasRow('1', { organizationId: null, organizationName: null }), afasRow('2')],
			[
				scimUserForAfas('1', { [ENTERPRISE]: { employeeNumber: '1' } }),
				scimUserForAfas('2'),
				...seedGroups(['s1', 's2'], ['s1', 's2']),
			],
		);
		expect(membership(cleared).map(summaryOf)).toEqual([['groupRemove', 'g-utrecht', ['s1']]]);
		const row = afasRow('1');
		delete row.organizationId;
		const missing = withGroups(
			[row, afasRow('2')],
			[scimUserForAfas('1'), scimUserForAfas('2'), ...seedGroups(['s1', 's2'], ['s1', 's2'])],
		);
		expect(membership(missing)).toEqual([]);
	});

	it('leaves a group whose code no HR record has any more as it is, with a warning', () => {
		const hr = [afasRow('1', { functionId: 'F02', functionDescription: 'Barista' })];
		const app = [
			scimUserForAfas('1'),
			...seedGroups(['s1'], ['s1']),
			scimGroup('g-barista', 'Barista', 'F02', ['s1']),
		];
		const result = withGroups(hr, app);
		expect(membership(result)).toEqual([]);
		expect(result.warnings).toEqual([
			'1 user this sync manages is in 1 SCIM group whose externalId no HR job or organisation has (e.g. "Sales", externalId "F01"): those memberships are left as they are. If such a group stood for a job or organisation that is gone, delete it in the app or remove its members.',
		]);
	});

	it('leaves the memberships of leavers, joiners created in this run and unmanaged users alone', () => {
		const hr = [
			afasRow('1', { employementEndDate: '2026-03-31T00:00:00Z', functionId: 'F02' }),
			afasRow('2'),
			afasRow('3', { employementEndDate: '2026-03-31T00:00:00Z' }),
		];
		const admin = scimUserForAfas('x', { externalId: undefined, id: 'admin' });
		delete admin.externalId;
		const app = [
			scimUserForAfas('1'),
			scimUserForAfas('3', { active: false }),
			admin,
			...seedGroups(['s1', 's3', 'admin'], ['s1', 's3', 'admin']),
			scimGroup('g-barista', 'Barista', 'F02'),
		];
		const result = withGroups(hr, app);
		expect(result.remove.map((item) => [item.action, item.appId])).toEqual([['deactivate', 's1']]);
		expect(result.create.map((item) => item.hrIndex)).toEqual([1]);
		expect(membership(result)).toEqual([]);
		const removed = withGroups(hr, app, { leaverAction: 'remove' });
		expect(removed.remove.map((item) => [item.action, item.appId])).toEqual([
			['remove', 's1'],
			['remove', 's3'],
		]);
		expect(membership(removed)).toEqual([]);
	});

	it('reads memberships from the users’ own groups when the groups come without members', () => {
		const groups = seedGroups([], []);
		const user = scimUserForAfas('1', {
			groups: [
				{ value: 'g-sales', display: 'Sales', type: 'direct' },
				{ value: 'g-utrecht', display: 'Store Utrecht', type: 'indirect' },
			],
		});
		const result = withGroups([afasRow('1')], [user, ...groups]);
		expect(membership(result).map(summaryOf)).toEqual([['groupAdd', 'g-utrecht', ['s1']]]);
	});

	it('leaves an ambiguous group alone with a warning', () => {
		const app = [
			scimUserForAfas('1'),
			scimGroup('g-a', 'Sales', 'F01'),
			scimGroup('g-b', 'Sales (old)', 'F01'),
			scimGroup('g-c', 'Utrecht', 'S01', ['s1']),
		];
		const result = withGroups([afasRow('1')], app);
		expect(result.createFirst).toEqual([]);
		expect(membership(result)).toEqual([]);
		expect(result.warnings).toEqual([
			'2 SCIM groups have the externalId "F01" (job "Sales" (F01)): its memberships are left alone until the app has one such group.',
		]);
		const shared = withGroups(
			[afasRow('1', { organizationId: 'F01' })],
			[scimUserForAfas('1'), scimGroup('g-a', 'Sales', 'F01')],
		);
		expect(shared.warnings[0]).toMatch(
			/^The job "Sales" and the organisation "Store Utrecht" have the same code "F01"/,
		);
		expect(membership(shared)).toEqual([]);
	});

	it('creates no group for a code that is both a job and an organisation: it could never be told apart', () => {
		// Both groups would get externalId F01; every later run would find two and leave both alone.
		const hr = [
			afasRow('1', { organizationId: 'F01', organizationName: 'Head office' }),
			afasRow('2'),
		];
		const result = withGroups(hr, [
			scimUserForAfas('1'),
			scimUserForAfas('2'),
			scimGroup('g-utrecht', 'Store Utrecht', 'S01', ['s2']),
		]);
		expect(result.createFirst.map((item) => item.group?.externalId)).toEqual([]);
		expect(result.warnings).toEqual([
			'The job "Sales" and the organisation "Head office" have the same code "F01", and a SCIM group is found by its externalId (the code): one group cannot stand for both, and two would be ambiguous. No group is created or changed for F01; give the job or the organisation another code in HR, or set SCIM Groups From to one of them.',
		]);
		expect(membership(result)).toEqual([]);
	});

	it('refuses users that are in groups when no group came in; warns when nobody is', () => {
		const member = scimUserForAfas('1', { groups: [{ value: 'g-sales', type: 'direct' }] });
		expect(() => withGroups([afasRow('1')], [member])).toThrow(/App input holds no SCIM Groups/);
		const result = withGroups([afasRow('1')], [scimUserForAfas('1')]);
		expect(result.warnings[0]).toMatch(/App input holds no SCIM Groups/);
		expect(result.createFirst).toHaveLength(2);
	});
});

describe('SCIM plans applied to an in-memory SCIM app converge', () => {
	/** Reconciles against the app, applies the plan, returns it. */
	function sync(app: MemoryScimApp, hr: Row[], config: Record<string, unknown> = {}): Plan {
		const result = withGroups(hr, app.list(), config);
		expect(result.blocked).toBeNull();
		for (const operation of allOperations(result)) {
			// Never a blanking PatchOp: no replace or add with an empty value.
			if (operation.op !== 'remove') expect([null, '', undefined]).not.toContain(operation.value);
		}
		app.apply(result);
		return result;
	}

	const nothingToDo = (result: Plan) => {
		expect(result.createFirst).toEqual([]);
		expect(result.create).toEqual([]);
		expect(result.update).toEqual([]);
		expect(result.remove).toEqual([]);
		expect(result.conflicts).toEqual([]);
	};

	it('first sync, memberships on the next run, then nothing; movers and leavers likewise', () => {
		const app = new MemoryScimApp();
		const hr = [
			afasRow('1'),
			afasRow('2', { functionId: 'F02', functionDescription: 'Barista' }),
			afasRow('3', { email: 'Jan@Corp.NL' }),
		];
		const first = sync(app, hr);
		expect(first.summary.counts).toMatchObject({ createFirst: 3, create: 3 });
		expect(app.groups.size).toBe(3);
		const second = sync(app, hr);
		expect(
			membership(second).map((item) => [
				item.action,
				item.group?.externalId,
				item.memberIds?.length,
			]),
		).toEqual([
			['groupAdd', 'F01', 2],
			['groupAdd', 'F02', 1],
			['groupAdd', 'S01', 3],
		]);
		expect(second.update).toHaveLength(3);
		nothingToDo(sync(app, hr));

		// A mover (job F01 → F02, new department name), a leaver, a joiner.
		const next = [
			afasRow('1', {
				functionId: 'F02',
				functionDescription: 'Barista',
				organizationName: 'Utrecht Centraal',
			}),
			afasRow('2', { employementEndDate: '2026-03-31T00:00:00Z' }),
			afasRow('3', { email: 'Jan@Corp.NL' }),
			afasRow('4'),
		];
		const moved = sync(app, next);
		expect(moved.remove.map((item) => item.action)).toEqual(['deactivate']);
		expect(moved.create).toHaveLength(1);
		expect(moved.update.map((item) => item.action)).toEqual(['update', 'groupRemove', 'groupAdd']);
		const joined = sync(app, next);
		expect(joined.update.map((item) => [item.action, item.group?.externalId])).toEqual([
			['groupAdd', 'F01'],
			['groupAdd', 'S01'],
		]);
		nothingToDo(sync(app, next));
		// The leaver kept their groups and is reactivated as they were.
		const back = sync(
			app,
			next.map((row, i) =>
				i === 1 ? afasRow('2', { functionId: 'F02', functionDescription: 'Barista' }) : row,
			),
		);
		expect(back.update.map((item) => item.action)).toEqual(['reactivate']);
		expect(readPatchOperations(back.update[0].payload)).toEqual([
			{ op: 'replace', path: 'active', value: true },
		]);
	});

	it('without groups a second run after applying the plan is unchanged', () => {
		const app = new MemoryScimApp();
		const hr = [afasRow('1'), afasRow('2', { email: 'Mixed.Case@Example.COM' })];
		const first = sync(app, hr, { groupsFrom: [] });
		expect(first.create).toHaveLength(2);
		const second = sync(app, hr, { groupsFrom: [] });
		nothingToDo(second);
		expect(second.unchanged.map((item) => item.action)).toEqual(['unchanged', 'unchanged']);
	});
});
