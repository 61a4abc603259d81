/**
 * A SCIM 2.0 service provider on loopback, standing in for "any SCIM app" (Slack, Zoom, Miro, ...):
 * Users (core schema + optional enterprise extension) and Groups, built on SCIMMY and
 * scimmy-routers so that schema validation (RFC 7643), filters, PATCH semantics, list responses and
 * the discovery endpoints (/ServiceProviderConfig, /ResourceTypes, /Schemas) are the library's,
 * not ours. https://www.rfc-editor.org/rfc/rfc7643 , https://www.rfc-editor.org/rfc/rfc7644
 *
 * Around the library this file adds what a real app has and a test needs:
 * - Bearer auth: a missing or wrong token gets 401 with a SCIM Error body;
 * - paging with a server-side maximum page size (`maxPageSize`, advertised as
 *   `filter.maxResults`); `itemsPerPage` is the number of Resources on the page (RFC 7644
 *   section 3.4.2.4; SCIMMY echoes the requested count) and 201 responses carry `Location`;
 * - knobs: latency, injected 429/503 faults with Retry-After, a request log, seeding, reset.
 * Requests are handled in this order: log, latency, injected fault, then SCIMMY (auth first).
 */
import { timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import express, { type NextFunction, type Request, type Response } from 'express';
import { SCIMMY, SCIMMYRouters } from 'scimmy-routers';
import { protectLiterals, type Literals } from './filter';
import { normalizePatchOp } from './patch';
import {
	applyServiceProviderConfig,
	declareScimResources,
	runExclusively,
	type ScimContext,
} from './scimmy';
import { isJsonObject, ScimStore, type JsonObject, type ScimResource } from './store';

export { ENTERPRISE_USER, type ScimResource } from './store';

/** SCIM message URNs (RFC 7644 section 3.12 and 3.4.2). */
const ERROR_URN = 'urn:ietf:params:scim:api:messages:2.0:Error';
const LIST_URN = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

export interface ScimSandboxOptions {
	/** TCP port; 0 (default) lets the OS choose. */
	port?: number;
	/** Listen address; default 127.0.0.1 (loopback only). */
	host?: string;
	/** Bearer token the sandbox accepts; default `scim-sandbox-token`. */
	token?: string;
	/** Path the SCIM endpoints live under; default `/scim/v2` (Okta's suggestion). */
	basePath?: string;
	/** Most resources in one list response (count is capped to it); default 100. */
	maxPageSize?: number;
	/** Delay before every response, in ms; default 0. */
	latencyMs?: number;
	/** Users to start with (see `setUsers`). */
	users?: JsonObject[];
	/** Groups to start with (see `setGroups`). */
	groups?: JsonObject[];
	/** The server clock for meta.created / meta.lastModified (ISO 8601 UTC); default now. */
	now?: () => string;
}

/** An injected failure: the next `times` matching requests get `status` with Retry-After. */
export interface ScimFault {
	status: 429 | 503;
	/** How many requests fail; default 1. */
	times?: number;
	/** Retry-After header value in seconds; default 1. */
	retryAfterSeconds?: number;
	/** Only requests with this method (e.g. 'POST'); default any. */
	method?: string;
	/** Only requests whose path below the base path is this or starts with it + '/' (e.g. '/Users'). */
	path?: string;
}

/** One request as the sandbox saw it. */
export interface ScimLogEntry {
	/** ISO 8601 UTC time the request arrived. */
	at: string;
	method: string;
	/** Path below the base path, e.g. `/Users/2819c223-...`. */
	path: string;
	/** Decoded query parameters (filter, startIndex, count, ...). */
	query: Record<string, string>;
	status: number;
	/** The parsed JSON request body, `password` values replaced by `***`. */
	body?: unknown;
	/** The SCIM Error the sandbox answered with, for status >= 400. */
	error?: { status: string; scimType?: string; detail?: string };
	/** True when the response came from `injectFault`. */
	injected?: true;
}

export interface ScimStats {
	/** Number of requests received (including rejected and injected ones). */
	requests: number;
	log: ScimLogEntry[];
	/** Requests the sandbox refused (status >= 400), injected faults excluded. */
	rejected: ScimLogEntry[];
}

export interface ScimSandbox {
	/** Base URL of the SCIM endpoints, e.g. `http://127.0.0.1:41234/scim/v2`. */
	url: string;
	token: string;
	maxPageSize: number;
	/** Sets the delay before every response, in ms. */
	setLatency(ms: number): void;
	/** Queues a 429/503 failure for the next matching requests. */
	injectFault(fault: ScimFault): void;
	stats(): ScimStats;
	/**
	 * Replaces all Users (and empties every Group's members). Each user is validated by SCIMMY
	 * against the User schema; an `id` is kept when given. Returns the stored users.
	 * Throws a TypeError or SCIM Error naming the attribute for an invalid user, and then changes
	 * nothing.
	 */
	setUsers(users: JsonObject[]): ScimResource[];
	/** Replaces all Groups, validated like `setUsers`; members must be ids of stored Users or Groups. */
	setGroups(groups: JsonObject[]): ScimResource[];
	getUsers(): ScimResource[];
	getGroups(): ScimResource[];
	/** Back to the start: seeds from the options, no faults, empty log, latency from the options. */
	reset(): void;
	close(): Promise<void>;
}

/** The per-sandbox state the middleware reads and the knobs change. */
interface SandboxState {
	token: string;
	basePath: string;
	maxPageSize: number;
	latencyMs: number;
	faults: Array<Required<Omit<ScimFault, 'method' | 'path'>> & Pick<ScimFault, 'method' | 'path'>>;
	log: ScimLogEntry[];
	store: ScimStore;
	/** Filter literals protected for each request in flight (see filter.ts). */
	literals: WeakMap<Request, Literals>;
	/** The log entry of each response in flight. */
	entries: WeakMap<Response, ScimLogEntry>;
	now: () => string;
}

/**
 * Starts a SCIM sandbox on loopback. Resolves once it listens; `close()` stops it.
 * Several sandboxes can run in one process; each has its own data, token, knobs and log.
 */
export async function startScimSandbox(options: ScimSandboxOptions = {}): Promise<ScimSandbox> {
	declareScimResources();
	const now = options.now ?? (() => new Date().toISOString());
	const state: SandboxState = {
		token: options.token ?? 'scim-sandbox-token',
		basePath: options.basePath ?? '/scim/v2',
		maxPageSize: options.maxPageSize ?? 100,
		latencyMs: options.latencyMs ?? 0,
		faults: [],
		log: [],
		store: new ScimStore(now),
		literals: new WeakMap(),
		entries: new WeakMap(),
		now,
	};
	const host = options.host ?? '127.0.0.1';
	const server = await listen(buildApp(state, host), options.port ?? 0, host);
	const port = (server.address() as AddressInfo).port;
	const sandbox = sandboxApi(state, server, `http://${host}:${port}${state.basePath}`, options);
	sandbox.reset();
	return sandbox;
}

function listen(app: express.Express, port: number, host: string): Promise<Server> {
	return new Promise((resolve, reject) => {
		const server = app.listen(port, host, (error?: Error) =>
			error ? reject(error) : resolve(server),
		);
	});
}

function sandboxApi(
	state: SandboxState,
	server: Server,
	url: string,
	options: ScimSandboxOptions,
): ScimSandbox {
	const sandbox: ScimSandbox = {
		url,
		token: state.token,
		maxPageSize: state.maxPageSize,
		setLatency: (ms) => void (state.latencyMs = ms),
		injectFault: (fault) => void state.faults.push({ times: 1, retryAfterSeconds: 1, ...fault }),
		stats: () => ({
			requests: state.log.length,
			log: [...state.log],
			rejected: state.log.filter((entry) => entry.status >= 400 && !entry.injected),
		}),
		setUsers: (users) => seed(state, 'User', users),
		setGroups: (groups) => seed(state, 'Group', groups),
		getUsers: () => [...state.store.users.values()].map((user) => structuredClone(user)),
		getGroups: () => [...state.store.groups.values()].map((group) => structuredClone(group)),
		reset() {
			state.faults.splice(0);
			state.log.splice(0);
			state.latencyMs = options.latencyMs ?? 0;
			state.store.clear();
			sandbox.setUsers(options.users ?? []);
			sandbox.setGroups(options.groups ?? []);
		},
		close: () =>
			new Promise<void>((resolve, reject) => {
				server.closeAllConnections();
				server.close((error) => (error ? reject(error) : resolve()));
			}),
	};
	return sandbox;
}

/**
 * Stores seed resources through SCIMMY's schema validation (direction "in"), keeping given ids.
 * Replacing the Users empties the Groups' members (they would point at users that are gone).
 */
function seed(
	state: SandboxState,
	type: 'User' | 'Group',
	resources: JsonObject[],
): ScimResource[] {
	const { store } = state;
	return store.atomically(() => {
		if (type === 'User') {
			store.users.clear();
			for (const group of store.groups.values()) group.members = [];
		} else store.groups.clear();
		return resources.map((resource) => {
			const id = typeof resource.id === 'string' ? resource.id : undefined;
			const saved =
				type === 'User'
					? store.saveUser(undefined, validated(new SCIMMY.Schemas.User(resource, 'in')), id)
					: store.saveGroup(undefined, validated(new SCIMMY.Schemas.Group(resource, 'in')), id);
			return structuredClone(saved);
		});
	});
}

function validated(instance: unknown): JsonObject {
	const copy: unknown = JSON.parse(JSON.stringify(instance));
	if (!isJsonObject(copy)) throw new TypeError('Expected a SCIM resource object');
	return copy;
}

/** The express app of one sandbox: request log, latency, faults, then the SCIMMY routers. */
function buildApp(state: SandboxState, host: string): express.Express {
	const app = express();
	const routers = new SCIMMYRouters({
		type: 'bearer',
		docUri: 'https://www.rfc-editor.org/rfc/rfc6750',
		handler: (req) => authenticate(state, req),
		context: (req): ScimContext => ({
			store: state.store,
			literals: state.literals.get(req) ?? new Map(),
		}),
		baseUri: (req) => `http://${host}:${req.socket.localPort ?? 0}`,
	});
	app.use(state.basePath, express.json({ type: ['application/scim+json', 'application/json'] }));
	app.use(state.basePath, (req, res, next) => recordRequest(state, req, res, next));
	app.use(state.basePath, (req, res, next) => void delayAndFault(state, req, res, next));
	app.use(state.basePath, (req, res, next) => prepareQuery(state, req, res, next));
	app.patch(`${state.basePath}/*path`, (req, _res, next) => {
		req.body = normalizePatchOp(req.body);
		next();
	});
	app.use(state.basePath, (req, res, next) => void exclusive(state, res, next));
	app.use(state.basePath, routers);
	app.use((req, res) => sendError(res, 404, undefined, `No SCIM endpoint at ${req.path}`));
	app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) =>
		sendFailure(res, error),
	);
	return app;
}

/**
 * Answers an error raised before SCIMMY ran: a SCIM Error as thrown (e.g. 400 invalidFilter), or a
 * body the JSON parser refused (400 invalidSyntax; 413 for a body over 1 MB).
 */
function sendFailure(res: Response, error: unknown): void {
	if (res.headersSent) return;
	if (error instanceof SCIMMY.Types.Error) {
		return sendError(res, error.status, error.scimType, error.message);
	}
	const status = isJsonObject(error) && error.status === 413 ? 413 : 400;
	const detail = error instanceof Error ? error.message : String(error);
	sendError(res, status, status === 400 ? 'invalidSyntax' : undefined, `Request body: ${detail}`);
}

/** The routers' auth handler: throws (-> 401 SCIM Error) unless the Bearer token matches. */
function authenticate(state: SandboxState, req: Request): string {
	const got = Buffer.from(req.header('authorization') ?? '');
	const want = Buffer.from(`Bearer ${state.token}`);
	if (got.length !== want.length || !timingSafeEqual(got, want)) {
		throw new Error('Missing or invalid Bearer token: send "Authorization: Bearer <token>"');
	}
	return 'scim-sandbox-client';
}

/** Sends a SCIM Error body (RFC 7644 section 3.12); `status` is a string there. */
function sendError(
	res: Response,
	status: number,
	scimType: string | undefined,
	detail: string,
): void {
	res
		.status(status)
		.type('application/scim+json')
		.json({
			schemas: [ERROR_URN],
			status: String(status),
			...(scimType ? { scimType } : {}),
			detail,
		});
}

/**
 * Logs the request when its response is finished, and adjusts JSON responses on the way out:
 * `itemsPerPage` = Resources on the page, `Location` on 201, the SCIM Error kept for the log.
 */
function recordRequest(state: SandboxState, req: Request, res: Response, next: NextFunction): void {
	const entry: ScimLogEntry = {
		at: state.now(),
		method: req.method,
		path: req.path,
		query: Object.fromEntries(new URL(req.originalUrl, 'http://sandbox').searchParams),
		status: 0,
		...(req.body === undefined ? {} : { body: redact(req.body) }),
	};
	state.log.push(entry);
	state.entries.set(res, entry);
	const json = res.json.bind(res);
	res.json = (body: unknown) => json(finishBody(res, entry, body));
	res.on('finish', () => void (entry.status = res.statusCode));
	next();
}

function finishBody(res: Response, entry: ScimLogEntry, body: unknown): unknown {
	const plain: unknown = JSON.parse(JSON.stringify(body ?? null));
	if (!isJsonObject(plain)) return body;
	const schemas = Array.isArray(plain.schemas) ? plain.schemas : [];
	if (schemas.includes(LIST_URN) && Array.isArray(plain.Resources)) {
		plain.itemsPerPage = plain.Resources.length;
	}
	if (schemas.includes(ERROR_URN)) {
		entry.error = {
			status: String(plain.status),
			...(typeof plain.scimType === 'string' ? { scimType: plain.scimType } : {}),
			...(typeof plain.detail === 'string' ? { detail: plain.detail } : {}),
		};
	}
	const meta = plain.meta;
	if (res.statusCode === 201 && isJsonObject(meta) && typeof meta.location === 'string') {
		res.location(meta.location);
	}
	return plain;
}

/** A copy of a request body with every `password` value masked (secrets stay out of logs). */
function redact(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(redact);
	if (!isJsonObject(value)) return value;
	return Object.fromEntries(
		Object.entries(value).map(([key, child]) => [
			key,
			key.toLowerCase() === 'password' ? '***' : redact(child),
		]),
	);
}

/** Waits `latencyMs`, then answers with the first matching injected fault, if any. */
async function delayAndFault(
	state: SandboxState,
	req: Request,
	res: Response,
	next: NextFunction,
): Promise<void> {
	if (state.latencyMs > 0) await sleep(state.latencyMs);
	const index = state.faults.findIndex(
		(fault) =>
			(!fault.method || fault.method.toUpperCase() === req.method) &&
			(!fault.path || req.path === fault.path || req.path.startsWith(`${fault.path}/`)),
	);
	if (index < 0) return next();
	const fault = state.faults[index];
	if (--fault.times <= 0) state.faults.splice(index, 1);
	const entry = state.entries.get(res);
	if (entry) entry.injected = true;
	res.set('Retry-After', String(fault.retryAfterSeconds));
	const reason = fault.status === 429 ? 'Too many requests' : 'Service unavailable';
	sendError(
		res,
		fault.status,
		undefined,
		`${reason} (injected): retry after ${fault.retryAfterSeconds} s`,
	);
}

/**
 * Makes `req.query` what SCIMMY expects, as an own property (express 5 computes `req.query` anew
 * on every read, so the routers' own number casting is lost and SCIMMY would ignore startIndex and
 * count): `startIndex` and `count` as numbers and, on /Users and /Groups lists, `count` capped at
 * `maxPageSize` (and set to it when absent, instead of SCIMMY's hidden default of 20); filter
 * string literals with escapes protected (see filter.ts). POST .search bodies get the same.
 * The discovery endpoints keep their query as sent (SCIMMY refuses parameters there with 403).
 */
function prepareQuery(state: SandboxState, req: Request, _res: Response, next: NextFunction): void {
	try {
		const literals: Literals = new Map();
		state.literals.set(req, literals);
		const isList = req.method === 'GET' && /^\/(Users|Groups)\/?$/i.test(req.path);
		if (isList) {
			const query = prepareParameters(state, { ...req.query }, literals);
			Object.defineProperty(req, 'query', { value: query, writable: true, enumerable: true });
		}
		if (req.method === 'POST' && /\/\.search$/.test(req.path) && isJsonObject(req.body)) {
			req.body = prepareParameters(state, { ...req.body }, literals);
		}
		next();
	} catch (error) {
		next(error);
	}
}

/** `startIndex`/`count` as integers, `count` capped, filter literals protected. */
function prepareParameters(
	state: SandboxState,
	params: JsonObject,
	literals: Literals,
): JsonObject {
	for (const key of ['startIndex', 'count']) {
		const number = Number(params[key]);
		if (params[key] !== undefined && params[key] !== '' && Number.isInteger(number)) {
			params[key] = number;
		}
	}
	const count = typeof params.count === 'number' ? params.count : state.maxPageSize;
	params.count = Math.min(count, state.maxPageSize);
	if (typeof params.filter === 'string') params.filter = protectLiterals(params.filter, literals);
	return params;
}

/** Runs the rest of the request alone in SCIMMY, with this sandbox's configuration installed. */
async function exclusive(state: SandboxState, res: Response, next: NextFunction): Promise<void> {
	const release = await runExclusively();
	let released = false;
	const releaseOnce = () => {
		if (!released) release();
		released = true;
	};
	res.on('finish', releaseOnce);
	res.on('close', releaseOnce);
	applyServiceProviderConfig({
		maxPageSize: state.maxPageSize,
		documentationUri: 'https://www.rfc-editor.org/rfc/rfc6750',
	});
	next();
}
