import { startScimSandbox, type ScimSandbox } from '../../../sandbox/scim/server';
import { createUser, ENTERPRISE, ERROR, filtered, GROUP, scim, user } from './http';

describe('SCIM sandbox: knobs', () => {
	let sandbox: ScimSandbox;
	afterEach(() => sandbox.close());

	it('injects 429 and 503 with Retry-After, N times, only for the chosen method and path', async () => {
		sandbox = await startScimSandbox();
		sandbox.injectFault({
			status: 429,
			times: 2,
			retryAfterSeconds: 3,
			method: 'GET',
			path: '/Users',
		});
		sandbox.injectFault({ status: 503, path: '/Groups' });

		expect((await scim(sandbox, 'POST', '/Users', user('a@example.test'))).status).toBe(201);
		for (let i = 0; i < 2; i++) {
			const limited = await scim(sandbox, 'GET', filtered('userName eq "a@example.test"'));
			expect(limited.status).toBe(429);
			expect(limited.headers.get('retry-after')).toBe('3');
			expect(limited.body).toMatchObject({ schemas: [ERROR], status: '429' });
		}
		expect((await scim(sandbox, 'GET', '/Users')).body.totalResults).toBe(1);

		const unavailable = await scim(sandbox, 'GET', '/Groups/any');
		expect(unavailable.status).toBe(503);
		expect(unavailable.headers.get('retry-after')).toBe('1');
		expect(unavailable.body).toMatchObject({ schemas: [ERROR], status: '503' });
		expect((await scim(sandbox, 'GET', '/Groups')).status).toBe(200);

		const { log, rejected, requests } = sandbox.stats();
		expect(requests).toBe(6);
		expect(log.map((e) => [e.method, e.path, e.status, e.injected ?? false])).toEqual([
			['POST', '/Users', 201, false],
			['GET', '/Users', 429, true],
			['GET', '/Users', 429, true],
			['GET', '/Users', 200, false],
			['GET', '/Groups/any', 503, true],
			['GET', '/Groups', 200, false],
		]);
		expect(log[1].query).toEqual({ filter: 'userName eq "a@example.test"' });
		expect(rejected).toEqual([]);
	});

	it('logs method, path, status, the body (password masked) and the SCIM Error of refusals', async () => {
		sandbox = await startScimSandbox();
		await scim(sandbox, 'POST', '/Users', user('a@example.test', { password: 'Secret-Pass-1' }));
		await scim(sandbox, 'POST', '/Users', user('A@example.test'));
		const [created, refused] = sandbox.stats().log;
		expect(created).toMatchObject({ method: 'POST', path: '/Users', status: 201 });
		expect(created.body).toEqual(user('a@example.test', { password: '***' }));
		expect(JSON.stringify(sandbox.stats())).not.toContain('Secret-Pass-1');
		expect(refused.error).toEqual({
			status: '409',
			scimType: 'uniqueness',
			detail: expect.stringContaining('userName'),
		});
		expect(sandbox.stats().rejected).toEqual([refused]);
	});

	it('waits latencyMs before answering, and setLatency changes it', async () => {
		sandbox = await startScimSandbox({ latencyMs: 120 });
		const started = Date.now();
		await scim(sandbox, 'GET', '/Users');
		expect(Date.now() - started).toBeGreaterThanOrEqual(110);
		sandbox.setLatency(250);
		const slow = Date.now();
		await scim(sandbox, 'GET', '/Users');
		expect(Date.now() - slow).toBeGreaterThanOrEqual(240);
	});

	it('seeds with setUsers / setGroups through the schema, and reset() goes back to the options', async () => {
		const seedUsers = [
			{ id: 'u-1', userName: 'boss@example.test', externalId: 'E-1' },
			{ id: 'u-2', userName: 'anouk@example.test', [ENTERPRISE]: { manager: { value: 'u-1' } } },
		];
		sandbox = await startScimSandbox({
			users: seedUsers,
			groups: [{ id: 'g-1', displayName: 'Finance', members: [{ value: 'u-2' }] }],
		});
		expect(sandbox.getUsers().map((u) => [u.id, u.userName, u.meta.resourceType])).toEqual([
			['u-1', 'boss@example.test', 'User'],
			['u-2', 'anouk@example.test', 'User'],
		]);
		expect((await scim(sandbox, 'GET', '/Users/u-2')).body.groups).toEqual([
			{ value: 'g-1', display: 'Finance', type: 'direct' },
		]);

		expect(() => sandbox.setUsers([{ userName: 'x', active: 'yes' }])).toThrow(/active/);
		expect(() =>
			sandbox.setUsers([{ userName: 'Same@example.test' }, { userName: 'same@example.test' }]),
		).toThrow(/already taken/);
		expect(() => sandbox.setGroups([{ displayName: 'G', members: [{ value: 'nobody' }] }])).toThrow(
			/members\.value/,
		);
		expect(sandbox.getUsers().map((u) => u.id)).toEqual(['u-1', 'u-2']);
		expect(sandbox.getGroups().map((g) => g.id)).toEqual(['g-1']);

		sandbox.setUsers([{ userName: 'solo@example.test' }]);
		await createUser(sandbox, 'new@example.test');
		sandbox.injectFault({ status: 503, times: 5 });
		sandbox.setLatency(5000);
		sandbox.reset();
		expect(sandbox.getUsers().map((u) => u.id)).toEqual(['u-1', 'u-2']);
		expect(sandbox.getGroups().map((g) => g.members)).toEqual([[{ value: 'u-2' }]]);
		expect(sandbox.stats()).toEqual({ requests: 0, log: [], rejected: [] });
		expect((await scim(sandbox, 'GET', '/Users')).status).toBe(200);
	});

	it('hands out copies: changing what getUsers() returned does not change the store', async () => {
		sandbox = await startScimSandbox({ users: [{ userName: 'a@example.test', active: true }] });
		const [copy] = sandbox.getUsers();
		copy.active = false;
		expect(sandbox.getUsers()[0].active).toBe(true);
	});
});

describe('SCIM sandbox: two sandboxes in one process', () => {
	let first: ScimSandbox;
	let second: ScimSandbox;
	beforeAll(async () => {
		first = await startScimSandbox({ maxPageSize: 10, token: 'first-token' });
		second = await startScimSandbox({ maxPageSize: 20, token: 'second-token', latencyMs: 5 });
	});
	afterAll(() => Promise.all([first.close(), second.close()]));

	it('keep their own data, tokens, configuration and locations, also under concurrent requests', async () => {
		const writes = await Promise.all(
			Array.from({ length: 20 }, (_, i) => {
				const sandbox = i % 2 ? second : first;
				return scim(sandbox, 'POST', '/Users', user(`user${i}@example.test`));
			}),
		);
		expect(writes.map((w) => w.status)).toEqual(writes.map(() => 201));
		writes.forEach((write, i) => {
			const sandbox = i % 2 ? second : first;
			expect(write.body.meta.location).toBe(`${sandbox.url}/Users/${write.body.id}`);
		});
		expect(first.getUsers()).toHaveLength(10);
		expect(second.getUsers()).toHaveLength(10);
		// The same userName may exist once in each.
		expect((await scim(first, 'POST', '/Users', user('same@example.test'))).status).toBe(201);
		expect((await scim(second, 'POST', '/Users', user('same@example.test'))).status).toBe(201);

		const [config1, config2] = await Promise.all([
			scim(first, 'GET', '/ServiceProviderConfig'),
			scim(second, 'GET', '/ServiceProviderConfig'),
		]);
		expect(config1.body.filter.maxResults).toBe(10);
		expect(config2.body.filter.maxResults).toBe(20);
		expect(config1.body.authenticationSchemes).toHaveLength(1);

		expect(
			(await scim(first, 'GET', '/Users', undefined, { authorization: 'Bearer second-token' }))
				.status,
		).toBe(401);
		const group = await scim(second, 'POST', '/Groups', {
			schemas: [GROUP],
			displayName: 'Only here',
		});
		expect((await scim(first, 'GET', `/Groups/${group.body.id}`)).status).toBe(404);
		expect(first.stats().requests).toBe(14);
		expect(second.stats().requests).toBe(13);
	});
});
