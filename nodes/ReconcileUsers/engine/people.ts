/**
 * People mode: joiners, movers and leavers from HR into an app's users.
 *
 * Steps, each one linear pass (Maps, no nested scans):
 * 1. normalise both sides (normalise.ts: keys trimmed, NFC, case-folded; dates as written),
 * 2. index each side per match key; duplicates are conflicts (match.ts),
 * 3. match in precedence order, holding every ambiguous pairing as a conflict (match.ts),
 * 4. classify each person on the reference date (leaver / not yet / in scope),
 * 5. build the items (changes, payloads, manager links), then the app-only users,
 * 6. list what must exist first, order creates manager-first, check the safety rails.
 */
import { addDays, appTimestampDate, assertIsoDate, minusMonths } from './dates';
import { KEY_LABEL, matchPeople } from './match';
import {
	DEACTIVATED,
	INVITED,
	normaliseApp,
	normaliseHr,
	personLabel as labelOf,
	STATUS_NAMES,
} from './normalise';
import { checkRails, finishPlan, PlanBuckets, resolveRails } from './plan';
import { resolveSource, resolveTarget } from './presets';
import {
	type Change,
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
	compilePath,
	isEmptyValue,
	needsTextNormalising,
	normaliseKey,
	normaliseText,
	sameSingletonList,
	sameValue,
	setPath,
} from './values';

// Person classes on the reference date.
const CLASS_CONFLICT = 1;
const CLASS_IGNORE = 2;
const CLASS_LEAVER = 3;
const CLASS_WAIT = 4;
const CLASS_IN_SCOPE = 5;
const CLASS_EXPIRED = 6;

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
		throw new ReconcileConfigError(
			`${name} must be a whole number of 0 or more, not "${String(value)}"`,
			`Fix ${name} in the node's options.`,
		);
	}
	return value;
}

function lowerSet(values: string[] | undefined, fallback: string[]): Set<string> {
	return new Set(
		(values ?? fallback).map((value) => normaliseKey(value)).filter((value) => value !== ''),
	);
}

function resolveConfig(config: PeopleConfig): Resolved {
	assertIsoDate(config.asOf, 'The reference date');
	const source = resolveSource(config.source);
	const target = resolveTarget(config.target);
	const matchOn = config.matchOn ?? ['externalId', 'email'];
	if (
		matchOn.length === 0 ||
		matchOn.some((key) => key !== 'externalId' && key !== 'email') ||
		new Set(matchOn).size !== matchOn.length
	) {
		throw new ReconcileConfigError(
			`Match keys must be externalId and/or email, each once (got ${JSON.stringify(matchOn)})`,
			'Choose a "Match On" option.',
		);
	}
	for (const key of matchOn) {
		if (!source.fields[key]) {
			throw new ReconcileConfigError(
				`Matching on ${KEY_LABEL[key]}, but the HR mapping "${source.label}" has no ${key} field`,
				`Map ${key} in the HR fields, or match on the other key.`,
			);
		}
	}
	const leaverAction = config.leaverAction ?? 'deactivate';
	if (leaverAction !== 'deactivate' && leaverAction !== 'remove') {
		throw new ReconcileConfigError(
			`Leaver action must be "deactivate" or "remove", not "${String(leaverAction)}"`,
			'Choose a Leaver Action.',
		);
	}
	if (leaverAction === 'deactivate' && target.status.type === 'none') {
		throw new ReconcileConfigError(
			`The target "${target.label}" has no status field, so leavers cannot be deactivated`,
			'Set Leaver Action to Remove, or map the app status field.',
		);
	}
	const leadDays = wholeNumber(config.inviteLeadDays, 0, 'Invite Lead Time (Days)');
	const expiryMonths = wholeNumber(config.invitationExpiryMonths, 6, 'Invitation Expiry (Months)');
	const createOnly = new Set(
		target.fields.filter((field) => field.createOnly).map((field) => field.app),
	);
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
		invitationCutoff:
			expiryMonths > 0 && target.invitedAtPath ? minusMonths(config.asOf, expiryMonths) : undefined,
		createOnly,
		protectedKeys: lowerSet(config.protectedUsers, []),
		manageUnmanaged: config.manageUnmanaged ?? false,
		inactiveStatuses: lowerSet(config.inactiveStatuses, ['inactive']),
		preStartStatuses: lowerSet(config.preStartLifecycleStatuses, ['hired']),
	};
}

export function reconcilePeople(
	hrItems: RawRecord[],
	appItems: RawRecord[],
	config: PeopleConfig,
): Plan {
	const cfg = resolveConfig(config);
	const { source, target, matchOn } = cfg;
	const warnings: string[] = [];
	const n = hrItems.length;
	const m = appItems.length;

	// ------------------------------------------------------------------ 1. normalise, 2-3. match
	const hrSide = normaliseHr(hrItems, source);
	const { people, extKeys, emailKeys } = hrSide;
	warnings.push(...hrSide.warnings);
	const { protectedKeys } = cfg;
	const appSide = normaliseApp(appItems, target, cfg.createOnly, protectedKeys);
	const {
		ids: appIds,
		extKeys: appExtKeys,
		status: appStatus,
		protected: appProtected,
		conflicts: appConflict,
		fieldGetters: appFieldGetters,
		getStatus: getAppStatus,
		getInvitedAt,
		label: appLabel,
	} = appSide;
	const { candidate, matchedBy, hrConflict, cleanClaim, hrRecordWith } = matchPeople(
		hrSide,
		appSide,
		matchOn,
	);
	const personLabel = (i: number) => labelOf(people, i);
	const statusModel = target.status;
	const targetFields = target.fields;

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
			(protectedKeys.size > 0 &&
				((extKeys[i] !== '' && protectedKeys.has(extKeys[i])) ||
					(emailKeys[i] !== '' && protectedKeys.has(emailKeys[i]))))
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
				const preStart =
					preStartStatuses.has(lifecycle) ||
					(start !== undefined && start !== null && start > asOf);
				if (!preStart) {
					personClass[i] = CLASS_LEAVER;
					leaverReason.set(
						i,
						`HR status is ${person.status}${person.lifecycleStatus ? ` (${person.lifecycleStatus})` : ''}`,
					);
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
		if (manager < 0 || personClass[manager] !== CLASS_IN_SCOPE)
			return { status: 'notInScope', ...reference };
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

	const comparedField = Uint8Array.from(targetFields, (field) =>
		cfg.createOnly.has(field.app) ? 0 : 1,
	);
	// Plain HR fields are read through compiled getters: one property name per read site.
	const personReaders = targetFields.map((field) =>
		(PERSON_FIELDS as readonly string[]).includes(field.from)
			? (compilePath(field.from) as (person: Person) => unknown)
			: undefined,
	);
	const unchangedReason = matchOn.map(
		(key) => `Matched by ${KEY_LABEL[key]}; all managed fields are equal.`,
	);
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
				return item(
					'remove',
					`${why}; the app user is deactivated and Leaver Action is Remove: remove.`,
					i,
					j,
				);
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

	function requiredMissing(
		i: number,
		fields: TargetField[],
		forCreate: boolean,
	): string | undefined {
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
		conflictItem.conflict = {
			code: 'missingRequiredField',
			hrIndexes: [i],
			appIndexes: j >= 0 ? [j] : [],
		};
		return conflictItem;
	}

	for (let i = 0; i < n; i++) {
		const j = candidate[i];
		const cls = personClass[i];
		if (cls === CLASS_CONFLICT) {
			const conflict = hrConflict.get(i)!;
			const conflictItem = item('conflict', conflict.reason, i, j);
			conflictItem.matchedBy = null;
			conflictItem.conflict = {
				code: conflict.code,
				hrIndexes: conflict.hrIndexes ?? [i],
				appIndexes: conflict.appIndexes ?? (j >= 0 ? [j] : []),
			};
			rest.push(conflictItem);
			continue;
		}
		if (cls === CLASS_IGNORE) {
			rest.push(
				item(
					'ignore',
					`${personLabel(i)} is on the protected list${j >= 0 ? ` (app user ${appLabel(j)})` : ''}: never touched.`,
					i,
					j,
				),
			);
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
				rest.push(
					item(
						'wait',
						`${personLabel(i)} starts on ${person.startDate}: invited from ${inviteFrom} (invite lead time ${cfg.leadDays} days).`,
						i,
						j,
					),
				);
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
		const started = person.startDate
			? person.startDate > asOf
				? `starts on ${person.startDate} (within the ${cfg.leadDays}-day invite lead time)`
				: `started on ${person.startDate}`
			: 'is in HR';
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
			const created = item(
				'create',
				`${personLabel(i)} ${started} and has no app user: create.`,
				i,
				j,
				[],
				payload,
			);
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
			conflictItem.conflict = {
				code: conflict.code,
				hrIndexes: conflict.hrIndexes ?? [],
				appIndexes: conflict.appIndexes ?? [j],
			};
			rest.push(conflictItem);
			continue;
		}
		if (appProtected[j] === 1) {
			rest.push(
				item('ignore', `App user ${appLabel(j)} is on the protected list: never touched.`, -1, j),
			);
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
			rest.push(
				item(
					'remove',
					`The invitation of app user ${appLabel(j)} is pending since ${expired}, more than ${cfg.expiryMonths} months before ${asOf}: it expires.`,
					-1,
					j,
				),
			);
			continue;
		}
		const who =
			appExtKeys[j] !== ''
				? `External ID "${appExtKeys[j]}" (app user ${appLabel(j)})`
				: `App user ${appLabel(j)}`;
		rest.push(leaverItem(-1, j, `${who} is no longer in HR`));
	}

	if (invitedWithoutDate > 0) {
		warnings.push(
			`${invitedWithoutDate} pending invitation${invitedWithoutDate > 1 ? 's have' : ' has'} no readable "${target.invitedAtPath}": they never expire.`,
		);
	}

	// ------------------------------------------------------------------ 6. create first, order, rails
	const createFirst = listCreateFirst(target, people, rest.create, rest.update, appItems);
	const orderedCreates = needsManager
		? managerFirst(rest.create, people, hrRecordWith)
		: rest.create;

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
		{
			asOf,
			mode: 'people',
			hrItems: n,
			appItems: m,
			managedAppUsers: managed,
			removals: hrRemovals,
		},
		blocked,
		warnings,
	);
}

/**
 * Groups, stores, communities, functions the planned users need and no app user references
 * yet: once each, in the order they are first needed. The app users are scanned only until
 * every needed one was seen, so the usual run (nothing new) stops early.
 */
function listCreateFirst(
	target: TargetProfile,
	people: Person[],
	creates: PlanItem[],
	updates: PlanItem[],
	appItems: RawRecord[],
): PlanItem[] {
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
function managerFirst(
	creates: PlanItem[],
	people: Person[],
	hrRecordWith: (keyName: MatchKey, key: string) => number,
): PlanItem[] {
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
