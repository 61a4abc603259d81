/**
 * The key of a GetConnector row for the AFAS Trigger: what identifies a person (or any row) from
 * one poll to the next, and the one order the trigger outputs items in.
 *
 * A key is text: with one key field, the value as text (`'10001'`); with several, the JSON array
 * of their values as text (`'["10001","2"]'`), so no two different keys share a text. A row with
 * an empty key field (null, missing or '') has no key: it cannot be followed from poll to poll.
 */
import type { IDataObject } from 'n8n-workflow';

/** The value of one key field as text, or undefined when it is empty. */
function keyPart(value: unknown): string | undefined {
	if (value === null || value === undefined) return undefined;
	const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
	return text === '' ? undefined : text;
}

/** The row's key (see the module comment), or undefined when a key field is empty. */
export function keyOf(row: IDataObject, keyFields: readonly string[]): string | undefined {
	if (keyFields.length === 1) return keyPart(row[keyFields[0]]);
	const parts: string[] = [];
	for (const field of keyFields) {
		const part = keyPart(row[field]);
		if (part === undefined) return undefined;
		parts.push(part);
	}
	return JSON.stringify(parts);
}

/** The key's values by key field, as text: `{ externalId: '10001' }`. */
export function keyValues(key: string, keyFields: readonly string[]): IDataObject {
	if (keyFields.length === 1) return { [keyFields[0]]: key };
	const parts = JSON.parse(key) as string[];
	return Object.fromEntries(keyFields.map((field, index) => [field, parts[index]])) as IDataObject;
}

/** The key as people read it: the value, or the values joined with ' / '. */
export function keyLabel(key: string, keyFields: readonly string[]): string {
	return keyFields.length === 1 ? key : (JSON.parse(key) as string[]).join(' / ');
}

const DIGITS = /^\d+$/;

/**
 * Text whose plain (code unit) order is the key order of one part: numbers made of digits only
 * first, by value (shorter numbers first, so no precision is lost beyond 2^53), then any other
 * text in code unit order (independent of the locale).
 */
function partOrder(part: string): string {
	if (!DIGITS.test(part)) return `1${part}`;
	const value = part.replace(/^0+(?=\d)/, '');
	return `0${String(value.length).padStart(10, '0')}${value}\u0001${part}`;
}

/** The text that sorts keys in the trigger's order: key field by key field, numbers by value. */
export function keyOrder(key: string, keyFieldCount: number): string {
	if (keyFieldCount === 1) return partOrder(key);
	return (JSON.parse(key) as string[]).map(partOrder).join('\u0000');
}

/**
 * A new array of `items` sorted by their key (see `keyOrder`); each order text is computed once.
 * A total order: the same keys give the same order whatever order they came in.
 */
export function sortByKey<T>(
	items: readonly T[],
	keyOfItem: (item: T) => string,
	keyFieldCount: number,
): T[] {
	const keyed = items.map((item) => ({ item, order: keyOrder(keyOfItem(item), keyFieldCount) }));
	keyed.sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : 0));
	return keyed.map((entry) => entry.item);
}
