/**
 * The one order the HiBob nodes output employees in: by employee ID. HiBob documents no order for
 * `POST /people/search` (https://apidocs.hibob.com/reference/post_people-search), so the same
 * company can come back in a different order on every call; sorting makes runs comparable and
 * downstream diffs stable.
 *
 * The order is numeric-aware: IDs made of digits only (HiBob's IDs are 19-digit numbers) come
 * first, in numeric order (shorter numbers first, then digit by digit, so no precision is lost on
 * IDs beyond 2^53); any other ID follows in plain string order (UTF-16 code units, independent
 * of the locale).
 */
import type { IDataObject } from 'n8n-workflow';

const DIGITS = /^\d+$/;

/** Digits without leading zeros ("0" stays "0"). */
function significant(digits: string): string {
	const trimmed = digits.replace(/^0+/, '');
	return trimmed === '' ? '0' : trimmed;
}

function compareText(a: string, b: string): number {
	if (a === b) return 0;
	return a < b ? -1 : 1;
}

/**
 * Compares two employee IDs in the order above: negative when `a` comes first, 0 when equal,
 * positive otherwise. A total order, so sorting with it gives the same result for any input order.
 */
export function compareEmployeeIds(a: string, b: string): number {
	const aDigits = DIGITS.test(a);
	const bDigits = DIGITS.test(b);
	if (aDigits !== bDigits) return aDigits ? -1 : 1;
	if (!aDigits) return compareText(a, b);
	const aValue = significant(a);
	const bValue = significant(b);
	if (aValue.length !== bValue.length) return aValue.length - bValue.length;
	// Same number ("7" and "007"): fall back to the text so the order stays total.
	return compareText(aValue, bValue) || compareText(a, b);
}

/** The employee's ID as text (HiBob sends a string; a number is accepted), or undefined. */
export function employeeIdOf(employee: IDataObject): string | undefined {
	const id = employee.id;
	return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

/**
 * A text key whose plain order is `compareEmployeeIds`' order: numeric IDs as "0", the length of
 * the number (10 digits), the number, a NUL and the ID as given; other IDs as "1" and the ID.
 */
function sortKey(id: string): string {
	if (!DIGITS.test(id)) return `1${id}`;
	const value = significant(id);
	return `0${String(value.length).padStart(10, '0')}${value}\u0000${id}`;
}

/**
 * A new array of the employees sorted by ID (see `compareEmployeeIds`); those without one come
 * last, in their input order. Each key is computed once (50,000 employees: a few tens of ms).
 */
export function sortByEmployeeId<T extends IDataObject>(employees: readonly T[]): T[] {
	const keyed = employees.map((employee, index) => {
		const id = employeeIdOf(employee);
		return { employee, index, key: id === undefined ? undefined : sortKey(id) };
	});
	keyed.sort((a, b) => {
		if (a.key === undefined || b.key === undefined)
			return a.key === b.key ? a.index - b.index : a.key === undefined ? 1 : -1;
		return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
	});
	return keyed.map((entry) => entry.employee);
}
