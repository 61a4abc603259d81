/**
 * Records mode: non-person records (communities, functions, groups) matched on one key,
 * created, updated or removed. No lifecycle dates. Same normalisation, conflicts, scope,
 * deletion marker and rails as people mode; fields compared by kind when one is set.
 *
 * Steps, each one linear pass: config → normalise both sides → pair each HR record with its
 * app record (a tagged result) → one item per HR record → one per app record nobody paired →
 * rails, with the removals counted from the finished items.
 */
import { sameByKind, valueOfKind } from './compare';
import { assertIsoDate } from './dates';
import { DEFAULT_DELETED_PATH, isDeletionMarker, wrappedListHint } from './normalise';
import { checkedScope } from './peopleConfig';
import { refuseTriggerInputRemovals, triggerEventOutputHint } from './triggerInput';
import {
	type KeyIndex,
	buildIndex,
	checkRails,
	countRemovals,
	finishPlan,
	resolveRails,
	sortIntoOutputs,
} from './plan';
import {
	type Change,
	type CompareAs,
	type ConflictCode,
	type LeaverAction,
	type Plan,
	type PlanItem,
	type RawRecord,
	type RecordsConfig,
	type Scope,
	ReconcileConfigError,
} from './types';
import {
	type Getter,
	PathReaders,
	normaliseKey,
	normaliseText,
	sameValue,
	setPath,
} from './values';

/** "community" → "communities", "group" → "groups", "class" → "classes". */
function pluralOf(noun: string): string {
	if (/[^aeiou]y$/i.test(noun)) return `${noun.slice(0, -1)}ies`;
	if (/(s|x|z|ch|sh)$/i.test(noun)) return `${noun}es`;
	return `${noun}s`;
}

interface ResolvedRecordsConfig {
	asOf: string;
	kind: string;
	plural: string;
	hrKey: string;
	appKey: string;
	appId: string;
	fields: Array<{ hr: string; app: string; createOnly: boolean; compare?: CompareAs }>;
	leaverAction: LeaverAction;
	protectedKeys: Set<string>;
	manageUnmanaged: boolean;
	scope: Scope;
	deletedPath: string;
	/** IANA zone app date-times without an offset are read in (default UTC). */
	timeZone: string;
}

/** Everything the item builders read, made once per call. */
interface RecordsRun {
	cfg: ResolvedRecordsConfig;
	hrItems: RawRecord[];
	appItems: RawRecord[];
	/** HR records in the app's shape: { <app key>: key, <app field>: value, ... }. */
	records: RawRecord[];
	/** 1 for HR items that carry the deletion marker, and how many do. */
	deleted: Uint8Array;
	deletedCount: number;
	hrKeys: string[];
	appKeys: string[];
	appIds: string[];
	hrIndex: KeyIndex;
	appIndex: KeyIndex;
	getAppKey: Getter;
	hrGetters: Getter[];
	appGetters: Getter[];
}

/** How one HR record pairs with the app records. */
type RecordPairing =
	| { kind: 'noKey' }
	/** The key is on more than one HR record or more than one app record. */
	| { kind: 'duplicate'; j: number; hrDuplicates?: number[]; appDuplicates?: number[] }
	| { kind: 'protected'; j: number }
	/** The HR item carries the deletion marker: the app record is removed. */
	| { kind: 'deleted'; j: number }
	| { kind: 'new' }
	| { kind: 'matched'; j: number };

function resolveRecordsConfig(config: RecordsConfig): ResolvedRecordsConfig {
	assertIsoDate(config.asOf, 'The reference date');
	const kind = (config.kind ?? '').trim() || 'record';
	if (!config.hrKey?.trim() || !config.appKey?.trim()) {
		throw new ReconcileConfigError(
			'Records mode needs a key field on both sides',
			'Fill in "HR Key Field" and "App Key Field" (dot paths).',
		);
	}
	const fields = config.fields ?? [];
	for (const field of fields) {
		if (!field.hr?.trim() || !field.app?.trim()) {
			throw new ReconcileConfigError(
				'Every compared field needs an HR path and an App path',
				'Fill in both sides of each row under "Fields", or remove the row.',
			);
		}
	}
	return {
		asOf: config.asOf,
		kind,
		plural: pluralOf(kind),
		hrKey: config.hrKey.trim(),
		appKey: config.appKey.trim(),
		appId: config.appId?.trim() || 'id',
		fields: fields.map((field) => ({
			hr: field.hr.trim(),
			app: field.app.trim(),
			createOnly: field.createOnly === true,
			compare: field.compare,
		})),
		leaverAction: config.leaverAction ?? 'remove',
		protectedKeys: new Set((config.protectedUsers ?? []).map(normaliseKey).filter(Boolean)),
		manageUnmanaged: config.manageUnmanaged ?? false,
		scope: checkedScope(config.scope),
		deletedPath: config.deletedPath?.trim() || DEFAULT_DELETED_PATH,
		timeZone: config.timeZone ?? 'UTC',
	};
}

function missingPathsError(side: 'HR' | 'App', missing: string[], count: number, hint: string) {
	const s = missing.length > 1;
	return new ReconcileConfigError(
		`${side} field${s ? 's' : ''} ${missing.map((path) => `"${path}"`).join(', ')} ${s ? 'are' : 'is'} missing on all ${count} ${side} items`,
		hint,
	);
}

function normaliseValue(value: unknown): unknown {
	if (value === undefined || value === null) return value;
	if (typeof value === 'string') return normaliseText(value);
	return value;
}

/**
 * HR items → their keys, deletion markers and records in the app's shape. Throws for a path
 * missing on every item without the deletion marker.
 */
function normaliseHrRecords(
	cfg: ResolvedRecordsConfig,
	hrItems: RawRecord[],
	hrGetters: Getter[],
	getters: { key: Getter; deleted: Getter },
) {
	const n = hrItems.length;
	const hrKeys: string[] = new Array(n);
	const records: RawRecord[] = new Array(n);
	const deleted = new Uint8Array(n);
	let deletedCount = 0;
	let keySeen = false;
	const seen = new Uint8Array(cfg.fields.length);
	for (let i = 0; i < n; i++) {
		const raw = hrItems[i];
		if (isDeletionMarker(getters.deleted(raw))) {
			deleted[i] = 1;
			deletedCount++;
		}
		const key = getters.key(raw);
		if (key !== undefined) keySeen = true;
		hrKeys[i] = normaliseKey(key);
		const record: RawRecord = {};
		setPath(record, cfg.appKey, normaliseText(key) ?? null);
		for (let f = 0; f < cfg.fields.length; f++) {
			const value = hrGetters[f](raw);
			if (value === undefined) continue;
			seen[f] = 1;
			setPath(record, cfg.fields[f].app, normaliseValue(value));
		}
		records[i] = record;
	}
	const missing = [
		...(keySeen ? [] : [cfg.hrKey]),
		...cfg.fields.filter((_, f) => !seen[f]).map((field) => field.hr),
	];
	const live = n - deletedCount;
	if (live > 0 && missing.length) {
		throw missingPathsError(
			'HR',
			missing,
			live,
			`Fix the path(s) under "HR Key Field" / "Fields", or add the field(s) to the node that reads HR (null is fine).${triggerEventOutputHint(hrItems) || wrappedListHint(hrItems)}`,
		);
	}
	return { hrKeys, records, deleted, deletedCount };
}

/** App items → their keys and ids. Throws for a path missing everywhere. */
function normaliseAppRecords(
	cfg: ResolvedRecordsConfig,
	appItems: RawRecord[],
	appGetters: Getter[],
	getAppKey: Getter,
	getAppId: Getter,
) {
	const m = appItems.length;
	const appKeys: string[] = new Array(m);
	const appIds: string[] = new Array(m);
	const seen = { key: false, id: false, fields: new Uint8Array(cfg.fields.length) };
	for (let j = 0; j < m; j++) {
		const raw = appItems[j];
		const key = getAppKey(raw);
		const id = getAppId(raw);
		if (key !== undefined) seen.key = true;
		if (id !== undefined) seen.id = true;
		appKeys[j] = normaliseKey(key);
		appIds[j] = id === undefined || id === null ? '' : String(id);
		for (let f = 0; f < cfg.fields.length; f++)
			if (!seen.fields[f] && appGetters[f](raw) !== undefined) seen.fields[f] = 1;
	}
	const missing = [
		...(seen.key ? [] : [cfg.appKey]),
		...(seen.id ? [] : [cfg.appId]),
		...cfg.fields
			.filter((field, f) => !seen.fields[f] && !field.createOnly)
			.map((field) => field.app),
	];
	if (m > 0 && missing.length) {
		throw missingPathsError(
			'App',
			missing,
			m,
			`Fix the App paths, or check the node that lists the app records.${wrappedListHint(appItems)}`,
		);
	}
	return { appKeys, appIds };
}

function prepareRecordsRun(
	hrItems: RawRecord[],
	appItems: RawRecord[],
	config: RecordsConfig,
): RecordsRun {
	const cfg = resolveRecordsConfig(config);
	const readers = new PathReaders();
	const getHrKey = readers.path(cfg.hrKey);
	const getAppKey = readers.path(cfg.appKey);
	const getAppId = readers.path(cfg.appId);
	const hrGetters = cfg.fields.map((field) => readers.path(field.hr));
	const appGetters = cfg.fields.map((field) => readers.path(field.app));
	const getDeleted = readers.path(cfg.deletedPath);
	const { hrKeys, records, deleted, deletedCount } = normaliseHrRecords(cfg, hrItems, hrGetters, {
		key: getHrKey,
		deleted: getDeleted,
	});
	const { appKeys, appIds } = normaliseAppRecords(cfg, appItems, appGetters, getAppKey, getAppId);
	return {
		cfg,
		hrItems,
		appItems,
		records,
		deleted,
		deletedCount,
		hrKeys,
		appKeys,
		appIds,
		hrIndex: buildIndex(hrKeys),
		appIndex: buildIndex(appKeys),
		getAppKey,
		hrGetters,
		appGetters,
	};
}

/** Pairs HR record i by its key: no key, a duplicate key, protected, new, or matched. */
function pairRecord(run: RecordsRun, i: number): RecordPairing {
	const key = run.hrKeys[i];
	if (key === '') return { kind: 'noKey' };
	const j = run.appIndex.first.get(key) ?? -1;
	const hrDuplicates = run.hrIndex.duplicates.get(key);
	const appDuplicates = run.appIndex.duplicates.get(key);
	if (hrDuplicates || appDuplicates) return { kind: 'duplicate', j, hrDuplicates, appDuplicates };
	const { protectedKeys } = run.cfg;
	if (protectedKeys.has(key) || (j >= 0 && protectedKeys.has(normaliseKey(run.appIds[j]))))
		return { kind: 'protected', j };
	if (run.deleted[i] === 1) return { kind: 'deleted', j };
	return j < 0 ? { kind: 'new' } : { kind: 'matched', j };
}

function recordItem(
	run: RecordsRun,
	action: PlanItem['action'],
	reason: string,
	i: number,
	j: number,
	changes: Change[] = [],
	payload: RawRecord | null = null,
): PlanItem {
	return {
		action,
		reason,
		matchedBy: i >= 0 && j >= 0 ? 'key' : null,
		hr: i >= 0 ? run.records[i] : null,
		app: j >= 0 ? run.appItems[j] : null,
		appId: j >= 0 ? run.appIds[j] || null : null,
		changes,
		payload,
		hrIndex: i,
		appIndex: j,
	};
}

function recordConflict(
	run: RecordsRun,
	reason: string,
	at: { i: number; j: number },
	code: ConflictCode,
	indexes: { hrIndexes: number[]; appIndexes: number[] },
): PlanItem {
	const item = recordItem(run, 'conflict', reason, at.i, at.j);
	item.matchedBy = null;
	item.conflict = { code, ...indexes };
	return item;
}

function sameRecordValue(
	want: unknown,
	have: unknown,
	compare: CompareAs | undefined,
	zone: string,
): boolean {
	if (compare !== undefined) return sameByKind(want, have, compare, zone);
	if (Array.isArray(want)) return sameValue(want, have, 'set');
	if (want !== null && typeof want === 'object')
		return JSON.stringify(want) === JSON.stringify(have ?? null);
	return sameValue(want, have, 'text');
}

/** HR record i against its app record j: an update with the differing fields, or unchanged. */
function matchedRecordItem(run: RecordsRun, i: number, j: number): PlanItem {
	const { fields } = run.cfg;
	const raw = run.appItems[j];
	let changes: Change[] | undefined;
	let payload: RawRecord | undefined;
	for (let f = 0; f < fields.length; f++) {
		const { createOnly, compare, app } = fields[f];
		if (createOnly) continue;
		let want = normaliseValue(run.hrGetters[f](run.hrItems[i]));
		if (want === undefined) continue;
		const have = run.appGetters[f](raw);
		if (sameRecordValue(want, have, compare, run.cfg.timeZone)) continue;
		if (compare !== undefined) want = valueOfKind(want, compare);
		(changes ??= []).push({ field: app, from: have ?? null, to: want });
		setPath((payload ??= {}), app, want);
	}
	const key = run.hrKeys[i];
	if (!changes) {
		const reason = `Matched on key "${key}"; all compared fields are equal.`;
		return recordItem(run, 'unchanged', reason, i, j);
	}
	const differ = changes.length > 1 ? 's differ' : ' differs';
	const reason = `Matched on key "${key}"; ${changes.length} field${differ}: ${changes.map((c) => c.field).join(', ')}.`;
	return recordItem(run, 'update', reason, i, j, changes, payload!);
}

/** The plan item of HR record i, from how it paired. */
function hrRecordItem(run: RecordsRun, i: number, pairing: RecordPairing): PlanItem {
	const { kind, plural, hrKey, appKey } = run.cfg;
	const key = run.hrKeys[i];
	switch (pairing.kind) {
		case 'noKey':
			return recordConflict(
				run,
				`HR ${kind} (item ${i + 1}) has no key at "${hrKey}": it cannot be matched or created.`,
				{ i, j: -1 },
				'missingKey',
				{ hrIndexes: [i], appIndexes: [] },
			);
		case 'duplicate': {
			const { j, hrDuplicates, appDuplicates } = pairing;
			const appIndexes = appDuplicates ?? (j < 0 ? [] : [j]);
			const reason = hrDuplicates
				? `${hrDuplicates.length} HR ${plural} share the key "${key}" (HR items ${hrDuplicates.map((x) => x + 1).join(', ')}): which one is right is not guessed.`
				: `${appDuplicates!.length} app ${plural} share the key "${key}" (App items ${appDuplicates!.map((x) => x + 1).join(', ')}): left alone until the app is cleaned up.`;
			const code = hrDuplicates ? 'duplicateHrKey' : 'duplicateAppKey';
			return recordConflict(run, reason, { i, j }, code, {
				hrIndexes: hrDuplicates ?? [i],
				appIndexes,
			});
		}
		case 'protected': {
			const reason = `The ${kind} "${key}" is on the protected list: never touched.`;
			return recordItem(run, 'ignore', reason, i, pairing.j);
		}
		case 'deleted': {
			const { j } = pairing;
			if (j < 0) {
				const reason = `The ${kind} "${key}" is deleted in HR and not in the app: nothing to do.`;
				return recordItem(run, 'skip', reason, i, -1);
			}
			const action = run.cfg.leaverAction;
			return recordItem(run, action, `The ${kind} "${key}" is deleted in HR: ${action}.`, i, j);
		}
		case 'new': {
			const name = run.records[i][appKey] as string;
			const reason = `The ${kind} "${name}" is in HR and not in the app: create.`;
			return recordItem(run, 'create', reason, i, -1, [], { ...run.records[i] });
		}
		case 'matched':
			return matchedRecordItem(run, i, pairing.j);
	}
}

/** What the HR records made of an app record: paired with one, held by a conflict, or neither. */
type AppRecordState = 'paired' | 'held' | 'unpaired';

function appRecordStates(run: RecordsRun, pairings: RecordPairing[]): AppRecordState[] {
	const states = new Array<AppRecordState>(run.appItems.length).fill('unpaired');
	for (const pairing of pairings) {
		if (
			pairing.kind === 'matched' ||
			((pairing.kind === 'protected' || pairing.kind === 'deleted') && pairing.j >= 0)
		)
			states[pairing.j] = 'paired';
		else if (pairing.kind === 'duplicate')
			for (const j of pairing.appDuplicates ?? (pairing.j < 0 ? [] : [pairing.j]))
				if (states[j] === 'unpaired') states[j] = 'held';
	}
	return states;
}

/** `"OU9"` (the key as written), else `"c9"` (the app id), else `#10` (the App item number). */
function appRecordLabel(run: RecordsRun, j: number): string {
	if (run.appKeys[j] !== '') return `"${normaliseText(run.getAppKey(run.appItems[j]))}"`;
	return run.appIds[j] ? `"${run.appIds[j]}"` : `#${j + 1}`;
}

/**
 * The item of an app record no HR record paired: a conflict (a duplicate key, or held by an
 * HR conflict), protected, unmanaged (no key), or a removal (Removal Action). In scope "Only
 * the People in the HR Input" a record no HR item names is left alone.
 */
function appRecordItem(run: RecordsRun, j: number, state: AppRecordState): PlanItem {
	const { kind, plural, protectedKeys } = run.cfg;
	if (run.cfg.scope === 'inputOnly' && state === 'unpaired') {
		const reason = `The app ${kind} ${appRecordLabel(run, j)} is not in the HR input, and Scope is "Only the People in the HR Input": left alone.`;
		return recordItem(run, 'ignore', reason, -1, j);
	}
	const key = run.appKeys[j];
	const appDuplicates = key !== '' ? run.appIndex.duplicates.get(key) : undefined;
	if (appDuplicates) {
		return recordConflict(
			run,
			`${appDuplicates.length} app ${plural} share the key "${key}" (App items ${appDuplicates.map((x) => x + 1).join(', ')}): left alone until the app is cleaned up.`,
			{ i: -1, j },
			'duplicateAppKey',
			{ hrIndexes: [], appIndexes: appDuplicates },
		);
	}
	if (state === 'held') {
		const hrList = run.hrIndex.duplicates.get(key) ?? [];
		return recordConflict(
			run,
			`The app ${kind} "${key}" is claimed by HR ${plural} in conflict (HR items ${hrList.map((x) => x + 1).join(', ')}): left alone until that is resolved.`,
			{ i: -1, j },
			'claimedByConflict',
			{ hrIndexes: hrList, appIndexes: [j] },
		);
	}
	const label = appRecordLabel(run, j);
	if (protectedKeys.has(key) || protectedKeys.has(normaliseKey(run.appIds[j]))) {
		const reason = `The app ${kind} ${label} is on the protected list: never touched.`;
		return recordItem(run, 'ignore', reason, -1, j);
	}
	if (key === '' && !run.cfg.manageUnmanaged) {
		const reason = `The app ${kind} ${label} has no key: not managed by this sync.`;
		return recordItem(run, 'ignore', reason, -1, j);
	}
	const action = run.cfg.leaverAction;
	return recordItem(run, action, `The ${kind} ${label} is no longer in HR: ${action}.`, -1, j);
}

/**
 * Plans records mode: HR records and app records in, a plan out. Pure; throws
 * ReconcileConfigError for settings that cannot work.
 */
export function reconcileRecords(
	hrItems: RawRecord[],
	appItems: RawRecord[],
	config: RecordsConfig,
): Plan {
	const run = prepareRecordsRun(hrItems, appItems, config);
	const pairings = run.hrKeys.map((_, i) => pairRecord(run, i));
	const hrSide = pairings.map((pairing, i) => hrRecordItem(run, i, pairing));
	const states = appRecordStates(run, pairings);
	const appSide: PlanItem[] = [];
	states.forEach((state, j) => {
		if (state !== 'paired') appSide.push(appRecordItem(run, j, state));
	});
	const outputs = sortIntoOutputs(hrSide, appSide);
	refuseTriggerInputRemovals(hrItems, run.cfg.scope, outputs.remove, 'record');
	// The rails, from the finished items: managed are the paired app records and the removed.
	const removals = countRemovals(outputs.remove);
	const paired = states.filter((state) => state === 'paired').length;
	let unpairedRemovals = 0;
	for (const item of appSide)
		if (item.action === 'remove' || item.action === 'deactivate') unpairedRemovals++;
	const managed = paired + unpairedRemovals;
	const { kind, plural } = run.cfg;
	const blocked = checkRails(
		resolveRails(config.rails),
		{ hrItems: hrItems.length - run.deletedCount, managed, ...removals },
		{ person: kind, people: plural, app: `app ${plural}` },
		run.cfg.scope,
	);
	const summary = {
		asOf: config.asOf,
		mode: 'records' as const,
		scope: run.cfg.scope,
		hrItems: hrItems.length,
		appItems: appItems.length,
		managedAppUsers: managed,
		removals: removals.hrRemovals,
	};
	return finishPlan(outputs, [], outputs.create, summary, blocked, []);
}
