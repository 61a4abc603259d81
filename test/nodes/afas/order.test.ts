/**
 * The pure parts of an exact read: which sort is asked for and how field IDs are written
 * (sort.ts), the checks on the rows (order.ts) and reading AFAS' JSON with its older numbers
 * (json.ts).
 */
import type { IDataObject } from 'n8n-workflow';

import { readAfasJson, withLeadingZeros } from '../../../nodes/AfasGetConnector/transport/json';
import type { AfasFieldInfo } from '../../../nodes/AfasGetConnector/transport/metainfo';
import {
	findShift,
	findTie,
	repeatsPage,
	sameRow,
	tieOnFields,
} from '../../../nodes/AfasGetConnector/transport/order';
import { fieldIdForm, planSort, sortToken } from '../../../nodes/AfasGetConnector/transport/sort';

const field = (id: string, dataType = 'string'): AfasFieldInfo => ({ id, dataType, label: id });

describe('sort field IDs', () => {
	it("writes plain IDs as they are and others as ['id']", () => {
		expect(fieldIdForm('EmployeeId')).toBe('plain');
		expect(fieldIdForm('Budget_sub-afdeling')).toBe('plain');
		expect(fieldIdForm('Geboortedatum_één')).toBe('plain');
		expect(fieldIdForm('Cat._result')).toBe('quoted');
		expect(fieldIdForm('Naam medewerker')).toBe('quoted');
		expect(fieldIdForm("O'Brien")).toBe('unsortable');
		expect(fieldIdForm('a,b')).toBe('unsortable');
		expect(fieldIdForm('x]')).toBe('unsortable');
		expect(sortToken({ field: 'Nr', descending: false })).toBe('Nr');
		expect(sortToken({ field: 'Nr', descending: true })).toBe('-Nr');
		expect(sortToken({ field: 'Cat._result', descending: false })).toBe("['Cat._result']");
		expect(sortToken({ field: 'Cat._result', descending: true })).toBe("-['Cat._result']");
		expect(() => sortToken({ field: 'a,b', descending: false })).toThrow('cannot be sorted on');
	});
});

describe('planSort', () => {
	const fields = [
		field('dept'),
		field('nr', 'int'),
		field('Photo', 'blob'),
		field('Cat._result', 'decimal'),
		field('name'),
	];

	it("puts the user's fields first, then every other sortable field in metainfo order", () => {
		const plan = planSort([{ field: 'dept', descending: true }], fields);
		expect(plan).toEqual({
			fields: [
				{ field: 'dept', descending: true },
				{ field: 'nr', descending: false },
				{ field: 'name', descending: false },
			],
			chosen: 1,
			leftOut: ['Photo', 'Cat._result'],
			needQuoting: ['Cat._result'],
		});
	});

	it('sorts on every sortable field without a user sort', () => {
		const plan = planSort([], fields);
		expect('fields' in plan && plan.fields.map((sort) => sort.field)).toEqual([
			'dept',
			'nr',
			'name',
		]);
	});

	it("takes a user's field that needs quoting, in metainfo's spelling", () => {
		const plan = planSort([{ field: 'cat._RESULT', descending: false }], fields);
		expect('fields' in plan && plan.fields[0]).toEqual({ field: 'Cat._result', descending: false });
		expect('fields' in plan && plan.needQuoting).toEqual([]);
	});

	it('refuses unknown, unsortable and repeated fields, and a connector with nothing to sort', () => {
		expect(planSort([{ field: 'nope', descending: false }], fields)).toEqual({
			kind: 'unknownField',
			field: 'nope',
		});
		expect(planSort([{ field: 'Photo', descending: false }], fields)).toEqual({
			kind: 'unsortableField',
			field: 'Photo',
		});
		expect(
			planSort(
				[
					{ field: 'nr', descending: false },
					{ field: 'NR', descending: true },
				],
				fields,
			),
		).toEqual({ kind: 'duplicateField', field: 'nr' });
		expect(planSort([], [field('Photo', 'blob')])).toEqual({ kind: 'nothingToSort' });
	});
});

describe('row checks', () => {
	const row = (nr: number, dept: string, name = `P${nr}`): IDataObject => ({ dept, nr, name });

	it('sees ties the way SQL Server compares: case and trailing spaces do not count', () => {
		expect(tieOnFields(row(1, 'A'), row(2, 'a '), ['dept'])).toBe(true);
		expect(tieOnFields(row(1, 'A'), row(2, 'B'), ['dept'])).toBe(false);
		expect(tieOnFields(row(1, 'A'), row(2, 'A'), ['dept', 'nr'])).toBe(false);
		expect(tieOnFields({ x: null }, { x: '' }, ['x'])).toBe(false);
	});

	it('finds the first pair of neighbours that tie without being the same row', () => {
		const rows = [row(1, 'A'), row(2, 'B'), row(2, 'B'), row(3, 'C'), row(4, 'C')];
		expect(findTie(rows, ['dept'])).toBe(4);
		expect(findTie(rows, ['dept', 'nr'])).toBe(-1);
		expect(findTie([row(1, 'A')], ['dept'])).toBe(-1);
	});

	it('compares whole rows for the overlap', () => {
		expect(sameRow(row(1, 'A'), row(1, 'A'))).toBe(true);
		expect(sameRow(row(1, 'A'), row(1, 'A', 'other'))).toBe(false);
		expect(sameRow(row(1, 'A'), { dept: 'A', nr: 1 })).toBe(false);
		expect(sameRow({ a: { b: 1 } }, { a: { b: 1 } })).toBe(true);
		expect(sameRow({ a: { b: 1 } }, { a: null })).toBe(false);
	});

	it('finds a page that does not start with the last row of the page before it', () => {
		const first = [row(1, 'A'), row(2, 'A')];
		expect(findShift(first, [row(2, 'A'), row(3, 'B')])).toBe(false);
		expect(findShift(first, [row(3, 'B'), row(4, 'B')])).toBe(true);
		expect(findShift(first, [])).toBe(true);
		expect(findShift([], [])).toBe(false);
	});

	it('finds a page that repeats the page before it from its start', () => {
		const first = [row(1, 'A'), row(2, 'A')];
		expect(repeatsPage(first, [row(1, 'A'), row(2, 'A'), row(3, 'A')])).toBe(true);
		expect(repeatsPage(first, [row(2, 'A'), row(3, 'A')])).toBe(false);
		expect(repeatsPage(first, [])).toBe(false);
		// A run of equal rows may start two pages in a row: that is no repeat.
		const same = [row(1, 'A'), row(1, 'A'), row(1, 'A')];
		expect(repeatsPage(same, [row(1, 'A'), row(1, 'A'), row(1, 'A'), row(2, 'A')])).toBe(false);
	});
});

describe("AFAS' JSON", () => {
	it('reads the numbers of Profit 6 and earlier: -.25 and .5', () => {
		expect(readAfasJson('{"rows":[{"nr":2,"rate":-.25},{"nr":1,"rate":.5}]}')).toEqual({
			ok: true,
			value: {
				rows: [
					{ nr: 2, rate: -0.25 },
					{ nr: 1, rate: 0.5 },
				],
			},
		});
		// With the line breaks older versions wrote, and in arrays.
		expect(readAfasJson('{\r\n"skip": 0,\r\n"rows": [{"a": [.5, -.75]}]}')).toEqual({
			ok: true,
			value: { skip: 0, rows: [{ a: [0.5, -0.75] }] },
		});
	});

	it('never changes a string, also one that looks like such a number', () => {
		const text = String.raw`{"a":".5","b":":.5,[-.5","c":"\":.5","d":-.5}`;
		expect(withLeadingZeros(text)).toBe(String.raw`{"a":".5","b":":.5,[-.5","c":"\":.5","d":-0.5}`);
		expect(readAfasJson(text)).toEqual({
			ok: true,
			value: { a: '.5', b: ':.5,[-.5', c: '":.5', d: -0.5 },
		});
		expect(withLeadingZeros('{"a":0.5,"b":"x"}')).toBeUndefined();
	});

	it('tells a cut-off body from numbers it cannot read and from a body that is not JSON', () => {
		const full = '{"rows":[{"nr":1,"name":"Jan"},{"nr":2,"rate":-.5}]}';
		for (let length = 1; length < full.length; length++) {
			expect(readAfasJson(full.slice(0, length))).toMatchObject({ ok: false, problem: 'cutOff' });
		}
		expect(readAfasJson('')).toMatchObject({ ok: false, problem: 'cutOff' });
		expect(readAfasJson('{"rows":[{"a":1.}]}')).toMatchObject({ ok: false, problem: 'numbers' });
		expect(readAfasJson('{"rows":[{"a":01}]}')).toMatchObject({ ok: false, problem: 'numbers' });
		expect(readAfasJson('{"rows":[{"a":-.}]}')).toMatchObject({ ok: false, problem: 'numbers' });
		expect(readAfasJson('{"rows":[{"a":1e}]}')).toMatchObject({ ok: false, problem: 'numbers' });
		expect(readAfasJson('<html>busy</html>')).toMatchObject({ ok: false, problem: 'notJson' });
		expect(readAfasJson('{"rows":[]}<html>')).toMatchObject({ ok: false, problem: 'notJson' });
	});
});
