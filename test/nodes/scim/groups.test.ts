/** SCIM 2.0 node, resource Group, run inside n8n's engine against the SCIM sandbox. */
import { startScimSandbox, type ScimSandbox } from '../../../sandbox/scim/server';
import { GROUP, PATCH_OP, RejectionLedger, jsonOf, run, seedUsers } from './helpers';

let sandbox: ScimSandbox;
const ledger = new RejectionLedger();

beforeAll(async () => {
	sandbox = await startScimSandbox();
});
afterAll(async () => {
	await sandbox.close();
});
afterEach(() => {
	ledger.collect(sandbox);
	sandbox.reset();
});

function seedGroups(n: number) {
	return Array.from({ length: n }, (_, i) => ({
		displayName: `Team ${String(i + 1).padStart(2, '0')}`,
		externalId: `T-${i + 1}`,
	}));
}

describe('Groups → Get Many', () => {
	it.each([0, 1, 6, 7])('%i groups come back exactly once, sorted by id', async (n) => {
		const stored = sandbox.setGroups(seedGroups(n));
		const result = await run(sandbox, {
			resource: 'group',
			operation: 'getAll',
			options: { pageSize: 3 },
		});
		expect(result.status).toBe('success');
		expect(jsonOf(result).map((g) => g.id)).toEqual(stored.map((g) => g.id).sort());
		const starts = sandbox.stats().log.map((entry) => Number(entry.query.startIndex));
		expect(starts).toEqual({ 0: [1], 1: [1, 2], 6: [1, 4, 7], 7: [1, 4, 7] }[n]);
	});

	it('filters on displayName with quotes, and on a member', async () => {
		const [user] = sandbox.setUsers(seedUsers(1));
		sandbox.setGroups([
			{ displayName: 'The "A" Team', members: [{ value: user.id }] },
			{ displayName: 'B Team' },
		]);
		const byName = await run(sandbox, {
			resource: 'group',
			operation: 'getAll',
			filterType: 'equals',
			filterValue: 'the "a" team',
		});
		expect(jsonOf(byName).map((g) => g.displayName)).toEqual(['The "A" Team']);
		const byMember = await run(sandbox, {
			resource: 'group',
			operation: 'getAll',
			filterType: 'equals',
			filterAttribute: 'members.value',
			filterValue: user.id,
		});
		expect(jsonOf(byMember).map((g) => g.displayName)).toEqual(['The "A" Team']);
	});
});

describe('Groups → Create, Get, members, Delete', () => {
	it('creates a group from fields, with its first members', async () => {
		const users = sandbox.setUsers(seedUsers(2));
		const result = await run(sandbox, {
			resource: 'group',
			operation: 'create',
			displayName: 'Finance',
			additionalFields: { externalId: 'ORG-10', memberIds: users.map((u) => u.id).join(', ') },
		});
		expect(result.status).toBe('success');
		expect(sandbox.stats().log[0].body).toEqual({
			schemas: [GROUP],
			displayName: 'Finance',
			externalId: 'ORG-10',
			members: users.map((u) => ({ value: u.id })),
		});
		const [group] = jsonOf(result);
		expect(group).toMatchObject({
			schemas: [GROUP],
			id: sandbox.getGroups()[0].id,
			displayName: 'Finance',
			members: users.map((u) => expect.objectContaining({ value: u.id })),
		});
	});

	it('creates a group from the input’s payload', async () => {
		const result = await run(
			sandbox,
			{ resource: 'group', operation: 'create', define: 'json' },
			{ inputs: [[{ payload: { displayName: 'Sales', externalId: 'ORG-20' } }]] },
		);
		expect(jsonOf(result)[0]).toMatchObject({ displayName: 'Sales', externalId: 'ORG-20' });
		expect(sandbox.stats().log[0].body).toEqual({
			schemas: [GROUP],
			displayName: 'Sales',
			externalId: 'ORG-20',
		});
	});

	it('gets a group by id', async () => {
		const [group] = sandbox.setGroups(seedGroups(1));
		const result = await run(sandbox, { resource: 'group', operation: 'get', groupId: group.id });
		expect(jsonOf(result)).toEqual([
			expect.objectContaining({ id: group.id, displayName: 'Team 01' }),
		]);
	});

	it('adds members with one add on members, and removes them by value filter', async () => {
		const users = sandbox.setUsers(seedUsers(3));
		const [group] = sandbox.setGroups([
			{ displayName: 'Finance', members: [{ value: users[0].id }] },
		]);
		const added = await run(sandbox, {
			resource: 'group',
			operation: 'addMembers',
			groupId: group.id,
			memberIds: `${users[1].id}\n${users[2].id}, ${users[1].id}`,
		});
		expect(added.status).toBe('success');
		expect(jsonOf(added)[0].members).toEqual(
			users.map((u) => expect.objectContaining({ value: u.id })),
		);
		const removed = await run(sandbox, {
			resource: 'group',
			operation: 'removeMembers',
			groupId: group.id,
			memberIds: [users[0].id, users[2].id],
		});
		expect((jsonOf(removed)[0].members as unknown[]).map((m: any) => m.value)).toEqual([
			users[1].id,
		]);
		const [add, remove] = sandbox.stats().log.map((e) => e.body);
		expect(add).toEqual({
			schemas: [PATCH_OP],
			Operations: [
				{ op: 'add', path: 'members', value: [{ value: users[1].id }, { value: users[2].id }] },
			],
		});
		expect(remove).toEqual({
			schemas: [PATCH_OP],
			Operations: [
				{ op: 'remove', path: `members[value eq "${users[0].id}"]` },
				{ op: 'remove', path: `members[value eq "${users[2].id}"]` },
			],
		});
	});

	it('reads the group back when adding a member it has already (204)', async () => {
		const [user] = sandbox.setUsers(seedUsers(1));
		const [group] = sandbox.setGroups([{ displayName: 'Finance', members: [{ value: user.id }] }]);
		const result = await run(sandbox, {
			resource: 'group',
			operation: 'addMembers',
			groupId: group.id,
			memberIds: user.id,
		});
		expect(sandbox.stats().log.map((e) => [e.method, e.status])).toEqual([
			['PATCH', 204],
			['GET', 200],
		]);
		expect(jsonOf(result)[0]).toMatchObject({
			id: group.id,
			members: [expect.objectContaining({ value: user.id })],
		});
	});

	it('refuses an empty member list before calling the app', async () => {
		const result = await run(sandbox, {
			resource: 'group',
			operation: 'addMembers',
			groupId: 'g-1',
			memberIds: ' , ',
		});
		expect(result.error?.message).toBe('"Member IDs" is empty');
		expect(sandbox.stats().requests).toBe(0);
	});

	it('reports a member id that is no user with the app’s invalidValue detail', async () => {
		ledger.allow(400, 'PATCH');
		const [group] = sandbox.setGroups(seedGroups(1));
		const result = await run(sandbox, {
			resource: 'group',
			operation: 'addMembers',
			groupId: group.id,
			memberIds: 'E-1',
		});
		expect(result.error?.message).toBe(
			'The app rejected the request (400 invalidValue): members.value "E-1" is not the id of a User or Group here: use the member\'s SCIM id',
		);
	});

	it('deletes a group and keeps its members', async () => {
		const [user] = sandbox.setUsers(seedUsers(1));
		const [group] = sandbox.setGroups([{ displayName: 'Finance', members: [{ value: user.id }] }]);
		const result = await run(sandbox, {
			resource: 'group',
			operation: 'delete',
			groupId: group.id,
		});
		expect(jsonOf(result)).toEqual([{ id: group.id, resourceType: 'Group', deleted: true }]);
		expect(sandbox.getGroups()).toEqual([]);
		expect(sandbox.getUsers().map((u) => u.id)).toEqual([user.id]);
	});
});

describe('Groups: requests the sandbox refused', () => {
	it('none but the deliberately wrong ones', () => {
		expect(ledger.unexpected).toEqual([]);
	});
});
