/**
 * HiBob's rules for reading people, as the sandbox applies them to a request body:
 * - `fields`: at most 400 field IDs (dot or slash form); unknown fields and fields outside the
 *   service user's categories are dropped silently; left out = HiBob's default field set.
 * - `filters`: at most one, on `root.id` or `root.email` (any case) with operator `equals` and a
 *   non-empty list of strings; an empty filter (`[]`, `null`, `{}`) is a 400 unless lenient.
 * - `showInactive`: false (default) returns people whose access status is Active only.
 * - `humanReadable`: `APPEND` or `REPLACE` (upper case unless case-insensitive).
 * - No paging: every match in one answer; the order is not documented (stored order, or
 *   shuffled on every call when the sandbox is told so).
 *
 * Search: https://apidocs.hibob.com/reference/post_people-search
 * Read one: https://apidocs.hibob.com/reference/post_people-identifier
 */
import { HttpError } from '../errors';
import { isObject } from '../json';
import { DEFAULT_FIELD_IDS, FIELDS_BY_ID } from '../metadata';
import type { StoredEmployee } from '../model';
import { projectEmployee, type HumanReadable, type ProjectionContext } from '../projection';
import type { ServiceUser } from '../state/access';
import type { Company } from '../state/company';
import { shuffled } from '../state/faults';
import { lifecycleOn } from '../state/lifecycle';

export interface PeopleRules {
	/** Accept `filters: []`, `null` or `{}` as "no filter" instead of answering 400. */
	lenientFilters: boolean;
	/** Accept humanReadable in any case ("append"). */
	humanReadableCaseInsensitive: boolean;
}

/**
 * What the people endpoints read: the company, the projection settings, the rules above, and
 * the order of search results (a random source when they are shuffled, undefined for the
 * stored order).
 */
export interface PeopleContext {
	company: Company;
	rules: PeopleRules;
	projection: () => ProjectionContext;
	shuffle: () => (() => number) | undefined;
}

const MAX_FIELDS = 400;

type Filter = { fieldPath: 'root.id' | 'root.email'; values: string[] };

const badRequest = (message: string) => new HttpError(400, 'bad_request', message);

function requestObject(body: unknown): Record<string, unknown> {
	const request = body === undefined ? {} : body;
	if (!isObject(request)) throw badRequest('The request body must be a JSON object');
	return request;
}

function mayReadField(user: ServiceUser, fieldId: string): boolean {
	const category = fieldId.split('.')[0];
	return category === 'root' || !user.categories || user.categories.includes(category);
}

function mayReadPerson(user: ServiceUser, employee: StoredEmployee, today: string): boolean {
	return user.peopleScope !== 'active' || lifecycleOn(employee, today).status === 'Active';
}

/** The field IDs to answer with: the asked ones the company knows and the user may read. */
function fieldsToRead(user: ServiceUser, raw: unknown, company: Company): string[] {
	if (raw === undefined) return DEFAULT_FIELD_IDS.filter((id) => mayReadField(user, id));
	if (!Array.isArray(raw) || raw.some((f) => typeof f !== 'string'))
		throw badRequest('"fields" must be an array of field IDs');
	if (raw.length > MAX_FIELDS)
		throw badRequest(`Too many fields: ${raw.length} (at most ${MAX_FIELDS})`);
	const ids = (raw as string[]).map((f) =>
		f.startsWith('/') ? f.slice(1).replace(/\//g, '.') : f,
	);
	const known = (id: string) =>
		FIELDS_BY_ID.has(id) || (id.startsWith('work.custom.') && company.hasCustomField(id));
	return [...new Set(ids)].filter((id) => known(id) && mayReadField(user, id));
}

function humanReadableOf(raw: unknown, rules: PeopleRules): HumanReadable | undefined {
	if (raw === undefined || raw === null) return undefined;
	const value =
		typeof raw === 'string' && rules.humanReadableCaseInsensitive ? raw.toUpperCase() : raw;
	if (value === 'APPEND' || value === 'REPLACE') return value;
	throw badRequest(`humanReadable must be "APPEND" or "REPLACE", not ${JSON.stringify(raw)}`);
}

/** The one filter of a search, undefined for none; HttpError 400 for what HiBob refuses. */
function filterOf(request: Record<string, unknown>, rules: PeopleRules): Filter | undefined {
	if (!('filters' in request)) return undefined;
	const filters = request.filters;
	const empty =
		filters === null ||
		(Array.isArray(filters) && filters.length === 0) ||
		(isObject(filters) && Object.keys(filters).length === 0);
	if (empty) {
		if (rules.lenientFilters) return undefined;
		throw badRequest('filters must not be empty: leave the key out to read everyone');
	}
	if (!Array.isArray(filters) || filters.length !== 1)
		throw badRequest('Only one filter is supported');
	const filter: unknown = filters[0];
	if (!isObject(filter) || (filter.fieldPath !== 'root.id' && filter.fieldPath !== 'root.email'))
		throw badRequest('Filtering is possible only on root.id or root.email');
	if (filter.operator !== 'equals') throw badRequest('The only supported operator is "equals"');
	const values = filter.values;
	if (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== 'string'))
		throw badRequest('Missing required field: values');
	return { fieldPath: filter.fieldPath, values: values as string[] };
}

function matches(filter: Filter): (employee: StoredEmployee) => boolean {
	if (filter.fieldPath === 'root.id') {
		const ids = new Set(filter.values);
		return (employee) => ids.has(employee.id);
	}
	const emails = new Set(filter.values.map((v) => v.toLowerCase()));
	return (employee) => employee.email !== null && emails.has(employee.email.toLowerCase());
}

/** `POST /v1/people/search`: `{ employees: [...] }`; HttpError 400 for a request HiBob refuses. */
export function searchPeople(user: ServiceUser, body: unknown, ctx: PeopleContext) {
	const request = requestObject(body);
	const fields = fieldsToRead(user, request.fields, ctx.company);
	const humanReadable = humanReadableOf(request.humanReadable, ctx.rules);
	if (request.showInactive !== undefined && typeof request.showInactive !== 'boolean')
		throw badRequest('"showInactive" must be a boolean');
	const filter = filterOf(request, ctx.rules);
	const today = ctx.company.today();
	let people = [...ctx.company.directory.values()].filter((e) => mayReadPerson(user, e, today));
	if (!request.showInactive)
		people = people.filter((e) => lifecycleOn(e, today).status === 'Active');
	if (filter) people = people.filter(matches(filter));
	const random = ctx.shuffle();
	if (random) people = shuffled(people, random);
	const projection = ctx.projection();
	return { employees: people.map((e) => projectEmployee(e, fields, humanReadable, projection)) };
}

/** `POST /v1/people/{id or email}`: one employee, unwrapped; HttpError 404 when not found. */
export function readPerson(
	user: ServiceUser,
	identifier: string,
	body: unknown,
	ctx: PeopleContext,
) {
	const request = requestObject(body);
	const employee = ctx.company.find(identifier);
	if (!employee || !mayReadPerson(user, employee, ctx.company.today()))
		throw new HttpError(404, 'not_found', `Employee ${identifier} not found`);
	return projectEmployee(
		employee,
		fieldsToRead(user, request.fields, ctx.company),
		humanReadableOf(request.humanReadable, ctx.rules),
		ctx.projection(),
	);
}
