/**
 * The AFAS sandbox's knobs for reads that cannot be completed exactly, over plain HTTP: rows
 * that tie under a sort come in a new order per request, rows added or removed between pages, a
 * server that ignores skip, Profit 6's numbers, sort IDs that need quoting, and a raw body.
 */
import { startAfasSandbox, type AfasSandbox } from '../../../sandbox/afas/server';
import { getConnector } from './http';

const DEPT = 'Dept_Knobs';
const DEPT_FIELDS = [
	{ id: 'dept', dataType: 'string' as const, label: 'Department' },
	{ id: 'nr', dataType: 'int' as const, label: 'Number' },
	{ id: 'name', dataType: 'string' as const, label: 'Name' },
];
const deptRows = (count: number) =>
	Array.from({ length: count }, (_, index) => ({
		dept: 'ABC'[index % 3],
		nr: index + 1,
		name: `Person ${index + 1}`,
	}));
type DeptRow = ReturnType<typeof deptRows>[number];

describe('AFAS sandbox knobs', () => {
	let afas: AfasSandbox;
	beforeAll(async () => {
		afas = await startAfasSandbox({ employeeCount: 20 });
	});
	afterAll(() => afas.close());
	beforeEach(() => {
		afas.clearFaults();
		afas.setIgnoreSkip(false);
		afas.setLegacyNumbers(false);
		afas.setRows(DEPT, deptRows(300), DEPT_FIELDS);
	});

	const numbers = (rows: DeptRow[]) => rows.map((row) => row.nr);
	const page = async (parameters: Record<string, string | number>) =>
		(await getConnector(afas, DEPT, parameters)).body.rows as DeptRow[];

	it('serves rows that tie under a user sort in a new order per request, the sort kept', async () => {
		const first = await page({ skip: 0, take: 50, orderbyfieldids: 'dept' });
		const second = await page({ skip: 0, take: 50, orderbyfieldids: 'dept' });
		expect(first.every((row) => row.dept === 'A')).toBe(true);
		expect(numbers(second)).not.toEqual(numbers(first));
		// Paging on the tied field alone loses and repeats people, as the issue saw.
		const seen: number[] = [];
		for (let skip = 0; skip < 300; skip += 50)
			seen.push(...numbers(await page({ skip, take: 50, orderbyfieldids: 'dept' })));
		expect(seen).toHaveLength(300);
		expect(new Set(seen).size).toBeLessThan(300);
		// A total order is stable.
		const total = { skip: 100, take: 50, orderbyfieldids: 'dept,nr' };
		expect(numbers(await page(total))).toEqual(numbers(await page(total)));
	});

	it('deletes a row after the given number of calls, so later pages shift', async () => {
		afas.addRowChange({ connectorId: DEPT, afterCalls: 1, change: { kind: 'delete', index: 0 } });
		const sorted = { take: 10, orderbyfieldids: 'nr' };
		const first = await page({ ...sorted, skip: 0 });
		const second = await page({ ...sorted, skip: 10 });
		expect(numbers(first)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
		// Row 1 is gone: the second page starts at 12, and 11 is never seen by this client.
		expect(numbers(second)[0]).toBe(12);
		expect(afas.getRows(DEPT)).toHaveLength(299);
		// Once only (times defaults to 1).
		expect(numbers(await page({ ...sorted, skip: 10 }))[0]).toBe(12);
	});

	it('inserts a row, again and again with times, and matches the connector case-insensitively', async () => {
		afas.addRowChange({
			connectorId: DEPT.toLowerCase(),
			afterCalls: 0,
			change: { kind: 'insert', row: { dept: 'A', nr: 0, name: 'New' } },
			times: 2,
		});
		expect(numbers(await page({ skip: 0, take: 3, orderbyfieldids: 'nr' }))).toEqual([0, 1, 2]);
		expect(numbers(await page({ skip: 0, take: 3, orderbyfieldids: 'nr' }))).toEqual([0, 0, 1]);
		expect(numbers(await page({ skip: 0, take: 3, orderbyfieldids: 'nr' }))).toEqual([0, 0, 1]);
		expect(afas.getRows(DEPT)).toHaveLength(302);
		// clearFaults drops pending row changes too.
		afas.addRowChange({ connectorId: DEPT, afterCalls: 0, change: { kind: 'delete' } });
		afas.clearFaults();
		await page({ skip: 0, take: 3 });
		expect(afas.getRows(DEPT)).toHaveLength(302);
	});

	it('ignores skip when told to: every page starts at the first row, take still counts', async () => {
		afas.setIgnoreSkip(true);
		const sorted = { take: 4, orderbyfieldids: 'nr' };
		expect(numbers(await page({ ...sorted, skip: 0 }))).toEqual([1, 2, 3, 4]);
		expect(numbers(await page({ ...sorted, skip: 100 }))).toEqual([1, 2, 3, 4]);
		afas.setIgnoreSkip(false);
		expect(numbers(await page({ ...sorted, skip: 100 }))).toEqual([101, 102, 103, 104]);
	});

	it('writes decimals as Profit 6 did (-.25, .5) with legacyNumbers, and strings untouched', async () => {
		afas.setRows(
			'Rates_Knobs',
			[
				{ nr: 1, rate: 0.5, note: '0.5' },
				{ nr: 2, rate: -0.25, note: ':0.5' },
				{ nr: 3, rate: 12.75, note: null },
				{ nr: 4, rate: 0, note: 'x' },
			],
			[
				{ id: 'nr', dataType: 'int', label: 'Nr' },
				{ id: 'rate', dataType: 'decimal', label: 'Rate' },
				{ id: 'note', dataType: 'string', label: 'Note' },
			],
		);
		afas.setLegacyNumbers(true);
		const legacy = await getConnector(afas, 'Rates_Knobs', { orderbyfieldids: 'nr' });
		expect(legacy.text).toBe(
			'{"skip":0,"take":100,"rows":[{"nr":1,"rate":.5,"note":"0.5"},{"nr":2,"rate":-.25,"note":":0.5"},' +
				'{"nr":3,"rate":12.75,"note":null},{"nr":4,"rate":0,"note":"x"}]}',
		);
		expect(legacy.body).toBeUndefined(); // not JSON
		afas.setLegacyNumbers(false);
		const current = await getConnector(afas, 'Rates_Knobs', { orderbyfieldids: 'nr' });
		expect(current.body.rows[1]).toEqual({ nr: 2, rate: -0.25, note: ':0.5' });
	});

	it("takes sort IDs with special characters only as ['id'] (else AFAS' Invalid Index field)", async () => {
		afas.setRows(
			'Quoted_Knobs',
			[
				{ nr: 1, 'Cat._result': 5 },
				{ nr: 2, 'Cat._result': 7 },
				{ nr: 3, 'Cat._result': 6 },
			],
			[
				{ id: 'nr', dataType: 'int', label: 'Nr' },
				{ id: 'Cat._result', dataType: 'decimal', label: 'Result' },
			],
		);
		const quoted = await getConnector(afas, 'Quoted_Knobs', {
			orderbyfieldids: "-['Cat._result'],nr",
		});
		expect(quoted.body.rows.map((row: { nr: number }) => row.nr)).toEqual([2, 3, 1]);
		const bare = await getConnector(afas, 'Quoted_Knobs', { orderbyfieldids: '-Cat._result' });
		expect(bare.status).toBe(500);
		expect(bare.body).toMatchObject({
			externalMessage: 'General message: Invalid Index field',
			errorNumber: -2147180996,
		});
		const unknown = await getConnector(afas, 'Quoted_Knobs', { orderbyfieldids: "['nope']" });
		expect(unknown.body.externalMessage).toBe("Connector field 'nope' not found");
	});

	it('answers with a given body instead of the normal answer (fault kind body)', async () => {
		afas.addFault({ fault: { kind: 'body', body: '{"rows":[{"a":1.}]}' }, connectorId: DEPT });
		const faulty = await getConnector(afas, DEPT, { take: 1 });
		expect(faulty.status).toBe(200);
		expect(faulty.text).toBe('{"rows":[{"a":1.}]}');
		expect(faulty.headers.get('content-type')).toMatch(/application\/json/);
		expect((await getConnector(afas, DEPT, { take: 1 })).body.rows).toHaveLength(1);
	});
});
