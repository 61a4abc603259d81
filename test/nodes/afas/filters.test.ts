/**
 * Filters through n8n's engine against the AFAS sandbox: all 15 operators, OR-groups of
 * AND-conditions, values with `,` / `;` (sent as filterjson) and date values (sent without Z).
 */
import type { INodeParameters } from 'n8n-workflow';

import { startAfasSandbox, type AfasSandbox } from '../../../sandbox/afas/server';
import { jsonOf, run, rowsParameters } from './helpers';

const PEOPLE = 'Filter_Test';

let sandbox: AfasSandbox;

beforeAll(async () => {
	sandbox = await startAfasSandbox({ employeeCount: 20 });
	sandbox.setRows(
		PEOPLE,
		[
			{
				Code: 'A',
				Name: 'Anna de Vries',
				Amount: 10,
				Start: '2024-01-01',
				Active: true,
				Note: 'x',
			},
			{
				Code: 'B',
				Name: 'Bram Jansen',
				Amount: 20,
				Start: '2024-06-15',
				Active: false,
				Note: null,
			},
			{ Code: 'C', Name: 'Carla Visser', Amount: 30, Start: '2025-01-01', Active: true, Note: '' },
			{
				Code: 'D',
				Name: 'Daan de Jong',
				Amount: 40,
				Start: '2023-12-31',
				Active: false,
				Note: 'y',
			},
			{
				Code: 'E',
				Name: 'Jansen, Piet; jr',
				Amount: 50,
				Start: '2024-03-01T09:30:00',
				Active: true,
				Note: 'z',
			},
		],
		[
			{ id: 'Code', dataType: 'string', label: 'Code' },
			{ id: 'Name', dataType: 'string', label: 'Name' },
			{ id: 'Amount', dataType: 'int', label: 'Amount' },
			{ id: 'Start', dataType: 'date', label: 'Start date' },
			{ id: 'Active', dataType: 'boolean', label: 'Active' },
			{ id: 'Note', dataType: 'string', label: 'Note' },
		],
	);
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => sandbox.resetStats());

type Condition = { field: string; operator: string; value?: unknown };

async function codesFor(groups: Condition[][], options: INodeParameters = {}): Promise<string[]> {
	const result = await run(sandbox, {
		parameters: rowsParameters(PEOPLE, {
			sort: { fields: [{ field: 'Code', direction: 'asc' }] },
			filters: {
				groups: groups.map((conditions) => ({ conditions: { condition: conditions } })),
			} as unknown as INodeParameters,
			options,
		}),
	});
	expect(result.error).toBeUndefined();
	return jsonOf(result).map((row) => row.Code as string);
}

function lastRowsQuery(): Record<string, string> {
	const requests = sandbox
		.stats()
		.log.filter((entry) => entry.path.endsWith(`/connectors/${PEOPLE}`));
	return requests[requests.length - 1]!.query;
}

describe('operators', () => {
	it.each<[string, Condition, string[], string]>([
		['equals', { field: 'Amount', operator: 'equals', value: '20' }, ['B'], '1'],
		[
			'greaterOrEqual',
			{ field: 'Amount', operator: 'greaterOrEqual', value: '30' },
			['C', 'D', 'E'],
			'2',
		],
		['lessOrEqual', { field: 'Amount', operator: 'lessOrEqual', value: '20' }, ['A', 'B'], '3'],
		[
			'greaterThan',
			{ field: 'Start', operator: 'greaterThan', value: '2024-01-01' },
			['B', 'C', 'E'],
			'4',
		],
		['lessThan', { field: 'Start', operator: 'lessThan', value: '2024-01-01' }, ['D'], '5'],
		['contains', { field: 'Name', operator: 'contains', value: 'de' }, ['A', 'D'], '6'],
		[
			'notEquals',
			{ field: 'Name', operator: 'notEquals', value: 'Bram Jansen' },
			['A', 'C', 'D', 'E'],
			'7',
		],
		['isEmpty', { field: 'Note', operator: 'isEmpty', value: '' }, ['B', 'C'], '8'],
		['isNotEmpty', { field: 'Note', operator: 'isNotEmpty' }, ['A', 'D', 'E'], '9'],
		['startsWith', { field: 'Name', operator: 'startsWith', value: 'da' }, ['D'], '10'],
		['notContains', { field: 'Name', operator: 'notContains', value: 'de' }, ['B', 'C', 'E'], '11'],
		[
			'notStartsWith',
			{ field: 'Name', operator: 'notStartsWith', value: 'a' },
			['B', 'C', 'D', 'E'],
			'12',
		],
		['endsWith', { field: 'Name', operator: 'endsWith', value: 'sen' }, ['B'], '13'],
		[
			'notEndsWith',
			{ field: 'Name', operator: 'notEndsWith', value: 'sen' },
			['A', 'C', 'D', 'E'],
			'14',
		],
		['quickFilter', { field: 'Name', operator: 'quickFilter', value: 'arl' }, ['C'], '15'],
	])('%s', async (_name, condition, expected, code) => {
		expect(await codesFor([[condition]])).toEqual(expected);
		expect(lastRowsQuery()).toMatchObject({ filterfieldids: condition.field, operatortypes: code });
	});

	it('sends % wildcards for text operators by default and the value as typed when asked', async () => {
		await codesFor([[{ field: 'Name', operator: 'contains', value: 'de' }]]);
		expect(lastRowsQuery().filtervalues).toBe('%de%');
		await codesFor([[{ field: 'Name', operator: 'startsWith', value: 'da' }]], {
			wildcards: 'none',
		});
		expect(lastRowsQuery().filtervalues).toBe('da');
	});

	it('filters on booleans', async () => {
		expect(await codesFor([[{ field: 'Active', operator: 'equals', value: 'true' }]])).toEqual([
			'A',
			'C',
			'E',
		]);
	});
});

describe('groups', () => {
	it('ANDs the conditions of a group', async () => {
		const codes = await codesFor([
			[
				{ field: 'Amount', operator: 'greaterOrEqual', value: '20' },
				{ field: 'Active', operator: 'equals', value: 'true' },
			],
		]);
		expect(codes).toEqual(['C', 'E']);
	});

	it('ORs the groups: (Amount >= 30 and active) or (name starts with b)', async () => {
		const codes = await codesFor([
			[
				{ field: 'Amount', operator: 'greaterOrEqual', value: '30' },
				{ field: 'Active', operator: 'equals', value: 'true' },
			],
			[{ field: 'Name', operator: 'startsWith', value: 'b' }],
		]);
		expect(codes).toEqual(['B', 'C', 'E']);
		expect(lastRowsQuery()).toMatchObject({
			filterfieldids: 'Amount,Active;Name',
			filtervalues: '30,true;b%',
			operatortypes: '2,1;10',
		});
	});
});

describe('values AFAS cannot take in the compact syntax', () => {
	it.each([
		['a comma and a semicolon', 'Jansen, Piet; jr'],
		['a comma', 'Jansen, Piet'],
	])('sends a value with %s as filterjson', async (_label, value) => {
		const operator = value === 'Jansen, Piet; jr' ? 'equals' : 'startsWith';
		const codes = await codesFor([[{ field: 'Name', operator, value }]]);
		expect(codes).toEqual(['E']);
		const query = lastRowsQuery();
		expect(query.filterfieldids).toBeUndefined();
		const filter = JSON.parse(query.filterjson!) as {
			Filters: { Filter: Array<{ Field: Array<Record<string, string>> }> };
		};
		expect(filter.Filters.Filter[0]!.Field[0]).toMatchObject({
			'@FieldId': 'Name',
			'#text': expect.stringContaining(value),
		});
	});

	it('keeps OR-groups in filterjson', async () => {
		const codes = await codesFor([
			[{ field: 'Name', operator: 'equals', value: 'Jansen, Piet; jr' }],
			[{ field: 'Code', operator: 'equals', value: 'A' }],
		]);
		expect(codes).toEqual(['A', 'E']);
		const filter = JSON.parse(lastRowsQuery().filterjson!) as { Filters: { Filter: unknown[] } };
		expect(filter.Filters.Filter).toHaveLength(2);
	});
});

describe('dates in filter values', () => {
	it('sends a date without Z, as AFAS requires', async () => {
		expect(
			await codesFor([[{ field: 'Start', operator: 'lessThan', value: '2024-01-01T00:00:00Z' }]]),
		).toEqual(['D']);
		expect(lastRowsQuery().filtervalues).toBe('2024-01-01T00:00:00');
	});

	it('converts a value with an offset (such as $now) to Amsterdam time', async () => {
		// 08:45 UTC on 1 March 2024 is 09:45 in Amsterdam, after E's start at 09:30 Amsterdam time.
		expect(
			await codesFor([
				[{ field: 'Start', operator: 'greaterThan', value: '2024-03-01T08:45:00.000+00:00' }],
			]),
		).toEqual(['B', 'C']);
		expect(lastRowsQuery().filtervalues).toBe('2024-03-01T09:45:00');
	});

	it('takes a date from an expression', async () => {
		const codes = await codesFor([
			[
				{
					field: 'Start',
					operator: 'greaterOrEqual',
					value: "={{ DateTime.fromISO('2025-01-01') }}",
				},
			],
		]);
		expect(codes).toEqual(['C']);
		expect(lastRowsQuery().filtervalues).toBe('2025-01-01T00:00:00');
	});
});

describe('filter mistakes', () => {
	it('names the condition that has no field', async () => {
		const result = await run(sandbox, {
			parameters: rowsParameters(PEOPLE, {
				sort: { fields: [{ field: 'Code', direction: 'asc' }] },
				filters: {
					groups: [{ conditions: { condition: [{ field: '', operator: 'equals', value: 'x' }] } }],
				},
			}),
		});
		expect(result.error?.message).toBe('No field is set in condition 1 of filter group 1');
		expect(result.outputs[0] ?? []).toHaveLength(0);
	});

	it("passes on AFAS' message for an unknown field, with what to check", async () => {
		const result = await run(sandbox, {
			parameters: rowsParameters(PEOPLE, {
				sort: { fields: [{ field: 'Code', direction: 'asc' }] },
				filters: {
					groups: [
						{ conditions: { condition: [{ field: 'Nope', operator: 'equals', value: 'x' }] } },
					],
				},
			}),
		});
		expect(result.error?.message).toContain("Connector field 'Nope' not found");
		expect(result.error?.description).toMatch(/Check the field IDs/);
		expect(result.error?.description).toMatch(/AFAS log reference: [0-9A-F]{32}/);
	});
});
