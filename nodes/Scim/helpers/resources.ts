/**
 * SCIM User and Group resources as the node sends them: from the input's JSON, or built from the
 * node's fields. Schemas: https://datatracker.ietf.org/doc/html/rfc7643#section-4 (User 4.1, Group
 * 4.2, enterprise User extension 4.3).
 */
import { jsonParse, type IDataObject } from 'n8n-workflow';

import type { PatchOperation } from './patch';

/** Schema URNs of the core User and Group and of the enterprise User extension. */
export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** Input that cannot become a resource; the message names the field and says what is wrong. */
export class ResourceInputError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ResourceInputError';
	}
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What jsonParse returns for text that is not JSON. */
const NOT_JSON = Symbol('not JSON');

/**
 * The value of a JSON parameter: an object as is, or text parsed as JSON.
 * @throws ResourceInputError naming `field` when it is empty, not JSON, or not `shape`.
 */
export function readJsonParameter(value: unknown, field: string, shape: 'object' | 'any'): unknown {
	let parsed = value;
	if (typeof value === 'string') {
		if (value.trim() === '') throw new ResourceInputError(`"${field}" is empty`);
		parsed = jsonParse<unknown>(value, { fallbackValue: NOT_JSON });
		if (parsed === NOT_JSON) throw new ResourceInputError(`"${field}" is not valid JSON`);
	}
	if (parsed === undefined || parsed === null) throw new ResourceInputError(`"${field}" is empty`);
	if (shape === 'object' && !isObject(parsed)) {
		throw new ResourceInputError(`"${field}" must be a JSON object (one resource)`);
	}
	return parsed;
}

/**
 * A resource to create from the input's JSON: `id` and `meta` (server-owned) dropped, and
 * `schemas` completed: the core schema, and every extension the resource holds (a `urn:` key).
 * @throws ResourceInputError when the required `userName` (User) or `displayName` (Group) is
 *   missing or not text.
 */
export function resourceToCreate(input: IDataObject, type: 'User' | 'Group'): IDataObject {
	const resource: IDataObject = { ...input };
	delete resource.id;
	delete resource.meta;
	const required = type === 'User' ? 'userName' : 'displayName';
	const value = resource[required];
	if (typeof value !== 'string' || value.trim() === '') {
		throw new ResourceInputError(
			`The ${type} has no ${required}: SCIM requires it (RFC 7643, section 4.${type === 'User' ? 1 : 2})`,
		);
	}
	const core = type === 'User' ? USER_SCHEMA : GROUP_SCHEMA;
	const schemas = Array.isArray(resource.schemas) ? resource.schemas.map(String) : [];
	const wanted = [core, ...Object.keys(resource).filter((key) => /^urn:/i.test(key))];
	for (const urn of wanted) {
		if (!schemas.some((schema) => schema.toLowerCase() === urn.toLowerCase())) schemas.push(urn);
	}
	const created: IDataObject = { schemas };
	Object.assign(created, resource);
	created.schemas = schemas;
	return created;
}

/** The User fields the node offers (create and update), by parameter name. */
export interface UserFields {
	userName?: string;
	externalId?: string;
	displayName?: string;
	givenName?: string;
	familyName?: string;
	email?: string;
	title?: string;
	active?: boolean;
	employeeNumber?: string;
	department?: string;
	costCenter?: string;
	organization?: string;
	division?: string;
	managerId?: string;
}

/** Simple core attributes: field name = attribute name. */
const CORE_FIELDS = ['userName', 'externalId', 'displayName', 'title'] as const;
/** `name` sub-attributes. */
const NAME_FIELDS = ['givenName', 'familyName'] as const;
/** Enterprise extension attributes: field name = attribute name. */
const ENTERPRISE_FIELDS = [
	'employeeNumber',
	'department',
	'costCenter',
	'organization',
	'division',
] as const;

function trimmed(value: unknown): string | undefined {
	if (value === undefined || value === null) return undefined;
	return String(value).trim();
}

/** One work email, primary (the form Okta and Entra send, and what most apps expect). */
function workEmail(email: string): IDataObject[] {
	return [{ value: email, type: 'work', primary: true }];
}

/**
 * A User resource from the node's fields; empty values are left out. The enterprise extension is
 * added (and listed in `schemas`) only when one of its fields is set; `managerId` becomes
 * `manager: { value }` (the manager's SCIM id).
 * @throws ResourceInputError when userName is empty.
 */
export function userFromFields(fields: UserFields): IDataObject {
	const user: IDataObject = { schemas: [USER_SCHEMA] };
	for (const key of CORE_FIELDS) if (trimmed(fields[key])) user[key] = trimmed(fields[key]);
	if (!user.userName)
		throw new ResourceInputError('"User Name" is empty: SCIM requires a userName');
	const name: IDataObject = {};
	for (const key of NAME_FIELDS) if (trimmed(fields[key])) name[key] = trimmed(fields[key]);
	if (Object.keys(name).length > 0) user.name = name;
	const email = trimmed(fields.email);
	if (email) user.emails = workEmail(email);
	if (fields.active !== undefined) user.active = fields.active;
	const enterprise: IDataObject = {};
	for (const key of ENTERPRISE_FIELDS)
		if (trimmed(fields[key])) enterprise[key] = trimmed(fields[key]);
	const manager = trimmed(fields.managerId);
	if (manager) enterprise.manager = { value: manager };
	if (Object.keys(enterprise).length > 0) {
		user[ENTERPRISE_USER] = enterprise;
		(user.schemas as string[]).push(ENTERPRISE_USER);
	}
	return user;
}

/** add/replace of `value` at `path`, or remove when the value is empty text. */
function setOrRemove(path: string, value: string | undefined): PatchOperation | undefined {
	if (value === undefined) return undefined;
	return value === '' ? { op: 'remove', path } : { op: 'replace', path, value };
}

/**
 * PATCH operations for the fields given: one `replace` per field, with the paths Entra and Okta
 * use (`active`, `name.givenName`, `emails` replaced whole with one primary work email,
 * `urn:…:enterprise:2.0:User:department`, `urn:…:enterprise:2.0:User:manager` as `{ value }`).
 * A field set to empty text becomes a `remove` (the attribute is cleared).
 * @throws ResourceInputError when userName is set to empty text (it is required) or no field is given.
 */
export function operationsFromFields(fields: UserFields): PatchOperation[] {
	const operations: Array<PatchOperation | undefined> = [];
	if (trimmed(fields.userName) === '') {
		throw new ResourceInputError('"User Name" is empty: a user cannot be without a userName');
	}
	for (const key of CORE_FIELDS) operations.push(setOrRemove(key, trimmed(fields[key])));
	for (const key of NAME_FIELDS) operations.push(setOrRemove(`name.${key}`, trimmed(fields[key])));
	const email = trimmed(fields.email);
	if (email !== undefined) {
		operations.push(
			email === ''
				? { op: 'remove', path: 'emails' }
				: { op: 'replace', path: 'emails', value: workEmail(email) },
		);
	}
	if (fields.active !== undefined)
		operations.push({ op: 'replace', path: 'active', value: fields.active });
	for (const key of ENTERPRISE_FIELDS) {
		operations.push(setOrRemove(`${ENTERPRISE_USER}:${key}`, trimmed(fields[key])));
	}
	const manager = trimmed(fields.managerId);
	if (manager !== undefined) {
		const path = `${ENTERPRISE_USER}:manager`;
		operations.push(
			manager === '' ? { op: 'remove', path } : { op: 'replace', path, value: { value: manager } },
		);
	}
	const result = operations.filter(
		(operation): operation is PatchOperation => operation !== undefined,
	);
	if (result.length === 0)
		throw new ResourceInputError('No field to update: add at least one under "Update Fields"');
	return result;
}

/**
 * A Group resource from its fields: displayName, optional externalId, members by SCIM id.
 * @throws ResourceInputError when displayName is empty.
 */
export function groupFromFields(
	displayName: string,
	externalId: string,
	memberIds: string[],
): IDataObject {
	const name = displayName.trim();
	if (!name) throw new ResourceInputError('"Display Name" is empty: a group needs a displayName');
	const group: IDataObject = { schemas: [GROUP_SCHEMA], displayName: name };
	if (externalId.trim()) group.externalId = externalId.trim();
	group.members = memberIds.map((value) => ({ value }));
	return group;
}
