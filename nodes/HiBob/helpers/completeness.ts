/**
 * Whether one poll's answer can be trusted as the whole company, compared with the snapshot of
 * the last poll. Pure: snapshot and answer in, a refusal (or nothing) out.
 *
 * Downstream, a person missing from the answer is a leaver, so an answer that suddenly holds far
 * fewer people (HiBob answered partly, the service user's permission group changed, a
 * condition on that group now hides people) must not be read as a wave of leavers. The same
 * holds for values: a watched field that suddenly has no value (null) for many people, or the
 * access status that HiBob no longer returns for anyone, is a change of what the service user
 * may see, not of the people.
 *
 * The share: more than `maxMissingPercent` % of the people in the snapshot (at least 1 person:
 * one person may always disappear or lose a value, even in a tiny company).
 */
import type { IDataObject } from 'n8n-workflow';
import { nestedPath, readPath } from './employees';
import { employeeIdOf } from './order';
import type { PeopleSnapshot } from './snapshot';
import { percentText } from '../../shared/percent';

/** Why a poll's answer was refused: the error's message and what to check. */
export interface Refusal {
	message: string;
	description: string;
}

/** The option that sets the share, as the user sees it. */
export const MAX_MISSING_LABEL = 'Max Missing Employees (%)';

/** The field that decides active / inactive; without it leavers cannot be seen. */
const STATUS_FIELD = 'internal.status';

const KEPT = 'nobody was reported and the snapshot was kept';

/** How many of `total` people may go missing (or lose a value) in one poll. */
export function allowedLoss(total: number, maxMissingPercent: number): number {
	return Math.max(1, Math.floor((total * maxMissingPercent) / 100));
}

function emptyAnswer(total: number): Refusal {
	return {
		message: `HiBob returned no employees, after ${total} at the last poll; ${KEPT}`,
		description:
			'An empty answer after a non-empty one usually means the service user lost its permission group, not that everyone left. Check the service user in Bob → Settings → Permission groups.',
	};
}

function missingPeople(missing: number, total: number, maxMissingPercent: number): Refusal {
	return {
		message: `HiBob returned ${total - missing} of the ${total} employees of the last poll: ${missing} (${percentText(missing, total)}) are missing, more than "${MAX_MISSING_LABEL}" = ${maxMissingPercent}%; ${KEPT}`,
		description: `So many people rarely leave HiBob at once. Check, in Bob → Settings → Permission groups, that the service user's group still covers everyone (inactive people included, so no condition "Lifecycle status equals Employed") and was not given a narrower condition; a partial answer from HiBob or a proxy in between looks the same. Nothing is lost: the next poll compares with the kept snapshot. If these people really were deleted or hidden on purpose, raise "${MAX_MISSING_LABEL}" above ${Math.ceil((missing * 100) / total)}% for one poll (their leaver events are then emitted) and set it back.`,
	};
}

function nulledValues(
	field: string,
	lost: number,
	had: number,
	total: number,
	maxMissingPercent: number,
): Refusal {
	return {
		message: `HiBob returned no value for ${field} for ${lost} of the ${had} employees who had one at the last poll (${percentText(lost, total)} of ${total}), more than "${MAX_MISSING_LABEL}" = ${maxMissingPercent}%; ${KEPT}`,
		description: `Values of one field rarely disappear for so many people at once; a service user whose permission group lost the field's category sees them empty. Check the group's field categories in Bob → Settings → Permission groups. If the values really were cleared, raise "${MAX_MISSING_LABEL}" above ${Math.ceil((lost * 100) / total)}% for one poll and set it back.`,
	};
}

function statusGone(): Refusal {
	return {
		message: `HiBob no longer returns ${STATUS_FIELD} (the access status) for anyone, though it did at the last poll; without it, joiners and leavers cannot be told apart, so ${KEPT}`,
		description:
			'The service user’s permission group probably lost the Internal (lifecycle) field category. Add it back in Bob → Settings → Permission groups.',
	};
}

/** What one pass over the snapshot finds: people missing, and per field values that went null. */
interface Losses {
	missing: number;
	/** Per watched field: people who had a value, and how many of them came back with null. */
	nulled: Map<string, { had: number; lost: number }>;
	/** Whether any snapshot entry holds the access status. */
	statusKnown: boolean;
}

/** Compares snapshot and answer once: linear in people × watched fields. */
function countLosses(
	previous: PeopleSnapshot,
	answered: Map<string, IDataObject>,
	fields: string[],
): Losses {
	const watched = fields.filter((field) => field !== 'root.id');
	const paths = watched.map((field) => nestedPath(field));
	const counts = watched.map(() => ({ had: 0, lost: 0 }));
	let missing = 0;
	let statusKnown = false;
	for (const id of Object.keys(previous)) {
		const values = previous[id];
		statusKnown ||= Object.prototype.hasOwnProperty.call(values, STATUS_FIELD);
		const employee = answered.get(id);
		if (!employee) {
			missing++;
			continue;
		}
		for (let i = 0; i < watched.length; i++) {
			const before = Object.prototype.hasOwnProperty.call(values, watched[i])
				? values[watched[i]]
				: undefined;
			if (before === undefined || before === null) continue;
			counts[i].had++;
			if (readPath(employee, paths[i]) === null) counts[i].lost++;
		}
	}
	return { missing, statusKnown, nulled: new Map(watched.map((field, i) => [field, counts[i]])) };
}

/**
 * Whether this answer may replace the snapshot: a refusal when it is empty after a non-empty
 * snapshot (whatever the share), misses more people than the share allows, has nulled more
 * values of one watched field than the share allows, or lost the access status for everyone.
 * Linear in people × watched fields.
 * @param fields The watched fields (root.id is skipped).
 * @param maxMissingPercent 0 to 100; 100 lets any number go (except everyone).
 */
export function refuseIncompleteAnswer(
	previous: PeopleSnapshot,
	employees: IDataObject[],
	fields: string[],
	maxMissingPercent: number,
): Refusal | undefined {
	const total = Object.keys(previous).length;
	if (total === 0) return undefined;
	if (employees.length === 0) return emptyAnswer(total);
	const answered = new Map<string, IDataObject>();
	for (const employee of employees) {
		const id = employeeIdOf(employee);
		if (id !== undefined) answered.set(id, employee);
	}
	const allowed = allowedLoss(total, maxMissingPercent);
	const { missing, nulled, statusKnown } = countLosses(previous, answered, fields);
	if (missing > allowed) return missingPeople(missing, total, maxMissingPercent);
	const statusPath = nestedPath(STATUS_FIELD);
	if (statusKnown && employees.every((employee) => readPath(employee, statusPath) === undefined))
		return statusGone();
	for (const [field, { had, lost }] of nulled)
		if (lost > allowed) return nulledValues(field, lost, had, total, maxMissingPercent);
	return undefined;
}
