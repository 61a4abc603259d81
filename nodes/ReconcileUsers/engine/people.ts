/**
 * People mode: joiners, movers and leavers from HR into an app's users.
 *
 * Steps, each one linear pass (Maps, no nested scans):
 * 1. normalise both sides (keys trimmed, NFC, case-folded; dates as written),
 * 2. index each side per match key; duplicates are conflicts,
 * 3. match in precedence order, holding every ambiguous pairing as a conflict,
 * 4. classify each person on the reference date (leaver / not yet / in scope),
 * 5. build the items (changes, payloads, manager links), then the app-only users,
 * 6. list what must exist first, order creates manager-first, check the safety rails.
 */
import { addDays, appTimestampDate, assertIsoDate, minusMonths } from './dates';
import { buildIndex, checkRails, finishPlan, PlanBuckets, resolveRails } from './plan';
import { resolveSource, resolveTarget } from './presets';
import {
	type Change,
	type ConflictCode,
	type LeaverAction,
	type ManagerLink,
	type MatchKey,
	type PeopleConfig,
	type Person,
	type Plan,
	type PlanItem,
	type RawRecord,
	type SourceMapping,
	type TargetField,
	type TargetProfile,
	PERSON_FIELDS,
	ReconcileConfigError,
} from './types';
import {
	type Getter,
	compilePath,
	compilePaths,
	INVALID_DATE,
	isEmptyValue,
	normaliseKey,
	normaliseText,
	parseHrDate,
	needsTextNormalising,
	sameSingletonList,
	sameValue,
	setPath,
} from './values';

const ACTIVE = 0;
const INVITED = 1;
const DEACTIVATED = 2;
const UNKNOWN_STATUS = 3;
const STATUS_NAMES = ['active', 'invited', 'deactivated'];

// Person classes on the reference date.
const CLASS_CONFLICT = 1;
const CLASS_IGNORE = 2;
const CLASS_LEAVER = 3;
const CLASS_WAIT = 4;
const CLASS_IN_SCOPE = 5;
const CLASS_EXPIRED = 6;

const KEY_LABEL: Record<MatchKey, string> = { externalId: 'external ID', email: 'email' };

/** Shared by every item without changes: plan items are values, read them, do not mutate them. */
const NO_CHANGES: Change[] = Object.freeze([]) as unknown as Change[];

interface Resolved {
	asOf: string;
	timeZone: string;
	source: SourceMapping;
	target: TargetProfile;
	matchOn: MatchKey[];
	leaverAction: LeaverAction;
	leadLimit: string;
	leadDays: number;
	expiryMonths: number;
	invitationCutoff: string | undefined;
	createOnly: Set<string>;
	protectedKeys: Set<string>;
	manageUnmanaged: boolean;
	inactiveStatuses: Set<string>;
	preStartStatuses: Set<string>;
}

function wholeNumber(value: number | undefined, fallback: number, name: string): number {
	if (value === undefined || value === null) return fallback;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
		throw new ReconcileConfigError(`${name} must be a whole number of 0 or more, not "${String(value)}"`, `Fix ${name} in the node's options.`);
	}
	return value;
}

function lowerSet(values: string[] | undefined, fallback: string[]): Set<string> {
	return new Set((values ?? fallback).map((value) => normaliseKey(value)).filter((value) => value !== ''));
}

function resolveConfig(config: PeopleConfig): Resolved {
	assertIsoDate(config.asOf, 'The reference date');
	const source = resolveSource(config.source);
	const target = resolveTarget(config.target);
	const matchOn = config.matchOn ?? ['externalId', 'email'];
	if (matchOn.length === 0 || matchOn.some((key) => key !== 'externalId' && key !== 'email') || new Set(matchOn).size !== matchOn.length) {
		throw new ReconcileConfigError(`Match keys must be externalId and/or email, each once (got ${JSON.stringify(matchOn)})`, 'Choose a "Match On" option.');
	}
	for (const key of matchOn) {
		if (!source.fields[key]) {
			throw new ReconcileConfigError(`Matching on ${KEY_LABEL[key]}, but the HR mapping "${source.label}" has no ${key} field`, `Map ${key} in the HR fields, or match on the other key.`);
		}
	}
	const leaverAction = config.leaverAction ?? 'deactivate';
	if (leaverAction !== 'deactivate' && leaverAction !== 'remove') {
		throw new ReconcileConfigError(`Leaver action must be "deactivate" or "remove", not "${String(leaverAction)}"`, 'Choose a Leaver Action.');
	}
	if (leaverAction === 'deactivate' && target.status.type === 'none') {
		throw new ReconcileConfigError(`The target "${target.label}" has no status field, so leavers cannot be deactivated`, 'Set Leaver Action to Remove, or map the app status field.');
	}
	const leadDays = wholeNumber(config.inviteLeadDays, 0, 'Invite Lead Time (Days)');
	const expiryMonths = wholeNumber(config.invitationExpiryMonths, 6, 'Invitation Expiry (Months)');
	const createOnly = new Set(target.fields.filter((field) => field.createOnly).map((field) => field.app));
	for (const name of config.extraCreateOnlyFields ?? []) {
		const trimmed = name.trim();
		if (trimmed === '') continue;
		if (!target.fields.some((field) => field.app === trimmed)) {
			throw new ReconcileConfigError(
				`Create-only field "${trimmed}" is not a field of the ${target.label} target`,
				`Use one of: ${target.fields.map((field) => field.app).join(', ')}.`,
			);
		}
		createOnly.add(trimmed);
	}
	return {
		asOf: config.asOf,
		timeZone: config.timeZone ?? 'UTC',
		source,
		target,
		matchOn,
		leaverAction,
		leadDays,
		leadLimit: addDays(config.asOf, leadDays),
		expiryMonths,
		invitationCutoff: expiryMonths > 0 && target.invitedAtPath ? minusMonths(config.asOf, expiryMonths) : undefined,
		createOnly,
		protectedKeys: lowerSet(config.protectedUsers, []),
		manageUnmanaged: config.manageUnmanaged ?? false,
		inactiveStatuses: lowerSet(config.inactiveStatuses, ['inactive']),
		preStartStatuses: lowerSet(config.preStartLifecycleStatuses, ['hired']),
	};
}

function describePaths(paths: string[]): string {
	return paths.map((path) => `"${path}"`).join(' or ');
}

interface Conflict {
	code: ConflictCode;
	reason: string;
	hrIndexes?: number[];
	appIndexes?: number[];
}

export function reconcilePeople(hrItems: RawRecord[], appItems: RawRecord[], config: PeopleConfig): Plan {
	const cfg = resolveConfig(config);
	const { source, target, matchOn } = cfg;
	const warnings: string[] = [];
	const n = hrItems.length;
	const m = appItems.length;

	// ------------------------------------------------------------------ 1. normalise HR
	for (const field of Object.keys(source.fields)) {
		if (!(PERSON_FIELDS as readonly string[]).includes(field)) {
			throw new ReconcileConfigError(`Unknown HR field "${field}" in the HR mapping`, `Use the logical fields: ${PERSON_FIELDS.join(', ')}.`);
		}
	}
	// One getter slot per logical field, in PERSON_FIELDS order (undefined = not mapped).
	const fieldNames = PERSON_FIELDS;
	const fieldCount = fieldNames.length;
	const getters: Array<Getter | undefined> = [];
	const prefixGetters: Array<Getter | undefined> = [];
	for (const field of fieldNames) {
		const spec = source.fields[field];
		if (spec && (!spec.paths.length || spec.paths.some((path) => typeof path !== 'string' || path.trim() === ''))) {
			throw new ReconcileConfigError(`The HR field ${field} has an empty path`, 'Give the dot path of the field in the HR items, or remove it.');
		}
		getters.push(spec ? compilePaths(spec.paths.map((path) => path.trim())) : undefined);
		prefixGetters.push(spec?.prefixPath ? compilePath(spec.prefixPath) : undefined);
	}
	const seen = new Uint8Array(fieldCount);
	const people: Person[] = new Array(n);
	const extKeys: string[] = new Array(n);
	const emailKeys: string[] = new Array(n);
	// Sparse per-record notes live in Maps: a 100,000-slot array per note costs more than it holds.
	const badDate = new Map<number, string>();
	let current = -1;

	const readText = (f: number, raw: RawRecord): string | null | undefined => {
		const get = getters[f];
		if (get === undefined) return undefined;
		const value = get(raw);
		if (value === undefined) return undefined;
		seen[f] = 1;
		const prefix = prefixGetters[f];
		if (prefix !== undefined) {
			const before = normaliseText(prefix(raw));
			const text = normaliseText(value);
			return before && text ? `${before} ${text}` : text;
		}
		return normaliseText(value);
	};
	const readEmail = (f: number, raw: RawRecord): string | null | undefined => {
		const get = getters[f];
		if (get === undefined) return undefined;
		const value = get(raw);
		if (value === undefined) return undefined;
		seen[f] = 1;
		return normaliseKey(value) || null;
	};
	const readDate = (f: number, raw: RawRecord): string | null | undefined => {
		const get = getters[f];
		if (get === undefined) return undefined;
		const value = get(raw);
		if (value === undefined) return undefined;
		seen[f] = 1;
		const date = parseHrDate(value);
		if (date !== INVALID_DATE) return date;
		badDate.set(current, `${fieldNames[f]} "${String(value)}" is not a date (expected YYYY-MM-DD, optionally followed by a time)`);
		return null;
	};

	for (let i = 0; i < n; i++) {
		const raw = hrItems[i];
		current = i;
		// A fixed shape (PERSON_FIELDS order) keeps the records fast to build and read.
		const person: Person = {
			externalId: readText(0, raw),
			email: readEmail(1, raw),
			firstName: readText(2, raw),
			lastName: readText(3, raw),
			language: readText(4, raw),
			startDate: readDate(5, raw),
			endDate: readDate(6, raw),
			status: readText(7, raw),
			lifecycleStatus: readText(8, raw),
			jobId: readText(9, raw),
			jobName: readText(10, raw),
			orgId: readText(11, raw),
			orgName: readText(12, raw),
			managerExternalId: readText(13, raw),
			managerEmail: readEmail(14, raw),
		};
		people[i] = person;
		extKeys[i] = person.externalId ? normaliseKey(person.externalId) : '';
		emailKeys[i] = person.email ?? '';
	}
	if (n > 0) {
		for (let f = 0; f < fieldCount; f++) {
			const field = fieldNames[f];
			const spec = source.fields[field];
			if (seen[f] || !spec) continue;
			const message = `HR field ${describePaths(spec.paths)} (${field}) is missing on all ${n} HR items`;
			if (spec.optional) warnings.push(`${message}: it is not synced.`);
			else {
				throw new ReconcileConfigError(
					message,
					`Check the HR Source setting (${source.label}) and the node that reads HR: the field must be in its output (null is fine). In Custom mode, fix or clear the path for ${field}.`,
				);
			}
		}
	}

	// ------------------------------------------------------------------ 1b. normalise the app side
	const getAppId = compilePath(target.idPath);
	const getAppExt = compilePath(target.externalIdPath);
	const getAppEmail = compilePath(target.emailPath);
	const getAppStatus = target.status.type === 'none' ? undefined : compilePath(target.status.path);
	const getInvitedAt = target.invitedAtPath ? compilePath(target.invitedAtPath) : undefined;
	const targetFields = target.fields;
	const appFieldGetters = targetFields.map((field) => compilePath(field.app));

	const appIds: string[] = new Array(m);
	const appExtKeys: string[] = new Array(m);
	const appEmailKeys: string[] = new Array(m);
	const appStatus = new Uint8Array(m);
	const appProtected = new Uint8Array(m);
	const appConflict = new Map<number, Conflict>();
	const statusSeen = { id: false, ext: false, email: false, status: false };
	const fieldSeen = new Uint8Array(targetFields.length);
	const { protectedKeys } = cfg;
	const statusModel = target.status;
	const enumValues =
		statusModel.type === 'enum'
			? { active: normaliseKey(statusModel.active), invited: statusModel.invited ? normaliseKey(statusModel.invited) : '\u0000', deactivated: normaliseKey(statusModel.deactivated) }
			: undefined;
	const activeAsWritten = statusModel.type === 'enum' ? statusModel.active : undefined;

	for (let j = 0; j < m; j++) {
		const raw = appItems[j];
		const id = getAppId(raw);
		const ext = getAppExt(raw);
		const email = getAppEmail(raw);
		if (id !== undefined) statusSeen.id = true;
		if (ext !== undefined) statusSeen.ext = true;
		if (email !== undefined) statusSeen.email = true;
		appIds[j] = id === undefined || id === null ? '' : String(id);
		appExtKeys[j] = normaliseKey(ext);
		appEmailKeys[j] = normaliseKey(email);
		let status = ACTIVE;
		if (getAppStatus) {
			const value = getAppStatus(raw);
			if (value !== undefined) statusSeen.status = true;
			if (enumValues) {
				const text = value === activeAsWritten ? enumValues.active : normaliseKey(value);
				status = text === enumValues.active ? ACTIVE : text === enumValues.invited ? INVITED : text === enumValues.deactivated ? DEACTIVATED : UNKNOWN_STATUS;
			} else {
				status = value === true || value === 'true' ? ACTIVE : value === false || value === 'false' ? DEACTIVATED : UNKNOWN_STATUS;
			}
			if (status === UNKNOWN_STATUS) {
				appConflict.set(j, {
					code: 'unknownAppStatus',
					reason: `App user ${appLabel(j)} has status ${JSON.stringify(value ?? null)} at "${statusModel.type === 'none' ? '' : statusModel.path}", which the ${target.label} target does not know: left alone.`,
				});
			}
		}
		appStatus[j] = status;
		if (protectedKeys.size > 0) {
			if (
				protectedKeys.has(normaliseKey(appIds[j])) ||
				(appExtKeys[j] !== '' && protectedKeys.has(appExtKeys[j])) ||
				(appEmailKeys[j] !== '' && protectedKeys.has(appEmailKeys[j]))
			) {
				appProtected[j] = 1;
			}
		}
		for (let f = 0; f < targetFields.length; f++) {
			if (fieldSeen[f] === 0 && appFieldGetters[f](raw) !== undefined) fieldSeen[f] = 1;
		}
	}
	if (m > 0) {
		const missing: string[] = [];
		if (!statusSeen.id) missing.push(`"${target.idPath}" (app user id)`);
		if (!statusSeen.ext) missing.push(`"${target.externalIdPath}" (external ID)`);
		if (!statusSeen.email) missing.push(`"${target.emailPath}" (email)`);
		if (getAppStatus && !statusSeen.status && statusModel.type !== 'none') missing.push(`"${statusModel.path}" (status)`);
		for (let f = 0; f < targetFields.length; f++) {
			const field = targetFields[f];
			if (!fieldSeen[f] && !cfg.createOnly.has(field.app) && !missing.some((entry) => entry.startsWith(`"${field.app}"`))) {
				missing.push(`"${field.app}"`);
			}
		}
		if (missing.length > 0) {
			throw new ReconcileConfigError(
				`App field${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing on all ${m} App items`,
				`The App input must be the app's users in the ${target.label} shape (null values are fine). Check the node that lists the app users, or choose another App Target.`,
			);
		}
	}

	function appLabel(j: number): string {
		return appIds[j] !== '' ? `"${appIds[j]}"` : appEmailKeys[j] !== '' ? appEmailKeys[j] : `#${j + 1}`;
	}

	// ------------------------------------------------------------------ 2. index both sides, 3. match
	// One Map per match key serves both sides: a value j >= 0 is the app user with that key, a
	// value -(i + 2) is an HR record whose key no app user has. HR keys the app has are only
	// looked up, so each side is hashed about once per key.
	const keyCount = matchOn.length;
	const hrKeysByMatch = matchOn.map((key) => (key === 'externalId' ? extKeys : emailKeys));
	const appKeysByMatch = matchOn.map((key) => (key === 'externalId' ? appExtKeys : appEmailKeys));
	const keyMaps: Array<Map<string, number>> = [];
	const appDuplicates: Array<Map<string, number[]>> = [];
	const hrDuplicates: Array<Map<string, number[]>> = [];
	/** Per match key: the first HR record that holds app user j's key. */
	const holderByKey: Int32Array[] = [];
	for (let k = 0; k < keyCount; k++) {
		const map = new Map<string, number>();
		const duplicates = new Map<string, number[]>();
		const keys = appKeysByMatch[k];
		// set() and a size check instead of get()+set(): duplicates are rare and collected after.
		let duplicateKeys: Set<string> | undefined;
		for (let j = 0; j < m; j++) {
			const key = keys[j];
			if (key === '') continue;
			const size = map.size;
			map.set(key, j);
			if (map.size === size) (duplicateKeys ??= new Set()).add(key);
		}
		if (duplicateKeys) {
			for (let j = 0; j < m; j++) {
				const key = keys[j];
				if (!duplicateKeys.has(key)) continue;
				const list = duplicates.get(key);
				if (list) list.push(j);
				else {
					duplicates.set(key, [j]);
					map.set(key, j);
				}
			}
		}
		keyMaps.push(map);
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
			if (first >= 0 && extra === undefined && appKeysByMatch[k][first] === key && (appDuplicates[k].size === 0 || !appDuplicates[k].has(key))) {
				// The user found on an earlier key has this key too (the usual case: same email):
				// the index would return that user, so skip the lookup and just note the holder.
				const holders = holderByKey[k];
				if (holders[first] < 0) holders[first] = i;
				else addHrDuplicate(k, key, holders[first], i);
				continue;
			}
			const map = keyMaps[k];
			const hit = map.get(key);
			if (hit === undefined) {
				map.set(key, -(i + 2));
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
			hrConflict.set(i, { code: 'invalidDate', reason: `HR record ${personLabel(i)}: ${badDate.get(i)}.` });
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

	function personLabel(i: number): string {
		const person = people[i];
		const name = person.firstName ? (person.lastName ? `${person.firstName} ${person.lastName}` : person.firstName) : (person.lastName ?? '');
		const id = person.externalId ? `external ID ${person.externalId}` : person.email ? person.email : `HR item ${i + 1}`;
		return name ? `${name} (${id})` : id;
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
		if (matchedBy[i] !== extMatchIndex && extKeys[i] !== '' && appExtKeys[j] !== '' && extKeys[i] !== appExtKeys[j]) {
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

	// ------------------------------------------------------------------ 4. classify on the reference date
	const { asOf, leadLimit, inactiveStatuses, preStartStatuses, invitationCutoff } = cfg;
	const personClass = new Uint8Array(n);
	const leaverReason = new Map<number, string>();
	const usesStatus = source.fields.status !== undefined;
	let invitedWithoutDate = 0;

	function invitationExpired(j: number): string | undefined {
		if (!invitationCutoff || !getInvitedAt || appStatus[j] !== INVITED) return undefined;
		const invited = appTimestampDate(getInvitedAt(appItems[j]), cfg.timeZone);
		if (invited === undefined) {
			invitedWithoutDate++;
			return undefined;
		}
		return invited < invitationCutoff ? invited : undefined;
	}
	const expiredSince = new Map<number, string>();

	for (let i = 0; i < n; i++) {
		if (hrConflict.has(i)) {
			personClass[i] = CLASS_CONFLICT;
			continue;
		}
		const person = people[i];
		const j = candidate[i];
		if (
			(j >= 0 && appProtected[j] === 1) ||
			(protectedKeys.size > 0 && ((extKeys[i] !== '' && protectedKeys.has(extKeys[i])) || (emailKeys[i] !== '' && protectedKeys.has(emailKeys[i]))))
		) {
			personClass[i] = CLASS_IGNORE;
			continue;
		}
		const start = person.startDate;
		const end = person.endDate;
		if (end && end < asOf) {
			personClass[i] = CLASS_LEAVER;
			leaverReason.set(i, `end date ${end} is before the reference date ${asOf}`);
			continue;
		}
		if (usesStatus && person.status) {
			const status = normaliseKey(person.status);
			if (inactiveStatuses.has(status)) {
				const lifecycle = person.lifecycleStatus ? normaliseKey(person.lifecycleStatus) : '';
				// HiBob: people who have not started yet are Inactive too (lifecycle Hired). The machine
				// casing of lifecycle values is UNVERIFIED (hibob-api.md §8): compared case-insensitively,
				// and the values are configurable.
				const preStart = preStartStatuses.has(lifecycle) || (start !== undefined && start !== null && start > asOf);
				if (!preStart) {
					personClass[i] = CLASS_LEAVER;
					leaverReason.set(i, `HR status is ${person.status}${person.lifecycleStatus ? ` (${person.lifecycleStatus})` : ''}`);
					continue;
				}
			}
		}
		if (j >= 0) {
			const expired = invitationExpired(j);
			if (expired !== undefined) {
				expiredSince.set(j, expired);
				personClass[i] = CLASS_EXPIRED;
				continue;
			}
		}
		if (start && start > leadLimit) {
			personClass[i] = CLASS_WAIT;
			continue;
		}
		personClass[i] = CLASS_IN_SCOPE;
	}

	// ------------------------------------------------------------------ 5. build items
	const statusPath = statusModel.type === 'none' ? '' : statusModel.path;
	const needsManager = targetFields.some((field) => field.from === 'managerAppId');
	const managerLinks: Array<ManagerLink | undefined> = needsManager ? new Array(n) : [];

	function resolveManager(i: number): ManagerLink {
		const person = people[i];
		const ext = person.managerExternalId;
		const email = person.managerEmail;
		if (ext === undefined && email === undefined) return { status: 'none' };
		const extKey = ext ? normaliseKey(ext) : '';
		const emailKey = email ?? '';
		if (extKey === '' && emailKey === '') return { status: 'none', externalId: null, email: null };
		let manager = extKey !== '' ? hrRecordWith('externalId', extKey) : -1;
		if (manager < 0 && emailKey !== '') manager = hrRecordWith('email', emailKey);
		const reference = { externalId: ext ?? null, email: email ?? null };
		if (manager === i) return { status: 'none', ...reference };
		if (manager < 0 || personClass[manager] !== CLASS_IN_SCOPE) return { status: 'notInScope', ...reference };
		const j = candidate[manager];
		if (j < 0) return { status: 'createdInThisRun', ...reference };
		return { status: 'resolved', ...reference, appId: appIds[j] };
	}

	function desiredValue(field: TargetField, i: number): unknown {
		const person = people[i];
		switch (field.from) {
			case 'jobIdList':
				return person.jobId === undefined ? undefined : person.jobId ? [person.jobId] : [];
			case 'orgIdList':
				return person.orgId === undefined ? undefined : person.orgId ? [person.orgId] : [];
			case 'managerAppId': {
				const link = (managerLinks[i] ??= resolveManager(i));
				if (link.status === 'resolved') return link.appId;
				if (link.status === 'none') return link.externalId === undefined ? undefined : null;
				// Not resolvable now: the field is left as it is (and reported on the item).
				return undefined;
			}
			default:
				return person[field.from];
		}
	}

	const comparedField = Uint8Array.from(targetFields, (field) => (cfg.createOnly.has(field.app) ? 0 : 1));
	// Plain HR fields are read through compiled getters: one property name per read site.
	const personReaders = targetFields.map((field) =>
		(PERSON_FIELDS as readonly string[]).includes(field.from) ? (compilePath(field.from) as (person: Person) => unknown) : undefined,
	);
	const unchangedReason = matchOn.map((key) => `Matched by ${KEY_LABEL[key]}; all managed fields are equal.`);
	const rest = new PlanBuckets();
	let hrRemovals = 0;
	let expiryRemovals = 0;
	const { leaverAction } = cfg;

	const deactivatedValue = statusModel.type === 'enum' ? statusModel.deactivated : false;
	const activeValue = statusModel.type === 'enum' ? statusModel.active : true;
	function statusPayload(value: unknown): RawRecord {
		const payload: RawRecord = {};
		if (statusPath) setPath(payload, statusPath, value);
		return payload;
	}
	function currentStatus(j: number): unknown {
		return getAppStatus ? (getAppStatus(appItems[j]) ?? null) : null;
	}

	function item(
		action: PlanItem['action'],
		reason: string,
		i: number,
		j: number,
		changes: Change[] = NO_CHANGES,
		payload: RawRecord | null = null,
	): PlanItem {
		return {
			action,
			reason,
			matchedBy: i >= 0 && j >= 0 && matchedBy[i] >= 0 ? matchOn[matchedBy[i]] : null,
			hr: i >= 0 ? people[i] : null,
			app: j >= 0 ? appItems[j] : null,
			appId: j >= 0 ? appIds[j] || null : null,
			changes,
			payload,
			hrIndex: i,
			appIndex: j,
		};
	}

	function leaverItem(i: number, j: number, why: string): PlanItem {
		const status = appStatus[j];
		if (status === INVITED) {
			hrRemovals++;
			return item('remove', `${why} and has a pending invitation: withdraw the invitation.`, i, j);
		}
		if (status === DEACTIVATED) {
			if (leaverAction === 'remove') {
				hrRemovals++;
				return item('remove', `${why}; the app user is deactivated and Leaver Action is Remove: remove.`, i, j);
			}
			return item('unchanged', `${why}; the app user is already deactivated.`, i, j);
		}
		hrRemovals++;
		if (leaverAction === 'remove') return item('remove', `${why}: remove.`, i, j);
		return item(
			'deactivate',
			`${why}: deactivate.`,
			i,
			j,
			statusPath ? [{ field: statusPath, from: currentStatus(j), to: deactivatedValue }] : [],
			statusPath ? statusPayload(deactivatedValue) : null,
		);
	}

	function requiredMissing(i: number, fields: TargetField[], forCreate: boolean): string | undefined {
		for (const field of fields) {
			if (!field.required) continue;
			const value = desiredValue(field, i);
			if (value === undefined ? forCreate : isEmptyValue(value)) return field.app;
		}
		return undefined;
	}

	function missingFieldConflict(i: number, j: number, field: string): PlanItem {
		const from = targetFields.find((f) => f.app === field)!.from;
		const conflictItem = item(
			'conflict',
			`HR record ${personLabel(i)} has no ${from} for the app's required field "${field}"${target.name === 'oneteam' && (field === 'communityId' || field === 'functionId') ? ' (Oneteam needs exactly one community and one function per user)' : ''}: fix it in HR.`,
			i,
			j,
		);
		conflictItem.conflict = { code: 'missingRequiredField', hrIndexes: [i], appIndexes: j >= 0 ? [j] : [] };
		return conflictItem;
	}

	for (let i = 0; i < n; i++) {
		const j = candidate[i];
		const cls = personClass[i];
		if (cls === CLASS_CONFLICT) {
			const conflict = hrConflict.get(i)!;
			const conflictItem = item('conflict', conflict.reason, i, j);
			conflictItem.matchedBy = null;
			conflictItem.conflict = { code: conflict.code, hrIndexes: conflict.hrIndexes ?? [i], appIndexes: conflict.appIndexes ?? (j >= 0 ? [j] : []) };
			rest.push(conflictItem);
			continue;
		}
		if (cls === CLASS_IGNORE) {
			rest.push(item('ignore', `${personLabel(i)} is on the protected list${j >= 0 ? ` (app user ${appLabel(j)})` : ''}: never touched.`, i, j));
			continue;
		}
		const person = people[i];
		if (cls === CLASS_LEAVER) {
			const why = `${personLabel(i)} has left (${leaverReason.get(i)})`;
			if (j < 0) rest.push(item('skip', `${why}, and there is no app user: nothing to do.`, i, j));
			else rest.push(leaverItem(i, j, why));
			continue;
		}
		if (cls === CLASS_EXPIRED) {
			expiryRemovals++;
			rest.push(
				item(
					'remove',
					`The invitation of ${personLabel(i)} is pending since ${expiredSince.get(j)}, more than ${cfg.expiryMonths} months before ${asOf}: it expires and is sent again on a later run.`,
					i,
					j,
				),
			);
			continue;
		}
		if (cls === CLASS_WAIT) {
			const inviteFrom = addDays(person.startDate!, -cfg.leadDays);
			if (j < 0) {
				rest.push(item('wait', `${personLabel(i)} starts on ${person.startDate}: invited from ${inviteFrom} (invite lead time ${cfg.leadDays} days).`, i, j));
			} else {
				rest.push(
					item(
						'wait',
						`${personLabel(i)} now starts on ${person.startDate}, after the invite lead time, but already has an app user (${STATUS_NAMES[appStatus[j]]}): left alone.`,
						i,
						j,
					),
				);
			}
			continue;
		}

		// In scope: create, update, reactivate or unchanged.
		const started = person.startDate ? (person.startDate > asOf ? `starts on ${person.startDate} (within the ${cfg.leadDays}-day invite lead time)` : `started on ${person.startDate}`) : 'is in HR';
		if (j < 0) {
			const missing = requiredMissing(i, targetFields, true);
			if (missing) {
				rest.push(missingFieldConflict(i, j, missing));
				continue;
			}
			const payload: RawRecord = {};
			for (const field of targetFields) {
				const value = desiredValue(field, i);
				if (value !== undefined) setPath(payload, field.app, value);
			}
			if (target.createDefaults) Object.assign(payload, target.createDefaults);
			const created = item('create', `${personLabel(i)} ${started} and has no app user: create.`, i, j, [], payload);
			if (needsManager) created.manager = managerLinks[i] ?? resolveManager(i);
			rest.push(created);
			continue;
		}

		const raw = appItems[j];
		let changes: Change[] | undefined;
		let payload: RawRecord | undefined;
		let missing: string | undefined;
		for (let f = 0; f < targetFields.length; f++) {
			if (comparedField[f] === 0) continue;
			const field = targetFields[f];
			const from = field.from;
			let want: unknown;
			if (from === 'jobIdList' || from === 'orgIdList') {
				// Compared without building the one-element list, which is the usual case.
				const scalar = from === 'jobIdList' ? person.jobId : person.orgId;
				if (scalar === undefined) continue;
				if (scalar === null && field.required) {
					missing = field.app;
					break;
				}
				const have = appFieldGetters[f](raw);
				if (sameSingletonList(scalar, have)) continue;
				want = scalar ? [scalar] : [];
			} else {
				const read = personReaders[f];
				want = read !== undefined ? read(person) : desiredValue(field, i);
				if (want === undefined) continue;
				if (field.required && isEmptyValue(want)) {
					missing = field.app;
					break;
				}
				if (sameValue(want, appFieldGetters[f](raw), field.compare ?? 'text')) continue;
			}
			const have = appFieldGetters[f](raw);
			(changes ??= []).push({ field: field.app, from: have ?? null, to: want });
			setPath((payload ??= {}), field.app, want);
		}
		if (missing !== undefined) {
			rest.push(missingFieldConflict(i, j, missing));
			continue;
		}
		let result: PlanItem;
		if (appStatus[j] === DEACTIVATED) {
			const activation = statusPayload(activeValue);
			const statusChange: Change = { field: statusPath, from: currentStatus(j), to: activeValue };
			result = item(
				'reactivate',
				`${personLabel(i)} ${started} and is back in HR, but the app user ${appLabel(j)} is deactivated: reactivate${changes ? ` and update ${changes.map((c) => c.field).join(', ')}` : ''}.`,
				i,
				j,
				[statusChange, ...(changes ?? [])],
				{ ...activation, ...(payload ?? {}) },
			);
		} else if (changes) {
			result = item(
				'update',
				`Matched by ${KEY_LABEL[matchOn[matchedBy[i]]]}; ${changes.length} managed field${changes.length > 1 ? 's differ' : ' differs'}: ${changes.map((c) => c.field).join(', ')}.`,
				i,
				j,
				changes,
				payload!,
			);
		} else {
			result = item('unchanged', unchangedReason[matchedBy[i]], i, j);
		}
		if (needsManager) result.manager = managerLinks[i] ?? resolveManager(i);
		rest.push(result);
	}

	// App users nobody in HR matched.
	for (let j = 0; j < m; j++) {
		if (cleanClaim[j] >= 0) continue;
		const conflict = appConflict.get(j);
		if (conflict) {
			const conflictItem = item('conflict', conflict.reason, -1, j);
			conflictItem.conflict = { code: conflict.code, hrIndexes: conflict.hrIndexes ?? [], appIndexes: conflict.appIndexes ?? [j] };
			rest.push(conflictItem);
			continue;
		}
		if (appProtected[j] === 1) {
			rest.push(item('ignore', `App user ${appLabel(j)} is on the protected list: never touched.`, -1, j));
			continue;
		}
		if (appExtKeys[j] === '' && !cfg.manageUnmanaged) {
			rest.push(
				item(
					'ignore',
					`App user ${appLabel(j)} has no external ID and no HR match: not managed by this sync (an admin or service account; turn on "Manage Users Without External ID" to include it).`,
					-1,
					j,
				),
			);
			continue;
		}
		const expired = invitationExpired(j);
		if (expired !== undefined && appExtKeys[j] === '') {
			expiryRemovals++;
			rest.push(item('remove', `The invitation of app user ${appLabel(j)} is pending since ${expired}, more than ${cfg.expiryMonths} months before ${asOf}: it expires.`, -1, j));
			continue;
		}
		const who = appExtKeys[j] !== '' ? `External ID "${appExtKeys[j]}" (app user ${appLabel(j)})` : `App user ${appLabel(j)}`;
		rest.push(leaverItem(-1, j, `${who} is no longer in HR`));
	}

	if (invitedWithoutDate > 0) {
		warnings.push(`${invitedWithoutDate} pending invitation${invitedWithoutDate > 1 ? 's have' : ' has'} no readable "${target.invitedAtPath}": they never expire.`);
	}

	// ------------------------------------------------------------------ 6. create first, order, rails
	const createFirst = listCreateFirst(target, people, rest.create, rest.update, appItems);
	const orderedCreates = needsManager ? managerFirst(rest.create, people, hrRecordWith) : rest.create;

	let managed = 0;
	for (let j = 0; j < m; j++) {
		if (appConflict.has(j) || appProtected[j] === 1) continue;
		if (cleanClaim[j] < 0 && appExtKeys[j] === '' && !cfg.manageUnmanaged) continue;
		managed++;
	}
	const blocked = checkRails(
		resolveRails(config.rails),
		{ hrItems: n, managed, hrRemovals, allRemovals: hrRemovals + expiryRemovals },
		{ person: 'person', people: 'people', app: 'app users' },
	);

	return finishPlan(
		rest,
		createFirst,
		orderedCreates,
		{ asOf, mode: 'people', hrItems: n, appItems: m, managedAppUsers: managed, removals: hrRemovals },
		blocked,
		warnings,
	);
}

/**
 * Groups, stores, communities, functions the planned users need and no app user references
 * yet: once each, in the order they are first needed. The app users are scanned only until
 * every needed one was seen, so the usual run (nothing new) stops early.
 */
function listCreateFirst(target: TargetProfile, people: Person[], creates: PlanItem[], updates: PlanItem[], appItems: RawRecord[]): PlanItem[] {
	const kinds = target.createFirst ?? [];
	if (kinds.length === 0) return [];
	const result: PlanItem[] = [];
	for (const kind of kinds) {
		const needed = new Map<string, { hrIndex: number; count: number }>();
		const need = (planItem: PlanItem) => {
			const key = people[planItem.hrIndex][kind.keyFrom];
			if (!key) return;
			const entry = needed.get(key);
			if (entry) entry.count++;
			else needed.set(key, { hrIndex: planItem.hrIndex, count: 1 });
		};
		for (const planItem of creates) need(planItem);
		for (const planItem of updates) {
			for (const change of planItem.changes) {
				if (change.field === kind.appField) {
					need(planItem);
					break;
				}
			}
		}
		if (needed.size === 0) continue;

		const missing = new Set(needed.keys());
		const getter = compilePath(kind.appField);
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
		for (const [key, { hrIndex, count }] of needed) {
			if (!missing.has(key)) continue;
			const name = people[hrIndex][kind.nameFrom] ?? key;
			result.push({
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
			});
		}
	}
	return result;
}

/** Orders creates so that a manager created in this run comes before the people reporting to them (stable). */
function managerFirst(creates: PlanItem[], people: Person[], hrRecordWith: (keyName: MatchKey, key: string) => number): PlanItem[] {
	if (creates.length < 2) return creates;
	const position = new Map<number, number>();
	creates.forEach((planItem, index) => position.set(planItem.hrIndex, index));
	const depth = new Int32Array(creates.length).fill(-1);
	const managerOf = (index: number): number => {
		const person = people[creates[index].hrIndex];
		const extKey = person.managerExternalId ? normaliseKey(person.managerExternalId) : '';
		let manager = extKey ? hrRecordWith('externalId', extKey) : -1;
		if (manager < 0 && person.managerEmail) manager = hrRecordWith('email', person.managerEmail);
		const at = manager >= 0 ? position.get(manager) : undefined;
		return at === undefined || at === index ? -1 : at;
	};
	for (let start = 0; start < creates.length; start++) {
		if (depth[start] >= 0) continue;
		// Walk up the manager chain iteratively; a cycle is cut where it closes.
		const chain: number[] = [];
		const onChain = new Set<number>();
		let current = start;
		while (current >= 0 && depth[current] < 0 && !onChain.has(current)) {
			chain.push(current);
			onChain.add(current);
			current = managerOf(current);
		}
		let base = current >= 0 && depth[current] >= 0 ? depth[current] + 1 : 0;
		for (let k = chain.length - 1; k >= 0; k--) depth[chain[k]] = base++;
	}
	const buckets: PlanItem[][] = [];
	creates.forEach((planItem, index) => (buckets[depth[index]] ??= []).push(planItem));
	return buckets.flat();
}
