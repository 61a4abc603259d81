/**
 * People mode, match: index both sides per match key and pair HR records with app users in
 * precedence order. Every ambiguity is a conflict: duplicate keys on either side, a record
 * without keys, one person whose keys point at different users, two people on one user, an
 * email match whose user carries another external ID. App users claimed by a conflicting
 * record are held as conflicts too, so they are never removed on a guess.
 *
 * Steps (each one linear pass; the arguments are never modified):
 * 1. indexAppKeys: one hash index over the app users per match key, app duplicates listed;
 * 2. pairPeople: each HR record looks its keys up in precedence order;
 * 3. several HR records for one person (rare): resolved by the lifecycle rules where they make
 *    the answer clear (employments.ts), the records not used released;
 * 4. the conflicts: records without keys or with a bad date, HR duplicates, ambiguous pairs;
 * 5. the app users held because a conflicting record claims them.
 */
import { type Employments, resolveEmployments } from './employments';
import { type AppSide, type Conflict, type HrSide, appUserLabel, personLabel } from './normalise';
import { AppKeyIndex } from './keyIndex';
import { buildIndex } from './plan';
import type { MatchKey } from './types';

/** Match keys as reasons name them. */
export const KEY_LABEL: Record<MatchKey, string> = { externalId: 'external ID', email: 'email' };

/** What matching found: one candidate per HR record, the conflicts, the clean pairs. */
export interface Matching {
	/** The app user each HR record matched (-1: none). */
	candidate: Int32Array;
	/** Index in matchOn of the key that matched (-1: none). */
	matchedBy: Int8Array;
	/** HR records that are conflicts, and why. */
	hrConflicts: ReadonlyMap<number, Conflict>;
	/** App users that are conflicts (unknown status, duplicate keys, held), and why. */
	appConflicts: ReadonlyMap<number, Conflict>;
	/** The one HR record cleanly matched to each app user (-1: none). */
	cleanClaim: Int32Array;
	/** How many HR records point at each app user (clean or not). */
	claims: Int32Array;
	/** HR records another record of the same person replaces → the reason of their `skip`. */
	superseded: ReadonlyMap<number, string>;
	/** HR records used for a person with several records → the note added to their reason. */
	employmentNotes: ReadonlyMap<number, string>;
	/** Finds the HR record holding a key: resolves managers. */
	hrKeys: HrKeyLookup;
}

/** The reference date and the last start date invited today, for choosing among employments. */
export interface MatchDates {
	asOf: string;
	leadLimit: string;
}

/** One match key over the app users: read-only once built. */
interface AppKeyColumn {
	name: MatchKey;
	hrKeys: string[];
	appKeys: string[];
	index: AppKeyIndex;
	/** Keys more than one app user has → those users (rare). */
	duplicates: Map<string, number[]>;
}

/** Who in HR holds each key of one match key column, filled while pairing. */
interface HrKeyHolders {
	/** The first HR record holding app user j's key (-1: none). */
	ofAppUser: Int32Array;
	/** A key no app user has → the first HR record holding it (joiners). */
	hrOnly: Map<string, number>;
	/** A key more than one HR record holds → those records, in order. */
	duplicates: Map<string, number[]>;
}

/** What pairing found per HR record, before any conflict is decided. */
interface Pairing {
	candidate: Int32Array;
	matchedBy: Int8Array;
	/** Further app users a record's other keys point at (rare; always a conflict). */
	extra: Map<number, number[]>;
	holders: HrKeyHolders[];
	/** How many HR records point at each app user, and the first of them. */
	claims: Int32Array;
	firstClaimer: Int32Array;
	contested: boolean;
}

/** Pairs HR records with app users. Reads `hr` and `app`; returns new conflict maps. */
export function matchPeople(
	hr: HrSide,
	app: AppSide,
	matchOn: MatchKey[],
	dates: MatchDates,
): Matching {
	const columns = matchOn.map((name) => indexAppKeys(name, hr, app));
	const appDuplicates = duplicateAppConflicts(columns, app);
	const pairing = pairPeople(columns, hr.extKeys.length, app.extKeys.length);
	const employments = pairing.holders.some((holders) => holders.duplicates.size > 0)
		? settleEmployments(hr, columns, pairing, dates)
		: NO_EMPLOYMENTS;
	const hrConflicts = recordConflicts(hr, columns);
	for (const [i, conflict] of duplicateHrConflicts(columns, pairing.holders))
		hrConflicts.set(i, conflict);
	const claimers = pairing.contested ? claimersOf(pairing) : new Map<number, number[]>();
	const claimed = decideClaims(hr, app, matchOn, pairing, claimers, hrConflicts, appDuplicates);
	for (const [i, conflict] of claimed.conflicts) hrConflicts.set(i, conflict);
	const { cleanClaim } = claimed;
	const appConflicts = heldAppConflicts(app, pairing, cleanClaim, claimers, appDuplicates);
	return {
		candidate: pairing.candidate,
		matchedBy: pairing.matchedBy,
		hrConflicts,
		appConflicts,
		cleanClaim,
		claims: pairing.claims,
		superseded: employments.superseded,
		employmentNotes: employments.chosen,
		hrKeys: new HrKeyLookup(hr, columns, pairing.holders, employments.superseded),
	};
}

const NO_EMPLOYMENTS: Employments = {
	superseded: new Map(),
	chosen: new Map(),
	usedFor: new Map(),
};

/**
 * Step 3: resolves the groups of HR records sharing a key (employments.ts) and releases the
 * records not used: their claims on app users are withdrawn and each resolved key is held by
 * the record used, so a resolved group is no longer a duplicate. Changes `pairing` (made in
 * this call), never `hr` or `app`.
 */
function settleEmployments(
	hr: HrSide,
	columns: AppKeyColumn[],
	pairing: Pairing,
	dates: MatchDates,
): Employments {
	const employments = resolveEmployments(
		hr,
		pairing.holders.map((holders) => holders.duplicates),
		dates,
	);
	if (employments.usedFor.size === 0) return employments;
	columns.forEach((column, k) => {
		const holders = pairing.holders[k];
		for (const [key, rows] of holders.duplicates) {
			const used = employments.usedFor.get(rows[0]);
			if (used === undefined) continue;
			holders.duplicates.delete(key);
			const j = column.index.get(key);
			if (j !== undefined) holders.ofAppUser[j] = used;
			else holders.hrOnly.set(key, used);
		}
	});
	releaseClaims(pairing, employments.superseded);
	return employments;
}

/** Withdraws the claims of records not used, and recounts who claims each app user first. */
function releaseClaims(pairing: Pairing, released: ReadonlyMap<number, string>): void {
	const { candidate, matchedBy, extra, claims, firstClaimer } = pairing;
	for (const i of released.keys()) {
		const j = candidate[i];
		if (j < 0) continue;
		claims[j]--;
		for (const jj of extra.get(i) ?? []) claims[jj]--;
		candidate[i] = -1;
		matchedBy[i] = -1;
		extra.delete(i);
	}
	firstClaimer.fill(-1);
	pairing.contested = false;
	for (let i = 0; i < candidate.length; i++) {
		const j = candidate[i];
		if (j < 0) continue;
		for (const jj of [j, ...(extra.get(i) ?? [])]) {
			if (firstClaimer[jj] < 0) firstClaimer[jj] = i;
			if (claims[jj] > 1) pairing.contested = true;
		}
	}
}

function indexAppKeys(name: MatchKey, hr: HrSide, app: AppSide): AppKeyColumn {
	const appKeys = name === 'externalId' ? app.extKeys : app.emailKeys;
	// Duplicates are rare: noted while indexing (the index keeps the first user), listed after.
	const duplicateKeys = new Set<string>();
	const index = new AppKeyIndex(appKeys, (key) => duplicateKeys.add(key));
	const duplicates = new Map<string, number[]>();
	if (duplicateKeys.size > 0) {
		for (let j = 0; j < appKeys.length; j++) {
			const key = appKeys[j];
			if (!duplicateKeys.has(key)) continue;
			const list = duplicates.get(key);
			if (list) list.push(j);
			else duplicates.set(key, [j]);
		}
	}
	const hrKeys = name === 'externalId' ? hr.extKeys : hr.emailKeys;
	return { name, hrKeys, appKeys, index, duplicates };
}

/** The app side's own conflicts plus duplicate app keys (the first conflict of a user wins). */
function duplicateAppConflicts(columns: AppKeyColumn[], app: AppSide): Map<number, Conflict> {
	const conflicts = new Map(app.conflicts);
	for (const column of columns) {
		for (const [key, list] of column.duplicates) {
			for (const j of list) {
				if (conflicts.has(j)) continue;
				conflicts.set(j, {
					code: 'duplicateAppKey',
					reason: `${list.length} app users share the ${KEY_LABEL[column.name]} "${key}" (App items ${list.map((x) => x + 1).join(', ')}): left alone until the app is cleaned up.`,
					appIndexes: list,
				});
			}
		}
	}
	return conflicts;
}

function newHolders(appCount: number): HrKeyHolders {
	return {
		ofAppUser: new Int32Array(appCount).fill(-1),
		hrOnly: new Map(),
		duplicates: new Map(),
	};
}

function addHrDuplicate(holders: HrKeyHolders, key: string, earlier: number, later: number) {
	const list = holders.duplicates.get(key);
	if (list) list.push(later);
	else holders.duplicates.set(key, [earlier, later]);
}

/** Notes HR record i as a holder of app user j's key (a second holder is a duplicate). */
function holdAppKey(holders: HrKeyHolders, key: string, j: number, i: number): void {
	const earlier = holders.ofAppUser[j];
	if (earlier < 0) holders.ofAppUser[j] = i;
	else addHrDuplicate(holders, key, earlier, i);
}

/**
 * Looks each HR record's keys up in precedence order. The first key that finds an app user
 * decides `matchedBy`; app users found by the other keys are extra candidates. Each index is
 * hashed about once per key: when the user found first has the next key too (the usual case:
 * same email), that key is not looked up again.
 */
function pairPeople(columns: AppKeyColumn[], n: number, m: number): Pairing {
	const holders = columns.map(() => newHolders(m));
	const candidate = new Int32Array(n).fill(-1);
	const matchedBy = new Int8Array(n).fill(-1);
	const extra = new Map<number, number[]>();
	const claims = new Int32Array(m);
	const firstClaimer = new Int32Array(m).fill(-1);
	let contested = false;
	for (let i = 0; i < n; i++) {
		let first = -1;
		let more: number[] | undefined;
		for (let k = 0; k < columns.length; k++) {
			const { hrKeys, appKeys, index, duplicates } = columns[k];
			const key = hrKeys[i];
			if (key === '') continue;
			const appDuplicates = duplicates.size > 0 ? duplicates.get(key) : undefined;
			if (first >= 0 && more === undefined && appKeys[first] === key && !appDuplicates) {
				holdAppKey(holders[k], key, first, i);
				continue;
			}
			const hit = index.get(key);
			if (hit === undefined) {
				const earlier = holders[k].hrOnly.get(key);
				if (earlier === undefined) holders[k].hrOnly.set(key, i);
				else addHrDuplicate(holders[k], key, earlier, i);
				continue;
			}
			holdAppKey(holders[k], key, hit, i);
			if (matchedBy[i] < 0) matchedBy[i] = k;
			if (appDuplicates === undefined) {
				if (first < 0) first = hit;
				else if (hit !== first && !(more && more.includes(hit))) (more ??= []).push(hit);
				continue;
			}
			for (const j of appDuplicates) {
				if (first < 0) first = j;
				else if (j !== first && !(more && more.includes(j))) (more ??= []).push(j);
			}
		}
		if (first < 0) continue;
		candidate[i] = first;
		if (++claims[first] > 1) contested = true;
		if (firstClaimer[first] < 0) firstClaimer[first] = i;
		if (more === undefined) continue;
		extra.set(i, more);
		for (const j of more) {
			if (++claims[j] > 1) contested = true;
			if (firstClaimer[j] < 0) firstClaimer[j] = i;
		}
	}
	return { candidate, matchedBy, extra, holders, claims, firstClaimer, contested };
}

/**
 * Why record i has no match key. A deletion marker without one names the cause: the item
 * carries its key at a path the HR Source does not read, so the deleted person is not found.
 */
function missingKeyReason(hr: HrSide, i: number, label: string): string {
	const who = `HR record ${personLabel(hr.people, i)}`;
	if (hr.deleted[i] === 0) return `${who} has no ${label}: it cannot be matched or created.`;
	return `${who} is marked deleted in HR but has no ${label}, so the deleted person's app user cannot be found and keeps its access. Give the item the key field the HR Source reads (its external ID or email field; for a trigger, its key field), or choose the HR Source that matches the trigger.`;
}

/**
 * Records without any match key, and records with an unreadable date (except deletion
 * markers: a deleted person's dates do not matter).
 */
function recordConflicts(hr: HrSide, columns: AppKeyColumn[]): Map<number, Conflict> {
	const conflicts = new Map<number, Conflict>();
	const label = columns.map((column) => KEY_LABEL[column.name]).join(' and no ');
	for (let i = 0; i < hr.people.length; i++) {
		let keys = 0;
		for (const column of columns) if (column.hrKeys[i] !== '') keys++;
		if (keys === 0) {
			conflicts.set(i, {
				code: 'missingKey',
				reason: missingKeyReason(hr, i, label),
			});
		} else if (hr.badDate.size > 0 && hr.badDate.has(i) && hr.deleted[i] === 0) {
			conflicts.set(i, {
				code: 'invalidDate',
				reason: `HR record ${personLabel(hr.people, i)}: ${hr.badDate.get(i)}.`,
			});
		}
	}
	return conflicts;
}

/** HR records sharing a key (known once every key was seen); the first key's conflict wins. */
function duplicateHrConflicts(
	columns: AppKeyColumn[],
	holders: HrKeyHolders[],
): Map<number, Conflict> {
	const conflicts = new Map<number, Conflict>();
	columns.forEach((column, k) => {
		for (const [key, list] of holders[k].duplicates) {
			for (const i of list) {
				if (conflicts.has(i)) continue;
				conflicts.set(i, {
					code: 'duplicateHrKey',
					reason: `${list.length} HR records share the ${KEY_LABEL[column.name]} "${key}" (HR items ${list.map((x) => x + 1).join(', ')}): which one is right is not guessed.`,
					hrIndexes: list,
				});
			}
		}
	});
	return conflicts;
}

/** The HR records pointing at each app user more than one record points at (rare). */
function claimersOf(pairing: Pairing): Map<number, number[]> {
	const claimers = new Map<number, number[]>();
	const { candidate, extra, claims } = pairing;
	for (let i = 0; i < candidate.length; i++) {
		const j = candidate[i];
		if (j < 0) continue;
		const more = extra.get(i);
		for (const jj of more ? [j, ...more] : [j]) {
			if (claims[jj] < 2) continue;
			const list = claimers.get(jj);
			if (list) list.push(i);
			else claimers.set(jj, [i]);
		}
	}
	return claimers;
}

/**
 * Decides each paired record that has no conflict yet: a clean match, or a conflict (several
 * app users, an app user in conflict, several records on one user, another external ID on
 * an email match). Returns the clean claim of each app user and the new conflicts.
 */
function decideClaims(
	hr: HrSide,
	app: AppSide,
	matchOn: MatchKey[],
	pairing: Pairing,
	claimers: Map<number, number[]>,
	earlierConflicts: ReadonlyMap<number, Conflict>,
	appConflicts: ReadonlyMap<number, Conflict>,
): { cleanClaim: Int32Array; conflicts: Map<number, Conflict> } {
	const { candidate, matchedBy, extra, claims } = pairing;
	const hrConflicts = new Map<number, Conflict>();
	const extMatchIndex = matchOn.indexOf('externalId');
	const cleanClaim = new Int32Array(app.extKeys.length).fill(-1);
	const person = (i: number) => `HR record ${personLabel(hr.people, i)}`;
	for (let i = 0; i < candidate.length; i++) {
		const j = candidate[i];
		// Conflicts are rare: the maps are asked only when they hold something.
		if (j < 0 || (earlierConflicts.size > 0 && earlierConflicts.has(i))) continue;
		const more = extra.size > 0 ? extra.get(i) : undefined;
		const appIssue = appConflicts.size > 0 ? appConflicts.get(j) : undefined;
		if (more) {
			const all = [j, ...more];
			hrConflicts.set(i, {
				code: 'multipleAppMatches',
				reason: `${person(i)} matches ${all.length} app users (${all.map((x) => appUserLabel(app, x)).join(', ')}) on different keys: which one is right is not guessed.`,
				appIndexes: all,
			});
		} else if (appIssue) {
			hrConflicts.set(i, {
				code: appIssue.code,
				reason: `${person(i)} matches app user ${appUserLabel(app, j)}, which is in conflict: ${appIssue.reason}`,
				appIndexes: appIssue.appIndexes ?? [j],
			});
		} else if (claims[j] > 1) {
			const others = claimers.get(j)!;
			hrConflicts.set(i, {
				code: 'multipleHrMatches',
				reason: `${others.length} HR records (HR items ${others.map((x) => x + 1).join(', ')}) match the same app user ${appUserLabel(app, j)}: which one is right is not guessed.`,
				hrIndexes: others,
				appIndexes: [j],
			});
		} else if (
			matchedBy[i] !== extMatchIndex &&
			hr.extKeys[i] !== '' &&
			app.extKeys[j] !== '' &&
			hr.extKeys[i] !== app.extKeys[j]
		) {
			hrConflicts.set(i, {
				code: 'externalIdMismatch',
				reason: `${person(i)} matches app user ${appUserLabel(app, j)} by ${KEY_LABEL[matchOn[matchedBy[i]]]}, but that user carries external ID "${app.extKeys[j]}": left alone until one of them is corrected.`,
				appIndexes: [j],
			});
		} else {
			cleanClaim[j] = i;
		}
	}
	return { cleanClaim, conflicts: hrConflicts };
}

/** App users claimed only by conflicting records are held: never removed on a guess. */
function heldAppConflicts(
	app: AppSide,
	pairing: Pairing,
	cleanClaim: Int32Array,
	claimers: Map<number, number[]>,
	appConflicts: ReadonlyMap<number, Conflict>,
): Map<number, Conflict> {
	const conflicts = new Map(appConflicts);
	const { claims, firstClaimer } = pairing;
	for (let j = 0; j < claims.length; j++) {
		if (claims[j] === 0 || cleanClaim[j] >= 0 || (conflicts.size > 0 && conflicts.has(j))) continue;
		const by = claimers.get(j) ?? [firstClaimer[j]];
		const s = by.length > 1 ? 's' : '';
		conflicts.set(j, {
			code: 'claimedByConflict',
			reason: `App user ${appUserLabel(app, j)} is claimed by HR record${s} in conflict (HR item${s} ${by.map((x) => x + 1).join(', ')}): left alone until that is resolved.`,
			hrIndexes: by,
		});
	}
	return conflicts;
}

/**
 * The HR record holding a key, for manager references: -1 when nobody or more than one
 * record holds it. Match keys are answered from the matching's own indexes; the other key is
 * indexed on first use (made per call, so the cache lives as long as one run).
 */
export class HrKeyLookup {
	private otherIndex: Map<string, number> | undefined;

	constructor(
		private readonly hr: HrSide,
		private readonly columns: AppKeyColumn[],
		private readonly holders: HrKeyHolders[],
		/** Records replaced by another record of the same person: they hold no key. */
		private readonly superseded: ReadonlyMap<number, string>,
	) {}

	recordWith(keyName: MatchKey, key: string): number {
		let k = this.columns.length - 1;
		while (k >= 0 && this.columns[k].name !== keyName) k--;
		if (k >= 0) {
			const holders = this.holders[k];
			if (holders.duplicates.has(key)) return -1;
			const j = this.columns[k].index.get(key);
			if (j !== undefined) return holders.ofAppUser[j];
			return holders.hrOnly.get(key) ?? -1;
		}
		if (!this.otherIndex) {
			let keys = keyName === 'externalId' ? this.hr.extKeys : this.hr.emailKeys;
			if (this.superseded.size > 0)
				keys = keys.map((key, i) => (this.superseded.has(i) ? '' : key));
			const built = buildIndex(keys);
			this.otherIndex = built.first;
			for (const duplicate of built.duplicates.keys()) this.otherIndex.set(duplicate, -1);
		}
		return this.otherIndex.get(key) ?? -1;
	}
}
