/**
 * Offset paging over a GetConnector (skip/take), sequential or with up to 8 requests in flight
 * (https://docs.afas.help/profit/en/get-connector describes skip, take and orderbyfieldids).
 *
 * - Every page is requested with the same `orderbyfieldids` (the caller always passes one):
 *   without a sort AFAS' order may change between calls and rows go missing or repeat.
 * - The end is the first page shorter than `take` (AFAS has no total count or cursor).
 * - Pages are requested in windows of `parallel` pages at once (pages 1-4, then 5-8, ...) and
 *   joined in page order (loadPagesInWindows). A result smaller than one page still takes
 *   `parallel` calls, the extra ones empty.
 * - Any failed page fails the whole fetch: no partial list is ever returned, because a sync
 *   would read the missing people as leavers.
 */
import { NodeApiError, type IDataObject, type JsonObject } from 'n8n-workflow';

import { joinPages, loadPagesInWindows } from '../../shared/http';
import type { QueryPlan } from './query';
import { afasBaseUrlFor, afasGet, type AfasContext, type AfasRetryPolicy } from './request';

/**
 * AFAS allows at most 8 parallel calls per environment
 * (https://docs.afas.help/profit/en/troubleshooting#optimize-the-performance-of-getconnectors).
 */
export const AFAS_MAX_PARALLEL = 8;

export interface FetchRowsOptions {
	connectorId: string;
	plan: QueryPlan;
	/** Rows per request (`take`). */
	pageSize: number;
	/** Requests in flight at once; clamped to 1..8. */
	parallel: number;
	/** Stop after this many rows; undefined = all rows. */
	limit?: number;
	itemIndex: number;
	retry?: AfasRetryPolicy;
}

/** A Parallel Requests value as used: a whole number from 1 to AFAS_MAX_PARALLEL. */
export function clampParallel(requested: number): number {
	if (!Number.isFinite(requested)) return 1;
	return Math.min(AFAS_MAX_PARALLEL, Math.max(1, Math.floor(requested)));
}

/**
 * The rows of one page, checked: a list, and no longer than asked for (a proxy that drops
 * skip/take would otherwise make every page the same).
 * @throws NodeApiError when either check fails.
 */
function checkedRows(
	this: AfasContext,
	body: unknown,
	what: string,
	take: number,
	itemIndex: number,
): IDataObject[] {
	const rows = (body as { rows?: unknown } | null)?.rows;
	if (!Array.isArray(rows)) {
		throw new NodeApiError(this.getNode(), { what } as JsonObject, {
			message: `AFAS answered ${what} without a list of rows`,
			description: 'Check that the API server URL points to AFAS ProfitRestServices.',
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

/**
 * All rows of a GetConnector for one query plan (or the first `limit`), in AFAS' order.
 * @throws NodeApiError / NodeOperationError of the first failed page; never a partial list.
 */
export async function fetchRows(
	this: AfasContext,
	options: FetchRowsOptions,
): Promise<IDataObject[]> {
	const { connectorId, plan, itemIndex } = options;
	const wanted = options.limit;
	if (wanted !== undefined && wanted <= 0) return [];
	// A small limit needs only one small page.
	const take = Math.max(
		1,
		Math.floor(wanted !== undefined ? Math.min(options.pageSize, wanted) : options.pageSize),
	);
	const path = `/connectors/${encodeURIComponent(connectorId)}`;
	const baseUrl = await afasBaseUrlFor.call(this, itemIndex);

	const loadPage = async (page: number) => {
		const what = `page ${page + 1} (rows ${page * take + 1}-${(page + 1) * take}) of connector '${connectorId}'`;
		const body = await afasGet.call(this, {
			path,
			query: plan.forPage(page * take, take),
			what,
			connectorId,
			itemIndex,
			retry: options.retry,
			baseUrl,
		});
		return checkedRows.call(this, body, what, take, itemIndex);
	};
	const pages = await loadPagesInWindows({
		parallel: clampParallel(options.parallel),
		lastPage: wanted !== undefined ? Math.ceil(wanted / take) - 1 : Number.POSITIVE_INFINITY,
		loadPage,
		isLastPage: (rows) => rows.length < take,
	});
	return joinPages(pages, wanted);
}
