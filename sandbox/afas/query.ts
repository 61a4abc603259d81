/**
 * How the AFAS sandbox reads and applies GetConnector query parameters: the two filter syntaxes
 * (compact `filterfieldids`/`filtervalues`/`operatortypes` and `filterjson`), the 15 operators,
 * `orderbyfieldids`, and value comparison per metainfo `dataType`.
 *
 * Pure functions, no HTTP. Errors are thrown as `AfasQueryError`; the server turns them into the
 * AFAS 500 body. Source for the parameters and operators:
 * https://help.afas.nl/help/EN/SE/App_Cnr_Rest_GET.htm
 */

/** The `dataType` values AFAS' metainfo uses. */
export type AfasDataType = 'string' | 'int' | 'decimal' | 'date' | 'boolean' | 'blob';

/** What filtering and sorting need of a field: its id and type. */
export interface FieldTypeInfo {
	id: string;
	dataType: AfasDataType;
}

/** One filter condition: field id, operator number (1-15) and the value as sent. */
export interface FilterCondition {
	fieldId: string;
	operator: number;
	value: string;
}

/** Disjunctive normal form: OR over groups, AND over the conditions inside a group. */
export type FilterGroups = FilterCondition[][];

/** One `orderbyfieldids` entry. */
export interface SortKey {
	fieldId: string;
	descending: boolean;
}

/**
 * `generic` becomes "An unexpected error has occurred." (AFAS gives no detail for malformed
 * input); `fieldNotFound` becomes "Connector field '<id>' not found", AFAS' text for a filter
 * or sort on a field the connector does not have; `invalidIndexField` becomes "General message:
 * Invalid Index field", the answer to a sort on a field ID with a special character that is not
 * written as `['id']`.
 */
export class AfasQueryError extends Error {
	constructor(
		readonly kind: 'generic' | 'fieldNotFound' | 'invalidIndexField',
		detail: string,
		readonly fieldId?: string,
	) {
		super(detail);
	}
}

/**
 * How NULL takes part in comparisons. AFAS runs on SQL Server, where NULL fails every
 * comparison, negations included (`col <> 'x'` is not true for NULL): 'sql'. Whether AFAS
 * rewrites "is not equal" and friends to also match empty fields is not documented, so the
 * other behaviour is available as 'negationsMatchNull'.
 */
export type NullSemantics = 'sql' | 'negationsMatchNull';

const NEGATIONS = new Set([7, 11, 12, 14]);

// SQL Server's default collation is case-insensitive and accent-sensitive: 'a' = 'A', 'a' != 'á'.
const collator = new Intl.Collator('nl', { sensitivity: 'accent' });

function fail(detail: string): never {
	throw new AfasQueryError('generic', detail);
}

/** Finds a field by id: exact first, then case-insensitively (AFAS documents no case rules). */
function findField<T extends FieldTypeInfo>(fields: readonly T[], id: string): T | undefined {
	return (
		fields.find((field) => field.id === id) ??
		fields.find((field) => field.id.toLowerCase() === id.toLowerCase())
	);
}

function requireField<T extends FieldTypeInfo>(fields: readonly T[], id: string): T {
	const field = findField(fields, id);
	if (!field) throw new AfasQueryError('fieldNotFound', `Connector field '${id}' not found`, id);
	return field;
}

/**
 * Compact syntax: `;` splits OR-groups, `,` splits AND-conditions; all three lists must have
 * the same shape. The values arrive URL-decoded. A missing `filtervalues` is an error even for
 * operators 8/9 (is empty, is not empty), which AFAS says still need a value ("" or "[is leeg]").
 */
export function parseCompactFilter(
	fieldIds: string,
	values: string | null,
	operators: string | null,
): FilterGroups {
	if (values === null || operators === null) {
		fail('filterfieldids needs filtervalues and operatortypes with the same number of items');
	}
	const split = (text: string) => text.split(';').map((group) => group.split(','));
	const idGroups = split(fieldIds);
	const valueGroups = split(values);
	const operatorGroups = split(operators);
	if (idGroups.length !== valueGroups.length || idGroups.length !== operatorGroups.length) {
		fail('filterfieldids, filtervalues and operatortypes have a different number of ;-groups');
	}
	return idGroups.map((ids, groupIndex) => {
		if (
			ids.length !== valueGroups[groupIndex].length ||
			ids.length !== operatorGroups[groupIndex].length
		) {
			fail(`filter group ${groupIndex + 1} has a different number of ,-items in the three lists`);
		}
		return ids.map((fieldId, itemIndex) => ({
			fieldId: fieldId.trim(),
			operator: parseOperator(operatorGroups[groupIndex][itemIndex]),
			value: valueGroups[groupIndex][itemIndex],
		}));
	});
}

function parseOperator(text: unknown): number {
	const operator = typeof text === 'number' ? text : Number(String(text).trim());
	if (!Number.isInteger(operator) || operator < 1 || operator > 15)
		fail(`operator type "${String(text)}" is not 1-15`);
	return operator;
}

const asList = (value: unknown): unknown[] =>
	Array.isArray(value) ? value : value === undefined ? [] : [value];

/**
 * `filterjson` mirrors the XML filter: `{"Filters":{"Filter":[{"@FilterId":..,"Field":[{"@FieldId",
 * "@OperatorType","#text"}]}]}}`. `Filter` and `Field` may also be single objects, and
 * operator and value may be numbers (XML-to-JSON converters produce both; whether AFAS accepts
 * them is not documented, so the sandbox is tolerant). A missing `#text` counts as "".
 */
export function parseFilterJson(text: string): FilterGroups {
	let document: unknown;
	try {
		document = JSON.parse(text);
	} catch {
		fail('filterjson is not valid JSON');
	}
	const filters = asList((document as { Filters?: { Filter?: unknown } } | null)?.Filters?.Filter);
	if (filters.length === 0) fail('filterjson has no Filters.Filter');
	return filters.map((filter) => {
		const fields = asList((filter as { Field?: unknown } | null)?.Field);
		if (fields.length === 0) fail('a filterjson Filter has no Field');
		return fields.map((field) => {
			const entry = (field ?? {}) as Record<string, unknown>;
			if (typeof entry['@FieldId'] !== 'string') fail('a filterjson Field has no "@FieldId"');
			const raw = entry['#text'];
			return {
				fieldId: entry['@FieldId'] as string,
				operator: parseOperator(entry['@OperatorType']),
				value: raw === undefined || raw === null ? '' : String(raw),
			};
		});
	});
}

// Filter values for dates: date or naive local date-time; a trailing Z is refused (as AFAS does).
const FILTER_DATE = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?$/;
// Row values as served: always `YYYY-MM-DDTHH:MM:SSZ` with a fake Z (Amsterdam time, not UTC).
const ROW_DATE = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?Z?$/;

function comparableDate(match: RegExpExecArray): string {
	const [, date, hours = '00', minutes = '00', seconds = '00', fraction = ''] = match;
	return `${date}T${hours}:${minutes}:${seconds}.${fraction.padEnd(7, '0')}`;
}

type Comparable = string | number | boolean;

/** A row value in a form that compares correctly for its type; null for empty. */
function rowComparable(value: unknown, dataType: AfasDataType): Comparable | null {
	if (value === null || value === undefined) return null;
	if (dataType === 'date' && typeof value === 'string') {
		const match = ROW_DATE.exec(value);
		return match ? comparableDate(match) : value;
	}
	if (typeof value === 'number' || typeof value === 'boolean') return value;
	return String(value);
}

/** A filter value parsed for the field's type; throws AfasQueryError (AFAS' generic 500) when it does not parse. */
function filterComparable(value: string, dataType: AfasDataType, fieldId: string): Comparable {
	switch (dataType) {
		case 'int':
		case 'decimal': {
			const number = value.trim() === '' ? Number.NaN : Number(value.trim());
			if (!Number.isFinite(number)) fail(`"${value}" is not a number (field ${fieldId})`);
			return number;
		}
		case 'date': {
			const match = FILTER_DATE.exec(value.trim());
			if (!match)
				fail(
					`"${value}" is not a date as AFAS wants it (YYYY-MM-DDTHH:MM:SS, no Z) (field ${fieldId})`,
				);
			return comparableDate(match);
		}
		case 'boolean': {
			const text = value.trim().toLowerCase();
			if (text === 'true' || text === '1') return true;
			if (text === 'false' || text === '0') return false;
			return fail(`"${value}" is not a boolean (true, false, 1 or 0) (field ${fieldId})`);
		}
		default:
			return value;
	}
}

function compareValues(left: Comparable, right: Comparable): number {
	if (typeof left === 'string' && typeof right === 'string') {
		// SQL Server ignores trailing spaces when comparing strings.
		return collator.compare(left.trimEnd(), right.trimEnd());
	}
	if (typeof left === 'boolean' || typeof right === 'boolean') return Number(left) - Number(right);
	if (typeof left === 'number' && typeof right === 'number') return left - right;
	return collator.compare(String(left), String(right));
}

const stripWildcards = (value: string) => value.replace(/^%/, '').replace(/%$/, '');

/** Text form used by contains / starts with / ends with, for any type. */
function textForm(value: Comparable): string {
	if (typeof value === 'string') return value.toLocaleLowerCase('nl');
	return String(value).toLowerCase();
}

function isEmpty(value: Comparable | null): boolean {
	return value === null || (typeof value === 'string' && value.trim() === '');
}

type RowTest = (row: Record<string, unknown>) => boolean;

function compileCondition(
	condition: FilterCondition,
	field: FieldTypeInfo,
	nulls: NullSemantics,
): RowTest {
	const { operator, value } = condition;
	const dataType = field.dataType;
	const read = (row: Record<string, unknown>) => rowComparable(row[field.id], dataType);

	if (operator === 8) return (row) => isEmpty(read(row));
	if (operator === 9) return (row) => !isEmpty(read(row));

	// REST clients disagree on whether values carry `%` wildcards; one leading/trailing `%` is
	// accepted and ignored for the text operators (AFAS does not document it for REST). Op 7 with
	// `%x%` means "does not contain", as AFAS' XML filter documentation shows
	// (https://help.afas.nl/help/NL/SE/App_Con_GS-Local_Get_Filter_xml.htm).
	const textOperator = operator === 6 || operator >= 10;
	const wrapped = value.length >= 2 && value.startsWith('%') && value.endsWith('%');
	let test: (actual: Comparable) => boolean;
	if (textOperator || (operator === 7 && wrapped)) {
		const needle = textForm(stripWildcards(value));
		const contains = (actual: Comparable) => textForm(actual).includes(needle);
		const starts = (actual: Comparable) => textForm(actual).startsWith(needle);
		const ends = (actual: Comparable) => textForm(actual).trimEnd().endsWith(needle);
		const byOperator: Record<number, (actual: Comparable) => boolean> = {
			6: contains,
			7: (actual) => !contains(actual),
			10: starts,
			11: (actual) => !contains(actual),
			12: (actual) => !starts(actual),
			13: ends,
			14: (actual) => !ends(actual),
			// Quick filter ("Sf AFAS" finds names containing AFAS): treated as contains (not documented for REST).
			15: contains,
		};
		test = byOperator[operator];
	} else {
		const expected = filterComparable(value, dataType, field.id);
		const byOperator: Record<number, (difference: number) => boolean> = {
			1: (difference) => difference === 0,
			2: (difference) => difference >= 0,
			3: (difference) => difference <= 0,
			4: (difference) => difference > 0,
			5: (difference) => difference < 0,
			7: (difference) => difference !== 0,
		};
		const check = byOperator[operator];
		test = (actual) => check(compareValues(actual, expected));
	}
	const nullResult = nulls === 'negationsMatchNull' && NEGATIONS.has(operator);
	return (row) => {
		const actual = read(row);
		return actual === null ? nullResult : test(actual);
	};
}

/** Validates field ids, operators and values, and returns a row predicate (OR of ANDs). */
export function compileFilter(
	groups: FilterGroups,
	fields: readonly FieldTypeInfo[],
	nulls: NullSemantics = 'sql',
): RowTest {
	const compiled = groups.map((group) =>
		group.map((condition) =>
			compileCondition(condition, requireField(fields, condition.fieldId), nulls),
		),
	);
	return (row) => compiled.some((group) => group.every((test) => test(row)));
}

/** A field ID that `orderbyfieldids` takes as it is: letters, digits, `_` and `-`. */
const PLAIN_SORT_ID = /^[\p{L}\p{N}_-]+$/u;

/** One `orderbyfieldids` entry: `-`, then a plain ID or one written as `['id']`. */
const SORT_ENTRY = /\s*(-?)(?:\['([^']*)'\]|([^,]*))\s*(?:,|$)/y;

/**
 * `orderbyfieldids=A,-B,['Cat._result']`: comma list, `-` = descending (as AFAS documents,
 * https://docs.afas.help/profit/en/get-connector#orderby). A field ID with other characters than
 * letters, digits, `_` and `-` must be written `['id']`: sent as it is, AFAS answers 500 "General
 * message: Invalid Index field", as Invantive reports
 * (https://forums.invantive.com/t/afas-getconnector-geeft-invalid-index-field/641). Throws
 * AfasQueryError for that and for an unknown field.
 */
export function parseOrderBy(text: string, fields: readonly FieldTypeInfo[]): SortKey[] {
	const keys: SortKey[] = [];
	SORT_ENTRY.lastIndex = 0;
	while (SORT_ENTRY.lastIndex < text.length) {
		const match = SORT_ENTRY.exec(text);
		if (!match) fail(`orderbyfieldids "${text}" cannot be read`);
		const [, minus, quoted, plain] = match;
		const id = quoted ?? plain.trim();
		if (id === '') continue;
		if (quoted === undefined && !PLAIN_SORT_ID.test(id))
			throw new AfasQueryError('invalidIndexField', 'General message: Invalid Index field', id);
		const field = requireField(fields, id);
		keys.push({ fieldId: field.id, descending: minus === '-' });
	}
	return keys;
}

/** NULL sorts first ascending (SQL Server), strings by the case-insensitive collation. */
function compareSortValues(
	a: Comparable | null,
	b: Comparable | null,
	descending: boolean,
): number {
	const order =
		a === null || b === null ? (a === b ? 0 : a === null ? -1 : 1) : compareValues(a, b);
	return descending && order !== 0 ? -order : order;
}

/** The result of `sortRows`. */
export interface SortedRows {
	/** Row indices in sort order; rows that tie keep the order they had in `indices`. */
	order: number[];
	/** Runs `[start, end)` of `order` whose rows tie on every key (two rows or more), by start. */
	ties: Array<[number, number]>;
}

/**
 * Sorts the rows at `indices` by `keys`: NULL first ascending (SQL Server), strings by the
 * case-insensitive collation; rows that tie keep their incoming order. Reads each row's sort
 * values once instead of on every comparison, and reports which rows tie (the database gives
 * those no order, so the server shuffles them per request). Throws AfasQueryError for an
 * unknown field.
 */
export function sortRows(
	rows: ReadonlyArray<Record<string, unknown>>,
	indices: readonly number[],
	keys: readonly SortKey[],
	fields: readonly FieldTypeInfo[],
): SortedRows {
	const columns = keys.map((key) => {
		const dataType = requireField(fields, key.fieldId).dataType;
		const values = new Array<Comparable | null>(rows.length);
		for (const index of indices) values[index] = rowComparable(rows[index][key.fieldId], dataType);
		return { values, descending: key.descending };
	});
	const compare = (left: number, right: number): number => {
		for (const column of columns) {
			const order = compareSortValues(
				column.values[left] ?? null,
				column.values[right] ?? null,
				column.descending,
			);
			if (order !== 0) return order;
		}
		return 0;
	};
	// Array.prototype.sort is stable: ties keep the incoming order.
	const order = [...indices].sort(compare);
	const ties: Array<[number, number]> = [];
	let runStart = 0;
	for (let position = 1; position <= order.length; position++) {
		if (position < order.length && compare(order[position - 1], order[position]) === 0) continue;
		if (position - runStart > 1) ties.push([runStart, position]);
		runStart = position;
	}
	return { order, ties };
}
