/**
 * People mode, several HR records for one person: which one speaks for them.
 *
 * AFAS connectors that return one row per employment give a rehired person two rows with the
 * same external ID: the old employment and the current one. An event-driven input may hold the
 * same person twice. Such a group of records sharing a match key is resolved when the
 * lifecycle rules make the answer clear; otherwise it stays a `duplicateHrKey` conflict.
 *
 * On the reference date each record is current (started on or before it, or no start date,
 * and not ended before it), future (starts after it), ended (its end date is before it) or
 * deleted (it carries the deletion marker). For one group:
 * 1. a record with an unreadable date: not resolved;
 * 2. every record the same (all fields equal): the first one;
 * 3. a deleted record: used when the others have all ended, else not resolved (deleted and
 *    still employed: which came last is not guessed);
 * 4. exactly one current record: that one; two or more: not resolved;
 * 5. none current: between two employments the person has left until the next one comes
 *    within the invite lead time. So the next employment (earliest future start) is used when
 *    it starts within the lead time (invited or reactivated, as a joiner would be), else the
 *    last ended one (the leaver action), else the next one (it waits). Two next employments
 *    starting on the same day with different data: not resolved.
 * The other records of a resolved group become `skip` items that name the record used.
 */
import { type HrSide, personLabel } from './normalise';
import { type Person, PERSON_FIELDS } from './types';

type EmploymentState = 'current' | 'future' | 'ended' | 'deleted';

/** What resolving the groups decided: the record used per record, and the reasons. */
export interface Employments {
	/** Records another record of the same person replaces → the reason of their `skip` item. */
	superseded: Map<number, string>;
	/** The record used for a group → the sentence added to its item's reason. */
	chosen: Map<number, string>;
	/** The record used for each record of a resolved group (itself for the chosen one). */
	usedFor: Map<number, number>;
}

/** One group's outcome: the record used and why, or not resolved. */
type GroupChoice = { row: number; why: string } | undefined;

function stateOf(hr: HrSide, i: number, asOf: string): EmploymentState {
	if (hr.deleted[i] === 1) return 'deleted';
	const { startDate, endDate } = hr.people[i];
	if (endDate && endDate < asOf) return 'ended';
	if (startDate && startDate > asOf) return 'future';
	return 'current';
}

function samePerson(a: Person, b: Person): boolean {
	for (const field of PERSON_FIELDS) if ((a[field] ?? null) !== (b[field] ?? null)) return false;
	return true;
}

function period(person: Person): string {
	const from = person.startDate ? `from ${person.startDate}` : 'without a start date';
	return person.endDate ? `${from} to ${person.endDate}` : from;
}

function describe(hr: HrSide, i: number): string {
	return hr.deleted[i] === 1 ? 'marked deleted in HR' : period(hr.people[i]);
}

/** The record used when none is current: the next employment, or the last ended one. */
function betweenEmployments(
	hr: HrSide,
	rows: number[],
	states: EmploymentState[],
	dates: { asOf: string; leadLimit: string },
): GroupChoice {
	const people = hr.people;
	let next = -1;
	let lastEnded = -1;
	rows.forEach((i, r) => {
		if (states[r] === 'future') {
			if (next < 0 || people[i].startDate! < people[next].startDate!) next = i;
		} else if (states[r] === 'ended') {
			if (lastEnded < 0 || people[i].endDate! > people[lastEnded].endDate!) lastEnded = i;
		}
	});
	if (next >= 0) {
		const start = people[next].startDate!;
		const tied = rows.filter((i) => i !== next && people[i].startDate === start);
		if (tied.some((i) => hr.deleted[i] === 1 || !samePerson(people[i], people[next])))
			return undefined;
		if (start <= dates.leadLimit || lastEnded < 0) {
			const within = start <= dates.leadLimit ? ', within the invite lead time' : '';
			return {
				row: next,
				why: `none is current on ${dates.asOf}; the next one (${period(people[next])}${within}) is used`,
			};
		}
	}
	const ended = people[lastEnded];
	const then = next >= 0 ? `, until the next one starts on ${people[next].startDate}` : '';
	return {
		row: lastEnded,
		why: `none is current on ${dates.asOf}: the last one ended on ${ended.endDate} and is used${then}`,
	};
}

/** Decides one group of records sharing a key (in HR order), or leaves it unresolved. */
function chooseRecord(
	hr: HrSide,
	rows: number[],
	dates: { asOf: string; leadLimit: string },
): GroupChoice {
	if (rows.some((i) => hr.badDate.has(i))) return undefined;
	const first = rows[0];
	const identical = (i: number) =>
		hr.deleted[i] === hr.deleted[first] && samePerson(hr.people[i], hr.people[first]);
	if (rows.every(identical)) return { row: first, why: 'they are identical; the first is used' };
	const states = rows.map((i) => stateOf(hr, i, dates.asOf));
	const deleted = rows.find((_, r) => states[r] === 'deleted');
	if (deleted !== undefined) {
		if (!states.every((state) => state === 'deleted' || state === 'ended')) return undefined;
		return {
			row: deleted,
			why: 'one is marked deleted in HR and the others have ended; it is used',
		};
	}
	const current = rows.filter((_, r) => states[r] === 'current');
	if (current.length === 1)
		return {
			row: current[0],
			why: `the one current on ${dates.asOf} (${period(hr.people[current[0]])}) is used`,
		};
	if (current.length > 1) return undefined;
	return betweenEmployments(hr, rows, states, dates);
}

/**
 * A record is resolved only with its whole group: every group that holds an unresolved record
 * (or a record whose chosen one is unresolved) becomes unresolved, until nothing changes.
 */
function dropUnresolvedGroups(
	groups: ReadonlyArray<ReadonlyMap<string, number[]>>,
	usedFor: Map<number, number>,
	unresolved: Set<number>,
): void {
	const isUnresolved = (i: number) => unresolved.has(i) || unresolved.has(usedFor.get(i) ?? i);
	let changed = unresolved.size > 0;
	while (changed) {
		changed = false;
		for (const column of groups) {
			for (const rows of column.values()) {
				if (!rows.some(isUnresolved)) continue;
				for (const i of rows) {
					if (unresolved.has(i)) continue;
					unresolved.add(i);
					changed = true;
				}
			}
		}
	}
	for (const i of unresolved) usedFor.delete(i);
}

/**
 * Resolves each group of HR records that share a key (`groups`: per match key, key → the
 * records holding it, in HR order). A record in several groups (the same external ID and the
 * same email) is resolved only when every group picks the same record for it.
 */
export function resolveEmployments(
	hr: HrSide,
	groups: ReadonlyArray<ReadonlyMap<string, number[]>>,
	dates: { asOf: string; leadLimit: string },
): Employments {
	const usedFor = new Map<number, number>();
	const why = new Map<number, string>();
	const unresolved = new Set<number>();
	for (const column of groups) {
		for (const rows of column.values()) {
			const choice = chooseRecord(hr, rows, dates);
			for (const i of rows) {
				const earlier = usedFor.get(i);
				if (!choice || (earlier !== undefined && earlier !== choice.row)) unresolved.add(i);
				else usedFor.set(i, choice.row);
			}
			if (choice)
				why.set(choice.row, `${rows.length} HR records share this person's key: ${choice.why}`);
		}
	}
	dropUnresolvedGroups(groups, usedFor, unresolved);
	const superseded = new Map<number, string>();
	const chosen = new Map<number, string>();
	for (const [i, row] of usedFor) {
		if (i === row) {
			chosen.set(i, `(${why.get(i)}.)`);
			continue;
		}
		const person = personLabel(hr.people, i);
		superseded.set(
			i,
			`HR record ${person} (${describe(hr, i)}) is skipped: HR item ${row + 1} is used for this person (${why.get(row)}).`,
		);
	}
	return { superseded, chosen, usedFor };
}
