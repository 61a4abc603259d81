/**
 * Changes to an employee record, by field ID (`work.title`, `root.email`, `surname`) or in the
 * nested form (`{ work: { title } }`), as the sandbox's `updateEmployee` takes them.
 */
import { HttpError } from '../errors';
import { isObject } from '../json';
import type { LeavePeriod, StoredEmployee } from '../model';

type Setter = (employee: StoredEmployee, value: unknown) => void;

const asText = (value: unknown) => value as string | null;

/** The manager's employee ID from an ID or a `work.reportsTo`-style object `{ id }`. */
function managerIdOf(value: unknown): string | null {
	if (value === null) return null;
	return String(isObject(value) ? value.id : value);
}

/** The fields the sandbox can change, by field ID. */
const SETTERS = new Map<string, Setter>([
	['root.email', (e, v) => void (e.email = asText(v))],
	['root.firstName', (e, v) => void (e.firstName = String(v))],
	['root.surname', (e, v) => void (e.surname = String(v))],
	['root.secondName', (e, v) => void (e.secondName = asText(v))],
	['work.title', (e, v) => void (e.work.title = asText(v))],
	['work.department', (e, v) => void (e.work.department = asText(v))],
	['work.startDate', (e, v) => void (e.work.startDate = v as string)],
	['work.siteId', (e, v) => void (e.work.siteId = v === null ? null : Number(v))],
	['work.manager', (e, v) => void (e.work.manager = managerIdOf(v))],
	['work.reportsTo', (e, v) => void (e.work.manager = managerIdOf(v))],
	['internal.terminationDate', (e, v) => void (e.internal.terminationDate = asText(v))],
	['internal.lastDayOfWork', (e, v) => void (e.internal.lastDayOfWork = asText(v))],
	['internal.terminationReason', (e, v) => void (e.internal.terminationReason = asText(v))],
	['internal.probationEndDate', (e, v) => void (e.internal.probationEndDate = asText(v))],
	['internal.leave', (e, v) => void (e.internal.leave = v as LeavePeriod | null)],
	['home.mobilePhone', (e, v) => void (e.home.mobilePhone = asText(v))],
	['home.privateEmail', (e, v) => void (e.home.privateEmail = asText(v))],
]);

/** Fields whose value is an object, so the nested form stops there. */
const OBJECT_VALUED = new Set(['work.reportsTo', 'internal.leave']);

/**
 * The patch as `[key, value]` pairs in order: top-level keys with a dot are field IDs already,
 * nested objects become dotted paths (except object-valued fields).
 */
function flattenPatch(patch: Record<string, unknown>): Array<[string, unknown]> {
	const pairs: Array<[string, unknown]> = [];
	const visit = (prefix: string, value: Record<string, unknown>) => {
		for (const [key, inner] of Object.entries(value)) {
			if (prefix === '' && key.includes('.')) {
				pairs.push([key, inner]);
				continue;
			}
			const path = prefix ? `${prefix}.${key}` : key;
			if (isObject(inner) && !OBJECT_VALUED.has(path)) visit(path, inner);
			else pairs.push([path, inner]);
		}
	};
	visit('', patch);
	return pairs;
}

/**
 * Applies a patch in order and returns the field IDs it set; keys without a dot are root fields
 * (`surname` → `root.surname`). Throws HttpError 400 at the first field the sandbox cannot change
 * (the fields before it stay changed).
 */
export function applyPatch(employee: StoredEmployee, patch: Record<string, unknown>): string[] {
	const changed: string[] = [];
	for (const [key, value] of flattenPatch(patch)) {
		const fieldId = key.includes('.') ? key : `root.${key}`;
		const setter = SETTERS.get(fieldId);
		if (setter) setter(employee, value);
		else if (fieldId.startsWith('work.custom.')) employee.work.custom[fieldId] = asText(value);
		else throw new HttpError(400, 'bad_request', `The sandbox cannot patch "${key}"`);
		changed.push(fieldId);
	}
	return changed;
}
