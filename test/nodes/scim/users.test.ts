/**
 * SCIM 2.0 node, resource User, run inside n8n's engine against the SCIM sandbox (scimmy-based,
 * validating every request against the RFC 7643 schemas).
 */
import { startScimSandbox, type ScimSandbox } from '../../../sandbox/scim/server';
import { ENTERPRISE, PATCH_OP, RejectionLedger, USER, jsonOf, run, seedUsers } from './helpers';

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

const getAll = (extra: Record<string, unknown> = {}) => ({
	resource: 'user',
	operation: 'getAll',
	...extra,
});

/** The list requests the sandbox received: [startIndex, count] of each. */
function listRequests() {
	return sandbox
		.stats()
		.log.filter((entry) => entry.method === 'GET' && entry.path === '/Users')
		.map((entry) => [Number(entry.query.startIndex), Number(entry.query.count)]);
}

describe('Users → Get Many: paging', () => {
	it.each([
		[0, [[1, 5]]],
		[
			1,
			[
				[1, 5],
				[2, 5],
			],
		],
		[
			15,
			[
				[1, 5],
				[6, 5],
				[11, 5],
				[16, 5],
			],
		],
		[
			16,
			[
				[1, 5],
				[6, 5],
				[11, 5],
				[16, 5],
			],
		],
	])('%i users come back exactly once, sorted by id (requests %j)', async (n, requests) => {
		const stored = sandbox.setUsers(seedUsers(n));
		const result = await run(sandbox, getAll({ options: { pageSize: 5 } }));
		expect(result.status).toBe('success');
		const users = jsonOf(result);
		expect(users.map((u) => u.id)).toEqual(stored.map((u) => u.id).sort());
		expect(new Set(users.map((u) => u.userName)).size).toBe(n);
		expect(listRequests()).toEqual(requests);
		expect(
			result.outputs[0].every((item) => (item.pairedItem as { item: number }).item === 0),
		).toBe(true);
	});

	it('outputs each user as the app returned it (the SCIM User resource)', async () => {
		const [stored] = sandbox.setUsers([
			{
				userName: 'anouk.devries@example.test',
				externalId: 'E-10042',
				name: { givenName: 'Anouk', familyName: 'de Vries' },
				displayName: 'Anouk de Vries',
				emails: [{ value: 'anouk.devries@example.test', type: 'work', primary: true }],
				active: true,
				[ENTERPRISE]: { employeeNumber: 'E-10042', department: 'Finance' },
			},
		]);
		const [user] = jsonOf(await run(sandbox, getAll()));
		expect(user).toEqual({
			schemas: [USER, ENTERPRISE],
			id: stored.id,
			userName: 'anouk.devries@example.test',
			externalId: 'E-10042',
			name: { givenName: 'Anouk', familyName: 'de Vries' },
			displayName: 'Anouk de Vries',
			emails: [{ value: 'anouk.devries@example.test', type: 'work', primary: true }],
			active: true,
			[ENTERPRISE]: { employeeNumber: 'E-10042', department: 'Finance' },
			meta: expect.objectContaining({
				resourceType: 'User',
				created: expect.any(String),
				lastModified: expect.any(String),
			}),
		});
	});

	it('steps by the resources returned when the app caps count below the page size', async () => {
		const capped = await startScimSandbox({ maxPageSize: 3 });
		try {
			const stored = capped.setUsers(seedUsers(7));
			const result = await run(capped, getAll({ options: { pageSize: 5 } }));
			expect(jsonOf(result).map((u) => u.id)).toEqual(stored.map((u) => u.id).sort());
			const requests = capped
				.stats()
				.log.map((entry) => [Number(entry.query.startIndex), Number(entry.query.count)]);
			expect(requests).toEqual([
				[1, 5],
				[4, 5],
				[7, 5],
			]);
			expect(capped.stats().rejected).toEqual([]);
		} finally {
			await capped.close();
		}
	});

	it('stops at Limit, asking only for the rest on the last page', async () => {
		sandbox.setUsers(seedUsers(16));
		const result = await run(
			sandbox,
			getAll({ returnAll: false, limit: 7, options: { pageSize: 5 } }),
		);
		const users = jsonOf(result);
		expect(users).toHaveLength(7);
		expect(users.map((u) => u.externalId).sort()).toEqual(
			['E-1', 'E-2', 'E-3', 'E-4', 'E-5', 'E-6', 'E-7'].sort(),
		);
		expect(listRequests()).toEqual([
			[1, 5],
			[6, 2],
		]);
	});

	it('sends attributes and excludedAttributes', async () => {
		sandbox.setUsers(seedUsers(2));
		const users = jsonOf(
			await run(sandbox, getAll({ options: { attributes: 'userName, active' } })),
		);
		expect(users.map((u) => Object.keys(u).sort())).toEqual([
			['active', 'id', 'userName'],
			['active', 'id', 'userName'],
		]);
		await run(sandbox, getAll({ options: { excludedAttributes: 'groups' } }));
		const queries = sandbox.stats().log.map((entry) => entry.query);
		expect(queries[0].attributes).toBe('userName,active');
		expect(queries.at(-1)?.excludedAttributes).toBe('groups');
	});
});

describe('Users → Get Many: filters', () => {
	const tricky = [
		{ userName: 'o"brien@example.test', externalId: 'E-"1"' },
		{ userName: 'back\\slash@example.test', externalId: 'E-\\2' },
		{ userName: 'plain@example.test', externalId: 'E-3' },
	];

	it.each([
		[
			'userName',
			'O"Brien@example.test',
			'userName eq "O\\"Brien@example.test"',
			'o"brien@example.test',
		],
		[
			'userName',
			'back\\slash@example.test',
			'userName eq "back\\\\slash@example.test"',
			'back\\slash@example.test',
		],
		['externalId', 'E-"1"', 'externalId eq "E-\\"1\\""', 'o"brien@example.test'],
		['externalId', 'E-\\2', 'externalId eq "E-\\\\2"', 'back\\slash@example.test'],
	])(
		'builds %s eq %j as the JSON string %s and finds the one user',
		async (attribute, value, sent, found) => {
			sandbox.setUsers(tricky);
			const result = await run(
				sandbox,
				getAll({ filterType: 'equals', filterAttribute: attribute, filterValue: value }),
			);
			expect(jsonOf(result).map((u) => u.userName)).toEqual([found]);
			expect(sandbox.stats().log[0].query.filter).toBe(sent);
		},
	);

	it('sends a raw filter as written, and an attribute the list does not offer', async () => {
		sandbox.setUsers(
			seedUsers(4, (i) => ({ active: i % 2 === 0, [ENTERPRISE]: { employeeNumber: `N-${i}` } })),
		);
		const raw = await run(
			sandbox,
			getAll({ filterType: 'raw', filter: 'active eq true and userName sw "user00"' }),
		);
		expect(
			jsonOf(raw)
				.map((u) => u.externalId)
				.sort(),
		).toEqual(['E-1', 'E-3']);
		const custom = await run(
			sandbox,
			getAll({
				filterType: 'equals',
				filterAttribute: 'custom',
				filterCustomAttribute: `${ENTERPRISE}:employeeNumber`,
				filterValue: 'N-2',
			}),
		);
		expect(jsonOf(custom).map((u) => u.externalId)).toEqual(['E-3']);
	});

	it('refuses an attribute name that is not one, before calling the app', async () => {
		const result = await run(
			sandbox,
			getAll({
				filterType: 'equals',
				filterAttribute: 'custom',
				filterCustomAttribute: 'userName eq "x" or userName',
				filterValue: 'y',
			}),
		);
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/is not a SCIM attribute name/);
		expect(sandbox.stats().requests).toBe(0);
	});

	it('reports the app’s 400 invalidFilter with what to check', async () => {
		ledger.allow(400, 'GET');
		const result = await run(sandbox, getAll({ filterType: 'raw', filter: 'userName eq' }));
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^The app rejected the request \(400 invalidFilter\)/);
		expect(result.error?.description).toMatch(/filter is not valid/);
		expect(result.outputs).toEqual([]);
	});
});

describe('Users → Create, Get, Update, Delete', () => {
	const payload = {
		schemas: [USER, ENTERPRISE],
		externalId: 'E-10042',
		userName: 'anouk.devries@example.test',
		name: { givenName: 'Anouk', familyName: 'de Vries' },
		displayName: 'Anouk de Vries',
		emails: [{ value: 'anouk.devries@example.test', type: 'work', primary: true }],
		active: true,
		[ENTERPRISE]: { employeeNumber: 'E-10042', department: 'Finance' },
	};

	it('creates a user from the input’s payload and outputs it with its new id', async () => {
		const result = await run(
			sandbox,
			{ resource: 'user', operation: 'create' },
			{ inputs: [[{ action: 'create', payload }]] },
		);
		expect(result.status).toBe('success');
		const [created] = jsonOf(result);
		const [stored] = sandbox.getUsers();
		expect(created).toMatchObject({ ...payload, id: stored.id });
		expect(result.outputs[0][0].pairedItem).toEqual({ item: 0 });
		expect(sandbox.stats().log[0].body).toEqual(payload);
	});

	it('completes schemas and drops id and meta from a payload', async () => {
		const withoutSchemas: Record<string, unknown> = { ...payload };
		delete withoutSchemas.schemas;
		const result = await run(sandbox, {
			resource: 'user',
			operation: 'create',
			userJson: JSON.stringify({ ...withoutSchemas, id: 'x', meta: {} }),
		});
		expect(result.status).toBe('success');
		const sent = sandbox.stats().log[0].body as Record<string, unknown>;
		expect(sent.schemas).toEqual([USER, ENTERPRISE]);
		expect(sent).not.toHaveProperty('id');
		expect(sent).not.toHaveProperty('meta');
	});

	it('creates a user from fields, with the enterprise extension only when used', async () => {
		const [manager] = sandbox.setUsers([{ userName: 'boss@example.test' }]);
		const result = await run(sandbox, {
			resource: 'user',
			operation: 'create',
			define: 'fields',
			userName: 'jan@example.test',
			additionalFields: {
				givenName: 'Jan',
				familyName: 'Jansen',
				email: 'jan@example.test',
				externalId: 'E-7',
				department: 'Sales',
				managerId: manager.id,
				active: true,
			},
		});
		expect(result.status).toBe('success');
		expect(sandbox.stats().log[0].body).toEqual({
			schemas: [USER, ENTERPRISE],
			userName: 'jan@example.test',
			externalId: 'E-7',
			name: { givenName: 'Jan', familyName: 'Jansen' },
			emails: [{ value: 'jan@example.test', type: 'work', primary: true }],
			active: true,
			[ENTERPRISE]: { department: 'Sales', manager: { value: manager.id } },
		});
		const plain = await run(sandbox, {
			resource: 'user',
			operation: 'create',
			define: 'fields',
			userName: 'kim@example.test',
		});
		expect(jsonOf(plain)[0]).toMatchObject({ schemas: [USER], userName: 'kim@example.test' });
	});

	it('gets a user by id', async () => {
		const [stored] = sandbox.setUsers([{ userName: 'a@example.test' }]);
		const result = await run(sandbox, { resource: 'user', operation: 'get', userId: stored.id });
		expect(jsonOf(result)).toEqual([
			expect.objectContaining({ id: stored.id, userName: 'a@example.test' }),
		]);
	});

	it('updates with the input’s PatchOp: active false, emails replaced whole, manager.value, department', async () => {
		const [boss, anouk] = sandbox.setUsers([
			{ userName: 'boss@example.test' },
			{
				userName: 'anouk@example.test',
				emails: [
					{ value: 'anouk@example.test', type: 'work', primary: true },
					{ value: 'anouk@home.test', type: 'home' },
				],
				[ENTERPRISE]: { department: 'Finance', employeeNumber: 'E-1' },
			},
		]);
		const patch = {
			schemas: [PATCH_OP],
			Operations: [
				{ op: 'replace', path: 'active', value: false },
				{
					op: 'replace',
					path: 'emails',
					value: [{ value: 'a.devries@example.test', type: 'work', primary: true }],
				},
				{ op: 'replace', path: `${ENTERPRISE}:manager`, value: { value: boss.id } },
				{ op: 'replace', path: `${ENTERPRISE}:department`, value: 'HR' },
			],
		};
		const result = await run(
			sandbox,
			{ resource: 'user', operation: 'update', userId: '={{ $json.appId }}' },
			{ inputs: [[{ appId: anouk.id, payload: patch }]] },
		);
		expect(result.status).toBe('success');
		const [updated] = jsonOf(result);
		expect(updated).toMatchObject({
			id: anouk.id,
			active: false,
			emails: [{ value: 'a.devries@example.test', type: 'work', primary: true }],
			[ENTERPRISE]: { department: 'HR', employeeNumber: 'E-1', manager: { value: boss.id } },
		});
		expect(sandbox.getUsers()[1]).toMatchObject({ active: false });
		const sent = sandbox.stats().log[0];
		expect([sent.method, sent.path, sent.body]).toEqual(['PATCH', `/Users/${anouk.id}`, patch]);
	});

	it('accepts a list of operations with any op case, and sends them lower-cased', async () => {
		const [user] = sandbox.setUsers([{ userName: 'a@example.test' }]);
		const result = await run(sandbox, {
			resource: 'user',
			operation: 'update',
			userId: user.id,
			operationsJson: JSON.stringify([{ op: 'Replace', value: { active: false, title: 'Boss' } }]),
		});
		expect(jsonOf(result)[0]).toMatchObject({ active: false, title: 'Boss' });
		expect(sandbox.stats().log[0].body).toEqual({
			schemas: [PATCH_OP],
			Operations: [{ op: 'replace', value: { active: false, title: 'Boss' } }],
		});
	});

	it('updates from fields: one replace each, an emptied field removes the attribute', async () => {
		const [user] = sandbox.setUsers([
			{ userName: 'a@example.test', title: 'Clerk', [ENTERPRISE]: { department: 'Finance' } },
		]);
		const result = await run(sandbox, {
			resource: 'user',
			operation: 'update',
			userId: user.id,
			define: 'fields',
			updateFields: { active: false, familyName: 'Jansen', title: '', department: 'HR' },
		});
		expect(result.status).toBe('success');
		expect(sandbox.stats().log[0].body).toEqual({
			schemas: [PATCH_OP],
			Operations: [
				{ op: 'remove', path: 'title' },
				{ op: 'replace', path: 'name.familyName', value: 'Jansen' },
				{ op: 'replace', path: 'active', value: false },
				{ op: 'replace', path: `${ENTERPRISE}:department`, value: 'HR' },
			],
		});
		const [updated] = jsonOf(result);
		expect(updated).not.toHaveProperty('title');
		expect(updated).toMatchObject({
			active: false,
			name: { familyName: 'Jansen' },
			[ENTERPRISE]: { department: 'HR' },
		});
	});

	it('reads the user back when the app answers 204 (a PATCH that changes nothing)', async () => {
		const [user] = sandbox.setUsers([{ userName: 'a@example.test', active: true }]);
		const result = await run(sandbox, {
			resource: 'user',
			operation: 'update',
			userId: user.id,
			operationsJson: { op: 'replace', path: 'active', value: true },
		});
		expect(jsonOf(result)).toEqual([expect.objectContaining({ id: user.id, active: true })]);
		expect(sandbox.stats().log.map((e) => [e.method, e.status])).toEqual([
			['PATCH', 204],
			['GET', 200],
		]);
	});

	it('with Use PUT reads the user, applies the operations and sends the whole user', async () => {
		const [boss, user] = sandbox.setUsers([
			{ userName: 'boss@example.test' },
			{
				userName: 'a@example.test',
				name: { givenName: 'Anouk', familyName: 'de Vries' },
				emails: [{ value: 'a@example.test', type: 'work', primary: true }],
				[ENTERPRISE]: { employeeNumber: 'E-1' },
			},
		]);
		const result = await run(sandbox, {
			resource: 'user',
			operation: 'update',
			userId: user.id,
			operationsJson: {
				schemas: [PATCH_OP],
				Operations: [
					{ op: 'replace', path: 'active', value: false },
					{ op: 'replace', path: 'name.familyName', value: 'Jansen' },
					{
						op: 'replace',
						path: 'emails',
						value: [{ value: 'b@example.test', type: 'work', primary: true }],
					},
					{ op: 'replace', path: `${ENTERPRISE}:manager.value`, value: boss.id },
					{ op: 'add', path: `${ENTERPRISE}:department`, value: 'HR' },
				],
			},
			options: { usePut: true },
		});
		expect(result.status).toBe('success');
		const [get, put] = sandbox.stats().log;
		expect([get.method, put.method, put.path]).toEqual(['GET', 'PUT', `/Users/${user.id}`]);
		expect(put.body).toEqual({
			schemas: [USER, ENTERPRISE],
			id: user.id,
			userName: 'a@example.test',
			name: { givenName: 'Anouk', familyName: 'Jansen' },
			emails: [{ value: 'b@example.test', type: 'work', primary: true }],
			active: false,
			[ENTERPRISE]: { employeeNumber: 'E-1', manager: { value: boss.id }, department: 'HR' },
		});
		expect(jsonOf(result)[0]).toMatchObject({ active: false, name: { familyName: 'Jansen' } });
	});

	it('with Use PUT refuses a path with a value filter, before changing anything', async () => {
		const [user] = sandbox.setUsers([{ userName: 'a@example.test' }]);
		const result = await run(sandbox, {
			resource: 'user',
			operation: 'update',
			userId: user.id,
			operationsJson: [
				{ op: 'replace', path: 'emails[type eq "work"].value', value: 'x@example.test' },
			],
			options: { usePut: true },
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/simple paths only/);
		expect(sandbox.stats().log.map((e) => e.method)).toEqual(['GET']);
	});

	it('refuses malformed operations, naming the one at fault', async () => {
		const result = await run(sandbox, {
			resource: 'user',
			operation: 'update',
			userId: 'any',
			operationsJson: [
				{ op: 'replace', path: 'active', value: false },
				{ op: 'delete', path: 'title' },
			],
		});
		expect(result.error?.message).toBe('Operation 2 has op "delete": use add, remove or replace');
		expect(sandbox.stats().requests).toBe(0);
	});

	it('deletes a user and outputs { id, resourceType, deleted }', async () => {
		const [user] = sandbox.setUsers([{ userName: 'a@example.test' }]);
		const result = await run(sandbox, { resource: 'user', operation: 'delete', userId: user.id });
		expect(jsonOf(result)).toEqual([{ id: user.id, resourceType: 'User', deleted: true }]);
		expect(sandbox.getUsers()).toEqual([]);
	});

	it('runs once per input item, each output paired with its item', async () => {
		const stored = sandbox.setUsers(seedUsers(3));
		const result = await run(
			sandbox,
			{ resource: 'user', operation: 'get', userId: '={{ $json.id }}' },
			{ inputs: [stored.map((u) => ({ id: u.id }))] },
		);
		expect(result.outputs[0].map((item) => [item.json.id, item.pairedItem])).toEqual(
			stored.map((u, i) => [u.id, { item: i }]),
		);
	});
});

describe('Users: requests the sandbox refused', () => {
	it('none but the deliberately wrong ones', () => {
		expect(ledger.unexpected).toEqual([]);
	});
});
