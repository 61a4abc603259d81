import { startScimSandbox, type ScimSandbox } from '../../../sandbox/scim/server';
import { createUser, ENTERPRISE, ERROR, filtered, GROUP, scim } from './http';

/** A userName with a double quote and a backslash, as stored. */
const TRICKY = 'o"neil\\it@example.test';

describe('SCIM sandbox: filters', () => {
	let sandbox: ScimSandbox;
	beforeAll(async () => {
		sandbox = await startScimSandbox({
			users: [
				{
					userName: 'Anouk.DeVries@Example.test',
					externalId: 'E-1',
					active: true,
					name: { givenName: 'Anouk', familyName: 'de Vries' },
					emails: [{ value: 'Anouk.DeVries@Example.test', type: 'work', primary: true }],
					[ENTERPRISE]: { employeeNumber: 'E-1', department: 'Finance' },
				},
				{
					userName: 'jan@example.test',
					externalId: 'e-1',
					active: false,
					emails: [{ value: 'jan@home.example', type: 'home' }],
				},
				{ userName: TRICKY, externalId: 'E-3', title: 'Controller' },
			],
		});
	});
	afterAll(() => sandbox.close());

	async function names(filter: string): Promise<string[]> {
		const list = await scim(sandbox, 'GET', filtered(filter));
		expect({ filter, status: list.status }).toEqual({ filter, status: 200 });
		expect(list.body.totalResults).toBe(list.body.Resources?.length ?? 0);
		return (list.body.Resources ?? []).map((u: any) => u.userName);
	}

	it.each([
		['userName eq "anouk.devries@example.test"', ['Anouk.DeVries@Example.test']],
		['USERNAME EQ "ANOUK.DEVRIES@EXAMPLE.TEST"', ['Anouk.DeVries@Example.test']],
		['userName sw "JAN@"', ['jan@example.test']],
		['userName co "DEVRIES"', ['Anouk.DeVries@Example.test']],
		['userName eq "nobody@example.test"', []],
		['userName eq "3f2a0000-0000-4000-8000-00000000beef"', []],
	])('userName is matched case-insensitively: %s', async (filter, expected) => {
		expect(await names(filter)).toEqual(expected);
	});

	it.each([
		['externalId eq "E-1"', ['Anouk.DeVries@Example.test']],
		['externalId eq "e-1"', ['jan@example.test']],
	])('externalId is matched exactly (caseExact): %s', async (filter, expected) => {
		expect(await names(filter)).toEqual(expected);
	});

	it('finds a userName with a quote and a backslash, sent JSON-escaped in the filter', async () => {
		const escaped = JSON.stringify(TRICKY); // "o\"neil\\it@example.test"
		expect(await names(`userName eq ${escaped}`)).toEqual([TRICKY]);
		expect(await names(`userName eq ${escaped.toUpperCase()}`)).toEqual([TRICKY]);
		expect(await names(`userName eq ${escaped} and externalId eq "E-3"`)).toEqual([TRICKY]);
		expect(await names('userName eq "o\\"neil"')).toEqual([]);
		// The same value created over HTTP is found the same way.
		const created = await createUser(sandbox, 'back\\slash "quoted"@example.test');
		expect(await names(`userName eq ${JSON.stringify(created.userName)}`)).toEqual([
			created.userName,
		]);
		expect((await scim(sandbox, 'DELETE', `/Users/${created.id}`)).status).toBe(204);
	});

	it.each([
		[
			'emails[type eq "work"].value eq "anouk.devries@example.test"',
			['Anouk.DeVries@Example.test'],
		],
		[
			'emails[type eq "work" and value eq "ANOUK.DEVRIES@example.test"]',
			['Anouk.DeVries@Example.test'],
		],
		['emails.value eq "jan@home.example"', ['jan@example.test']],
		['emails[type eq "work"] or title eq "controller"', ['Anouk.DeVries@Example.test', TRICKY]],
		['name.familyName eq "DE VRIES"', ['Anouk.DeVries@Example.test']],
		['active eq false', ['jan@example.test']],
		['active eq true and externalId eq "E-1"', ['Anouk.DeVries@Example.test']],
		['title pr', [TRICKY]],
		['emails pr', ['Anouk.DeVries@Example.test', 'jan@example.test']],
		['not (emails pr) or emails np', [TRICKY]],
		['not (title pr)', ['Anouk.DeVries@Example.test', 'jan@example.test']],
		[`${ENTERPRISE}:department eq "finance"`, ['Anouk.DeVries@Example.test']],
		[`${ENTERPRISE}:employeeNumber eq "E-1"`, ['Anouk.DeVries@Example.test']],
		[
			'meta.created gt "2000-01-01T00:00:00Z"',
			['Anouk.DeVries@Example.test', 'jan@example.test', TRICKY],
		],
	])('matches %s', async (filter, expected) => {
		expect(await names(filter)).toEqual(expected);
	});

	it.each([
		'userName eq',
		'userName eq "x" and (',
		'userName eq "bad \\q escape"',
		'userName xx "a"',
	])('refuses the malformed filter %s with 400 invalidFilter', async (filter) => {
		const refused = await scim(sandbox, 'GET', filtered(filter));
		expect(refused.status).toBe(400);
		expect(refused.body).toMatchObject({
			schemas: [ERROR],
			status: '400',
			scimType: 'invalidFilter',
		});
	});

	it('filters Groups by displayName, case-insensitively, and by member', async () => {
		const [anouk] = sandbox.getUsers();
		const created = await scim(sandbox, 'POST', '/Groups', {
			schemas: [GROUP],
			displayName: 'Finance "Team"',
			members: [{ value: anouk.id }],
		});
		const byName = await scim(
			sandbox,
			'GET',
			filtered('displayName eq "finance \\"team\\""', '/Groups'),
		);
		expect(byName.body.Resources.map((g: any) => g.id)).toEqual([created.body.id]);
		const byMember = await scim(
			sandbox,
			'GET',
			filtered(`members[value eq "${anouk.id}"]`, '/Groups'),
		);
		expect(byMember.body.totalResults).toBe(1);
		const none = await scim(sandbox, 'GET', filtered('displayName eq "Sales"', '/Groups'));
		expect(none.body).toMatchObject({ totalResults: 0 });
		expect((await scim(sandbox, 'DELETE', `/Groups/${created.body.id}`)).status).toBe(204);
	});
});
