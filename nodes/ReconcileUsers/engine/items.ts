/**
 * People mode, build items: one plan item per HR person from their classification, then one
 * per app user nobody in HR matched. Reasons are full sentences a builder can act on.
 */
import { type Classification, expiredInvitationDate } from './classify';
import { defaultCompareAs, sameByKind, valueOfKind } from './compare';
import { addDays } from './dates';
import { KEY_LABEL } from './match';
import {
	type Conflict,
	DEACTIVATED,
	INVITED,
	STATUS_NAMES,
	appUserLabel,
	personLabel,
} from './normalise';
import type { PeopleRun } from './peopleRun';
import {
	type Change,
	type CompareAs,
	type ManagerLink,
	type Person,
	type PlanItem,
	type RawRecord,
	type TargetField,
	type TargetProfile,
	PERSON_FIELDS,
} from './types';
import { type Getter, isEmptyValue, sameSingletonList, sameValue, setPath } from './values';

/** Shared by every item without changes: plan items are values, read them, do not mutate them. */
const NO_CHANGES: Change[] = Object.freeze([]) as unknown as Change[];

/** What the item builders read, made once per call from the run and the classifications. */
export interface ItemContext {
	run: PeopleRun;
	classes: Classification[];
	/** Each in-scope person's manager, when the target has a manager field (else empty). */
	managers: Array<ManagerLink | undefined>;
	needsManager: boolean;
	/** The app status path ('' without a status), and the values to write there. */
	statusPath: string;
	activeValue: unknown;
	deactivatedValue: unknown;
	/** 1 for the target fields compared on update (create-only fields are not). */
	compared: Uint8Array;
	/** 1 for the target fields that must not be empty: required, or identity fields. */
	mustHave: Uint8Array;
	/** 1 for the identity fields (used to match or to log in): never blanked. */
	identity: Uint8Array;
	/** How each target field is compared (its kind), in target.fields order. */
	kinds: CompareAs[];
	/** 1 for the kinds compare.ts reads (number, boolean, dates); 0 for text, email and lists. */
	typed: Uint8Array;
	/** Getters of target fields filled straight from a Person field (undefined: derived). */
	personReaders: Array<Getter | undefined>;
	/** The reason of an unchanged item, per match key index. */
	unchangedReason: string[];
}

/**
 * Whether a target field identifies the user: marked `identity`, or at the target's external
 * ID or email path (the keys users are matched on and log in with).
 */
export function isIdentityField(target: TargetProfile, field: TargetField): boolean {
	return (
		field.identity === true || field.app === target.externalIdPath || field.app === target.emailPath
	);
}

function isPlainKind(kind: CompareAs): kind is 'text' | 'email' | 'set' {
	return kind === 'text' || kind === 'email' || kind === 'set';
}

/** Derives what the item builders share from the run, the classifications and the managers. */
export function itemContext(
	run: PeopleRun,
	classes: Classification[],
	managers: Array<ManagerLink | undefined>,
): ItemContext {
	const { target, createOnly, matchOn } = run.cfg;
	const status = target.status;
	const identity = Uint8Array.from(target.fields, (field) =>
		isIdentityField(target, field) ? 1 : 0,
	);
	const kinds = target.fields.map((field) => field.compare ?? defaultCompareAs(field.from));
	return {
		run,
		classes,
		managers,
		needsManager: target.fields.some((field) => field.from === 'managerAppId'),
		statusPath: status.type === 'none' ? '' : status.path,
		activeValue: status.type === 'enum' ? status.active : true,
		deactivatedValue: status.type === 'enum' ? status.deactivated : false,
		compared: Uint8Array.from(target.fields, (field) => (createOnly.has(field.app) ? 0 : 1)),
		mustHave: Uint8Array.from(target.fields, (field, f) => (field.required || identity[f] ? 1 : 0)),
		identity,
		kinds,
		typed: Uint8Array.from(kinds, (kind) => (isPlainKind(kind) ? 0 : 1)),
		// Plain HR fields are read through compiled getters: one property name per read site.
		personReaders: target.fields.map((field) =>
			(PERSON_FIELDS as readonly string[]).includes(field.from)
				? run.readers.path(field.from)
				: undefined,
		),
		unchangedReason: matchOn.map(
			(key) => `Matched by ${KEY_LABEL[key]}; all managed fields are equal.`,
		),
	};
}

// ---------------------------------------------------------------- shared pieces

/** A plan item for HR record i (-1: none) and app user j (-1: none). */
export function planItem(
	ctx: ItemContext,
	action: PlanItem['action'],
	reason: string,
	i: number,
	j: number,
	changes: Change[] = NO_CHANGES,
	payload: RawRecord | null = null,
): PlanItem {
	const { run } = ctx;
	const by = i >= 0 && j >= 0 ? run.matching.matchedBy[i] : -1;
	return {
		action,
		reason,
		matchedBy: by >= 0 ? run.cfg.matchOn[by] : null,
		hr: i >= 0 ? run.hr.people[i] : null,
		app: j >= 0 ? run.appItems[j] : null,
		appId: j >= 0 ? run.app.ids[j] || null : null,
		changes,
		payload,
		hrIndex: i,
		appIndex: j,
	};
}

function conflictItem(
	ctx: ItemContext,
	i: number,
	j: number,
	conflict: Conflict,
	defaults: { hrIndexes: number[]; appIndexes: number[] },
): PlanItem {
	const item = planItem(ctx, 'conflict', conflict.reason, i, j);
	item.matchedBy = null;
	item.conflict = {
		code: conflict.code,
		hrIndexes: conflict.hrIndexes ?? defaults.hrIndexes,
		appIndexes: conflict.appIndexes ?? defaults.appIndexes,
	};
	return item;
}

function label(ctx: ItemContext, i: number): string {
	return personLabel(ctx.run.hr.people, i);
}

function statusPayload(ctx: ItemContext, value: unknown): RawRecord {
	const payload: RawRecord = {};
	if (ctx.statusPath) setPath(payload, ctx.statusPath, value);
	return payload;
}

function currentStatus(ctx: ItemContext, j: number): unknown {
	const { getStatus } = ctx.run.app;
	return getStatus ? (getStatus(ctx.run.appItems[j]) ?? null) : null;
}

/**
 * The leaver action for app user j: a pending invitation is withdrawn (removed), a
 * deactivated user stays as it is unless Leaver Action is Remove, any other user is
 * deactivated or removed as Leaver Action says.
 */
function leaverItem(ctx: ItemContext, i: number, j: number, why: string): PlanItem {
	const status = ctx.run.app.status[j];
	const remove = ctx.run.cfg.leaverAction === 'remove';
	if (status === INVITED) {
		const reason = `${why} and has a pending invitation: withdraw the invitation.`;
		return planItem(ctx, 'remove', reason, i, j);
	}
	if (status === DEACTIVATED && !remove)
		return planItem(ctx, 'unchanged', `${why}; the app user is already deactivated.`, i, j);
	if (status === DEACTIVATED) {
		const reason = `${why}; the app user is deactivated and Leaver Action is Remove: remove.`;
		return planItem(ctx, 'remove', reason, i, j);
	}
	if (remove) return planItem(ctx, 'remove', `${why}: remove.`, i, j);
	const { statusPath, deactivatedValue } = ctx;
	return planItem(
		ctx,
		'deactivate',
		`${why}: deactivate.`,
		i,
		j,
		statusPath ? [{ field: statusPath, from: currentStatus(ctx, j), to: deactivatedValue }] : [],
		statusPath ? statusPayload(ctx, deactivatedValue) : null,
	);
}

/** Removes an expired invitation; marked so the removal rails do not count it. */
function expiredInvitationItem(
	ctx: ItemContext,
	reason: string,
	i: number,
	j: number,
	invitedOn: string,
): PlanItem {
	const item = planItem(ctx, 'remove', reason, i, j);
	item.expiredInvitation = { invitedOn };
	return item;
}

// ---------------------------------------------------------------- values for the target

/**
 * "First Last", or either alone when the other is empty; null when both are empty. Undefined
 * when HR left one of them out: a name half known is not written.
 */
function fullName(person: Person): string | null | undefined {
	const { firstName, lastName } = person;
	if (firstName === undefined || lastName === undefined) return undefined;
	return firstName && lastName ? `${firstName} ${lastName}` : (firstName ?? lastName ?? null);
}

/** What person i should have in `field` (undefined: HR says nothing, leave the field as it is). */
function desiredValue(ctx: ItemContext, field: TargetField, i: number): unknown {
	const person = ctx.run.hr.people[i];
	switch (field.from) {
		case 'jobIdList':
			return person.jobId === undefined ? undefined : person.jobId ? [person.jobId] : [];
		case 'orgIdList':
			return person.orgId === undefined ? undefined : person.orgId ? [person.orgId] : [];
		case 'fullName':
			return fullName(person);
		case 'managerAppId': {
			const link = ctx.managers[i]!;
			if (link.status === 'resolved') return link.appId;
			if (link.status === 'none') return link.externalId === undefined ? undefined : null;
			// Not resolvable now: the field is left as it is (and reported on the item).
			return undefined;
		}
		default:
			return person[field.from];
	}
}

/** The first required or identity field person i has no value for, to create the app user. */
function requiredMissingOnCreate(ctx: ItemContext, i: number): string | undefined {
	const { fields } = ctx.run.cfg.target;
	for (let f = 0; f < fields.length; f++) {
		if (ctx.mustHave[f] === 1 && isEmptyValue(desiredValue(ctx, fields[f], i)))
			return fields[f].app;
	}
	return undefined;
}

function missingFieldConflict(ctx: ItemContext, i: number, j: number, field: string): PlanItem {
	const { fields } = ctx.run.cfg.target;
	const f = fields.findIndex((candidate) => candidate.app === field);
	const targetField = fields[f];
	const note = targetField.requiredNote ? ` (${targetField.requiredNote})` : '';
	const what =
		ctx.identity[f] === 1 && !targetField.required
			? `the app's field "${field}", which users are matched on or log in with and which is never blanked`
			: `the app's required field "${field}"${note}`;
	const item = planItem(
		ctx,
		'conflict',
		`HR record ${label(ctx, i)} has no ${targetField.from} for ${what}: fix it in HR.`,
		i,
		j,
	);
	item.conflict = { code: 'missingRequiredField', hrIndexes: [i], appIndexes: j >= 0 ? [j] : [] };
	return item;
}

/** How the app user differs from HR in the compared fields, or that a required field is empty. */
type FieldDiff =
	| { kind: 'changed'; changes: Change[]; payload: RawRecord }
	| { kind: 'missingRequired'; field: string };

/** Compares person i with app user j field by field; undefined when nothing differs. */
function fieldDiff(ctx: ItemContext, i: number, j: number): FieldDiff | undefined {
	const { run, compared, mustHave, kinds, typed, personReaders } = ctx;
	const fields = run.cfg.target.fields;
	const getters = run.app.fieldGetters;
	const person: Person = run.hr.people[i];
	const raw = run.appItems[j];
	let changes: Change[] | undefined;
	let payload: RawRecord | undefined;
	for (let f = 0; f < fields.length; f++) {
		if (compared[f] === 0) continue;
		const field = fields[f];
		const from = field.from;
		let want: unknown;
		if (from === 'jobIdList' || from === 'orgIdList') {
			// Compared without building the one-element list, which is the usual case.
			const scalar = from === 'jobIdList' ? person.jobId : person.orgId;
			if (scalar === undefined) continue;
			if (scalar === null && mustHave[f] === 1)
				return { kind: 'missingRequired', field: field.app };
			if (sameSingletonList(scalar, getters[f](raw))) continue;
			want = scalar ? [scalar] : [];
		} else {
			const read = personReaders[f];
			want = read !== undefined ? read(person) : desiredValue(ctx, field, i);
			if (want === undefined) continue;
			if (mustHave[f] === 1 && isEmptyValue(want))
				return { kind: 'missingRequired', field: field.app };
			const kind = kinds[f];
			if (typed[f] === 0) {
				// Text, email and lists: the usual case, compared without the kind dispatch.
				if (sameValue(want, getters[f](raw), kind as 'text' | 'email' | 'set')) continue;
			} else {
				if (sameByKind(want, getters[f](raw), kind, run.cfg.timeZone)) continue;
				want = valueOfKind(want, kind);
			}
		}
		const have = getters[f](raw);
		(changes ??= []).push({ field: field.app, from: have ?? null, to: want });
		setPath((payload ??= {}), field.app, want);
	}
	return changes ? { kind: 'changed', changes, payload: payload! } : undefined;
}

// ---------------------------------------------------------------- people in scope

/** "started on 2026-03-01", "starts on … (within the 14-day invite lead time)", "is in HR". */
function startPhrase(ctx: ItemContext, person: Person): string {
	const start = person.startDate;
	if (!start) return 'is in HR';
	return start > ctx.run.cfg.asOf
		? `starts on ${start} (within the ${ctx.run.cfg.leadDays}-day invite lead time)`
		: `started on ${start}`;
}

/** A person in scope without an app user: the full create payload, or a conflict. */
function createItem(ctx: ItemContext, i: number): PlanItem {
	const missing = requiredMissingOnCreate(ctx, i);
	if (missing) return missingFieldConflict(ctx, i, -1, missing);
	const { target } = ctx.run.cfg;
	const payload: RawRecord = {};
	target.fields.forEach((field, f) => {
		const value = desiredValue(ctx, field, i);
		if (value !== undefined) setPath(payload, field.app, valueOfKind(value, ctx.kinds[f]));
	});
	if (target.createDefaults) Object.assign(payload, target.createDefaults);
	const person = ctx.run.hr.people[i];
	const reason = `${label(ctx, i)} ${startPhrase(ctx, person)} and has no app user: create.`;
	const item = planItem(ctx, 'create', reason, i, -1, [], payload);
	if (ctx.needsManager) item.manager = ctx.managers[i];
	return item;
}

/**
 * Whether person i found app user j by email alone: matched on email, and no external ID on
 * both sides that says they are the same person.
 */
function matchedByEmailAlone(ctx: ItemContext, i: number, j: number): boolean {
	const { run } = ctx;
	if (run.cfg.matchOn[run.matching.matchedBy[i]] !== 'email') return false;
	const ext = run.hr.extKeys[i];
	return ext === '' || ext !== run.app.extKeys[j];
}

/**
 * A deactivated app user matched by email alone: the email may have been given to a new hire,
 * who would inherit the old account if it were reactivated. A human confirms.
 */
function emailReuseConflict(ctx: ItemContext, i: number, j: number): PlanItem {
	const { run } = ctx;
	const user = appUserLabel(run.app, j);
	const ext = run.hr.people[i].externalId;
	const unconfirmed =
		run.app.extKeys[j] === ''
			? 'it carries no external ID'
			: 'the HR record has no external ID to confirm it';
	const same = ext
		? `set the app user's external ID to "${ext}"`
		: 'give the HR record and the app user the same external ID';
	const reason = `${label(ctx, i)} matches the deactivated app user ${user} by email alone (${unconfirmed}): the email may have been given to a new hire, who would get the old account and its history if it were reactivated. Check whether this is the same person: if so, ${same} (or turn on "Reactivate Users Matched by Email Only"); if not, change the old user's email so that a new user is created.`;
	const item = planItem(ctx, 'conflict', reason, i, j);
	item.matchedBy = null;
	item.conflict = { code: 'emailReuseOfDeactivatedUser', hrIndexes: [i], appIndexes: [j] };
	return item;
}

/** A person in scope with an app user: reactivate, update, unchanged, or a conflict. */
function matchedItem(ctx: ItemContext, i: number, j: number): PlanItem {
	const { run } = ctx;
	if (
		run.app.status[j] === DEACTIVATED &&
		!run.cfg.reactivateEmailOnlyMatches &&
		matchedByEmailAlone(ctx, i, j)
	)
		return emailReuseConflict(ctx, i, j);
	const diff = fieldDiff(ctx, i, j);
	if (diff?.kind === 'missingRequired') return missingFieldConflict(ctx, i, j, diff.field);
	const changes = diff?.changes;
	let item: PlanItem;
	if (run.app.status[j] === DEACTIVATED) {
		const statusChange: Change = {
			field: ctx.statusPath,
			from: currentStatus(ctx, j),
			to: ctx.activeValue,
		};
		const also = changes ? ` and update ${changes.map((c) => c.field).join(', ')}` : '';
		item = planItem(
			ctx,
			'reactivate',
			`${label(ctx, i)} ${startPhrase(ctx, run.hr.people[i])} and is back in HR, but the app user ${appUserLabel(run.app, j)} is deactivated: reactivate${also}.`,
			i,
			j,
			[statusChange, ...(changes ?? [])],
			{ ...statusPayload(ctx, ctx.activeValue), ...(diff?.payload ?? {}) },
		);
	} else if (changes) {
		const key = KEY_LABEL[run.cfg.matchOn[run.matching.matchedBy[i]]];
		const differ = changes.length > 1 ? 's differ' : ' differs';
		const reason = `Matched by ${key}; ${changes.length} managed field${differ}: ${changes.map((c) => c.field).join(', ')}.`;
		item = planItem(ctx, 'update', reason, i, j, changes, diff!.payload);
	} else {
		item = planItem(ctx, 'unchanged', ctx.unchangedReason[run.matching.matchedBy[i]], i, j);
	}
	if (ctx.needsManager) item.manager = ctx.managers[i];
	return item;
}

function waitItem(ctx: ItemContext, i: number, j: number): PlanItem {
	const start = ctx.run.hr.people[i].startDate!;
	const { leadDays } = ctx.run.cfg;
	if (j < 0) {
		const inviteFrom = addDays(start, -leadDays);
		const reason = `${label(ctx, i)} starts on ${start}: invited from ${inviteFrom} (invite lead time ${leadDays} days).`;
		return planItem(ctx, 'wait', reason, i, j);
	}
	const status = STATUS_NAMES[ctx.run.app.status[j]];
	const reason = `${label(ctx, i)} now starts on ${start}, after the invite lead time, but already has an app user (${status}): left alone.`;
	return planItem(ctx, 'wait', reason, i, j);
}

// ---------------------------------------------------------------- the two item lists

/** The plan item of HR person i, from their classification. */
export function personItem(ctx: ItemContext, i: number): PlanItem {
	const classification = ctx.classes[i];
	const { run } = ctx;
	const j = run.matching.candidate[i];
	switch (classification.kind) {
		case 'conflict':
			return conflictItem(ctx, i, j, classification.conflict, {
				hrIndexes: [i],
				appIndexes: j >= 0 ? [j] : [],
			});
		case 'superseded':
			return planItem(ctx, 'skip', classification.reason, i, -1);
		case 'protected': {
			const app = j >= 0 ? ` (app user ${appUserLabel(run.app, j)})` : '';
			const reason = `${label(ctx, i)} is on the protected list${app}: never touched.`;
			return planItem(ctx, 'ignore', reason, i, j);
		}
		case 'leaver': {
			const why = `${label(ctx, i)} has left (${classification.reason})`;
			if (j < 0)
				return planItem(ctx, 'skip', `${why}, and there is no app user: nothing to do.`, i, j);
			return leaverItem(ctx, i, j, why);
		}
		case 'expiredInvitation': {
			const { invitedOn } = classification;
			const { expiryMonths, asOf } = run.cfg;
			const reason = `The invitation of ${label(ctx, i)} is pending since ${invitedOn}, more than ${expiryMonths} months before ${asOf}: it expires and is sent again on a later run.`;
			return expiredInvitationItem(ctx, reason, i, j, invitedOn);
		}
		case 'wait':
			return waitItem(ctx, i, j);
		case 'inScope':
			return j < 0 ? createItem(ctx, i) : matchedItem(ctx, i, j);
	}
}

/** Where the item builders put their items: a plan's outputs (PlanBuckets), or a list. */
export interface ItemSink {
	push(item: PlanItem): unknown;
}

/**
 * One item per HR record, in HR order, each put in `into` as it is made (so the plan's outputs
 * are filled without a second pass over the items). The record used for a person with several
 * records says so at the end of its reason.
 */
export function personItems(ctx: ItemContext, into: ItemSink): void {
	const n = ctx.classes.length;
	const notes = ctx.run.matching.employmentNotes;
	for (let i = 0; i < n; i++) {
		const item = personItem(ctx, i);
		if (notes.size > 0 && item.action !== 'conflict') {
			const note = notes.get(i);
			if (note !== undefined) item.reason = `${item.reason} ${note}`;
		}
		into.push(item);
	}
}

/**
 * Scope "Only the People in the HR Input": an app user no HR item cleanly matched is left
 * alone, unless a record in the input claims it (then its conflict is reported).
 */
function outOfScopeItem(ctx: ItemContext, j: number): PlanItem {
	const { matching } = ctx.run;
	const conflict = matching.claims[j] > 0 ? matching.appConflicts.get(j) : undefined;
	if (conflict) return conflictItem(ctx, -1, j, conflict, { hrIndexes: [], appIndexes: [j] });
	const reason = `App user ${appUserLabel(ctx.run.app, j)} matches no one in the HR input, and Scope is "Only the People in the HR Input": left alone, not a leaver.`;
	return planItem(ctx, 'ignore', reason, -1, j);
}

/**
 * The item of app user j when nobody in HR cleanly matched it (undefined otherwise): a
 * conflict, protected, unmanaged (no external ID), an expired invitation, or a leaver; in
 * scope "Only the People in the HR Input", left alone.
 */
function appOnlyItem(ctx: ItemContext, j: number): PlanItem | undefined {
	const { run } = ctx;
	const { app, matching, cfg } = run;
	if (matching.cleanClaim[j] >= 0) return undefined;
	if (cfg.scope === 'inputOnly') return outOfScopeItem(ctx, j);
	const conflict = matching.appConflicts.get(j);
	if (conflict) return conflictItem(ctx, -1, j, conflict, { hrIndexes: [], appIndexes: [j] });
	const name = appUserLabel(app, j);
	if (app.protected[j] === 1) {
		const reason = `App user ${name} is on the protected list: never touched.`;
		return planItem(ctx, 'ignore', reason, -1, j);
	}
	const ext = app.extKeys[j];
	if (ext === '' && !cfg.manageUnmanaged) {
		const reason = `App user ${name} has no external ID and no HR match: not managed by this sync (an admin or service account; turn on "Manage Users Without External ID" to include it).`;
		return planItem(ctx, 'ignore', reason, -1, j);
	}
	const invitedOn = ext === '' ? expiredInvitationDate(run, j) : undefined;
	if (invitedOn !== undefined) {
		const reason = `The invitation of app user ${name} is pending since ${invitedOn}, more than ${cfg.expiryMonths} months before ${cfg.asOf}: it expires.`;
		return expiredInvitationItem(ctx, reason, -1, j, invitedOn);
	}
	const who = ext !== '' ? `External ID "${ext}" (app user ${name})` : `App user ${name}`;
	return leaverItem(ctx, -1, j, `${who} is no longer in HR`);
}

/** The items of the app users nobody in HR cleanly matched, in App order, put in `into`. */
export function appOnlyItems(ctx: ItemContext, into: ItemSink): void {
	for (let j = 0; j < ctx.run.appItems.length; j++) {
		const item = appOnlyItem(ctx, j);
		if (item) into.push(item);
	}
}
