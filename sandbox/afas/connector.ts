/**
 * One GetConnector as the AFAS sandbox stores it: its metainfo fields, its rows in the form AFAS
 * serves them, and the work remembered per connector (row orders per query, each row's JSON).
 *
 * Served form, as AFAS sends rows: every field in every row, empty values as `null`, dates as
 * `YYYY-MM-DDTHH:MM:SSZ` with a literal Z that is not UTC (AFAS means Amsterdam local time).
 * Source: https://help.afas.nl/help/EN/SE/App_Cnr_Rest_GET.htm
 */
import { completeFieldMeta, type AfasFieldMeta } from './data';
import type { AfasDataType } from './query';

/** A connector's rows under one filter and sort. */
export interface RowView {
	/** Row indices: sorted with ties in storage order, or in storage order when there is no sort. */
	order: number[];
	sorted: boolean;
	/** Runs `[start, end)` of `order` that tie on every sort field, by start (sorted views only). */
	ties: Array<[number, number]>;
	/** The rows' JSON in `order`, comma-separated, and where each row starts in it (built on first use). */
	serialised?: { bytes: Buffer; offsets: Uint32Array };
}

/** A GetConnector: its definition and rows. */
export interface Connector {
	id: string;
	description: string;
	fields: AfasFieldMeta[];
	/** Rows in served form, in storage order. Never changed in place: setRows replaces the connector. */
	rows: Array<Record<string, unknown>>;
	/** AFAS' Fair Use block of the connector definition: calls get a 500 while set. */
	blocked: boolean;
	/**
	 * Work done once per connector instead of on every request: the filtered and sorted row
	 * order per query (keyed by the query's filter and sort) and each row's JSON (UTF-8). As rows
	 * never change in place, neither needs invalidating.
	 */
	views: Map<string, RowView>;
	rowJson: Array<Buffer | undefined>;
}

/** What a connector is made from; rows may still be in input form (see `createConnector`). */
export interface ConnectorDefinition {
	id: string;
	description: string;
	fields: AfasFieldMeta[];
	rows: Array<Record<string, unknown>>;
	blocked: boolean;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?(\.\d+)?Z?$/;

/** A date value in served form; throws when `value` is not a date ('YYYY-MM-DD[THH:MM[:SS]]' or a Date). */
function servedDate(value: unknown, where: string): string {
	if (value instanceof Date) return `${value.toISOString().slice(0, 19)}Z`;
	if (typeof value === 'string' && DATE_ONLY.test(value)) return `${value}T00:00:00Z`;
	const match = typeof value === 'string' ? DATE_TIME.exec(value) : null;
	if (match) return `${match[1]}T${match[2]}${match[3] ?? ':00'}Z`;
	throw new Error(
		`${where}: ${JSON.stringify(value)} is not a date (use 'YYYY-MM-DD' or 'YYYY-MM-DDTHH:MM:SS')`,
	);
}

/**
 * One value in served form for a field of `dataType`: '' and undefined become null, dates get
 * the fake Z, numbers and booleans must already have their type. Throws an Error naming `where`.
 */
function servedValue(value: unknown, dataType: AfasDataType, where: string): unknown {
	if (value === undefined || value === null || value === '') return null;
	switch (dataType) {
		case 'date':
			return servedDate(value, where);
		case 'int':
		case 'decimal':
			if (typeof value !== 'number')
				throw new Error(`${where}: ${JSON.stringify(value)} is not a number`);
			return value;
		case 'boolean':
			if (typeof value !== 'boolean')
				throw new Error(`${where}: ${JSON.stringify(value)} is not a boolean`);
			return value;
		default:
			return typeof value === 'string' ? value : String(value);
	}
}

/** The metainfo type a non-empty value suggests. */
function dataTypeOf(value: unknown): AfasDataType {
	if (typeof value === 'boolean') return 'boolean';
	if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'decimal';
	const looksLikeDate =
		value instanceof Date ||
		(typeof value === 'string' && (DATE_ONLY.test(value) || DATE_TIME.test(value)));
	return looksLikeDate ? 'date' : 'string';
}

/**
 * Fields for rows given without a definition: every key that occurs, in order of first
 * occurrence, typed by its first non-empty value ('string' when it is always empty).
 */
export function inferFields(rows: ReadonlyArray<Record<string, unknown>>): AfasFieldMeta[] {
	const types = new Map<string, AfasDataType | undefined>();
	for (const row of rows) {
		for (const [key, value] of Object.entries(row)) {
			if (types.get(key) !== undefined) continue;
			const empty = value === null || value === undefined || value === '';
			types.set(key, empty ? undefined : dataTypeOf(value));
		}
	}
	return completeFieldMeta(
		[...types].map(([id, dataType]) => ({ id, dataType: dataType ?? 'string', label: id })),
	);
}

/**
 * The rows in served form, every field present and in field order. Throws when a row has a key
 * that is not a field, or a value that does not fit its field's type.
 */
function servedRows(
	connectorId: string,
	fields: readonly AfasFieldMeta[],
	rows: ReadonlyArray<Record<string, unknown>>,
): Array<Record<string, unknown>> {
	const known = new Set(fields.map((field) => field.id));
	return rows.map((row, index) => {
		for (const key of Object.keys(row)) {
			if (!known.has(key)) {
				throw new Error(
					`setRows('${connectorId}'): row ${index} has "${key}", which is not a field of the connector; pass fields that include it`,
				);
			}
		}
		const served: Record<string, unknown> = {};
		for (const field of fields) {
			served[field.id] = servedValue(
				row[field.id],
				field.dataType,
				`setRows('${connectorId}') row ${index} field ${field.id}`,
			);
		}
		return served;
	});
}

/** A connector with its rows turned into served form (see `servedValue` for what throws). */
export function createConnector(definition: ConnectorDefinition): Connector {
	return {
		...definition,
		rows: servedRows(definition.id, definition.fields, definition.rows),
		views: new Map(),
		rowJson: [],
	};
}
