/**
 * The AFAS sandbox's generated data: deterministic, consistent across connectors, and full of
 * the awkward cases real tenants have. Also setRows/getRows normalisation.
 */
import { generatePeople } from '../../../sandbox/afas/data';
import { startAfasSandbox, type AfasSandbox } from '../../../sandbox/afas/server';
import { afasGet, getConnector } from './http';

const TODAY = '2026-01-15';
type Row = Record<string, any>;

const dateOf = (value: string | null) => (value === null ? null : value.slice(0, 10));

describe('AFAS sandbox data', () => {
	let afas: AfasSandbox;
	let employees: Row[];
	beforeAll(async () => {
		afas = await startAfasSandbox({ today: TODAY });
		employees = (await getConnector(afas, 'Mobietrain_Employees', { skip: -1, take: -1 })).body
			.rows;
	});
	afterAll(() => afas.close());

	it('serves 2500 employees by default, with unique leading-zero string ids', () => {
		expect(employees).toHaveLength(2500);
		const ids = employees.map((row) => row.externalId);
		expect(new Set(ids).size).toBe(2500);
		expect(ids).toContain('000123');
		expect(ids.every((id) => typeof id === 'string' && /^0\d{5}$/.test(id))).toBe(true);
	});

	it('has future starters and leavers with an end date in the past, today and in the future', () => {
		const starts = employees.map((row) => dateOf(row.employmentStartDate)!);
		const ends = employees.map((row) => dateOf(row.employementEndDate));
		expect(starts.some((date) => date > TODAY)).toBe(true);
		expect(ends.some((date) => date !== null && date < TODAY)).toBe(true);
		expect(ends.some((date) => date === TODAY)).toBe(true);
		expect(ends.some((date) => date !== null && date > TODAY)).toBe(true);
		expect(ends.filter((date) => date === null).length).toBeGreaterThan(2000);
		expect(
			employees.every(
				(row) =>
					row.employementEndDate === null || row.employementEndDate >= row.employmentStartDate,
			),
		).toBe(true);
	});

	it('has null e-mails, an e-mail shared by two employees, odd casing and trailing spaces', () => {
		const emails = employees.map((row) => row.email as string | null);
		expect(emails.filter((email) => email === null).length).toBeGreaterThan(0);
		const counts = new Map<string, number>();
		for (const email of emails) if (email !== null) counts.set(email, (counts.get(email) ?? 0) + 1);
		expect([...counts.values()].some((count) => count >= 2)).toBe(true);
		expect(emails.some((email) => email !== null && email !== email.toLowerCase())).toBe(true);
		expect(emails.some((email) => email !== null && email !== email.trim())).toBe(true);
	});

	it('has names with diacritics and a value containing , and ;', () => {
		const names = employees.map((row) => `${row.firstName} ${row.lastName}`);
		for (const letter of ['é', 'ö', 'ł', 'ß'])
			expect(names.some((name) => name.includes(letter))).toBe(true);
		expect(employees.some((row) => /,.*;/.test(row.functionDescription))).toBe(true);
	});

	it('gives every Oneteam user exactly one existing community and one existing function', async () => {
		const [users, communities, functions] = await Promise.all(
			['Oneteam_Users', 'Oneteam_Communities', 'Oneteam_Functions'].map(
				async (id) => (await getConnector(afas, id, { skip: -1, take: -1 })).body.rows as Row[],
			),
		);
		const communityIds = new Set(communities.map((row) => row.id));
		const functionIds = new Set(functions.map((row) => row.id));
		expect(communityIds.size).toBe(communities.length);
		expect(functionIds.size).toBe(functions.length);
		expect(users).toHaveLength(2500);
		const broken = users.filter(
			(user) => !communityIds.has(user.communityId) || !functionIds.has(user.functionId),
		);
		expect(broken).toEqual([]);
		expect(new Set(users.map((user) => user.communityId)).size).toBe(communities.length);
	});

	it('keeps each person the same across the MobieTrain, Oneteam and Profit_Employees connectors', () => {
		const byId = (connectorId: string, key: string) =>
			new Map(afas.getRows(connectorId).map((row) => [row[key] as string, row]));
		const users = byId('Oneteam_Users', 'id');
		const profit = byId('Profit_Employees', 'EmployeeId');
		const differences = employees.flatMap((employee) => {
			const user = users.get(employee.externalId)!;
			const standard = profit.get(employee.externalId)!;
			const asUser = [
				user.email,
				user.firstName,
				user.lastName,
				user.communityId,
				user.functionId,
				dateOf(user.outOfServiceDate as string | null),
			];
			const asStandard = [
				standard.Mail,
				standard.FirstName,
				standard.OrgUnit,
				standard.FunctionId,
				standard.EmploymentStart,
			];
			const expectedUser = [
				employee.email,
				employee.firstName,
				employee.lastName,
				employee.organizationId,
				employee.functionId,
				dateOf(employee.employementEndDate),
			];
			const expectedStandard = [
				employee.email,
				employee.firstName,
				employee.organizationId,
				employee.functionId,
				employee.employmentStartDate,
			];
			return JSON.stringify([asUser, asStandard]) ===
				JSON.stringify([expectedUser, expectedStandard])
				? []
				: [employee.externalId];
		});
		expect(users.size).toBe(2500);
		expect(differences).toEqual([]);
	});

	it('serves Profit_Employees numbers as numbers and codes as strings', () => {
		const row = afas.getRows('Profit_Employees')[0];
		expect(typeof row.HouseNumber).toBe('number');
		expect(typeof row.FTE).toBe('number');
		expect(typeof row.BSN).toBe('string');
		expect(row.BSN).toMatch(/^\d{9}$/);
	});

	it('puts only employees in service today in Medewerkers_indienst, with a boolean Geblokkeerd', () => {
		const rows = afas.getRows('Medewerkers_indienst');
		const inService = employees.filter(
			(row) =>
				dateOf(row.employmentStartDate)! <= TODAY &&
				(row.employementEndDate === null || dateOf(row.employementEndDate)! >= TODAY),
		);
		expect(rows.map((row) => row.Medewerker).sort()).toEqual(
			inService.map((row) => row.externalId).sort(),
		);
		expect(rows.every((row) => typeof row.Geblokkeerd === 'boolean')).toBe(true);
	});

	it('is deterministic for a seed and differs between seeds', () => {
		const options = { seed: 7, employeeCount: 300, today: TODAY };
		expect(generatePeople(options)).toEqual(generatePeople(options));
		expect(generatePeople({ ...options, seed: 8 })).not.toEqual(generatePeople(options));
	});

	it('plants every awkward case even in a small data set', async () => {
		const small = await startAfasSandbox({ employeeCount: 12, today: TODAY, seed: 3 });
		try {
			const rows = small.getRows('Mobietrain_Employees');
			expect(rows).toHaveLength(12);
			expect(rows.some((row) => (row.employmentStartDate as string) > `${TODAY}T`)).toBe(true);
			expect(rows.some((row) => row.employementEndDate === `${TODAY}T00:00:00Z`)).toBe(true);
			expect(rows.some((row) => row.email === null)).toBe(true);
			const emails = rows.map((row) => row.email).filter((email) => email !== null);
			expect(new Set(emails).size).toBeLessThan(emails.length);
			expect(rows.some((row) => row.firstName === 'Łukasz')).toBe(true);
		} finally {
			await small.close();
		}
	});

	describe('setRows / getRows', () => {
		it('normalises rows to the served form and infers fields when none are given', async () => {
			afas.setRows('Test_Inferred', [
				{
					code: '007',
					start: '2024-03-01',
					at: '2024-03-01T08:30',
					count: 3,
					rate: 0.5,
					ok: true,
					note: '',
				},
				{ code: '008', start: null, count: 4 },
			]);
			expect(afas.getFields('Test_Inferred').map((field) => [field.id, field.dataType])).toEqual([
				['code', 'string'],
				['start', 'date'],
				['at', 'date'],
				['count', 'int'],
				['rate', 'decimal'],
				['ok', 'boolean'],
				['note', 'string'],
			]);
			const rows = (await getConnector(afas, 'Test_Inferred', { orderbyfieldids: 'code' })).body
				.rows;
			expect(rows).toEqual([
				{
					code: '007',
					start: '2024-03-01T00:00:00Z',
					at: '2024-03-01T08:30:00Z',
					count: 3,
					rate: 0.5,
					ok: true,
					note: null,
				},
				{ code: '008', start: null, at: null, count: 4, rate: null, ok: null, note: null },
			]);
			const metainfo = (await afasGet(afas, '/metainfo')).body;
			expect(metainfo.getConnectors.map((connector: { id: string }) => connector.id)).toContain(
				'Test_Inferred',
			);
		});

		it("keeps a connector's fields when rows are replaced, and refuses unknown columns and wrong types", () => {
			afas.setRows('Oneteam_Functions', [{ id: 'F99', name: 'Nieuw' }]);
			expect(afas.getRows('Oneteam_Functions')).toEqual([{ id: 'F99', name: 'Nieuw' }]);
			expect(() => afas.setRows('Oneteam_Functions', [{ id: 'F1', colour: 'red' }])).toThrow(
				/"colour", which is not a field/,
			);
			expect(() => afas.setRows('Profit_Employees', [{ HouseNumber: '12' }])).toThrow(
				/HouseNumber.*not a number/,
			);
			const copy = afas.getRows('Oneteam_Functions');
			copy[0].name = 'changed';
			expect(afas.getRows('Oneteam_Functions')[0].name).toBe('Nieuw');
		});
	});
});
