/**
 * The HiBob API under `/v1`, behind Basic auth, the WAF and the rate limit:
 * - `POST /people/search` and `POST /people/{id or email}` (see ./people.ts);
 * - `GET /people` and `GET /people/{id}`: switched off on 6 May 2025, answered with 410 (or 404);
 * - `GET /company/people/fields` and `GET /company/named-lists[/{name}]` (case-sensitive names,
 *   `?includeArchived=true` for archived items);
 * - any other path: 200 text/html, as HiBob answers (or 404 when switched).
 * The data endpoints answer the faults the sandbox is told to (../state/faults.ts).
 *
 * Authentication: https://apidocs.hibob.com/reference/authorization
 * Rate limits: https://apidocs.hibob.com/docs/rate-limit
 * Metadata: https://apidocs.hibob.com/reference/metadata
 * Switched-off endpoints: https://apidocs.hibob.com/changelog/final-deprecation-notice-get-people-and-api-tokens
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import { HttpError } from '../errors';
import { parseJsonBody } from '../json';
import { FIELDS, NAMED_LISTS } from '../metadata';
import type { RateLimiter, RateVerdict, ServiceUser, ServiceUsers, Waf } from '../state/access';
import {
	keepPart,
	nullOut,
	type FaultEndpoint,
	type Faults,
	type HiBobFault,
} from '../state/faults';
import { httpErrorAnswer, rawBodyText, requestTarget, type Answer } from './http';
import { readPerson, searchPeople, type PeopleContext } from './people';
import { HTML_PAGE, type Caller, type PublicAnswers } from './public';

export interface ApiSettings {
	/** Body of a 401: HiBob's is not documented (reported empty). */
	unauthorizedBody: 'empty' | 'json';
	/** Send Retry-After on 429 (HiBob does not document it). */
	retryAfter: boolean;
	/** Status for the switched-off GET /people endpoints. */
	deprecatedStatus: 404 | 410;
	/** Answer unknown paths with 200 text/html (true) or 404 JSON. */
	htmlForUnknownPaths: boolean;
}

export interface ApiParts {
	users: ServiceUsers;
	limiter: RateLimiter;
	waf: Waf;
	answers: PublicAnswers;
	people: PeopleContext;
	settings: ApiSettings;
	faults: Faults;
}

// What a WAF block looks like is not documented; a 403 HTML page is a guess.
const WAF_BLOCK_PAGE = '<html><body>Request blocked</body></html>';

function tooManyRequests(rate: RateVerdict, retryAfter: boolean): Answer {
	const headers = { ...rate.headers };
	if (retryAfter)
		headers['Retry-After'] = String(
			Math.max(1, rate.resetEpochSeconds - Math.floor(Date.now() / 1000)),
		);
	const limit = rate.headers['X-RateLimit-Limit'];
	return {
		status: 429,
		json: { key: 'rate_limit_exceeded', error: `Rate limit of ${limit} requests exceeded` },
		headers,
	};
}

/**
 * Lets a request through only when its Authorization header is not blocked, names a service user
 * and is within that user's rate limit; answers 403 (blocked), 401 or 429 otherwise.
 */
function admitServiceUser(parts: ApiParts) {
	const { users, limiter, waf, answers, settings } = parts;
	return (req: Request, res: Response, next: NextFunction) => {
		const authorization = req.headers.authorization ?? '';
		if (waf.isBlocked(authorization))
			return answers.send(req, res, { status: 403, html: WAF_BLOCK_PAGE });
		const user = users.authenticate(authorization);
		const rate = limiter.count(user?.id ?? `anonymous:${authorization}`);
		if (!user) {
			waf.noteFailure(authorization);
			const json =
				settings.unauthorizedBody === 'json'
					? { key: 'unauthorized', error: 'Invalid service user ID or token' }
					: undefined;
			return answers.send(req, res, { status: 401, json, headers: rate.headers });
		}
		answers.identify(req, { user, authorization, rate });
		if (rate.exceeded) return answers.send(req, res, tooManyRequests(rate, settings.retryAfter));
		next();
	};
}

/** The caller `admitServiceUser` let through; throws when a route runs without it. */
function callerOf(req: Request, answers: PublicAnswers): Caller {
	const caller = answers.callerOf(req);
	if (!caller) throw new Error(`${req.method} ${req.originalUrl} ran without a service user`);
	return caller;
}

/** The caller's service user; HttpError 403 when its permission group grants no people access. */
function peopleReader(req: Request, answers: PublicAnswers): ServiceUser {
	const { user } = callerOf(req, answers);
	if (user.canReadPeople === false)
		throw new HttpError(
			403,
			'forbidden',
			'The service user has no access to people data: add it to a permission group',
		);
	return user;
}

function namedList(name: string, includeArchived: boolean) {
	const items = NAMED_LISTS[name].filter((entry) => includeArchived || !entry.archived);
	return { name, values: items.map(({ id, value }) => ({ id, value })), items };
}

function includesArchived(req: Request): boolean {
	return new URL(req.originalUrl, 'http://sandbox').searchParams.get('includeArchived') === 'true';
}

/** The `/v1` router. */
export function apiRouter(parts: ApiParts): Router {
	const { answers, people, settings } = parts;
	const router = Router({ caseSensitive: true, strict: true });
	const ok = (req: Request, res: Response, json: unknown) =>
		answers.send(req, res, { status: 200, json, headers: callerOf(req, answers).rate.headers });
	const switchedOff = (endpoint: string, replacement: string) => (req: Request, res: Response) =>
		answers.send(req, res, {
			status: settings.deprecatedStatus,
			json: {
				key: 'gone',
				error: `GET /v1/${endpoint} was switched off on 6 May 2025: use POST /v1/${replacement}`,
			},
			headers: callerOf(req, answers).rate.headers,
		});

	router.use(admitServiceUser(parts));
	router.post('/people/search', (req, res) => {
		const user = peopleReader(req, answers);
		const fault = parts.faults.take('search');
		if (fault?.kind === 'wrongShape')
			return answers.send(req, res, wrongShape(fault, callerOf(req, answers).rate.headers));
		const { employees } = searchPeople(user, parseJsonBody(rawBodyText(req)), people);
		ok(req, res, { employees: faulty(employees, fault) });
	});
	router.get('/people', switchedOff('people', 'people/search'));
	router.post('/people/:identifier', (req, res) => {
		const user = peopleReader(req, answers);
		const fault = parts.faults.take('read');
		if (fault?.kind === 'wrongShape')
			return answers.send(req, res, wrongShape(fault, callerOf(req, answers).rate.headers));
		const body = parseJsonBody(rawBodyText(req));
		const [employee] = faulty([readPerson(user, req.params.identifier, body, people)], fault);
		ok(req, res, employee);
	});
	router.get('/people/:identifier', switchedOff('people/{id}', 'people/{id}'));
	const faultFor =
		(endpoint: FaultEndpoint) => (req: Request, res: Response, next: NextFunction) => {
			const fault = parts.faults.take(endpoint);
			if (fault?.kind !== 'wrongShape') return next();
			answers.send(req, res, wrongShape(fault, callerOf(req, answers).rate.headers));
		};
	router.get('/company/people/fields', faultFor('fields'), (req, res) => ok(req, res, FIELDS));
	router.use('/company/named-lists', faultFor('lists'));
	router.get('/company/named-lists', (req, res) => {
		const archived = includesArchived(req);
		const lists = Object.keys(NAMED_LISTS).map((name) => [name, namedList(name, archived)]);
		ok(req, res, Object.fromEntries(lists));
	});
	router.get('/company/named-lists/:name', (req, res) => {
		const name = req.params.name;
		if (!Object.hasOwn(NAMED_LISTS, name))
			throw new HttpError(404, 'not_found', `Named list ${name} not found`);
		ok(req, res, namedList(name, includesArchived(req)));
	});
	router.use(unknownApiPath(parts));
	router.use(apiErrors(parts));
	return router;
}

/** A 200 answer with the body a `wrongShape` fault names (JSON, HTML, or none). */
function wrongShape(
	fault: Extract<HiBobFault, { kind: 'wrongShape' }>,
	headers: Record<string, string>,
): Answer {
	return { status: 200, json: fault.json, html: fault.html, headers };
}

/** Employees as a `partial` or `nullFields` fault changes them; unchanged without a fault. */
function faulty(
	employees: Array<Record<string, unknown>>,
	fault: HiBobFault | undefined,
): Array<Record<string, unknown>> {
	if (fault?.kind === 'partial') return keepPart(employees, fault);
	if (fault?.kind === 'nullFields') return employees.map((e) => nullOut(e, fault.fields));
	return employees;
}

/** Any other `/v1` path: HiBob's HTML page (200), or a 404 when the sandbox is told so. */
function unknownApiPath({ answers, settings }: ApiParts) {
	return (req: Request, res: Response) => {
		if (!settings.htmlForUnknownPaths) {
			const path = requestTarget(req).pathname.slice('/v1'.length);
			throw new HttpError(404, 'not_found', `No route ${req.method} ${path}`);
		}
		const headers = callerOf(req, answers).rate.headers;
		answers.send(req, res, { status: 200, html: HTML_PAGE, headers });
	};
}

/** HttpError → HiBob's error body with the rate-limit headers; a 403 counts for the WAF. */
function apiErrors({ answers, waf }: ApiParts) {
	return (error: unknown, req: Request, res: Response, next: NextFunction) => {
		if (!(error instanceof HttpError)) return next(error);
		const caller = answers.callerOf(req);
		if (error.status === 403 && caller) waf.noteFailure(caller.authorization);
		answers.send(req, res, httpErrorAnswer(error, caller?.rate.headers));
	};
}
