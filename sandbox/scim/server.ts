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
import { createServer, type Server } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { SCIMMY, SCIMMYRouters } from 'scimmy-routers';
import { closeServer, listen } from '../listen';
import {
	authenticate,
	delayAndFault,
	exclusive,
	prepareQuery,
	recordRequest,
	sendError,
	sendFailure,
	type SandboxState,
	type ScimFault,
	type ScimLogEntry,
} from './middleware';
import { normalizePatchOp } from './patch';
import { declareScimResources, type ScimContext } from './scimmy';
import { isJsonObject, ScimStore, type JsonObject, type ScimResource } from './store';

export { ENTERPRISE_USER, type ScimResource } from './store';
export type { ScimFault, ScimLogEntry } from './middleware';

/** How to start a SCIM sandbox; every field is optional. */
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

/** What `stats()` returns: the request log since start or the last `reset()`. */
export interface ScimStats {
	/** Number of requests received (including rejected and injected ones). */
	requests: number;
	log: ScimLogEntry[];
	/** Requests the sandbox refused (status >= 400), injected faults excluded. */
	rejected: ScimLogEntry[];
}

/** A running SCIM sandbox: where to reach it, and its knobs. */
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
	const server = createServer(buildApp(state, host));
	const port = await listen(server, options.port ?? 0, host);
	const sandbox = sandboxApi(state, server, `http://${host}:${port}${state.basePath}`, options);
	sandbox.reset();
	return sandbox;
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
		close: () => closeServer(server),
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
	// Bodies are read before a request waits for SCIMMY, with SCIMMY's limit (bulk.maxPayloadSize).
	const types = ['application/scim+json', 'application/json'];
	app.use(state.basePath, express.json({ type: types, limit: '1mb' }));
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
