/**
 * Whole provisioning runs the way the two big SCIM clients document them (Okta's SCIM 2.0 guide and
 * its spec test order, Microsoft Entra's provisioning with RFC-style PATCH): the sandbox must accept
 * every request, and refuse only what the run expects to be refused.
 */
import { startScimSandbox, type ScimSandbox } from '../../../sandbox/scim/server';
import { ENTERPRISE, filtered, GROUP, patchOp, scim, USER } from './http';

describe('SCIM sandbox: runs of real-world SCIM clients', () => {
	let sandbox: ScimSandbox;
	beforeEach(async () => {
		sandbox = await startScimSandbox({
			users: [
				{
					userName: 'preloaded@example.test',
					name: { givenName: 'P', familyName: 'L' },
					active: true,
				},
			],
		});
	});
	afterEach(() => sandbox.close());

	it('accepts an Okta-style run: list, look up, create, 409 on re-create, PUT updates, deactivate, groups', async () => {
		const first = await scim(sandbox, 'GET', '/Users?count=1&startIndex=1');
		expect(first.body).toMatchObject({ totalResults: 1, itemsPerPage: 1, startIndex: 1 });
		expect((await scim(sandbox, 'GET', `/Users/${first.body.Resources[0].id}`)).status).toBe(200);
		expect(
			(
				await scim(
					sandbox,
					'GET',
					filtered('userName eq "nobody-4c1d@example.test"', '/Users', '&startIndex=1&count=100'),
				)
			).body.totalResults,
		).toBe(0);
		expect((await scim(sandbox, 'GET', '/Users/010101010101010101')).status).toBe(404);

		const okta = {
			schemas: [USER],
			userName: 'Ingrid.Okta@example.test',
			name: { givenName: 'Ingrid', familyName: 'Okta' },
			emails: [{ primary: true, value: 'ingrid.okta@example.test', type: 'work' }],
			displayName: 'Ingrid Okta',
			locale: 'en-US',
			externalId: '00ujl29u0le5T6Aj10h7',
			groups: [],
			password: '1mz050nq',
			active: true,
		};
		const created = await scim(sandbox, 'POST', '/Users', okta);
		expect(created.status).toBe(201);
		expect((await scim(sandbox, 'POST', '/Users', okta)).status).toBe(409);
		const upper = await scim(
			sandbox,
			'GET',
			filtered(`userName eq "${okta.userName.toUpperCase()}"`),
		);
		expect(upper.body.Resources.map((u: any) => u.id)).toEqual([created.body.id]);

		const current = (await scim(sandbox, 'GET', `/Users/${created.body.id}`)).body;
		const renamed = await scim(sandbox, 'PUT', `/Users/${current.id}`, {
			...current,
			name: { givenName: 'Inge', familyName: 'Okta' },
		});
		expect(renamed.body.name.givenName).toBe('Inge');
		const deactivated = await scim(
			sandbox,
			'PATCH',
			`/Users/${current.id}`,
			patchOp({ op: 'replace', value: { active: false } }),
		);
		expect(deactivated.body.active).toBe(false);

		const group = await scim(sandbox, 'POST', '/Groups', {
			schemas: [GROUP],
			displayName: 'Test SCIMv2',
			members: [],
		});
		const groupId = group.body.id;
		await scim(
			sandbox,
			'PATCH',
			`/Groups/${groupId}`,
			patchOp({ op: 'replace', value: { id: groupId, displayName: 'Test SCIMv2 renamed' } }),
		);
		await scim(
			sandbox,
			'PATCH',
			`/Groups/${groupId}`,
			patchOp({ op: 'add', path: 'members', value: [{ value: current.id, display: 'Inge Okta' }] }),
		);
		await scim(
			sandbox,
			'PATCH',
			`/Groups/${groupId}`,
			patchOp({ op: 'remove', path: `members[value eq "${current.id}"]` }),
		);
		expect((await scim(sandbox, 'DELETE', `/Groups/${groupId}`)).status).toBe(204);

		expect(sandbox.stats().rejected.map((e) => [e.method, e.status])).toEqual([
			['GET', 404],
			['POST', 409],
		]);
	});

	it('accepts an Entra-style run: test connection, match by userName then externalId, RFC PATCH, manager, groups, delete', async () => {
		const probe = await scim(
			sandbox,
			'GET',
			filtered('userName eq "2f6c0000-0000-4000-8000-0000000000aa"'),
		);
		expect(probe.body).toMatchObject({ totalResults: 0 });
		expect(
			(await scim(sandbox, 'GET', filtered('externalId eq "0c5e0000-0000-4000-8000-00000000beef"')))
				.body.totalResults,
		).toBe(0);

		const entra = (userName: string, externalId: string) => ({
			schemas: [USER, ENTERPRISE],
			externalId,
			userName,
			active: true,
			emails: [{ primary: true, type: 'work', value: userName }],
			meta: { resourceType: 'User' },
			name: { formatted: 'Jan Jansen', familyName: 'Jansen', givenName: 'Jan' },
			roles: [],
			[ENTERPRISE]: { employeeNumber: externalId.slice(0, 8), department: 'Sales' },
		});
		const manager = (await scim(sandbox, 'POST', '/Users', entra('manager@example.test', 'm-1')))
			.body;
		const jan = (
			await scim(
				sandbox,
				'POST',
				'/Users',
				entra('jan.jansen@example.test', '0c5e0000-0000-4000-8000-00000000beef'),
			)
		).body;
		const matched = await scim(
			sandbox,
			'GET',
			filtered('externalId eq "0c5e0000-0000-4000-8000-00000000beef"'),
		);
		expect(matched.body.Resources.map((u: any) => u.id)).toEqual([jan.id]);

		const update = await scim(
			sandbox,
			'PATCH',
			`/Users/${jan.id}`,
			patchOp(
				{ op: 'Replace', path: 'emails[type eq "work"].value', value: 'jan.j@example.test' },
				{ op: 'Replace', path: 'name.familyName', value: 'Jansen-Bakker' },
				{
					op: 'replace',
					value: { 'name.givenName': 'Johannes', [`${ENTERPRISE}:department`]: 'Finance' },
				},
				{ op: 'Add', path: `${ENTERPRISE}:manager`, value: { value: manager.id } },
			),
		);
		expect(update.status).toBe(200);
		expect(update.body).toMatchObject({
			emails: [{ value: 'jan.j@example.test', type: 'work', primary: true }],
			name: { familyName: 'Jansen-Bakker', givenName: 'Johannes' },
			[ENTERPRISE]: { department: 'Finance', manager: { value: manager.id } },
		});

		const group = (
			await scim(sandbox, 'POST', '/Groups', {
				schemas: [GROUP],
				displayName: 'Sales',
				members: [],
			})
		).body;
		const found = await scim(
			sandbox,
			'GET',
			filtered('displayName eq "Sales"', '/Groups', '&excludedAttributes=members'),
		);
		expect(found.body.Resources.map((g: any) => g.id)).toEqual([group.id]);
		await scim(
			sandbox,
			'PATCH',
			`/Groups/${group.id}`,
			patchOp({ op: 'Add', path: 'members', value: [{ $ref: null, value: jan.id }] }),
		);
		expect(sandbox.getGroups()[0].members).toEqual([{ value: jan.id }]);
		await scim(
			sandbox,
			'PATCH',
			`/Groups/${group.id}`,
			patchOp({ op: 'Remove', path: `members[value eq "${jan.id}"]` }),
		);

		const disabled = await scim(
			sandbox,
			'PATCH',
			`/Users/${jan.id}`,
			patchOp({ op: 'Replace', path: 'active', value: false }),
		);
		expect(disabled.body.active).toBe(false);
		expect(
			(await scim(sandbox, 'GET', filtered('userName eq "jan.jansen@example.test"'))).body
				.Resources[0].active,
		).toBe(false);
		expect((await scim(sandbox, 'DELETE', `/Users/${jan.id}`)).status).toBe(204);

		expect(sandbox.stats().rejected).toEqual([]);
	});
});
