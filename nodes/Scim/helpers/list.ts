/**
 * Reading a whole SCIM list, exactly, with `startIndex`/`count` paging
 * (https://datatracker.ietf.org/doc/html/rfc7644#section-3.4.2.4): `startIndex` is 1-based, the
 * app may return fewer resources than `count` asked for (it may cap the page size), and paging is
 * stateless, so the list can shift between calls.
 *
 * A user missing from the list would be planned as a joiner downstream, so the read either returns
 * every resource exactly once or fails with an error that says why, and outputs nothing:
 * - the next page starts after the resources actually returned (`Resources.length`, never the
 *   requested count or `itemsPerPage`);
 * - it stops when `totalResults` resources were read; an empty page before that is an error;
 * - `totalResults` must stay the same on every page (else the list changed while it was read);
 * - every resource needs an `id`, and no id may come twice: a page of ids already read means the
 *   app ignores `startIndex`; a single repeat means the list shifted; an id twice on one page
 *   means another resource is missing from it;
 * - when the last page may have been cut short by a page-size cap (it holds `count` resources or,
 *   in a whole-list read, as many as the longest page of the read), one more page is read: it
 *   must be empty (or only repeat ids already read, as some apps answer past the end), else the
 *   app's `totalResults` was cut off, a bug seen in apps that report the page size as the total.
 */
import type { IDataObject } from 'n8n-workflow';

/** The ListResponse message URN (https://datatracker.ietf.org/doc/html/rfc7644#section-3.4.2). */
export const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

/** One page as the app answered it. */
export interface ListPage {
	totalResults: number;
	resources: IDataObject[];
}

/** How to read: page size asked for (`count`), and an optional limit on resources. */
export interface ListPlan {
	/** `count` per request (at least 1); the app may return fewer. */
	pageSize: number;
	/** Stop after this many resources; undefined reads all. */
	limit?: number;
	/** Fetches the page starting at `startIndex` (1-based) asking for `count` resources. */
	fetchPage(startIndex: number, count: number): Promise<unknown>;
	/** "users" or "groups", for messages. */
	noun: string;
	/**
	 * Whether a last page as long as the longest page of the read is checked with one more request
	 * (see above). On for whole-list reads; off for filtered lookups, where it would double the
	 * requests of every lookup that finds one resource.
	 */
	checkPageCaps: boolean;
	/**
	 * Throws the caller's error for a list that cannot be read exactly: `message` says what
	 * happened, `description` what to do.
	 */
	fail(message: string, description: string): never;
}

const RUN_AGAIN = 'Run the workflow again; if it keeps failing, the app’s paging is not reliable.';

function nonNegativeInteger(value: unknown): number | undefined {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof number === 'number' && Number.isInteger(number) && number >= 0 ? number : undefined;
}

/**
 * Reads a ListResponse body: `totalResults` (a non-negative integer, as a number or numeric
 * string) and `Resources` (absent means none). Undefined when the body is not a ListResponse.
 */
export function parseListPage(body: unknown): ListPage | undefined {
	const page =
		body && typeof body === 'object' && !Array.isArray(body) ? (body as IDataObject) : {};
	const totalResults = nonNegativeInteger(page.totalResults);
	const resources = page.Resources ?? [];
	if (totalResults === undefined || !Array.isArray(resources)) return undefined;
	return { totalResults, resources: resources as IDataObject[] };
}

/** The page `fetchPage` answers, or the plan's failure when it is not a ListResponse. */
async function fetchListPage(plan: ListPlan, startIndex: number, count: number): Promise<ListPage> {
	const page = parseListPage(await plan.fetchPage(startIndex, count));
	if (page) return page;
	return plan.fail(
		`The app’s answer is not a SCIM list of ${plan.noun} (no totalResults or Resources)`,
		`A SCIM list answer is a ListResponse (${LIST_RESPONSE}) with totalResults and Resources. Check the Base URL of the SCIM 2.0 API credential.`,
	);
}

/** What has been read so far. */
interface ReadState {
	rows: IDataObject[];
	ids: Set<string>;
	total?: number;
}

/** The id of a resource, or the plan's failure for one without. */
function idOf(resource: IDataObject, plan: ListPlan): string {
	const id = resource && typeof resource === 'object' ? resource.id : undefined;
	if (typeof id === 'string' && id !== '') return id;
	if (typeof id === 'number') return String(id);
	return plan.fail(
		`The app returned one of its ${plan.noun} without an id`,
		'Every SCIM resource has an id (RFC 7643, section 3.1); without it the list cannot be checked or matched.',
	);
}

/**
 * Adds a page's resources to `state`, checking totalResults and ids as described above.
 * Fails (through `plan.fail`) when the list changed, or the app ignores `startIndex`.
 */
function addPage(state: ReadState, page: ListPage, pageNumber: number, plan: ListPlan): void {
	const noun = plan.noun;
	if (state.total !== undefined && page.totalResults !== state.total) {
		plan.fail(
			`The list of ${noun} changed while it was read (totalResults went from ${state.total} to ${page.totalResults} on page ${pageNumber})`,
			`Paging is not a snapshot: ${noun} created or deleted during the read shift the pages. ${RUN_AGAIN}`,
		);
	}
	state.total = page.totalResults;
	const ids = page.resources.map((resource) => idOf(resource, plan));
	const repeated = ids.filter((id) => state.ids.has(id));
	if (repeated.length > 0 && repeated.length === ids.length) {
		plan.fail(
			`The app ignores startIndex: page ${pageNumber} of its ${noun} repeated ${noun} already read`,
			'This app does not page its lists the way SCIM describes (startIndex, 1-based), so the list cannot be read exactly. Raise the Page Size option above the number of resources, if the app allows it, so one page holds the whole list.',
		);
	}
	if (repeated.length > 0) {
		plan.fail(
			`The list of ${noun} shifted while it was read (id "${repeated[0]}" came twice)`,
			RUN_AGAIN,
		);
	}
	const onPage = new Set<string>();
	for (const id of ids) {
		if (onPage.has(id)) {
			// Another resource of the list is then missing from it.
			plan.fail(
				`The app returned the same ${noun.replace(/s$/, '')} twice (id "${id}" on page ${pageNumber})`,
				`A SCIM list holds each resource once, so one of the app’s ${noun} is missing from this answer and the list cannot be read exactly. ${RUN_AGAIN}`,
			);
		}
		onPage.add(id);
	}
	for (let i = 0; i < ids.length; i++) {
		state.ids.add(ids[i]);
		state.rows.push(page.resources[i]);
	}
}

/**
 * After a full last page: reads one more page, which must add nothing.
 * Fails when it holds new resources (totalResults was cut off) or a new total.
 */
async function confirmEnd(plan: ListPlan, state: ReadState, startIndex: number): Promise<void> {
	const page = await fetchListPage(plan, startIndex, plan.pageSize);
	const fresh = page.resources.filter((resource) => !state.ids.has(idOf(resource, plan)));
	if (fresh.length > 0) {
		plan.fail(
			`The app has more ${plan.noun} than its totalResults (${state.total}) says`,
			`After ${state.total} ${plan.noun} the next page still held new ones, so the app’s totalResults cannot be trusted and the list cannot be read exactly. Report this to the app’s vendor.`,
		);
	}
	if (page.totalResults !== state.total) {
		plan.fail(
			`The list of ${plan.noun} changed while it was read (totalResults went from ${state.total} to ${page.totalResults})`,
			`Paging is not a snapshot: ${plan.noun} created or deleted during the read shift the pages. ${RUN_AGAIN}`,
		);
	}
}

/**
 * Reads pages until `totalResults` (or `limit`) resources were read, checking each as described
 * above. Returns the resources in the order the app gave them.
 * @throws what `plan.fail` throws when the list cannot be read exactly; what `fetchPage` throws.
 */
export async function readWholeList(plan: ListPlan): Promise<IDataObject[]> {
	const state: ReadState = { rows: [], ids: new Set() };
	const limit = plan.limit ?? Infinity;
	let startIndex = 1;
	let longest = 0;
	for (let pageNumber = 1; ; pageNumber++) {
		const count = Math.max(1, Math.min(plan.pageSize, limit - state.rows.length));
		const page = await fetchListPage(plan, startIndex, count);
		addPage(state, page, pageNumber, plan);
		startIndex += page.resources.length;
		longest = Math.max(longest, page.resources.length);
		const total = page.totalResults;
		if (state.rows.length >= limit) return state.rows.slice(0, limit);
		if (state.rows.length > total) {
			plan.fail(
				`The app returned more ${plan.noun} (${state.rows.length}) than its totalResults (${total})`,
				`The app’s totalResults cannot be trusted, so the list cannot be read exactly. ${RUN_AGAIN}`,
			);
		}
		if (state.rows.length === total) {
			const length = page.resources.length;
			const mayBeCut = length === count || (plan.checkPageCaps && length === longest);
			if (total > 0 && mayBeCut) await confirmEnd(plan, state, startIndex);
			return state.rows;
		}
		if (page.resources.length === 0) {
			plan.fail(
				`The app stopped returning ${plan.noun} after ${state.rows.length} of ${total}`,
				`Page ${pageNumber} (startIndex ${startIndex}) was empty although totalResults is ${total}. Apps that count startIndex from 0, or lose their place between pages, do this. ${RUN_AGAIN}`,
			);
		}
	}
}

/** Resources sorted by `id` (code-unit order), so runs over the same data give the same output. */
export function sortById(resources: IDataObject[]): IDataObject[] {
	return resources.sort((a, b) => {
		const left = String(a.id);
		const right = String(b.id);
		return left < right ? -1 : left > right ? 1 : 0;
	});
}
