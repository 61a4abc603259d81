/**
 * The AFAS Trigger's memory between polls, and the rows of one poll grouped by key. Pure: rows
 * in, keys and fingerprints out; no clock, no I/O.
 *
 * The snapshot lives in the workflow's static data (n8n stores it in its database, in the
 * workflow's row). It holds, per key, the fingerprint entry of ./fingerprint.ts, and the values
 * of the fields the builder asked to remember (for from/to in change events). Parallel arrays
 * of text keep it compact: n8n makes every object in static data observable when it loads it,
 * and text costs nothing there.
 */
import type { IDataObject } from 'n8n-workflow';

import { entryOf } from './fingerprint';
import { keyOf } from './keys';

/** The snapshot as stored under `snapshot` in the node's static data. */
export interface Snapshot {
	version: 1;
	/**
	 * Which rows and keys it is about: connector, filters as typed, key fields, rows per key. A
	 * snapshot about another population is not compared with: the poll records a new baseline.
	 */
	population: string;
	/** The watched fields, in the order of the fingerprint bytes. */
	fields: string[];
	/** The fields whose values are kept in `values`. */
	remember: string[];
	/** The day (YYYY-MM-DD, in the workflow's time zone) of the poll that wrote it. */
	day: string;
	/** When it was written (ISO 8601, UTC). */
	asOf: string;
	/** Every key, in the order the rows came. */
	keys: string[];
	/** Per key (same index), the fingerprint entry. */
	entries: string[];
	/** Per key, the remembered values as a JSON array in `remember` order; absent without any. */
	values?: string[];
}

/** How rows become keys and entries. */
export interface WatchSettings {
	/** The fields whose values identify a row (or a person, with `several`). */
	keyFields: string[];
	/** The watched fields, in fingerprint order (key fields not among them). */
	fields: string[];
	/** Fields whose values are kept for from/to (a subset of `fields`). */
	remember: string[];
	/** Whether several rows may share a key (one row per employment): they are watched together. */
	several: boolean;
}

/** The rows of one poll by key. */
export interface KeyedRows {
	/** Every key, in the order its first row came. */
	keys: string[];
	/** Key → index in `keys`. */
	index: Map<string, number>;
	/** Per key, its rows in the order they came. */
	rows: IDataObject[][];
	/** Per key, the fingerprint entry. */
	entries: string[];
	/** Per key, the remembered values (JSON array text); absent without remembered fields. */
	values?: string[];
	/** Rows whose key fields are empty: they are not watched. */
	withoutKey: number;
}

/** Two rows with the same key while a key must identify one row. */
export class DuplicateKeyError extends Error {
	constructor(
		readonly key: string,
		/** 1-based positions of the two rows in the read. */
		readonly rowNumbers: [number, number],
	) {
		super(`Rows ${rowNumbers[0]} and ${rowNumbers[1]} have the same key ${key}`);
	}
}

/** The value of `field` for a key: the value of its row, or the array of its rows' values. */
export function keyFieldValue(rows: readonly IDataObject[], field: string): unknown {
	if (rows.length === 1) return rows[0][field] ?? null;
	return rows.map((row) => row[field] ?? null);
}

/**
 * Groups the rows by key and fingerprints each key. Linear in rows × watched fields.
 * @throws DuplicateKeyError when two rows share a key and `settings.several` is off.
 */
export function groupRows(rows: readonly IDataObject[], settings: WatchSettings): KeyedRows {
	const keys: string[] = [];
	const index = new Map<string, number>();
	const grouped: IDataObject[][] = [];
	const firstRow: number[] = [];
	let withoutKey = 0;
	rows.forEach((row, position) => {
		const key = keyOf(row, settings.keyFields);
		if (key === undefined) {
			withoutKey++;
			return;
		}
		const known = index.get(key);
		if (known === undefined) {
			index.set(key, keys.length);
			keys.push(key);
			grouped.push([row]);
			firstRow.push(position);
			return;
		}
		if (!settings.several) throw new DuplicateKeyError(key, [firstRow[known] + 1, position + 1]);
		grouped[known].push(row);
	});
	const entries = grouped.map((group) => entryOf(group, settings.fields));
	const values =
		settings.remember.length === 0
			? undefined
			: grouped.map((group) =>
					JSON.stringify(settings.remember.map((field) => keyFieldValue(group, field))),
				);
	return { keys, index, rows: grouped, entries, values, withoutKey };
}

/** The snapshot of this poll's rows. */
export function snapshotOf(
	current: KeyedRows,
	settings: WatchSettings,
	stamp: { population: string; day: string; asOf: string },
): Snapshot {
	const snapshot: Snapshot = {
		version: 1,
		...stamp,
		fields: [...settings.fields],
		remember: [...settings.remember],
		keys: current.keys,
		entries: current.entries,
	};
	if (current.values) snapshot.values = current.values;
	return snapshot;
}

/** The stored snapshot when it has this version's shape, else undefined. */
export function readSnapshot(stored: unknown): Snapshot | undefined {
	if (!stored || typeof stored !== 'object') return undefined;
	const snapshot = stored as Partial<Snapshot>;
	if (snapshot.version !== 1) return undefined;
	const lists = [snapshot.fields, snapshot.remember, snapshot.keys, snapshot.entries];
	if (!lists.every(Array.isArray)) return undefined;
	if (snapshot.keys!.length !== snapshot.entries!.length) return undefined;
	if (snapshot.values !== undefined && snapshot.values.length !== snapshot.keys!.length)
		return undefined;
	if (typeof snapshot.population !== 'string' || typeof snapshot.day !== 'string') return undefined;
	return snapshot as Snapshot;
}
