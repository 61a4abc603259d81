/**
 * Local stand-ins for the apps the example workflows sync into, built on express: a
 * MobieTrain-style learning app (invitations, user groups, stores), a Declaree-style expense
 * app (users with a manager, enabled flag) and a Oneteam-style communication app (communities,
 * functions, users).
 *
 * They are not copies of those products' APIs (which are not public); they behave the way such
 * REST APIs do, so the example workflows meet real HTTP concerns: bearer-token auth (401),
 * paged listing, validation errors (422) that name the field, 404 for unknown ids, an optional
 * rate limit (429 with Retry-After) and referential checks (a user's group, store, community,
 * function or manager must exist first). Every write is kept in an audit log.
 *
 * Test knobs: write faults (writes naming a chosen person answer 422, 500, 429 or 503, always or a
 * number of times), a listing `total` that is off by a chosen number (an app that miscounts) and
 * a wait before every write (so that writes sent together are in the app together).
 *
 * The files: ./styles.ts (the three styles as data), ./state.ts (rows with their indexes, ids,
 * audit log, rate window), ./validation.ts (body rules), ./routes.ts (the express router).
 */
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { createServer } from 'node:http';

import { closeServer, listen } from '../listen';
import { notFound, requestPath, styleRoutes } from './routes';
import { AppState, type AuditEntry, type WriteFault } from './state';
import { STYLES, type AppStyle, type Row } from './styles';
import { HttpError } from './validation';

export type { AuditEntry, WriteFault } from './state';
export type { AppStyle, Row } from './styles';

/** Options of `startAppSandbox`. */
export interface AppSandboxOptions {
	style: AppStyle;
	/** Default 0: the OS picks a free port. */
	port?: number;
	/** Default '127.0.0.1'. */
	host?: string;
	/** The API token clients send as `Authorization: Bearer <token>`; default '<style>-sandbox-token'. */
	token?: string;
	/** Requests allowed per second before 429 (0 = unlimited). */
	rateLimitPerSecond?: number;
	/** Page size cap for listing endpoints, default 1000 (`DEFAULT_MAX_PAGE_SIZE`). */
	maxPageSize?: number;
	/** Initial data per collection (users, groups, stores, communities, functions). */
	data?: Partial<Record<string, Array<Record<string, unknown>>>>;
	/** The app's clock, for invitedAt and the audit log (ISO); default now. */
	now?: () => string;
	/** Wait (ms) before each write is validated and made; see `AppSandbox.setWriteLatency`. */
	writeLatencyMs?: number;
}

/** A running app sandbox: its URL and token, and access to its data for tests and the demo. */
export interface AppSandbox {
	style: AppStyle;
	/** Base URL of the API, e.g. 'http://127.0.0.1:PORT/api/v1'. */
	url: string;
	token: string;
	/** The collection's live rows in creation order (read them; write through the API or `seed`). */
	collection(name: string): Row[];
	/** Replaces a collection's rows (ids are kept when given, assigned otherwise). */
	seed(name: string, rows: Array<Record<string, unknown>>): void;
	/** A copy of the audit log. */
	audit(): AuditEntry[];
	resetAudit(): void;
	/** Simulates users accepting their invitation (MobieTrain style): status invited -> active. */
	acceptInvitations(ids: string[]): void;
	/**
	 * Makes writes naming `person` (an id, externalId, email or username) fail with 422, 500, 429
	 * (with `Retry-After: 1`) or 503 and the app's error body: `times` writes, or every write until
	 * `clearWriteFaults()`. Refused writes are audited (with the body that was sent).
	 */
	addWriteFault(fault: WriteFault): void;
	clearWriteFaults(): void;
	/** Adds `offset` to the `total` every listing reports (0 = the true count). */
	setListTotalOffset(offset: number): void;
	/**
	 * Makes every write (POST, PATCH, PUT, DELETE) wait `ms` before it is validated and made, so
	 * that writes sent at the same moment are in the app at the same time (0 = no wait).
	 */
	setWriteLatency(ms: number): void;
	/** Stops the server, dropping open connections. */
	close(): Promise<void>;
}

/**
 * The largest page a listing returns unless `maxPageSize` says otherwise, and the page size when
 * a client asks for none: 1000 rows, the size the example workflows ask for.
 */
export const DEFAULT_MAX_PAGE_SIZE = 1000;

/** Answers an HttpError as `{ error: { code, message, fields? } }` and audits refused writes. */
function sendError(
	state: AppState,
	now: () => string,
	req: Request,
	res: Response,
	error: HttpError,
): void {
	const fields = error.details ? { fields: error.details } : {};
	res.status(error.status).json({ error: { code: error.code, message: error.message, ...fields } });
	if (req.method !== 'GET')
		state.audit({
			at: now(),
			method: req.method,
			path: requestPath(req),
			status: error.status,
			resource: 'error',
			body: error.message,
			...(typeof req.body === 'object' && req.body !== null ? { sent: req.body as unknown } : {}),
		});
}

/** Whether an error is a request body that is not JSON (as the JSON body parser reports it). */
function isMalformedJson(error: unknown): boolean {
	return (
		typeof error === 'object' &&
		error !== null &&
		(error as { type?: unknown }).type === 'entity.parse.failed'
	);
}

/** The HttpError to answer for anything a handler threw: itself, 400 for bad JSON, else 500. */
function asHttpError(error: unknown): HttpError {
	if (error instanceof HttpError) return error;
	if (isMalformedJson(error))
		return new HttpError(400, 'invalid_json', 'The request body is not valid JSON.');
	return new HttpError(500, 'internal', error instanceof Error ? error.message : String(error));
}

/** 401 unless the request carries `Authorization: Bearer <token>`. */
function requireToken(token: string) {
	return (req: Request, _res: Response, next: NextFunction) => {
		if (req.headers.authorization !== `Bearer ${token}`)
			throw new HttpError(
				401,
				'unauthorized',
				'Missing or invalid bearer token: send "Authorization: Bearer <API token>".',
			);
		next();
	};
}

/** 429 with `Retry-After: 1` for requests over `perSecond` in the current second (0: no limit). */
function limitRate(state: AppState, perSecond: number) {
	return (_req: Request, res: Response, next: NextFunction) => {
		if (perSecond && !state.withinRateLimit(perSecond, Date.now())) {
			res.set('Retry-After', '1');
			throw new HttpError(
				429,
				'rate_limited',
				`Rate limit of ${perSecond} requests per second exceeded.`,
			);
		}
		next();
	};
}

/** Holds every write request for the state's `writeLatencyMs` before the routes see it. */
function delayWrites(state: AppState) {
	return (req: Request, _res: Response, next: NextFunction) => {
		if (req.method === 'GET' || state.writeLatencyMs <= 0) return next();
		setTimeout(next, state.writeLatencyMs);
	};
}

/**
 * The express app: token check, rate limit, the style's routes at its base path, a 404 for
 * anything else, and errors as JSON. Paths match case-sensitively and exactly; no
 * `X-Powered-By`, no ETag; query parameters are read with URLSearchParams (first value wins).
 */
function createStyleApp(state: AppState, options: AppSandboxOptions, token: string): Express {
	const style = STYLES[options.style];
	const now = options.now ?? (() => new Date().toISOString());
	const app = express();
	app.disable('x-powered-by');
	app.set('etag', false);
	app.set('case sensitive routing', true);
	app.set('strict routing', true);
	app.set('query parser', (text: string) => Object.fromEntries(firstValues(text)));
	app.use(requireToken(token));
	app.use(limitRate(state, options.rateLimitPerSecond ?? 0));
	app.use(delayWrites(state));
	app.use(
		style.basePath,
		styleRoutes(style, {
			state,
			maxPageSize: options.maxPageSize ?? DEFAULT_MAX_PAGE_SIZE,
			now,
		}),
	);
	app.use((req: Request) => {
		throw notFound(req);
	});
	app.use((error: unknown, req: Request, res: Response, _next: NextFunction) =>
		sendError(state, now, req, res, asHttpError(error)),
	);
	return app;
}

/** Query parameters by name, the first value of a repeated name winning. */
function firstValues(text: string): Map<string, string> {
	const values = new Map<string, string>();
	for (const [name, value] of new URLSearchParams(text)) {
		if (!values.has(name)) values.set(name, value);
	}
	return values;
}

/**
 * Starts an app sandbox of `options.style` on loopback, seeded with `options.data`, and
 * resolves when it listens. Rejects when the port is taken.
 */
export async function startAppSandbox(options: AppSandboxOptions): Promise<AppSandbox> {
	const host = options.host ?? '127.0.0.1';
	const token = options.token ?? `${options.style}-sandbox-token`;
	const state = new AppState(STYLES[options.style], options.data);
	state.writeLatencyMs = options.writeLatencyMs ?? 0;
	const server = createServer(createStyleApp(state, options, token));
	const port = await listen(server, options.port ?? 0, host);
	return {
		style: options.style,
		url: `http://${host}:${port}${STYLES[options.style].basePath}`,
		token,
		collection: (name) => state.collection(name).list(),
		seed: (name, rows) => state.seed(name, rows),
		audit: () => state.auditEntries(),
		resetAudit: () => state.resetAudit(),
		addWriteFault: (fault) => state.addWriteFault(fault),
		clearWriteFaults: () => state.clearWriteFaults(),
		setListTotalOffset(offset) {
			state.listTotalOffset = offset;
		},
		setWriteLatency(ms) {
			state.writeLatencyMs = Math.max(0, ms);
		},
		acceptInvitations(ids) {
			const users = state.collection('users');
			for (const id of ids) {
				const row = users.get(id);
				if (row?.status === 'invited') users.update(row, { status: 'active' });
			}
		},
		close: () => closeServer(server),
	};
}
