/**
 * Builds the query string of `GET /connectors/{id}`: skip, take, orderbyfieldids and the filter.
 * Pure (no n8n context) so every rule here is unit-tested.
 *
 * Filter grammar (https://docs.afas.help/profit/en/get-connector#filtering): `;` separates
 * OR-groups and `,` separates AND-conditions inside a group, in all three of filterfieldids /
 * filtervalues / operatortypes. AFAS has no way to escape `,` or `;` inside a value, so such
 * filters go as `filterjson` instead; so does a filter whose compact query string would pass
 * AFAS' limit of 2049 characters (AFAS answers 404). filterjson is longer than the compact form
 * for the same conditions, so in that case it rarely fits either: then the node stops with an error that says how long the query got,
 * instead of letting AFAS answer a puzzling 404.
 */
import { DateTime } from 'luxon';

import { toAfasFilterDate } from './dates';
import { sortToken, type SortField } from './sort';

export const AFAS_OPERATORS = {
	equals: { code: 1, name: 'Is Equal To' },
	greaterOrEqual: { code: 2, name: 'Is Greater Than or Equal To' },
	lessOrEqual: { code: 3, name: 'Is Less Than or Equal To' },
	greaterThan: { code: 4, name: 'Is Greater Than' },
	lessThan: { code: 5, name: 'Is Less Than' },
	contains: { code: 6, name: 'Contains' },
	notEquals: { code: 7, name: 'Is Not Equal To' },
	isEmpty: { code: 8, name: 'Is Empty' },
	isNotEmpty: { code: 9, name: 'Is Not Empty' },
	startsWith: { code: 10, name: 'Starts With' },
	notContains: { code: 11, name: 'Does Not Contain' },
	notStartsWith: { code: 12, name: 'Does Not Start With' },
	endsWith: { code: 13, name: 'Ends With' },
	notEndsWith: { code: 14, name: 'Does Not End With' },
	quickFilter: { code: 15, name: 'Quick Filter' },
} as const;

export type AfasOperator = keyof typeof AFAS_OPERATORS;

/** Whether `value` names one of AFAS_OPERATORS (a parameter value from the node). */
export function isAfasOperator(value: unknown): value is AfasOperator {
	return typeof value === 'string' && Object.prototype.hasOwnProperty.call(AFAS_OPERATORS, value);
}

export interface FilterCondition {
	field: string;
	operator: AfasOperator;
	value: unknown;
}

/** OR over groups, AND over the conditions of a group. */
export type FilterGroups = FilterCondition[][];

/** AFAS' documented limit for the query string, counted from the `?`. */
export const MAX_QUERY_LENGTH = 2049;

export type WildcardMode = 'auto' | 'none';

/**
 * Whether REST operators 6 and 10-14 need `%` wildcards is unverified: AFAS' XML filter docs
 * use `%NL%` for "contains", other clients differ. Adding them is harmless if the server adds
 * its own (LIKE '%%x%%' = LIKE '%x%'), so `auto` adds a `%` where the operator implies one
 * unless the user already typed it. `none` sends the value as typed.
 */
function withWildcards(value: string, operator: AfasOperator, mode: WildcardMode): string {
	if (mode === 'none' || value === '') return value;
	const leading = ['contains', 'notContains', 'endsWith', 'notEndsWith'].includes(operator);
	const trailing = ['contains', 'notContains', 'startsWith', 'notStartsWith'].includes(operator);
	let result = value;
	if (leading && !result.startsWith('%')) result = `%${result}`;
	if (trailing && !result.endsWith('%')) result = `${result}%`;
	return result;
}

/**
 * Text AFAS gets for one condition's value.
 * `fieldType` is the metainfo dataType when known: date fields get AFAS' date format; for an
 * unknown field only values that are unmistakably instants (Date, luxon, ISO with offset or `Z`
 * and a time) are converted. Booleans go as `true`/`false` (AFAS' accepted boolean form is
 * unverified; type `1`/`0` as the value if a tenant needs that).
 */
export function formatFilterValue(
	value: unknown,
	operator: AfasOperator,
	options: { fieldType?: string; wildcards?: WildcardMode } = {},
): string {
	// AFAS requires a value for "is empty" / "is not empty"; an empty one is documented as fine.
	if (operator === 'isEmpty' || operator === 'isNotEmpty') {
		return value === undefined || value === null ? '' : String(value);
	}
	if (value === undefined || value === null) return '';
	const isInstant = value instanceof Date || DateTime.isDateTime(value);
	const isDateTimeText =
		typeof value === 'string' &&
		/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value.trim()) &&
		/(Z|[+-]\d{2}:?\d{2})$/.test(value.trim());
	if (
		isInstant ||
		options.fieldType === 'date' ||
		(options.fieldType === undefined && isDateTimeText)
	) {
		const date = toAfasFilterDate(value);
		if (date !== undefined) return date;
	}
	let text: string;
	if (typeof value === 'string') text = value;
	else if (typeof value === 'number' || typeof value === 'boolean') text = String(value);
	else text = JSON.stringify(value);
	return withWildcards(text, operator, options.wildcards ?? 'auto');
}

export interface PreparedCondition {
	field: string;
	operatorCode: number;
	value: string;
}

export type PreparedGroups = PreparedCondition[][];

function encode(text: string): string {
	return encodeURIComponent(text);
}

function compactFilter(groups: PreparedGroups): string {
	const fields = groups.map((group) => group.map((c) => encode(c.field)).join(',')).join(';');
	const values = groups.map((group) => group.map((c) => encode(c.value)).join(',')).join(';');
	const operators = groups
		.map((group) => group.map((c) => String(c.operatorCode)).join(','))
		.join(';');
	return `filterfieldids=${fields}&filtervalues=${values}&operatortypes=${operators}`;
}

/** The `filterjson` document: one Filter per OR-group, one Field per AND-condition. */
export function filterJson(groups: PreparedGroups): string {
	return JSON.stringify({
		Filters: {
			Filter: groups.map((group, index) => ({
				'@FilterId': `Filter ${index + 1}`,
				Field: group.map((c) => ({
					'@FieldId': c.field,
					'@OperatorType': String(c.operatorCode),
					'#text': c.value,
				})),
			})),
		},
	});
}

export type FilterEncoding = 'none' | 'compact' | 'json';

export interface QueryPlan {
	encoding: FilterEncoding;
	/** The sort fields sent, in order: all of the planned ones, or as many as fit (see planQuery). */
	sort: SortField[];
	/** How many sort fields were planned; more than `sort.length` when some were left out to fit. */
	plannedSortFields: number;
	/** Query string without the leading `?`. */
	forPage(skip: number, take: number): string;
}

/** A filter that cannot fit in AFAS' query string limit in any encoding; the message says so. */
export class QueryTooLongError extends Error {
	constructor(length: number) {
		super(
			`The filter is too long for AFAS: the query string would be ${length} characters, ` +
				`AFAS accepts at most ${MAX_QUERY_LENGTH}. Use fewer or shorter filter values, or ` +
				'filter in the GetConnector definition in Profit instead.',
		);
		this.name = 'QueryTooLongError';
	}
}

function tryPlan(
	sort: SortField[],
	plannedSortFields: number,
	groups: PreparedGroups,
): QueryPlan | { tooLong: number } {
	const orderBy = sort.map(sortToken).join(',');
	const sortParameter = orderBy ? `&orderbyfieldids=${encode(orderBy)}` : '';
	const page = (skip: number, take: number) => `skip=${skip}&take=${take}${sortParameter}`;
	const widest = page(999_999_999, 999_999_999);

	let filter = '';
	let encoding: FilterEncoding = 'none';
	if (groups.length > 0) {
		const hasSeparator = groups.some((group) =>
			group.some((c) => /[,;]/.test(c.value) || /[,;]/.test(c.field)),
		);
		const compact = compactFilter(groups);
		if (!hasSeparator && 1 + widest.length + 1 + compact.length <= MAX_QUERY_LENGTH) {
			filter = compact;
			encoding = 'compact';
		} else {
			filter = `filterjson=${encode(filterJson(groups))}`;
			encoding = 'json';
		}
	}
	const length = 1 + widest.length + (filter ? 1 + filter.length : 0);
	if (length > MAX_QUERY_LENGTH) return { tooLong: length };
	return {
		encoding,
		sort,
		plannedSortFields,
		forPage: (skip, take) => (filter ? `${page(skip, take)}&${filter}` : page(skip, take)),
	};
}

/**
 * Decides the filter encoding and the sort once for all pages (with the widest skip/take that
 * can occur) so every page of one read is filtered and sorted the same way.
 * When the query is too long, trailing sort fields are left out, but never one of the first
 * `keep` (the fields the user chose) and never the last one: the plan then has fewer `sort`
 * fields than `plannedSortFields`, and the read must check that the rows do not tie on the
 * fields sent (ties would make offset paging skip or repeat rows).
 * @throws QueryTooLongError when the query cannot be made short enough.
 */
export function planQuery(options: {
	sort: SortField[];
	keep?: number;
	groups: PreparedGroups;
}): QueryPlan {
	const groups = options.groups.filter((group) => group.length > 0);
	const planned = options.sort.length;
	const fewest = Math.min(planned, Math.max(1, options.keep ?? planned));
	let plan = tryPlan(options.sort, planned, groups);
	for (let count = planned - 1; 'tooLong' in plan && count >= fewest; count--) {
		plan = tryPlan(options.sort.slice(0, count), planned, groups);
	}
	if ('tooLong' in plan) throw new QueryTooLongError(plan.tooLong);
	return plan;
}

/**
 * The conditions as AFAS gets them: operator codes, and values formatted for the field's type
 * (`fieldTypes`: field ID → metainfo dataType) with `%` wildcards as `wildcards` says.
 */
export function prepareGroups(
	groups: FilterGroups,
	options: { fieldTypes?: Map<string, string>; wildcards?: WildcardMode } = {},
): PreparedGroups {
	return groups.map((group) =>
		group.map((condition) => ({
			field: condition.field,
			operatorCode: AFAS_OPERATORS[condition.operator].code,
			value: formatFilterValue(condition.value, condition.operator, {
				fieldType: options.fieldTypes?.get(condition.field),
				wildcards: options.wildcards,
			}),
		})),
	);
}
