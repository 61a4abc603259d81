/**
 * The REST routes of an app sandbox, one express router per style, made from the style's
 * collections. Per collection at `<path>` (relative to the style's base path):
 *
 * - `GET <path>?page=&pageSize=&externalId=&email=&username=`: a page of rows `{ data, page,
 *   pageSize, total, hasMore }`, optionally only the rows with that externalId (exactly) and/or
 *   that email or username (case-insensitively): a lookup of the users of a few people.
 * - `POST <createPath or path>`: create (validated; 201 with the row).
 * - `GET <path>/:id`, `PATCH|PUT <path>/:id` (validated; 200 with the row), `DELETE <path>/:id`
 *   (204, or 405 where the app deactivates instead). An unknown id is a 404.
 *
 * Every write is added to the audit log. Paths match exactly: case-sensitive, no trailing slash.
 */
import express, { Router, type NextFunction, type Request, type Response } from 'express';

import type { AppState, WriteFault } from './state';
import type { CollectionSpec, Row, StyleSpec } from './styles';
import { HttpError, notAnObject, validateBody } from './validation';

/** What the route handlers work with. */
export interface AppRouteContext {
	state: AppState;
	/** Page size cap for listings. */
	maxPageSize: number;
	/** The app's clock (ISO). */
	now: () => string;
}

/** A request to an item route. */
type ItemRequest = Request<{ id: string }>;
/** The response of an item route, carrying the row `loadRow` found. */
type ItemResponse = Response<unknown, { row: Row }>;

/**
 * Request bodies as JSON, whatever the Content-Type, of any size, any JSON value (the body
 * rules decide what is acceptable). An empty body is refused as not being an object.
 */
const parseJsonBody = express.json({
	type: () => true,
	strict: false,
	limit: Number.POSITIVE_INFINITY,
	verify: (_req, _res, body) => {
		if (body.length === 0) throw notAnObject();
	},
});

/** A query parameter's first value, or null when absent. */
function queryText(req: Request, name: string): string | null {
	const value = req.query[name];
	return typeof value === 'string' ? value : null;
}

/** The request path as sent, without the query string. */
export function requestPath(req: Request): string {
	return new URL(req.originalUrl, 'http://sandbox').pathname;
}

/** Records a successful write in the audit log. */
function auditWrite(
	context: AppRouteContext,
	req: Request,
	status: number,
	entry: { resource: string; id: string; body?: unknown },
): void {
	context.state.audit({
		at: context.now(),
		method: req.method,
		path: requestPath(req),
		status,
		...entry,
	});
}

/** The error code and default message an app answers with, per write-fault status. */
const FAULT_REPLIES: Record<WriteFault['status'], [code: string, message: string]> = {
	422: ['validation_failed', 'Validation failed: this user cannot be saved right now'],
	500: ['internal', 'Internal server error: the request could not be completed'],
	429: ['rate_limited', 'Too many requests: try again in a second'],
	503: ['unavailable', 'Service unavailable: try again in a moment'],
};

/**
 * Refuses the write when a write fault names the person in the body or the target row: 422
 * `validation_failed`, 500 `internal`, 429 `rate_limited` (with `Retry-After: 1`) or 503
 * `unavailable`, with the fault's message (see `AppState.addWriteFault`).
 */
function refuseFaultyWrite(
	context: AppRouteContext,
	res: Response,
	body: unknown,
	row?: Row,
): void {
	const fault = context.state.writeFaultFor(body, row);
	if (!fault) return;
	const [code, message] = FAULT_REPLIES[fault.status];
	if (fault.status === 429) res.set('Retry-After', '1');
	throw new HttpError(fault.status, code, fault.message ?? message);
}

/** The rows that match the lookup parameters of a listing (see `listRows`); all without any. */
function matchingRows(req: Request, rows: Row[]): Row[] {
	const externalId = queryText(req, 'externalId');
	if (externalId !== null) rows = rows.filter((row) => row.externalId === externalId);
	for (const field of ['email', 'username']) {
		const wanted = queryText(req, field)?.toLowerCase();
		if (wanted !== undefined)
			rows = rows.filter(
				(row) => typeof row[field] === 'string' && row[field].toLowerCase() === wanted,
			);
	}
	return rows;
}

/**
 * A page of the collection: `pageSize` capped to 1..maxPageSize (default the cap), `page` from
 * 1, and with `externalId` only the rows that have exactly that externalId, with `email` or
 * `username` only those with that value in any case. `total` is the number of matching rows
 * (plus `listTotalOffset`, a knob for an app that miscounts).
 */
function listRows(context: AppRouteContext, name: string) {
	return (req: Request, res: Response) => {
		const { maxPageSize } = context;
		const requested = Number(queryText(req, 'pageSize') ?? maxPageSize) || maxPageSize;
		const pageSize = Math.min(Math.max(requested, 1), maxPageSize);
		const page = Math.max(Number(queryText(req, 'page') ?? 1) || 1, 1);
		const collection = context.state.collection(name);
		const [start, end] = [(page - 1) * pageSize, page * pageSize];
		// A plain page costs its own rows; a lookup scans the collection once.
		const filtered = ['externalId', 'email', 'username'].some(
			(field) => queryText(req, field) !== null,
		);
		const matching = filtered ? matchingRows(req, collection.list()) : undefined;
		const count = matching?.length ?? collection.size;
		res.json({
			data: matching?.slice(start, end) ?? collection.slice(start, end),
			page,
			pageSize,
			total: count + context.state.listTotalOffset,
			hasMore: end < count,
		});
	};
}

/** Validates the body, creates the row (with what the app adds on creation) and answers 201. */
function createRow(context: AppRouteContext, name: string, spec: CollectionSpec) {
	return (req: Request, res: Response) => {
		refuseFaultyWrite(context, res, req.body);
		const clean = validateBody(context.state, name, spec, req.body);
		const row: Row = { ...clean, id: context.state.nextId(name) };
		spec.onCreate?.(row, context.now());
		context.state.collection(name).insert(row);
		auditWrite(context, req, 201, { resource: name, id: row.id, body: clean });
		res.status(201).json(row);
	};
}

/** Finds the row of `:id` for the item routes; 404 naming the id when there is none. */
function loadRow(context: AppRouteContext, name: string) {
	return (req: ItemRequest, res: ItemResponse, next: NextFunction) => {
		const row = context.state.collection(name).get(req.params.id);
		if (!row) {
			const singular = name.replace(/s$/, '');
			throw new HttpError(404, 'not_found', `No ${singular} with id "${req.params.id}"`);
		}
		res.locals.row = row;
		next();
	};
}

/** Validates the body and applies it to the row; 200 with the row. */
function updateRow(context: AppRouteContext, name: string, spec: CollectionSpec) {
	return (req: ItemRequest, res: ItemResponse) => {
		const { row } = res.locals;
		refuseFaultyWrite(context, res, req.body, row);
		const clean = validateBody(context.state, name, spec, req.body, row);
		context.state.collection(name).update(row, clean);
		auditWrite(context, req, 200, { resource: name, id: row.id, body: clean });
		res.json(row);
	};
}

/** Deletes the row (204), or 405 for an app that deactivates instead of deleting. */
function deleteRow(context: AppRouteContext, name: string, spec: CollectionSpec) {
	return (req: ItemRequest, res: ItemResponse) => {
		const { row } = res.locals;
		refuseFaultyWrite(context, res, undefined, row);
		if (!spec.deletable)
			throw new HttpError(
				405,
				'method_not_allowed',
				`${name} cannot be deleted; deactivate them instead (PATCH enabled=false)`,
			);
		context.state.collection(name).remove(row);
		auditWrite(context, req, 204, { resource: name, id: row.id });
		res.status(204).end();
	};
}

/** Adds one collection's routes (see the module comment); `loadRow` has run for item routes. */
function addCollectionRoutes(
	router: Router,
	context: AppRouteContext,
	name: string,
	spec: CollectionSpec,
): void {
	const item = `${spec.path}/:id`;
	router.get(spec.path, listRows(context, name));
	router.post(spec.createPath ?? spec.path, parseJsonBody, createRow(context, name, spec));
	router.get(item, (_req: ItemRequest, res: ItemResponse) => {
		res.json(res.locals.row);
	});
	router.patch(item, parseJsonBody, updateRow(context, name, spec));
	router.put(item, parseJsonBody, updateRow(context, name, spec));
	router.delete(item, deleteRow(context, name, spec));
}

/** The methods these APIs have; others (HEAD, OPTIONS, ...) get the 404 of an unknown route. */
const API_METHODS = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']);

/**
 * The router of one style, to mount at its base path. An item path looks up its row before
 * anything else, whatever the method, so an unknown id is always the 404 that names it.
 */
export function styleRoutes(style: StyleSpec, context: AppRouteContext): Router {
	const router = Router({ caseSensitive: true, strict: true });
	const collections = Object.entries(style.collections);
	for (const [name, spec] of collections) router.all(`${spec.path}/:id`, loadRow(context, name));
	router.use((req, _res, next) => {
		if (!API_METHODS.has(req.method)) throw notFound(req);
		next();
	});
	for (const [name, spec] of collections) addCollectionRoutes(router, context, name, spec);
	return router;
}

/** The 404 for a method and path no route answers. */
export function notFound(req: Request): HttpError {
	return new HttpError(404, 'not_found', `No route ${req.method} ${requestPath(req)}`);
}
