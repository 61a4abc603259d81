/**
 * The AFAS sandbox over plain HTTP: auth forms, routing, metainfo, paging, row order, the URL
 * limit, fault rules and the concurrency limit.
 */
import {
	AFAS_CONNECTOR_IDS,
	MOBIETRAIN_FIELDS,
	startAfasSandbox,
	type AfasSandbox,
} from '../../../sandbox/afas/server';
import { GENERIC_ERROR, PROFIT_LOG_REFERENCE, afasGet, getConnector } from './http';

const TODAY = '2026-01-15';
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const externalIds = (rows: Array<{ externalId: string }>) => rows.map((row) => row.externalId);

describe('AFAS sandbox server', () => {
	let afas: AfasSandbox;
	beforeAll(async () => {
		afas = await startAfasSandbox({ today: TODAY });
	});
	afterAll(() => afas.close());
	beforeEach(() => {
		afas.clearFaults();
		afas.setLatency(0);
		afas.resetStats();
	});

	describe('token auth', () => {
		it('hands out a Profit-style token and accepts it base64-encoded', async () => {
			expect(afas.tokenData).toMatch(/^[0-9A-F]{64}$/);
			expect(afas.tokenXml).toBe(
				`<token><version>1</version><data>${afas.tokenData}</data></token>`,
			);
			expect(Buffer.from(afas.tokenBase64, 'base64').toString('utf8')).toBe(afas.tokenXml);
			expect(afas.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ProfitRestServices$/);
			expect((await afasGet(afas, '/metainfo')).status).toBe(200);
		});

		it('answers the plain XML token with the generic 500 (Profit 6 enforcement)', async () => {
			const result = await afasGet(afas, '/metainfo', {
				authorization: `AfasToken ${afas.tokenXml}`,
			});
			expect(result.status).toBe(500);
			expect(result.body).toEqual({
				externalMessage: GENERIC_ERROR,
				errorNumber: -2147180999,
				profitLogReference: expect.stringMatching(PROFIT_LOG_REFERENCE),
			});
		});

		it.each([
			['no Authorization header', null],
			[
				'another token',
				`AfasToken ${base64('<token><version>1</version><data>' + '0'.repeat(64) + '</data></token>')}`,
			],
			['only the data part, base64', 'DATA'],
			['the token XML with a trailing newline', 'NEWLINE'],
			['a Bearer header', 'BEARER'],
			['a lower-case scheme', 'LOWER'],
			['something that is not base64', 'AfasToken !!!'],
		])('answers %s with 401 and an empty body', async (_name, authorization) => {
			const value =
				authorization === 'DATA'
					? `AfasToken ${base64(afas.tokenData)}`
					: authorization === 'NEWLINE'
						? `AfasToken ${base64(`${afas.tokenXml}\n`)}`
						: authorization === 'BEARER'
							? `Bearer ${afas.tokenBase64}`
							: authorization === 'LOWER'
								? `afastoken ${afas.tokenBase64}`
								: authorization;
			const result = await afasGet(afas, '/connectors/Mobietrain_Employees', {
				authorization: value,
			});
			expect(result.status).toBe(401);
			expect(result.text).toBe('');
			expect(result.headers.get('content-length')).toBe('0');
		});

		it('accepts the plain XML token when strictBase64 is off (older Profit)', async () => {
			const lenient = await startAfasSandbox({
				employeeCount: 9,
				strictBase64: false,
				tokenData: 'ABC123'.repeat(8),
			});
			try {
				expect(lenient.tokenXml).toContain('ABC123ABC123');
				expect(
					(await afasGet(lenient, '/metainfo', { authorization: `AfasToken ${lenient.tokenXml}` }))
						.status,
				).toBe(200);
				expect(
					(await afasGet(lenient, '/metainfo', { authorization: `AfasToken ${afas.tokenXml}` }))
						.status,
				).toBe(401);
			} finally {
				await lenient.close();
			}
		});

		it('derives the token from seed and environment, so the CLI prints a stable one', async () => {
			const again = await startAfasSandbox({ employeeCount: 9 });
			const otherEnvironment = await startAfasSandbox({ employeeCount: 9, environmentNr: '54321' });
			try {
				expect(again.tokenXml).toBe(afas.tokenXml);
				expect(otherEnvironment.tokenData).not.toBe(afas.tokenData);
				expect(otherEnvironment.environmentNr).toBe('54321');
			} finally {
				await Promise.all([again.close(), otherEnvironment.close()]);
			}
		});

		it('never writes the token into the request log', async () => {
			await afasGet(afas, '/metainfo', { headers: { IntegrationId: '12345_123456' } });
			const log = JSON.stringify(afas.stats());
			expect(log).not.toContain(afas.tokenData);
			expect(log).not.toContain(afas.tokenBase64);
			expect(afas.stats().log[0]).toEqual({
				method: 'GET',
				path: '/ProfitRestServices/metainfo',
				query: {},
				status: 200,
				integrationId: '12345_123456',
			});
		});
	});

	describe('routing and metainfo', () => {
		it('lists the connectors and the token info', async () => {
			const result = await afasGet(afas, '/metainfo');
			expect(result.headers.get('content-type')).toBe('application/json; charset=utf-8');
			expect(Object.keys(result.body)).toEqual(['updateConnectors', 'getConnectors', 'info']);
			expect(result.body.getConnectors.map((connector: { id: string }) => connector.id)).toEqual(
				Object.values(AFAS_CONNECTOR_IDS),
			);
			expect(result.body.getConnectors[0]).toEqual({
				id: 'Mobietrain_Employees',
				description: expect.any(String),
			});
			expect(result.body.info).toEqual({
				envid: 'O12345AA',
				appName: 'HR Sync sandbox',
				group: expect.stringContaining('12345'),
				tokenExpiry: '0',
			});
		});

		it("describes Mobietrain_Employees with exactly the field table of MobieTrain's help article", async () => {
			const result = await afasGet(afas, '/metainfo/get/Mobietrain_Employees');
			expect(result.status).toBe(200);
			expect(result.body.name).toBe('Mobietrain_Employees');
			const fields = result.body.fields as Array<Record<string, unknown>>;
			expect(fields.map((field) => [field.id, field.dataType])).toEqual([
				['email', 'string'],
				['employerId', 'string'],
				['employerName', 'string'],
				['employementEndDate', 'date'],
				['employmentStartDate', 'date'],
				['externalId', 'string'],
				['firstName', 'string'],
				['functionId', 'string'],
				['functionDescription', 'string'],
				['lastName', 'string'],
				['organizationId', 'string'],
				['organizationName', 'string'],
				['isoCode', 'string'],
			]);
			expect(MOBIETRAIN_FIELDS.map(([id]) => id)).toEqual(fields.map((field) => field.id));
			for (const field of fields) {
				expect(Object.keys(field)).toEqual([
					'id',
					'fieldId',
					'dataType',
					'label',
					'length',
					'controlType',
					'decimals',
					'decimalsFieldId',
				]);
			}
		});

		it("describes Profit_Employees with the standard connector's field ids and types", async () => {
			const fields = (await afasGet(afas, '/metainfo/get/Profit_Employees')).body.fields as Array<{
				id: string;
				dataType: string;
			}>;
			expect(fields.map((field) => field.id)).toEqual([
				'EmployeeId',
				'PersonId',
				'EmployerId',
				'BSN',
				'BirthName',
				'Initials',
				'PrefixBirthName',
				'DateOfBirth',
				'Gender',
				'MaritalStatus',
				'PrefixPartner',
				'BirthNamePartner',
				'NameUse',
				'Mobile',
				'Phone',
				'Street',
				'HouseNumber',
				'AddNumber',
				'ZIPCode',
				'City',
				'Country',
				'EmploymentStart',
				'EmploymentEnd',
				'HourPerWeek',
				'EmploymentType',
				'EmploymentTypeDesc',
				'FTE',
				'OrgUnit',
				'OrgUnitDesc',
				'FunctionId',
				'FunctionDesc',
				'DateDeceased',
				'Mail',
				'FirstName',
			]);
			const typeOf = Object.fromEntries(fields.map((field) => [field.id, field.dataType]));
			expect(typeOf).toMatchObject({
				HouseNumber: 'int',
				HourPerWeek: 'decimal',
				FTE: 'decimal',
				EmploymentStart: 'date',
				EmploymentEnd: 'date',
				DateOfBirth: 'date',
				DateDeceased: 'date',
				Mail: 'string',
			});
		});

		it('matches the path prefix and segments case-insensitively and answers profitversion', async () => {
			const url = afas.url.replace('/ProfitRestServices', '/profitrestservices');
			const response = await fetch(`${url}/MetaInfo/Get/Oneteam_Users`, {
				headers: { Authorization: `AfasToken ${afas.tokenBase64}` },
			});
			expect(response.status).toBe(200);
			expect((await afasGet(afas, '/profitversion')).body).toEqual({
				version: expect.stringMatching(/^\d+\.\d+/),
			});
		});

		it('answers an unknown connector with 401 (not in the App Connector), or as configured', async () => {
			for (const path of [
				'/connectors/Nope',
				'/metainfo/get/Nope',
				'/metainfo/update/KnEmployee',
			]) {
				const result = await afasGet(afas, path);
				expect(result.status).toBe(401);
				expect(result.text).toBe('');
			}
			const other = await startAfasSandbox({ employeeCount: 9, unknownConnectorStatus: 404 });
			const third = await startAfasSandbox({ employeeCount: 9, unknownConnectorStatus: 500 });
			try {
				expect((await afasGet(other, '/connectors/Nope')).status).toBe(404);
				expect((await afasGet(third, '/connectors/Nope')).body.externalMessage).toBe(
					'GetConnector not supported for this app or the user is not authorized.',
				);
			} finally {
				await Promise.all([other.close(), third.close()]);
			}
		});

		it('answers unknown paths and other methods with 404', async () => {
			expect((await afasGet(afas, '/nothing')).status).toBe(404);
			const post = await fetch(`${afas.url}/connectors/Mobietrain_Employees`, {
				method: 'POST',
				headers: { Authorization: `AfasToken ${afas.tokenBase64}` },
				body: '{}',
			});
			expect(post.status).toBe(404);
		});

		it("answers a blocked connector definition with AFAS' Fair Use 500", async () => {
			afas.setBlocked('Oneteam_Functions', true);
			try {
				const result = await getConnector(afas, 'Oneteam_Functions');
				expect(result.status).toBe(500);
				expect(result.body.externalMessage).toBe('This GetConnector (definition) is blocked');
			} finally {
				afas.setBlocked('Oneteam_Functions', false);
			}
			expect((await getConnector(afas, 'Oneteam_Functions')).status).toBe(200);
		});

		it('speaks Dutch in error messages for Accept-Language nl-nl', async () => {
			const result = await getConnector(
				afas,
				'Oneteam_Users',
				{ skip: 2, take: -1 },
				{ headers: { 'Accept-Language': 'nl-nl' } },
			);
			expect(result.body.externalMessage).toBe('Er is een onverwachte fout opgetreden.');
		});
	});

	describe('GetConnector results and paging', () => {
		it('answers { skip, take, rows } with every column, fake-Z dates and null for empty values', async () => {
			const result = await getConnector(afas, 'Mobietrain_Employees', {
				skip: 0,
				take: 5,
				orderbyfieldids: 'externalId',
			});
			expect(Object.keys(result.body)).toEqual(['skip', 'take', 'rows']);
			expect(result.text.startsWith('{"skip":0,"take":5,"rows":[{"email":')).toBe(true);
			expect(result.body.rows).toHaveLength(5);
			for (const row of result.body.rows) {
				expect(Object.keys(row)).toEqual(MOBIETRAIN_FIELDS.map(([id]) => id));
				expect(row.employmentStartDate).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00Z$/);
				expect(
					row.employementEndDate === null ||
						/^\d{4}-\d{2}-\d{2}T00:00:00Z$/.test(row.employementEndDate),
				).toBe(true);
			}
			expect(externalIds(result.body.rows)).toEqual([
				'000001',
				'000002',
				'000003',
				'000004',
				'000005',
			]);
		});

		it('defaults to skip 0 / take 100 and echoes the requested take, not the row count', async () => {
			const first = await getConnector(afas, 'Mobietrain_Employees');
			expect(first.body.skip).toBe(0);
			expect(first.body.take).toBe(100);
			expect(first.body.rows).toHaveLength(100);
			const functions = await getConnector(afas, 'Oneteam_Functions', { take: 1000 });
			expect(functions.body.take).toBe(1000);
			expect(functions.body.rows).toHaveLength(10);
		});

		it('pages 2500 employees by 1000 with a unique sort: 1000, 1000, 500, then an empty page', async () => {
			const seen: string[] = [];
			const sizes: number[] = [];
			for (let skip = 0; ; skip += 1000) {
				const page = await getConnector(afas, 'Mobietrain_Employees', {
					skip,
					take: 1000,
					orderbyfieldids: 'externalId',
				});
				expect(page.body.skip).toBe(skip);
				sizes.push(page.body.rows.length);
				seen.push(...externalIds(page.body.rows));
				if (page.body.rows.length === 0) break;
			}
			expect(sizes).toEqual([1000, 1000, 500, 0]);
			expect(new Set(seen).size).toBe(2500);
		});

		it('pages exact multiples of the page size and one more (setRows)', async () => {
			const rows = (count: number) =>
				Array.from({ length: count }, (_, index) => ({ id: String(index).padStart(5, '0') }));
			for (const [count, expected] of [
				[0, [0]],
				[1, [1]],
				[2000, [1000, 1000, 0]],
				[2001, [1000, 1000, 1]],
			] as const) {
				afas.setRows('Test_Paging', rows(count), [{ id: 'id', dataType: 'string', label: 'Id' }]);
				const sizes: number[] = [];
				for (let skip = 0; ; skip += 1000) {
					const page = await getConnector(afas, 'Test_Paging', {
						skip,
						take: 1000,
						orderbyfieldids: 'id',
					});
					sizes.push(page.body.rows.length);
					if (page.body.rows.length < 1000) break;
				}
				expect(sizes).toEqual(expected);
			}
		});

		it('returns everything for skip=-1 (take ignored) and skip=-1&take=-1', async () => {
			expect(
				(await getConnector(afas, 'Mobietrain_Employees', { skip: -1, take: -1 })).body.rows,
			).toHaveLength(2500);
			expect(
				(await getConnector(afas, 'Mobietrain_Employees', { skip: -1, take: 10 })).body.rows,
			).toHaveLength(2500);
		});

		it('answers take=-1 without skip=-1 with the generic 500, take=0 with one row, a bad skip as 0', async () => {
			const invalid = await getConnector(afas, 'Mobietrain_Employees', { skip: 2, take: -1 });
			expect(invalid.status).toBe(500);
			expect(invalid.body).toEqual({
				externalMessage: GENERIC_ERROR,
				errorNumber: -2147180999,
				profitLogReference: expect.stringMatching(PROFIT_LOG_REFERENCE),
			});
			expect(
				(await getConnector(afas, 'Mobietrain_Employees', { take: 0 })).body.rows,
			).toHaveLength(1);
			const badSkip = await getConnector(afas, 'Mobietrain_Employees', {
				skip: 'abc',
				take: 3,
				orderbyfieldids: 'externalId',
			});
			expect(badSkip.body.skip).toBe(0);
			expect(externalIds(badSkip.body.rows)).toEqual(['000001', '000002', '000003']);
		});

		it('gives a different row order on every call without orderbyfieldids', async () => {
			const first = externalIds(
				(await getConnector(afas, 'Mobietrain_Employees', { skip: -1, take: -1 })).body.rows,
			);
			const second = externalIds(
				(await getConnector(afas, 'Mobietrain_Employees', { skip: -1, take: -1 })).body.rows,
			);
			expect(second).not.toEqual(first);
			expect([...second].sort()).toEqual([...first].sort());
		});

		it('so paging without a sort loses and repeats rows, as AFAS warns', async () => {
			const seen: string[] = [];
			for (const skip of [0, 1000, 2000]) {
				seen.push(
					...externalIds(
						(await getConnector(afas, 'Mobietrain_Employees', { skip, take: 1000 })).body.rows,
					),
				);
			}
			expect(seen).toHaveLength(2500);
			expect(new Set(seen).size).toBeLessThan(2500);
		});

		it('gives rows that tie on a non-unique sort field a changing order', async () => {
			const read = async () =>
				(
					await getConnector(afas, 'Mobietrain_Employees', {
						skip: -1,
						take: -1,
						orderbyfieldids: 'organizationId',
					})
				).body.rows;
			const [first, second] = [await read(), await read()];
			const organisations = first.map((row: { organizationId: string }) => row.organizationId);
			expect(organisations).toEqual([...organisations].sort());
			expect(externalIds(second)).not.toEqual(externalIds(first));
		});

		it('keeps rows in storage order when unstableOrder is off', async () => {
			const stable = await startAfasSandbox({ employeeCount: 50, unstableOrder: false });
			try {
				const ids = externalIds(
					(await getConnector(stable, 'Mobietrain_Employees', { take: 50 })).body.rows,
				);
				expect(ids).toEqual(
					externalIds(stable.getRows('Mobietrain_Employees') as Array<{ externalId: string }>),
				);
			} finally {
				await stable.close();
			}
		});

		it('serves rows set after a query was answered (remembered orders are per set of rows)', async () => {
			const fields = [{ id: 'id', dataType: 'string' as const, label: 'Id' }];
			afas.setRows('Test_Replaced', [{ id: 'b' }, { id: 'a' }], fields);
			const ids = async () =>
				(
					(await getConnector(afas, 'Test_Replaced', { orderbyfieldids: 'id' })).body
						.rows as Array<{ id: string }>
				).map((row) => row.id);
			expect(await ids()).toEqual(['a', 'b']);
			afas.setRows('Test_Replaced', [{ id: 'd' }, { id: 'c' }, { id: 'e' }], fields);
			expect(await ids()).toEqual(['c', 'd', 'e']);
		});

		it('answers a repeated query byte for byte as JSON.stringify of the sorted rows', async () => {
			const parameters = { skip: 10, take: 7, orderbyfieldids: '-externalId' };
			const expected = afas
				.getRows('Mobietrain_Employees')
				.sort((a, b) => String(b.externalId).localeCompare(String(a.externalId)))
				.slice(10, 17);
			for (let call = 0; call < 2; call++) {
				expect((await getConnector(afas, 'Mobietrain_Employees', parameters)).text).toBe(
					JSON.stringify({ skip: 10, take: 7, rows: expected }),
				);
			}
		});

		it('moves rows that tie on the sort across page boundaries between calls, keeping the sort', async () => {
			// Pages of 7 cut through the runs of rows with the same organisation.
			const readPages = async () => {
				const pages: Array<Array<{ externalId: string; organizationId: string }>> = [];
				for (let skip = 0; skip < 70; skip += 7) {
					pages.push(
						(
							await getConnector(afas, 'Mobietrain_Employees', {
								skip,
								take: 7,
								orderbyfieldids: 'organizationId',
							})
						).body.rows,
					);
				}
				return pages;
			};
			const [first, second] = [await readPages(), await readPages()];
			const organisations = (pages: typeof first) => pages.flat().map((row) => row.organizationId);
			expect(organisations(first)).toEqual([...organisations(first)].sort());
			expect(organisations(second)).toEqual(organisations(first));
			// Not just shuffled inside each page: some page holds other people than the first time.
			const members = (page: Array<{ externalId: string }>) => externalIds(page).sort().join();
			expect(first.some((page, index) => members(page) !== members(second[index]!))).toBe(true);
		});

		it('gzips large answers for clients that accept it', async () => {
			const response = await fetch(`${afas.url}/connectors/Mobietrain_Employees?take=200`, {
				headers: { Authorization: `AfasToken ${afas.tokenBase64}`, 'Accept-Encoding': 'gzip' },
			});
			expect(response.headers.get('content-encoding')).toBe('gzip');
			expect(((await response.json()) as { rows: unknown[] }).rows).toHaveLength(200);
		});

		it('refuses pages over maxCells with "Out of memory"', async () => {
			const small = await startAfasSandbox({ employeeCount: 30, maxCells: 13 * 10 });
			try {
				expect((await getConnector(small, 'Mobietrain_Employees', { take: 10 })).status).toBe(200);
				const tooMuch = await getConnector(small, 'Mobietrain_Employees', { take: 11 });
				expect(tooMuch.status).toBe(500);
				expect(tooMuch.body.externalMessage).toBe('Out of memory');
			} finally {
				await small.close();
			}
		});
	});

	describe('URL length limit', () => {
		const withQueryLength = (length: number) => {
			const start = '?take=1&orderbyfieldids=externalId&x=';
			return `/connectors/Mobietrain_Employees${start}${'a'.repeat(length - start.length)}`;
		};
		it('accepts a query string of 2049 characters and answers 2050 with 404', async () => {
			expect((await afasGet(afas, withQueryLength(2049))).status).toBe(200);
			const tooLong = await afasGet(afas, withQueryLength(2050));
			expect(tooLong.status).toBe(404);
			expect(tooLong.body).toBeUndefined();
		});
	});

	describe('fault rules', () => {
		it("503 with Retry-After and AFAS' maintenance body, once by default", async () => {
			afas.addFault({ fault: { kind: 'status503', retryAfterSeconds: 7 } });
			const unavailable = await afasGet(afas, '/metainfo');
			expect(unavailable.status).toBe(503);
			expect(unavailable.headers.get('retry-after')).toBe('7');
			expect(unavailable.body).toEqual({
				error: { code: '503', message: expect.stringContaining('afasstatus.nl') },
				retry_after: 7,
			});
			expect((await afasGet(afas, '/metainfo')).status).toBe(200);
		});

		it('500 with externalMessage, errorNumber and profitLogReference', async () => {
			afas.addFault({
				fault: {
					kind: 'status500',
					externalMessage: 'The maximum duration for performing the assignment has been exceeded.',
				},
			});
			const failed = await getConnector(afas, 'Mobietrain_Employees');
			expect(failed.status).toBe(500);
			expect(failed.body).toEqual({
				externalMessage: 'The maximum duration for performing the assignment has been exceeded.',
				errorNumber: -2147180999,
				profitLogReference: expect.stringMatching(PROFIT_LOG_REFERENCE),
			});
			afas.addFault({ fault: { kind: 'status500' } });
			expect((await getConnector(afas, 'Mobietrain_Employees')).body.externalMessage).toBe(
				GENERIC_ERROR,
			);
		});

		it('reset: closes the connection without an answer', async () => {
			afas.addFault({ fault: { kind: 'reset' } });
			await expect(getConnector(afas, 'Mobietrain_Employees')).rejects.toThrow();
			expect(afas.stats().log[0].status).toBe(0);
			expect((await getConnector(afas, 'Mobietrain_Employees')).status).toBe(200);
		});

		it('truncated: a 200 whose JSON body is the first half of the real one', async () => {
			const parameters = { skip: 0, take: 20, orderbyfieldids: 'externalId' };
			afas.addFault({ fault: { kind: 'truncated' } });
			const cut = await getConnector(afas, 'Mobietrain_Employees', parameters);
			const whole = await getConnector(afas, 'Mobietrain_Employees', parameters);
			expect(cut.status).toBe(200);
			expect(() => JSON.parse(cut.text)).toThrow();
			expect(whole.text.startsWith(cut.text)).toBe(true);
			expect(Buffer.byteLength(cut.text)).toBe(Math.floor(Buffer.byteLength(whole.text) / 2));
		});

		it('matches connectorId and skip, fires `times` times, in the order added', async () => {
			afas.addFault({
				fault: { kind: 'status500', externalMessage: 'first' },
				connectorId: 'Oneteam_Users',
				skip: 1000,
				times: 2,
			});
			afas.addFault({
				fault: { kind: 'status500', externalMessage: 'second' },
				connectorId: 'Oneteam_Users',
			});
			const statusOf = async (connectorId: string, skip: number) => {
				const result = await getConnector(afas, connectorId, {
					skip,
					take: 10,
					orderbyfieldids: 'id',
				});
				return result.status === 500 ? result.body.externalMessage : result.status;
			};
			expect((await afasGet(afas, '/metainfo')).status).toBe(200);
			expect(await statusOf('Oneteam_Communities', 1000)).toBe(200);
			expect(await statusOf('Oneteam_Users', 1000)).toBe('first');
			expect(await statusOf('Oneteam_Users', 0)).toBe('second');
			expect(await statusOf('Oneteam_Users', 0)).toBe(200);
			expect(await statusOf('Oneteam_Users', 1000)).toBe('first');
			expect(await statusOf('Oneteam_Users', 1000)).toBe(200);
		});

		it('clearFaults removes pending rules', async () => {
			afas.addFault({ fault: { kind: 'status503' }, times: 5 });
			afas.clearFaults();
			expect((await afasGet(afas, '/metainfo')).status).toBe(200);
		});

		it('can also send the obsolete X-PROFIT-ERROR header (base64 of the message)', async () => {
			const withHeader = await startAfasSandbox({ employeeCount: 9, xProfitErrorHeader: true });
			try {
				const result = await getConnector(withHeader, 'Mobietrain_Employees', {
					orderbyfieldids: 'nope',
				});
				expect(Buffer.from(result.headers.get('x-profit-error')!, 'base64').toString('utf8')).toBe(
					"Connector field 'nope' not found",
				);
			} finally {
				await withHeader.close();
			}
		});
	});

	describe('concurrency limit', () => {
		it('answers calls above 8 in flight with the generic 500 and counts the peak', async () => {
			afas.setLatency(400);
			const results = await Promise.all(
				Array.from({ length: 12 }, () =>
					getConnector(afas, 'Oneteam_Functions', { orderbyfieldids: 'id' }),
				),
			);
			const statuses = results.map((result) => result.status).sort();
			expect(statuses.filter((status) => status === 200)).toHaveLength(8);
			expect(statuses.filter((status) => status === 500)).toHaveLength(4);
			expect(results.find((result) => result.status === 500)!.body.externalMessage).toBe(
				GENERIC_ERROR,
			);
			expect(afas.stats()).toMatchObject({ requests: 12, maxInFlight: 12 });
			afas.setLatency(0);
			expect((await getConnector(afas, 'Oneteam_Functions')).status).toBe(200);
		});

		it('lets 8 parallel calls through', async () => {
			afas.setLatency(200);
			const results = await Promise.all(
				Array.from({ length: 8 }, () => afasGet(afas, '/metainfo')),
			);
			expect(results.map((result) => result.status)).toEqual(Array(8).fill(200));
			expect(afas.stats().maxInFlight).toBe(8);
		});
	});
});
