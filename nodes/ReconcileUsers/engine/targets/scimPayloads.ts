/**
 * SCIM request bodies for the SCIM 2.0 target: User and Group resources to create, and PatchOp
 * messages for updates, reactivation, deactivation and group membership.
 *
 * Paths are SCIM attribute paths (RFC 7644 section 3.5.2: `attrPath = [URI ":"] ATTRNAME
 * *1subAttr`): core attributes by name (`name.givenName`), enterprise attributes by their URN
 * path (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`). Spec:
 * https://datatracker.ietf.org/doc/html/rfc7644#section-3.5.2,
 * https://datatracker.ietf.org/doc/html/rfc7643#section-4.3.
 */
import type { Change, RawRecord } from '../types';
import { isEmptyValue } from '../values';
import { SCIM_ENTERPRISE_USER, SCIM_GROUP, SCIM_PATCH_OP, SCIM_USER } from './scim';

/** The SCIM target's enterprise fields (view keys), each an attribute of the extension. */
const ENTERPRISE_FIELDS = new Set(['employeeNumber', 'department', 'manager']);

/**
 * The SCIM attribute path of a SCIM target field: `department` →
 * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`; core fields
 * (`userName`, `name.givenName`, `emails`, `active`) are their own path.
 */
export function scimPath(field: string): string {
	return ENTERPRISE_FIELDS.has(field) ? `${SCIM_ENTERPRISE_USER}:${field}` : field;
}

/** The value written for a field: emails as one primary work email, manager as `{ value: id }`. */
function scimValue(field: string, value: unknown): unknown {
	if (field === 'emails') return [{ value, type: 'work', primary: true }];
	if (field === 'manager') return { value };
	return value;
}

/** One PATCH operation. */
export interface ScimOperation {
	op: 'add' | 'remove' | 'replace';
	path: string;
	value?: unknown;
}

/** A PatchOp message `{ schemas: [PatchOp URN], Operations }`. */
export function patchOpMessage(operations: ScimOperation[]): RawRecord {
	return { schemas: [SCIM_PATCH_OP], Operations: operations };
}

/**
 * The PatchOp for a user's changes: one `replace` per changed attribute, in the order of the
 * changes (`emails` replaced whole, with one primary work email); a value HR cleared becomes a
 * `remove` of the attribute, so no operation ever writes an empty value. Identity fields never
 * reach this point empty (the engine leaves them as they are).
 */
export function userPatchOp(changes: Change[]): RawRecord {
	return patchOpMessage(
		changes.map((change): ScimOperation => {
			const path = scimPath(change.field);
			if (isEmptyValue(change.to)) return { op: 'remove', path };
			return { op: 'replace', path, value: scimValue(change.field, change.to) };
		}),
	);
}

function setIfPresent(target: RawRecord, key: string, value: unknown): void {
	if (!isEmptyValue(value)) target[key] = value;
}

/**
 * The User resource to create from the engine's create values (keyed by the target's field
 * names, `name` nested): `{ schemas, externalId, userName, name, displayName, emails, active,
 * [enterprise URN]: { employeeNumber, department, manager: { value } } }`. Empty values are left
 * out; the enterprise schema is listed only when an enterprise attribute is set.
 */
export function userResource(values: RawRecord): RawRecord {
	const user: RawRecord = { schemas: [SCIM_USER] };
	setIfPresent(user, 'externalId', values.externalId);
	setIfPresent(user, 'userName', values.userName);
	const name: RawRecord = {};
	const given = values.name as RawRecord | undefined;
	setIfPresent(name, 'givenName', given?.givenName);
	setIfPresent(name, 'familyName', given?.familyName);
	if (Object.keys(name).length > 0) user.name = name;
	setIfPresent(user, 'displayName', values.displayName);
	if (!isEmptyValue(values.emails)) user.emails = scimValue('emails', values.emails);
	user.active = values.active ?? true;
	const enterprise: RawRecord = {};
	for (const field of ENTERPRISE_FIELDS) {
		if (!isEmptyValue(values[field])) enterprise[field] = scimValue(field, values[field]);
	}
	if (Object.keys(enterprise).length > 0) {
		(user.schemas as string[]).push(SCIM_ENTERPRISE_USER);
		user[SCIM_ENTERPRISE_USER] = enterprise;
	}
	return user;
}

/** The Group resource to create: `{ schemas: [core Group], displayName, externalId }`. */
export function groupResource(displayName: string, externalId: string): RawRecord {
	return { schemas: [SCIM_GROUP], displayName, externalId };
}

/**
 * The PatchOp for `PATCH /Groups/{id}` that adds users (one `add` of all of them to `members`;
 * adding a member twice changes nothing) or removes them (one `remove` per user with the path
 * `members[value eq "<id>"]`; a bare `members` path would empty the group). Filter values are
 * JSON strings (RFC 7644 section 3.4.2.2).
 */
export function membersPatchOp(change: 'add' | 'remove', userIds: string[]): RawRecord {
	if (change === 'add')
		return patchOpMessage([
			{ op: 'add', path: 'members', value: userIds.map((value) => ({ value })) },
		]);
	return patchOpMessage(
		userIds.map((id) => ({ op: 'remove', path: `members[value eq ${JSON.stringify(id)}]` })),
	);
}
