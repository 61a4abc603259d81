/**
 * People mode, create first: the groups, stores, communities and functions the planned users
 * need and no app user references yet (MobieTrain creates missing user groups and stores
 * during its AFAS sync; Oneteam syncs communities and functions before users).
 */
import type { CreateFirstKind, Person, PlanItem, RawRecord } from './types';
import { type PathReaders, needsTextNormalising, normaliseText } from './values';

interface Need {
	/** The first HR record that needs it (its name is taken from there). */
	hrIndex: number;
	count: number;
	/** How many of `count` are updates (the others are creates). */
	updates: number;
}

/** Counts one planned user's need for `key` (an update or a create). */
function addNeed(needed: Map<string, Need>, key: string, hrIndex: number, update: number): void {
	const entry = needed.get(key);
	if (entry) {
		entry.count++;
		entry.updates += update;
	} else needed.set(key, { hrIndex, count: 1, updates: update });
}

/** Whether an update changes the app field `field`. */
function changes(planItem: PlanItem, field: string): boolean {
	for (const change of planItem.changes) if (change.field === field) return true;
	return false;
}

/**
 * Per kind (in `kinds` order), the keys the creates, and the updates that change the kind's
 * app field, need; in first-need order. One pass over the creates and one over the updates
 * for all kinds: each item is read once.
 */
function neededKeys(
	kinds: CreateFirstKind[],
	people: Person[],
	creates: PlanItem[],
	updates: PlanItem[],
): Array<Map<string, Need>> {
	const needed = kinds.map(() => new Map<string, Need>());
	for (const planItem of creates) {
		const person = people[planItem.hrIndex];
		for (let k = 0; k < kinds.length; k++) {
			const key = person[kinds[k].keyFrom];
			if (key) addNeed(needed[k], key, planItem.hrIndex, 0);
		}
	}
	for (const planItem of updates) {
		if (planItem.changes.length === 0) continue;
		const person = people[planItem.hrIndex];
		for (let k = 0; k < kinds.length; k++) {
			const key = person[kinds[k].keyFrom];
			if (key && changes(planItem, kinds[k].appField)) addNeed(needed[k], key, planItem.hrIndex, 1);
		}
	}
	return needed;
}

/**
 * The needed keys no app user references at `appField` (a value or a list). The app users
 * are scanned only until every needed key was seen, so the usual run (nothing new) stops early.
 */
function keysNoAppUserHas(
	needed: Map<string, Need>,
	appItems: RawRecord[],
	getter: (record: RawRecord) => unknown,
): Set<string> {
	const missing = new Set(needed.keys());
	for (let j = 0; j < appItems.length && missing.size > 0; j++) {
		const value = getter(appItems[j]);
		const values = Array.isArray(value) ? value : [value];
		for (const entry of values) {
			if (typeof entry === 'string') {
				if (missing.has(entry)) missing.delete(entry);
				else if (needsTextNormalising(entry)) missing.delete(normaliseText(entry) ?? '');
			} else if (entry !== null && entry !== undefined) {
				missing.delete(normaliseText(entry) ?? '');
			}
		}
	}
	return missing;
}

function createFirstItem(kind: CreateFirstKind, key: string, name: string, need: Need): PlanItem {
	const { hrIndex, count, updates } = need;
	return {
		action: 'createFirst',
		kind: kind.kind,
		reason: `The ${kind.kind} "${name}" (${key}) is needed by ${count} planned user${count > 1 ? 's' : ''} and no app user is in it yet: create it first if it does not exist.`,
		matchedBy: null,
		hr: null,
		app: null,
		appId: null,
		changes: [],
		payload: { externalId: key, name },
		hrIndex,
		appIndex: -1,
		neededBy: count,
		neededByUpdates: updates,
	};
}

/**
 * One `createFirst` item per needed group, store, community or function no app user is in
 * yet: kinds in the target's order, keys in the order they are first needed.
 */
export function listCreateFirst(
	kinds: CreateFirstKind[],
	people: Person[],
	plan: { create: PlanItem[]; update: PlanItem[] },
	appItems: RawRecord[],
	readers: PathReaders,
): PlanItem[] {
	const result: PlanItem[] = [];
	const neededPerKind = neededKeys(kinds, people, plan.create, plan.update);
	for (let k = 0; k < kinds.length; k++) {
		const kind = kinds[k];
		const needed = neededPerKind[k];
		if (needed.size === 0) continue;
		const missing = keysNoAppUserHas(needed, appItems, readers.path(kind.appField));
		for (const [key, need] of needed) {
			if (!missing.has(key)) continue;
			const name = people[need.hrIndex][kind.nameFrom] ?? key;
			result.push(createFirstItem(kind, key, name, need));
		}
	}
	return result;
}
