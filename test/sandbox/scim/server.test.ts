import { startScimSandbox, type ScimSandbox } from '../../../sandbox/scim/server';
import { createUser, ENTERPRISE, ERROR, GROUP, LIST, patchOp, scim, user, USER } from './http';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('SCIM sandbox: discovery, auth and users', () => {
	let sandbox: ScimSandbox;
	let clock: string;
	beforeEach(async () => {
		clock = '2026-03-02T08:00:00.000Z';
		sandbox = await startScimSandbox({ maxPageSize: 50, now: () => clock });
	});
	afterEach(() => sandbox.close());

	it('advertises what it supports in /ServiceProviderConfig, /ResourceTypes and /Schemas', async () => {
		const config = await scim(sandbox, 'GET', '/ServiceProviderConfig');
		expect(config.status).toBe(200);
		expect(config.headers.get('content-type')).toMatch(/^application\/scim\+json/);
		expect(config.body).toMatchObject({
			patch: { supported: true },
			filter: { supported: true, maxResults: 50 },
			sort: { supported: true },
			bulk: { supported: false },
			etag: { supported: false },
			changePassword: { supported: false },
		});
		expect(config.body.authenticationSchemes).toEqual([
			expect.objectContaining({ type: 'oauthbearertoken' }),
		]);

		const types = await scim(sandbox, 'GET', '/ResourceTypes');
		expect(types.body.schemas).toEqual([LIST]);
		const byName = Object.fromEntries(types.body.Resources.map((t: any) => [t.name, t]));
		expect(byName.User).toMatchObject({
			endpoint: '/Users',
			schema: USER,
			schemaExtensions: [{ schema: ENTERPRISE, required: false }],
		});
		expect(byName.Group).toMatchObject({ endpoint: '/Groups', schema: GROUP });

		const schemas = await scim(sandbox, 'GET', '/Schemas');
		const ids = schemas.body.Resources.map((s: any) => s.id);
		expect(ids).toEqual(expect.arrayContaining([USER, GROUP, ENTERPRISE]));
		const userName = schemas.body.Resources.find((s: any) => s.id === USER).attributes.find(
			(a: any) => a.name === 'userName',
		);
		expect(userName).toMatchObject({ required: true, caseExact: false, uniqueness: 'server' });
	});

	it('answers a missing or wrong Bearer token with 401 and a SCIM Error, on every endpoint', async () => {
		for (const authorization of [null, 'Bearer wrong', `Basic ${sandbox.token}`, sandbox.token]) {
			for (const path of ['/Users', '/ServiceProviderConfig']) {
				const refused = await scim(sandbox, 'GET', path, undefined, { authorization });
				expect(refused.status).toBe(401);
				expect(refused.body).toMatchObject({ schemas: [ERROR], status: '401' });
				expect(refused.body.detail).toContain('Bearer');
			}
		}
		const refusedWrite = await scim(sandbox, 'POST', '/Users', user('x@example.test'), {
			authorization: 'Bearer wrong',
		});
		expect(refusedWrite.status).toBe(401);
		expect(sandbox.getUsers()).toEqual([]);
		expect((await scim(sandbox, 'GET', '/Users')).status).toBe(200);
	});

	it('creates a User with the enterprise extension: 201, Location, id and meta from the server', async () => {
		const manager = await createUser(sandbox, 'boss@example.test');
		const created = await scim(sandbox, 'POST', '/Users', {
			schemas: [USER, ENTERPRISE],
			id: 'client-chosen-id',
			externalId: 'E-10042',
			userName: 'anouk.devries@example.test',
			active: true,
			name: { givenName: 'Anouk', familyName: 'de Vries' },
			displayName: 'Anouk de Vries',
			emails: [{ value: 'anouk.devries@example.test', type: 'work', primary: true }],
			meta: { resourceType: 'User' },
			roles: [],
			[ENTERPRISE]: {
				employeeNumber: 'E-10042',
				department: 'Finance',
				manager: { value: manager.id },
			},
		});
		expect(created.status).toBe(201);
		const body = created.body;
		expect(body.id).toMatch(UUID);
		expect(body.schemas).toEqual([USER, ENTERPRISE]);
		expect(body.meta).toEqual({
			resourceType: 'User',
			created: clock,
			lastModified: clock,
			location: `${sandbox.url}/Users/${body.id}`,
		});
		expect(created.headers.get('location')).toBe(body.meta.location);
		expect(body).toMatchObject({
			externalId: 'E-10042',
			userName: 'anouk.devries@example.test',
			active: true,
			[ENTERPRISE]: { department: 'Finance', manager: { value: manager.id } },
		});

		const read = await scim(sandbox, 'GET', `/Users/${body.id}`);
		expect(read.status).toBe(200);
		expect(read.body).toEqual(body);
		expect(sandbox.getUsers().map((u) => u.externalId)).toEqual([undefined, 'E-10042']);
	});

	it('GET, PUT, PATCH and DELETE of an unknown id get 404 with a SCIM Error', async () => {
		for (const method of ['GET', 'PUT', 'PATCH', 'DELETE']) {
			const body =
				method === 'PUT'
					? user('x@example.test')
					: method === 'PATCH'
						? patchOp({ op: 'replace', path: 'active', value: false })
						: undefined;
			const missing = await scim(
				sandbox,
				method,
				'/Users/4f1d0000-0000-4000-8000-000000000000',
				body,
			);
			expect(missing.status).toBe(404);
			expect(missing.body).toMatchObject({ schemas: [ERROR], status: '404' });
		}
		expect((await scim(sandbox, 'GET', '/Groups/nope')).status).toBe(404);
		expect((await scim(sandbox, 'GET', '/Nothing')).status).toBe(404);
	});

	it('keeps userName unique, compared case-insensitively: 409 uniqueness on POST, PUT and PATCH', async () => {
		const anouk = await createUser(sandbox, 'anouk@example.test');
		const jan = await createUser(sandbox, 'jan@example.test');

		const duplicate = await scim(sandbox, 'POST', '/Users', user('ANOUK@Example.TEST'));
		expect(duplicate.status).toBe(409);
		expect(duplicate.body).toMatchObject({
			schemas: [ERROR],
			status: '409',
			scimType: 'uniqueness',
		});
		expect(duplicate.body.detail).toContain('userName');

		const put = await scim(sandbox, 'PUT', `/Users/${jan.id}`, user('Anouk@example.test'));
		expect(put.body.scimType).toBe('uniqueness');
		const patch = await scim(
			sandbox,
			'PATCH',
			`/Users/${jan.id}`,
			patchOp({ op: 'replace', path: 'userName', value: 'anouk@EXAMPLE.test' }),
		);
		expect(patch.status).toBe(409);
		expect(patch.body.scimType).toBe('uniqueness');

		// A user may change the case of its own userName.
		const own = await scim(sandbox, 'PUT', `/Users/${anouk.id}`, user('Anouk@Example.test'));
		expect(own.status).toBe(200);
		expect(sandbox.getUsers().map((u) => u.userName)).toEqual([
			'Anouk@Example.test',
			'jan@example.test',
		]);
	});

	it('PUT replaces the whole User; a GET-then-PUT round trip (Okta style) changes nothing', async () => {
		const created = await createUser(sandbox, 'jan@example.test', {
			externalId: 'E-1',
			title: 'Payroll Officer',
			password: 'Initial-Secret-1',
			emails: [{ value: 'jan@example.test', type: 'work', primary: true }],
		});
		clock = '2026-03-02T09:00:00.000Z';
		const read = await scim(sandbox, 'GET', `/Users/${created.id}`);
		expect(read.body.password).toBeUndefined();
		const roundTrip = await scim(sandbox, 'PUT', `/Users/${created.id}`, read.body);
		expect(roundTrip.status).toBe(200);
		expect(roundTrip.body.meta.lastModified).toBe('2026-03-02T08:00:00.000Z');

		const replaced = await scim(sandbox, 'PUT', `/Users/${created.id}`, {
			schemas: [USER],
			userName: 'jan@example.test',
			externalId: 'E-1',
			active: false,
		});
		expect(replaced.status).toBe(200);
		expect(replaced.body.title).toBeUndefined();
		expect(replaced.body.emails).toBeUndefined();
		expect(replaced.body.active).toBe(false);
		expect(replaced.body.meta).toMatchObject({
			created: '2026-03-02T08:00:00.000Z',
			lastModified: '2026-03-02T09:00:00.000Z',
		});
		expect(replaced.body.id).toBe(created.id);
	});

	it('DELETE answers 204, then the User is gone from reads, lists, groups and managers', async () => {
		const boss = await createUser(sandbox, 'boss@example.test');
		const report = await createUser(sandbox, 'report@example.test', {
			schemas: [USER, ENTERPRISE],
			[ENTERPRISE]: { department: 'Sales', manager: { value: boss.id } },
		});
		const group = await scim(sandbox, 'POST', '/Groups', {
			schemas: [GROUP],
			displayName: 'Sales',
			members: [{ value: boss.id }, { value: report.id }],
		});

		const deleted = await scim(sandbox, 'DELETE', `/Users/${boss.id}`);
		expect(deleted.status).toBe(204);
		expect(deleted.body).toBeUndefined();
		expect((await scim(sandbox, 'GET', `/Users/${boss.id}`)).status).toBe(404);
		expect((await scim(sandbox, 'DELETE', `/Users/${boss.id}`)).status).toBe(404);
		expect((await scim(sandbox, 'GET', '/Users')).body.totalResults).toBe(1);
		expect((await scim(sandbox, 'GET', `/Groups/${group.body.id}`)).body.members).toEqual([
			{ value: report.id },
		]);
		expect((await scim(sandbox, 'GET', `/Users/${report.id}`)).body[ENTERPRISE]).toEqual({
			department: 'Sales',
		});
		// The name is free again.
		expect((await scim(sandbox, 'POST', '/Users', user('Boss@example.test'))).status).toBe(201);
	});
});

describe('SCIM sandbox: schema validation by SCIMMY', () => {
	let sandbox: ScimSandbox;
	beforeAll(async () => {
		sandbox = await startScimSandbox();
	});
	beforeEach(() => sandbox.reset());
	afterAll(() => sandbox.close());

	const invalid: Array<[string, string, unknown, string, RegExp]> = [
		[
			'active as a string',
			'POST',
			user('a@example.test', { active: 'False' }),
			'invalidValue',
			/active/,
		],
		['no userName', 'POST', { schemas: [USER], active: true }, 'invalidValue', /userName/],
		[
			'emails not a list of objects',
			'POST',
			user('a@example.test', { emails: 'a@example.test' }),
			'invalidValue',
			/emails/,
		],
		[
			'a non-canonical email type',
			'POST',
			user('a@example.test', { emails: [{ value: 'a@x.test', type: 'private' }] }),
			'invalidValue',
			/type/,
		],
		[
			'manager as a bare string',
			'POST',
			user('a@example.test', { [ENTERPRISE]: { manager: 'abc' } }),
			'invalidValue',
			/manager/,
		],
		[
			'manager that is no User id',
			'POST',
			user('a@example.test', { [ENTERPRISE]: { manager: { value: 'E-77' } } }),
			'invalidValue',
			/manager\.value "E-77"/,
		],
		[
			'a list instead of an object',
			'POST',
			[user('a@example.test')],
			'invalidSyntax',
			/single complex value/,
		],
		[
			'a Group without displayName',
			'POST /Groups',
			{ schemas: [GROUP], members: [] },
			'invalidValue',
			/displayName/,
		],
		[
			'a Group member that is no id',
			'POST /Groups',
			{ schemas: [GROUP], displayName: 'G', members: [{ value: 'E-1' }] },
			'invalidValue',
			/members\.value "E-1"/,
		],
	];

	it.each(invalid)(
		'refuses %s with 400 and the library error',
		async (_name, how, body, scimType, detail) => {
			const [method, path = '/Users'] = how.split(' ');
			const refused = await scim(sandbox, method, path, body);
			expect(refused.status).toBe(400);
			expect(refused.body).toMatchObject({ schemas: [ERROR], status: '400', scimType });
			expect(refused.body.detail).toMatch(detail);
			expect(sandbox.getUsers()).toEqual([]);
			expect(sandbox.getGroups()).toEqual([]);
		},
	);

	it('refuses malformed JSON with 400 invalidSyntax', async () => {
		const refused = await scim(sandbox, 'POST', '/Users', undefined, { raw: '{"userName": ' });
		expect(refused.status).toBe(400);
		expect(refused.body).toMatchObject({ schemas: [ERROR], scimType: 'invalidSyntax' });
	});

	it('refuses a body over 1 MB with 413 and a SCIM Error', async () => {
		const big = user('a@example.test', { displayName: 'x'.repeat(1_100_000) });
		const refused = await scim(sandbox, 'POST', '/Users', big);
		expect(refused.status).toBe(413);
		expect(refused.body).toMatchObject({ schemas: [ERROR], status: '413' });
		const members = Array.from({ length: 3000 }, (_, i) => ({
			value: `member-${i}`,
			display: `Member ${i}`,
		}));
		const large = await scim(sandbox, 'POST', '/Groups', {
			schemas: [GROUP],
			displayName: 'G',
			members,
		});
		expect(large.body.detail).toMatch(/members\.value "member-0"/);
	});

	it('refuses bad PatchOp messages and leaves the User as it was (the request is atomic)', async () => {
		const jan = await createUser(sandbox, 'jan@example.test', { active: true, title: 'Clerk' });
		const cases: Array<[unknown, string]> = [
			[
				{ schemas: [USER], Operations: [{ op: 'replace', path: 'active', value: false }] },
				'invalidSyntax',
			],
			[patchOp(), 'invalidValue'],
			[patchOp({ op: 'delete', path: 'title' }), 'invalidSyntax'],
			[patchOp({ op: 'remove' }), 'noTarget'],
			[patchOp({ op: 'replace', path: 'nickname.first', value: 'x' }), 'invalidPath'],
			[patchOp({ op: 'replace', path: 'active', value: 'False' }), 'invalidValue'],
			[patchOp({ op: 'replace', path: 'id', value: 'mine' }), 'mutability'],
			[patchOp({ op: 'remove', path: 'userName' }), 'invalidValue'],
			[
				patchOp(
					{ op: 'replace', path: 'title', value: 'Manager' },
					{ op: 'replace', path: 'emails[type eq "work"].value', value: 'x@example.test' },
				),
				'noTarget',
			],
		];
		for (const [body, scimType] of cases) {
			const refused = await scim(sandbox, 'PATCH', `/Users/${jan.id}`, body);
			expect({ status: refused.status, scimType: refused.body.scimType }).toEqual({
				status: 400,
				scimType,
			});
		}
		expect(sandbox.getUsers()).toEqual([expect.objectContaining({ active: true, title: 'Clerk' })]);
		expect(sandbox.stats().rejected).toHaveLength(cases.length);
	});
});
