/**
 * People mode, the per-call context: what the steps after matching read. Made once per
 * `reconcile()` call and never changed afterwards; nothing in people mode outlives a call.
 */
import type { Matching } from './match';
import type { AppSide, HrSide } from './normalise';
import type { ResolvedPeopleConfig } from './peopleConfig';
import type { ScimAppInput } from './targets/scim';
import type { RawRecord } from './types';
import type { PathReaders } from './values';

/**
 * Send dates of the pending invitations, per invited app user index: the calendar date
 * (`YYYY-MM-DD` in the run's time zone), or null when it cannot be read. Empty when
 * invitation expiry is off or the target has no invitation date.
 */
export type InvitationDates = ReadonlyMap<number, string | null>;

/** The per-call context of people mode: the resolved settings and both sides, matched. */
export interface PeopleRun {
	cfg: ResolvedPeopleConfig;
	/**
	 * The App input as delivered (plan items point at these records); with the SCIM target, the
	 * users' flat views (`scim` keeps the resources and the groups).
	 */
	appItems: RawRecord[];
	/** The SCIM target's App input, split into users and groups (undefined for other targets). */
	scim?: ScimAppInput;
	hr: HrSide;
	app: AppSide;
	matching: Matching;
	invitations: InvitationDates;
	readers: PathReaders;
}

/**
 * Whether app user j is managed by this sync: not a conflict, not protected, and either
 * matched to someone in HR or carrying an external ID (or all users are managed). The
 * percentage rails are relative to the managed users.
 */
export function isManagedAppUser(run: PeopleRun, j: number): boolean {
	const { app, matching } = run;
	const { appConflicts } = matching;
	if ((appConflicts.size > 0 && appConflicts.has(j)) || app.protected[j] === 1) return false;
	return matching.cleanClaim[j] >= 0 || app.extKeys[j] !== '' || run.cfg.manageUnmanaged;
}
