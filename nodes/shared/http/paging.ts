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
	/** Fetches one page (0-based) and resolves to its rows; rejects to fail the whole read. */
	loadPage(page: number): Promise<R[]>;
	/** Whether a page ends the list (for offset paging: fewer rows than asked for). */
	isLastPage(rows: R[], page: number): boolean;
	/**
	 * Called as each page arrives (in arrival order, not page order) with every page that has
	 * arrived so far, to check it against its neighbours while later pages are still on their
	 * way. Throwing fails the read like a failed page.
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

/**
 * Loads pages 0, 1, 2, ... with at most `parallel` requests in flight: pages 0 to parallel-1
 * start at once, and each page that finishes starts the next one. No page starts after a last
 * page is known (a page for which `isLastPage` holds, or `options.lastPage`); pages past it that
 * were already in flight are awaited and dropped. Returns the pages from 0 to the last page, in
 * page order.
 * @throws the first error of a page (or of `checkPage`), after every request in flight has
 *   settled (no request outlives the read) and without starting new ones, or `tooManyPages()`
 *   when the list has not ended within `maxPages` pages; a partial list is never returned.
 */
export async function loadPages<R>(options: PageLoaderOptions<R>): Promise<R[][]> {
	const parallel = Math.max(1, Math.floor(options.parallel));
	const maxPages = options.maxPages ?? Number.POSITIVE_INFINITY;
	const pages: Array<R[] | undefined> = [];
	let lastPage = options.lastPage;
	let next = 0;
	let inFlight = 0;
	let failure: { error: unknown } | undefined;

	return await new Promise<R[][]>((resolve, reject) => {
		const finish = () => {
			if (failure) return reject(failure.error);
			const ordered = pages.slice(0, lastPage + 1);
			// Cannot happen without a failure; never let a gap become a partial result.
			for (let page = 0; page < ordered.length; page++) {
				if (ordered[page] === undefined)
					return reject(new Error(`Page ${page + 1} is missing from the read`));
			}
			return resolve(ordered as R[][]);
		};
		const load = async (page: number) => {
			try {
				const rows = await options.loadPage(page);
				pages[page] = rows;
				if (options.isLastPage(rows, page)) lastPage = Math.min(lastPage, page);
				options.checkPage?.(page, pages);
			} catch (error) {
				failure ??= { error };
			}
			inFlight--;
			startPages();
		};
		const startPages = () => {
			while (!failure && inFlight < parallel && next <= lastPage && next < maxPages) {
				inFlight++;
				void load(next++);
			}
			if (inFlight > 0) return;
			if (!failure && lastPage >= maxPages) {
				failure = {
					error:
						options.tooManyPages?.() ?? new Error(`The list did not end within ${maxPages} pages`),
				};
			}
			finish();
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
