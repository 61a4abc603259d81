/**
 * Page-by-page reading for APIs without a cursor: pages are requested through a sliding window
 * (a new page starts as soon as one finishes, never more than `parallel` in flight) and kept by
 * their number, so parallel paging gives the same list as sequential paging.
 */

export interface PageLoaderOptions<R> {
	/** Pages in flight at most (at least 1). */
	parallel: number;
	/** Index (0-based) of the last page to ask for, when known in advance; else Infinity. */
	lastPage: number;
	/**
	 * Fetches one page (0-based) and resolves to its rows; rejects to fail the read. `wanted()`
	 * turns false once the page is known to be past the end of the list (or past a failed page):
	 * a page should then make no further attempts.
	 */
	loadPage(page: number, wanted: () => boolean): Promise<R[]>;
	/** Whether a page ends the list (for offset paging: fewer rows than asked for). */
	isLastPage(rows: R[], page: number): boolean;
	/**
	 * Called as each page up to the end arrives (in arrival order, not page order) with every page
	 * that has arrived so far, to check it against its neighbours while later pages are still on
	 * their way. Throwing fails the read like a failed page.
	 */
	checkPage?(page: number, pages: ReadonlyArray<R[] | undefined>): void;
	/**
	 * The most pages a read may take (default: no bound): a list that has not ended by then fails
	 * the read with `tooManyPages()`, so a server that never sends a last page cannot keep it
	 * going. Pages from `maxPages` on are never requested.
	 */
	maxPages?: number;
	/** The error for a read past `maxPages`; default a plain Error that says so. */
	tooManyPages?(): Error;
}

/** What a running read knows; see loadPages. */
interface ReadState<R> {
	pages: Array<R[] | undefined>;
	/** The last page of the list, once known (Infinity before). */
	lastPage: number;
	/** The lowest page that failed, and its error (Infinity / undefined while none has). */
	failedPage: number;
	error?: unknown;
	next: number;
	inFlight: number;
	settled: boolean;
}

/** Whether every page from 0 to the last one has arrived (then the read is complete). */
function complete<R>(state: ReadState<R>): boolean {
	if (!Number.isFinite(state.lastPage) || state.failedPage <= state.lastPage) return false;
	for (let page = 0; page <= state.lastPage; page++) {
		if (state.pages[page] === undefined) return false;
	}
	return true;
}

/**
 * Loads pages 0, 1, 2, ... with at most `parallel` requests in flight: pages 0 to parallel-1
 * start at once, and each page that finishes starts the next one. No page starts after a last
 * page is known (a page for which `isLastPage` holds, or `options.lastPage`) or after a page that
 * failed. Pages past the end that were already in flight are awaited (no request outlives the
 * read: an API's limit on parallel calls holds for the next read too), but `wanted()` tells them
 * to make no further attempts, and their answers are dropped. Resolves to the pages from 0 to the
 * last page, in page order.
 * @throws the error of the lowest failed page (or of `checkPage`) at or before the end, once
 *   every request in flight has settled, or `tooManyPages()` when the list has not ended within
 *   `maxPages` pages; a partial list is never returned. A page that fails past the end does not
 *   fail the read.
 */
export async function loadPages<R>(options: PageLoaderOptions<R>): Promise<R[][]> {
	const parallel = Math.max(1, Math.floor(options.parallel));
	const maxPages = options.maxPages ?? Number.POSITIVE_INFINITY;
	const state: ReadState<R> = {
		pages: [],
		lastPage: options.lastPage,
		failedPage: Number.POSITIVE_INFINITY,
		next: 0,
		inFlight: 0,
		settled: false,
	};

	return await new Promise<R[][]>((resolve, reject) => {
		const fail = (page: number, error: unknown) => {
			if (page >= state.failedPage) return;
			state.failedPage = page;
			state.error = error;
		};
		const settle = () => {
			if (state.settled || state.inFlight > 0) return;
			state.settled = true;
			if (complete(state)) return resolve(state.pages.slice(0, state.lastPage + 1) as R[][]);
			if (Number.isFinite(state.failedPage) && state.failedPage <= state.lastPage)
				return reject(state.error);
			return reject(
				options.tooManyPages?.() ?? new Error(`The list did not end within ${maxPages} pages`),
			);
		};
		const load = async (page: number) => {
			const wanted = () => !state.settled && page <= state.lastPage && page < state.failedPage;
			try {
				const rows = await options.loadPage(page, wanted);
				if (state.settled) return;
				state.pages[page] = rows;
				if (options.isLastPage(rows, page)) state.lastPage = Math.min(state.lastPage, page);
				if (page <= state.lastPage) options.checkPage?.(page, state.pages);
			} catch (error) {
				fail(page, error);
			} finally {
				state.inFlight--;
				startPages();
			}
		};
		const startPages = () => {
			while (
				!state.settled &&
				state.inFlight < parallel &&
				state.next <= state.lastPage &&
				state.next < state.failedPage &&
				state.next < maxPages
			) {
				state.inFlight++;
				void load(state.next++);
			}
			settle();
		};
		startPages();
	});
}

/**
 * The rows of `pages` in order, in one list of the final size (no growing, no second copy: a
 * read of 50,000 rows is copied once). `limit` cuts the list at that many rows; `overlap` drops
 * the first `overlap` rows of every page after the first (pages that were asked to repeat the
 * end of the page before, to check that nothing shifted in between).
 */
export function joinPages<R>(
	pages: R[][],
	options: { limit?: number; overlap?: number } = {},
): R[] {
	const overlap = options.overlap ?? 0;
	let total = 0;
	pages.forEach((page, index) => {
		total += index === 0 ? page.length : Math.max(0, page.length - overlap);
	});
	if (options.limit !== undefined) total = Math.min(total, options.limit);
	const rows = new Array<R>(total);
	let filled = 0;
	for (let page = 0; filled < total; page++) {
		const rowsOfPage = pages[page];
		for (let index = page === 0 ? 0 : overlap; index < rowsOfPage.length; index++) {
			if (filled === total) break;
			rows[filled++] = rowsOfPage[index];
		}
	}
	return rows;
}
