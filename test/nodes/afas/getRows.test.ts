/**
 * Get Rows through n8n's engine against the AFAS sandbox: paging at the edges, order, parallel
 * requests, the default sort, limits, date output and per-item parameters.
 */
import type { INodeParameters } from 'n8n-workflow';

import {
	startAfasSandbox,
	type AfasFieldMeta,
	type AfasSandbox,
} from '../../../sandbox/afas/server';
import { jsonOf, run, rowsParameters } from './helpers';

const PAGING = 'Paging_Test';
const PAGING_FIELDS: AfasFieldMeta[] = [
	{ id: 'Nr', dataType: 'int', label: 'Number' },
	{ id: 'Name', dataType: 'string', label: 'Name' },
];

let sandbox: AfasSandbox;

beforeAll(async () => {
	sandbox = await startAfasSandbox({ employeeCount: 2500 });
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.clearFaults();
	sandbox.resetStats();
});

/** Rows 1..count stored in a scrambled order, so only the sort can put them right. */
function storePagingRows(count: number): void {
	const numbers = Array.from({ length: count }, (_, index) => index + 1);
	const scrambled = numbers.map((nr, index) => numbers[(index * 7919) % count] ?? nr);
	sandbox.setRows(
		PAGING,
		scrambled.map((nr) => ({ Nr: nr, Name: `Person ${nr}` })),
		PAGING_FIELDS,
	);
}

function connectorRequests() {
	return sandbox
		.stats()
		.log.filter((entry) =>
			entry.path.toLowerCase().endsWith(`/connectors/${PAGING.toLowerCase()}`),
		);
}

describe('paging', () => {
	const pageSize = 10;
	const parallel = 3;

	it.each([
		['no rows', 0],
		['one row', 1],
		['exactly N x page size rows', parallel * pageSize],
		['N x page size + 1 rows', parallel * pageSize + 1],
		['several windows of pages', 7 * pageSize + 3],
	])('returns every row once and in order with %s', async (_label, count) => {
		storePagingRows(count);
		const result = await run(sandbox, {
			parameters: rowsParameters(PAGING, {
				sort: { fields: [{ field: 'Nr', direction: 'asc' }] },
				options: { pageSize, parallelRequests: parallel },
			}),
		});
		expect(result.error).toBeUndefined();
		const numbers = jsonOf(result).map((row) => row.Nr);
		expect(numbers).toEqual(Array.from({ length: count }, (_, index) => index + 1));
		expect(
			result.outputs[0]!.every((item) => (item.pairedItem as { item: number }).item === 0),
		).toBe(true);

		const requests = connectorRequests();
		// Every page asks for the same sort (the chosen field: it is unique, so nothing is added),
		// and every page after the first also for the last row of the page before it.
		for (const request of requests) {
			const skip = Number(request.query.skip);
			expect(request.query.orderbyfieldids).toBe('Nr');
			expect(request.query.take).toBe(String(skip === 0 ? pageSize : pageSize + 1));
			expect(skip === 0 || (skip + 1) % pageSize === 0).toBe(true);
		}
		// Each page once up to the first short page; a sliding window may have had a few more
		// pages in flight then, never more than `parallel` at once.
		const shortPage = Math.floor(count / pageSize);
		const pages = requests.map((request) => Math.ceil(Number(request.query.skip) / pageSize));
		expect(new Set(pages).size).toBe(pages.length);
		expect(pages).toEqual(
			expect.arrayContaining(Array.from({ length: shortPage + 1 }, (_, p) => p)),
		);
		expect(pages.length).toBeLessThanOrEqual(shortPage + parallel);
		expect(sandbox.stats().maxInFlight).toBeLessThanOrEqual(parallel);
	});

	it('pages one request at a time with parallel requests 1 and stops at the first short page', async () => {
		storePagingRows(25);
		const result = await run(sandbox, {
			parameters: rowsParameters(PAGING, {
				sort: { fields: [{ field: 'Nr', direction: 'desc' }] },
				options: { pageSize, parallelRequests: 1 },
			}),
		});
		expect(jsonOf(result).map((row) => row.Nr)).toEqual(
			Array.from({ length: 25 }, (_, index) => 25 - index),
		);
		expect(connectorRequests().map((request) => request.query.skip)).toEqual(['0', '9', '19']);
		expect(connectorRequests()[0]!.query.orderbyfieldids).toBe('-Nr');
		// A unique sort needs no field list: no metainfo request.
		expect(sandbox.stats().log.some((entry) => entry.path.includes('/metainfo'))).toBe(false);
		expect(sandbox.stats().maxInFlight).toBe(1);
	});

	it('never has more than 8 requests in flight, however many are asked for', async () => {
		storePagingRows(400);
		sandbox.setLatency(50);
		try {
			const result = await run(sandbox, {
				parameters: rowsParameters(PAGING, {
					sort: { fields: [{ field: 'Nr', direction: 'asc' }] },
					options: { pageSize, parallelRequests: 20 },
				}),
			});
			expect(result.error).toBeUndefined();
			expect(jsonOf(result)).toHaveLength(400);
			expect(sandbox.stats().maxInFlight).toBe(8);
		} finally {
			sandbox.setLatency(0);
		}
	});

	it('asks only for the pages a limit needs and returns exactly the limit', async () => {
		storePagingRows(100);
		const result = await run(sandbox, {
			parameters: {
				...rowsParameters(PAGING, {
					sort: { fields: [{ field: 'Nr', direction: 'asc' }] },
					options: { pageSize },
				}),
				returnAll: false,
				limit: 25,
			},
		});
		expect(jsonOf(result).map((row) => row.Nr)).toEqual(
			Array.from({ length: 25 }, (_, index) => index + 1),
		);
		expect(
			connectorRequests()
				.map((request) => Number(request.query.skip))
				.sort((a, b) => a - b),
		).toEqual([0, 9, 19]);
	});

	it('uses one small page for a limit below the page size', async () => {
		storePagingRows(100);
		const result = await run(sandbox, {
			parameters: {
				...rowsParameters(PAGING, { sort: { fields: [{ field: 'Nr', direction: 'asc' }] } }),
				returnAll: false,
				limit: 5,
			},
		});
		expect(jsonOf(result).map((row) => row.Nr)).toEqual([1, 2, 3, 4, 5]);
		expect(connectorRequests()).toHaveLength(1);
		expect(connectorRequests()[0]!.query.take).toBe('5');
	});
});

describe('default sort', () => {
	const TIES = 'Ties_Test';

	beforeAll(() => {
		// The first field repeats a lot: the sandbox orders ties differently on every call, as a
		// database does, so paging on that field alone would skip and repeat people.
		sandbox.setRows(
			TIES,
			Array.from({ length: 60 }, (_, index) => ({
				Department: `D${index % 3}`,
				EmployeeId: `E${String(index).padStart(3, '0')}`,
			})),
			[
				{ id: 'Department', dataType: 'string', label: 'Department' },
				{ id: 'EmployeeId', dataType: 'string', label: 'Employee' },
			],
		);
	});

	async function idsWith(sort?: INodeParameters, parallelRequests = 2) {
		const result = await run(sandbox, {
			parameters: rowsParameters(TIES, {
				...(sort ? { sort } : {}),
				options: { pageSize: 7, parallelRequests },
			}),
		});
		expect(result.error).toBeUndefined();
		return jsonOf(result).map((row) => row.EmployeeId as string);
	}

	it('sorts on all fields of the connector when no sort is chosen, so rows that tie on one field are not lost', async () => {
		const ids = await idsWith();
		expect(ids).toHaveLength(60);
		expect(new Set(ids).size).toBe(60);
		expect(ids).toEqual(
			[...ids].sort(
				(a, b) => (Number(a.slice(1)) % 3) - (Number(b.slice(1)) % 3) || a.localeCompare(b),
			),
		);

		const pageRequests = sandbox
			.stats()
			.log.filter((entry) => entry.path.endsWith(`/connectors/${TIES}`));
		expect(pageRequests.length).toBeGreaterThanOrEqual(9);
		for (const request of pageRequests)
			expect(request.query.orderbyfieldids).toBe('Department,EmployeeId');
		// The fields were read once, not once per page.
		expect(
			sandbox.stats().log.filter((entry) => entry.path.toLowerCase().includes('/metainfo/get/')),
		).toHaveLength(1);
	});

	it('adds the other fields to a sort on a repeating field, so no one is lost or repeated', async () => {
		const ids = await idsWith({ fields: [{ field: 'Department', direction: 'desc' }] }, 1);
		expect(ids).toHaveLength(60);
		expect(new Set(ids).size).toBe(60);
		expect(ids).toEqual(
			[...ids].sort(
				(a, b) => (Number(b.slice(1)) % 3) - (Number(a.slice(1)) % 3) || a.localeCompare(b),
			),
		);
		// The first read (on Department alone) stopped at the first page, whose rows tie; the
		// second sorts on the other field as well.
		const sorts = sandbox
			.stats()
			.log.filter((entry) => entry.path.endsWith(`/connectors/${TIES}`))
			.map((entry) => entry.query.orderbyfieldids);
		expect(sorts[0]).toBe('-Department');
		expect(sorts.filter((sort) => sort === '-Department')).toHaveLength(1);
		expect(sorts.slice(1).every((sort) => sort === '-Department,EmployeeId')).toBe(true);
	});

	it('reads every employee of the MobieTrain connector once with the default sort', async () => {
		const expected = sandbox.getRows('Mobietrain_Employees').map((row) => row.externalId);
		const result = await run(sandbox, {
			parameters: rowsParameters('Mobietrain_Employees', {
				options: { pageSize: 500, parallelRequests: 4 },
			}),
		});
		const ids = jsonOf(result).map((row) => row.externalId);
		expect(ids).toHaveLength(expected.length);
		expect(new Set(ids)).toEqual(new Set(expected));
	});
});

describe('date output', () => {
	const DATES = 'Dates_Test';

	beforeAll(() => {
		sandbox.setRows(
			DATES,
			[
				{
					Id: 'summer',
					Day: '2024-07-01',
					Moment: '2024-07-01T23:30:00',
					Text: '2024-07-01T00:00:00Z',
				},
				{ Id: 'winter', Day: '2024-01-15', Moment: '2024-01-15T08:30:00', Text: 'plain' },
				{ Id: 'empty', Day: null, Moment: null, Text: null },
			],
			[
				{ id: 'Id', dataType: 'string', label: 'Id' },
				{ id: 'Day', dataType: 'date', label: 'Day' },
				{ id: 'Moment', dataType: 'date', label: 'Moment' },
				{ id: 'Text', dataType: 'string', label: 'Text' },
			],
		);
	});

	async function datesWith(dateOutput?: string) {
		const result = await run(sandbox, {
			parameters: rowsParameters(DATES, {
				sort: { fields: [{ field: 'Id', direction: 'desc' }] },
				options: dateOutput ? { dateOutput } : {},
			}),
		});
		expect(result.error).toBeUndefined();
		return Object.fromEntries(jsonOf(result).map((row) => [row.Id as string, row]));
	}

	it('passes dates on as AFAS sends them by default', async () => {
		const rows = await datesWith();
		expect(rows.summer).toMatchObject({
			Day: '2024-07-01T00:00:00Z',
			Moment: '2024-07-01T23:30:00Z',
		});
	});

	it('gives ISO dates with the real Amsterdam offset: +02:00 in summer, +01:00 in winter', async () => {
		const rows = await datesWith('iso');
		expect(rows.summer).toMatchObject({
			Day: '2024-07-01T00:00:00+02:00',
			Moment: '2024-07-01T23:30:00+02:00',
		});
		expect(rows.winter).toMatchObject({
			Day: '2024-01-15T00:00:00+01:00',
			Moment: '2024-01-15T08:30:00+01:00',
		});
		// A text field that looks like a date is not touched; empty dates stay null.
		expect(rows.summer!.Text).toBe('2024-07-01T00:00:00Z');
		expect(rows.empty).toMatchObject({ Day: null, Moment: null });
	});

	it('gives the date alone with date only', async () => {
		const rows = await datesWith('dateOnly');
		expect(rows.summer).toMatchObject({ Day: '2024-07-01', Moment: '2024-07-01' });
		expect(rows.winter).toMatchObject({ Day: '2024-01-15', Moment: '2024-01-15' });
	});
});

describe('items', () => {
	it("runs once per input item with that item's parameters and pairs the rows with it", async () => {
		storePagingRows(30);
		const result = await run(sandbox, {
			inputs: [[{ from: 5 }, { from: 28 }]],
			parameters: rowsParameters(PAGING, {
				sort: { fields: [{ field: 'Nr', direction: 'asc' }] },
				filters: {
					groups: [
						{
							conditions: {
								condition: [
									{ field: 'Nr', operator: 'greaterOrEqual', value: '={{ $json.from }}' },
								],
							},
						},
					],
				},
			}),
		});
		expect(result.error).toBeUndefined();
		const items = result.outputs[0]!;
		const byInput = (input: number) =>
			items
				.filter((item) => (item.pairedItem as { item: number }).item === input)
				.map((item) => item.json.Nr);
		expect(byInput(0)).toEqual(Array.from({ length: 26 }, (_, index) => index + 5));
		expect(byInput(1)).toEqual([28, 29, 30]);
	});
});

describe('metadata operations', () => {
	it('lists the GetConnectors of the token', async () => {
		const result = await run(sandbox, { parameters: { operation: 'getAll', returnAll: true } });
		const ids = jsonOf(result).map((row) => row.id);
		expect(ids).toEqual(
			expect.arrayContaining(['Mobietrain_Employees', 'Profit_Employees', 'Oneteam_Users']),
		);
		expect(jsonOf(result)[0]).toEqual({ id: expect.any(String), description: expect.any(String) });
	});

	it('limits the connector list', async () => {
		const result = await run(sandbox, {
			parameters: { operation: 'getAll', returnAll: false, limit: 2 },
		});
		expect(jsonOf(result)).toHaveLength(2);
	});

	it('gives one item per field of a connector, including the employementEndDate spelling', async () => {
		const result = await run(sandbox, {
			parameters: {
				operation: 'getFields',
				connector: { __rl: true, mode: 'list', value: 'Mobietrain_Employees' },
			},
		});
		const fields = jsonOf(result);
		expect(fields.map((field) => field.id)).toEqual(
			sandbox.getFields('Mobietrain_Employees').map((field) => field.id),
		);
		expect(fields.find((field) => field.id === 'employementEndDate')).toMatchObject({
			connector: 'Mobietrain_Employees',
			dataType: 'date',
		});
	});
});
