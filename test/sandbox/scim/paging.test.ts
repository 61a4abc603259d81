import { startScimSandbox, type ScimSandbox } from '../../../sandbox/scim/server';
import { filtered, LIST, scim } from './http';

const COUNT = 5;

function users(n: number) {
	return Array.from({ length: n }, (_, i) => ({
		userName: `user${String(i + 1).padStart(3, '0')}@example.test`,
		externalId: `E-${i + 1}`,
		active: i % 2 === 0,
	}));
}

/**
 * Reads every page the way RFC 7644 section 3.4.2.4 describes: start at 1, step by the number of
 * Resources returned, stop when startIndex passes totalResults. Returns the pages as received.
 */
async function readAllPages(sandbox: ScimSandbox, path: string, count: number) {
	const pages: any[] = [];
	let startIndex = 1;
	for (;;) {
		const separator = path.includes('?') ? '&' : '?';
		const page = await scim(
			sandbox,
			'GET',
			`${path}${separator}startIndex=${startIndex}&count=${count}`,
		);
		expect(page.status).toBe(200);
		pages.push(page.body);
		startIndex += page.body.Resources?.length ?? 0;
		if (startIndex > page.body.totalResults || !page.body.Resources?.length) return pages;
		if (pages.length > 100) throw new Error('paging does not end');
	}
}

describe('SCIM sandbox: paging with startIndex and count', () => {
	let sandbox: ScimSandbox;
	beforeAll(async () => {
		sandbox = await startScimSandbox({ maxPageSize: 7 });
	});
	afterAll(() => sandbox.close());

	it.each([
		[0, [0]],
		[1, [1]],
		[3 * COUNT, [5, 5, 5]],
		[3 * COUNT + 1, [5, 5, 5, 1]],
	])('%i users come back exactly once, in pages of %j', async (n, sizes) => {
		sandbox.setUsers(users(n));
		const pages = await readAllPages(sandbox, '/Users', COUNT);
		expect(pages.map((page) => page.Resources?.length ?? 0)).toEqual(sizes);
		pages.forEach((page, index) => {
			expect(page).toMatchObject({
				schemas: [LIST],
				totalResults: n,
				startIndex: 1 + index * COUNT,
				itemsPerPage: sizes[index],
			});
		});
		const names = pages.flatMap((page) => (page.Resources ?? []).map((u: any) => u.userName));
		expect(names).toEqual(users(n).map((u) => u.userName));
	});

	it('answers a page past the end with no Resources and the real totalResults', async () => {
		sandbox.setUsers(users(2 * COUNT));
		for (const [startIndex, count] of [
			[2 * COUNT + 1, COUNT],
			[50, COUNT],
			[2 * COUNT + 1, 7],
		]) {
			const past = await scim(sandbox, 'GET', `/Users?startIndex=${startIndex}&count=${count}`);
			expect(past.body).toMatchObject({ totalResults: 2 * COUNT, itemsPerPage: 0, startIndex });
			expect(past.body.Resources ?? []).toEqual([]);
		}
		sandbox.setUsers(users(3));
		const short = await scim(sandbox, 'GET', '/Users?startIndex=5&count=7');
		expect(short.body).toMatchObject({ totalResults: 3, itemsPerPage: 0, startIndex: 5 });
		expect(short.body.Resources ?? []).toEqual([]);
	});

	it('caps count at maxPageSize (advertised as filter.maxResults) and uses it when count is absent', async () => {
		sandbox.setUsers(users(20));
		const config = await scim(sandbox, 'GET', '/ServiceProviderConfig');
		expect(config.body.filter.maxResults).toBe(7);
		for (const query of ['', '?count=1000', '?startIndex=1']) {
			const page = await scim(sandbox, 'GET', `/Users${query}`);
			expect(page.body).toMatchObject({ totalResults: 20, itemsPerPage: 7, startIndex: 1 });
			expect(page.body.Resources).toHaveLength(7);
		}
	});

	it('reads count=0 as "totalResults only", a negative count as 0 and startIndex < 1 as 1', async () => {
		sandbox.setUsers(users(4));
		const zero = await scim(sandbox, 'GET', '/Users?count=0');
		expect(zero.body).toMatchObject({ totalResults: 4, itemsPerPage: 0 });
		expect(zero.body.Resources ?? []).toEqual([]);
		const negative = await scim(sandbox, 'GET', '/Users?count=-3');
		expect(negative.body).toMatchObject({ totalResults: 4, itemsPerPage: 0 });
		const low = await scim(sandbox, 'GET', '/Users?startIndex=0&count=2');
		expect(low.body).toMatchObject({ startIndex: 1, itemsPerPage: 2 });
		expect(low.body.Resources.map((u: any) => u.externalId)).toEqual(['E-1', 'E-2']);
	});

	it('pages from any startIndex, and sorts before paging when sortBy is given', async () => {
		sandbox.setUsers(users(10));
		const inside = await scim(sandbox, 'GET', '/Users?startIndex=2&count=3');
		expect(inside.body).toMatchObject({ totalResults: 10, startIndex: 2, itemsPerPage: 3 });
		expect(inside.body.Resources.map((u: any) => u.externalId)).toEqual(['E-2', 'E-3', 'E-4']);
		const sorted = await scim(
			sandbox,
			'GET',
			'/Users?sortBy=userName&sortOrder=descending&startIndex=4&count=3',
		);
		expect(sorted.body).toMatchObject({ totalResults: 10, startIndex: 4, itemsPerPage: 3 });
		expect(sorted.body.Resources.map((u: any) => u.externalId)).toEqual(['E-7', 'E-6', 'E-5']);
	});

	it('pages filtered results, and POST /Users/.search pages the same way', async () => {
		sandbox.setUsers(users(3 * COUNT + 1));
		const pages = await readAllPages(sandbox, filtered('active eq true'), 3);
		const ids = pages.flatMap((page) => page.Resources.map((u: any) => u.externalId));
		expect(ids).toEqual(['E-1', 'E-3', 'E-5', 'E-7', 'E-9', 'E-11', 'E-13', 'E-15']);
		expect(pages[0].totalResults).toBe(8);

		const search = await scim(sandbox, 'POST', '/Users/.search', {
			schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
			filter: 'active eq true',
			startIndex: 7,
			count: 3,
		});
		expect(search.status).toBe(200);
		expect(search.body).toMatchObject({ totalResults: 8, startIndex: 7, itemsPerPage: 2 });
		expect(search.body.Resources.map((u: any) => u.externalId)).toEqual(['E-13', 'E-15']);
	});
});
