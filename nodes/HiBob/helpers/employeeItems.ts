/**
 * The "Employee (for Reconcile Users)" output of the HiBob triggers: items Reconcile Users takes
 * with its HiBob source preset, which reads the HiBob node's simplified employee (`id`, `email`,
 * `firstName`, `surname`, `work.*`, `internal.*`, `humanReadable.*`).
 *
 * - A known employee: the simplified employee at the root, plus `event` (what happened).
 * - An employee deleted in HiBob (or one HiBob no longer returns): only the key and the
 *   deletion marker, `{ id, deleted: true, event }`. Reconcile Users reads a top-level
 *   `deleted: true` as "deleted in HR", which makes the person a leaver.
 */
import type { IDataObject } from 'n8n-workflow';

/** How the triggers output what they found. */
export type TriggerOutput = 'event' | 'employee';

/** An employee item: the simplified employee with the event under `event`. */
export function employeeItem(employee: IDataObject, event: IDataObject): IDataObject {
	return { ...employee, event };
}

/** The item for someone deleted in HiBob: the employee ID, the deletion marker and the event. */
export function deletedItem(employeeId: string, event: IDataObject): IDataObject {
	return { id: employeeId, deleted: true, event };
}
