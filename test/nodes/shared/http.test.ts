/** The shared HTTP toolkit's pure parts: headers, Retry-After, backoff, network failures, paging. */
import {
	backoffMs,
	describeNetworkFailure,
	findCause,
	headerValue,
	joinPages,
	loadPages,
	parseRetryAfter,
} from '../../../nodes/shared/http';

describe('headerValue', () => {
	it('finds a header whatever its case, and gives the first of a repeated one', () => {
		const headers = { 'Retry-After': '5', 'x-ratelimit-reset': 17, 'Set-Cookie': ['a=1', 'b=2'] };
		expect(headerValue(headers, 'retry-after')).toBe('5');
		expect(headerValue(headers, 'X-RateLimit-Reset')).toBe('17');
		expect(headerValue(headers, 'set-cookie')).toBe('a=1');
	});

	it('is undefined for a missing, null or empty header', () => {
		expect(headerValue({ a: null, b: [] }, 'a')).toBeUndefined();
		expect(headerValue({ a: null, b: [] }, 'b')).toBeUndefined();
		expect(headerValue({}, 'c')).toBeUndefined();
		expect(headerValue(undefined, 'c')).toBeUndefined();
	});
});

describe('parseRetryAfter', () => {
	const now = Date.parse('2026-03-02T08:00:00Z');

	it('reads delta-seconds and HTTP dates, never below 0', () => {
		expect(parseRetryAfter(' 120 ', now)).toBe(120);
		expect(parseRetryAfter('Mon, 02 Mar 2026 08:01:30 GMT', now)).toBe(90);
		expect(parseRetryAfter('Mon, 02 Mar 2026 07:00:00 GMT', now)).toBe(0);
	});

	it('is undefined for an absent or unreadable value', () => {
		expect(parseRetryAfter(undefined, now)).toBeUndefined();
		expect(parseRetryAfter('  ', now)).toBeUndefined();
		expect(parseRetryAfter('soon', now)).toBeUndefined();
		// JavaScript's Date.parse reads these as dates in the past: that would retry at once.
		expect(parseRetryAfter('-5', now)).toBeUndefined();
		expect(parseRetryAfter('-0.5', now)).toBeUndefined();
	});

	it('rounds a fraction of a second up', () => {
		expect(parseRetryAfter('1.5', now)).toBe(2);
	});
});

describe('backoffMs', () => {
	const afas = { baseMs: 250, maxMs: 15_000, jitter: 1 };

	it('doubles per retry and adds up to `jitter` times the step', () => {
		expect([0, 1, 2, 3].map((attempt) => backoffMs(attempt, afas, () => 0))).toEqual([
			250, 500, 1000, 2000,
		]);
		expect([0, 1, 2, 3].map((attempt) => backoffMs(attempt, afas, () => 0.999_999))).toEqual([
			500, 1000, 2000, 4000,
		]);
		expect(backoffMs(2, { baseMs: 1000, maxMs: 60_000, jitter: 0.1 }, () => 0.5)).toBe(4200);
	});

	it('caps the step at maxMs before the jitter', () => {
		expect(backoffMs(10, afas, () => 0)).toBe(15_000);
		expect(backoffMs(10, afas, () => 0.999_999)).toBe(30_000);
	});

	it('stays within its bounds with real randomness', () => {
		for (let run = 0; run < 200; run++) {
			const wait = backoffMs(1, afas);
			expect(wait).toBeGreaterThanOrEqual(500);
			expect(wait).toBeLessThanOrEqual(1000);
		}
	});
});

describe('describeNetworkFailure', () => {
	const wrapped = (inner: unknown) => Object.assign(new Error('Request failed'), { cause: inner });

	it('names resets, timeouts, refusals and temporary DNS failures, looking through causes', () => {
		expect(
			describeNetworkFailure(wrapped(Object.assign(new Error('read'), { code: 'ECONNRESET' }))),
		).toEqual({ code: 'ECONNRESET', kind: 'reset', reason: 'the connection was reset' });
		expect(describeNetworkFailure(new Error('socket hang up'))).toMatchObject({
			code: 'ECONNRESET',
			kind: 'reset',
		});
		expect(
			describeNetworkFailure(
				wrapped(Object.assign(new Error('timeout of 1000ms exceeded'), { code: 'ECONNABORTED' })),
			),
		).toEqual({ code: 'ETIMEDOUT', kind: 'timeout', reason: 'the request timed out' });
		expect(describeNetworkFailure({ code: 'ECONNREFUSED' })).toMatchObject({ kind: 'refused' });
		expect(describeNetworkFailure({ code: 'EAI_AGAIN' })).toMatchObject({ kind: 'unreachable' });
	});

	it('gives no kind for failures that do not heal by themselves', () => {
		expect(describeNetworkFailure(wrapped({ code: 'ENOTFOUND' }))).toEqual({ code: 'ENOTFOUND' });
		expect(describeNetworkFailure(new Error('certificate has expired'))).toEqual({
			code: undefined,
		});
	});

	it('finds a cause of a given kind', () => {
		const inner = new RangeError('deep');
		const isRangeError = (candidate: unknown): candidate is RangeError =>
			candidate instanceof RangeError;
		expect(findCause(wrapped(wrapped(inner)), isRangeError)).toBe(inner);
		expect(findCause(wrapped(new Error('x')), isRangeError)).toBeUndefined();
	});
});

describe('loadPages', () => {
	/** A list of `total` rows served `take` at a time, recording requests and concurrency. */
	function pagedList(total: number, take: number, delayMs: (page: number) => number = () => 5) {
		const requested: number[] = [];
		let inFlight = 0;
		let mostInFlight = 0;
		const loadPage = async (page: number) => {
			requested.push(page);
			inFlight++;
			mostInFlight = Math.max(mostInFlight, inFlight);
			await new Promise((resolve) => setTimeout(resolve, delayMs(page)));
			inFlight--;
			const start = page * take;
			return Array.from(
				{ length: Math.max(0, Math.min(take, total - start)) },
				(_, i) => start + i,
			);
		};
		return { loadPage, requested, mostInFlight: () => mostInFlight };
	}

	it('keeps `parallel` pages in flight, stops after the short page and joins pages in order', async () => {
		const list = pagedList(23, 5);
		const pages = await loadPages({
			parallel: 2,
			lastPage: Number.POSITIVE_INFINITY,
			loadPage: list.loadPage,
			isLastPage: (rows: number[]) => rows.length < 5,
		});
		expect(pages.map((rows) => rows.length)).toEqual([5, 5, 5, 5, 3]);
		expect(joinPages(pages)).toEqual(Array.from({ length: 23 }, (_, i) => i));
		// Page 5 was already in flight when short page 4 arrived: awaited and dropped.
		expect([...list.requested].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);
		expect(list.mostInFlight()).toBe(2);
	});

	it('starts the next page as soon as one finishes, not when a whole window is done', async () => {
		// Pages resolve only when the test says so: page 0 stays slow while pages 1, 2, 3 finish.
		const pending = new Map<number, (rows: number[]) => void>();
		const read = loadPages({
			parallel: 2,
			lastPage: 4,
			loadPage: (page: number) => new Promise<number[]>((resolve) => pending.set(page, resolve)),
			isLastPage: (rows: number[]) => rows.length < 10,
		});
		const settle = () => new Promise((resolve) => setImmediate(resolve));
		const rowsOf = (page: number) => Array.from({ length: 10 }, (_, i) => page * 10 + i);
		expect([...pending.keys()]).toEqual([0, 1]);
		for (const page of [1, 2, 3]) {
			pending.get(page)!(rowsOf(page));
			await settle();
			// With windows of 2, page 2 would wait for page 0; sliding, it starts at once.
			expect([...pending.keys()]).toEqual(Array.from({ length: page + 2 }, (_, i) => i));
		}
		pending.get(4)!(rowsOf(4));
		pending.get(0)!(rowsOf(0));
		expect(joinPages(await read)).toEqual(Array.from({ length: 50 }, (_, i) => i));
	});

	it('asks for no page past a known last page, and joinPages cuts at the limit', async () => {
		const list = pagedList(100, 10);
		const pages = await loadPages({
			parallel: 8,
			lastPage: 2,
			loadPage: list.loadPage,
			isLastPage: (rows: number[]) => rows.length < 10,
		});
		expect([...list.requested].sort((a, b) => a - b)).toEqual([0, 1, 2]);
		expect(joinPages(pages, { limit: 25 })).toEqual(Array.from({ length: 25 }, (_, i) => i));
	});

	it('reads nothing for a last page below 0', async () => {
		const list = pagedList(100, 10);
		const pages = await loadPages({
			parallel: 3,
			lastPage: -1,
			loadPage: list.loadPage,
			isLastPage: () => false,
		});
		expect(pages).toEqual([]);
		expect(list.requested).toEqual([]);
	});

	it('tells pages past the end they are no longer wanted, and awaits them', async () => {
		const pending = new Map<number, { resolve: (rows: number[]) => void; wanted: () => boolean }>();
		const read = loadPages({
			parallel: 3,
			lastPage: Number.POSITIVE_INFINITY,
			loadPage: (page: number, wanted: () => boolean) =>
				new Promise<number[]>((resolve) => pending.set(page, { resolve, wanted })),
			isLastPage: (rows: number[]) => rows.length < 2,
		});
		pending.get(0)!.resolve([0, 1]);
		await new Promise((resolve) => setImmediate(resolve));
		// Pages 1, 2 and 3 are in flight; page 1 is short: pages 2 and 3 are past the end.
		pending.get(1)!.resolve([2]);
		await new Promise((resolve) => setImmediate(resolve));
		expect([...pending.keys()]).toEqual([0, 1, 2, 3]);
		expect(pending.get(2)!.wanted()).toBe(false);
		expect(pending.get(3)!.wanted()).toBe(false);
		expect(pending.get(1)!.wanted()).toBe(true);
		// The read ends when they have come back; their answers change nothing.
		let done = false;
		void read.then(() => (done = true));
		pending.get(2)!.resolve([9, 9]);
		await new Promise((resolve) => setImmediate(resolve));
		expect(done).toBe(false);
		pending.get(3)!.resolve([]);
		expect(await read).toEqual([[0, 1], [2]]);
	});

	it('does not fail a read for a page past the end that fails', async () => {
		const pages = await loadPages({
			parallel: 4,
			lastPage: Number.POSITIVE_INFINITY,
			loadPage: async (page: number) => {
				// Page 3 fails at once, before short page 1 has come back.
				await new Promise((resolve) => setTimeout(resolve, page === 3 ? 1 : 10));
				if (page === 3) throw new Error('page 4 failed');
				return page === 1 ? [page] : [page, page];
			},
			isLastPage: (rows: number[]) => rows.length < 2,
		});
		expect(pages).toEqual([[0, 0], [1]]);
	});

	it('fails the whole read on a failed page, starts no page after it and lets the others settle', async () => {
		const settled: number[] = [];
		const started: number[] = [];
		const read = loadPages({
			parallel: 3,
			lastPage: Number.POSITIVE_INFINITY,
			loadPage: async (page: number) => {
				started.push(page);
				await new Promise((resolve) => setTimeout(resolve, page === 1 ? 1 : 10));
				settled.push(page);
				if (page === 1) throw new Error('page 2 failed');
				return [page];
			},
			isLastPage: () => false,
		});
		await expect(read).rejects.toThrow('page 2 failed');
		expect([...started].sort()).toEqual([0, 1, 2]);
		expect([...settled].sort()).toEqual([0, 1, 2]);
	});

	it('checks each page as it arrives with the pages so far, and a failed check fails the read', async () => {
		const seen: Array<[number, number[]]> = [];
		const list = pagedList(50, 10);
		const read = loadPages({
			parallel: 1,
			lastPage: Number.POSITIVE_INFINITY,
			loadPage: list.loadPage,
			isLastPage: (rows: number[]) => rows.length < 10,
			checkPage: (page, pages) => {
				seen.push([page, pages.flatMap((rows, index) => (rows ? [index] : []))]);
				if (page === 2) throw new Error('page 3 does not fit page 2');
			},
		});
		await expect(read).rejects.toThrow('page 3 does not fit page 2');
		expect(seen).toEqual([
			[0, [0]],
			[1, [0, 1]],
			[2, [0, 1, 2]],
		]);
		expect(list.requested).toEqual([0, 1, 2]);
	});

	it('fails a list that does not end within maxPages pages, and never asks past them', async () => {
		const endless = pagedList(Number.POSITIVE_INFINITY, 10);
		const read = loadPages({
			parallel: 3,
			lastPage: Number.POSITIVE_INFINITY,
			loadPage: endless.loadPage,
			isLastPage: (rows: number[]) => rows.length < 10,
			maxPages: 7,
			tooManyPages: () => new Error('more than 70 rows'),
		});
		await expect(read).rejects.toThrow('more than 70 rows');
		expect([...endless.requested].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
		// A list that ends on the last page allowed is read whole.
		const list = pagedList(65, 10);
		const pages = await loadPages({
			parallel: 3,
			lastPage: Number.POSITIVE_INFINITY,
			loadPage: list.loadPage,
			isLastPage: (rows: number[]) => rows.length < 10,
			maxPages: 7,
		});
		expect(joinPages(pages)).toHaveLength(65);
	});

	it('joinPages drops the rows a page repeats from the page before it', () => {
		const pages = [
			[1, 2, 3],
			[3, 4, 5, 6],
			[6, 7],
		];
		expect(joinPages(pages, { overlap: 1 })).toEqual([1, 2, 3, 4, 5, 6, 7]);
		expect(joinPages(pages, { overlap: 1, limit: 5 })).toEqual([1, 2, 3, 4, 5]);
		expect(joinPages([[1, 2], []], { overlap: 1 })).toEqual([1, 2]);
	});
});
