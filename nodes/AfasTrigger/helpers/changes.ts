/**
 * What happened between two polls of the AFAS Trigger, per key. Pure: snapshot and this poll's
 * rows in, events out; no clock, no I/O.
 *
 * - joiner: a key the snapshot does not have;
 * - leaver: a key of the snapshot no row has any more (removed in AFAS, or no longer matching
 *   the connector's filter);
 * - dateReached: a watched start or end date reached since the last poll (./dateWindows.ts),
 *   also when the row changed (its changes are listed too);
 * - change: any other difference in the watched fields.
 * At most one event per key, in key order (./keys.ts).
 */
import type { IDataObject } from 'n8n-workflow';

import type { DateKind, DateWindow } from './dateWindows';
import { dayOf } from './dateWindows';
import { changedFields } from './fingerprint';
import { sortByKey } from './keys';
import { keyFieldValue, type KeyedRows, type Snapshot, type WatchSettings } from './snapshot';

export type EventKind = 'joiner' | 'change' | 'leaver' | 'dateReached';

/** A watched field that changed: `from` only when its value was remembered. */
export interface FieldChange {
	field: string;
	from?: unknown;
	to: unknown;
}

/** A start or end date reached in this poll. */
export interface ReachedDate {
	field: string;
	kind: DateKind;
	/** The date as a day (YYYY-MM-DD). */
	date: string;
}

export interface DetectedEvent {
	event: EventKind;
	key: string;
	reason: string;
	changes: FieldChange[];
	datesReached: ReachedDate[];
	/** The key's rows in this poll; empty for a leaver. */
	rows: IDataObject[];
	/** A leaver's remembered values, when fields are remembered. */
	lastKnown?: IDataObject;
}

/** One poll's comparison. */
export interface Comparison {
	previous: Snapshot;
	current: KeyedRows;
	settings: WatchSettings;
	windows: DateWindow[];
	/** Whether the snapshot watched the same fields: only then are changes compared. */
	compareChanges: boolean;
}

/** The remembered values of snapshot key `p` by field, or undefined without any. */
function rememberedAt(previous: Snapshot, p: number): Map<string, unknown> | undefined {
	if (!previous.values || previous.remember.length === 0) return undefined;
	const values = JSON.parse(previous.values[p]) as unknown[];
	return new Map(previous.remember.map((field, index) => [field, values[index]]));
}

/**
 * The changes of key `i` (snapshot key `p`), in field order: fields whose fingerprint byte
 * differs, and remembered fields whose value differs; `from` for remembered fields.
 */
function fieldChanges(c: Comparison, p: number, i: number): FieldChange[] {
	const { previous, current, settings } = c;
	const named = new Set(changedFields(previous.entries[p], current.entries[i], settings.fields));
	const remembered = rememberedAt(previous, p);
	const rows = current.rows[i];
	const changes: FieldChange[] = [];
	for (const field of settings.fields) {
		const to = keyFieldValue(rows, field);
		const known = remembered?.has(field) === true;
		const from = known ? remembered!.get(field) : undefined;
		const differs = known ? JSON.stringify(from) !== JSON.stringify(to) : named.has(field);
		if (!differs) continue;
		changes.push(known ? { field, from, to } : { field, to });
	}
	return changes;
}

/**
 * The watched dates of `rows` reached in this poll: inside the window, or (for a date field
 * that changed) any date up to the window's end.
 */
function reachedDates(
	rows: readonly IDataObject[],
	windows: readonly DateWindow[],
	changed: ReadonlySet<string>,
): ReachedDate[] {
	const reached: ReachedDate[] = [];
	for (const window of windows) {
		const moved = changed.has(window.field);
		for (const row of rows) {
			const date = dayOf(row[window.field]);
			if (date === undefined || date > window.until) continue;
			if (date > window.after || moved)
				reached.push({ field: window.field, kind: window.kind, date });
		}
	}
	return reached;
}

function reachedText(date: ReachedDate, windows: readonly DateWindow[]): string {
	if (date.kind === 'end') return `end date ${date.date} (${date.field}) has passed`;
	const lead = windows.find((window) => window.field === date.field)?.leadDays ?? 0;
	return lead > 0
		? `start date ${date.date} (${date.field}) is within the lead time of ${lead} days`
		: `start date ${date.date} (${date.field}) reached`;
}

function changeText(changes: readonly FieldChange[]): string {
	return changes.length > 0
		? `changed: ${changes.map((change) => change.field).join(', ')}`
		: 'watched values changed (which field is not known: its fingerprint stayed the same)';
}

/** The event of a key found in both polls, or undefined when nothing happened to it. */
function eventForKnown(c: Comparison, p: number, i: number): DetectedEvent | undefined {
	const key = c.current.keys[i];
	const rows = c.current.rows[i];
	const changed = c.compareChanges && c.previous.entries[p] !== c.current.entries[i];
	const changes = changed ? fieldChanges(c, p, i) : [];
	const names = new Set(changes.map((change) => change.field));
	const datesReached = reachedDates(rows, c.windows, names);
	if (datesReached.length > 0) {
		const texts = datesReached.map((date) => reachedText(date, c.windows));
		if (changed) texts.push(`also ${changeText(changes)}`);
		return { event: 'dateReached', key, reason: texts.join('; '), changes, datesReached, rows };
	}
	if (!changed) return undefined;
	return { event: 'change', key, reason: changeText(changes), changes, datesReached, rows };
}

function leaver(previous: Snapshot, p: number): DetectedEvent {
	const event: DetectedEvent = {
		event: 'leaver',
		key: previous.keys[p],
		reason: 'no longer in the connector (removed in AFAS, or no longer matching its filter)',
		changes: [],
		datesReached: [],
		rows: [],
	};
	const remembered = rememberedAt(previous, p);
	if (remembered) event.lastKnown = Object.fromEntries(remembered) as IDataObject;
	return event;
}

/**
 * The events between the snapshot and this poll's rows, one per key at most, sorted by key.
 * Linear in keys (plus rows × date fields); fingerprints are decoded only for changed keys.
 */
export function detectEvents(c: Comparison): DetectedEvent[] {
	const { previous, current } = c;
	const before = new Map<string, number>();
	previous.keys.forEach((key, p) => before.set(key, p));
	const events: DetectedEvent[] = [];
	current.keys.forEach((key, i) => {
		const p = before.get(key);
		const rows = current.rows[i];
		if (p === undefined) {
			const reason = 'new in the connector';
			events.push({ event: 'joiner', key, reason, changes: [], datesReached: [], rows });
			return;
		}
		const event = eventForKnown(c, p, i);
		if (event) events.push(event);
	});
	previous.keys.forEach((key, p) => {
		if (!current.index.has(key)) events.push(leaver(previous, p));
	});
	return sortByKey(events, (event) => event.key, c.settings.keyFields.length);
}
