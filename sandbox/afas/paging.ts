/**
 * GetConnector paging in the AFAS sandbox: how `skip` and `take` are read, which rows a query
 * selects in which order, and the JSON of one page, served as a slice of rows serialised once.
 *
 * AFAS applies skip/take to every call (defaults 0 and 100), `skip=-1` returns every row, and
 * without a unique `orderbyfieldids` the database picks the order, which may change between
 * calls. Source: https://help.afas.nl/help/EN/SE/App_Cnr_Rest_GET.htm
 */
import type { Connector, RowView } from './connector';
import { shuffled } from './data';
import {
	compileFilter,
	parseCompactFilter,
	parseFilterJson,
	parseOrderBy,
	sortRows,
	type FilterGroups,
	type NullSemantics,
} from './query';

/** `take` when the request has none (or a non-numeric one). */
const DEFAULT_TAKE = 100;

/** Distinct filter/sort combinations remembered per connector (a client pages with one at a time). */
const MAX_VIEWS_PER_CONNECTOR = 16;

const COMMA = Buffer.from(',');
const INTEGER = /^\s*-?\d+\s*$/;

/**
 * `skip` as AFAS reads it: missing, non-numeric or below -1 counts as 0 (observed by the
 * PracticalAfas client, https://github.com/rmuit/PracticalAfas); -1 means "all rows".
 */
export function parseSkip(text: string | undefined): number {
	if (text === undefined || !INTEGER.test(text)) return 0;
	const skip = Number(text);
	return skip < -1 ? 0 : skip;
}

/** `take` as the sandbox reads it: a non-numeric one counts as the default, like `skip`. */
export function parseTake(text: string | undefined): number {
	return text !== undefined && INTEGER.test(text) ? Number(text) : DEFAULT_TAKE;
}

/** The filter and sort parameters of a GetConnector call, and the key they are remembered under. */
interface ViewQuery {
	filterJson?: string;
	compact?: { fieldIds: string; values: string | null; operators: string | null };
	orderBy?: string;
	key: string;
}

/**
 * Reads the filter and sort from the (lower-cased) query parameters. With both filter syntaxes
 * present `filterjson` wins (AFAS does not document which one does).
 */
function viewQuery(parameters: ReadonlyMap<string, string>): ViewQuery {
	const filterJson = parameters.get('filterjson');
	const fieldIds = parameters.get('filterfieldids');
	const values = parameters.get('filtervalues') ?? null;
	const operators = parameters.get('operatortypes') ?? null;
	const orderBy = parameters.get('orderbyfieldids');
	const byJson = filterJson !== undefined && filterJson.trim() !== '';
	const byCompact = !byJson && fieldIds !== undefined && fieldIds !== '';
	const sorted = orderBy !== undefined && orderBy.trim() !== '';
	const compact = byCompact ? { fieldIds, values, operators } : undefined;
	return {
		filterJson: byJson ? filterJson : undefined,
		compact,
		orderBy: sorted ? orderBy : undefined,
		key: JSON.stringify([
			byJson ? filterJson : null,
			compact ? [fieldIds, values, operators] : null,
			sorted ? orderBy : null,
		]),
	};
}

/** Filters and sorts the connector's rows for `query`; throws AfasQueryError for an invalid one. */
function buildView(connector: Connector, query: ViewQuery, nulls: NullSemantics): RowView {
	let groups: FilterGroups | undefined;
	if (query.filterJson !== undefined) groups = parseFilterJson(query.filterJson);
	else if (query.compact)
		groups = parseCompactFilter(
			query.compact.fieldIds,
			query.compact.values,
			query.compact.operators,
		);
	const matches = groups ? compileFilter(groups, connector.fields, nulls) : undefined;
	const keys =
		query.orderBy !== undefined ? parseOrderBy(query.orderBy, connector.fields) : undefined;
	const selected: number[] = [];
	connector.rows.forEach((row, index) => {
		if (!matches || matches(row)) selected.push(index);
	});
	return keys
		? { ...sortRows(connector.rows, selected, keys, connector.fields), sorted: true }
		: { order: selected, ties: [], sorted: false };
}

/**
 * The rows a query selects, in order: filtered and sorted once per connector and query, not
 * again for every page, so a paging benchmark measures the client and not the sandbox's
 * sorting. Invalid queries throw AfasQueryError every time: only valid ones are remembered.
 */
export function rowView(
	connector: Connector,
	parameters: ReadonlyMap<string, string>,
	nulls: NullSemantics,
): RowView {
	const query = viewQuery(parameters);
	const known = connector.views.get(query.key);
	if (known) return known;
	const view = buildView(connector, query, nulls);
	const oldest = connector.views.keys().next();
	if (connector.views.size >= MAX_VIEWS_PER_CONNECTOR && !oldest.done)
		connector.views.delete(oldest.value);
	connector.views.set(query.key, view);
	return view;
}

/** Index of the first tie run that ends after `start` (runs are disjoint and ordered by start). */
function firstRunEndingAfter(ties: ReadonlyArray<[number, number]>, start: number): number {
	let low = 0;
	let high = ties.length;
	while (low < high) {
		const middle = (low + high) >> 1;
		if (ties[middle][1] <= start) low = middle + 1;
		else high = middle;
	}
	return low;
}

/**
 * Row indices at positions [start, end) of a view when this request serves them in another
 * order than the view's, undefined when the view's order stands. With `random` (unstable
 * order), a view without a sort comes in a new random order on every request, and so do rows
 * that tie on the sort fields: each run of tying rows that reaches into the page is shuffled for
 * this request, which gives the same orders as shuffling all rows and then sorting stably.
 */
function reorderedPage(
	view: RowView,
	start: number,
	end: number,
	random: (() => number) | undefined,
): number[] | undefined {
	if (!random) return undefined;
	if (!view.sorted) return shuffled(view.order, random).slice(start, end);
	const last = Math.min(end, view.order.length);
	const first = firstRunEndingAfter(view.ties, start);
	if (first === view.ties.length || view.ties[first][0] >= last) return undefined;
	const page = view.order.slice(start, last);
	for (let run = first; run < view.ties.length && view.ties[run][0] < last; run++) {
		const [runStart, runEnd] = view.ties[run];
		const reordered = shuffled(view.order.slice(runStart, runEnd), random);
		const from = Math.max(runStart, start);
		const to = Math.min(runEnd, last);
		for (let position = from; position < to; position++) {
			page[position - start] = reordered[position - runStart];
		}
	}
	return page;
}

/** A row's JSON (UTF-8), serialised on first use. */
function rowJson(connector: Connector, index: number): Buffer {
	let json = connector.rowJson[index];
	if (!json) {
		json = Buffer.from(JSON.stringify(connector.rows[index]));
		connector.rowJson[index] = json;
	}
	return json;
}

/** The view's rows as one comma-separated JSON text, built on first use, so a page is a slice of it. */
function serialisedView(connector: Connector, view: RowView): NonNullable<RowView['serialised']> {
	if (view.serialised) return view.serialised;
	const offsets = new Uint32Array(view.order.length + 1);
	const parts: Buffer[] = [];
	let offset = 0;
	view.order.forEach((index, position) => {
		const json = rowJson(connector, index);
		if (position > 0) parts.push(COMMA);
		parts.push(json);
		offsets[position] = offset;
		offset += json.length + 1;
	});
	offsets[view.order.length] = offset;
	view.serialised = { bytes: Buffer.concat(parts), offsets };
	return view.serialised;
}

/** A number as Profit 6 and earlier wrote it: no zero before the point (`-.5`, `.25`). */
function legacyNumber(value: number): string {
	return JSON.stringify(value).replace(/^(-?)0\./, '$1.');
}

/**
 * A row's JSON with decimals written as Profit 6 and earlier wrote them (see legacyNumber);
 * keys and strings exactly as JSON.stringify writes them (rows are flat).
 */
function legacyRowJson(row: Record<string, unknown>): Buffer {
	const members = Object.entries(row).map(
		([key, value]) =>
			`${JSON.stringify(key)}:${typeof value === 'number' ? legacyNumber(value) : JSON.stringify(value)}`,
	);
	return Buffer.from(`{${members.join(',')}}`);
}

/** How a page writes its rows: as JSON, or with Profit 6's decimals (`-.5`). */
export type RowFormat = 'json' | 'legacyNumbers';

/**
 * The JSON of rows [start, end) of a view, comma-separated, in the order this request serves
 * them, and how many rows that is. `random` is the shuffle source when the order is unstable,
 * undefined when rows come in the view's order (then the page is a slice, not a copy).
 */
export function pageRowsJson(
	connector: Connector,
	view: RowView,
	range: { start: number; end: number },
	random: (() => number) | undefined,
	format: RowFormat = 'json',
): { json: Buffer; count: number } {
	const { start, end } = range;
	const reordered = reorderedPage(view, start, end, random);
	const last = Math.min(end, view.order.length);
	if (reordered || format === 'legacyNumbers') {
		const indices = reordered ?? view.order.slice(start, Math.max(start, last));
		const parts: Buffer[] = [];
		indices.forEach((index, position) => {
			if (position > 0) parts.push(COMMA);
			parts.push(
				format === 'json' ? rowJson(connector, index) : legacyRowJson(connector.rows[index]),
			);
		});
		return { json: Buffer.concat(parts), count: indices.length };
	}
	if (start >= last) return { json: Buffer.alloc(0), count: 0 };
	const { bytes, offsets } = serialisedView(connector, view);
	// Each offset counts the comma after its row; the page's last row has none.
	return { json: bytes.subarray(offsets[start], offsets[last] - 1), count: last - start };
}
