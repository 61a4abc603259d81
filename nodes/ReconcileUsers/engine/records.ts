/**
 * Records mode: non-person records (communities, functions, groups) matched on one key,
 * created, updated or removed. No lifecycle dates. Same normalisation, conflicts and rails
 * as people mode.
 */
import { assertIsoDate } from './dates';
import { buildIndex, checkRails, finishPlan, PlanBuckets, resolveRails } from './plan';
import {
	type Change,
	type Plan,
	type PlanItem,
	type RawRecord,
	type RecordsConfig,
	ReconcileConfigError,
} from './types';
import { compilePath, normaliseKey, normaliseText, sameValue, setPath } from './values';

function sameRecordValue(want: unknown, have: unknown): boolean {
	if (Array.isArray(want)) return sameValue(want, have, 'set');
	if (want !== null && typeof want === 'object')
		return JSON.stringify(want) === JSON.stringify(have ?? null);
	return sameValue(want, have, 'text');
}

/** "community" → "communities", "group" → "groups", "class" → "classes". */
export function pluralOf(noun: string): string {
	if (/[^aeiou]y$/i.test(noun)) return `${noun.slice(0, -1)}ies`;
	if (/(s|x|z|ch|sh)$/i.test(noun)) return `${noun}es`;
	return `${noun}s`;
}

function normaliseValue(value: unknown): unknown {
	if (value === undefined || value === null) return value;
	if (typeof value === 'string') return normaliseText(value);
	return value;
}

export function reconcileRecords(
	hrItems: RawRecord[],
	appItems: RawRecord[],
	config: RecordsConfig,
): Plan {
	assertIsoDate(config.asOf, 'The reference date');
	const kind = (config.kind ?? '').trim() || 'record';
	const plural = pluralOf(kind);
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
	const leaverAction = config.leaverAction ?? 'remove';
	const appIdPath = config.appId?.trim() || 'id';
	const getHrKey = compilePath(config.hrKey.trim());
	const getAppKey = compilePath(config.appKey.trim());
	const getAppId = compilePath(appIdPath);
	const hrGetters = fields.map((field) => compilePath(field.hr.trim()));
	const appGetters = fields.map((field) => compilePath(field.app.trim()));
	const n = hrItems.length;
	const m = appItems.length;
	const warnings: string[] = [];

	// Normalise HR into the app's shape: { <app key>: key, <app field>: value, ... }.
	const hrKeys: string[] = new Array(n);
	const records: RawRecord[] = new Array(n);
	let keySeen = false;
	const hrSeen = new Uint8Array(fields.length);
	for (let i = 0; i < n; i++) {
		const raw = hrItems[i];
		const key = getHrKey(raw);
		if (key !== undefined) keySeen = true;
		hrKeys[i] = normaliseKey(key);
		const record: RawRecord = {};
		setPath(record, config.appKey.trim(), normaliseText(key) ?? null);
		for (let f = 0; f < fields.length; f++) {
			const value = hrGetters[f](raw);
			if (value === undefined) continue;
			hrSeen[f] = 1;
			setPath(record, fields[f].app.trim(), normaliseValue(value));
		}
		records[i] = record;
	}
	if (n > 0) {
		const missing = [
			...(keySeen ? [] : [config.hrKey.trim()]),
			...fields.filter((_, f) => !hrSeen[f]).map((field) => field.hr.trim()),
		];
		if (missing.length) {
			throw new ReconcileConfigError(
				`HR field${missing.length > 1 ? 's' : ''} ${missing.map((path) => `"${path}"`).join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing on all ${n} HR items`,
				'Fix the path(s) under "HR Key Field" / "Fields", or add the field(s) to the node that reads HR (null is fine).',
			);
		}
	}

	const appKeys: string[] = new Array(m);
	const appIds: string[] = new Array(m);
	const appSeen = { key: false, id: false };
	const appFieldSeen = new Uint8Array(fields.length);
	for (let j = 0; j < m; j++) {
		const raw = appItems[j];
		const key = getAppKey(raw);
		const id = getAppId(raw);
		if (key !== undefined) appSeen.key = true;
		if (id !== undefined) appSeen.id = true;
		appKeys[j] = normaliseKey(key);
		appIds[j] = id === undefined || id === null ? '' : String(id);
		for (let f = 0; f < fields.length; f++)
			if (!appFieldSeen[f] && appGetters[f](raw) !== undefined) appFieldSeen[f] = 1;
	}
	if (m > 0) {
		const missing = [
			...(appSeen.key ? [] : [config.appKey.trim()]),
			...(appSeen.id ? [] : [appIdPath]),
			...fields
				.filter((field, f) => !appFieldSeen[f] && !field.createOnly)
				.map((field) => field.app.trim()),
		];
		if (missing.length) {
			throw new ReconcileConfigError(
				`App field${missing.length > 1 ? 's' : ''} ${missing.map((path) => `"${path}"`).join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing on all ${m} App items`,
				'Fix the App paths, or check the node that lists the app records.',
			);
		}
	}

	const hrIndex = buildIndex(hrKeys);
	const appIndex = buildIndex(appKeys);
	const protectedKeys = new Set((config.protectedUsers ?? []).map(normaliseKey).filter(Boolean));
	const matchedApp = new Int32Array(m).fill(-1);
	const heldApp = new Uint8Array(m);
	const rest = new PlanBuckets();
	let removals = 0;

	const item = (
		action: PlanItem['action'],
		reason: string,
		i: number,
		j: number,
		changes: Change[] = [],
		payload: RawRecord | null = null,
	): PlanItem => ({
		action,
		reason,
		matchedBy: i >= 0 && j >= 0 ? 'key' : null,
		hr: i >= 0 ? records[i] : null,
		app: j >= 0 ? appItems[j] : null,
		appId: j >= 0 ? appIds[j] || null : null,
		changes,
		payload,
		hrIndex: i,
		appIndex: j,
	});
	const conflict = (
		reason: string,
		i: number,
		j: number,
		code: NonNullable<PlanItem['conflict']>['code'],
		hrIndexes: number[],
		appIndexes: number[],
	) => {
		const conflictItem = item('conflict', reason, i, j);
		conflictItem.matchedBy = null;
		conflictItem.conflict = { code, hrIndexes, appIndexes };
		return conflictItem;
	};

	for (let i = 0; i < n; i++) {
		const key = hrKeys[i];
		if (key === '') {
			rest.push(
				conflict(
					`HR ${kind} (item ${i + 1}) has no key at "${config.hrKey.trim()}": it cannot be matched or created.`,
					i,
					-1,
					'missingKey',
					[i],
					[],
				),
			);
			continue;
		}
		const j = appIndex.first.get(key);
		const hrDup = hrIndex.duplicates.get(key);
		const appDup = appIndex.duplicates.get(key);
		if (hrDup || appDup) {
			const appList = appDup ?? (j === undefined ? [] : [j]);
			for (const jj of appList) heldApp[jj] = 1;
			rest.push(
				conflict(
					hrDup
						? `${hrDup.length} HR ${plural} share the key "${key}" (HR items ${hrDup.map((x) => x + 1).join(', ')}): which one is right is not guessed.`
						: `${appDup!.length} app ${plural} share the key "${key}" (App items ${appDup!.map((x) => x + 1).join(', ')}): left alone until the app is cleaned up.`,
					i,
					j ?? -1,
					hrDup ? 'duplicateHrKey' : 'duplicateAppKey',
					hrDup ?? [i],
					appList,
				),
			);
			continue;
		}
		if (protectedKeys.has(key) || (j !== undefined && protectedKeys.has(normaliseKey(appIds[j])))) {
			if (j !== undefined) matchedApp[j] = i;
			rest.push(
				item('ignore', `The ${kind} "${key}" is on the protected list: never touched.`, i, j ?? -1),
			);
			continue;
		}
		if (j === undefined) {
			rest.push(
				item(
					'create',
					`The ${kind} "${records[i][config.appKey.trim()] as string}" is in HR and not in the app: create.`,
					i,
					-1,
					[],
					{ ...records[i] },
				),
			);
			continue;
		}
		matchedApp[j] = i;
		const raw = appItems[j];
		let changes: Change[] | undefined;
		let payload: RawRecord | undefined;
		for (let f = 0; f < fields.length; f++) {
			if (fields[f].createOnly) continue;
			const want = normaliseValue(hrGetters[f](hrItems[i]));
			if (want === undefined) continue;
			const have = appGetters[f](raw);
			if (sameRecordValue(want, have)) continue;
			(changes ??= []).push({ field: fields[f].app.trim(), from: have ?? null, to: want });
			setPath((payload ??= {}), fields[f].app.trim(), want);
		}
		if (changes) {
			rest.push(
				item(
					'update',
					`Matched on key "${key}"; ${changes.length} field${changes.length > 1 ? 's differ' : ' differs'}: ${changes.map((c) => c.field).join(', ')}.`,
					i,
					j,
					changes,
					payload!,
				),
			);
		} else {
			rest.push(item('unchanged', `Matched on key "${key}"; all compared fields are equal.`, i, j));
		}
	}

	let managed = 0;
	for (let j = 0; j < m; j++) {
		const key = appKeys[j];
		if (matchedApp[j] >= 0) {
			managed++;
			continue;
		}
		if (key !== '' && appIndex.duplicates.has(key)) {
			const list = appIndex.duplicates.get(key)!;
			rest.push(
				conflict(
					`${list.length} app ${plural} share the key "${key}" (App items ${list.map((x) => x + 1).join(', ')}): left alone until the app is cleaned up.`,
					-1,
					j,
					'duplicateAppKey',
					[],
					list,
				),
			);
			continue;
		}
		if (heldApp[j]) {
			const hrList = hrIndex.duplicates.get(key) ?? [];
			rest.push(
				conflict(
					`The app ${kind} "${key}" is claimed by HR ${plural} in conflict (HR items ${hrList.map((x) => x + 1).join(', ')}): left alone until that is resolved.`,
					-1,
					j,
					'claimedByConflict',
					hrList,
					[j],
				),
			);
			continue;
		}
		const label =
			key !== ''
				? `"${normaliseText(getAppKey(appItems[j]))}"`
				: appIds[j]
					? `"${appIds[j]}"`
					: `#${j + 1}`;
		if (protectedKeys.has(key) || protectedKeys.has(normaliseKey(appIds[j]))) {
			rest.push(
				item('ignore', `The app ${kind} ${label} is on the protected list: never touched.`, -1, j),
			);
			continue;
		}
		if (key === '' && !config.manageUnmanaged) {
			rest.push(
				item('ignore', `The app ${kind} ${label} has no key: not managed by this sync.`, -1, j),
			);
			continue;
		}
		managed++;
		removals++;
		rest.push(
			leaverAction === 'remove'
				? item('remove', `The ${kind} ${label} is no longer in HR: remove.`, -1, j)
				: item('deactivate', `The ${kind} ${label} is no longer in HR: deactivate.`, -1, j),
		);
	}

	const blocked = checkRails(
		resolveRails(config.rails),
		{ hrItems: n, managed, hrRemovals: removals, allRemovals: removals },
		{ person: kind, people: plural, app: `app ${plural}` },
	);
	return finishPlan(
		rest,
		[],
		rest.create,
		{
			asOf: config.asOf,
			mode: 'records',
			hrItems: n,
			appItems: m,
			managedAppUsers: managed,
			removals,
		},
		blocked,
		warnings,
	);
}
