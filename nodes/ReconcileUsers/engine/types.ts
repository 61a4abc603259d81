/**
 * Types of the reconcile engine: what goes in (records + config) and what comes out (a plan).
 * The engine is pure: no n8n imports, no clock, no I/O (see index.ts).
 */

/** One input item's JSON, as the HR system or the app delivered it. */
export type RawRecord = Record<string, unknown>;

/** Logical HR fields a source mapping can fill (the normaliser relies on this order). */
export const PERSON_FIELDS = [
	'externalId',
	'email',
	'firstName',
	'lastName',
	'language',
	'startDate',
	'endDate',
	'status',
	'lifecycleStatus',
	'jobId',
	'jobName',
	'orgId',
	'orgName',
	'managerExternalId',
	'managerEmail',
] as const;
export type PersonField = (typeof PERSON_FIELDS)[number];

/** The normalised HR record: trimmed text, lower-cased email, dates as `YYYY-MM-DD`. */
export type Person = { [K in PersonField]?: string | null };

/** Keys people and app users are matched on. */
export type MatchKey = 'externalId' | 'email';

export interface FieldPath {
	/** Dot path; several paths are alternatives (the first one present on an item wins). */
	paths: string[];
	/** An optional field missing on every item gives a warning instead of an error. */
	optional?: boolean;
	/** A name prefix put in front of the value ("van der" + "Berg"). */
	prefixPath?: string;
}

/** Where each logical HR field lives in the HR items. */
export interface SourceMapping {
	name: string;
	label: string;
	fields: Partial<Record<PersonField, FieldPath>>;
	/**
	 * Dot path of the deletion marker (default `deleted`): an HR item on which it is `true`
	 * (or `"true"`) stands for someone deleted in HR. Such an item carries only the key(s) and
	 * the marker; it is a leaver, never a person with empty fields.
	 */
	deletedPath?: string;
}

export type SourcePresetName = 'afasMobieTrain' | 'afasProfitEmployees' | 'hibob';
export type TargetPresetName = 'mobieTrain' | 'declaree' | 'oneteam' | 'scim';

/** How the app tells active, invited and deactivated users apart. */
export type StatusModel =
	| { type: 'enum'; path: string; active: string; invited?: string; deactivated: string }
	| { type: 'boolean'; path: string }
	| { type: 'none' };

/** A value the target app stores, computed from the person. */
export type TargetValueSource =
	| PersonField
	/** The app user id of the person's manager (resolved by the engine). */
	| 'managerAppId'
	/** `[jobId]` or `[]`: the job's group (by its HR key). */
	| 'jobIdList'
	/** `[orgId]` or `[]`: the organisation's store (by its HR key). */
	| 'orgIdList'
	/** `firstName lastName`, either alone when the other is empty (SCIM displayName). */
	| 'fullName';

/**
 * How a target field's HR value and app value are compared (the field's kind):
 * - `text`: trimmed, Unicode-normalised, invisible characters dropped; numbers and booleans as text;
 * - `email`: as text, case-insensitive;
 * - `set`: a list, order- and duplicate-insensitive;
 * - `number`: `1004` equals `"1004"` and `"1004.0"`;
 * - `boolean`: `true` equals `"true"`, `"1"` and `"yes"`;
 * - `date`: the calendar date (`2025-04-01` equals `2025-04-01T00:00:00.000Z`, and midnight of that
 *   day in the run's time zone);
 * - `dateTime`: the same instant (values without an offset read in the run's time zone).
 * Unset: guessed from the HR field (dates as `date`, emails as `email`, ID lists as `set`, else `text`).
 */
export type CompareAs = 'text' | 'email' | 'set' | 'number' | 'boolean' | 'date' | 'dateTime';

export interface TargetField {
	/** Field name in the app user and in the payload (dot path for custom targets). */
	app: string;
	from: TargetValueSource;
	compare?: CompareAs;
	/** Set on create, never overwritten afterwards (the user may change it in the app). */
	createOnly?: boolean;
	/** Create/update is a conflict when the value is empty (e.g. the email an invitation goes to). */
	required?: boolean;
	/** Why the app requires it, added to that conflict's reason (Oneteam: one community per user). */
	requiredNote?: string;
	/**
	 * The field identifies the user: it is used to match or to log in (a username, SCIM
	 * `userName`). Never blanked: an empty HR value is a conflict, as for a required field. The
	 * fields at the target's `externalIdPath` and `emailPath` are identity fields whether or not
	 * this is set.
	 */
	identity?: boolean;
}

/** Something (group, store, community, function) that must exist before users reference it. */
export interface CreateFirstKind {
	kind: string;
	/** Where app users reference it (collected to know which ones exist already). */
	appField: string;
	/** HR field holding its key (the reference value) and its display name. */
	keyFrom: PersonField;
	nameFrom: PersonField;
}

export interface TargetProfile {
	name: string;
	label: string;
	idPath: string;
	externalIdPath: string;
	emailPath: string;
	status: StatusModel;
	/** When the pending invitation was sent (ISO date or date-time); enables invitation expiry. */
	invitedAtPath?: string;
	fields: TargetField[];
	/** Extra payload values on create (e.g. `enabled: true`). */
	createDefaults?: RawRecord;
	createFirst?: CreateFirstKind[];
	/**
	 * `scim`: the App input holds SCIM resources (read through targets/scim.ts) and the payloads
	 * are SCIM User resources and PatchOp messages. Unset: plain JSON by field path.
	 */
	form?: 'scim';
}

/** Where SCIM Groups are named after: the HR job or the HR organisation. */
export type GroupSource = 'job' | 'org';

export type LeaverAction = 'deactivate' | 'remove';

/**
 * Which app users the HR input speaks for.
 * - `everyone`: the HR input is the whole population; an app user HR does not have is a leaver.
 * - `inputOnly`: only the people (records) in the HR input, e.g. the items of a trigger: app
 *   users no HR item matches are left alone (`ignore`); a deleted person arrives as an item
 *   with the deletion marker.
 */
export type Scope = 'everyone' | 'inputOnly';

/**
 * Removal limits. The removal rail trips only when a run's deactivations and removals (HR
 * driven; expired invitations not counted) exceed both `maxRemovals` and `maxRemovalPercent`
 * of the managed app users: the limit is the larger of the two, so it grows with the company.
 * Whatever the count, more than max(50, `maxRemovalPercent`) % of the managed users removed for
 * their absence from HR (no end date, no deletion marker) also trips it. In scope `inputOnly`
 * the percentages do not apply (the App input may be partial).
 */
export interface SafetyRails {
	/** Removals always allowed in one run (the limit of a small company). */
	maxRemovals?: number;
	/** Removals allowed as a percentage of the managed app users (the limit of a large one). */
	maxRemovalPercent?: number;
	/** HR input smaller than this percentage of the managed app users blocks every removal. */
	minHrPercent?: number;
}

interface CommonConfig {
	/** Reference date `YYYY-MM-DD` (today in the workflow's time zone unless simulating). */
	asOf: string;
	/** IANA zone used to read app timestamps such as `invitedAt`. */
	timeZone?: string;
	leaverAction?: LeaverAction;
	/** Emails, external IDs or app IDs of users never to touch. */
	protectedUsers?: string[];
	/** Also manage app users that carry no external ID and match nobody in HR. */
	manageUnmanaged?: boolean;
	rails?: SafetyRails;
	/** Which app users the HR input speaks for (default `everyone`). */
	scope?: Scope;
}

export interface PeopleConfig extends CommonConfig {
	mode?: 'people';
	source: SourcePresetName | SourceMapping;
	target: TargetPresetName | TargetProfile;
	/** Match keys in precedence order (default external ID, then email). */
	matchOn?: MatchKey[];
	/** Invite people this many days before their start date (default 0). */
	inviteLeadDays?: number;
	/** Pending invitations older than this many months expire (default 6; 0 = never). */
	invitationExpiryMonths?: number;
	/** App fields set on create only, on top of the preset's own (MobieTrain: language). */
	extraCreateOnlyFields?: string[];
	/** HR status values that mean "no longer working" (default `inactive`, case-insensitive). */
	inactiveStatuses?: string[];
	/** Lifecycle statuses of people who have not started yet (HiBob `Hired`; default `hired`). */
	preStartLifecycleStatuses?: string[];
	/**
	 * Reactivate a deactivated app user that carries no external ID when it matches a person by
	 * email alone (default false: such a match is an `emailReuseOfDeactivatedUser` conflict,
	 * because the email may have been given to a new hire).
	 */
	reactivateEmailOnlyMatches?: boolean;
	/**
	 * SCIM target only: manage SCIM Groups named after the HR job and/or organisation
	 * (externalId = the HR code). The App input then carries the app's Groups after its Users.
	 */
	groupsFrom?: GroupSource[];
}

export interface RecordsConfig extends CommonConfig {
	mode: 'records';
	/** What the records are, for reasons ("community", "function", "group"). */
	kind: string;
	hrKey: string;
	appKey: string;
	/** App record id (for update/remove); default `id`. */
	appId?: string;
	/** Unset `compare`: arrays as lists, objects as JSON, anything else as text. */
	fields: Array<{ hr: string; app: string; createOnly?: boolean; compare?: CompareAs }>;
	/** Dot path of the deletion marker on HR items (default `deleted`): a deleted record is removed. */
	deletedPath?: string;
}

export type ReconcileConfig = PeopleConfig | RecordsConfig;

export type Action =
	| 'create'
	| 'update'
	| 'reactivate'
	| 'deactivate'
	| 'remove'
	| 'unchanged'
	| 'wait'
	| 'skip'
	| 'ignore'
	| 'conflict'
	| 'createFirst';

/** SCIM group membership changes (Groups From): one PatchOp on `PATCH /Groups/{id}` each. */
export type MembershipAction = 'groupAdd' | 'groupRemove';

export interface Change {
	field: string;
	from: unknown;
	to: unknown;
}

export type ConflictCode =
	| 'missingKey'
	| 'duplicateHrKey'
	| 'duplicateAppKey'
	| 'multipleAppMatches'
	| 'multipleHrMatches'
	| 'externalIdMismatch'
	| 'claimedByConflict'
	| 'invalidDate'
	| 'unknownAppStatus'
	| 'missingRequiredField'
	| 'emailReuseOfDeactivatedUser';

export interface ManagerLink {
	status: 'resolved' | 'createdInThisRun' | 'notInScope' | 'none';
	externalId?: string | null;
	email?: string | null;
	appId?: string | null;
}

/** A SCIM Group a membership or create-first item is about. */
export interface GroupRef {
	/** The group's SCIM id (null for a group still to be created). */
	id: string | null;
	displayName: string;
	/** The HR code (job or organisation) the group stands for. */
	externalId: string;
	from: GroupSource;
}

/** One user a membership item adds to or removes from a group. */
export interface GroupMember {
	/** The user's SCIM id. */
	appId: string;
	hrIndex: number;
	externalId: string | null;
	email: string | null;
}

export interface PlanItem {
	action: Action | MembershipAction;
	/** One readable sentence: why this action. */
	reason: string;
	/** Which key paired the HR record with the app user (null when unmatched). */
	matchedBy: MatchKey | 'key' | null;
	/** Normalised HR record (null for app-only items). */
	hr: Person | RawRecord | null;
	/** The app user as the App input delivered it (null when there is none). */
	app: RawRecord | null;
	/** App user id (the one to update / deactivate / remove). */
	appId: string | null;
	changes: Change[];
	/** Ready request body for the target (create: full; update: changed fields; remove: null). */
	payload: RawRecord | null;
	/** Index of the HR item this comes from, or -1. */
	hrIndex: number;
	/** Index of the App item this comes from, or -1. */
	appIndex: number;
	/** For `createFirst` items: group, store, community, function. */
	kind?: string;
	/** For `createFirst` items: how many planned users need it. */
	neededBy?: number;
	/** For `createFirst` items: how many of those are updates (the rest are creates). */
	neededByUpdates?: number;
	conflict?: { code: ConflictCode; hrIndexes?: number[]; appIndexes?: number[] };
	manager?: ManagerLink;
	/**
	 * For the removal of an expired invitation: when it was sent (`YYYY-MM-DD`). Such a removal
	 * is not caused by the HR data, so Max Removals and Max Removals (%) do not count it.
	 */
	expiredInvitation?: { invitedOn: string };
	/** SCIM groups: the group a `groupAdd` / `groupRemove` / `createFirst` item is about. */
	group?: GroupRef;
	/** For `groupAdd` / `groupRemove`: the group's SCIM id, and the users' SCIM ids. */
	groupId?: string;
	memberIds?: string[];
	members?: GroupMember[];
}

export interface Blocked {
	/** `maxRemovals`: more removals than both Max Removals and Max Removals (%) allow. */
	rail: 'emptyHr' | 'smallHr' | 'maxRemovals';
	message: string;
	detail: string;
}

export interface Summary {
	asOf: string;
	mode: 'people' | 'records';
	scope: Scope;
	hrItems: number;
	appItems: number;
	/**
	 * The base of the percentage rails: app users (records) this sync manages, not protected,
	 * not in conflict and, in people mode, not deactivated already.
	 */
	managedAppUsers: number;
	/** Deactivations and removals the rails count (invitation expiry excluded). */
	removals: number;
	/** Per action; `groupAdd` / `groupRemove` only when SCIM groups are managed. */
	counts: Record<Action, number> & Partial<Record<MembershipAction, number>>;
	blocked: Blocked | null;
	warnings: string[];
}

export interface Plan {
	createFirst: PlanItem[];
	create: PlanItem[];
	/** update and reactivate (then, with SCIM groups, groupAdd and groupRemove) */
	update: PlanItem[];
	/** deactivate and remove */
	remove: PlanItem[];
	/** unchanged, wait, skip, ignore */
	unchanged: PlanItem[];
	conflicts: PlanItem[];
	summary: Summary;
	blocked: Blocked | null;
	warnings: string[];
}

/** Thrown for a config that cannot work (bad preset, a mapped field missing on every item). */
export class ReconcileConfigError extends Error {
	constructor(
		message: string,
		readonly hint: string,
	) {
		super(message);
		this.name = 'ReconcileConfigError';
	}
}
