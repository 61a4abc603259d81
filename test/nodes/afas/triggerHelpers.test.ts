/**
 * The AFAS Trigger's pure parts: fingerprints, keys and their order, date windows, the guard
 * against partial reads, and the comparison of two polls.
 */
import type { IDataObject } from 'n8n-workflow';

import { detectEvents, type Comparison } from '../../../nodes/AfasTrigger/helpers/changes';
import { allowedLoss, refuseDrop } from '../../../nodes/AfasTrigger/helpers/completeness';
import { dateWindows, dayOf, todayIn } from '../../../nodes/AfasTrigger/helpers/dateWindows';
import {
	DIGEST_BYTES,
	changedFields,
	entryOf,
} from '../../../nodes/AfasTrigger/helpers/fingerprint';
import { keyLabel, keyOf, keyValues, sortByKey } from '../../../nodes/AfasTrigger/helpers/keys';
import {
	groupRows,
	readSnapshot,
	snapshotOf,
	type WatchSettings,
} from '../../../nodes/AfasTrigger/helpers/snapshot';

const FIELDS = ['name', 'dept', 'start', 'end'];

describe('fingerprints', () => {
	const row = { nr: '1', name: 'Ann', dept: 'Sales', start: '2020-01-01T00:00:00Z', end: null };

	it('are the same for the same values, and 6 + 1 byte per field long', () => {
		const entry = entryOf([row], FIELDS);
		expect(entryOf([{ ...row }], FIELDS)).toBe(entry);
		expect(Buffer.from(entry, 'base64url')).toHaveLength(DIGEST_BYTES + FIELDS.length);
		// A missing field is the same as null (AFAS sends empty values as null).
		const withoutEnd: IDataObject = { ...row };
		delete withoutEnd.end;
		expect(entryOf([withoutEnd], FIELDS)).toBe(entry);
	});

	it('tell types apart: 1004 is not "1004"', () => {
		expect(entryOf([{ dept: 1004 }], ['dept'])).not.toBe(entryOf([{ dept: '1004' }], ['dept']));
	});

	it('name only fields that changed, and every change changes the entry', () => {
		const before = entryOf([row], FIELDS);
		let named = 0;
		for (let index = 0; index < 500; index++) {
			const changed = {
				...row,
				dept: `Dept ${index}`,
				...(index % 2 ? { name: `N${index}` } : {}),
			};
			const after = entryOf([changed], FIELDS);
			expect(after).not.toBe(before);
			const names = changedFields(before, after, FIELDS);
			expect(['name', 'dept']).toEqual(expect.arrayContaining(names));
			if (names.includes('dept')) named++;
		}
		// One byte per field: a changed field keeps its byte about once in 256.
		expect(named).toBeGreaterThan(480);
	});

	it('of several rows do not depend on their order', () => {
		const other = { ...row, dept: 'Old', end: '2019-12-31T00:00:00Z' };
		expect(entryOf([row, other], FIELDS)).toBe(entryOf([other, row], FIELDS));
		expect(entryOf([row, other], FIELDS)).not.toBe(entryOf([row, row], FIELDS));
	});
});

describe('keys', () => {
	it('are the value as text, several fields as a JSON array, none when a key field is empty', () => {
		expect(keyOf({ nr: 1004 }, ['nr'])).toBe('1004');
		expect(keyOf({ nr: '1004', job: 2 }, ['nr', 'job'])).toBe('["1004","2"]');
		expect(keyOf({ nr: '' }, ['nr'])).toBeUndefined();
		expect(keyOf({ nr: '1', job: null }, ['nr', 'job'])).toBeUndefined();
		expect(keyValues('["1004","2"]', ['nr', 'job'])).toEqual({ nr: '1004', job: '2' });
		expect(keyValues('1004', ['nr'])).toEqual({ nr: '1004' });
		expect(keyLabel('["1004","2"]', ['nr', 'job'])).toBe('1004 / 2');
	});

	it('sort numbers by value (also beyond 2^53), then text, the same whatever the input order', () => {
		const keys = ['B', '10', '9007199254740993', '9', 'a', '9007199254740992', '010', 'A-1'];
		const expected = ['9', '010', '10', '9007199254740992', '9007199254740993', 'A-1', 'B', 'a'];
		expect(sortByKey(keys, (key) => key, 1)).toEqual(expected);
		expect(sortByKey([...keys].reverse(), (key) => key, 1)).toEqual(expected);
		const pairs = ['["2","1"]', '["10","1"]', '["2","0"]'];
		expect(sortByKey(pairs, (key) => key, 2)).toEqual(['["2","0"]', '["2","1"]', '["10","1"]']);
	});
});

describe('date windows', () => {
	it('reads the day AFAS wrote, ignoring its fake Z', () => {
		expect(dayOf('2026-03-10T00:00:00Z')).toBe('2026-03-10');
		expect(dayOf(null)).toBeUndefined();
		expect(dayOf('soon')).toBeUndefined();
	});

	it('takes today in the workflow time zone', () => {
		const lateEvening = new Date('2026-03-10T23:30:00Z');
		expect(todayIn('Europe/Amsterdam', lateEvening)).toBe('2026-03-11');
		expect(todayIn('America/New_York', lateEvening)).toBe('2026-03-10');
		expect(todayIn('Not/AZone', lateEvening)).toBe('2026-03-10');
	});

	it('reaches an end date the day after it, and a start date on the day or lead days before', () => {
		expect(
			dateWindows({ start: 'start', end: 'end', leadDays: 3 }, '2026-02-27', '2026-03-01'),
		).toEqual([
			{ field: 'start', kind: 'start', after: '2026-03-02', until: '2026-03-04', leadDays: 3 },
			{ field: 'end', kind: 'end', after: '2026-02-26', until: '2026-02-28', leadDays: 0 },
		]);
		expect(dateWindows({ leadDays: 0 }, '2026-02-27', '2026-03-01')).toEqual([]);
	});
});

describe('the guard against partial reads', () => {
	const keys = Array.from({ length: 80 }, (_, index) => String(index + 1));
	const keeping = (count: number) => (key: string) => Number(key) <= count;

	it('lets one key go in any connector, and up to the share', () => {
		expect(allowedLoss(3, 20)).toBe(1);
		expect(allowedLoss(80, 20)).toBe(16);
		expect(refuseDrop('C', ['1', '2'], keeping(1), 1, 20)).toBeUndefined();
		expect(refuseDrop('C', keys, keeping(64), 64, 20)).toBeUndefined();
	});

	it('refuses more than the share, and an empty read unless the share is 100', () => {
		expect(refuseDrop('C', keys, keeping(63), 63, 20)?.message).toMatch(
			/returned 63 of the 80 keys of the last poll: 17 \(21.3%\) are missing/,
		);
		expect(refuseDrop('C', keys, keeping(0), 0, 99)?.message).toMatch(/returned no rows/);
		expect(refuseDrop('C', keys, keeping(0), 0, 100)).toBeUndefined();
		expect(refuseDrop('C', [], keeping(0), 0, 0)).toBeUndefined();
	});
});

describe('comparing two polls', () => {
	const settings: WatchSettings = {
		keyFields: ['nr'],
		fields: FIELDS,
		remember: ['dept'],
		several: false,
	};
	const person = (nr: string, overrides: IDataObject = {}): IDataObject => ({
		nr,
		name: `Name ${nr}`,
		dept: 'Sales',
		start: '2020-01-01T00:00:00Z',
		end: null,
		...overrides,
	});
	const stamp = { population: 'p', day: '2026-03-10', asOf: '2026-03-10T08:00:00.000Z' };
	const windows = dateWindows(
		{ start: 'start', end: 'end', leadDays: 0 },
		'2026-03-10',
		'2026-03-11',
	);

	function compare(before: IDataObject[], after: IDataObject[], extra: Partial<Comparison> = {}) {
		const previous = snapshotOf(groupRows(before, settings), settings, stamp);
		const current = groupRows(after, settings);
		return detectEvents({ previous, current, settings, windows, compareChanges: true, ...extra });
	}

	it('finds one event per key, in key order, with from/to for remembered fields', () => {
		const before = [person('2'), person('10'), person('3', { end: '2026-03-10T00:00:00Z' })];
		const after = [
			person('10', { dept: 'Support', name: 'Renamed' }),
			person('3', { end: '2026-03-10T00:00:00Z' }),
			person('1', { end: '2026-03-10T00:00:00Z' }),
		];
		const events = compare(before, after);
		expect(events.map((event) => [event.event, event.key])).toEqual([
			['joiner', '1'], // its end date is reached too, but it is new: a joiner
			['leaver', '2'],
			['dateReached', '3'],
			['change', '10'],
		]);
		expect(events[1].lastKnown).toEqual({ dept: 'Sales' });
		expect(events[3].changes).toEqual([
			{ field: 'name', to: 'Renamed' },
			{ field: 'dept', from: 'Sales', to: 'Support' },
		]);
	});

	it('reaches a date moved into the past by a change, but not an old date of an unchanged row', () => {
		const before = [person('1'), person('2', { end: '2025-01-31T00:00:00Z' })];
		const after = [
			person('1', { end: '2026-02-01T00:00:00Z' }),
			person('2', { end: '2025-01-31T00:00:00Z' }),
		];
		const [event, ...others] = compare(before, after);
		expect(others).toEqual([]);
		expect(event).toMatchObject({
			event: 'dateReached',
			key: '1',
			datesReached: [{ field: 'end', kind: 'end', date: '2026-02-01' }],
			reason: 'end date 2026-02-01 (end) has passed; also changed: end',
		});
	});

	it('reports no changes when the watched fields differ, but joiners, leavers and dates', () => {
		const before = [person('1'), person('2'), person('3', { end: '2026-03-10T00:00:00Z' })];
		const after = [
			person('1', { name: 'New' }),
			person('3', { end: '2026-03-10T00:00:00Z' }),
			person('4'),
		];
		const events = compare(before, after, { compareChanges: false });
		expect(events.map((event) => [event.event, event.key])).toEqual([
			['leaver', '2'],
			['dateReached', '3'],
			['joiner', '4'],
		]);
	});

	it('keeps a stored snapshot only when it has the expected shape', () => {
		const snapshot = snapshotOf(groupRows([person('1')], settings), settings, stamp);
		expect(readSnapshot(JSON.parse(JSON.stringify(snapshot)))).toEqual(snapshot);
		expect(readSnapshot({ ...snapshot, version: 2 })).toBeUndefined();
		expect(readSnapshot({ ...snapshot, entries: [] })).toBeUndefined();
		expect(readSnapshot('nonsense')).toBeUndefined();
	});
});
