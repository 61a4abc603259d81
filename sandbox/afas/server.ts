/**
 * A local AFAS Profit REST server (GetConnectors and metainfo) on loopback, for tests, the bench
 * and `npm run sandbox`. It follows the mock specification in
 * /work/shared/reference/afas-profit-rest.md §9; section numbers (§) below refer to that file.
 * Where the reference marks something UNVERIFIED or MOCK-CHOICE, the choice is an option here.
 *
 * Usage:
 *   const afas = await startAfasSandbox({ employeeCount: 2500 });
 *   fetch(`${afas.url}/connectors/Mobietrain_Employees?skip=0&take=1000&orderbyfieldids=externalId`,
 *         { headers: { Authorization: `AfasToken ${afas.tokenBase64}` } });
 *
 * What it does like AFAS:
 * - Paths `/ProfitRestServices/{profitversion|metainfo|metainfo/get/{id}|connectors/{id}}`, the
 *   prefix and segments case-insensitive (§1.2, §9.1).
 * - `Authorization: AfasToken <base64 of the token XML>`; plain XML after `AfasToken ` -> 500
 *   (Profit 6 enforcement, §2.1); missing or wrong token -> 401 with an empty body (§2.2).
 * - Query string (from `?`) longer than 2049 characters -> 404 (§3.6).
 * - skip/take defaults 0/100, `skip=-1` = all rows, `take=-1` without `skip=-1` -> 500 (§3.1).
 * - Filters in both syntaxes and all 15 operators (./query.ts); unknown field in a filter or
 *   sort -> 500 "Connector field '<id>' not found" (§3.5, §5.2).
 * - Without `orderbyfieldids` the row order changes on every request (seeded shuffle), and
 *   rows that tie on the sort fields come in a changing order too, as the database gives no
 *   order (§3.5, §6.3): a client that pages without a unique sort gets duplicates and gaps.
 * - `{"skip":..,"take":..,"rows":[...]}` compact, `take` echoes the request (§4.1); dates as
 *   `YYYY-MM-DDTHH:MM:SSZ` with a fake Z; empty values `null`; every column in every row (§4.2).
 * - 500 bodies `{"externalMessage","errorNumber","profitLogReference"}`, Dutch for
 *   `Accept-Language: nl-nl/nl-be` (§5.2); 503 with `Retry-After` and AFAS' JSON body (§5.3).
 * - More than `maxConcurrent` (8, §5.4) requests in flight -> 500 "An unexpected error has
 *   occurred.": AFAS documents the limit of 8 parallel calls but not what happens above it,
 *   and it documents no 429 anywhere; the reference's mock spec picks this 500 (§9.3 step 9).
 * - `IntegrationId` is accepted and logged (§2.3); the Authorization header is never logged.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import {
	amsterdamToday,
	buildConnectors,
	completeFieldMeta,
	createRng,
	generatePeople,
	shuffled,
	type AfasFieldMeta,
} from './data';
import {
	AfasQueryError,
	compileFilter,
	parseCompactFilter,
	parseFilterJson,
	parseOrderBy,
	sortRows,
	type AfasDataType,
	type FilterGroups,
	type NullSemantics,
} from './query';

export type { AfasFieldMeta } from './data';
export type { AfasDataType, NullSemantics } from './query';
export { AFAS_CONNECTOR_IDS, MOBIETRAIN_FIELDS } from './data';

export interface AfasSandboxOptions {
	/** Default 0: the OS picks a free port. */
	port?: number;
	/** Default '127.0.0.1'. */
	host?: string;
	/** Added to every response, default 0. */
	latencyMs?: number;
	/**
	 * AFAS' documented limit of parallel calls per token (§5.4), default 8. Requests above it get
	 * a 500 "An unexpected error has occurred." (the reference's MOCK-CHOICE; AFAS documents no
	 * 429 and does not say what happens above the limit).
	 */
	maxConcurrent?: number;
	/** Data generator seed, default 42. Also seeds the per-request row shuffling. */
	seed?: number;
	/** Rows in the employee connectors, default 2500 (more than two pages of 1000). */
	employeeCount?: number;
	/** AFAS environment (member) number, default '12345'. */
	environmentNr?: string;
	/** The token's `<data>` value; default 64 upper-case hex characters derived from seed and environment. */
	tokenData?: string;
	/** "Today" for generated start and end dates (YYYY-MM-DD); default today in Amsterdam. */
	today?: string;
	/** Plain-XML tokens get a 500 as since Profit 6 (default true); false accepts them (older Profit). */
	strictBase64?: boolean;
	/** Shuffle rows without a defined order on every request (default true, see header). */
	unstableOrder?: boolean;
	/** NULL in comparisons: SQL Server semantics (default) or negations match NULL (UNVERIFIED). */
	nullSemantics?: NullSemantics;
	/** Gzip 200 responses when the client accepts it, as AFAS does (default true). */
	gzip?: boolean;
	/** Also send the obsolete `X-PROFIT-ERROR: base64(externalMessage)` header on 500s (default false). */
	xProfitErrorHeader?: boolean;
	/** Refuse pages with more than this many cells (columns x rows) with 500 "Out of memory" (default: no limit). */
	maxCells?: number;
	/**
	 * Status for an unknown (or not authorised) connector id: 401 with an empty body (default; AFAS
	 * lists "connector not added to the App Connector" as a 401 cause, §2.2), 404, or 500 with
	 * "GetConnector not supported for this app or the user is not authorized." (UNVERIFIED which).
	 */
	unknownConnectorStatus?: 401 | 404 | 500;
	/** `info.appName` in `/metainfo`, default 'HR Sync sandbox'. */
	appName?: string;
}

export type AfasFault =
	| { kind: 'status503'; retryAfterSeconds?: number }
	| { kind: 'status500'; externalMessage?: string }
	| { kind: 'reset' }
	| { kind: 'truncated' };

/**
 * A fault fires instead of the normal answer for requests that match: `connectorId` (any request
 * when unset; otherwise only `GET /connectors/{connectorId}`) and `skip` (any when unset; the
 * parsed skip of a connector call otherwise). It fires `times` times (default 1), then is gone.
 * Rules are tried in the order they were added.
 */
export interface AfasFaultRule {
	fault: AfasFault;
	connectorId?: string;
	skip?: number;
	times?: number;
}

export interface AfasRequestLogEntry {
	method: string;
	path: string;
	query: Record<string, string>;
	/** 0 when the connection was reset without a response. */
	status: number;
	integrationId?: string;
}

export interface AfasSandbox {
	/** API server URL as AFAS shows it, e.g. 'http://127.0.0.1:PORT/ProfitRestServices'. */
	url: string;
	/** '<token><version>1</version><data>…</data></token>' */
	tokenXml: string;
	/** Just the `<data>` part. */
	tokenData: string;
	/** base64 of tokenXml: send `Authorization: AfasToken <tokenBase64>`. */
	tokenBase64: string;
	environmentNr: string;
	/** The date the generated data is relative to (YYYY-MM-DD). */
	today: string;
	addFault(rule: AfasFaultRule): void;
	clearFaults(): void;
	setLatency(ms: number): void;
	/**
	 * Replaces (or defines) a connector's rows. Without `fields`, an existing connector keeps its
	 * fields and a new one gets fields inferred from the rows. Rows are normalised to the served
	 * form: dates 'YYYY-MM-DD' become 'YYYY-MM-DDT00:00:00Z', '' and undefined become null.
	 */
	setRows(
		connectorId: string,
		rows: Array<Record<string, unknown>>,
		fields?: AfasFieldMeta[],
	): void;
	/** The connector's rows as served (copies), in storage order. */
	getRows(connectorId: string): Array<Record<string, unknown>>;
	/** The connector's metainfo fields. */
	getFields(connectorId: string): AfasFieldMeta[];
	/** Flags a connector definition as blocked (AFAS' Fair Use block, §5.4): calls get a 500. */
	setBlocked(connectorId: string, blocked: boolean): void;
	stats(): { requests: number; maxInFlight: number; log: AfasRequestLogEntry[] };
	resetStats(): void;
	close(): Promise<void>;
}

interface Connector {
	id: string;
	description: string;
	fields: AfasFieldMeta[];
	rows: Array<Record<string, unknown>>;
	blocked: boolean;
	/**
	 * Work done once per connector instead of on every request: the filtered and sorted row
	 * order per query (see rowView) and each row's JSON (UTF-8). Rows never change in place
	 * (setRows replaces the connector), so neither needs invalidating.
	 */
	views: Map<string, RowView>;
	rowJson: Array<Buffer | undefined>;
}

/** A connector's rows under one filter and sort. */
interface RowView {
	/** Row indices: sorted with ties in storage order, or in storage order when there is no sort. */
	order: number[];
	sorted: boolean;
	/** Runs `[start, end)` of `order` that tie on every sort field, by start (sorted views only). */
	ties: Array<[number, number]>;
	/** The rows' JSON in `order`, comma-separated, and where each row starts in it (see serialisedView). */
	serialised?: { bytes: Buffer; offsets: Uint32Array };
}

/** Distinct filter/sort combinations remembered per connector (a client pages with one at a time). */
const MAX_VIEWS_PER_CONNECTOR = 16;

function newConnector(fields: Omit<Connector, 'views' | 'rowJson'>): Connector {
	return { ...fields, views: new Map(), rowJson: [] };
}

interface Reply {
	status: number;
	headers: Record<string, string>;
	/** A list of buffers is sent one after the other, so a page needs no copy into one buffer. */
	body: string | Buffer | Buffer[];
	/** Gzip when the client accepts it (successful JSON answers only). */
	compressible?: boolean;
}

type Outcome = Reply | { reset: true };

const PROFIT_VERSION = '7.0.3';
const MAX_QUERY_LENGTH = 2049;
const DEFAULT_TAKE = 100;
const ERROR_GENERIC = -2147180999;
const ERROR_FUNCTIONAL = -2147180996;

const MESSAGES = {
	unexpected: {
		en: 'An unexpected error has occurred.',
		nl: 'Er is een onverwachte fout opgetreden.',
	},
	blocked: {
		en: 'This GetConnector (definition) is blocked',
		nl: 'This GetConnector (definition) is blocked',
	},
	notAuthorised: {
		en: 'GetConnector not supported for this app or the user is not authorized.',
		nl: 'GetConnector not supported for this app or the user is not authorized.',
	},
	outOfMemory: { en: 'Out of memory', nl: 'Out of memory' },
};

const COMMON_HEADERS = {
	'Cache-Control': 'no-store, no-cache',
	'X-Content-Type-Options': 'nosniff',
	'X-Frame-Options': 'deny',
	'Access-Control-Allow-Origin': '*',
};

const JSON_TYPE = 'application/json; charset=utf-8';
const COMMA = Buffer.from(',');
const bodyBytes = (body: Reply['body']): Buffer =>
	Array.isArray(body) ? Buffer.concat(body) : Buffer.from(body);
const END_OF_ROWS = Buffer.from(']}');
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?(\.\d+)?Z?$/;

function normaliseValue(value: unknown, dataType: AfasDataType, where: string): unknown {
	if (value === undefined || value === null || value === '') return null;
	switch (dataType) {
		case 'date': {
			if (value instanceof Date) return `${value.toISOString().slice(0, 19)}Z`;
			if (typeof value === 'string' && DATE_ONLY.test(value)) return `${value}T00:00:00Z`;
			const match = typeof value === 'string' ? DATE_TIME.exec(value) : null;
			if (match) return `${match[1]}T${match[2]}${match[3] ?? ':00'}Z`;
			throw new Error(
				`${where}: ${JSON.stringify(value)} is not a date (use 'YYYY-MM-DD' or 'YYYY-MM-DDTHH:MM:SS')`,
			);
		}
		case 'int':
		case 'decimal':
			if (typeof value !== 'number')
				throw new Error(`${where}: ${JSON.stringify(value)} is not a number`);
			return value;
		case 'boolean':
			if (typeof value !== 'boolean')
				throw new Error(`${where}: ${JSON.stringify(value)} is not a boolean`);
			return value;
		default:
			return typeof value === 'string' ? value : String(value);
	}
}

function inferFields(rows: Array<Record<string, unknown>>): AfasFieldMeta[] {
	const types = new Map<string, AfasDataType | undefined>();
	for (const row of rows) {
		for (const [key, value] of Object.entries(row)) {
			if (types.get(key) !== undefined || value === null || value === undefined || value === '') {
				if (!types.has(key)) types.set(key, undefined);
				continue;
			}
			let dataType: AfasDataType = 'string';
			if (typeof value === 'boolean') dataType = 'boolean';
			else if (typeof value === 'number') dataType = Number.isInteger(value) ? 'int' : 'decimal';
			else if (
				value instanceof Date ||
				(typeof value === 'string' && (DATE_ONLY.test(value) || DATE_TIME.test(value)))
			)
				dataType = 'date';
			types.set(key, dataType);
		}
	}
	return completeFieldMeta(
		[...types].map(([id, dataType]) => ({ id, dataType: dataType ?? 'string', label: id })),
	);
}

function normaliseRows(
	connectorId: string,
	fields: AfasFieldMeta[],
	rows: Array<Record<string, unknown>>,
) {
	const known = new Set(fields.map((field) => field.id));
	return rows.map((row, index) => {
		for (const key of Object.keys(row)) {
			if (!known.has(key)) {
				throw new Error(
					`setRows('${connectorId}'): row ${index} has "${key}", which is not a field of the connector; pass fields that include it`,
				);
			}
		}
		const served: Record<string, unknown> = {};
		for (const field of fields) {
			served[field.id] = normaliseValue(
				row[field.id],
				field.dataType,
				`setRows('${connectorId}') row ${index} field ${field.id}`,
			);
		}
		return served;
	});
}

/** Query parameter names are matched case-insensitively (UNVERIFIED for AFAS, §11.9); first one wins. */
function queryParameters(url: URL): Map<string, string> {
	const parameters = new Map<string, string>();
	for (const [name, value] of url.searchParams) {
		const key = name.toLowerCase();
		if (!parameters.has(key)) parameters.set(key, value);
	}
	return parameters;
}

/** skip as AFAS reads it: missing, non-numeric or below -1 counts as 0 (§3.1, PA). */
function parseSkip(text: string | undefined): number {
	if (text === undefined || !/^\s*-?\d+\s*$/.test(text)) return 0;
	const skip = Number(text);
	return skip < -1 ? 0 : skip;
}

export async function startAfasSandbox(options: AfasSandboxOptions = {}): Promise<AfasSandbox> {
	const host = options.host ?? '127.0.0.1';
	const seed = options.seed ?? 42;
	const environmentNr = options.environmentNr ?? '12345';
	const today = options.today ?? amsterdamToday();
	const maxConcurrent = options.maxConcurrent ?? 8;
	const strictBase64 = options.strictBase64 ?? true;
	const unstableOrder = options.unstableOrder ?? true;
	const nullSemantics = options.nullSemantics ?? 'sql';
	const useGzip = options.gzip ?? true;
	const unknownConnectorStatus = options.unknownConnectorStatus ?? 401;
	let latencyMs = options.latencyMs ?? 0;

	const tokenData =
		options.tokenData ??
		createHash('sha256')
			.update(`afas-sandbox:${environmentNr}:${seed}`)
			.digest('hex')
			.toUpperCase();
	const tokenXml = `<token><version>1</version><data>${tokenData}</data></token>`;
	const tokenBase64 = Buffer.from(tokenXml, 'utf8').toString('base64');

	const connectors = new Map<string, Connector>();
	const people = generatePeople({ seed, employeeCount: options.employeeCount ?? 2500, today });
	for (const fixture of buildConnectors(people, today)) {
		connectors.set(
			fixture.id,
			newConnector({
				...fixture,
				rows: normaliseRows(fixture.id, fixture.fields, fixture.rows),
				blocked: false,
			}),
		);
	}
	const findConnector = (id: string): Connector | undefined =>
		connectors.get(id) ??
		[...connectors.values()].find((connector) => connector.id.toLowerCase() === id.toLowerCase());
	const requireConnector = (id: string): Connector => {
		const connector = findConnector(id);
		if (!connector)
			throw new Error(
				`The AFAS sandbox has no connector '${id}'; known: ${[...connectors.keys()].join(', ')}`,
			);
		return connector;
	};

	// Row order without a sort: its own seeded stream, so data generation does not depend on it.
	const shuffleRandom = createRng(seed ^ 0x5eed);
	let faults: Array<AfasFaultRule & { remaining: number }> = [];
	let requests = 0;
	let inFlight = 0;
	let maxInFlight = 0;
	let log: AfasRequestLogEntry[] = [];

	function afasError(
		req: IncomingMessage,
		message: { en: string; nl: string } | string,
		errorNumber = ERROR_GENERIC,
	): Reply {
		const dutch = /^nl-(nl|be)\b/i.test(String(req.headers['accept-language'] ?? ''));
		const externalMessage = typeof message === 'string' ? message : dutch ? message.nl : message.en;
		const profitLogReference = randomBytes(16).toString('hex').toUpperCase();
		const headers: Record<string, string> = { 'Content-Type': JSON_TYPE };
		if (options.xProfitErrorHeader)
			headers['X-PROFIT-ERROR'] = Buffer.from(externalMessage, 'utf8').toString('base64');
		return {
			status: 500,
			headers,
			body: JSON.stringify({ externalMessage, errorNumber, profitLogReference }),
		};
	}
	const json = (body: unknown): Reply => ({
		status: 200,
		headers: { 'Content-Type': JSON_TYPE },
		body: JSON.stringify(body),
		compressible: true,
	});
	// 401 as the OpenAPI shows it: no body, Content-Length 0, an XML content type (§2.2).
	const unauthorised = (): Reply => ({
		status: 401,
		headers: { 'Content-Type': 'application/xml; charset=utf-8' },
		body: '',
	});
	const notFound = (): Reply => ({
		status: 404,
		headers: { 'Content-Type': 'text/html' },
		body: '<h1>404 - Not Found</h1>',
	});

	function unknownConnector(req: IncomingMessage): Reply {
		if (unknownConnectorStatus === 404) return notFound();
		if (unknownConnectorStatus === 500)
			return afasError(req, MESSAGES.notAuthorised, ERROR_FUNCTIONAL);
		return unauthorised();
	}

	function authenticate(req: IncomingMessage): Reply | undefined {
		const header = req.headers.authorization;
		if (!header || !header.startsWith('AfasToken ')) return unauthorised();
		const credential = header.slice('AfasToken '.length).trim();
		if (credential.startsWith('<')) {
			// Profit 6+ refuses the plain XML token with a 500 (§2.1).
			if (strictBase64) return afasError(req, MESSAGES.unexpected);
			return credential === tokenXml ? undefined : unauthorised();
		}
		if (!/^[A-Za-z0-9+/]+={0,2}$/.test(credential)) return unauthorised();
		return Buffer.from(credential, 'base64').toString('utf8') === tokenXml
			? undefined
			: unauthorised();
	}

	function metainfo(): Reply {
		return json({
			updateConnectors: [],
			getConnectors: [...connectors.values()].map((connector) => ({
				id: connector.id,
				description: connector.description,
			})),
			info: {
				envid: `O${environmentNr}AA`,
				appName: options.appName ?? 'HR Sync sandbox',
				group: `AuthorizationGroup 101 (${environmentNr}.HRSYNC)`,
				tokenExpiry: '0',
			},
		});
	}

	/**
	 * The rows a query selects, in order: filtered and sorted once per connector and query, not
	 * again for every page, so a paging benchmark measures the client and not the sandbox's
	 * sorting. Invalid queries throw AfasQueryError every time: only valid ones are remembered.
	 */
	function rowView(connector: Connector, parameters: Map<string, string>): RowView {
		// With both syntaxes present filterjson wins (precedence UNVERIFIED, §3.4).
		const filterJson = parameters.get('filterjson');
		const fieldIds = parameters.get('filterfieldids');
		const filterValues = parameters.get('filtervalues') ?? null;
		const operatorTypes = parameters.get('operatortypes') ?? null;
		const orderBy = parameters.get('orderbyfieldids');
		const byJson = filterJson !== undefined && filterJson.trim() !== '';
		const byCompact = !byJson && fieldIds !== undefined && fieldIds !== '';
		const sorted = orderBy !== undefined && orderBy.trim() !== '';
		const key = JSON.stringify([
			byJson ? filterJson : null,
			byCompact ? [fieldIds, filterValues, operatorTypes] : null,
			sorted ? orderBy : null,
		]);
		const known = connector.views.get(key);
		if (known) return known;

		let groups: FilterGroups | undefined;
		if (byJson) groups = parseFilterJson(filterJson);
		else if (byCompact) groups = parseCompactFilter(fieldIds, filterValues, operatorTypes);
		const matches = groups ? compileFilter(groups, connector.fields, nullSemantics) : undefined;
		const keys = sorted ? parseOrderBy(orderBy, connector.fields) : undefined;
		const selected: number[] = [];
		connector.rows.forEach((row, index) => {
			if (!matches || matches(row)) selected.push(index);
		});
		const view: RowView = keys
			? { ...sortRows(connector.rows, selected, keys, connector.fields), sorted: true }
			: { order: selected, ties: [], sorted: false };
		if (connector.views.size >= MAX_VIEWS_PER_CONNECTOR)
			connector.views.delete(connector.views.keys().next().value!);
		connector.views.set(key, view);
		return view;
	}

	/**
	 * Row indices at positions [start, end) of a view when this request serves them in another
	 * order than the view's, undefined when the view's order stands. With unstableOrder, a view
	 * without a sort comes in a new random order on every request, and so do rows that tie on the
	 * sort fields: each run of tying rows that reaches into the page is shuffled for this request,
	 * which gives the same orders as shuffling all rows and then sorting stably.
	 */
	function reorderedPage(view: RowView, start: number, end: number): number[] | undefined {
		if (!unstableOrder) return undefined;
		if (!view.sorted) return shuffled(view.order, shuffleRandom).slice(start, end);
		const last = Math.min(end, view.order.length);
		// The first run that ends after `start` (runs are disjoint and ordered).
		let low = 0;
		let high = view.ties.length;
		while (low < high) {
			const middle = (low + high) >> 1;
			if (view.ties[middle]![1] <= start) low = middle + 1;
			else high = middle;
		}
		if (low === view.ties.length || view.ties[low]![0] >= last) return undefined;
		const page = view.order.slice(start, last);
		for (let run = low; run < view.ties.length && view.ties[run]![0] < last; run++) {
			const [runStart, runEnd] = view.ties[run]!;
			const reordered = shuffled(view.order.slice(runStart, runEnd), shuffleRandom);
			for (
				let position = Math.max(runStart, start);
				position < Math.min(runEnd, last);
				position++
			) {
				page[position - start] = reordered[position - runStart]!;
			}
		}
		return page;
	}

	const rowJson = (connector: Connector, index: number): Buffer =>
		(connector.rowJson[index] ??= Buffer.from(JSON.stringify(connector.rows[index])));

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

	/** The JSON of rows [start, end) of a view, comma-separated, in the order this request serves them. */
	function pageRowsJson(
		connector: Connector,
		view: RowView,
		start: number,
		end: number,
	): { json: Buffer; count: number } {
		const reordered = reorderedPage(view, start, end);
		if (reordered) {
			const parts: Buffer[] = [];
			reordered.forEach((index, position) => {
				if (position > 0) parts.push(COMMA);
				parts.push(rowJson(connector, index));
			});
			return { json: Buffer.concat(parts), count: reordered.length };
		}
		const last = Math.min(end, view.order.length);
		if (start >= last) return { json: Buffer.alloc(0), count: 0 };
		const { bytes, offsets } = serialisedView(connector, view);
		// Each offset counts the comma after its row; the page's last row has none.
		return { json: bytes.subarray(offsets[start], offsets[last]! - 1), count: last - start };
	}

	function runConnector(
		req: IncomingMessage,
		connector: Connector,
		parameters: Map<string, string>,
	): Reply {
		if (connector.blocked) return afasError(req, MESSAGES.blocked, ERROR_FUNCTIONAL);

		const skip = parseSkip(parameters.get('skip'));
		const takeText = parameters.get('take');
		// A non-numeric take counts as the default (MOCK-CHOICE, like skip in §3.1).
		const take =
			takeText !== undefined && /^\s*-?\d+\s*$/.test(takeText) ? Number(takeText) : DEFAULT_TAKE;
		if (skip !== -1 && take < 0) return afasError(req, MESSAGES.unexpected);

		let view: RowView;
		try {
			view = rowView(connector, parameters);
		} catch (error) {
			if (!(error instanceof AfasQueryError)) throw error;
			if (error.kind === 'fieldNotFound') return afasError(req, error.message, ERROR_FUNCTIONAL);
			return afasError(req, MESSAGES.unexpected);
		}

		// skip=-1 returns everything and ignores take; take=0 returned one row in PA's 2017 test (§3.1).
		const page = pageRowsJson(
			connector,
			view,
			skip === -1 ? 0 : skip,
			skip === -1 ? view.order.length : skip + Math.max(take, 1),
		);
		if (options.maxCells !== undefined && page.count * connector.fields.length > options.maxCells) {
			return afasError(req, MESSAGES.outOfMemory);
		}
		// The same bytes as JSON.stringify({ skip, take, rows }), from rows serialised once.
		const head = Buffer.from(
			`{"skip":${JSON.stringify(skip)},"take":${JSON.stringify(take)},"rows":[`,
		);
		return {
			status: 200,
			headers: { 'Content-Type': JSON_TYPE },
			body: [head, page.json, END_OF_ROWS],
			compressible: true,
		};
	}

	function route(req: IncomingMessage, url: URL, parameters: Map<string, string>): Reply {
		const match = /^\/profitrestservices(?:\/(.*?))?\/?$/i.exec(url.pathname);
		if (!match) return notFound();
		const segments = (match[1] ?? '').split('/').map((segment) => decodeURIComponent(segment));
		const [first = '', second = '', third] = segments.map((segment, index) =>
			index < 2 ? segment.toLowerCase() : segment,
		);
		const method = req.method ?? 'GET';
		if (first === 'connectors' && segments.length === 2) {
			const connector = findConnector(segments[1]);
			if (!connector) return unknownConnector(req);
			// Only GET exists for GetConnectors; other methods are UpdateConnector calls (MOCK-CHOICE: 404).
			return method === 'GET' ? runConnector(req, connector, parameters) : notFound();
		}
		if (method !== 'GET') return notFound();
		if (first === 'profitversion' && segments.length === 1)
			return json({ version: PROFIT_VERSION });
		if (first === 'metainfo' && segments.length === 1) return metainfo();
		if (
			first === 'metainfo' &&
			segments.length === 3 &&
			(second === 'get' || second === 'update')
		) {
			// No UpdateConnectors are authorised for the sandbox token.
			const connector = second === 'get' ? findConnector(third!) : undefined;
			if (!connector) return unknownConnector(req);
			return json({
				name: connector.id,
				description: connector.description,
				fields: connector.fields,
			});
		}
		return notFound();
	}

	function takeFault(url: URL, parameters: Map<string, string>): AfasFault | undefined {
		const connectorMatch = /^\/profitrestservices\/connectors\/([^/]+)\/?$/i.exec(url.pathname);
		const connectorId = connectorMatch ? decodeURIComponent(connectorMatch[1]) : undefined;
		const rule = faults.find(
			(candidate) =>
				candidate.remaining > 0 &&
				(candidate.connectorId === undefined ||
					(connectorId !== undefined &&
						candidate.connectorId.toLowerCase() === connectorId.toLowerCase())) &&
				(candidate.skip === undefined ||
					(connectorId !== undefined && candidate.skip === parseSkip(parameters.get('skip')))),
		);
		if (!rule) return undefined;
		rule.remaining--;
		faults = faults.filter((candidate) => candidate.remaining > 0);
		return rule.fault;
	}

	function answer(req: IncomingMessage): Outcome {
		const rawUrl = req.url ?? '/';
		const queryStart = rawUrl.indexOf('?');
		// IIS-style limit on the raw query string, checked before anything else (§3.6).
		if (queryStart >= 0 && rawUrl.length - queryStart > MAX_QUERY_LENGTH) return notFound();
		const url = new URL(rawUrl, 'http://sandbox');
		const refused = authenticate(req);
		if (refused) return refused;
		if (inFlight > maxConcurrent) return afasError(req, MESSAGES.unexpected);

		const parameters = queryParameters(url);
		const fault = takeFault(url, parameters);
		if (!fault) return route(req, url, parameters);
		switch (fault.kind) {
			case 'reset':
				return { reset: true };
			case 'status500':
				return afasError(req, fault.externalMessage ?? MESSAGES.unexpected);
			case 'status503': {
				const retryAfter = fault.retryAfterSeconds ?? 1;
				const body = {
					error: {
						code: '503',
						message:
							'Service temporarily unavailable due to scheduled maintenance. Please check afasstatus.nl for details.',
					},
					retry_after: retryAfter,
				};
				return {
					status: 503,
					headers: { 'Content-Type': JSON_TYPE, 'Retry-After': String(retryAfter) },
					body: JSON.stringify(body),
				};
			}
			case 'truncated': {
				// The full answer, cut in half (possibly inside a UTF-8 sequence), sent as a complete 200.
				const full = bodyBytes(route(req, url, parameters).body);
				return {
					status: 200,
					headers: { 'Content-Type': JSON_TYPE },
					body: full.subarray(0, Math.floor(full.length / 2)),
				};
			}
		}
	}

	function send(req: IncomingMessage, res: ServerResponse, reply: Reply): void {
		let chunks = Array.isArray(reply.body)
			? reply.body
			: [typeof reply.body === 'string' ? Buffer.from(reply.body) : reply.body];
		let length = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
		const headers: Record<string, string> = { ...COMMON_HEADERS, ...reply.headers };
		const acceptsGzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
		if (useGzip && acceptsGzip && reply.compressible && length > 1024) {
			chunks = [gzipSync(Buffer.concat(chunks))];
			length = chunks[0]!.length;
			headers['Content-Encoding'] = 'gzip';
			headers.Vary = 'Accept-Encoding';
		}
		headers['Content-Length'] = String(length);
		res.writeHead(reply.status, headers);
		for (const chunk of chunks.slice(0, -1)) res.write(chunk);
		res.end(chunks[chunks.length - 1]);
	}

	async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		requests++;
		inFlight++;
		maxInFlight = Math.max(maxInFlight, inFlight);
		res.on('close', () => inFlight--);
		req.resume();

		const url = new URL(req.url ?? '/', 'http://sandbox');
		const entry: AfasRequestLogEntry = {
			method: req.method ?? 'GET',
			path: url.pathname,
			query: Object.fromEntries(url.searchParams),
			status: 0,
		};
		const integrationId = req.headers.integrationid;
		if (typeof integrationId === 'string') entry.integrationId = integrationId;
		log.push(entry);

		let outcome: Outcome;
		try {
			outcome = answer(req);
		} catch (error) {
			// A sandbox bug, not AFAS behaviour: say so plainly.
			outcome = {
				status: 500,
				headers: { 'Content-Type': 'text/plain' },
				body: `AFAS sandbox internal error: ${String(error)}`,
			};
		}
		if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
		if ('reset' in outcome) {
			req.socket.destroy();
			return;
		}
		entry.status = outcome.status;
		send(req, res, outcome);
	}

	const server: Server = createServer((req, res) => void handle(req, res));
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const { port } = server.address() as AddressInfo;

	return {
		url: `http://${host}:${port}/ProfitRestServices`,
		tokenXml,
		tokenData,
		tokenBase64,
		environmentNr,
		today,
		addFault(rule) {
			faults.push({ ...rule, remaining: rule.times ?? 1 });
		},
		clearFaults() {
			faults = [];
		},
		setLatency(ms) {
			latencyMs = ms;
		},
		setRows(connectorId, rows, fields) {
			const existing = connectors.get(connectorId);
			const meta = fields
				? completeFieldMeta(fields)
				: existing
					? existing.fields
					: inferFields(rows);
			connectors.set(
				connectorId,
				newConnector({
					id: connectorId,
					description: existing?.description ?? connectorId,
					fields: meta,
					rows: normaliseRows(connectorId, meta, rows),
					blocked: existing?.blocked ?? false,
				}),
			);
		},
		getRows: (connectorId) => requireConnector(connectorId).rows.map((row) => ({ ...row })),
		getFields: (connectorId) => requireConnector(connectorId).fields.map((field) => ({ ...field })),
		setBlocked(connectorId, blocked) {
			requireConnector(connectorId).blocked = blocked;
		},
		stats: () => ({
			requests,
			maxInFlight,
			log: log.map((entry) => ({ ...entry, query: { ...entry.query } })),
		}),
		resetStats() {
			requests = 0;
			maxInFlight = inFlight;
			log = [];
		},
		close: () =>
			new Promise<void>((resolve, reject) => {
				server.closeAllConnections();
				server.close((error) => (error ? reject(error) : resolve()));
			}),
	};
}
