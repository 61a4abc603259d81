/**
 * AFAS Trigger: a real PollContext in n8n's engine against the AFAS sandbox, with the workflow's
 * static data kept between polls the way n8n keeps it (test/helpers/n8n.ts createPoller).
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { createPoller, NODE_UNDER_TEST } from '../../helpers/n8n';
import {
	startAfasSandbox,
	type AfasFieldMeta,
	type AfasSandbox,
} from '../../../sandbox/afas/server';
import { afasCredentials, connectorById } from './helpers';

const TRIGGER = 'afasTrigger';
const PEOPLE = 'Trigger_People';
const NODE_KEY = `node:${NODE_UNDER_TEST}`;
const FIELDS: AfasFieldMeta[] = [
	{ id: 'EmployeeId', dataType: 'string', label: 'Employee' },
	{ id: 'Email', dataType: 'string', label: 'E-mail (work)' },
	{ id: 'FirstName', dataType: 'string', label: 'First name' },
	{ id: 'LastName', dataType: 'string', label: 'Last name' },
	{ id: 'Department', dataType: 'string', label: 'Department' },
	{ id: 'StartDate', dataType: 'date', label: 'Start date' },
	{ id: 'EndDate', dataType: 'date', label: 'End date' },
];

type Row = Record<string, unknown>;

function person(nr: number, overrides: Row = {}): Row {
	return {
		EmployeeId: String(1000 + nr),
		Email: `person${nr}@example.com`,
		FirstName: `First${nr}`,
		LastName: `Last${nr}`,
		Department: `D${nr % 5}`,
		StartDate: '2020-01-01',
		EndDate: null,
		...overrides,
	};
}

/** 80 people, stored in a scrambled order (the sandbox also shuffles rows without a sort). */
function people(count = 80): Row[] {
	return Array.from({ length: count }, (_, index) => person(((index * 37) % count) + 1));
}

let sandbox: AfasSandbox;
let rows: Row[];

beforeAll(async () => {
	sandbox = await startAfasSandbox({ employeeCount: 10 });
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => {
	sandbox.clearFaults();
	rows = people();
	sandbox.setRows(PEOPLE, rows, FIELDS);
	sandbox.resetStats();
});

/** Changes the stored rows and hands them to the sandbox. */
function update(change: (rows: Row[]) => Row[]): void {
	rows = change(rows);
	sandbox.setRows(PEOPLE, rows, FIELDS);
}

function poller(
	parameters: INodeParameters = {},
	options: { staticData?: IDataObject; mode?: 'trigger' | 'manual'; timezone?: string } = {},
) {
	return createPoller({
		type: TRIGGER,
		parameters: {
			connector: connectorById(PEOPLE),
			keyFields: ['EmployeeId'],
			startDateField: 'StartDate',
			endDateField: 'EndDate',
			...parameters,
			options: { maxRetries: 1, ...(parameters.options as IDataObject) },
		},
		credentials: afasCredentials(sandbox),
		...options,
	});
}

function jsonOf(result: INodeExecutionData[][] | null): IDataObject[] {
	return (result?.[0] ?? []).map((item) => item.json);
}
const summary = (result: INodeExecutionData[][] | null) =>
	jsonOf(result).map((item) => [item.event, item.key]);

function snapshotOf(staticData: IDataObject): IDataObject {
	return (staticData[NODE_KEY] as IDataObject).snapshot as IDataObject;
}

describe('AFAS Trigger: baseline and events', () => {
	it('records a baseline on the first poll and emits nothing; the snapshot holds keys and fingerprints, no personal data', async () => {
		const p = poller();
		expect(await p.poll()).toBeNull();
		const snapshot = snapshotOf(p.staticData);
		expect(snapshot.keys).toHaveLength(80);
		expect(snapshot.entries).toHaveLength(80);
		expect(snapshot.fields).toEqual([
			'Email',
			'FirstName',
			'LastName',
			'Department',
			'StartDate',
			'EndDate',
		]);
		const text = JSON.stringify(snapshot);
		expect(text).not.toContain('person1@example.com');
		expect(text).not.toContain('Last1');
		// 80 keys of 4 digits and entries of 6 + 6 bytes (16 characters): well under 3 KB.
		expect(text.length).toBeLessThan(3000);
		expect(await p.poll()).toBeNull(); // nothing changed
	});

	it('reports a joiner, a change (changed fields named, from/to for remembered fields) and a leaver, in key order', async () => {
		const p = poller({ options: { rememberFields: ['LastName'] } });
		await p.poll();
		update((all) => [
			...all
				.filter((row) => row.EmployeeId !== '1010')
				.map((row) =>
					row.EmployeeId === '1005' ? { ...row, LastName: 'Bakker', Department: 'D9' } : row,
				),
			person(81),
		]);
		const result = await p.poll();
		expect(summary(result)).toEqual([
			['change', '1005'],
			['leaver', '1010'],
			['joiner', '1081'],
		]);
		const [change, leaver, joiner] = jsonOf(result);
		expect(change).toMatchObject({
			reason: 'changed: LastName, Department',
			changes: [
				{ field: 'LastName', from: 'Last5', to: 'Bakker' },
				{ field: 'Department', to: 'D9' },
			],
			row: { EmployeeId: '1005', LastName: 'Bakker', StartDate: '2020-01-01T00:00:00Z' },
			datesReached: [],
		});
		expect(change.changes).toEqual([
			{ field: 'LastName', from: 'Last5', to: 'Bakker' },
			{ field: 'Department', to: 'D9' },
		]);
		expect(leaver).toMatchObject({
			row: { EmployeeId: '1010' },
			lastKnown: { LastName: 'Last10' },
			reason: expect.stringContaining('no longer in the connector'),
		});
		expect(joiner).toMatchObject({
			reason: 'new in the connector',
			row: person(81, { StartDate: '2020-01-01T00:00:00Z' }),
		});
		expect(typeof joiner.detectedAt).toBe('string');
		expect(await p.poll()).toBeNull(); // reported once
	});

	it('Row output: the row at the root (Date Output applied) with the event, and a leaver as its key with deleted: true', async () => {
		const p = poller({ output: 'row', options: { dateOutput: 'dateOnly' } });
		await p.poll();
		update((all) => [
			...all
				.filter((row) => row.EmployeeId !== '1010')
				.map((row) => (row.EmployeeId === '1005' ? { ...row, Email: 'new5@example.com' } : row)),
			person(81, { StartDate: '2031-02-01' }),
		]);
		const items = jsonOf(await p.poll());
		expect(items).toEqual([
			{
				...person(5, { Email: 'new5@example.com', StartDate: '2020-01-01' }),
				event: expect.objectContaining({
					type: 'change',
					key: '1005',
					changes: [{ field: 'Email', to: 'new5@example.com' }],
				}),
			},
			{
				EmployeeId: '1010',
				deleted: true,
				event: expect.objectContaining({ type: 'leaver', key: '1010', changes: [] }),
			},
			{
				...person(81, { StartDate: '2031-02-01' }),
				event: expect.objectContaining({ type: 'joiner', key: '1081' }),
			},
		]);
	});

	it('outputs items in key order, numbers by value, whatever order AFAS sends', async () => {
		const p = poller();
		await p.poll();
		update((all) => [
			...all,
			person(0, { EmployeeId: '100' }),
			person(0, { EmployeeId: '9' }),
			person(0, { EmployeeId: 'A-7' }),
			person(0, { EmployeeId: '10' }),
		]);
		expect(summary(await p.poll())).toEqual([
			['joiner', '9'],
			['joiner', '10'],
			['joiner', '100'],
			['joiner', 'A-7'],
		]);
	});

	it('reports only the events chosen in Report, and writes nothing when it reports nothing', async () => {
		const p = poller({ report: ['leaver'] });
		await p.poll();
		const baseline = p.memory;
		update((all) => [...all, person(81)]);
		expect(await p.poll()).toBeNull();
		expect(p.memory).toEqual(baseline);
		update((all) => all.filter((row) => row.EmployeeId !== '1001'));
		expect(summary(await p.poll())).toEqual([['leaver', '1001']]);
		expect(snapshotOf(p.staticData).keys).toContain('1081');
	});
});

describe('AFAS Trigger: dates reached between polls', () => {
	const TODAY = '2026-03-10';
	afterEach(() => {
		jest.useRealTimers();
	});
	/** Only Date is faked (and runs on), so HTTP, timers and retries work as usual. */
	function setNow(iso: string) {
		jest.useFakeTimers({
			now: new Date(iso),
			advanceTimers: true,
			doNotFake: [
				'nextTick',
				'setImmediate',
				'clearImmediate',
				'setInterval',
				'clearInterval',
				'setTimeout',
				'clearTimeout',
				'queueMicrotask',
				'hrtime',
				'performance',
			],
		});
	}

	it('emits dateReached after midnight in the workflow time zone for an end date (last working day) and a start date, with no row change', async () => {
		update((all) =>
			all.map((row) => {
				if (row.EmployeeId === '1003') return { ...row, EndDate: TODAY };
				if (row.EmployeeId === '1004') return { ...row, StartDate: '2026-03-11' };
				if (row.EmployeeId === '1005') return { ...row, EndDate: '2026-03-11' };
				return row;
			}),
		);
		const p = poller({ output: 'row' }, { timezone: 'Europe/Amsterdam' });
		setNow(`${TODAY}T21:00:00Z`); // 22:00 in Amsterdam, 10 March
		expect(await p.poll()).toBeNull();
		setNow(`${TODAY}T22:30:00Z`); // 23:30 in Amsterdam: still 10 March
		expect(await p.poll()).toBeNull();
		setNow(`${TODAY}T23:30:00Z`); // 00:30 on 11 March in Amsterdam (still 10 March in UTC)
		const items = jsonOf(await p.poll());
		expect(items.map((item) => [item.EmployeeId, (item.event as IDataObject).type])).toEqual([
			['1003', 'dateReached'],
			['1004', 'dateReached'],
		]);
		expect((items[0].event as IDataObject).datesReached).toEqual([
			{ field: 'EndDate', kind: 'end', date: TODAY },
		]);
		expect((items[0].event as IDataObject).reason).toBe('end date 2026-03-10 (EndDate) has passed');
		expect((items[1].event as IDataObject).reason).toBe(
			'start date 2026-03-11 (StartDate) reached',
		);
		setNow(`${TODAY}T23:45:00Z`);
		expect(await p.poll()).toBeNull(); // reported once
		setNow('2026-03-11T23:30:00Z'); // 12 March in Amsterdam: 1005's last working day was the 11th
		const [later] = jsonOf(await p.poll());
		expect([later.EmployeeId, (later.event as IDataObject).type]).toEqual(['1005', 'dateReached']);
	});

	it('counts a start date as reached Start Date Lead Time days before it, and a date changed into the past as reached at once', async () => {
		update((all) =>
			all.map((row) => (row.EmployeeId === '1004' ? { ...row, StartDate: '2026-03-14' } : row)),
		);
		const p = poller({ options: { startLeadDays: 3 } }, { timezone: 'Europe/Amsterdam' });
		setNow(`${TODAY}T12:00:00Z`);
		await p.poll();
		setNow('2026-03-11T12:00:00Z');
		const [event] = jsonOf(await p.poll());
		expect(event).toMatchObject({
			event: 'dateReached',
			key: '1004',
			reason: 'start date 2026-03-14 (StartDate) is within the lead time of 3 days',
		});
		// An end date entered afterwards, in the past: a change that reached its date.
		update((all) =>
			all.map((row) => (row.EmployeeId === '1007' ? { ...row, EndDate: '2026-02-28' } : row)),
		);
		const [retroactive] = jsonOf(await p.poll());
		expect(retroactive).toMatchObject({
			event: 'dateReached',
			key: '1007',
			changes: [{ field: 'EndDate', to: '2026-02-28T00:00:00Z' }],
			reason: 'end date 2026-02-28 (EndDate) has passed; also changed: EndDate',
		});
	});
});

describe('AFAS Trigger: a read that cannot be trusted changes nothing', () => {
	/** Changes a person, then checks the next good poll still reports that change (state untouched). */
	async function expectStateKept(p: ReturnType<typeof poller>, before: IDataObject) {
		expect(p.memory).toEqual(before);
		expect(summary(await p.poll())).toEqual([['change', '1002']]);
	}

	it.each([
		[
			'503 beyond the retries',
			() =>
				sandbox.addFault({
					fault: { kind: 'status503', retryAfterSeconds: 0 },
					connectorId: PEOPLE,
					times: 5,
				}),
			/503|maintenance|unavailable/i,
		],
		[
			'connection resets beyond the retries',
			() => sandbox.addFault({ fault: { kind: 'reset' }, connectorId: PEOPLE, times: 5 }),
			/reset|socket|connection/i,
		],
		[
			'rows that shift while paging, also in the second read',
			() =>
				sandbox.addRowChange({
					connectorId: PEOPLE,
					afterCalls: 1,
					change: { kind: 'delete', index: 0 },
					times: 100,
				}),
			/changed while they were read/,
		],
		[
			'a server that returns fewer rows per call than asked for (a page cap)',
			() => sandbox.setMaxTake(15),
			/with 15 rows, fewer than the 20 asked for, yet more rows follow it/,
		],
	])('%s: an error, no items, state untouched', async (_label, fault, message) => {
		const p = poller({ options: { pageSize: 20, parallelRequests: 1 } });
		await p.poll();
		const before = p.memory;
		update((all) =>
			all.map((row) => (row.EmployeeId === '1002' ? { ...row, LastName: 'X' } : row)),
		);
		fault();
		await expect(p.poll()).rejects.toThrow(message);
		sandbox.clearFaults();
		sandbox.setMaxTake(undefined);
		// A row change fault deleted rows in the sandbox: put the stored rows back.
		sandbox.setRows(PEOPLE, rows, FIELDS);
		await expectStateKept(p, before);
	});

	it('a partial answer (80 → 40 keys) fails and keeps the state; the full answer then gives no events; a real drop is accepted by raising the share', async () => {
		const p = poller();
		await p.poll();
		const before = p.memory;
		sandbox.setRows(PEOPLE, rows.slice(0, 40), FIELDS);
		const error = await p.poll().catch((caught: Error & { description?: string }) => caught);
		expect(error).toBeInstanceOf(Error);
		expect((error as Error).message).toBe(
			'Connector \'Trigger_People\' returned 40 of the 80 keys of the last poll: 40 (50%) are missing, more than "Max Missing Rows (%)" = 20%; nothing was reported and the previous state was kept',
		);
		expect((error as { description?: string }).description).toContain(
			'set "Max Missing Rows (%)" to 50 or more for one poll',
		);
		expect(p.memory).toEqual(before);
		sandbox.setRows(PEOPLE, rows, FIELDS);
		expect(await p.poll()).toBeNull();

		// A real drop: accepted for one poll with a higher share.
		sandbox.setRows(PEOPLE, rows.slice(0, 40), FIELDS);
		const accepting = poller({ options: { maxMissingPercent: 50 } }, { staticData: p.staticData });
		const leavers = jsonOf(await accepting.poll());
		expect(leavers).toHaveLength(40);
		expect(leavers.every((item) => item.event === 'leaver')).toBe(true);
	});

	it('an empty read after a non-empty one fails unless the share is 100', async () => {
		const p = poller();
		await p.poll();
		sandbox.setRows(PEOPLE, [], FIELDS);
		await expect(p.poll()).rejects.toThrow(
			"AFAS returned no rows for connector 'Trigger_People', after 80 keys at the last poll",
		);
	});

	it('two rows with one key fail the poll, naming the key; rows without a key are not watched', async () => {
		const p = poller();
		await p.poll();
		const before = p.memory;
		update((all) => [...all, person(7, { Department: 'Other' })]);
		await expect(p.poll()).rejects.toThrow(
			/^Key 1007 \(EmployeeId\) is on rows \d+ and \d+ of connector 'Trigger_People': a key must identify one row$/,
		);
		expect(p.memory).toEqual(before);
		update((all) => [...all.slice(0, 80), person(90, { EmployeeId: null })]);
		expect(await p.poll()).toBeNull();
	});

	it('a key or watched field that is not in the connector is an error naming it', async () => {
		await expect(poller({ keyFields: ['EmployeeNr'] }).poll()).rejects.toThrow(
			"Key field 'EmployeeNr' is not a field of connector 'Trigger_People'",
		);
		await expect(poller({ watchedFields: ['Mail'] }).poll()).rejects.toThrow(
			"Watched field 'Mail' is not a field of connector 'Trigger_People'",
		);
	});
});

describe('AFAS Trigger: what is stored, and when', () => {
	it('a manual run writes nothing: with no snapshot it shows a sample row, with one it shows the events', async () => {
		const manual = poller({}, { mode: 'manual' });
		const [sample] = jsonOf(await manual.poll());
		expect(sample).toMatchObject({ event: 'sample', key: '1001', row: { EmployeeId: '1001' } });
		expect(manual.memory).toEqual({ [NODE_KEY]: {} });

		const p = poller();
		await p.poll();
		update((all) => [...all, person(81)]);
		const test = poller({}, { mode: 'manual', staticData: p.staticData });
		expect(summary(await test.poll())).toEqual([['joiner', '1081']]);
		expect(test.memory).toEqual(p.staticData);
		expect(summary(await p.poll())).toEqual([['joiner', '1081']]); // still to report
	});

	it('changing the watched fields starts a new baseline for changes; joiners and leavers are still reported', async () => {
		const p = poller({ watchedFields: ['LastName'] });
		await p.poll();
		update((all) =>
			all.map((row) => (row.EmployeeId === '1002' ? { ...row, Department: 'D9' } : row)),
		);
		expect(await p.poll()).toBeNull(); // Department is not watched

		const wider = poller(
			{ watchedFields: ['LastName', 'Department'] },
			{ staticData: p.staticData },
		);
		update((all) => [
			...all.map((row) => (row.EmployeeId === '1003' ? { ...row, Department: 'D8' } : row)),
			person(81),
		]);
		expect(summary(await wider.poll())).toEqual([['joiner', '1081']]); // no change events
		expect(snapshotOf(wider.staticData).fields).toEqual([
			'LastName',
			'Department',
			'StartDate',
			'EndDate',
		]);
		update((all) =>
			all.map((row) => (row.EmployeeId === '1004' ? { ...row, Department: 'D7' } : row)),
		);
		expect(summary(await wider.poll())).toEqual([['change', '1004']]);
	});

	it('changing the filter starts a new baseline: nothing is reported for the change itself', async () => {
		const p = poller();
		await p.poll();
		const filtered = poller(
			{
				filters: {
					groups: [
						{
							conditions: { condition: [{ field: 'Department', operator: 'equals', value: 'D1' }] },
						},
					],
				},
			},
			{ staticData: p.staticData },
		);
		expect(await filtered.poll()).toBeNull();
		expect(snapshotOf(filtered.staticData).keys).toHaveLength(16);
		update((all) =>
			all.map((row) => (row.EmployeeId === '1006' ? { ...row, Department: 'D2' } : row)),
		);
		expect(summary(await filtered.poll())).toEqual([['leaver', '1006']]);
	});

	it('a poll that finds nothing leaves the state as it was; a lost save after emitting re-emits the same events once', async () => {
		const p = poller();
		await p.poll();
		const baseline = p.staticData;
		expect(await p.poll()).toBeNull();
		expect(p.memory).toEqual(baseline); // nothing to save, nothing to lose

		update((all) => [...all.filter((row) => row.EmployeeId !== '1010'), person(81)]);
		const first = await p.poll();
		expect(summary(first)).toEqual([
			['leaver', '1010'],
			['joiner', '1081'],
		]);
		// n8n stopped before it saved the static data of that poll: it restarts from the baseline.
		const restarted = poller({}, { staticData: baseline });
		expect(summary(await restarted.poll())).toEqual(summary(first));
		expect(await restarted.poll()).toBeNull();
	});
});

describe('AFAS Trigger: several rows per key (one row per employment)', () => {
	const employments = () => [
		...people(10),
		person(3, { StartDate: '2020-01-01', EndDate: '2023-06-30', Department: 'Old' }),
	];

	it('watches the rows of a key together and outputs all of them', async () => {
		update(employments);
		const p = poller({ rowsPerKey: 'several', output: 'row' });
		expect(await p.poll()).toBeNull();
		expect(snapshotOf(p.staticData).keys).toHaveLength(10);
		update((all) =>
			all.map((row) =>
				row.EmployeeId === '1003' && row.Department === 'Old' ? { ...row, LastName: 'Smit' } : row,
			),
		);
		const items = jsonOf(await p.poll());
		expect(items).toHaveLength(2);
		expect(
			items.map((item) => [item.EmployeeId, item.Department, (item.event as IDataObject).type]),
		).toEqual(
			expect.arrayContaining([
				['1003', 'D3', 'change'],
				['1003', 'Old', 'change'],
			]),
		);
		expect((items[0].event as IDataObject).changes).toEqual([
			{ field: 'LastName', to: expect.arrayContaining(['Last3', 'Smit']) },
		]);
	});

	it('does not report a change when only the order of a key’s rows changes', async () => {
		update(employments);
		const p = poller({ rowsPerKey: 'several' });
		await p.poll();
		update((all) => [...all].reverse());
		expect(await p.poll()).toBeNull();
	});
});
