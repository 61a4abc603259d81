/**
 * Shared steps of both modes: key indexes, safety rails, sorting items into the plan's
 * outputs, and the summary.
 */
import type { Action, Blocked, Plan, PlanItem, SafetyRails, Summary } from './types';
import { ReconcileConfigError } from './types';

/** Removal limits when the settings leave them empty (in the spirit of Okta's 20 % safeguard). */
export const DEFAULT_RAILS: Required<SafetyRails> = {
	maxRemovals: 100,
	maxRemovalPercent: 20,
	percentFloor: 20,
	minHrPercent: 50,
};

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

/** The rails with the defaults filled in; throws ReconcileConfigError for a negative value. */
export function resolveRails(rails: SafetyRails | undefined): Required<SafetyRails> {
	const resolved = { ...DEFAULT_RAILS };
	for (const [name, value] of Object.entries(rails ?? {})) {
		if (value === undefined || value === null) continue;
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

function percent(part: number, whole: number): string {
	return whole === 0 ? '0%' : `${Math.round((part * 1000) / whole) / 10}%`;
}

/**
 * Checks the rails. `hrRemovals` are removals caused by the HR data (the ones a bad HR input
 * would cause); `allRemovals` adds invitation expiry, which does not depend on the HR input
 * but is still held back when the HR input is empty or too small.
 */
export function checkRails(
	rails: Required<SafetyRails>,
	counts: { hrItems: number; managed: number; hrRemovals: number; allRemovals: number },
	noun: { person: string; people: string; app: string },
): Blocked | null {
	const { hrItems, managed, hrRemovals, allRemovals } = counts;
	const fix =
		'If this is expected, change the setting named above; to review first, turn on Dry Run or set "When a Safety Rail Trips" to "Send Plan to Output".';
	if (allRemovals > 0 && hrItems === 0) {
		return {
			rail: 'emptyHr',
			message: `Safety rail: the HR input is empty, so nothing is removed (${allRemovals} of ${managed} managed ${noun.app} would have been deactivated or removed)`,
			detail: `An empty HR input usually means the HR call failed or returned nothing (filter, permissions). Check the node before Reconcile Users on the HR input. This rail cannot be switched off. ${fix}`,
		};
	}
	if (allRemovals > 0 && managed > 0 && hrItems * 100 < rails.minHrPercent * managed) {
		return {
			rail: 'smallHr',
			message: `Safety rail: the HR input has ${hrItems} ${hrItems === 1 ? noun.person : noun.people}, only ${percent(hrItems, managed)} of the ${managed} managed ${noun.app}, below "Min HR Size (% of App)" = ${rails.minHrPercent}%; ${allRemovals} removals were held back`,
			detail: `A suspiciously small HR input usually means a partial read (filter, permissions, paging). ${fix}`,
		};
	}
	if (hrRemovals > rails.maxRemovals) {
		return {
			rail: 'maxRemovals',
			message: `Safety rail: ${hrRemovals} ${noun.app} would be deactivated or removed, more than "Max Removals" = ${rails.maxRemovals}`,
			detail: `${hrRemovals} of ${managed} managed ${noun.app} (${percent(hrRemovals, managed)}). ${fix}`,
		};
	}
	if (managed >= rails.percentFloor && hrRemovals * 100 > rails.maxRemovalPercent * managed) {
		return {
			rail: 'maxRemovalPercent',
			message: `Safety rail: ${hrRemovals} of ${managed} managed ${noun.app} (${percent(hrRemovals, managed)}) would be deactivated or removed, more than "Max Removals (%)" = ${rails.maxRemovalPercent}%`,
			detail: `The percentage limit applies from "Min Managed Users for %" = ${rails.percentFloor} managed ${noun.app} on. ${fix}`,
		};
	}
	return null;
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
 * deactivation and removal, and those the HR data caused (all but expired invitations).
 */
export function countRemovals(removals: readonly PlanItem[]): {
	hrRemovals: number;
	allRemovals: number;
} {
	let expired = 0;
	for (const item of removals) if (item.expiredInvitation !== undefined) expired++;
	return { hrRemovals: removals.length - expired, allRemovals: removals.length };
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
