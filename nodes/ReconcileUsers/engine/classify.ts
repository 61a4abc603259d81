/**
 * People mode, classify: where each HR person stands on the reference date, as a tagged
 * value. The item builders turn a classification into an action; nothing here builds items.
 */
import { appTimestampDate } from './dates';
import { type Conflict, INVITED } from './normalise';
import type { ResolvedPeopleConfig } from './peopleConfig';
import { type InvitationDates, type PeopleRun, isManagedAppUser } from './peopleRun';
import type { RawRecord } from './types';
import type { AppSide } from './normalise';
import { normaliseKey } from './values';

/** Where one HR person stands on the reference date. */
export type Classification =
	/** Matching found an ambiguity: reported, never acted on. */
	| { kind: 'conflict'; conflict: Conflict }
	/** Another HR record of the same person is used (a former employment, a repeat): skipped. */
	| { kind: 'superseded'; reason: string }
	/** On the protected list (the person's keys, or the matched app user's). */
	| { kind: 'protected' }
	/** No longer working: `reason` says why (end date passed, or an inactive HR status). */
	| { kind: 'leaver'; reason: string }
	/** Still employed, but the app user's pending invitation is older than the expiry age. */
	| { kind: 'expiredInvitation'; invitedOn: string }
	/** Starts after the invite lead time: not invited yet. */
	| { kind: 'wait' }
	/** Employed and within the invite lead time: create, update, reactivate or leave as is. */
	| { kind: 'inScope' };

// The classifications without data are shared values (read, never changed).
const PROTECTED: Classification = Object.freeze({ kind: 'protected' });
const WAIT: Classification = Object.freeze({ kind: 'wait' });
const IN_SCOPE: Classification = Object.freeze({ kind: 'inScope' });

/** Reads the send date of every pending invitation (empty when invitation expiry is off). */
export function readInvitationDates(
	cfg: ResolvedPeopleConfig,
	app: AppSide,
	appItems: RawRecord[],
): InvitationDates {
	const dates = new Map<number, string | null>();
	const { getInvitedAt } = app;
	if (!cfg.invitationCutoff || !getInvitedAt) return dates;
	for (let j = 0; j < appItems.length; j++) {
		if (app.status[j] !== INVITED) continue;
		dates.set(j, appTimestampDate(getInvitedAt(appItems[j]), cfg.timeZone) ?? null);
	}
	return dates;
}

/** The send date of app user j's invitation when it is older than the expiry age. */
export function expiredInvitationDate(run: PeopleRun, j: number): string | undefined {
	if (run.invitations.size === 0) return undefined;
	const invitedOn = run.invitations.get(j);
	return invitedOn && invitedOn < run.cfg.invitationCutoff! ? invitedOn : undefined;
}

function isProtectedPerson(run: PeopleRun, i: number, j: number): boolean {
	if (j >= 0 && run.app.protected[j] === 1) return true;
	const { protectedKeys } = run.cfg;
	if (protectedKeys.size === 0) return false;
	const { extKeys, emailKeys } = run.hr;
	return (
		(extKeys[i] !== '' && protectedKeys.has(extKeys[i])) ||
		(emailKeys[i] !== '' && protectedKeys.has(emailKeys[i]))
	);
}

/**
 * Why person i is a leaver on the reference date, or undefined. An item with the deletion
 * marker is a leaver (deleted in HR). An end date before the reference date makes a leaver
 * (the end date itself is the last working day). So does an
 * inactive HR status, except for people who have not started yet: HiBob reports new hires as
 * Inactive with lifecycle status Hired until their start date.
 */
function leaverReason(run: PeopleRun, i: number): string | undefined {
	if (run.hr.deletedCount > 0 && run.hr.deleted[i] === 1) return 'deleted in HR';
	const person = run.hr.people[i];
	const { asOf } = run.cfg;
	const end = person.endDate;
	if (end && end < asOf) return `end date ${end} is before the reference date ${asOf}`;
	if (run.cfg.source.fields.status === undefined || !person.status) return undefined;
	if (!run.cfg.inactiveStatuses.has(normaliseKey(person.status))) return undefined;
	// HiBob's documentation does not say how lifecycle values are cased in the API: compared
	// case-insensitively, and the values are a setting.
	const lifecycle = person.lifecycleStatus ? normaliseKey(person.lifecycleStatus) : '';
	const start = person.startDate;
	const preStart =
		run.cfg.preStartStatuses.has(lifecycle) ||
		(start !== undefined && start !== null && start > asOf);
	if (preStart) return undefined;
	return `HR status is ${person.status}${person.lifecycleStatus ? ` (${person.lifecycleStatus})` : ''}`;
}

/**
 * Classifies person i. The order decides: a conflict, then a record not used for its person,
 * then protection, then leaving, then an expired invitation, then the start date against the
 * invite lead time.
 */
export function classifyPerson(run: PeopleRun, i: number): Classification {
	const { matching } = run;
	const conflict = matching.hrConflicts.size > 0 ? matching.hrConflicts.get(i) : undefined;
	if (conflict) return { kind: 'conflict', conflict };
	const superseded = matching.superseded.size > 0 ? matching.superseded.get(i) : undefined;
	if (superseded !== undefined) return { kind: 'superseded', reason: superseded };
	const j = matching.candidate[i];
	if (isProtectedPerson(run, i, j)) return PROTECTED;
	const reason = leaverReason(run, i);
	if (reason !== undefined) return { kind: 'leaver', reason };
	if (j >= 0) {
		const invitedOn = expiredInvitationDate(run, j);
		if (invitedOn !== undefined) return { kind: 'expiredInvitation', invitedOn };
	}
	const start = run.hr.people[i].startDate;
	if (start && start > run.cfg.leadLimit) return WAIT;
	return IN_SCOPE;
}

/** One classification per HR record, in HR order. */
export function classifyPeople(run: PeopleRun): Classification[] {
	const n = run.hr.people.length;
	const classes: Classification[] = new Array(n);
	for (let i = 0; i < n; i++) classes[i] = classifyPerson(run, i);
	return classes;
}

/**
 * A warning when pending invitations have no readable send date (they can never expire).
 * Counted among the invitations expiry applies to: those of managed app users, except the
 * users of leavers and of protected people.
 */
export function undatedInvitationWarning(
	run: PeopleRun,
	classes: Classification[],
): string | undefined {
	let count = 0;
	for (const [j, invitedOn] of run.invitations) {
		if (invitedOn !== null || !isManagedAppUser(run, j)) continue;
		const i = run.matching.cleanClaim[j];
		if (i >= 0 && (classes[i].kind === 'leaver' || classes[i].kind === 'protected')) continue;
		count++;
	}
	if (count === 0) return undefined;
	return `${count} pending invitation${count > 1 ? 's have' : ' has'} no readable "${run.cfg.target.invitedAtPath}": they never expire.`;
}
