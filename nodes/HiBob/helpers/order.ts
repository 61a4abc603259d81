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

/** A new array of the employees sorted by ID (see `compareEmployeeIds`); those without come last. */
export function sortByEmployeeId<T extends IDataObject>(employees: readonly T[]): T[] {
	return [...employees].sort((a, b) => {
		const aId = employeeIdOf(a);
		const bId = employeeIdOf(b);
		if (aId === undefined || bId === undefined)
			return (aId === undefined ? 1 : 0) - (bId === undefined ? 1 : 0);
		return compareEmployeeIds(aId, bId);
	});
}
