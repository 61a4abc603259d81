/**
 * Reading employees: field lists, batched search by ID / email, single reads, the "Simplify"
 * shape and the check for requested fields HiBob left out.
 *
 * HiBob returns each employee twice over: slash keys (`"/work/title": {"value": …}`, only for
 * non-null values) and the nested form (`work: { title: … }`, nulls kept, root fields at the top
 * level). Simplify keeps the nested form. A field the service user may not see is simply missing
 * from both, with no error, so a missing field must never be read as "cleared".
 */
import { NodeOperationError, type IDataObject, type INode } from 'n8n-workflow';

import { splitList } from '../../shared/lists';
import {
	NOT_FOUND,
	hiBobApiRequest,
	unexpectedAnswer,
	type HiBobContext,
	type HiBobSession,
} from '../transport';
import { employeeIdOf, sortByEmployeeId } from './order';

/**
 * The fields a user sync needs, and the default field selection: identity, name, job, manager and
 * the lifecycle (access status, lifecycle status, start and termination dates). Field IDs as in
 * HiBob's fields metadata (https://apidocs.hibob.com/docs/fields-metadata).
 */
export const SYNC_FIELDS = [
	'root.id',
	'root.email',
	'root.firstName',
	'root.surname',
	'root.displayName',
	'work.title',
	'work.department',
	'work.site',
	'work.startDate',
	'work.reportsTo',
	'internal.status',
	'internal.lifecycleStatus',
	'internal.terminationDate',
];

/**
 * HiBob's documented maximum of field IDs per request
 * (https://apidocs.hibob.com/reference/post_people-search).
 */
const MAX_FIELDS = 400;

export type HumanReadable = 'none' | 'append' | 'replace';

/** Dot-form field IDs; accepts the older slash form ("/work/title") too. */
function normaliseFieldId(fieldId: string): string {
	const trimmed = fieldId.trim();
	return trimmed.startsWith('/') ? trimmed.slice(1).replace(/\//g, '.') : trimmed;
}

/**
 * The `fields` to send: the picked fields plus free-entry ones (custom fields), with root.id always
 * included so every result can be identified. Empty means "HiBob's default set" (undefined).
 */
export function resolveFields(
	node: INode,
	picked: unknown,
	extra: unknown,
	itemIndex: number,
): string[] | undefined {
	const fields = [...new Set([...splitList(picked), ...splitList(extra)].map(normaliseFieldId))];
	if (fields.length === 0) return undefined;
	if (!fields.includes('root.id')) fields.unshift('root.id');
	if (fields.length > MAX_FIELDS) {
		throw new NodeOperationError(
			node,
			`HiBob accepts at most ${MAX_FIELDS} fields per request; ${fields.length} were selected`,
			{
				description: 'Select fewer fields, or split the read over two HiBob nodes.',
				itemIndex,
			},
		);
	}
	return fields;
}

/**
 * The `humanReadable` value HiBob takes for the node's option: APPEND, REPLACE, or none
 * (https://apidocs.hibob.com/docs/people-read-api-contract).
 */
export function humanReadableValue(
	option: HumanReadable | string | undefined,
): 'APPEND' | 'REPLACE' | undefined {
	if (option === 'append') return 'APPEND';
	if (option === 'replace') return 'REPLACE';
	return undefined;
}

/** The nested form only: drops HiBob's `/category/field` duplicates. */
export function simplifyEmployee(employee: IDataObject): IDataObject {
	return Object.fromEntries(
		Object.entries(employee).filter(([key]) => !key.startsWith('/')),
	) as IDataObject;
}

/** Where a field ID lives in the nested form: root fields at the top level. */
export function nestedPath(fieldId: string): string[] {
	const parts = normaliseFieldId(fieldId).split('.');
	return parts[0] === 'root' ? parts.slice(1) : parts;
}

/**
 * The nested value at `path` (a field's `nestedPath`), or undefined when HiBob did not return it
 * (null is a value). For hot loops: resolve the path once, read it per employee.
 */
export function readPath(employee: IDataObject, path: readonly string[]): unknown {
	let value: unknown = employee;
	for (const key of path) {
		if (
			value === null ||
			typeof value !== 'object' ||
			!Object.prototype.hasOwnProperty.call(value, key)
		)
			return undefined;
		value = (value as IDataObject)[key];
	}
	return value;
}

/** Requested fields that not one employee in the answer carries (HiBob drops them silently). */
function fieldsMissingFrom(employees: IDataObject[], fields: string[] | undefined): string[] {
	if (!fields || employees.length === 0) return [];
	return fields.filter((fieldId) => {
		const path = nestedPath(fieldId);
		return employees.every((employee) => readPath(employee, path) === undefined);
	});
}

/** The warning for requested fields HiBob left out of its answers, sorted, with what to check. */
export function missingFieldsHint(missing: Iterable<string>): string {
	const list = [...missing].sort();
	return (
		`HiBob did not return ${list.length === 1 ? 'this requested field' : 'these requested fields'}: ${list.join(', ')}. ` +
		'They are missing, not empty: either the field ID does not exist, or the service user’s permission group may not see its category. ' +
		'Check the field IDs (Metadata → Get Fields) and the permission group of the service user in Bob.'
	);
}

export interface SearchOptions {
	fields?: string[];
	showInactive: boolean;
	humanReadable?: 'APPEND' | 'REPLACE';
	/** Limit to these IDs / emails; undefined = everyone. */
	identifiers?: string[];
	batchSize: number;
	itemIndex: number;
}

function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * What is wrong with an employee object from HiBob ("not an object", 'an object without "id"'),
 * or undefined when it is one: a plain object with an `id` (HiBob always returns it, and this
 * package always asks for it). HiBob's IDs are strings of 19 digits; an ID sent as a JSON number
 * above 2^53 has lost digits in parsing (two people could share one), so it is refused.
 */
function employeeProblem(value: unknown): string | undefined {
	if (!isPlainObject(value)) return 'not an object';
	if (employeeIdOf(value) === undefined) return 'an object without "id"';
	if (typeof value.id === 'number' && !Number.isSafeInteger(value.id))
		return `an object whose "id" is a number too large to read exactly (${value.id})`;
	return undefined;
}

/**
 * The first ID that comes twice in one answer with different data, or undefined. The same
 * employee twice with the same data is harmless (kept once); with different data, which of the
 * two is right cannot be told.
 */
function conflictingDuplicate(employees: readonly IDataObject[]): string | undefined {
	const seen = new Map<string, IDataObject>();
	for (const employee of employees) {
		const id = employeeIdOf(employee) as string;
		const earlier = seen.get(id);
		if (earlier === undefined) seen.set(id, employee);
		else if (JSON.stringify(earlier) !== JSON.stringify(employee)) return id;
	}
	return undefined;
}

/**
 * The `employees` of a search answer, checked against the documented shape
 * `{ "employees": [ { "id": …, … }, … ] }` (https://apidocs.hibob.com/reference/post_people-search).
 * @throws NodeApiError for anything else (an employee without a readable ID, or one ID twice with
 *   different data included): no list is never read as "nobody".
 */
function employeesOf(context: HiBobContext, body: unknown, itemIndex: number): IDataObject[] {
	const endpoint = 'POST /people/search';
	const node = context.getNode();
	if (!isPlainObject(body) || !Array.isArray(body.employees)) {
		const problem = 'no "employees" list';
		throw unexpectedAnswer(node, { endpoint, problem, body }, itemIndex);
	}
	const employees = body.employees as unknown[];
	for (let index = 0; index < employees.length; index++) {
		const problem = employeeProblem(employees[index]);
		if (problem) {
			const where = `entry ${index + 1} of ${employees.length} in "employees" is ${problem}`;
			throw unexpectedAnswer(node, { endpoint, problem: where }, itemIndex);
		}
	}
	const twice = conflictingDuplicate(employees as IDataObject[]);
	if (twice !== undefined) {
		const problem = `employee ${twice} comes twice in "employees", with different data`;
		throw unexpectedAnswer(node, { endpoint, problem }, itemIndex);
	}
	return employees as IDataObject[];
}

/**
 * POST /people/search. HiBob has no paging and takes at most one filter on root.id or root.email
 * with a non-empty values list (an empty filter is a 400), so an ID / email list is sent in
 * batches, IDs and emails separately, and an empty list sends nothing at all
 * (https://apidocs.hibob.com/reference/post_people-search). Someone listed by ID and by email is
 * returned once; requested fields missing from the answers are added to the session. The result
 * is sorted by employee ID (numeric-aware, see ./order.ts), whatever order HiBob answered in.
 * @throws NodeApiError when HiBob fails, or answers anything but `{ employees: [...] }` with an
 *   `id` on every employee.
 */
export async function searchEmployees(
	this: HiBobContext,
	session: HiBobSession,
	options: SearchOptions,
): Promise<IDataObject[]> {
	const base: IDataObject = { showInactive: options.showInactive };
	if (options.fields) base.fields = options.fields;
	if (options.humanReadable) base.humanReadable = options.humanReadable;

	const requests: IDataObject[] = [];
	if (options.identifiers === undefined) {
		requests.push(base);
	} else {
		const unique = [...new Set(options.identifiers)];
		const emails = unique.filter((value) => value.includes('@'));
		const ids = unique.filter((value) => !value.includes('@'));
		const size = Math.max(1, Math.floor(options.batchSize));
		for (const [fieldPath, values] of [
			['root.id', ids],
			['root.email', emails],
		] as const) {
			for (let start = 0; start < values.length; start += size) {
				requests.push({
					...base,
					filters: [{ fieldPath, operator: 'equals', values: values.slice(start, start + size) }],
				});
			}
		}
	}

	const byId = new Map<string, IDataObject>();
	for (const body of requests) {
		const response = await hiBobApiRequest.call(this, session, {
			method: 'POST',
			path: '/people/search',
			body,
			itemIndex: options.itemIndex,
		});
		const employees = employeesOf(this, response, options.itemIndex);
		for (const missing of fieldsMissingFrom(employees, options.fields))
			session.missingFields.add(missing);
		for (const employee of employees) {
			const id = employeeIdOf(employee) as string;
			// Someone listed by ID and by email comes back twice: keep one.
			if (!byId.has(id)) byId.set(id, employee);
		}
	}
	return sortByEmployeeId([...byId.values()]);
}

/**
 * `POST /people/{id or email}`: one employee, or undefined when HiBob does not know them (404)
 * (https://apidocs.hibob.com/reference/post_people-identifier). HiBob answers the employee
 * object itself, not wrapped; asked by ID, it must be that employee.
 * @throws NodeApiError when HiBob fails, or answers anything but an employee object with an
 *   `id` (the one asked for, when asked by ID).
 */
export async function readEmployee(
	this: HiBobContext,
	session: HiBobSession,
	identifier: string,
	options: { fields?: string[]; humanReadable?: 'APPEND' | 'REPLACE'; itemIndex: number },
): Promise<IDataObject | undefined> {
	const body: IDataObject = {};
	if (options.fields) body.fields = options.fields;
	if (options.humanReadable) body.humanReadable = options.humanReadable;
	const answer = await hiBobApiRequest.call(this, session, {
		method: 'POST',
		path: `/people/${encodeURIComponent(identifier)}`,
		body,
		itemIndex: options.itemIndex,
		allowNotFound: true,
	});
	if (answer === NOT_FOUND) return undefined;
	const employee = checkedEmployee(this, identifier, answer, options.itemIndex);
	for (const missing of fieldsMissingFrom([employee], options.fields))
		session.missingFields.add(missing);
	return employee;
}

/**
 * The answer of `POST /people/{identifier}` when it is an employee object with an `id`, and that
 * `id` is the identifier when it was asked by ID (an email is not compared: HiBob may match
 * it in ways it does not document).
 * @throws NodeApiError otherwise.
 */
function checkedEmployee(
	context: HiBobContext,
	identifier: string,
	answer: unknown,
	itemIndex: number,
): IDataObject {
	const endpoint = 'POST /people/{id or email}';
	const node = context.getNode();
	const problem = employeeProblem(answer);
	if (problem) {
		const what = `the answer is ${problem}`;
		throw unexpectedAnswer(node, { endpoint, problem: what, body: answer }, itemIndex);
	}
	const id = employeeIdOf(answer as IDataObject) as string;
	if (!identifier.includes('@') && id !== identifier) {
		const what = `asked for employee ${identifier}, HiBob answered with employee ${id}`;
		throw unexpectedAnswer(node, { endpoint, problem: what }, itemIndex);
	}
	return answer as IDataObject;
}
