/**
 * Offset paging over a GetConnector (skip/take), sequential or with up to 8 requests in flight.
 *
 * - Every page is requested with the same `orderbyfieldids` (the caller always passes one):
 *   without a sort AFAS' order may change between calls and rows go missing or repeat.
 * - The end is the first page shorter than `take` (AFAS has no total count or cursor).
 * - Pages are requested in windows of `parallel` pages at once (pages 1-4, then 5-8, ...); a
 *   window starts when the previous one is complete, and none starts after a short page. Results
 *   are stored by page number and joined in order, so the list is the same as with sequential
 *   paging; pages of the last window past the short page come back empty and are dropped.
 *   (Cost: a result smaller than one page still takes `parallel` calls, the extra ones empty.)
 * - Any failed page fails the whole fetch: no partial list is ever returned, because a sync
 *   would read the missing people as leavers.
 */
import { NodeApiError, type IDataObject, type JsonObject } from 'n8n-workflow';

import { afasBaseUrlFor, afasGet, type AfasContext, type RetryPolicy } from './afas.api';
import type { QueryPlan } from './query';

/** AFAS allows at most 8 parallel calls per environment (troubleshooting, performance tip 10). */
export const AFAS_MAX_PARALLEL = 8;

export interface FetchRowsOptions {
	connectorId: string;
	plan: QueryPlan;
	pageSize: number;
	/** Requests in flight at once; clamped to 1..8. */
	parallel: number;
	/** Stop after this many rows; undefined = all rows. */
	limit?: number;
	itemIndex: number;
	retry?: RetryPolicy;
}

export function clampParallel(requested: number): number {
	if (!Number.isFinite(requested)) return 1;
	return Math.min(AFAS_MAX_PARALLEL, Math.max(1, Math.floor(requested)));
}

function rowsOf(this: AfasContext, body: unknown, what: string, itemIndex: number): IDataObject[] {
	const rows = (body as { rows?: unknown } | null)?.rows;
	if (!Array.isArray(rows)) {
		throw new NodeApiError(this.getNode(), { what } as JsonObject, {
			message: `AFAS answered ${what} without a list of rows`,
			description: 'Check that the API server URL points to AFAS ProfitRestServices.',
			itemIndex,
		});
	}
	return rows as IDataObject[];
}

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
	const parallel = clampParallel(options.parallel);
	const path = `/connectors/${encodeURIComponent(connectorId)}`;
	const baseUrl = await afasBaseUrlFor.call(this, itemIndex);

	const pages: IDataObject[][] = [];
	let lastPage = wanted !== undefined ? Math.ceil(wanted / take) - 1 : Number.POSITIVE_INFINITY;

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
		const rows = rowsOf.call(this, body, what, itemIndex);
		if (rows.length > take) {
			throw new NodeApiError(this.getNode(), { what, take, received: rows.length } as JsonObject, {
				message: `AFAS returned ${rows.length} rows for ${what}, more than the ${take} asked for`,
				description:
					'Paging cannot be trusted this way, so nothing was output. Check that no proxy drops the skip/take parameters.',
				itemIndex,
			});
		}
		pages[page] = rows;
		if (rows.length < take) lastPage = Math.min(lastPage, page);
	};

	for (let first = 0; first <= lastPage; first += parallel) {
		const window: number[] = [];
		for (let page = first; page < first + parallel && page <= lastPage; page++) window.push(page);
		// Wait for the whole window, also after a failure, so no request outlives the fetch.
		const results = await Promise.allSettled(window.map(loadPage));
		const failed = results.find(
			(result): result is PromiseRejectedResult => result.status === 'rejected',
		);
		if (failed) throw failed.reason;
	}

	// Join the pages in page order into one list of the final size: no growing, no second copy.
	let total = 0;
	for (let page = 0; page <= lastPage && page < pages.length; page++) {
		// Cannot happen without a failure above; never let a gap become a partial result.
		if (pages[page] === undefined)
			throw new NodeApiError(this.getNode(), { page } as JsonObject, {
				message: `Page ${page + 1} of connector '${connectorId}' is missing`,
				itemIndex,
			});
		total += pages[page].length;
	}
	if (wanted !== undefined) total = Math.min(total, wanted);
	const rows = new Array<IDataObject>(total);
	let filled = 0;
	for (let page = 0; filled < total; page++) {
		for (const row of pages[page]) {
			if (filled === total) break;
			rows[filled++] = row;
		}
	}
	return rows;
}
