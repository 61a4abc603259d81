/**
 * The sandbox's control API under `/__mock` (no auth, not logged, no latency), for the demo and
 * for trying things by hand. Bodies are JSON whatever the Content-Type says, so
 * `curl -d '{"advanceDays": 1}'` works.
 *
 * - `GET /clock`, `POST /clock` with `{"now": "<ISO>"}` or `{"advanceDays": n}`
 * - `GET /employees`, `POST /employees` (a new hire), `PATCH /employees/{id}` (a patch by field ID
 *   or nested), `DELETE /employees/{id}`, `POST /employees/{id}/terminate`
 * - `GET /webhooks`, `POST /webhooks` (`{"url", "secret"?, "events"?}`: Ping test, then saved),
 *   `DELETE /webhooks`, `POST /webhooks/emit` (`{"url", "event", …delivery options}`)
 * - `GET /faults`, `POST /faults` (`{"fault": {"kind", …}, "endpoint"?, "times"?}`: the next
 *   calls answer with it), `DELETE /faults`; `POST /search-order` (`{"order": "stored" |
 *   "shuffled"}`)
 * - `GET /stats`, `DELETE /stats`
 */
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { NewEmployee } from '../data';
import { HttpError } from '../errors';
import { isObject } from '../json';
import type { Company, Termination } from '../state/company';
import type { Faults, HiBobFaultRule, SearchOrder } from '../state/faults';
import type { RequestStats } from '../state/stats';
import type { BobEvent, DeliveryOptions, WebhookEmitter } from '../webhooks';
import { errorAnswer, requestTarget, writeAnswer } from './http';

export interface ControlParts {
	company: Company;
	webhooks: WebhookEmitter;
	stats: RequestStats;
	/** The secret of a webhook registered without one. */
	webhookSecret: string;
	faults: Faults;
	order: { current: SearchOrder };
}

const badRequest = (message: string) => new HttpError(400, 'bad_request', message);

/** The JSON body as an object; {} when there was none; HttpError 400 with `hint` otherwise. */
function bodyObject(req: Request, hint: string): Record<string, unknown> {
	const body: unknown = req.body;
	if (body === undefined) return {};
	if (!isObject(body)) throw badRequest(hint);
	return body;
}

function requireText(body: Record<string, unknown>, key: string, hint: string): string {
	const value = body[key];
	if (typeof value !== 'string') throw badRequest(`"${key}" must be a string. ${hint}`);
	return value;
}

const NEW_EMPLOYEE_HINT =
	'Send {"firstName", "surname", "startDate": "YYYY-MM-DD", "email"?, "title"?, "department"?, "siteId"?, "managerId"?, "id"?}';

function newEmployeeFrom(req: Request): NewEmployee {
	const body = bodyObject(req, NEW_EMPLOYEE_HINT);
	for (const key of ['firstName', 'surname', 'startDate'])
		requireText(body, key, NEW_EMPLOYEE_HINT);
	return body as unknown as NewEmployee;
}

const TERMINATION_HINT =
	'Send {"terminationDate": "YYYY-MM-DD", "lastDayOfWork"?, "reasonId"?, "revokeAccess"?}';

function terminationFrom(req: Request): Termination {
	const body = bodyObject(req, TERMINATION_HINT);
	requireText(body, 'terminationDate', TERMINATION_HINT);
	return body as unknown as Termination;
}

const FAULT_HINT =
	'Send {"fault": {"kind": "partial", "keep": n} | {"kind": "partial", "fraction": 0.5} | {"kind": "wrongShape", "json"?: …, "html"?: "…"} | {"kind": "nullFields", "fields": [...]}, "endpoint"?: "search" | "read" | "fields" | "lists", "times"?: n}';

const ORDER_HINT = 'Send {"order": "stored"} or {"order": "shuffled"}';

/** Adds a fault rule; HttpError 400 with the reason for one that cannot be applied. */
function addFault(faults: Faults, body: Record<string, unknown>): void {
	try {
		faults.add(body as unknown as HiBobFaultRule);
	} catch (error) {
		if (error instanceof RangeError) throw badRequest(`${error.message}. ${FAULT_HINT}`);
		throw error;
	}
}

/** Moves the clock as the body says; HttpError 400 for anything else or a date that is not ISO. */
function moveClock(company: Company, body: unknown): void {
	const hint = 'Send {"now": "<ISO date-time>"} or {"advanceDays": n}';
	try {
		if (isObject(body) && typeof body.now === 'string') company.setNow(body.now);
		else if (isObject(body) && typeof body.advanceDays === 'number')
			company.advanceDays(body.advanceDays);
		else throw badRequest(hint);
	} catch (error) {
		if (error instanceof RangeError) throw badRequest(`${error.message}. ${hint}`);
		throw error;
	}
}

/** The `/__mock` router. */
export function controlRouter(parts: ControlParts): Router {
	const { company, webhooks, stats } = parts;
	const router = Router({ caseSensitive: true, strict: true });
	const clock = () => ({ now: company.now(), today: company.today() });
	const send = (res: Response, status: number, json?: unknown) =>
		writeAnswer(res, { status, json });

	router.use(express.json({ type: () => true, strict: false, limit: '10mb' }));
	router.get('/clock', (_req, res) => send(res, 200, clock()));
	router.post('/clock', (req, res) => {
		moveClock(company, req.body);
		send(res, 200, clock());
	});
	router.get('/employees', (_req, res) => send(res, 200, company.copies()));
	router.post('/employees', (req, res) => send(res, 201, company.add(newEmployeeFrom(req))));
	router.patch('/employees/:id', (req, res) => {
		const patch = bodyObject(req, 'Send a JSON object of field IDs (or nested fields) and values');
		send(res, 200, company.update(req.params.id, patch));
	});
	router.delete('/employees/:id', (req, res) => {
		company.remove(req.params.id);
		send(res, 204);
	});
	router.post('/employees/:id/terminate', (req, res) =>
		send(res, 200, company.terminate(req.params.id, terminationFrom(req))),
	);
	router.get('/webhooks', (_req, res) => send(res, 200, webhooks.webhooks()));
	router.post('/webhooks', async (req, res) => registerWebhook(parts, req, res));
	router.delete('/webhooks', (_req, res) => {
		webhooks.clear();
		send(res, 204);
	});
	router.post('/webhooks/emit', async (req, res) => {
		const hint = 'Send {"url": "...", "event": {"type": "...", "employeeId": "..."}}';
		const body = bodyObject(req, hint);
		if (typeof body.url !== 'string' || !isObject(body.event)) throw badRequest(hint);
		const options = body as DeliveryOptions & { secret?: string };
		send(res, 200, await webhooks.emit(body.url, body.event as BobEvent, options));
	});
	router.get('/faults', (_req, res) => send(res, 200, parts.faults.list()));
	router.post('/faults', (req, res) => {
		addFault(parts.faults, bodyObject(req, FAULT_HINT));
		send(res, 201, parts.faults.list());
	});
	router.delete('/faults', (_req, res) => {
		parts.faults.clear();
		send(res, 204);
	});
	router.post('/search-order', (req, res) => {
		const { order } = bodyObject(req, ORDER_HINT);
		if (order !== 'stored' && order !== 'shuffled') throw badRequest(ORDER_HINT);
		parts.order.current = order;
		send(res, 200, { order });
	});
	router.get('/stats', (_req, res) => send(res, 200, stats.snapshot()));
	router.delete('/stats', (_req, res) => {
		stats.clear();
		send(res, 204);
	});
	router.use((req) => {
		throw new HttpError(
			404,
			'not_found',
			`No control route ${req.method} ${requestTarget(req).pathname}`,
		);
	});
	router.use((error: unknown, _req: Request, res: Response, _next: NextFunction) =>
		writeAnswer(res, errorAnswer(error)),
	);
	return router;
}

/** Registers a webhook after its Ping test: 201 when saved, 400 with the ping's result if not. */
async function registerWebhook(parts: ControlParts, req: Request, res: Response): Promise<void> {
	const hint = 'Send {"url": "...", "secret"?: "...", "events"?: [...]}';
	const body = bodyObject(req, hint);
	if (typeof body.url !== 'string') throw badRequest(hint);
	const result = await parts.webhooks.register({
		url: body.url,
		secret: typeof body.secret === 'string' ? body.secret : parts.webhookSecret,
		events: Array.isArray(body.events) ? (body.events as string[]) : undefined,
	});
	writeAnswer(res, { status: result.ok ? 201 : 400, json: result });
}
