/**
 * SCIM PATCH (https://datatracker.ietf.org/doc/html/rfc7644#section-3.5.2): reading the operations
 * a workflow hands the node, the PatchOp message sent to the app, and the same operations applied
 * to a resource read from the app, for apps that only take a whole resource with PUT
 * (https://datatracker.ietf.org/doc/html/rfc7644#section-3.5.1).
 */
import type { IDataObject } from 'n8n-workflow';

import { isAttributePath } from './filter';

/** The PatchOp message URN. */
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** One PATCH operation; `op` is sent in the RFC's lower case. */
export interface PatchOperation {
	op: 'add' | 'remove' | 'replace';
	path?: string;
	value?: unknown;
}

/** Operations that cannot be read or applied; the message says which and why. */
export class PatchInputError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'PatchInputError';
	}
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One operation checked: op add/remove/replace (any case), remove with a path, add with a value. */
function readOperation(raw: unknown, index: number): PatchOperation {
	const where = `Operation ${index + 1}`;
	if (!isObject(raw)) throw new PatchInputError(`${where} is not an object`);
	const op = typeof raw.op === 'string' ? raw.op.toLowerCase() : '';
	if (op !== 'add' && op !== 'remove' && op !== 'replace') {
		throw new PatchInputError(
			`${where} has op ${JSON.stringify(raw.op)}: use add, remove or replace`,
		);
	}
	const path = typeof raw.path === 'string' && raw.path.trim() !== '' ? raw.path.trim() : undefined;
	if (raw.path !== undefined && raw.path !== null && path === undefined) {
		throw new PatchInputError(`${where} has an empty or non-text path`);
	}
	if (op === 'remove' && path === undefined) {
		throw new PatchInputError(`${where} removes without a path: say which attribute to remove`);
	}
	if (op !== 'remove' && raw.value === undefined) {
		throw new PatchInputError(`${where} (${op}) has no value`);
	}
	if (op !== 'remove' && path === undefined && !isObject(raw.value)) {
		throw new PatchInputError(
			`${where} (${op}) without a path needs an object of attributes as value`,
		);
	}
	return {
		op,
		...(path === undefined ? {} : { path }),
		...(op === 'remove' ? {} : { value: raw.value }),
	};
}

/**
 * The operations of a PatchOp message (`{ schemas, Operations }`), a list of operations, or one
 * operation; `op` lower-cased.
 * @throws PatchInputError when there is no operation or one is malformed (it names which).
 */
export function readPatchOperations(input: unknown): PatchOperation[] {
	let list: unknown = input;
	if (isObject(input)) list = 'Operations' in input ? input.Operations : [input];
	if (!Array.isArray(list) || list.length === 0) {
		throw new PatchInputError(
			'No PATCH operations: give a PatchOp message ({ "schemas": [...], "Operations": [...] }) or a list of operations ({ "op", "path", "value" })',
		);
	}
	return list.map(readOperation);
}

/** The PatchOp request body for `operations`. */
export function patchOpBody(operations: PatchOperation[]): IDataObject {
	return { schemas: [PATCH_OP], Operations: operations as unknown as IDataObject[] };
}

// ------------------------------------------------------------------ applying (Use PUT)

/** The core User and Group schema URNs (https://datatracker.ietf.org/doc/html/rfc7643#section-8.7.1). */
const CORE_SCHEMA = /^urn:ietf:params:scim:schemas:core:2\.0:(User|Group)$/i;

/** A path split into where it lives: the extension URN (or none), the attribute, a sub-attribute. */
interface Target {
	extension?: string;
	attribute: string;
	sub?: string;
}

/**
 * Splits a PATCH path without a value filter: `name.givenName`, `active`,
 * `urn:…:enterprise:2.0:User:department`, `urn:…:enterprise:2.0:User:manager.value`.
 * @throws PatchInputError for a value filter (`emails[type eq "work"]`) or a malformed path.
 */
function splitPath(path: string): Target {
	if (path.includes('[') || !isAttributePath(path)) {
		throw new PatchInputError(
			`With Use PUT the node applies simple paths only (such as active, name.givenName, emails, or urn:…:User:department); "${path}" is not one. Replace the whole attribute instead, or use PATCH.`,
		);
	}
	const urn = /^(urn:.*):([^:]+)$/i.exec(path);
	const [schema, rest] = urn ? [urn[1], urn[2]] : [undefined, path];
	// Core attributes may be written with their schema's URN; they live at the top level.
	const extension = schema && !CORE_SCHEMA.test(schema) ? schema : undefined;
	const [attribute, sub] = rest.split('.');
	return { extension, attribute, ...(sub === undefined ? {} : { sub }) };
}

/** The key of `object` equal to `name` ignoring case (attribute names are case-insensitive). */
function keyOf(object: IDataObject, name: string): string {
	const lower = name.toLowerCase();
	return Object.keys(object).find((key) => key.toLowerCase() === lower) ?? name;
}

/** The object `name` of `parent`, created when absent (or not an object). */
function child(parent: IDataObject, name: string): IDataObject {
	const key = keyOf(parent, name);
	if (!isObject(parent[key])) parent[key] = {};
	return parent[key] as IDataObject;
}

/** Whether a key of a path-less value is itself a path (dotted, or schema-qualified). */
function isPathKey(key: string): boolean {
	return key.includes('.') || /^urn:/i.test(key);
}

/** add / replace of `value` at `key` of `parent`: multi-valued add appends, complex merges. */
function put(parent: IDataObject, name: string, value: unknown, op: 'add' | 'replace'): void {
	const key = keyOf(parent, name);
	const current = parent[key];
	if (value === null || (Array.isArray(value) && value.length === 0 && op === 'replace')) {
		delete parent[key];
	} else if (op === 'add' && Array.isArray(current)) {
		const values = Array.isArray(value) ? value : [value];
		const seen = new Set(current.map((entry) => JSON.stringify(entry)));
		parent[key] = [...current, ...values.filter((entry) => !seen.has(JSON.stringify(entry)))];
	} else if (isObject(current) && isObject(value)) {
		parent[key] = { ...current, ...value };
	} else {
		parent[key] = value as IDataObject[string];
	}
}

/** The object a target's attribute lives in: the resource, or its extension object. */
function container(
	resource: IDataObject,
	target: Target,
	create: boolean,
): IDataObject | undefined {
	if (target.extension === undefined) return resource;
	const key = keyOf(resource, target.extension);
	if (!isObject(resource[key]) && !create) return undefined;
	return child(resource, target.extension);
}

function applyAtPath(resource: IDataObject, operation: PatchOperation, path: string): void {
	const target = splitPath(path);
	const removing = operation.op === 'remove';
	const parent = container(resource, target, !removing);
	if (!parent) return;
	if (target.sub !== undefined && removing && !isObject(parent[keyOf(parent, target.attribute)])) {
		return;
	}
	const holder = target.sub === undefined ? parent : child(parent, target.attribute);
	const name = target.sub ?? target.attribute;
	if (removing) delete holder[keyOf(holder, name)];
	else put(holder, name, operation.value, operation.op as 'add' | 'replace');
}

/** The enterprise User extension's URN (https://datatracker.ietf.org/doc/html/rfc7643#section-4.3). */
const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/**
 * Whether a `urn:` key of a path-less value names a schema extension (its value holds that
 * extension's attributes) rather than one attribute in it: the resource lists it in `schemas` or
 * holds it, it is the enterprise extension, or it is no attribute of a schema the resource knows.
 */
function isExtensionKey(resource: IDataObject, key: string, value: unknown): boolean {
	const lower = key.toLowerCase();
	const schemas = Array.isArray(resource.schemas) ? (resource.schemas as unknown[]) : [];
	const known = [
		ENTERPRISE_USER,
		...schemas.map(String),
		...Object.keys(resource).filter((k) => /^urn:/i.test(k)),
	].map((urn) => urn.toLowerCase());
	if (known.includes(lower)) return true;
	if (known.some((urn) => lower.startsWith(`${urn}:`))) return false;
	return isObject(value);
}

/** A path-less add/replace: each key is an attribute, a path, or an extension's attributes. */
function applyWithoutPath(resource: IDataObject, operation: PatchOperation): void {
	const op = operation.op as 'add' | 'replace';
	for (const [key, value] of Object.entries(operation.value as IDataObject)) {
		if (/^urn:/i.test(key) && isExtensionKey(resource, key, value)) {
			if (!isObject(value)) put(resource, key, value, op);
			else {
				for (const [inner, innerValue] of Object.entries(value)) {
					applyAtPath(resource, { op, value: innerValue }, `${key}:${inner}`);
				}
			}
		} else if (isPathKey(key)) applyAtPath(resource, { op, value }, key);
		else put(resource, key, value, op);
	}
}

/**
 * `operations` applied to a copy of `resource` the way RFC 7644 section 3.5.2 describes for simple
 * paths: add appends to multi-valued attributes and merges complex ones; replace sets (merging the
 * given sub-attributes of a complex attribute, replacing a multi-valued one whole); remove deletes;
 * null or `[]` unsets. Extension objects present afterwards are listed in `schemas`.
 * @throws PatchInputError for a path with a value filter (apply those with PATCH).
 */
export function applyPatch(resource: IDataObject, operations: PatchOperation[]): IDataObject {
	const result = structuredClone(resource);
	for (const operation of operations) {
		if (operation.path === undefined) applyWithoutPath(result, operation);
		else applyAtPath(result, operation, operation.path);
	}
	const schemas = Array.isArray(result.schemas) ? (result.schemas as string[]) : [];
	for (const [key, value] of Object.entries(result)) {
		if (
			/^urn:/i.test(key) &&
			isObject(value) &&
			!schemas.some((s) => s.toLowerCase() === key.toLowerCase())
		) {
			schemas.push(key);
		}
	}
	result.schemas = schemas;
	return result;
}
