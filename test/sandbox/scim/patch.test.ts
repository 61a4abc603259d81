import { startScimSandbox, type ScimSandbox } from '../../../sandbox/scim/server';
import { createUser, ENTERPRISE, GROUP, patchOp, scim, USER } from './http';

describe('SCIM sandbox: PATCH (PatchOp) on Users', () => {
	let sandbox: ScimSandbox;
	let clock: string;
	let boss: any;
	let deputy: any;
	let anouk: any;
	beforeEach(async () => {
		clock = '2026-04-01T06:00:00.000Z';
		sandbox = await startScimSandbox({ now: () => clock });
		boss = await createUser(sandbox, 'boss@example.test');
		deputy = await createUser(sandbox, 'deputy@example.test');
		anouk = await createUser(sandbox, 'anouk@example.test', {
			schemas: [USER, ENTERPRISE],
			externalId: 'E-10042',
			active: true,
			name: { givenName: 'Anouk', familyName: 'de Vries' },
			emails: [{ value: 'anouk@example.test', type: 'work', primary: true }],
			[ENTERPRISE]: {
				employeeNumber: 'E-10042',
				department: 'Finance',
				manager: { value: boss.id },
			},
		});
		clock = '2026-04-02T06:00:00.000Z';
	});
	afterEach(() => sandbox.close());

	const patch = (id: string, ...operations: Array<Record<string, unknown>>) =>
		scim(sandbox, 'PATCH', `/Users/${id}`, patchOp(...operations));
	const stored = (id: string) => sandbox.getUsers().find((u) => u.id === id) as any;

	it('deactivates with replace active=false, with a path (Entra) or without (Okta)', async () => {
		const withPath = await patch(anouk.id, { op: 'replace', path: 'active', value: false });
		expect(withPath.status).toBe(200);
		expect(withPath.body).toMatchObject({ id: anouk.id, active: false });
		expect(withPath.body.meta.lastModified).toBe(clock);
		expect(stored(anouk.id).active).toBe(false);

		const okta = await patch(boss.id, { op: 'replace', value: { active: false } });
		expect(okta.body.active).toBe(false);
		// Ops are case-insensitive (Entra sends "Replace").
		expect(
			(await patch(deputy.id, { op: 'Replace', path: 'active', value: false })).body.active,
		).toBe(false);
	});

	it('replaces emails whole, and name parts by path', async () => {
		const replaced = await patch(
			anouk.id,
			{
				op: 'replace',
				path: 'emails',
				value: [{ value: 'a.devries@example.test', type: 'work', primary: true }],
			},
			{ op: 'replace', path: 'name.familyName', value: 'de Vries-Bakker' },
		);
		expect(replaced.status).toBe(200);
		expect(stored(anouk.id).emails).toEqual([
			{ value: 'a.devries@example.test', type: 'work', primary: true },
		]);
		expect(stored(anouk.id).name).toEqual({ givenName: 'Anouk', familyName: 'de Vries-Bakker' });
	});

	it('sets enterprise attributes by URN path, including manager.value', async () => {
		const changed = await patch(
			anouk.id,
			{ op: 'replace', path: `${ENTERPRISE}:department`, value: 'HR' },
			{ op: 'replace', path: `${ENTERPRISE}:manager.value`, value: deputy.id },
		);
		expect(changed.status).toBe(200);
		expect(stored(anouk.id)[ENTERPRISE]).toEqual({
			employeeNumber: 'E-10042',
			department: 'HR',
			manager: { value: deputy.id },
		});

		// On a user without the extension yet, add and replace create it.
		expect(
			(await patch(boss.id, { op: 'add', path: `${ENTERPRISE}:manager.value`, value: deputy.id }))
				.status,
		).toBe(200);
		expect(
			(
				await patch(deputy.id, {
					op: 'replace',
					path: `${ENTERPRISE}:employeeNumber`,
					value: 'E-2',
				})
			).status,
		).toBe(200);
		expect(stored(boss.id)[ENTERPRISE]).toEqual({ manager: { value: deputy.id } });
		expect(stored(deputy.id)[ENTERPRISE]).toEqual({ employeeNumber: 'E-2' });
		expect(stored(boss.id).schemas).toBeUndefined();
		const read = await scim(sandbox, 'GET', `/Users/${boss.id}`);
		expect(read.body.schemas).toEqual([USER, ENTERPRISE]);
	});

	it('sets enterprise attributes in a path-less value: nested under the URN, or as URN/dotted keys', async () => {
		const nested = await patch(anouk.id, {
			op: 'replace',
			value: {
				title: 'Controller',
				[ENTERPRISE]: { department: 'Audit', manager: { value: deputy.id } },
			},
		});
		expect(nested.status).toBe(200);
		expect(stored(anouk.id)).toMatchObject({
			title: 'Controller',
			[ENTERPRISE]: { department: 'Audit', manager: { value: deputy.id } },
		});
		const keyed = await patch(anouk.id, {
			op: 'replace',
			value: {
				'name.givenName': 'Anna',
				[`${ENTERPRISE}:employeeNumber`]: 'E-9',
				[`${ENTERPRISE}:manager.value`]: boss.id,
			},
		});
		expect(keyed.status).toBe(200);
		expect(stored(anouk.id).name.givenName).toBe('Anna');
		expect(stored(anouk.id)[ENTERPRISE]).toMatchObject({
			employeeNumber: 'E-9',
			manager: { value: boss.id },
		});
	});

	it('removes the manager, and refuses a manager.value that is no User id', async () => {
		const refused = await patch(anouk.id, {
			op: 'replace',
			path: `${ENTERPRISE}:manager.value`,
			value: 'E-77',
		});
		expect(refused.status).toBe(400);
		expect(refused.body.scimType).toBe('invalidValue');
		expect(stored(anouk.id)[ENTERPRISE].manager).toEqual({ value: boss.id });

		const removed = await patch(anouk.id, { op: 'remove', path: `${ENTERPRISE}:manager` });
		expect(removed.status).toBe(200);
		expect(stored(anouk.id)[ENTERPRISE]).toEqual({
			employeeNumber: 'E-10042',
			department: 'Finance',
		});
	});

	it('answers a PATCH that changes nothing with 204 and keeps lastModified', async () => {
		const same = await patch(anouk.id, { op: 'replace', path: 'active', value: true });
		expect(same.status).toBe(204);
		expect(same.body).toBeUndefined();
		expect(stored(anouk.id).meta.lastModified).toBe('2026-04-01T06:00:00.000Z');
	});
});

describe('SCIM sandbox: Groups', () => {
	let sandbox: ScimSandbox;
	beforeAll(async () => {
		sandbox = await startScimSandbox();
	});
	afterAll(() => sandbox.close());

	it('creates, renames, changes members by PatchOp and PUT, and deletes a Group', async () => {
		const [a, b, c] = await Promise.all(
			['a', 'b', 'c'].map((name) => createUser(sandbox, `${name}@example.test`)),
		);
		const created = await scim(sandbox, 'POST', '/Groups', {
			schemas: [GROUP],
			displayName: 'Finance',
			members: [],
		});
		expect(created.status).toBe(201);
		expect(created.headers.get('location')).toBe(`${sandbox.url}/Groups/${created.body.id}`);
		const id = created.body.id;
		const patchGroup = (...operations: Array<Record<string, unknown>>) =>
			scim(sandbox, 'PATCH', `/Groups/${id}`, patchOp(...operations));
		const members = () => (sandbox.getGroups()[0].members as any[]).map((m) => m.value);

		expect(
			(await patchGroup({ op: 'add', path: 'members', value: [{ value: a.id }, { value: b.id }] }))
				.status,
		).toBe(200);
		expect(members()).toEqual([a.id, b.id]);
		// Adding a member twice is a no-op; Entra's "$ref": null is accepted.
		await patchGroup({
			op: 'Add',
			path: 'members',
			value: [{ $ref: null, value: a.id }, { value: c.id }],
		});
		expect(members()).toEqual([a.id, b.id, c.id]);
		expect((await patchGroup({ op: 'remove', path: `members[value eq "${b.id}"]` })).status).toBe(
			200,
		);
		expect(members()).toEqual([a.id, c.id]);
		// Entra's default form: remove with a value list removes only those members.
		await patchGroup({ op: 'Remove', path: 'members', value: [{ value: a.id }] });
		expect(members()).toEqual([c.id]);

		const user = await scim(sandbox, 'GET', `/Users/${c.id}`);
		expect(user.body.groups).toEqual([{ value: id, display: 'Finance', type: 'direct' }]);

		await patchGroup({ op: 'replace', value: { id, displayName: 'Finance & Control' } });
		const put = await scim(sandbox, 'PUT', `/Groups/${id}`, {
			schemas: [GROUP],
			displayName: 'Finance & Control',
			members: [{ value: a.id }, { value: b.id }],
		});
		expect(put.status).toBe(200);
		expect(members()).toEqual([a.id, b.id]);
		expect(sandbox.getGroups()[0].displayName).toBe('Finance & Control');

		const unknown = await patchGroup({ op: 'add', path: 'members', value: [{ value: 'E-1' }] });
		expect(unknown.status).toBe(400);
		expect(members()).toEqual([a.id, b.id]);

		const lean = await scim(sandbox, 'GET', '/Groups?excludedAttributes=members');
		expect(lean.body.Resources[0].members).toBeUndefined();
		expect((await scim(sandbox, 'DELETE', `/Groups/${id}`)).status).toBe(204);
		expect((await scim(sandbox, 'GET', `/Groups/${id}`)).status).toBe(404);
		expect(sandbox.getGroups()).toEqual([]);
		expect((await scim(sandbox, 'GET', `/Users/${a.id}`)).body.groups).toBeUndefined();
	});
});
