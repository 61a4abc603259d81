/**
 * An employee in HiBob's response shape: for every field asked for, a slash key
 * (`"/work/title": { "value": … }`, non-null values only) and the nested form
 * (`"work": { "title": … }`, nulls kept), optionally with human-readable values (APPEND adds a
 * `humanReadable` mirror, REPLACE puts them in place of the machine values).
 *
 * Response shape: https://apidocs.hibob.com/docs/people-read-api-contract
 * Value types and their human-readable forms: https://apidocs.hibob.com/docs/fields-metadata
 */
import { FIELDS_BY_ID, listItemName } from './metadata';
import type { LifecycleState, StoredEmployee } from './model';
import { lifecycleOn } from './state/lifecycle';

export interface ProjectionContext {
	/** The clock's date (YYYY-MM-DD): lifecycles are computed for it. */
	today: string;
	/** Every employee by ID, for managers (`work.reportsTo`, `work.isManager`). */
	all: ReadonlyMap<string, StoredEmployee>;
	/** Casing of the machine value of `internal.lifecycleStatus` (HiBob does not document it). */
	lifecycleCase: 'lower' | 'title';
	/** Human-readable date format (HiBob uses the reading user's format). */
	humanReadableDateFormat: 'DD/MM/YYYY' | 'MM/DD/YYYY' | 'ISO';
}

export type HumanReadable = 'APPEND' | 'REPLACE';

type Reader = (employee: StoredEmployee, ctx: ProjectionContext) => unknown;

function displayName(e: StoredEmployee): string {
	return `${e.firstName} ${e.surname}`;
}

function titleCase(value: string): string {
	return value.charAt(0).toUpperCase() + value.slice(1);
}

/** `work.reportsTo`: the manager's ID, names, email and display name; null without a manager. */
function reportsToOf(e: StoredEmployee, all: ReadonlyMap<string, StoredEmployee>) {
	const manager = e.work.manager ? all.get(e.work.manager) : undefined;
	if (!manager) return null;
	return {
		id: manager.id,
		firstName: manager.firstName,
		surname: manager.surname,
		email: manager.email,
		displayName: displayName(manager),
	};
}

const lifecycle = (e: StoredEmployee, ctx: ProjectionContext): LifecycleState =>
	lifecycleOn(e, ctx.today);

/** How to read each known field's machine value from a record. */
const READERS = new Map<string, Reader>([
	['root.id', (e) => e.id],
	['root.companyId', (e) => e.companyId],
	['root.email', (e) => e.email],
	['root.firstName', (e) => e.firstName],
	['root.surname', (e) => e.surname],
	['root.secondName', (e) => e.secondName],
	['root.displayName', displayName],
	['root.fullName', displayName],
	['root.creationDateTime', (e) => e.creationDateTime],
	['root.avatarUrl', (e) => e.avatarUrl],
	['about.about', (e) => e.about.about],
	['about.hobbies', (e) => e.about.hobbies],
	['employment.type', (e) => e.employment.type],
	['employment.weeklyHours', (e) => e.employment.weeklyHours],
	['work.title', (e) => e.work.title],
	['work.department', (e) => e.work.department],
	[
		'work.site',
		(e) => (e.work.siteId === null ? null : (listItemName('site', e.work.siteId) ?? null)),
	],
	['work.siteId', (e) => e.work.siteId],
	['work.startDate', (e) => e.work.startDate],
	['work.shortStartDate', (e) => e.work.startDate.slice(5)],
	['work.reportsTo', (e, ctx) => reportsToOf(e, ctx.all)],
	['work.manager', (e) => e.work.manager],
	[
		'work.isManager',
		(e, ctx) => [...ctx.all.values()].some((other) => other.work.manager === e.id),
	],
	['work.employeeIdInCompany', (e) => e.work.employeeIdInCompany],
	['internal.status', (e, ctx) => lifecycle(e, ctx).status],
	[
		'internal.lifecycleStatus',
		(e, ctx) => {
			const status = lifecycle(e, ctx).lifecycleStatus;
			return ctx.lifecycleCase === 'title' ? titleCase(status) : status;
		},
	],
	['internal.terminationDate', (e) => e.internal.terminationDate],
	['internal.terminationReason', (e) => e.internal.terminationReason],
	['internal.probationEndDate', (e) => e.internal.probationEndDate],
	['employee.lastDayOfWork', (e) => e.internal.lastDayOfWork],
	['home.mobilePhone', (e) => e.home.mobilePhone],
	['home.privateEmail', (e) => e.home.privateEmail],
	['personal.pronouns', (e) => e.personal.pronouns],
	['personal.nationality', (e) => e.personal.nationality],
]);

/** The machine value of one field, or undefined for a field the employee does not have. */
function machineValue(e: StoredEmployee, fieldId: string, ctx: ProjectionContext): unknown {
	const reader = READERS.get(fieldId);
	if (reader) return reader(e, ctx);
	if (fieldId.startsWith('work.custom.') && fieldId in e.work.custom) return e.work.custom[fieldId];
	return undefined;
}

function formatDate(date: string, format: ProjectionContext['humanReadableDateFormat']): string {
	const [y, m, d] = date.split('-');
	if (format === 'ISO') return date;
	return format === 'DD/MM/YYYY' ? `${d}/${m}/${y}` : `${m}/${d}/${y}`;
}

/** The human-readable form of a non-null machine value: list item names, Yes/No, dates, names. */
function humanValue(fieldId: string, value: unknown, ctx: ProjectionContext): unknown {
	const meta = FIELDS_BY_ID.get(fieldId);
	const listId = meta?.typeData?.listId ?? '';
	switch (meta?.type ?? 'text') {
		case 'list':
			if (fieldId === 'internal.lifecycleStatus') return titleCase(String(value).toLowerCase());
			return listItemName(listId, value) ?? String(value);
		case 'multi-list':
			return (value as unknown[]).map((v) => listItemName(listId, v) ?? String(v));
		case 'boolean':
			return value ? 'Yes' : 'No';
		case 'number':
			return String(value);
		case 'date':
			return formatDate(String(value), ctx.humanReadableDateFormat);
		case 'employee':
			return (value as { displayName: string }).displayName;
		case 'employee-reference': {
			const other = ctx.all.get(String(value));
			return other ? displayName(other) : String(value);
		}
		default:
			return value;
	}
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
	let node = target;
	for (const key of path.slice(0, -1)) {
		if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
		node = node[key] as Record<string, unknown>;
	}
	node[path[path.length - 1]] = value;
}

/** Nested key path of a field ID: root fields at the top level, others under their category. */
function nestedPath(fieldId: string): string[] {
	const parts = fieldId.split('.');
	return parts[0] === 'root' ? parts.slice(1) : parts;
}

/** One employee with the given fields (unknown ones left out), in HiBob's response shape. */
export function projectEmployee(
	e: StoredEmployee,
	fieldIds: string[],
	humanReadable: HumanReadable | undefined,
	ctx: ProjectionContext,
): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	const human: Record<string, unknown> = {};
	for (const fieldId of fieldIds) {
		const machine = machineValue(e, fieldId, ctx);
		if (machine === undefined) continue;
		const readable = machine === null ? null : humanValue(fieldId, machine, ctx);
		const value = humanReadable === 'REPLACE' ? readable : machine;
		if (value !== null) out[`/${fieldId.replace(/\./g, '/')}`] = { value };
		setPath(out, nestedPath(fieldId), value);
		if (humanReadable === 'APPEND' && readable !== null)
			setPath(human, nestedPath(fieldId), readable);
	}
	if (humanReadable === 'APPEND') out.humanReadable = human;
	return out;
}
