/**
 * Filters (both syntaxes, all 15 operators) and sorting of the AFAS sandbox, over HTTP, on a
 * small connector defined with setRows so every expected row set can be written down.
 */
import {
	startAfasSandbox,
	type AfasFieldMeta,
	type AfasSandbox,
} from '../../../sandbox/afas/server';
import { GENERIC_ERROR, PROFIT_LOG_REFERENCE, getConnector } from './http';

const FIELDS: AfasFieldMeta[] = [
	{ id: 'code', dataType: 'string', label: 'Code' },
	{ id: 'name', dataType: 'string', label: 'Naam' },
	{ id: 'amount', dataType: 'decimal', label: 'Bedrag' },
	{ id: 'start', dataType: 'date', label: 'Begindatum' },
	{ id: 'active', dataType: 'boolean', label: 'Actief' },
];

const ROWS = [
	{ code: 'A1', name: 'Jansen', amount: 10, start: '2024-03-01', active: true },
	{ code: 'a2', name: 'de Vries', amount: 20.5, start: '2024-03-02', active: false },
	{ code: 'B3', name: 'Jänsen', amount: null, start: null, active: true },
	{ code: 'B4', name: null, amount: 5, start: '2023-12-31', active: false },
	{ code: 'C5', name: 'Jansen-Smit', amount: 10, start: '2024-03-01T12:30:00', active: true },
];

const CONNECTOR = 'Test_Operators';

async function codes(
	afas: AfasSandbox,
	parameters: Record<string, string | number>,
): Promise<string[]> {
	const result = await getConnector(afas, CONNECTOR, { orderbyfieldids: 'code', ...parameters });
	expect(result.status).toBe(200);
	return result.body.rows.map((row: { code: string }) => row.code);
}

const single = (field: string, operator: number, value: string) => ({
	filterfieldids: field,
	operatortypes: String(operator),
	filtervalues: value,
});

describe('AFAS sandbox filters and sorting', () => {
	let afas: AfasSandbox;
	beforeAll(async () => {
		afas = await startAfasSandbox({ employeeCount: 60, today: '2026-01-15' });
		afas.setRows(CONNECTOR, ROWS, FIELDS);
	});
	afterAll(() => afas.close());

	// [field, operator, value, expected codes in code order]
	const cases: Array<[string, number, string, string[]]> = [
		['name', 1, 'jansen', ['A1']], // case-insensitive, accent-sensitive (Jänsen is another name)
		['code', 1, 'a1', ['A1']],
		['amount', 1, '10', ['A1', 'C5']],
		['start', 1, '2024-03-01', ['A1']], // C5 is 12:30 that day
		['start', 1, '2024-03-01T12:30:00', ['C5']],
		['active', 1, 'true', ['A1', 'B3', 'C5']],
		['active', 1, '0', ['a2', 'B4']],
		['amount', 2, '10', ['A1', 'a2', 'C5']], // NULL fails every comparison
		['amount', 3, '10', ['A1', 'B4', 'C5']],
		['start', 4, '2024-03-01T00:00:00', ['a2', 'C5']],
		['start', 5, '2024-03-01', ['B4']],
		['name', 6, 'ans', ['A1', 'C5']],
		['name', 6, '%ans%', ['A1', 'C5']], // one leading/trailing % is a wildcard and ignored
		['name', 7, 'Jansen', ['a2', 'B3', 'C5']],
		['name', 7, '%smit%', ['A1', 'a2', 'B3']], // op 7 with %x% = does not contain
		['name', 8, '', ['B4']],
		['amount', 8, '[is leeg]', ['B3']],
		['name', 9, '', ['A1', 'a2', 'B3', 'C5']],
		['name', 10, 'jan', ['A1', 'C5']],
		['name', 10, 'jan%', ['A1', 'C5']],
		['name', 11, 'jan', ['a2', 'B3']],
		['name', 12, 'de', ['A1', 'B3', 'C5']],
		['name', 13, 'sen', ['A1', 'B3']],
		['name', 13, '%SEN', ['A1', 'B3']],
		['name', 14, 'sen', ['a2', 'C5']],
		['name', 15, 'SMIT', ['C5']],
	];
	it.each(cases)('%s operator %i value "%s"', async (field, operator, value, expected) => {
		expect(await codes(afas, single(field, operator, value))).toEqual(expected);
	});

	it('ANDs the items of a group (,) and ORs the groups (;)', async () => {
		expect(
			await codes(afas, {
				filterfieldids: 'name,amount',
				filtervalues: 'jan,10',
				operatortypes: '10,1',
			}),
		).toEqual(['A1', 'C5']);
		expect(
			await codes(afas, {
				filterfieldids: 'name,amount,start',
				filtervalues: 'jan,10,2024-03-01',
				operatortypes: '10,1,1',
			}),
		).toEqual(['A1']);
		expect(
			await codes(afas, {
				filterfieldids: 'name,amount;code',
				filtervalues: 'jansen,10;B4',
				operatortypes: '1,1;1',
			}),
		).toEqual(['A1', 'B4']);
	});

	it('reads filterjson, with Filter/Field as arrays or single objects and operators as numbers', async () => {
		const orGroups = {
			Filters: {
				Filter: [
					{
						'@FilterId': 'Filter 1',
						Field: [
							{ '@FieldId': 'name', '@OperatorType': '1', '#text': 'jansen' },
							{ '@FieldId': 'amount', '@OperatorType': '1', '#text': '10' },
						],
					},
					{
						'@FilterId': 'Filter 2',
						Field: [{ '@FieldId': 'code', '@OperatorType': '1', '#text': 'B4' }],
					},
				],
			},
		};
		expect(await codes(afas, { filterjson: JSON.stringify(orGroups) })).toEqual(['A1', 'B4']);
		const singleObjects = {
			Filters: {
				Filter: {
					'@FilterId': 'Filter 1',
					Field: { '@FieldId': 'amount', '@OperatorType': 2, '#text': 10 },
				},
			},
		};
		expect(await codes(afas, { filterjson: JSON.stringify(singleObjects) })).toEqual([
			'A1',
			'a2',
			'C5',
		]);
		const emptyWithoutText = {
			Filters: { Filter: [{ Field: [{ '@FieldId': 'name', '@OperatorType': '8' }] }] },
		};
		expect(await codes(afas, { filterjson: JSON.stringify(emptyWithoutText) })).toEqual(['B4']);
	});

	it('matches a value containing , and ; through filterjson', async () => {
		const description = 'Medewerker klantenservice, 1e lijn; NL';
		const filter = {
			Filters: {
				Filter: [
					{
						Field: [
							{ '@FieldId': 'functionDescription', '@OperatorType': '1', '#text': description },
						],
					},
				],
			},
		};
		const result = await getConnector(afas, 'Mobietrain_Employees', {
			filterjson: JSON.stringify(filter),
			skip: -1,
			take: -1,
		});
		expect(result.status).toBe(200);
		expect(result.body.rows.length).toBeGreaterThan(0);
		expect(result.body.rows.every((row: { functionId: string }) => row.functionId === 'F08')).toBe(
			true,
		);
	});

	it('answers a filter on an unknown field with AFAS\' "Connector field not found" 500', async () => {
		const result = await getConnector(afas, CONNECTOR, single('nope', 1, 'x'));
		expect(result.status).toBe(500);
		expect(result.body).toEqual({
			externalMessage: "Connector field 'nope' not found",
			errorNumber: expect.any(Number),
			profitLogReference: expect.stringMatching(PROFIT_LOG_REFERENCE),
		});
		expect(Object.keys(result.body)).toEqual([
			'externalMessage',
			'errorNumber',
			'profitLogReference',
		]);
		const inJson = {
			Filters: {
				Filter: [{ Field: [{ '@FieldId': 'missing', '@OperatorType': '1', '#text': 'x' }] }],
			},
		};
		expect(
			(await getConnector(afas, CONNECTOR, { filterjson: JSON.stringify(inJson) })).body
				.externalMessage,
		).toBe("Connector field 'missing' not found");
	});

	it.each([
		[
			'lists of different shape',
			{ filterfieldids: 'name,code', filtervalues: 'x', operatortypes: '1,1' },
		],
		[
			'different group counts',
			{ filterfieldids: 'name;code', filtervalues: 'x', operatortypes: '1;1' },
		],
		['no filtervalues (ops 8/9 need one too)', { filterfieldids: 'name', operatortypes: '8' }],
		['operator 16', single('name', 16, 'x')],
		['operator 0', single('name', 0, 'x')],
		['a date with the Z AFAS sends', single('start', 1, '2024-03-01T00:00:00Z')],
		['a number that is not one', single('amount', 1, 'ten')],
		['a boolean that is not one', single('active', 1, 'yes')],
		['filterjson that is not JSON', { filterjson: '{"Filters":' }],
	])('answers %s with the generic 500', async (_name, parameters) => {
		const result = await getConnector(afas, CONNECTOR, parameters);
		expect(result.status).toBe(500);
		expect(result.body).toMatchObject({
			externalMessage: GENERIC_ERROR,
			errorNumber: -2147180999,
			profitLogReference: expect.stringMatching(PROFIT_LOG_REFERENCE),
		});
	});

	it('sorts ascending with NULL first, descending with a - prefix, on several fields', async () => {
		expect(await codes(afas, { orderbyfieldids: 'amount,code' })).toEqual([
			'B3',
			'B4',
			'A1',
			'C5',
			'a2',
		]);
		expect(await codes(afas, { orderbyfieldids: '-amount,code' })).toEqual([
			'a2',
			'A1',
			'C5',
			'B4',
			'B3',
		]);
		expect(await codes(afas, { orderbyfieldids: 'start' })).toEqual(['B3', 'B4', 'A1', 'C5', 'a2']);
		expect(await codes(afas, { orderbyfieldids: '-code' })).toEqual(['C5', 'B4', 'B3', 'a2', 'A1']);
	});

	it('sorts strings case-insensitively by collation, not by character code', async () => {
		// By character code 'Jansen' < 'de Vries' and 'Jänsen' would come last.
		expect(await codes(afas, { orderbyfieldids: 'name' })).toEqual(['B4', 'a2', 'A1', 'B3', 'C5']);
	});

	it('answers a sort on an unknown field with "Connector field not found"', async () => {
		const result = await getConnector(afas, CONNECTOR, { orderbyfieldids: 'code,-bogus' });
		expect(result.status).toBe(500);
		expect(result.body.externalMessage).toBe("Connector field 'bogus' not found");
	});

	it('can let negations match empty fields instead of SQL NULL semantics', async () => {
		const lenient = await startAfasSandbox({
			employeeCount: 9,
			nullSemantics: 'negationsMatchNull',
		});
		try {
			lenient.setRows(CONNECTOR, ROWS, FIELDS);
			expect(await codes(lenient, single('name', 7, 'Jansen'))).toEqual(['a2', 'B3', 'B4', 'C5']);
			expect(await codes(lenient, single('name', 11, 'jan'))).toEqual(['a2', 'B3', 'B4']);
			expect(await codes(lenient, single('amount', 2, '10'))).toEqual(['A1', 'a2', 'C5']);
		} finally {
			await lenient.close();
		}
	});
});
