/**
 * Shared steps of both modes: key indexes, safety rails, sorting items into the plan's
 * outputs, and the summary.
 */
import type { Action, Blocked, Plan, PlanItem, SafetyRails, Scope, Summary } from './types';
import { ReconcileConfigError } from './types';

/**
 * Removal limits when the settings leave them empty. The removal rail trips only when a run
 * removes more than both 50 users and 5 % of the managed users, so the limit grows with the
 * company: 50 up to 1,000 managed users, 500 at 10,000, 2,500 at 50,000.
 *
 * A count alone (Entra's accidental-deletion threshold) does not scale: 100 is 10 % of 1,000
 * users but 0.2 % of 50,000, where an ordinary day of 1 % leavers (500) trips it. A percentage
 * alone (Okta's 20 % import safeguard) does not fit small companies, where one leaver of ten
 * is 10 % (Okta applies it only above 100 users). Together, the count is the allowance of a
 * small company and the percentage the limit of a large one. 5 % sits between a busy normal
 * day (month-end or seasonal contracts ending: a few percent) and what a mistake looks like (a
 * connector filter or a key change that drops a whole employer or department: 10 % and more);
 * a read that returns too little or nothing is caught by the HR-size rails on their own.
 * Whatever the count, removing more than half of the managed users for their absence from HR
 * also trips the rail (see `checkRemovalMajority`).
 * Frozen: a shared value.
 */
export const DEFAULT_RAILS: Readonly<Required<SafetyRails>> = Object.freeze({
	maxRemovals: 50,
	maxRemovalPercent: 5,
	minHrPercent: 50,
});

/** Key → first index, plus every index of keys that occur more than once. Empty keys are skipped. */
export interface KeyIndex {
	first: Map<string, number>;
	duplicates: Map<string, number[]>;
}

/** Indexes keys by value in one pass (a Map; the people mode's app keys use AppKeyIndex). */
export function buildIndex(keys: string[]): KeyIndex {
	const first = new Map<string, number>();
	const duplicates = new Map<string, number[]>();
	for (let i = 0; i < keys.length; i++) {
		const key = keys[i];
		if (key === '') continue;
		const seen = first.get(key);
		if (seen === undefined) {
			first.set(key, i);
			continue;
		}
		const list = duplicates.get(key);
		if (list) list.push(i);
		else duplicates.set(key, [seen, i]);
	}
	return { first, duplicates };
}

/**
 * The rails with the defaults filled in; throws ReconcileConfigError for a negative value.
 * Settings that are not rails (such as the former `percentFloor`) are ignored.
 */
export function resolveRails(rails: SafetyRails | undefined): Required<SafetyRails> {
	const resolved = { ...DEFAULT_RAILS };
	for (const [name, value] of Object.entries(rails ?? {})) {
		if (value === undefined || value === null || !(name in DEFAULT_RAILS)) continue;
		if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
			throw new ReconcileConfigError(
				`Safety rail "${name}" must be a number of 0 or more, not "${String(value)}"`,
				'Fix the value in the Safety Rails options.',
			);
		}
		resolved[name as keyof SafetyRails] = value;
	}
	return resolved;
}

/**
 * `part` as a percentage of `whole`, with one decimal, or up to three when one would show a
 * whole number the share is not ("5.002%" for 2,501 of 50,000, never "5%" above a 5 % limit).
 */
function percent(part: number, whole: number): string {
	if (whole === 0) return '0%';
	const exact = (part * 100) / whole;
	const rounded = Math.round(exact);
	let digits = 1;
	while (digits < 3 && exact !== rounded && Number(exact.toFixed(digits)) === rounded) digits++;
	return `${Number(exact.toFixed(digits))}%`;
}

/** A count with thousands separators: 50000 → "50,000". */
function count(value: number): string {
	return value.toLocaleString('en-US');
}

/** What the rails count: HR items (without deletion markers), managed users, removals. */
export interface RailCounts {
	hrItems: number;
	managed: number;
	hrRemovals: number;
	allRemovals: number;
	/** Removals of app users no HR item names (no end date, no deletion marker: only absence). */
	absentRemovals: number;
}

/** How the rail messages name things: "person"/"people" and the app's users or records. */
export interface RailNouns {
	person: string;
	people: string;
	app: string;
}

/** Above this share of the managed users (%), removals always trip the rail in scope everyone. */
const MAJORITY_PERCENT = 50;

const RAIL_FIX =
	'If this is expected, change the setting named above; to review first, turn on Dry Run or set "When a Safety Rail Trips" to "Send Plan to Output".';

/** The empty-HR and small-HR rails: an HR input that looks like a failed or partial read. */
function checkHrSize(
	rails: Required<SafetyRails>,
	counts: RailCounts,
	noun: RailNouns,
): Blocked | null {
	const { hrItems, managed, allRemovals } = counts;
	if (allRemovals > 0 && hrItems === 0) {
		return {
			rail: 'emptyHr',
			message: `Safety rail: the HR input is empty, so nothing is removed (${count(allRemovals)} of ${count(managed)} managed ${noun.app} would have been deactivated or removed)`,
			detail: `An empty HR input usually means the HR call failed or returned nothing (filter, permissions). Check the node before Reconcile Users on the HR input. This rail cannot be switched off. ${RAIL_FIX}`,
		};
	}
	if (allRemovals > 0 && managed > 0 && hrItems * 100 < rails.minHrPercent * managed) {
		return {
			rail: 'smallHr',
			message: `Safety rail: the HR input has ${count(hrItems)} ${hrItems === 1 ? noun.person : noun.people}, only ${percent(hrItems, managed)} of the ${count(managed)} managed ${noun.app}, below "Min HR Size (% of App)" = ${rails.minHrPercent}%; ${count(allRemovals)} removals were held back`,
			detail: `A suspiciously small HR input usually means a partial read (filter, permissions, paging). ${RAIL_FIX}`,
		};
	}
	return null;
}

/**
 * The removal rail. Scope everyone: trips when the HR-driven removals exceed both Max
 * Removals and Max Removals (%) of the managed users (the larger of the two limits), and
 * whatever the count when they exceed half of the managed users (so a small company cannot be
 * emptied in one run; a Max Removals (%) above 50 raises that ceiling, 100 switches it off).
 * Scope inputOnly: the App input may hold only the users found for the people in the input, so a
 * percentage of it means nothing: Max Removals alone.
 */
function checkRemovals(
	rails: Required<SafetyRails>,
	counts: RailCounts,
	noun: RailNouns,
	scope: Scope,
): Blocked | null {
	if (scope === 'inputOnly') return checkRemovalCount(rails, counts, noun);
	return checkRemovalLimit(rails, counts, noun) ?? checkRemovalMajority(rails, counts, noun);
}

/** Scope inputOnly: trips when the HR-driven removals exceed Max Removals (a count). */
function checkRemovalCount(
	rails: Required<SafetyRails>,
	{ hrRemovals }: RailCounts,
	noun: RailNouns,
): Blocked | null {
	if (hrRemovals <= rails.maxRemovals) return null;
	return {
		rail: 'maxRemovals',
		message: `Safety rail: ${count(hrRemovals)} ${noun.app} would be deactivated or removed, more than "Max Removals" = ${count(rails.maxRemovals)}`,
		detail: `Scope is "Only the People in the HR Input", so Max Removals (%) does not apply: the count alone limits a run. ${RAIL_FIX}`,
	};
}

/**
 * More than half of the managed users removed in one run for their absence from the HR input,
 * however few they are: a wrong connector, filter or key, not leavers HR names (those have an
 * end date or a deletion marker and count only towards the limit).
 */
function checkRemovalMajority(
	rails: Required<SafetyRails>,
	{ managed, absentRemovals }: RailCounts,
	noun: RailNouns,
): Blocked | null {
	const ceiling = Math.max(MAJORITY_PERCENT, rails.maxRemovalPercent);
	if (absentRemovals * 100 <= ceiling * managed) return null;
	return {
		rail: 'maxRemovals',
		message: `Safety rail: ${count(absentRemovals)} of ${count(managed)} managed ${noun.app} (${percent(absentRemovals, managed)}) are not in the HR input and would be deactivated or removed, more than ${ceiling}% of them`,
		detail: `Whatever Max Removals says, a run that removes more than half of the managed ${noun.app} because HR does not list them is held: that is what a wrong connector, filter or key looks like (often with as many creates). A Max Removals (%) above 50 raises this ceiling; 100 switches it off. ${RAIL_FIX}`,
	};
}

/**
 * Scope everyone: trips when the HR-driven removals exceed both Max Removals and Max Removals (%)
 * of the managed users, so the limit is the larger of the two.
 */
function checkRemovalLimit(
	rails: Required<SafetyRails>,
	{ managed, hrRemovals }: RailCounts,
	noun: RailNouns,
): Blocked | null {
	if (hrRemovals <= rails.maxRemovals) return null;
	if (hrRemovals * 100 <= rails.maxRemovalPercent * managed) return null;
	const limit = Math.max(rails.maxRemovals, Math.floor((rails.maxRemovalPercent * managed) / 100));
	return {
		rail: 'maxRemovals',
		message: `Safety rail: ${count(hrRemovals)} of ${count(managed)} managed ${noun.app} (${percent(hrRemovals, managed)}) would be deactivated or removed, more than both "Max Removals" = ${count(rails.maxRemovals)} and "Max Removals (%)" = ${rails.maxRemovalPercent}% (a limit of ${count(limit)} here)`,
		detail: `The removal limit is the larger of Max Removals and Max Removals (%) of the managed ${noun.app}, so it grows with the company. ${RAIL_FIX}`,
	};
}

/**
 * Checks the rails. `hrRemovals` are removals caused by the HR data (the ones a bad HR input
 * would cause); `allRemovals` adds invitation expiry, which does not depend on the HR input
 * but is still held back when the HR input is empty or too small. In scope inputOnly the HR
 * input is partial by design: the HR-size rails do not apply.
 */
export function checkRails(
	rails: Required<SafetyRails>,
	counts: RailCounts,
	noun: RailNouns,
	scope: Scope,
): Blocked | null {
	const hrSize = scope === 'everyone' ? checkHrSize(rails, counts, noun) : null;
	return hrSize ?? checkRemovals(rails, counts, noun, scope);
}

function emptyCounts(): Record<Action, number> {
	return {
		create: 0,
		update: 0,
		reactivate: 0,
		deactivate: 0,
		remove: 0,
		unchanged: 0,
		wait: 0,
		skip: 0,
		ignore: 0,
		conflict: 0,
		createFirst: 0,
	};
}

/**
 * The removals the rails count, from the finished Deactivate/Remove output: every
 * deactivation and removal, those the HR data caused (all but expired invitations), and of
 * those the ones of app users no HR item names.
 */
export function countRemovals(
	removals: readonly PlanItem[],
): Pick<RailCounts, 'hrRemovals' | 'allRemovals' | 'absentRemovals'> {
	let expired = 0;
	let absent = 0;
	for (const item of removals) {
		if (item.expiredInvitation !== undefined) expired++;
		else if (item.hrIndex === -1) absent++;
	}
	return {
		hrRemovals: removals.length - expired,
		allRemovals: removals.length,
		absentRemovals: absent,
	};
}

/** The plan's outputs, each action counted as its item is added. */
export class PlanBuckets {
	readonly create: PlanItem[] = [];
	readonly update: PlanItem[] = [];
	readonly remove: PlanItem[] = [];
	readonly unchanged: PlanItem[] = [];
	readonly conflicts: PlanItem[] = [];
	readonly counts = emptyCounts();

	push(item: PlanItem): void {
		const counts = this.counts;
		switch (item.action) {
			case 'create':
				this.create.push(item);
				counts.create++;
				break;
			case 'update':
				this.update.push(item);
				counts.update++;
				break;
			case 'reactivate':
				this.update.push(item);
				counts.reactivate++;
				break;
			case 'deactivate':
				this.remove.push(item);
				counts.deactivate++;
				break;
			case 'remove':
				this.remove.push(item);
				counts.remove++;
				break;
			case 'unchanged':
				this.unchanged.push(item);
				counts.unchanged++;
				break;
			case 'wait':
				this.unchanged.push(item);
				counts.wait++;
				break;
			case 'skip':
				this.unchanged.push(item);
				counts.skip++;
				break;
			case 'ignore':
				this.unchanged.push(item);
				counts.ignore++;
				break;
			case 'conflict':
				this.conflicts.push(item);
				counts.conflict++;
				break;
			case 'createFirst':
				throw new Error('createFirst items are listed separately');
		}
	}
}

/** Sorts finished items into their outputs, keeping their order. */
export function sortIntoOutputs(...lists: PlanItem[][]): PlanBuckets {
	const buckets = new PlanBuckets();
	for (const list of lists) for (const item of list) buckets.push(item);
	return buckets;
}

/** The plan: the outputs, create-first items and ordered creates, with the summary. */
export function finishPlan(
	buckets: PlanBuckets,
	createFirst: PlanItem[],
	create: PlanItem[],
	summaryBase: Omit<Summary, 'counts' | 'blocked' | 'warnings'>,
	blocked: Blocked | null,
	warnings: string[],
): Plan {
	const counts = { ...buckets.counts, createFirst: createFirst.length };
	return {
		createFirst,
		create,
		update: buckets.update,
		remove: buckets.remove,
		unchanged: buckets.unchanged,
		conflicts: buckets.conflicts,
		summary: { ...summaryBase, counts, blocked, warnings },
		blocked,
		warnings,
	};
}
