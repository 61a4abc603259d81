import {
	AFAS_OPERATORS,
	MAX_QUERY_LENGTH,
	QueryTooLongError,
	formatFilterValue,
	planQuery,
	prepareGroups,
	type FilterGroups,
} from '../../../nodes/AfasGetConnector/transport/query';
import type { SortField } from '../../../nodes/AfasGetConnector/transport/sort';

function params(query: string): URLSearchParams {
	return new URLSearchParams(query);
}

describe('AFAS operators', () => {
	it('maps all 15 operators to the numbers 1-15', () => {
		const codes = Object.values(AFAS_OPERATORS)
			.map((operator) => operator.code)
			.sort((a, b) => a - b);
		expect(codes).toEqual(Array.from({ length: 15 }, (_, index) => index + 1));
	});
});

describe('formatFilterValue', () => {
	it('adds wildcards for text operators unless typed or turned off', () => {
		expect(formatFilterValue('NL', 'contains')).toBe('%NL%');
		expect(formatFilterValue('NL', 'notContains')).toBe('%NL%');
		expect(formatFilterValue('Jan', 'startsWith')).toBe('Jan%');
		expect(formatFilterValue('sen', 'endsWith')).toBe('%sen');
		expect(formatFilterValue('%NL%', 'contains')).toBe('%NL%');
		expect(formatFilterValue('NL', 'contains', { wildcards: 'none' })).toBe('NL');
		expect(formatFilterValue('NL', 'equals')).toBe('NL');
		expect(formatFilterValue('NL', 'quickFilter')).toBe('NL');
	});

	it('formats dates for date fields and unmistakable instants anywhere', () => {
		expect(formatFilterValue('2024-01-31', 'lessThan', { fieldType: 'date' })).toBe(
			'2024-01-31T00:00:00',
		);
		expect(formatFilterValue('2024-01-31', 'equals', { fieldType: 'string' })).toBe('2024-01-31');
		expect(formatFilterValue('2024-01-31T00:00:00Z', 'equals')).toBe('2024-01-31T00:00:00');
	});

	it('sends booleans and numbers as text and empty operators with an empty value', () => {
		expect(formatFilterValue(true, 'equals')).toBe('true');
		expect(formatFilterValue(42, 'greaterThan')).toBe('42');
		expect(formatFilterValue(undefined, 'isEmpty')).toBe('');
		expect(formatFilterValue('', 'isNotEmpty')).toBe('');
	});
});

describe('planQuery', () => {
	const asc = (...fields: string[]): SortField[] =>
		fields.map((field) => ({ field, descending: false }));

	const groups: FilterGroups = [
		[
			{ field: 'EmploymentEndDate', operator: 'lessThan', value: '2020-03-22T00:00:00' },
			{ field: 'Email', operator: 'notEquals', value: 'P' },
		],
		[{ field: 'Email', operator: 'isEmpty', value: '' }],
	];

	it('uses the compact syntax: ; between OR-groups, , between AND-conditions', () => {
		const plan = planQuery({ sort: asc('EmployeeId'), groups: prepareGroups(groups) });
		expect(plan.encoding).toBe('compact');
		const query = params(plan.forPage(2000, 1000));
		expect(query.get('skip')).toBe('2000');
		expect(query.get('take')).toBe('1000');
		expect(query.get('orderbyfieldids')).toBe('EmployeeId');
		expect(query.get('filterfieldids')).toBe('EmploymentEndDate,Email;Email');
		expect(query.get('filtervalues')).toBe('2020-03-22T00:00:00,P;');
		expect(query.get('operatortypes')).toBe('5,7;8');
	});

	it('switches to filterjson when a value contains , or ;', () => {
		const plan = planQuery({
			sort: [{ field: 'EmployeeId', descending: true }],
			groups: prepareGroups([[{ field: 'Name', operator: 'equals', value: 'Jansen, Piet; jr' }]]),
		});
		expect(plan.encoding).toBe('json');
		const query = params(plan.forPage(0, 10));
		expect(query.get('filterfieldids')).toBeNull();
		expect(JSON.parse(query.get('filterjson')!)).toEqual({
			Filters: {
				Filter: [
					{
						'@FilterId': 'Filter 1',
						Field: [{ '@FieldId': 'Name', '@OperatorType': '1', '#text': 'Jansen, Piet; jr' }],
					},
				],
			},
		});
		expect(query.get('orderbyfieldids')).toBe('-EmployeeId');
	});

	it('fails with a clear error when even filterjson would pass 2049 characters (AFAS would answer 404)', () => {
		const few: FilterGroups = Array.from({ length: 5 }, (_, index) => [
			{ field: 'EmployeeId', operator: 'equals' as const, value: `0000${index}` },
		]);
		expect(planQuery({ sort: asc('EmployeeId'), groups: prepareGroups(few) }).encoding).toBe(
			'compact',
		);
		// filterjson repeats field, operator and value keys, so it is always longer than the compact form.
		const many: FilterGroups = Array.from({ length: 40 }, (_, index) => [
			{ field: 'EmployeeId', operator: 'equals' as const, value: `${'x'.repeat(45)}${index}` },
		]);
		expect(() => planQuery({ sort: asc('EmployeeId'), groups: prepareGroups(many) })).toThrow(
			QueryTooLongError,
		);
		expect(() => planQuery({ sort: asc('EmployeeId'), groups: prepareGroups(many) })).toThrow(
			/at most 2049/,
		);
	});

	it('keeps the query within 2049 characters for the widest skip and take', () => {
		const groups40: FilterGroups = Array.from({ length: 40 }, (_, index) => [
			{ field: 'Employee', operator: 'contains' as const, value: `a b c d e f g ${index}` },
		]);
		const plan = planQuery({ sort: asc('Employee'), groups: prepareGroups(groups40) });
		expect(plan.forPage(999_999_999, 999_999_999).length + 1).toBeLessThanOrEqual(MAX_QUERY_LENGTH);
	});

	it('leaves out trailing sort fields to fit, but never the ones to keep, and says so', () => {
		const long: FilterGroups = [
			Array.from({ length: 12 }, (_, index) => ({
				field: `Field${index}`,
				operator: 'equals' as const,
				value: 'v'.repeat(100),
			})),
		];
		const sortFields = asc(...Array.from({ length: 60 }, (_, index) => `SortField${index}`));
		expect(() => planQuery({ sort: sortFields, groups: prepareGroups(long) })).toThrow(
			QueryTooLongError,
		);
		const plan = planQuery({ sort: sortFields, keep: 2, groups: prepareGroups(long) });
		const sent = params(plan.forPage(0, 1000)).get('orderbyfieldids')!.split(',');
		expect(sent.length).toBeGreaterThanOrEqual(2);
		expect(sent.length).toBeLessThan(60);
		expect(sent).toEqual(sortFields.slice(0, sent.length).map((sort) => sort.field));
		expect(plan.sort).toEqual(sortFields.slice(0, sent.length));
		expect(plan.plannedSortFields).toBe(60);
		expect(plan.forPage(999_999_999, 999_999_999).length + 1).toBeLessThanOrEqual(MAX_QUERY_LENGTH);
		// Keeping more fields than fit is a query too long.
		expect(() => planQuery({ sort: sortFields, keep: 60, groups: prepareGroups(long) })).toThrow(
			QueryTooLongError,
		);
	});

	it('keeps the sort within the limit without a filter too (wide connectors)', () => {
		const sortFields = asc(
			...Array.from({ length: 150 }, (_, index) => `A_rather_long_field_id_${index}`),
		);
		const plan = planQuery({ sort: sortFields, keep: 0, groups: [] });
		expect(plan.sort.length).toBeLessThan(150);
		expect(plan.sort.length).toBeGreaterThan(10);
		expect(plan.forPage(999_999_999, 999_999_999).length + 1).toBeLessThanOrEqual(MAX_QUERY_LENGTH);
	});

	it('writes sort field IDs with special characters as AFAS takes them', () => {
		const plan = planQuery({
			sort: [
				{ field: 'Cat._result', descending: true },
				{ field: 'Nr', descending: false },
			],
			groups: [],
		});
		expect(params(plan.forPage(0, 10)).get('orderbyfieldids')).toBe("-['Cat._result'],Nr");
	});

	it('sends no filter parameters without conditions', () => {
		const plan = planQuery({ sort: asc('A', 'B'), groups: [[]] });
		expect(plan.encoding).toBe('none');
		expect(plan.forPage(0, 5)).toBe('skip=0&take=5&orderbyfieldids=A%2CB');
	});
});
