import { startAppSandbox, type AppSandbox } from '../../../sandbox/apps/server';

async function call(
	app: AppSandbox,
	method: string,
	path: string,
	body?: unknown,
	token = app.token,
) {
	const response = await fetch(`${app.url}${path}`, {
		method,
		headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	return {
		status: response.status,
		body: text ? JSON.parse(text) : undefined,
		headers: response.headers,
	};
}

describe('app sandboxes', () => {
	let app: AppSandbox;
	afterEach(async () => app?.close());

	it('MobieTrain style: rejects a wrong token, invites into existing groups and stores only', async () => {
		app = await startAppSandbox({ style: 'mobietrain', now: () => '2026-01-01T06:00:00.000Z' });
		expect((await call(app, 'GET', '/users', undefined, 'wrong')).status).toBe(401);

		const user = {
			externalId: '000123',
			email: 'a@x.nl',
			firstName: 'A',
			lastName: 'B',
			groups: ['F01'],
			stores: [],
		};
		const refused = await call(app, 'POST', '/invitations', user);
		expect(refused.status).toBe(422);
		expect(refused.body.error.fields.groups).toContain('"F01"');

		expect((await call(app, 'POST', '/groups', { externalId: 'F01', name: 'Sales' })).status).toBe(
			201,
		);
		const invited = await call(app, 'POST', '/invitations', user);
		expect(invited.status).toBe(201);
		expect(invited.body).toMatchObject({
			externalId: '000123',
			status: 'invited',
			invitedAt: '2026-01-01T06:00:00.000Z',
			language: 'EN',
		});

		expect(
			(await call(app, 'POST', '/invitations', { ...user, externalId: '9' })).body.error.fields
				.email,
		).toContain('already taken');
		expect((await call(app, 'DELETE', `/users/${invited.body.id}`)).status).toBe(204);
		expect(app.collection('users')).toHaveLength(0);
		expect(app.audit().map((e) => `${e.method} ${e.status}`)).toEqual([
			'POST 422',
			'POST 201',
			'POST 201',
			'POST 422',
			'DELETE 204',
		]);
	});

	it('pages listings and reports hasMore', async () => {
		app = await startAppSandbox({ style: 'oneteam', maxPageSize: 2 });
		app.seed('communities', [
			{ externalId: 'C1', name: 'One' },
			{ externalId: 'C2', name: 'Two' },
			{ externalId: 'C3', name: 'Three' },
		]);
		const first = await call(app, 'GET', '/communities?page=1&pageSize=50');
		expect(first.body).toMatchObject({ page: 1, pageSize: 2, total: 3, hasMore: true });
		const second = await call(app, 'GET', '/communities?page=2&pageSize=2');
		expect(second.body.data.map((c: { externalId: string }) => c.externalId)).toEqual(['C3']);
		expect(second.body.hasMore).toBe(false);
	});

	it('lists 1000 rows a page unless asked for fewer, and can misreport the total', async () => {
		app = await startAppSandbox({ style: 'declaree' });
		app.seed(
			'users',
			Array.from({ length: 1500 }, (_, i) => ({
				externalId: String(i),
				username: `u${i}@x.nl`,
				email: `u${i}@x.nl`,
				firstName: 'U',
				lastName: String(i),
			})),
		);
		const first = await call(app, 'GET', '/users');
		expect(first.body).toMatchObject({ page: 1, pageSize: 1000, total: 1500, hasMore: true });
		expect(first.body.data).toHaveLength(1000);
		expect((await call(app, 'GET', '/users?page=2&pageSize=5000')).body.data).toHaveLength(500);
		app.setListTotalOffset(1);
		const miscounted = await call(app, 'GET', '/users?page=2');
		expect(miscounted.body).toMatchObject({ total: 1501, hasMore: false });
		expect(miscounted.body.data).toHaveLength(500);
	});

	it('refuses every write that names a chosen person with 422 or 500 until the faults are cleared', async () => {
		app = await startAppSandbox({ style: 'mobietrain' });
		const user = (externalId: string, email: string) => ({
			externalId,
			email,
			firstName: 'A',
			lastName: 'B',
		});
		app.addWriteFault({ person: 'E500', status: 500 });
		app.addWriteFault({ person: 'Fails@x.nl', status: 422, message: 'Validation failed: no' });
		const crashed = await call(app, 'POST', '/invitations', user('E500', 'a@x.nl'));
		expect(crashed.status).toBe(500);
		expect(crashed.body.error.code).toBe('internal');
		const refused = await call(app, 'POST', '/invitations', user('E422', 'fails@X.nl'));
		expect(refused).toMatchObject({
			status: 422,
			body: { error: { code: 'validation_failed', message: 'Validation failed: no' } },
		});
		const other = await call(app, 'POST', '/invitations', user('E1', 'ok@x.nl'));
		expect(other.status).toBe(201);
		// A write to a row that belongs to the person fails too, whatever the body says.
		app.seed('users', [{ id: 'use_00900', ...user('E500', 'b@x.nl'), status: 'active' }]);
		expect((await call(app, 'PATCH', '/users/use_00900', { lastName: 'C' })).status).toBe(500);
		expect((await call(app, 'DELETE', '/users/use_00900')).status).toBe(500);
		app.clearWriteFaults();
		expect((await call(app, 'POST', '/invitations', user('E422', 'fails@x.nl'))).status).toBe(201);
		expect(app.audit().map((e) => `${e.method} ${e.status}`)).toEqual([
			'POST 500',
			'POST 422',
			'POST 201',
			'PATCH 500',
			'DELETE 500',
			'POST 201',
		]);
	});

	it('refuses a chosen number of writes with 429 (Retry-After) or 503 without making them, and audits what was sent', async () => {
		app = await startAppSandbox({ style: 'mobietrain' });
		const user = (externalId: string, email: string) => ({
			externalId,
			email,
			firstName: 'A',
			lastName: 'B',
		});
		app.addWriteFault({ person: 'E429', status: 429, times: 1 });
		app.addWriteFault({ person: 'e503', status: 503, times: 2 });
		const limited = await call(app, 'POST', '/invitations', user('E429', 'a@x.nl'));
		expect(limited).toMatchObject({ status: 429, body: { error: { code: 'rate_limited' } } });
		expect(limited.headers.get('retry-after')).toBe('1');
		expect(app.collection('users')).toHaveLength(0);
		expect((await call(app, 'POST', '/invitations', user('E429', 'a@x.nl'))).status).toBe(201);
		const unavailable = await call(app, 'POST', '/invitations', user('E503', 'b@x.nl'));
		expect(unavailable).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } });
		expect((await call(app, 'POST', '/invitations', user('E503', 'b@x.nl'))).status).toBe(503);
		expect((await call(app, 'POST', '/invitations', user('E503', 'b@x.nl'))).status).toBe(201);
		expect(app.collection('users').map((row) => row.externalId)).toEqual(['E429', 'E503']);
		expect(
			app.audit().map((e) => [e.status, (e.sent as { externalId?: string })?.externalId ?? null]),
		).toEqual([
			[429, 'E429'],
			[201, null],
			[503, 'E503'],
			[503, 'E503'],
			[201, null],
		]);
	});

	it('pages 50,000 users exactly (each once, in creation order), and follows removals and creates', async () => {
		app = await startAppSandbox({ style: 'mobietrain' });
		const count = 50_000;
		app.seed(
			'users',
			Array.from({ length: count }, (_, i) => ({
				externalId: `E${i}`,
				email: `p${i}@x.nl`,
				firstName: 'P',
				lastName: String(i),
			})),
		);
		const seen: string[] = [];
		for (let page = 1; ; page++) {
			const { body } = await call(app, 'GET', `/users?page=${page}&pageSize=1000`);
			seen.push(...body.data.map((row: { externalId: string }) => row.externalId));
			expect(body.total).toBe(count);
			if (!body.hasMore) break;
		}
		expect(seen).toHaveLength(count);
		expect(new Set(seen).size).toBe(count);
		expect(seen[count - 1]).toBe(`E${count - 1}`);
		// After a removal and a create, pages follow the new order.
		const [first] = app.collection('users');
		expect((await call(app, 'DELETE', `/users/${first.id}`)).status).toBe(204);
		const created = await call(app, 'POST', '/invitations', {
			externalId: 'NEW',
			email: 'new@x.nl',
			firstName: 'N',
			lastName: 'N',
		});
		expect(created.status).toBe(201);
		const last = await call(app, 'GET', '/users?page=50&pageSize=1000');
		expect(last.body).toMatchObject({ total: count, hasMore: false });
		expect(last.body.data.at(-1).externalId).toBe('NEW');
		expect((await call(app, 'GET', '/users?page=1&pageSize=1')).body.data[0].externalId).toBe('E1');
	});

	it('Declaree style: manager must exist, users are deactivated not deleted', async () => {
		app = await startAppSandbox({ style: 'declaree' });
		const base = {
			externalId: '1',
			username: 'a@x.nl',
			email: 'a@x.nl',
			firstName: 'A',
			lastName: 'B',
		};
		expect((await call(app, 'POST', '/users', { ...base, managerId: 'use_99999' })).status).toBe(
			422,
		);
		const created = await call(app, 'POST', '/users', base);
		expect(created.body).toMatchObject({ enabled: true, managerId: null });
		expect((await call(app, 'DELETE', `/users/${created.body.id}`)).status).toBe(405);
		expect(
			(await call(app, 'PATCH', `/users/${created.body.id}`, { enabled: false })).body.enabled,
		).toBe(false);
		expect((await call(app, 'PATCH', '/users/nope', { enabled: false })).status).toBe(404);
	});

	it('keeps uniqueness and references in step with creates, updates, deletes and seeded rows', async () => {
		app = await startAppSandbox({
			style: 'oneteam',
			data: {
				communities: [{ externalId: 'C1', name: 'One' }],
				functions: [{ externalId: 'F1', name: 'Sales' }],
				users: [{ externalId: 'S1', email: 'Seeded@x.nl', firstName: 'S', lastName: 'S' }],
			},
		});
		const user = (externalId: string, email: string, communityId = 'C1') => ({
			externalId,
			email,
			firstName: 'A',
			lastName: 'B',
			communityId,
			functionId: 'F1',
		});
		const seededTwin = await call(app, 'POST', '/users', user('s1', 'seeded@X.NL'));
		expect(seededTwin.status).toBe(422);
		expect(seededTwin.body.error.fields).toEqual({
			externalId: '"s1" is already taken',
			email: '"seeded@X.NL" is already taken',
		});

		const created = await call(app, 'POST', '/users', user('1', 'a@x.nl'));
		expect(created.status).toBe(201);
		// Renaming frees the old value and takes the new one; a row may keep its own value.
		expect(
			(await call(app, 'PATCH', `/users/${created.body.id}`, { email: 'b@x.nl', externalId: '1' }))
				.status,
		).toBe(200);
		expect((await call(app, 'POST', '/users', user('2', 'A@X.nl'))).status).toBe(201);
		expect((await call(app, 'POST', '/users', user('3', 'B@x.nl'))).body.error.fields.email).toBe(
			'"B@x.nl" is already taken',
		);

		// References follow a community's externalId through updates and deletes.
		const community = app.collection('communities')[0];
		expect(
			(await call(app, 'PATCH', `/communities/${community.id}`, { externalId: 'C2' })).status,
		).toBe(200);
		expect((await call(app, 'POST', '/users', user('4', 'd@x.nl', 'C1'))).status).toBe(422);
		expect((await call(app, 'POST', '/users', user('4', 'd@x.nl', 'C2'))).status).toBe(201);
		expect((await call(app, 'DELETE', `/communities/${community.id}`)).status).toBe(204);
		expect(
			(await call(app, 'POST', '/users', user('5', 'e@x.nl', 'C2'))).body.error.fields.communityId,
		).toBe('unknown communities "C2": create it first');

		// Deleting a user frees its externalId and e-mail.
		expect((await call(app, 'DELETE', `/users/${created.body.id}`)).status).toBe(204);
		expect((await call(app, 'POST', '/users', user('1', 'b@x.nl', 'C2'))).status).toBe(422);
		expect(app.collection('users').map((row) => row.externalId)).toEqual(['S1', '2', '4']);
	});

	it('checks uniqueness through indexes: 3,000 users created over HTTP, the last one still guarded (npm run bench creates 50,000)', async () => {
		app = await startAppSandbox({ style: 'mobietrain' });
		const count = 3_000;
		const invitation = (index: number) => ({
			externalId: `E${String(index).padStart(6, '0')}`,
			email: `person${index}@example.com`,
			firstName: 'First',
			lastName: `Last${index}`,
		});
		let next = 0;
		const statuses = new Map<number, number>();
		await Promise.all(
			Array.from({ length: 16 }, async () => {
				for (let index = next++; index < count; index = next++) {
					const { status } = await call(app, 'POST', '/invitations', invitation(index));
					statuses.set(status, (statuses.get(status) ?? 0) + 1);
				}
			}),
		);
		expect(Object.fromEntries(statuses)).toEqual({ 201: count });
		expect(app.collection('users')).toHaveLength(count);

		const last = invitation(count - 1);
		const twin = await call(app, 'POST', '/invitations', {
			...last,
			email: last.email.toUpperCase(),
		});
		expect(twin.status).toBe(422);
		expect(twin.body.error.fields).toEqual({
			externalId: `"${last.externalId}" is already taken`,
			email: `"${last.email.toUpperCase()}" is already taken`,
		});
		expect(
			(await call(app, 'POST', '/invitations', { ...invitation(count), externalId: 'E000000' }))
				.body.error.fields,
		).toEqual({ externalId: '"E000000" is already taken' });
		expect((await call(app, 'POST', '/invitations', invitation(count))).status).toBe(201);
		expect(app.collection('users')).toHaveLength(count + 1);
	}, 180_000);

	it('answers 429 with Retry-After past its rate limit', async () => {
		app = await startAppSandbox({ style: 'declaree', rateLimitPerSecond: 3 });
		const statuses = await Promise.all(Array.from({ length: 6 }, () => call(app, 'GET', '/users')));
		const limited = statuses.filter((s) => s.status === 429);
		expect(limited.length).toBeGreaterThan(0);
		expect(limited[0].headers.get('retry-after')).toBe('1');
	});
});
