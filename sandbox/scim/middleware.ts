/**
 * The express middleware of a SCIM sandbox, in the order `buildApp` mounts it: request log,
 * latency and injected faults, query preparation for SCIMMY, then one-at-a-time entry into SCIMMY
 * with the sandbox's configuration. Each function gets the sandbox's own `SandboxState`.
 */
import { timingSafeEqual } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { NextFunction, Request, Response } from 'express';
import { SCIMMY } from 'scimmy-routers';
import { protectLiterals, type Literals } from './filter';
import { applyServiceProviderConfig, runExclusively } from './scimmy';
import { isJsonObject, type JsonObject, type ScimStore } from './store';

/** SCIM message URNs (RFC 7644 section 3.12 and 3.4.2). */
const ERROR_URN = 'urn:ietf:params:scim:api:messages:2.0:Error';
const LIST_URN = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

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

/** The per-sandbox state the middleware reads and the knobs change. */
export interface SandboxState {
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
 * Answers an error raised before SCIMMY ran: a SCIM Error as thrown (e.g. 400 invalidFilter), or a
 * body the JSON parser refused (400 invalidSyntax; 413 for a body over 1 MB).
 */
export function sendFailure(res: Response, error: unknown): void {
	if (res.headersSent) return;
	if (error instanceof SCIMMY.Types.Error) {
		return sendError(res, error.status, error.scimType, error.message);
	}
	const status = isJsonObject(error) && error.status === 413 ? 413 : 400;
	const detail = error instanceof Error ? error.message : String(error);
	sendError(res, status, status === 400 ? 'invalidSyntax' : undefined, `Request body: ${detail}`);
}

/** The routers' auth handler: throws (-> 401 SCIM Error) unless the Bearer token matches. */
export function authenticate(state: SandboxState, req: Request): string {
	const got = Buffer.from(req.header('authorization') ?? '');
	const want = Buffer.from(`Bearer ${state.token}`);
	if (got.length !== want.length || !timingSafeEqual(got, want)) {
		throw new Error('Missing or invalid Bearer token: send "Authorization: Bearer <token>"');
	}
	return 'scim-sandbox-client';
}

/** Sends a SCIM Error body (RFC 7644 section 3.12); `status` is a string there. */
export function sendError(
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
export function recordRequest(
	state: SandboxState,
	req: Request,
	res: Response,
	next: NextFunction,
): void {
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
export async function delayAndFault(
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
export function prepareQuery(
	state: SandboxState,
	req: Request,
	_res: Response,
	next: NextFunction,
): void {
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
export async function exclusive(
	state: SandboxState,
	res: Response,
	next: NextFunction,
): Promise<void> {
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
