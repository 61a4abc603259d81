/**
 * Offset paging over a GetConnector (skip/take) that returns every row exactly once or fails
 * (https://docs.afas.help/profit/en/get-connector describes skip, take and orderbyfieldids).
 *
 * - Every page is requested with the same query, whose sort the caller made total where it could
 *   (see ./sort.ts and ./read.ts).
 * - Pages overlap by one row: page 1 asks for rows 1 to N, every later page for the last row of
 *   the page before it and N more (`skip = page × N − 1`, `take = N + 1`). That costs one row
 *   per page, not one request.
 * - As pages arrive, three checks run (./order.ts): no two neighbouring rows of a page tie on
 *   the sort fields (else the order is not fixed and rows could be skipped or repeated: the read
 *   stops and says so, and the caller sorts on more fields or fails), no page repeats the page
 *   before it from its start (a server or proxy that ignores skip: the read fails), and every
 *   page starts with the row the page before it ended with (else rows were added or removed in
 *   AFAS during the read: it is read once more, and fails if that happens again).
 * - The end is the first page shorter than asked for (AFAS has no total count or cursor), and a
 *   read never goes past MAX_ROWS rows. A server or proxy that returns fewer rows per call than
 *   asked for would make a short page that is not the end: unless a page before the short one
 *   came back full at the same size (page 2 or later: 1 + N rows), the page after the short one
 *   is asked for too (usually it is already in flight) and must be empty. If it has rows, that
 *   is treated like rows that shifted (read once more), then fails.
 * - Up to 8 requests are in flight (AFAS' limit), through a sliding window: a page starts as soon
 *   as one finishes (loadPages). Pages are joined in page order. Pages past the end that are still
 *   in flight when the last page has arrived are awaited but make no retry.
 * - Any failure fails the whole read: no partial list is ever returned, because a sync would read
 *   the missing people as leavers.
 */
import { NodeApiError, type IDataObject, type JsonObject } from 'n8n-workflow';

import { joinPages, loadPages } from '../../shared/http';
import { findShift, findTie, repeatsPage } from './order';
import type { QueryPlan } from './query';
import { afasBaseUrlFor, afasGet, type AfasContext, type AfasRetryPolicy } from './request';

/**
 * AFAS allows at most 8 parallel calls per environment
 * (https://docs.afas.help/profit/en/troubleshooting#optimize-the-performance-of-getconnectors).
 */
export const AFAS_MAX_PARALLEL = 8;

/**
 * The most rows one read takes: far above any employee list, and a bound for a server that keeps
 * sending full pages. AFAS calls skip/take above 100,000 rows too slow and advises splitting a
 * large set with filters (https://docs.afas.help/profit/en/get-connector#skip-and-take-with-large-datasets).
 */
export const MAX_ROWS = 1_000_000;

export interface FetchRowsOptions {
	connectorId: string;
	plan: QueryPlan;
	/** Rows per request (`take`), besides the one row every page after the first repeats. */
	pageSize: number;
	/** Requests in flight at once; clamped to 1..8. */
	parallel: number;
	/** Stop after this many rows; undefined = all rows. */
	limit?: number;
	itemIndex?: number;
	retry?: AfasRetryPolicy;
}

/** A Parallel Requests value as used: a whole number from 1 to AFAS_MAX_PARALLEL. */
export function clampParallel(requested: number): number {
	if (!Number.isFinite(requested)) return 1;
	return Math.min(AFAS_MAX_PARALLEL, Math.max(1, Math.floor(requested)));
}

/** Rows moved between two pages of one read (found by findShift); caught to read once more. */
class RowsShifted extends Error {
	constructor(readonly page: number) {
		super(`page ${page + 1} did not start with the last row of page ${page}`);
	}
}

/**
 * The page after the last (short) page had rows: the short page was not the end. Rows were
 * added during the read, or the server returns at most `received` rows per call.
 */
class PageCutShort extends RowsShifted {
	constructor(
		page: number,
		/** Rows the short page had, and how many it asked for. */
		readonly received: number,
		readonly asked: number,
	) {
		super(page);
		this.message = `page ${page} had ${received} of the ${asked} rows asked for, yet page ${page + 1} had rows`;
	}
}

/**
 * Two neighbouring rows that tie on every sort field sent without being equal (found by
 * findTie): the order is not total. Returned by fetchRows, not thrown: the caller may sort on
 * more fields and read again, or fail (see ./read.ts).
 */
export class RowsTie extends Error {
	constructor(
		/** The first of the two rows, counted from 1. */
		readonly rowNumber: number,
	) {
		super(`rows ${rowNumber} and ${rowNumber + 1} are equal on every field sorted on`);
	}
}

/** Where page `page` of `take` new rows starts, and how many rows it asks for. */
function pageWindow(page: number, take: number): { skip: number; take: number } {
	return page === 0 ? { skip: 0, take } : { skip: page * take - 1, take: take + 1 };
}

/**
 * Refuses a 200 whose body carries AFAS' error fields (`externalMessage`, `profitLogReference`),
 * which AFAS itself sends with a 500: a proxy passing the error on as 200 would otherwise make an
 * empty or partial page look like the end of the connector.
 * @throws NodeApiError quoting AFAS' message.
 */
function refuseErrorBody(
	this: AfasContext,
	body: unknown,
	what: string,
	itemIndex: number | undefined,
): void {
	if (typeof body !== 'object' || body === null) return;
	const { externalMessage, profitLogReference } = body as Record<string, unknown>;
	const said = typeof externalMessage === 'string' ? externalMessage.trim() : '';
	const reference = typeof profitLogReference === 'string' ? profitLogReference.trim() : '';
	if (!said && !reference) return;
	throw new NodeApiError(this.getNode(), { what } as JsonObject, {
		message: `AFAS answered ${what} with an error, although with status 200: ${said || 'no message'}`,
		description: `No rows were output.${reference ? ` AFAS log reference: ${reference}.` : ''} Fix what AFAS says; if a proxy stands between n8n and AFAS, check that it passes AFAS' status on.`,
		itemIndex,
	});
}

/**
 * The rows of one page, checked: a list of objects, and no longer than asked for (a proxy that
 * drops skip/take would otherwise make every page the same).
 * @throws NodeApiError when a check fails.
 */
function checkedRows(
	this: AfasContext,
	body: unknown,
	what: string,
	take: number,
	itemIndex: number | undefined,
): IDataObject[] {
	refuseErrorBody.call(this, body, what, itemIndex);
	const rows = (body as { rows?: unknown } | null)?.rows;
	if (!Array.isArray(rows)) {
		throw new NodeApiError(this.getNode(), { what } as JsonObject, {
			message: `AFAS answered ${what} without a list of rows`,
			description: 'Check that the API server URL points to AFAS ProfitRestServices.',
			itemIndex,
		});
	}
	const notRow = rows.findIndex(
		(row) => typeof row !== 'object' || row === null || Array.isArray(row),
	);
	if (notRow >= 0) {
		const got =
			rows[notRow] === null ? 'null' : Array.isArray(rows[notRow]) ? 'a list' : typeof rows[notRow];
		throw new NodeApiError(this.getNode(), { what, row: notRow + 1 } as JsonObject, {
			message: `AFAS answered ${what} with row ${notRow + 1} as ${got}, not as an object of fields`,
			description:
				'No rows were output. Check that the API server URL points to AFAS ProfitRestServices and that no proxy answers in its place.',
			itemIndex,
		});
	}
	if (rows.length > take) {
		throw new NodeApiError(this.getNode(), { what, take, received: rows.length } as JsonObject, {
			message: `AFAS returned ${rows.length} rows for ${what}, more than the ${take} asked for`,
			description:
				'Paging cannot be trusted this way, so nothing was output. Check that no proxy drops the skip/take parameters.',
			itemIndex,
		});
	}
	return rows as IDataObject[];
}

/** The error for a page that repeats the page before it: the server ignores skip. */
function repeatedPageError(this: AfasContext, options: FetchRowsOptions, page: number) {
	return new NodeApiError(
		this.getNode(),
		{ connectorId: options.connectorId, page } as JsonObject,
		{
			message: `AFAS answered page ${page + 1} of connector '${options.connectorId}' with the same rows as page ${page}: the server seems to ignore skip`,
			description:
				'No rows were output. Check that no proxy or gateway drops the skip parameter and that the API server URL points to AFAS ProfitRestServices.',
			itemIndex: options.itemIndex,
		},
	);
}

/** The error for rows that shifted between pages in two reads in a row. */
function shiftedError(this: AfasContext, options: FetchRowsOptions, shift: RowsShifted) {
	return new NodeApiError(
		this.getNode(),
		{ connectorId: options.connectorId, page: shift.page } as JsonObject,
		{
			message: `The rows of connector '${options.connectorId}' changed while they were read, also when read a second time`,
			description:
				`Rows were added to or removed from AFAS between pages (${shift.message}), so some people could have ` +
				'been missed or read twice. No rows were output: a partial result could be mistaken for people who left. ' +
				'Try again when fewer changes are being made in Profit.',
			itemIndex: options.itemIndex,
		},
	);
}

/** The error for a short page that was not the end, in two reads in a row. */
function cutShortError(this: AfasContext, options: FetchRowsOptions, cut: PageCutShort) {
	const advice = Math.max(1, cut.received - 1);
	return new NodeApiError(
		this.getNode(),
		{
			connectorId: options.connectorId,
			page: cut.page,
			asked: cut.asked,
			received: cut.received,
		} as JsonObject,
		{
			message: `AFAS answered page ${cut.page} of connector '${options.connectorId}' with ${cut.received} rows, fewer than the ${cut.asked} asked for, yet more rows follow it`,
			description:
				`A short page should be the last one, so the server (or a proxy in front of it) seems to return at most ${cut.received} rows per call. ` +
				'No rows were output: a partial result could be mistaken for people who left. ' +
				`Set the option Page Size to ${advice} or lower, or check that no proxy or gateway limits the rows per call.`,
			itemIndex: options.itemIndex,
		},
	);
}

/**
 * Checks page `page`, just arrived, on its own and against the pages next to it that have
 * arrived (see the module comment).
 * @throws RowsTie for ties, NodeApiError for a repeated page, RowsShifted when rows moved
 *   between pages.
 */
function checkPage(
	this: AfasContext,
	options: FetchRowsOptions,
	take: number,
	page: number,
	pages: ReadonlyArray<IDataObject[] | undefined>,
): void {
	const rows = pages[page]!;
	const fields = options.plan.sort.map((sort) => sort.field);
	const tie = findTie(rows, fields);
	if (tie >= 0) throw new RowsTie(pageWindow(page, take).skip + tie);
	for (const later of [page, page + 1]) {
		const before = pages[later - 1];
		const after = pages[later];
		if (later === 0 || !before || !after) continue;
		if (before.length < pageWindow(later - 1, take).take) continue; // the last page: nothing follows
		const moved = pageWindow(later, take).skip > pageWindow(later - 1, take).skip;
		if (moved && repeatsPage(before, after)) throw repeatedPageError.call(this, options, later);
		if (findShift(before, after)) throw new RowsShifted(later);
	}
}

/**
 * One read of all pages (see the module comment): its rows, or where rows shifted or tied.
 * @throws NodeApiError / NodeOperationError for every other failure.
 */
async function readPages(
	this: AfasContext,
	options: FetchRowsOptions,
	take: number,
	baseUrl: string,
): Promise<IDataObject[] | RowsShifted | RowsTie> {
	const { connectorId, plan, itemIndex } = options;
	const path = `/connectors/${encodeURIComponent(connectorId)}`;
	const loadPage = async (page: number, wanted: () => boolean) => {
		const range = pageWindow(page, take);
		const what = `page ${page + 1} (rows ${page * take + 1}-${(page + 1) * take}) of connector '${connectorId}'`;
		const body = await afasGet.call(this, {
			path,
			query: plan.forPage(range.skip, range.take),
			what,
			connectorId,
			itemIndex,
			retry: options.retry,
			baseUrl,
			wanted,
		});
		return checkedRows.call(this, body, what, range.take, itemIndex);
	};
	const limit = options.limit;
	const answered = new Map<number, IDataObject[]>();
	const loadAndKeep = async (page: number, wanted: () => boolean) => {
		const rows = await loadPage(page, wanted);
		answered.set(page, rows);
		return rows;
	};
	const pages = await loadPages({
		parallel: clampParallel(options.parallel),
		lastPage: limit !== undefined ? Math.ceil(limit / take) - 1 : Number.POSITIVE_INFINITY,
		loadPage: loadAndKeep,
		isLastPage: (rows, page) => rows.length < pageWindow(page, take).take,
		checkPage: (page, arrived) => checkPage.call(this, options, take, page, arrived),
		maxPages: Math.ceil(MAX_ROWS / take),
		tooManyPages: () =>
			new NodeApiError(this.getNode(), { connectorId, maxRows: MAX_ROWS } as JsonObject, {
				message: `Connector '${connectorId}' has ${MAX_ROWS.toLocaleString('en-US')} rows or more, the most one read takes`,
				description:
					'No rows were output. Filter the rows (for example on an organisation unit or a date) and read them in parts, or check that no proxy makes AFAS send full pages without end.',
				itemIndex,
			}),
	}).catch((error: unknown) => {
		if (error instanceof RowsShifted || error instanceof RowsTie) return error;
		throw error;
	});
	if (pages instanceof RowsShifted || pages instanceof RowsTie) return pages;
	const last = pages.length - 1;
	const asked = pageWindow(last, take).take;
	// From page 2 on, page `last - 1` came back full at `asked` rows: no server cap below that, so
	// the short page is the end. Before that, the page after the short one must be empty.
	if (pages[last].length < asked && last < 2) {
		const after = answered.get(last + 1) ?? (await loadPage(last + 1, () => true));
		if (after.length > 0) return new PageCutShort(last + 1, pages[last].length, asked);
	}
	return joinPages(pages, { limit, overlap: 1 });
}

/**
 * All rows of a GetConnector for one query plan (or the first `limit`), in AFAS' order, each
 * exactly once; or a RowsTie when two rows tie on every sort field sent (the order is not
 * total: the caller sorts on more fields, or fails). When rows shift between pages, the
 * connector is read once more. Use readConnectorRows (./read.ts), which handles ties.
 * @throws NodeApiError when AFAS fails on any page, when a page repeats the one before it, when
 *   rows shift again in the second read, or past MAX_ROWS rows; NodeOperationError for a
 *   credential that cannot be used. Never a partial list.
 */
export async function fetchRows(
	this: AfasContext,
	options: FetchRowsOptions,
): Promise<IDataObject[] | RowsTie> {
	const limit = options.limit;
	if (limit !== undefined && limit <= 0) return [];
	// A small limit needs only one small page.
	const take = Math.max(
		1,
		Math.floor(limit !== undefined ? Math.min(options.pageSize, limit) : options.pageSize),
	);
	const baseUrl = await afasBaseUrlFor.call(this, options.itemIndex);
	const first = await readPages.call(this, options, take, baseUrl);
	if (!(first instanceof RowsShifted)) return first;
	this.logger.warn(
		`AFAS GetConnector: the rows of connector '${options.connectorId}' shifted during the read (${first.message}); reading it once more`,
	);
	const second = await readPages.call(this, options, take, baseUrl);
	if (second instanceof PageCutShort) throw cutShortError.call(this, options, second);
	if (second instanceof RowsShifted) throw shiftedError.call(this, options, second);
	return second;
}
