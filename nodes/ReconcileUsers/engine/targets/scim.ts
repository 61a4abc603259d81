/**
 * The SCIM 2.0 target: any app that takes users over SCIM 2.0 (RFC 7643 schema, RFC 7644
 * protocol), with the core User schema and the enterprise User extension.
 *
 * ## The App input
 *
 * The app's Users exactly as a SCIM list returns them (the SCIM 2.0 node's Users → Get Many):
 * `{ schemas, id, externalId, userName, name: { givenName, familyName }, displayName, active,
 *    emails: [{ value, type, primary }], groups: [{ value, display, type }], meta,
 *    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { employeeNumber, department,
 *    manager: { value } } }`.
 * With Groups From, the app's Groups follow (Groups → Get Many):
 * `{ schemas, id, externalId, displayName, members: [{ value }], meta }`.
 * Users and Groups are told apart by `meta.resourceType`, else by `schemas`.
 *
 * Each User is read into a flat record, the "view", whose keys are the target's field names:
 * `{ id, externalId, userName, active, name: { givenName, familyName }, displayName, emails,
 *    employeeNumber, department, manager }`, where `emails` is the work email (the value of the
 * entry typed work, else the primary one, else the first), `manager` the manager's SCIM id, and an
 * attribute the app left out is null (RFC 7643 section 2.5: unassigned and null are the same).
 * The engine compares views; plan items carry the User resource as it came in.
 *
 * ## Fields (view key ← HR field; compared as)
 *
 * userName ← email (case-insensitive: RFC 7643 defines userName with caseExact false),
 * externalId ← externalId, name.givenName ← firstName, name.familyName ← lastName, displayName ←
 * "firstName lastName", emails ← email (the work email, case-insensitive), employeeNumber ←
 * externalId, department ← orgName, manager ← the manager's SCIM id (resolved like the
 * Declaree-style manager). Status: `active` (true / false). userName, externalId and emails are
 * identity fields: never blanked, an empty HR value is a conflict.
 *
 * ## Payloads (see scimPayloads.ts)
 *
 * Create: the whole User resource with its `schemas`. Update: a PatchOp with one replace per
 * changed attribute. Reactivate: a PatchOp, `active` true first. Deactivate: a PatchOp replacing
 * `active` with false. Remove: no payload (DELETE /Users/{appId}).
 *
 * Spec: https://datatracker.ietf.org/doc/html/rfc7643#section-4.1 (User),
 * https://datatracker.ietf.org/doc/html/rfc7643#section-4.3 (enterprise extension),
 * https://datatracker.ietf.org/doc/html/rfc7644#section-3.5.2 (PATCH).
 */
import {
	type GroupSource,
	type RawRecord,
	type TargetProfile,
	ReconcileConfigError,
} from '../types';

/** The core User schema URN. */
export const SCIM_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
/** The core Group schema URN. */
export const SCIM_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
/** The enterprise User extension URN; its attributes live under this key of a User. */
export const SCIM_ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
/** The PATCH request message URN. */
export const SCIM_PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** The target profile of the preset "SCIM 2.0 (core User + enterprise extension)". */
export const SCIM_TARGET: TargetProfile = {
	name: 'scim',
	label: 'SCIM 2.0 (core User + enterprise extension)',
	form: 'scim',
	idPath: 'id',
	externalIdPath: 'externalId',
	// Entra ID and Okta match users on userName; here it is the work email.
	emailPath: 'userName',
	status: { type: 'boolean', path: 'active' },
	fields: [
		{ app: 'userName', from: 'email', compare: 'email', required: true, identity: true },
		{ app: 'externalId', from: 'externalId', identity: true },
		{ app: 'name.givenName', from: 'firstName' },
		{ app: 'name.familyName', from: 'lastName' },
		{ app: 'displayName', from: 'fullName' },
		{ app: 'emails', from: 'email', compare: 'email', required: true, identity: true },
		{ app: 'employeeNumber', from: 'externalId' },
		{ app: 'department', from: 'orgName' },
		{ app: 'manager', from: 'managerAppId' },
	],
	createDefaults: { active: true },
};

function isObject(value: unknown): value is RawRecord {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sameText(a: unknown, b: string): boolean {
	return typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
}

/** `meta.resourceType` when the app sent one ("User", "Group"), else undefined. */
function resourceTypeOf(record: RawRecord): string | undefined {
	const meta = record.meta;
	return isObject(meta) && typeof meta.resourceType === 'string' ? meta.resourceType : undefined;
}

function hasSchema(record: RawRecord, urn: string): boolean {
	const { schemas } = record;
	return Array.isArray(schemas) && schemas.some((schema) => sameText(schema, urn));
}

/** A SCIM Group resource: `meta.resourceType` Group, or the core Group schema. */
export function isScimGroup(record: RawRecord): boolean {
	const type = resourceTypeOf(record);
	return type !== undefined ? sameText(type, 'Group') : hasSchema(record, SCIM_GROUP);
}

/**
 * A SCIM User resource: `meta.resourceType` User, the core User schema, or (for apps that send
 * neither) a text userName.
 */
export function isScimUser(record: RawRecord): boolean {
	const type = resourceTypeOf(record);
	if (type !== undefined) return sameText(type, 'User');
	return hasSchema(record, SCIM_USER) || typeof record.userName === 'string';
}

/** The enterprise extension object of a User (its URN key compared without case), or undefined. */
function enterpriseOf(resource: RawRecord): RawRecord | undefined {
	const direct = resource[SCIM_ENTERPRISE_USER];
	if (isObject(direct)) return direct;
	for (const key of Object.keys(resource)) {
		if (key.length === SCIM_ENTERPRISE_USER.length && sameText(key, SCIM_ENTERPRISE_USER)) {
			const value = resource[key];
			return isObject(value) ? value : undefined;
		}
	}
	return undefined;
}

/**
 * The work email of a User's `emails`: the value of the entry typed work (the primary one among
 * several), else of the primary entry, else of the first; null when there is none.
 */
export function workEmail(emails: unknown): unknown {
	if (!Array.isArray(emails)) return null;
	let work: RawRecord | undefined;
	let primary: RawRecord | undefined;
	let first: RawRecord | undefined;
	for (const entry of emails) {
		if (!isObject(entry) || entry.value === undefined || entry.value === null) continue;
		first ??= entry;
		const isPrimary = entry.primary === true || entry.primary === 'true';
		if (sameText(entry.type, 'work') && (!work || isPrimary)) work = entry;
		if (isPrimary) primary ??= entry;
	}
	return (work ?? primary ?? first)?.value ?? null;
}

/** The manager's SCIM id: `manager.value` (or a bare id some apps send); null when none. */
function managerId(manager: unknown): unknown {
	if (isObject(manager)) return manager.value ?? null;
	return typeof manager === 'string' && manager !== '' ? manager : null;
}

/** A User resource as the flat record the SCIM target's fields name (see the top of this file). */
export function scimUserView(resource: RawRecord): RawRecord {
	const name = isObject(resource.name) ? resource.name : undefined;
	const extension = enterpriseOf(resource);
	return {
		id: resource.id,
		externalId: resource.externalId ?? null,
		userName: resource.userName ?? null,
		active: resource.active,
		name: { givenName: name?.givenName ?? null, familyName: name?.familyName ?? null },
		displayName: resource.displayName ?? null,
		emails: workEmail(resource.emails),
		employeeNumber: extension?.employeeNumber ?? null,
		department: extension?.department ?? null,
		manager: managerId(extension?.manager),
	};
}

/** The App input of a SCIM target, split into Users (read as views) and Groups. */
export interface ScimAppInput {
	/** One view per User, in App order: what the engine compares. */
	users: RawRecord[];
	/** The User resources as they came in, parallel to `users`. */
	resources: RawRecord[];
	/** The App item index of each User (pairedItem), parallel to `users`. */
	userInputIndex: number[];
	/** The Group resources, in App order, and their App item indexes. */
	groups: RawRecord[];
	groupInputIndex: number[];
	/** What SCIM Groups are named after (empty: groups are not managed). */
	groupsFrom: GroupSource[];
}

/** Groups From checked: job and/or org, each once, and only with the SCIM target. */
function checkedGroupsFrom(target: TargetProfile, groupsFrom: unknown): GroupSource[] {
	if (groupsFrom === undefined || groupsFrom === null) return [];
	const list = Array.isArray(groupsFrom) ? (groupsFrom as unknown[]) : [groupsFrom];
	if (list.some((entry) => entry !== 'job' && entry !== 'org') || new Set(list).size < list.length)
		throw new ReconcileConfigError(
			`Groups From must be "job" and/or "org", each once (got ${JSON.stringify(groupsFrom)})`,
			'Choose Job, Organisation or both in "SCIM Groups From".',
		);
	if (list.length > 0 && target.form !== 'scim')
		throw new ReconcileConfigError(
			`Groups From manages SCIM Groups, but the App Target is ${target.label}`,
			'Choose the SCIM 2.0 App Target, or clear "SCIM Groups From".',
		);
	// Jobs first, then organisations, whatever order the setting lists them in.
	return (['job', 'org'] as const).filter((source) => list.includes(source));
}

/**
 * The App input of a SCIM target split into Users (as views) and Groups; undefined for other
 * targets. Items that are neither are taken as users as they are, so the engine's checks name
 * the attributes they lack.
 * @throws ReconcileConfigError for a bad Groups From, or Groups From with another target.
 */
export function scimAppInput(
	target: TargetProfile,
	appItems: RawRecord[],
	groupsFrom: unknown,
): ScimAppInput | undefined {
	const sources = checkedGroupsFrom(target, groupsFrom);
	if (target.form !== 'scim') return undefined;
	const input: ScimAppInput = {
		users: [],
		resources: [],
		userInputIndex: [],
		groups: [],
		groupInputIndex: [],
		groupsFrom: sources,
	};
	for (let index = 0; index < appItems.length; index++) {
		const record = appItems[index];
		if (isScimGroup(record)) {
			input.groups.push(record);
			input.groupInputIndex.push(index);
			continue;
		}
		input.users.push(isScimUser(record) ? scimUserView(record) : record);
		input.resources.push(record);
		input.userInputIndex.push(index);
	}
	return input;
}
