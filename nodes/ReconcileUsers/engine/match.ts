/**
 * Steps 2 and 3 of people mode: index both sides per match key and pair HR records with app
 * users in precedence order. Every ambiguity is a conflict: duplicate keys on either side, a
 * record without keys, one person whose keys point at different users, two people on one user,
 * an email match whose user carries another external ID. App users claimed by a conflicting
 * record are held as conflicts too, so they are never removed on a guess.
 */
import { type AppSide, type Conflict, type HrSide, personLabel as labelOf } from './normalise';
import { AppKeyIndex } from './keyIndex';
import { buildIndex } from './plan';
import type { MatchKey } from './types';

export const KEY_LABEL: Record<MatchKey, string> = { externalId: 'external ID', email: 'email' };

export interface Matching {
	/** The app user each HR record matched (-1: none). */
	candidate: Int32Array;
	/** Further app users a record's other keys point at (conflicts). */
	extraCandidates: Map<number, number[]>;
	/** Index in matchOn of the key that matched (-1: none). */
	matchedBy: Int8Array;
	hrConflict: Map<number, Conflict>;
	/** The one HR record cleanly matched to each app user (-1: none). */
	cleanClaim: Int32Array;
	/** The HR record holding a key (-1 when none or ambiguous): resolves managers. */
	hrRecordWith(keyName: MatchKey, key: string): number;
}

/** Adds duplicate-key and held-user conflicts to `app.conflicts`. */
export function matchPeople(hr: HrSide, app: AppSide, matchOn: MatchKey[]): Matching {
	const { extKeys, emailKeys } = hr;
	const {
		extKeys: appExtKeys,
		emailKeys: appEmailKeys,
		conflicts: appConflict,
		label: appLabel,
	} = app;
	const n = extKeys.length;
	const m = appExtKeys.length;
	const personLabel = (i: number) => labelOf(hr.people, i);
	const badDate = hr.badDate;

	// One index per match key serves both sides: a value j >= 0 is the (first) app user with that
	// key, a value -(i + 2) is an HR record whose key no app user has. HR keys the app has are only
	// looked up, so each side is hashed about once per key.
	const keyCount = matchOn.length;
	const hrKeysByMatch = matchOn.map((key) => (key === 'externalId' ? extKeys : emailKeys));
	const appKeysByMatch = matchOn.map((key) => (key === 'externalId' ? appExtKeys : appEmailKeys));
	const keyMaps: AppKeyIndex[] = [];
	const appDuplicates: Array<Map<string, number[]>> = [];
	const hrDuplicates: Array<Map<string, number[]>> = [];
	/** Per match key: the first HR record that holds app user j's key. */
	const holderByKey: Int32Array[] = [];
	for (let k = 0; k < keyCount; k++) {
		const duplicates = new Map<string, number[]>();
		const keys = appKeysByMatch[k];
		// Duplicates are rare: noted while indexing (the index keeps the first user), listed after.
		const duplicateKeys = new Set<string>();
		const index = new AppKeyIndex(keys, (key) => duplicateKeys.add(key));
		if (duplicateKeys.size > 0) {
			for (let j = 0; j < m; j++) {
				const key = keys[j];
				if (!duplicateKeys.has(key)) continue;
				const list = duplicates.get(key);
				if (list) list.push(j);
				else duplicates.set(key, [j]);
			}
		}
		keyMaps.push(index);
		appDuplicates.push(duplicates);
		hrDuplicates.push(new Map());
		holderByKey.push(new Int32Array(m).fill(-1));
		for (const [key, list] of duplicates) {
			for (const j of list) {
				if (appConflict.has(j)) continue;
				appConflict.set(j, {
					code: 'duplicateAppKey',
					reason: `${list.length} app users share the ${KEY_LABEL[matchOn[k]]} "${key}" (App items ${list.map((x) => x + 1).join(', ')}): left alone until the app is cleaned up.`,
					appIndexes: list,
				});
			}
		}
	}
	const addHrDuplicate = (k: number, key: string, earlier: number, later: number) => {
		const list = hrDuplicates[k].get(key);
		if (list) list.push(later);
		else hrDuplicates[k].set(key, [earlier, later]);
	};

	const hrConflict = new Map<number, Conflict>();
	const candidate = new Int32Array(n).fill(-1);
	const extraCandidates = new Map<number, number[]>();
	const matchedBy = new Int8Array(n).fill(-1);
	const claims = new Int32Array(m);
	const firstClaimer = new Int32Array(m).fill(-1);
	let contested = false;

	for (let i = 0; i < n; i++) {
		let first = -1;
		let extra: number[] | undefined;
		let by = -1;
		let present = 0;
		for (let k = 0; k < keyCount; k++) {
			const key = hrKeysByMatch[k][i];
			if (key === '') continue;
			present++;
			if (
				first >= 0 &&
				extra === undefined &&
				appKeysByMatch[k][first] === key &&
				(appDuplicates[k].size === 0 || !appDuplicates[k].has(key))
			) {
				// The user found on an earlier key has this key too (the usual case: same email):
				// the index would return that user, so skip the lookup and just note the holder.
				const holders = holderByKey[k];
				if (holders[first] < 0) holders[first] = i;
				else addHrDuplicate(k, key, holders[first], i);
				continue;
			}
			const index = keyMaps[k];
			const hit = index.get(key);
			if (hit === undefined) {
				index.set(key, -(i + 2));
				continue;
			}
			if (hit < 0) {
				addHrDuplicate(k, key, -(hit + 2), i);
				continue;
			}
			const holders = holderByKey[k];
			if (holders[hit] < 0) holders[hit] = i;
			else addHrDuplicate(k, key, holders[hit], i);
			if (by < 0) by = k;
			const dupApp = appDuplicates[k].size > 0 ? appDuplicates[k].get(key) : undefined;
			if (dupApp === undefined) {
				if (first < 0) first = hit;
				else if (hit !== first && !(extra && extra.includes(hit))) (extra ??= []).push(hit);
				continue;
			}
			for (const j of dupApp) {
				if (first < 0) first = j;
				else if (j !== first && !(extra && extra.includes(j))) (extra ??= []).push(j);
			}
		}
		if (present === 0) {
			hrConflict.set(i, {
				code: 'missingKey',
				reason: `HR record ${personLabel(i)} has no ${matchOn.map((key) => KEY_LABEL[key]).join(' and no ')}: it cannot be matched or created.`,
			});
		} else if (badDate.size > 0 && badDate.has(i)) {
			hrConflict.set(i, {
				code: 'invalidDate',
				reason: `HR record ${personLabel(i)}: ${badDate.get(i)}.`,
			});
		}
		if (first < 0) continue;
		candidate[i] = first;
		matchedBy[i] = by;
		if (++claims[first] > 1) contested = true;
		if (firstClaimer[first] < 0) firstClaimer[first] = i;
		if (extra) {
			extraCandidates.set(i, extra);
			for (const j of extra) {
				if (++claims[j] > 1) contested = true;
				if (firstClaimer[j] < 0) firstClaimer[j] = i;
			}
		}
	}
	// Duplicates are known once every HR key was seen.
	for (let k = 0; k < keyCount; k++) {
		for (const [key, list] of hrDuplicates[k]) {
			for (const i of list) {
				if (hrConflict.get(i)?.code === 'duplicateHrKey') continue;
				hrConflict.set(i, {
					code: 'duplicateHrKey',
					reason: `${list.length} HR records share the ${KEY_LABEL[matchOn[k]]} "${key}" (HR items ${list.map((x) => x + 1).join(', ')}): which one is right is not guessed.`,
					hrIndexes: list,
				});
			}
		}
	}

	// HR record holding a key (-1 when none or ambiguous): used to resolve managers.
	const lazyIndexes = new Map<MatchKey, Map<string, number>>();
	function hrRecordWith(keyName: MatchKey, key: string): number {
		const k = matchOn.indexOf(keyName);
		if (k >= 0) {
			const hit = keyMaps[k].get(key);
			if (hit === undefined || hrDuplicates[k].has(key)) return -1;
			return hit < 0 ? -(hit + 2) : holderByKey[k][hit];
		}
		let index = lazyIndexes.get(keyName);
		if (!index) {
			const built = buildIndex(keyName === 'externalId' ? extKeys : emailKeys);
			index = built.first;
			for (const duplicate of built.duplicates.keys()) index.set(duplicate, -1);
			lazyIndexes.set(keyName, index);
		}
		return index.get(key) ?? -1;
	}

	// Claimers of app users claimed more than once (rare): for the conflict reasons.
	const claimers = new Map<number, number[]>();
	if (contested) {
		for (let i = 0; i < n; i++) {
			const j = candidate[i];
			if (j < 0) continue;
			const all = extraCandidates.has(i) ? [j, ...extraCandidates.get(i)!] : [j];
			for (const jj of all) {
				if (claims[jj] < 2) continue;
				const list = claimers.get(jj);
				if (list) list.push(i);
				else claimers.set(jj, [i]);
			}
		}
	}

	const extMatchIndex = matchOn.indexOf('externalId');
	const cleanClaim = new Int32Array(m).fill(-1);
	for (let i = 0; i < n; i++) {
		const j = candidate[i];
		if (j < 0 || hrConflict.has(i)) continue;
		const extra = extraCandidates.get(i);
		if (extra) {
			const all = [j, ...extra];
			hrConflict.set(i, {
				code: 'multipleAppMatches',
				reason: `HR record ${personLabel(i)} matches ${all.length} app users (${all.map(appLabel).join(', ')}) on different keys: which one is right is not guessed.`,
				appIndexes: all,
			});
			continue;
		}
		if (appConflict.has(j)) {
			const appIssue = appConflict.get(j)!;
			hrConflict.set(i, {
				code: appIssue.code,
				reason: `HR record ${personLabel(i)} matches app user ${appLabel(j)}, which is in conflict: ${appIssue.reason}`,
				appIndexes: appIssue.appIndexes ?? [j],
			});
			continue;
		}
		if (claims[j] > 1) {
			const others = claimers.get(j)!;
			hrConflict.set(i, {
				code: 'multipleHrMatches',
				reason: `${others.length} HR records (HR items ${others.map((x) => x + 1).join(', ')}) match the same app user ${appLabel(j)}: which one is right is not guessed.`,
				hrIndexes: others,
				appIndexes: [j],
			});
			continue;
		}
		if (
			matchedBy[i] !== extMatchIndex &&
			extKeys[i] !== '' &&
			appExtKeys[j] !== '' &&
			extKeys[i] !== appExtKeys[j]
		) {
			hrConflict.set(i, {
				code: 'externalIdMismatch',
				reason: `HR record ${personLabel(i)} matches app user ${appLabel(j)} by ${KEY_LABEL[matchOn[matchedBy[i]]]}, but that user carries external ID "${appExtKeys[j]}": left alone until one of them is corrected.`,
				appIndexes: [j],
			});
			continue;
		}
		cleanClaim[j] = i;
	}

	// App users claimed by a conflicting HR record are held: never removed on a guess.
	for (let j = 0; j < m; j++) {
		if (claims[j] === 0 || cleanClaim[j] >= 0 || appConflict.has(j)) continue;
		const by = claimers.get(j) ?? [firstClaimer[j]];
		appConflict.set(j, {
			code: 'claimedByConflict',
			reason: `App user ${appLabel(j)} is claimed by HR record${by.length > 1 ? 's' : ''} in conflict (HR item${by.length > 1 ? 's' : ''} ${by.map((x) => x + 1).join(', ')}): left alone until that is resolved.`,
			hrIndexes: by,
		});
	}

	return { candidate, extraCandidates, matchedBy, hrConflict, cleanClaim, hrRecordWith };
}
