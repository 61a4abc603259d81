/**
 * Change detection for the polling trigger, as pure functions: employees in, events and the next
 * snapshot out. No clock, no I/O.
 *
 * The snapshot keeps, per employee ID, the values of the watched fields. Classification follows
 * HiBob's access status (internal.status), the same signal a user sync enables accounts from:
 * - joiner: an ID seen for the first time, or a person whose status turned Active (a future
 *   hire on the start date, a return from inactive leave, a rehire);
 * - leaver: a person whose status turned Inactive, or an ID HiBob no longer returns;
 * - change: any other difference in the watched fields.
 * A field HiBob did not return is unknown, not empty: its previous value is kept and it is never
 * reported as changed.
 */
import { isSafeObjectProperty, type IDataObject } from 'n8n-workflow';
import { nestedPath, readPath } from './employees';
import { compareEmployeeIds, employeeIdOf } from './order';

export type PeopleSnapshot = Record<string, Record<string, unknown>>;

export interface Snapshot {
	version: 1;
	/** Fields and options the values were read with; a different set starts a new baseline. */
	signature: string;
	asOf: string;
	people: PeopleSnapshot;
}

export type EventKind = 'joiner' | 'change' | 'leaver';

export interface FieldChange {
	field: string;
	from: unknown;
	to: unknown;
}

export interface DetectedEvent {
	event: EventKind;
	reason: string;
	employeeId: string;
	active: boolean;
	changes: FieldChange[];
	/** As HiBob returned it; for someone no longer returned, rebuilt from the snapshot. */
	employee: IDataObject;
	/** Set on a leaver HiBob no longer returns (deleted, or hidden from the service user). */
	gone?: true;
}

/** Read on every poll, whatever else is watched: they decide joiner / leaver. */
export const LIFECYCLE_FIELDS = [
	'root.id',
	'internal.status',
	'internal.lifecycleStatus',
	'work.startDate',
	'internal.terminationDate',
];

function own(record: Record<string, unknown>, key: string): boolean {
	return Object.prototype.hasOwnProperty.call(record, key);
}

/** The values to keep for one employee; a field missing from the answer keeps its last value. */
export function snapshotValues(
	employee: IDataObject,
	fields: string[],
	previous?: Record<string, unknown>,
): Record<string, unknown> {
	return valuesAt(employee, fieldPaths(fields), previous);
}

/** Each field (root.id left out: it is the snapshot's key) with its nested path, resolved once. */
function fieldPaths(fields: string[]): Array<[string, string[]]> {
	return fields.filter((field) => field !== 'root.id').map((field) => [field, nestedPath(field)]);
}

function valuesAt(
	employee: IDataObject,
	paths: Array<[string, string[]]>,
	previous?: Record<string, unknown>,
): Record<string, unknown> {
	// Entries, not assignments: a field ID is user input, and "__proto__" must stay a plain key.
	const entries: Array<[string, unknown]> = [];
	for (const [field, path] of paths) {
		const value = readPath(employee, path);
		if (value !== undefined) entries.push([field, value]);
		else if (previous && own(previous, field)) entries.push([field, previous[field]]);
	}
	return Object.fromEntries(entries);
}

/** Access status decides; lifecycle status when the status field is not visible. */
export function isActive(values: Record<string, unknown>): boolean {
	const status = values['internal.status'];
	if (typeof status === 'string' && status.trim()) return status.trim().toLowerCase() === 'active';
	const lifecycle = values['internal.lifecycleStatus'];
	if (typeof lifecycle === 'string' && lifecycle.trim())
		return !['hired', 'terminated'].includes(lifecycle.trim().toLowerCase());
	return true;
}

/** What is compared: a manager object by its ID (a renamed manager is not a new manager). */
function comparable(value: unknown): string {
	if (value && typeof value === 'object' && !Array.isArray(value) && 'id' in value)
		return `id:${String((value as IDataObject).id)}`;
	return JSON.stringify(value ?? null);
}

function fieldChanges(
	before: Record<string, unknown>,
	after: Record<string, unknown>,
	fields: string[],
): FieldChange[] {
	const changes: FieldChange[] = [];
	for (const field of fields) {
		if (field === 'root.id' || !own(before, field) || !own(after, field)) continue;
		if (comparable(before[field]) !== comparable(after[field]))
			changes.push({ field, from: before[field], to: after[field] });
	}
	return changes;
}

/** Rebuilds a nested employee from snapshot values (for people HiBob no longer returns). */
function employeeFromValues(id: string, values: Record<string, unknown>): IDataObject {
	const employee: IDataObject = { id };
	for (const [field, value] of Object.entries(values)) {
		const path = nestedPath(field);
		if (!path.every((key) => isSafeObjectProperty(key))) continue;
		let node: IDataObject = employee;
		for (const key of path.slice(0, -1)) {
			if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
			node = node[key] as IDataObject;
		}
		node[path[path.length - 1]] = value as IDataObject[string];
	}
	return employee;
}

/**
 * What happened to someone already in the snapshot: became active (joiner), became inactive
 * (leaver), other watched fields changed (change), or nothing (undefined).
 */
function eventForKnown(
	id: string,
	employee: IDataObject,
	prior: Record<string, unknown>,
	values: Record<string, unknown>,
	fields: string[],
): DetectedEvent | undefined {
	const changes = fieldChanges(prior, values, fields);
	const active = isActive(values);
	const wasActive = isActive(prior);
	const base = { employeeId: id, active, changes, employee };
	if (!wasActive && active) return { event: 'joiner', reason: 'became active', ...base };
	if (wasActive && !active) return { event: 'leaver', reason: 'became inactive', ...base };
	if (changes.length) return { event: 'change', reason: 'fields changed', ...base };
	return undefined;
}

/** Why someone seen for the first time is inactive: not started yet, or already terminated. */
function inactiveNewReason(values: Record<string, unknown>): string {
	const lifecycle = values['internal.lifecycleStatus'];
	if (typeof lifecycle === 'string' && lifecycle.trim().toLowerCase() === 'terminated') {
		const ended = values['internal.terminationDate'];
		return `new to this trigger, already terminated${typeof ended === 'string' ? ` (${ended})` : ''}`;
	}
	const startDate = values['work.startDate'];
	return `new in HiBob, not active yet${typeof startDate === 'string' ? ` (starts ${startDate})` : ''}`;
}

/** Someone seen for the first time: a joiner, active or (a future hire) not yet. */
function eventForNew(
	id: string,
	employee: IDataObject,
	values: Record<string, unknown>,
): DetectedEvent {
	const active = isActive(values);
	const reason = active ? 'new in HiBob' : inactiveNewReason(values);
	return { event: 'joiner', reason, employeeId: id, active, changes: [], employee };
}

const byEmployeeId = (a: DetectedEvent, b: DetectedEvent) =>
	compareEmployeeIds(a.employeeId, b.employeeId);

/**
 * Compares HiBob's current answer with the previous snapshot: the events (joiners first, then
 * changes, then leavers; each group by employee ID, numeric-aware) and the next snapshot. At
 * most one event per employee.
 */
export function detectChanges(
	previous: PeopleSnapshot,
	employees: IDataObject[],
	fields: string[],
): { events: DetectedEvent[]; people: PeopleSnapshot } {
	const byKind: Record<EventKind, DetectedEvent[]> = { joiner: [], change: [], leaver: [] };
	const next = new Map<string, Record<string, unknown>>();
	const before = new Map(Object.entries(previous));
	const paths = fieldPaths(fields);

	for (const employee of employees) {
		const id = employeeIdOf(employee);
		if (id === undefined || next.has(id)) continue;
		const prior = before.get(id);
		const values = valuesAt(employee, paths, prior);
		next.set(id, values);
		const event = prior
			? eventForKnown(id, employee, prior, values, fields)
			: eventForNew(id, employee, values);
		if (event) byKind[event.event].push(event);
	}

	for (const [id, values] of before) {
		if (next.has(id)) continue;
		byKind.leaver.push({
			event: 'leaver',
			reason: 'no longer returned by HiBob (deleted, or no longer visible to the service user)',
			employeeId: id,
			active: false,
			changes: [],
			employee: employeeFromValues(id, values),
			gone: true,
		});
	}
	return {
		events: [
			...byKind.joiner.sort(byEmployeeId),
			...byKind.change.sort(byEmployeeId),
			...byKind.leaver.sort(byEmployeeId),
		],
		people: Object.fromEntries(next),
	};
}
