/**
 * Get Many against apps whose paging is broken in the ways seen in the field: the node either
 * returns every user exactly once or fails with an error that says why, and outputs nothing.
 */
import { jsonOf, run } from './helpers';
import { quirkyUsers, startQuirkyApp, type Quirk, type QuirkyApp } from './quirkyApp';

let app: QuirkyApp | undefined;

afterEach(async () => {
	await app?.close();
	app = undefined;
});

async function listWith(quirk: Quirk, users = quirkyUsers(12)) {
	app = await startQuirkyApp(users, quirk);
	return await run({ url: app.url, token: 'any' }, { resource: 'user', operation: 'getAll' });
}

function startIndexes(): number[] {
	return (app?.seen ?? []).map((s) =>
		Number(new URL(s.url, 'http://x').searchParams.get('startIndex')),
	);
}

describe('Get Many against quirky apps', () => {
	it('reads a well-behaved app that caps pages at 5, sorted by id', async () => {
		const users = quirkyUsers(12);
		const result = await listWith('none', users);
		expect(jsonOf(result).map((u) => u.id)).toEqual(users.map((u) => u.id).sort());
		expect(startIndexes()).toEqual([1, 6, 11]);
	});

	it.each<[Quirk, RegExp]>([
		[
			'ignoresStartIndex',
			/^The app ignores startIndex: page 2 of its users repeated users already read$/,
		],
		['zeroBased', /^The app stopped returning users after 11 of 12$/],
		['cappedTotal', /^The app has more users than its totalResults \(5\) says$/],
		[
			'growing',
			/^The list of users changed while it was read \(totalResults went from 12 to 13 on page 2\)$/,
		],
		['missingId', /^The app returned one of its users without an id$/],
		['twiceOnOnePage', /^The app returned the same user twice \(id "id-00-0" on page 1\)$/],
		['notAList', /^The app’s answer is not a SCIM list of users \(no totalResults or Resources\)$/],
		['loginPage', /^The app answered with a web page instead of SCIM JSON$/],
	])('%s: fails with a clear error and outputs nothing', async (quirk, message) => {
		const result = await listWith(quirk);
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(message);
		expect(result.outputs).toEqual([]);
	});

	it('says that nothing was output and why', async () => {
		const result = await listWith('zeroBased');
		expect(result.error?.description).toMatch(
			/Page 4 \(startIndex 12\) was empty although totalResults is 12/,
		);
		expect(result.error?.description).toMatch(
			/Nothing was output: a partial list would make missing users look like users to create\.$/,
		);
	});

	it('accepts an app that repeats the first page past the end, once totalResults is reached', async () => {
		const users = quirkyUsers(10);
		const result = await listWith('repeatsPastEnd', users);
		expect(jsonOf(result).map((u) => u.id)).toEqual(users.map((u) => u.id).sort());
		expect(startIndexes()).toEqual([1, 6, 11]);
	});

	it('reads totalResults given as text and a text/json answer', async () => {
		const result = await listWith('looseTypes', quirkyUsers(7));
		expect(jsonOf(result)).toHaveLength(7);
	});

	it('retries a reset connection', async () => {
		const result = await listWith('resetFirst', quirkyUsers(3));
		expect(jsonOf(result)).toHaveLength(3);
		// The reset request, its retry, and the check after a page as long as the longest.
		expect(startIndexes()).toEqual([1, 1, 4]);
	});
});
