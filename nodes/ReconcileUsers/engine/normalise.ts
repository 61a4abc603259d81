/**
 * Step 1 of people mode: both sides normalised once. HR records become fixed-shape Person
 * records (trimmed text, lower-cased email, dates as written) with their match keys; app users
 * become parallel arrays of ids, keys and statuses. Every mapped path is checked: a required one
 * missing on all items throws, an optional one gives a warning.
 */
import {
	type ConflictCode,
	type Person,
	type RawRecord,
	type SourceMapping,
	type TargetProfile,
	PERSON_FIELDS,
	ReconcileConfigError,
} from './types';
import {
	type Getter,
	compilePath,
	compilePaths,
	INVALID_DATE,
	normaliseKey,
	normaliseText,
	parseHrDate,
} from './values';

export const ACTIVE = 0;
export const INVITED = 1;
export const DEACTIVATED = 2;
export const UNKNOWN_STATUS = 3;
export const STATUS_NAMES = ['active', 'invited', 'deactivated'];

export interface Conflict {
	code: ConflictCode;
	reason: string;
	hrIndexes?: number[];
	appIndexes?: number[];
}

export interface HrSide {
	people: Person[];
	/** Normalised match keys per record ('' when empty). */
	extKeys: string[];
	emailKeys: string[];
	/** Records with an unreadable date, and why. */
	badDate: Map<number, string>;
	warnings: string[];
}

export interface AppSide {
	items: RawRecord[];
	ids: string[];
	extKeys: string[];
	emailKeys: string[];
	/** ACTIVE, INVITED, DEACTIVATED or UNKNOWN_STATUS per user. */
	status: Uint8Array;
	protected: Uint8Array;
	/** App users that are conflicts on their own (unknown status; matching adds duplicates). */
	conflicts: Map<number, Conflict>;
	/** Getters of the target's fields, in target.fields order. */
	fieldGetters: Getter[];
	getStatus: Getter | undefined;
	getInvitedAt: Getter | undefined;
	label(j: number): string;
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

export function normaliseHr(hrItems: RawRecord[], source: SourceMapping): HrSide {
	const n = hrItems.length;
	const warnings: string[] = [];
	for (const field of Object.keys(source.fields)) {
		if (!(PERSON_FIELDS as readonly string[]).includes(field)) {
			throw new ReconcileConfigError(
				`Unknown HR field "${field}" in the HR mapping`,
				`Use the logical fields: ${PERSON_FIELDS.join(', ')}.`,
			);
		}
	}
	// One getter slot per logical field, in PERSON_FIELDS order (undefined = not mapped).
	const fieldNames = PERSON_FIELDS;
	const fieldCount = fieldNames.length;
	const getters: Array<Getter | undefined> = [];
	const prefixGetters: Array<Getter | undefined> = [];
	for (const field of fieldNames) {
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
		badDate.set(
			current,
			`${fieldNames[f]} "${String(value)}" is not a date (expected YYYY-MM-DD, optionally followed by a time)`,
		);
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
	return { people, extKeys, emailKeys, badDate, warnings };
}

export function normaliseApp(
	appItems: RawRecord[],
	target: TargetProfile,
	createOnly: Set<string>,
	protectedKeys: Set<string>,
): AppSide {
	const m = appItems.length;
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
	const statusModel = target.status;
	const enumValues =
		statusModel.type === 'enum'
			? {
					active: normaliseKey(statusModel.active),
					invited: statusModel.invited ? normaliseKey(statusModel.invited) : '\u0000',
					deactivated: normaliseKey(statusModel.deactivated),
				}
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
				status =
					text === enumValues.active
						? ACTIVE
						: text === enumValues.invited
							? INVITED
							: text === enumValues.deactivated
								? DEACTIVATED
								: UNKNOWN_STATUS;
			} else {
				status =
					value === true || value === 'true'
						? ACTIVE
						: value === false || value === 'false'
							? DEACTIVATED
							: UNKNOWN_STATUS;
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
		if (getAppStatus && !statusSeen.status && statusModel.type !== 'none')
			missing.push(`"${statusModel.path}" (status)`);
		for (let f = 0; f < targetFields.length; f++) {
			const field = targetFields[f];
			if (
				!fieldSeen[f] &&
				!createOnly.has(field.app) &&
				!missing.some((entry) => entry.startsWith(`"${field.app}"`))
			) {
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
		return appIds[j] !== ''
			? `"${appIds[j]}"`
			: appEmailKeys[j] !== ''
				? appEmailKeys[j]
				: `#${j + 1}`;
	}
	return {
		items: appItems,
		ids: appIds,
		extKeys: appExtKeys,
		emailKeys: appEmailKeys,
		status: appStatus,
		protected: appProtected,
		conflicts: appConflict,
		fieldGetters: appFieldGetters,
		getStatus: getAppStatus,
		getInvitedAt,
		label: appLabel,
	};
}
