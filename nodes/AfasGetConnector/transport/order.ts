/**
 * Checks on the rows of a paged read that prove it exact, or show where it is not. Pure (no n8n
 * context): rows in, findings out.
 *
 * Why these checks suffice (the reasoning the paging in `./paging.ts` relies on):
 * - Pages overlap by one row: every page after the first starts with the last row of the page
 *   before it. If that row is the same row, nothing was added or removed before it between the
 *   two requests; if not, the rows shifted and the read is repeated (see `findShift`).
 * - Rows that tie on every sort field come in any order, per request. Because pages overlap,
 *   every two neighbouring rows are in one answer, and one answer is one consistent query: two
 *   neighbours of one page that tie show a tie in the data itself (see `findTie`). Rows that are
 *   equal in every field may tie: which of two equal rows comes first changes nothing.
 * - With no ties and every page starting where the previous one ended, the pages tile the sorted
 *   list: every row that existed during the whole read is output exactly once.
 */
import type { IDataObject } from 'n8n-workflow';

/**
 * Whether two values of a sort field are equal the way AFAS' database compares them: SQL
 * Server's default collation ignores case and trailing spaces. Err on the side of "equal": a
 * tie that is not one only makes a read fail, a missed tie could make it lose a row.
 */
function sortValuesEqual(left: unknown, right: unknown): boolean {
	if (left === right) return true;
	if (typeof left === 'string' && typeof right === 'string') {
		return left.trimEnd().toLowerCase() === right.trimEnd().toLowerCase();
	}
	return false;
}

/** Whether rows `a` and `b` are equal on every one of `fields` (see sortValuesEqual). */
export function tieOnFields(a: IDataObject, b: IDataObject, fields: readonly string[]): boolean {
	for (const field of fields) {
		if (!sortValuesEqual(a[field], b[field])) return false;
	}
	return true;
}

/** Whether two rows are the same in every field (AFAS sends every field in every row). */
export function sameRow(a: IDataObject, b: IDataObject): boolean {
	const keys = Object.keys(a);
	if (keys.length !== Object.keys(b).length) return false;
	for (const key of keys) {
		const left = a[key];
		const right = b[key];
		if (left === right) continue;
		// Rows are flat; a nested value (never sent by AFAS) is compared by its JSON.
		if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null)
			return false;
		if (JSON.stringify(left) !== JSON.stringify(right)) return false;
	}
	return true;
}

/**
 * The index of the first row of `rows` that ties with the row before it on `fields` without
 * being the same row, or -1 when there is none.
 */
export function findTie(rows: readonly IDataObject[], fields: readonly string[]): number {
	for (let index = 1; index < rows.length; index++) {
		const previous = rows[index - 1];
		const row = rows[index];
		if (tieOnFields(previous, row, fields) && !sameRow(previous, row)) return index;
	}
	return -1;
}

/**
 * Whether `page` fails to start with the last row of `previous`, the overlap every page after
 * the first asks for (an empty page starts with nothing, so it fails too).
 */
export function findShift(previous: readonly IDataObject[], page: readonly IDataObject[]): boolean {
	if (previous.length === 0) return false;
	return page.length === 0 || !sameRow(previous[previous.length - 1], page[0]);
}

/**
 * Whether `page` repeats `previous` from its start although it was asked for rows further on
 * (as a server that ignores `skip` answers): every row they have in common is the same, and
 * those rows are not all one and the same. (In a sorted list, a row that comes again further on
 * has only equal rows between; so a run of equal rows can legitimately start two pages, but two
 * different rows cannot come again in the same order.)
 */
export function repeatsPage(
	previous: readonly IDataObject[],
	page: readonly IDataObject[],
): boolean {
	const common = Math.min(previous.length, page.length);
	let different = false;
	for (let index = 0; index < common; index++) {
		if (!sameRow(previous[index], page[index])) return false;
		if (index > 0 && !different) different = !sameRow(previous[0], previous[index]);
	}
	return different;
}
