/**
 * People mode, normalise: both sides read once. HR records become fixed-shape Person records
 * (trimmed text, lower-cased email, dates as written) with their match keys and deletion
 * markers; app users become parallel arrays of ids, keys and statuses. Every mapped path is
 * checked on the HR items that are not deletion markers: a required one missing on all of
 * them throws, an optional one gives a warning.
 */
import {
	type ConflictCode,
	type Person,
	type RawRecord,
	type SourceMapping,
	type StatusModel,
	type TargetProfile,
	PERSON_FIELDS,
	ReconcileConfigError,
} from './types';
import {
	type Getter,
	type PathReaders,
	INVALID_DATE,
	normaliseKey,
	normaliseText,
	parseHrDate,
} from './values';

/** App user status codes (kept in a Uint8Array per app side). */
const ACTIVE = 0;
export const INVITED = 1;
export const DEACTIVATED = 2;
const UNKNOWN_STATUS = 3;
export const STATUS_NAMES = ['active', 'invited', 'deactivated'];

/** Why a record or app user cannot be acted on; becomes a `conflict` plan item. */
export interface Conflict {
	code: ConflictCode;
	reason: string;
	hrIndexes?: number[];
	appIndexes?: number[];
}

/** The HR items normalised: one Person and its match keys per item, in HR order. */
export interface HrSide {
	people: Person[];
	/** Normalised match keys per record ('' when empty). */
	extKeys: string[];
	emailKeys: string[];
	/** Records with an unreadable date, and why. */
	badDate: Map<number, string>;
	/** 1 for items that carry the deletion marker: deleted in HR, leavers. */
	deleted: Uint8Array;
	/** How many items carry the deletion marker. */
	deletedCount: number;
	warnings: string[];
}

/** The app users normalised, as parallel arrays in App order (index j). */
export interface AppSide {
	ids: string[];
	extKeys: string[];
	emailKeys: string[];
	/** ACTIVE, INVITED, DEACTIVATED or UNKNOWN_STATUS per user. */
	status: Uint8Array;
	/** 1 for users on the protected list. */
	protected: Uint8Array;
	/** App users that are conflicts on their own (unknown status; matching adds duplicates). */
	conflicts: Map<number, Conflict>;
	/** Getters of the target's fields, in target.fields order. */
	fieldGetters: Getter[];
	getStatus: Getter | undefined;
	getInvitedAt: Getter | undefined;
}

function describePaths(paths: string[]): string {
	return paths.map((path) => `"${path}"`).join(' or ');
}

/** "Jan Jansen (external ID 1001)", for reasons. */
export function personLabel(people: Person[], i: number): string {
	const person = people[i];
	const name = person.firstName
		? person.lastName
			? `${person.firstName} ${person.lastName}`
			: person.firstName
		: (person.lastName ?? '');
	const id = person.externalId
		? `external ID ${person.externalId}`
		: person.email
			? person.email
			: `HR item ${i + 1}`;
	return name ? `${name} (${id})` : id;
}

/** `"u17"` (the app id), else the email, else `#18` (the App item number), for reasons. */
export function appUserLabel(app: AppSide, j: number): string {
	return app.ids[j] !== ''
		? `"${app.ids[j]}"`
		: app.emailKeys[j] !== ''
			? app.emailKeys[j]
			: `#${j + 1}`;
}

// ---------------------------------------------------------------- HR side

/**
 * Reads the mapped HR fields of one record at a time, in PERSON_FIELDS order (field number
 * `f`), and notes which fields were seen on any record and which records have a bad date.
 */
class HrFieldReader {
	readonly seen = new Uint8Array(PERSON_FIELDS.length);
	/** Sparse: a 100,000-slot array per note costs more than it holds. */
	readonly badDate = new Map<number, string>();

	constructor(
		private readonly getters: ReadonlyArray<Getter | undefined>,
		private readonly prefixGetters: ReadonlyArray<Getter | undefined>,
	) {}

	text(f: number, raw: RawRecord): string | null | undefined {
		const get = this.getters[f];
		if (get === undefined) return undefined;
		const value = get(raw);
		if (value === undefined) return undefined;
		this.seen[f] = 1;
		const prefix = this.prefixGetters[f];
		if (prefix !== undefined) {
			const before = normaliseText(prefix(raw));
			const text = normaliseText(value);
			return before && text ? `${before} ${text}` : text;
		}
		return normaliseText(value);
	}

	email(f: number, raw: RawRecord): string | null | undefined {
		const get = this.getters[f];
		if (get === undefined) return undefined;
		const value = get(raw);
		if (value === undefined) return undefined;
		this.seen[f] = 1;
		return normaliseKey(value) || null;
	}

	/** A bad date reads as null and is noted for record `i` (it becomes a conflict). */
	date(f: number, raw: RawRecord, i: number): string | null | undefined {
		const get = this.getters[f];
		if (get === undefined) return undefined;
		const value = get(raw);
		if (value === undefined) return undefined;
		this.seen[f] = 1;
		const date = parseHrDate(value);
		if (date !== INVALID_DATE) return date;
		this.badDate.set(
			i,
			`${PERSON_FIELDS[f]} "${String(value)}" is not a date (expected YYYY-MM-DD, optionally followed by a time)`,
		);
		return null;
	}

	/** The record as a Person: a fixed shape (PERSON_FIELDS order) is fast to build and read. */
	person(raw: RawRecord, i: number): Person {
		return {
			externalId: this.text(0, raw),
			email: this.email(1, raw),
			firstName: this.text(2, raw),
			lastName: this.text(3, raw),
			language: this.text(4, raw),
			startDate: this.date(5, raw, i),
			endDate: this.date(6, raw, i),
			status: this.text(7, raw),
			lifecycleStatus: this.text(8, raw),
			jobId: this.text(9, raw),
			jobName: this.text(10, raw),
			orgId: this.text(11, raw),
			orgName: this.text(12, raw),
			managerExternalId: this.text(13, raw),
			managerEmail: this.email(14, raw),
		};
	}
}

/** Checks the mapping and compiles one getter (and prefix getter) per logical field. */
function compileSource(source: SourceMapping, readers: PathReaders): HrFieldReader {
	for (const field of Object.keys(source.fields)) {
		if (!(PERSON_FIELDS as readonly string[]).includes(field)) {
			throw new ReconcileConfigError(
				`Unknown HR field "${field}" in the HR mapping`,
				`Use the logical fields: ${PERSON_FIELDS.join(', ')}.`,
			);
		}
	}
	const getters: Array<Getter | undefined> = [];
	const prefixGetters: Array<Getter | undefined> = [];
	for (const field of PERSON_FIELDS) {
		const spec = source.fields[field];
		if (
			spec &&
			(!spec.paths.length ||
				spec.paths.some((path) => typeof path !== 'string' || path.trim() === ''))
		) {
			throw new ReconcileConfigError(
				`The HR field ${field} has an empty path`,
				'Give the dot path of the field in the HR items, or remove it.',
			);
		}
		getters.push(spec ? readers.firstOf(spec.paths.map((path) => path.trim())) : undefined);
		prefixGetters.push(spec?.prefixPath ? readers.path(spec.prefixPath) : undefined);
	}
	return new HrFieldReader(getters, prefixGetters);
}

/** A mapped field seen on no HR item: an error when required, a warning when optional. */
function unseenSourceFieldWarnings(
	source: SourceMapping,
	seen: Uint8Array,
	itemCount: number,
): string[] {
	const warnings: string[] = [];
	if (itemCount === 0) return warnings;
	for (let f = 0; f < PERSON_FIELDS.length; f++) {
		const field = PERSON_FIELDS[f];
		const spec = source.fields[field];
		if (seen[f] || !spec) continue;
		const message = `HR field ${describePaths(spec.paths)} (${field}) is missing on all ${itemCount} HR items`;
		if (spec.optional) warnings.push(`${message}: it is not synced.`);
		else {
			throw new ReconcileConfigError(
				message,
				`Check the HR Source setting (${source.label}) and the node that reads HR: the field must be in its output (null is fine). In Custom mode, fix or clear the path for ${field}.`,
			);
		}
	}
	return warnings;
}

/** The deletion marker's path when the mapping names none. */
export const DEFAULT_DELETED_PATH = 'deleted';

/** Whether a deletion marker value says "deleted": `true`, or the text `true`. */
export function isDeletionMarker(value: unknown): boolean {
	return value === true || (typeof value === 'string' && normaliseKey(value) === 'true');
}

/** The getter of the deletion marker; throws for an empty path. */
function deletionMarker(source: SourceMapping, readers: PathReaders): Getter {
	const path = source.deletedPath ?? DEFAULT_DELETED_PATH;
	if (typeof path !== 'string' || path.trim() === '') {
		throw new ReconcileConfigError(
			`The deletion marker path of the HR mapping "${source.label}" is empty`,
			`Give the dot path of the flag that marks someone deleted in HR, or leave it out for "${DEFAULT_DELETED_PATH}".`,
		);
	}
	return readers.path(path.trim());
}

/**
 * HR items → Person records, their match keys and deletion markers. Throws
 * ReconcileConfigError for a bad mapping. The mapped fields are checked on the items without
 * the marker: an item for someone deleted in HR carries only the key(s).
 */
export function normaliseHr(
	hrItems: RawRecord[],
	source: SourceMapping,
	readers: PathReaders,
): HrSide {
	const n = hrItems.length;
	const reader = compileSource(source, readers);
	const getDeleted = deletionMarker(source, readers);
	const people: Person[] = new Array(n);
	const extKeys: string[] = new Array(n);
	const emailKeys: string[] = new Array(n);
	const deleted = new Uint8Array(n);
	let deletedCount = 0;
	for (let i = 0; i < n; i++) {
		const raw = hrItems[i];
		const person = reader.person(raw, i);
		people[i] = person;
		extKeys[i] = person.externalId ? normaliseKey(person.externalId) : '';
		emailKeys[i] = person.email ?? '';
		if (isDeletionMarker(getDeleted(raw))) {
			deleted[i] = 1;
			deletedCount++;
		}
	}
	const warnings = unseenSourceFieldWarnings(source, reader.seen, n - deletedCount);
	return { people, extKeys, emailKeys, badDate: reader.badDate, deleted, deletedCount, warnings };
}

// ---------------------------------------------------------------- app side

/** An enum status model's values, case-folded, for reading statuses fast. */
interface EnumStatus {
	active: string;
	invited: string;
	deactivated: string;
	/** The active value as the target writes it: the usual value, compared without folding. */
	activeAsWritten: string;
}

function enumStatusOf(model: StatusModel): EnumStatus | undefined {
	if (model.type !== 'enum') return undefined;
	return {
		active: normaliseKey(model.active),
		invited: model.invited ? normaliseKey(model.invited) : '\u0000',
		deactivated: normaliseKey(model.deactivated),
		activeAsWritten: model.active,
	};
}

/** ACTIVE, INVITED, DEACTIVATED or UNKNOWN_STATUS for a status value (enum or boolean model). */
function statusCode(value: unknown, enumStatus: EnumStatus | undefined): number {
	if (enumStatus) {
		const text = value === enumStatus.activeAsWritten ? enumStatus.active : normaliseKey(value);
		if (text === enumStatus.active) return ACTIVE;
		if (text === enumStatus.invited) return INVITED;
		if (text === enumStatus.deactivated) return DEACTIVATED;
		return UNKNOWN_STATUS;
	}
	if (value === true || value === 'true') return ACTIVE;
	if (value === false || value === 'false') return DEACTIVATED;
	// The text "True" / "False" (any case, trimmed): apps built for Entra ID send booleans that way.
	if (typeof value === 'string') {
		const text = value.trim().toLowerCase();
		if (text === 'true') return ACTIVE;
		if (text === 'false') return DEACTIVATED;
	}
	return UNKNOWN_STATUS;
}

function isProtectedUser(app: AppSide, j: number, protectedKeys: Set<string>): boolean {
	return (
		protectedKeys.has(normaliseKey(app.ids[j])) ||
		(app.extKeys[j] !== '' && protectedKeys.has(app.extKeys[j])) ||
		(app.emailKeys[j] !== '' && protectedKeys.has(app.emailKeys[j]))
	);
}

/** Which of the target's paths were present on at least one App item. */
interface AppPathsSeen {
	id: boolean;
	ext: boolean;
	email: boolean;
	status: boolean;
	fields: Uint8Array;
}

/** A path present on no App item is an error that names it (create-only fields excepted). */
function checkAppPathsSeen(
	target: TargetProfile,
	createOnly: Set<string>,
	seen: AppPathsSeen,
	itemCount: number,
): void {
	if (itemCount === 0) return;
	const missing: string[] = [];
	if (!seen.id) missing.push(`"${target.idPath}" (app user id)`);
	if (!seen.ext) missing.push(`"${target.externalIdPath}" (external ID)`);
	if (!seen.email) missing.push(`"${target.emailPath}" (email)`);
	if (target.status.type !== 'none' && !seen.status)
		missing.push(`"${target.status.path}" (status)`);
	target.fields.forEach((field, f) => {
		if (
			!seen.fields[f] &&
			!createOnly.has(field.app) &&
			!missing.some((entry) => entry.startsWith(`"${field.app}"`))
		) {
			missing.push(`"${field.app}"`);
		}
	});
	if (missing.length > 0) {
		throw new ReconcileConfigError(
			`App field${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing on all ${itemCount} App items`,
			`The App input must be the app's users in the ${target.label} shape (null values are fine). Check the node that lists the app users, or choose another App Target.`,
		);
	}
}

/**
 * App users → parallel arrays of ids, match keys, statuses and protection. An unknown status
 * is a conflict; a target path missing on every App item throws ReconcileConfigError.
 */
export function normaliseApp(
	appItems: RawRecord[],
	target: TargetProfile,
	createOnly: Set<string>,
	protectedKeys: Set<string>,
	readers: PathReaders,
): AppSide {
	const m = appItems.length;
	const getId = readers.path(target.idPath);
	const getExt = readers.path(target.externalIdPath);
	const getEmail = readers.path(target.emailPath);
	const statusModel = target.status;
	const getStatus = statusModel.type === 'none' ? undefined : readers.path(statusModel.path);
	const app: AppSide = {
		ids: new Array(m),
		extKeys: new Array(m),
		emailKeys: new Array(m),
		status: new Uint8Array(m),
		protected: new Uint8Array(m),
		conflicts: new Map(),
		fieldGetters: target.fields.map((field) => readers.path(field.app)),
		getStatus,
		getInvitedAt: target.invitedAtPath ? readers.path(target.invitedAtPath) : undefined,
	};
	const seen: AppPathsSeen = {
		id: false,
		ext: false,
		email: false,
		status: false,
		fields: new Uint8Array(target.fields.length),
	};
	const enumStatus = enumStatusOf(statusModel);
	const { fieldGetters } = app;
	for (let j = 0; j < m; j++) {
		const raw = appItems[j];
		const id = getId(raw);
		const ext = getExt(raw);
		const email = getEmail(raw);
		if (id !== undefined) seen.id = true;
		if (ext !== undefined) seen.ext = true;
		if (email !== undefined) seen.email = true;
		app.ids[j] = id === undefined || id === null ? '' : String(id);
		app.extKeys[j] = normaliseKey(ext);
		app.emailKeys[j] = normaliseKey(email);
		if (getStatus) {
			const value = getStatus(raw);
			if (value !== undefined) seen.status = true;
			const status = statusCode(value, enumStatus);
			app.status[j] = status;
			if (status === UNKNOWN_STATUS) {
				app.conflicts.set(j, {
					code: 'unknownAppStatus',
					reason: `App user ${appUserLabel(app, j)} has status ${JSON.stringify(value ?? null)} at "${statusModel.type === 'none' ? '' : statusModel.path}", which the ${target.label} target does not know: left alone.`,
				});
			}
		}
		if (protectedKeys.size > 0 && isProtectedUser(app, j, protectedKeys)) app.protected[j] = 1;
		for (let f = 0; f < fieldGetters.length; f++) {
			if (seen.fields[f] === 0 && fieldGetters[f](raw) !== undefined) seen.fields[f] = 1;
		}
	}
	checkAppPathsSeen(target, createOnly, seen, m);
	return app;
}
