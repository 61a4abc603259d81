/**
 * Reads that cannot be completed exactly fail with a clear error and output nothing; reads that
 * can, return every row once in a fixed order. One test per kind of fault, through n8n's engine
 * against the AFAS sandbox: ties under the sort, a filter too long for a total sort, rows added
 * or removed while paging, a server that ignores skip, sort IDs that need quoting, and Profit 6's
 * numbers.
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import type { INodeParameters } from 'n8n-workflow';

import {
	startAfasSandbox,
	type AfasFieldMeta,
	type AfasSandbox,
} from '../../../sandbox/afas/server';
import { jsonOf, run, rowsParameters } from './helpers';

const DEPT = 'Dept_Test';
const DEPT_FIELDS: AfasFieldMeta[] = [
	{ id: 'dept', dataType: 'string', label: 'Department' },
	{ id: 'nr', dataType: 'int', label: 'Number' },
	{ id: 'name', dataType: 'string', label: 'Name' },
];
/** 300 people, `dept` cycling A/B/C, stored in a scrambled order. */
const deptRows = () =>
	Array.from({ length: 300 }, (_, index) => (index * 7) % 300).map((index) => ({
		dept: 'ABC'[index % 3],
		nr: index + 1,
		name: `Person ${index + 1}`,
	}));

let sandbox: AfasSandbox;

beforeAll(async () => {
	sandbox = await startAfasSandbox({ employeeCount: 20 });
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.clearFaults();
	sandbox.setIgnoreSkip(false);
	sandbox.setLegacyNumbers(false);
	sandbox.setMaxTake(undefined);
	sandbox.resetStats();
	sandbox.setRows(DEPT, deptRows(), DEPT_FIELDS);
});

function requestsTo(connectorId: string) {
	return sandbox
		.stats()
		.log.filter((entry) =>
			entry.path.toLowerCase().endsWith(`/connectors/${connectorId.toLowerCase()}`),
		);
}

function numbers(rows: Array<Record<string, unknown>>): number[] {
	return rows.map((row) => row.nr as number);
}

/** Captures what the node logs as warnings while `action` runs. */
async function warningsDuring(action: () => Promise<unknown>): Promise<string[]> {
	const warn = jest.spyOn(Container.get(Logger), 'warn').mockImplementation(() => undefined);
	try {
		await action();
		return warn.mock.calls.map((call) => String(call[0]));
	} finally {
		warn.mockRestore();
	}
}

describe('1. a sort on a field that is not unique', () => {
	const byDept = (direction: 'asc' | 'desc', parallelRequests = 4) =>
		rowsParameters(DEPT, {
			sort: { fields: [{ field: 'dept', direction }] },
			options: { pageSize: 50, parallelRequests },
		});

	it('returns everyone once, in a fixed order: the sort, then the other fields', async () => {
		let first: Awaited<ReturnType<typeof run>> | undefined;
		const warnings = await warningsDuring(async () => {
			first = await run(sandbox, { parameters: byDept('asc') });
		});
		expect(first!.error).toBeUndefined();
		const rows = jsonOf(first!);
		expect(rows).toHaveLength(300);
		expect(new Set(numbers(rows)).size).toBe(300);
		const expected = deptRows()
			.sort((a, b) => a.dept.localeCompare(b.dept) || a.nr - b.nr)
			.map((row) => row.nr);
		expect(numbers(rows)).toEqual(expected);
		// The rows of the first page tie on dept: that read stops there (the pages in flight come
		// back), and the rows are read again sorted on the other fields as well.
		const sorts = requestsTo(DEPT).map((request) => request.query.orderbyfieldids);
		expect(sorts[0]).toBe('dept');
		expect(sorts.filter((sort) => sort === 'dept').length).toBeLessThanOrEqual(5);
		expect(sorts.filter((sort) => sort === 'dept,nr,name').length).toBeGreaterThanOrEqual(7);
		expect(
			warnings.some((warning) =>
				/tie on the chosen sort \(dept\); reading them again/.test(warning),
			),
		).toBe(true);
		// The same order on every run, whatever order the server gives tied rows.
		const second = await run(sandbox, { parameters: byDept('asc', 1) });
		expect(numbers(jsonOf(second))).toEqual(expected);
	});

	it('fails, with no rows, when rows tie on every field that can be sorted on but differ', async () => {
		// A blob field cannot be sorted on: rows equal in everything else have no fixed order.
		sandbox.setRows(
			'Blob_Test',
			Array.from({ length: 30 }, (_, index) => ({ dept: 'A', photo: `photo-${index % 2}` })),
			[
				{ id: 'dept', dataType: 'string', label: 'Department' },
				{ id: 'photo', dataType: 'blob', label: 'Photo' },
			],
		);
		const result = await run(sandbox, {
			parameters: rowsParameters('Blob_Test', { options: { pageSize: 10 } }),
		});
		expect(result.error?.message).toMatch(
			/^Rows \d+ and \d+ of connector 'Blob_Test' are equal on every field they were sorted on/,
		);
		expect(result.error?.description).toMatch(/cannot sort on \(photo\)/);
		expect(result.error?.description).toMatch(/unique field/);
		expect(result.outputs[0] ?? []).toHaveLength(0);
	});

	it('reads rows that are equal in every field: which of two equal rows comes first changes nothing', async () => {
		sandbox.setRows(
			'Duplicates_Test',
			Array.from({ length: 25 }, (_, index) => ({ dept: 'ABC'[index % 3] })),
			[{ id: 'dept', dataType: 'string', label: 'Department' }],
		);
		const result = await run(sandbox, {
			parameters: rowsParameters('Duplicates_Test', { options: { pageSize: 4 } }),
		});
		expect(result.error).toBeUndefined();
		expect(
			jsonOf(result)
				.map((row) => row.dept)
				.join(''),
		).toBe(`${'A'.repeat(9)}${'B'.repeat(8)}${'C'.repeat(8)}`);
	});
});

describe('2. a long filter never shortens the sort silently', () => {
	const longFilter = {
		groups: [
			{
				conditions: {
					condition: [{ field: 'name', operator: 'notEquals', value: 'x'.repeat(1945) }],
				},
			},
		],
	};

	it('fails with no rows when only the first field fits and rows tie on it', async () => {
		const result = await run(sandbox, {
			parameters: rowsParameters(DEPT, { filters: longFilter, options: { pageSize: 50 } }),
		});
		expect(result.error?.message).toMatch(/are equal on every field they were sorted on/);
		expect(result.error?.description).toMatch(
			/query \(at most 2049 characters\) for only 1 of the 3 sort fields \(dept\)/,
		);
		expect(result.error?.description).toMatch(/Shorten the filter values/);
		expect(result.outputs[0] ?? []).toHaveLength(0);
		for (const request of requestsTo(DEPT)) expect(request.query.orderbyfieldids).toBe('dept');
	});

	it('reads everyone once when the fields that fit are unique', async () => {
		const result = await run(sandbox, {
			parameters: rowsParameters(DEPT, {
				filters: longFilter,
				sort: { fields: [{ field: 'nr', direction: 'asc' }] },
				options: { pageSize: 50 },
			}),
		});
		expect(result.error).toBeUndefined();
		expect(numbers(jsonOf(result))).toEqual(Array.from({ length: 300 }, (_, index) => index + 1));
		expect(requestsTo(DEPT)[0]!.query.orderbyfieldids).toBe('nr');
	});

	it('fails with "too long" when not even the chosen sort fits', async () => {
		const result = await run(sandbox, {
			parameters: rowsParameters(DEPT, {
				filters: {
					groups: [
						{
							conditions: {
								condition: [{ field: 'name', operator: 'notEquals', value: 'x'.repeat(1990) }],
							},
						},
					],
				},
				options: { pageSize: 50 },
			}),
		});
		expect(result.error?.message).toMatch(/The filter is too long for AFAS/);
		expect(requestsTo(DEPT)).toHaveLength(0);
	});
});

describe('3. rows added or removed in AFAS while paging', () => {
	const SHIFT = 'Shift_Test';
	const shiftParameters = (parallelRequests = 4) =>
		rowsParameters(SHIFT, {
			sort: { fields: [{ field: 'nr', direction: 'asc' }] },
			options: { pageSize: 500, parallelRequests },
		});

	beforeEach(() => {
		sandbox.setRows(
			SHIFT,
			Array.from({ length: 2600 }, (_, index) => ({
				nr: index + 1,
				name: `Employee ${index + 1}`,
			})),
			[
				{ id: 'nr', dataType: 'int', label: 'Number' },
				{ id: 'name', dataType: 'string', label: 'Name' },
			],
		);
	});

	it('notices a row deleted before page 2 is served, reads again and returns everyone left once', async () => {
		sandbox.addRowChange({
			connectorId: SHIFT,
			afterCalls: 1,
			change: { kind: 'delete', index: 0 },
		});
		let result: Awaited<ReturnType<typeof run>> | undefined;
		const warnings = await warningsDuring(async () => {
			result = await run(sandbox, { parameters: shiftParameters() });
		});
		expect(result!.error).toBeUndefined();
		expect(numbers(jsonOf(result!))).toEqual(Array.from({ length: 2599 }, (_, index) => index + 2));
		// Read twice: the first page was asked for in both reads.
		expect(requestsTo(SHIFT).filter((request) => request.query.skip === '0')).toHaveLength(2);
		expect(
			warnings.some((warning) => /shifted during the read.*reading it once more/.test(warning)),
		).toBe(true);
	});

	it('notices a row inserted before page 2 is served, and returns everyone once', async () => {
		sandbox.addRowChange({
			connectorId: SHIFT,
			afterCalls: 1,
			change: { kind: 'insert', row: { nr: 0, name: 'New hire' } },
		});
		const result = await run(sandbox, { parameters: shiftParameters(1) });
		expect(result.error).toBeUndefined();
		expect(numbers(jsonOf(result))).toEqual(Array.from({ length: 2601 }, (_, index) => index));
	});

	it('fails with no rows when the rows keep shifting in the second read too', async () => {
		sandbox.addRowChange({
			connectorId: SHIFT,
			afterCalls: 1,
			change: { kind: 'delete', index: 0 },
			times: 100,
		});
		const result = await run(sandbox, { parameters: shiftParameters() });
		expect(result.error?.message).toBe(
			`The rows of connector '${SHIFT}' changed while they were read, also when read a second time`,
		);
		expect(result.error?.description).toMatch(/added to or removed from AFAS between pages/);
		expect(result.error?.description).toMatch(/No rows were output/);
		expect(result.outputs[0] ?? []).toHaveLength(0);
		// Two reads, each stopped early: far fewer requests than two full reads.
		expect(requestsTo(SHIFT).filter((request) => request.query.skip === '0')).toHaveLength(2);
	});

	it('pays for the check with one row per page, not with requests', async () => {
		const result = await run(sandbox, { parameters: shiftParameters() });
		expect(jsonOf(result)).toHaveLength(2600);
		const skips = requestsTo(SHIFT)
			.map((request) => Number(request.query.skip))
			.sort((a, b) => a - b);
		// Pages 1-6 (the last short), and at most 3 more in flight when the short page came.
		expect(skips.slice(0, 6)).toEqual([0, 499, 999, 1499, 1999, 2499]);
		expect(skips.length).toBeLessThanOrEqual(9);
	});
});

describe('4. a server that ignores skip', () => {
	it('stops at the second page with a clear error instead of paging forever', async () => {
		sandbox.setRows(
			'Two_Rows',
			[{ nr: 1 }, { nr: 2 }],
			[{ id: 'nr', dataType: 'int', label: 'Nr' }],
		);
		sandbox.setIgnoreSkip(true);
		const result = await run(sandbox, {
			parameters: rowsParameters('Two_Rows', { options: { pageSize: 2, parallelRequests: 8 } }),
		});
		expect(result.error?.message).toBe(
			"AFAS answered page 2 of connector 'Two_Rows' with the same rows as page 1: the server seems to ignore skip",
		);
		expect(result.error?.description).toMatch(/No rows were output/);
		expect(result.outputs[0] ?? []).toHaveLength(0);
		// Bounded by the pages in flight when page 2 came back (it paged forever before).
		expect(requestsTo('Two_Rows').length).toBeLessThan(20);
	});

	it('also with many rows and full pages', async () => {
		sandbox.setIgnoreSkip(true);
		const result = await run(sandbox, {
			parameters: rowsParameters(DEPT, { options: { pageSize: 50, parallelRequests: 2 } }),
		});
		expect(result.error?.message).toMatch(
			/with the same rows as page \d+: the server seems to ignore skip/,
		);
		expect(requestsTo(DEPT).length).toBeLessThanOrEqual(4);
	});
});

describe('4b. a server that returns fewer rows than asked for (a page cap)', () => {
	const capped = (options: INodeParameters, extra: INodeParameters = {}) =>
		rowsParameters(DEPT, {
			sort: { fields: [{ field: 'nr', direction: 'asc' }] },
			options,
			...extra,
		});

	it.each([1, 4])(
		'fails with no rows and the page size to use, not 30 of 300 (parallel %i)',
		async (parallelRequests) => {
			sandbox.setMaxTake(30);
			const result = await run(sandbox, {
				parameters: capped({ pageSize: 50, parallelRequests }),
			});
			expect(result.error?.message).toBe(
				`AFAS answered page 1 of connector '${DEPT}' with 30 rows, fewer than the 50 asked for, yet more rows follow it`,
			);
			expect(result.error?.description).toMatch(/at most 30 rows per call/);
			expect(result.error?.description).toMatch(/No rows were output/);
			expect(result.error?.description).toMatch(/Page Size to 29 or lower/);
			expect(result.outputs[0] ?? []).toHaveLength(0);
		},
	);

	it('also with a Limit that the short page does not reach', async () => {
		sandbox.setMaxTake(30);
		const result = await run(sandbox, {
			parameters: capped({ pageSize: 50, parallelRequests: 2 }, { returnAll: false, limit: 120 }),
		});
		expect(result.error?.message).toMatch(/with 30 rows, fewer than the 50 asked for/);
		expect(result.outputs[0] ?? []).toHaveLength(0);
	});

	it('reads everyone once with a page size the cap allows', async () => {
		sandbox.setMaxTake(30);
		const result = await run(sandbox, {
			parameters: capped({ pageSize: 29, parallelRequests: 3 }),
		});
		expect(result.error).toBeUndefined();
		expect(numbers(jsonOf(result))).toEqual(Array.from({ length: 300 }, (_, index) => index + 1));
	});

	it('fails when the cap is exactly the page size: page 2 asks one row more', async () => {
		sandbox.setMaxTake(50);
		const result = await run(sandbox, {
			parameters: capped({ pageSize: 50, parallelRequests: 1 }),
		});
		expect(result.error?.message).toMatch(/page 2 .* with 50 rows, fewer than the 51 asked for/);
		expect(result.error?.description).toMatch(/Page Size to 49 or lower/);
		expect(result.outputs[0] ?? []).toHaveLength(0);
	});

	it('checks the end with the page after a short first or second page only', async () => {
		const skipsFor = async (pageSize: number) => {
			sandbox.resetStats();
			const result = await run(sandbox, { parameters: capped({ pageSize, parallelRequests: 1 }) });
			expect(jsonOf(result)).toHaveLength(300);
			return requestsTo(DEPT).map((request) => Number(request.query.skip));
		};
		// One short page: the page after it is asked for, and is empty.
		expect(await skipsFor(500)).toEqual([0, 499]);
		// Page 2 of 3 came back full at 51 rows: no server cap below that, no extra request.
		expect(await skipsFor(50)).toEqual([0, 49, 99, 149, 199, 249, 299]);
	});
});

describe('5. field IDs that need quoting', () => {
	const QUOTED = 'Quoted_Test';
	beforeEach(() => {
		sandbox.setRows(
			QUOTED,
			Array.from({ length: 40 }, (_, index) => ({
				nr: index + 1,
				'Cat._result': (index * 17) % 40,
				name: `Person ${index + 1}`,
			})),
			[
				{ id: 'nr', dataType: 'int', label: 'Number' },
				{ id: 'Cat._result', dataType: 'decimal', label: 'Result' },
				{ id: 'name', dataType: 'string', label: 'Name' },
			],
		);
	});

	it('leaves them out of the added sort, with a warning, and reads everyone', async () => {
		let result: Awaited<ReturnType<typeof run>> | undefined;
		const warnings = await warningsDuring(async () => {
			result = await run(sandbox, {
				parameters: rowsParameters(QUOTED, { options: { pageSize: 7 } }),
			});
		});
		expect(result!.error).toBeUndefined();
		expect(numbers(jsonOf(result!))).toEqual(Array.from({ length: 40 }, (_, index) => index + 1));
		for (const request of requestsTo(QUOTED)) expect(request.query.orderbyfieldids).toBe('nr,name');
		expect(
			warnings.some((warning) => /Cat\._result .*left out of the added sort/.test(warning)),
		).toBe(true);
	});

	it("sends a chosen one as ['id'], the form AFAS accepts", async () => {
		const result = await run(sandbox, {
			parameters: rowsParameters(QUOTED, {
				sort: { fields: [{ field: 'Cat._result', direction: 'desc' }] },
				options: { pageSize: 7 },
			}),
		});
		expect(result.error).toBeUndefined();
		expect(jsonOf(result).map((row) => row['Cat._result'])).toEqual(
			Array.from({ length: 40 }, (_, index) => 39 - index),
		);
		// Its values are unique, so nothing is added.
		expect(requestsTo(QUOTED)[0]!.query.orderbyfieldids).toBe("-['Cat._result']");
	});

	it('refuses sort field IDs that cannot be written, before asking AFAS', async () => {
		const result = await run(sandbox, {
			parameters: rowsParameters(QUOTED, {
				sort: { fields: [{ field: "O'Brien", direction: 'asc' }] },
			}),
		});
		expect(result.error?.message).toBe("Sort field 'O'Brien' cannot be sorted on");
		expect(requestsTo(QUOTED)).toHaveLength(0);
	});

	it("passes on AFAS' answer for a sort field the connector does not have", async () => {
		const result = await run(sandbox, {
			parameters: rowsParameters(QUOTED, {
				sort: { fields: [{ field: 'Nope', direction: 'asc' }] },
			}),
		});
		expect(result.error?.message).toMatch(/Connector field 'Nope' not found/);
		expect(result.error?.description).toMatch(/Check the field IDs used in the filter and sort/);
	});
});

describe("6. AFAS' older number format", () => {
	const RATES = 'Rates_Test';
	beforeEach(() => {
		sandbox.setRows(
			RATES,
			Array.from({ length: 30 }, (_, index) => ({ nr: index + 1, rate: (index % 5) / 4 - 0.5 })),
			[
				{ id: 'nr', dataType: 'int', label: 'Number' },
				{ id: 'rate', dataType: 'decimal', label: 'Rate' },
			],
		);
	});
	const ratesParameters = rowsParameters(RATES, {
		sort: { fields: [{ field: 'nr', direction: 'desc' }] },
		options: { pageSize: 10, parallelRequests: 1 },
	});

	it('reads -.25 and .5 as numbers, at once, without retries', async () => {
		sandbox.setLegacyNumbers(true);
		const result = await run(sandbox, { parameters: ratesParameters });
		expect(result.error).toBeUndefined();
		expect(jsonOf(result).slice(0, 5)).toEqual([
			{ nr: 30, rate: 0.5 },
			{ nr: 29, rate: 0.25 },
			{ nr: 28, rate: 0 },
			{ nr: 27, rate: -0.25 },
			{ nr: 26, rate: -0.5 },
		]);
		// 30 rows in pages of 10: the fourth page, empty but for its overlap row, ends the read.
		expect(requestsTo(RATES).map((request) => request.query.skip)).toEqual(['0', '9', '19', '29']);
	});

	it('reads the example body of the issue', async () => {
		sandbox.addFault({
			fault: { kind: 'body', body: '{"rows":[{"nr":2,"rate":-.25},{"nr":1,"rate":.5}]}' },
			connectorId: RATES,
			skip: 0,
		});
		// The page after a short first page is asked for too: it is empty on such a server.
		sandbox.addFault({ fault: { kind: 'body', body: '{"rows":[]}' }, connectorId: RATES, skip: 9 });
		const result = await run(sandbox, { parameters: ratesParameters });
		expect(result.error).toBeUndefined();
		expect(jsonOf(result)).toEqual([
			{ nr: 2, rate: -0.25 },
			{ nr: 1, rate: 0.5 },
		]);
	});

	it('still retries a cut-off body in the older format, and then reads it', async () => {
		sandbox.setLegacyNumbers(true);
		sandbox.addFault({ fault: { kind: 'truncated' }, connectorId: RATES, skip: 9 });
		const result = await run(sandbox, { parameters: ratesParameters });
		expect(result.error).toBeUndefined();
		expect(jsonOf(result)).toHaveLength(30);
		expect(requestsTo(RATES).filter((request) => request.query.skip === '9')).toHaveLength(2);
	});

	it('says at once, without retries, when AFAS sends numbers it cannot read', async () => {
		sandbox.addFault({
			fault: { kind: 'body', body: '{"skip":0,"take":10,"rows":[{"nr":1,"rate":1.}]}' },
			connectorId: RATES,
			times: 5,
		});
		const result = await run(sandbox, { parameters: ratesParameters });
		expect(result.error?.message).toBe(
			`AFAS sent numbers this node cannot read in page 1 (rows 1-10) of connector '${RATES}'`,
		);
		expect(result.error?.description).toMatch(/at character 44 /);
		expect(result.error?.description).not.toMatch(/page size/);
		expect(result.outputs[0] ?? []).toHaveLength(0);
		expect(requestsTo(RATES)).toHaveLength(1);
	});
});
