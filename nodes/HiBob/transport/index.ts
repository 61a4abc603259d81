/**
 * The one place that talks to HiBob: base URL, authentication (through the credential), what is
 * retried (on the package's shared retry loop), and HiBob's answers turned into errors that say
 * what to fix. Rate limits, and the statuses never to retry:
 * https://apidocs.hibob.com/docs/rate-limit
 *
 * - 429: wait until X-RateLimit-Reset (epoch seconds; Retry-After if HiBob ever sends it), at most
 *   `maxRateLimitWaitMs`, then retry; without either header, back off exponentially with jitter.
 * - 502, 503, 504 (a gateway or HiBob briefly unavailable): retried like a 429, waiting for
 *   Retry-After when sent, else with the backoff below; every HiBob call this package makes reads.
 * - Connection resets and timeouts: retried with the same backoff (1 s, 2 s, 4 s, ... plus up to
 *   10 %). A refused connection or an unknown host is not: the address is wrong.
 * - 401 / 403: never retried. HiBob's WAF blocks an Authorization header after 50 of those
 *   within 10 s, so after the first one a run stops calling HiBob (see HiBobSession).
 * - 200 with an HTML page: HiBob answers unknown paths with its web app; that means a wrong
 *   base URL, not data. A 200 whose JSON is not the documented shape is refused by the caller,
 *   which knows the shape (`unexpectedAnswer`).
 *
 * Errors carry only status, HiBob's message and the URL: never the Authorization header.
 */
import {
	NodeApiError,
	type IDataObject,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type INode,
	type JsonObject,
} from 'n8n-workflow';

import { HIBOB_PRODUCTION_BASE_URL, hiBobBaseUrl } from '../../../credentials/common/hibob';
import {
	TransientFailure,
	backoffMs,
	describeNetworkFailure,
	headerValue,
	parseRetryAfter,
	requestWithRetries,
	type BackoffOptions,
	type HttpContext,
	type HttpResponse,
	type NetworkFailureKind,
} from '../../shared/http';

export const CREDENTIAL_TYPE = 'hiBobApi';

/** What `hiBobApiRequest` returns for a 404 when the request allows one (`allowNotFound`). */
export const NOT_FOUND: unique symbol = Symbol('HiBob answered 404');

/** The n8n contexts the HiBob nodes call HiBob from (node, load options, poll, webhook, hooks). */
export type HiBobContext = HttpContext;

/** Per-run state: lives in one execute / poll / webhook call, never in module memory. */
export interface HiBobSession {
	/** The first 401/403 of this run; later calls fail with it without asking HiBob again. */
	authFailure?: { status: number; message: string; description: string };
	/** Longest single wait for a rate-limit window (ms). */
	maxRateLimitWaitMs: number;
	/** Retries after a 429, a connection reset or a timeout, before giving up. */
	maxRetries: number;
	/** Requested fields HiBob left out of an answer (not permitted or unknown). */
	missingFields: Set<string>;
}

/**
 * A session for one run. Defaults: rate-limit waits of at most 65 s (HiBob's windows are a
 * minute), 4 retries.
 */
export function createSession(
	options: Partial<Pick<HiBobSession, 'maxRateLimitWaitMs' | 'maxRetries'>> = {},
): HiBobSession {
	return {
		maxRateLimitWaitMs: options.maxRateLimitWaitMs ?? 65_000,
		maxRetries: options.maxRetries ?? 4,
		missingFields: new Set(),
	};
}

/** 1 s, 2 s, 4 s, ... (at most 60 s), plus up to 10 % at random. */
const HIBOB_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 60_000, jitter: 0.1 };

/** Network failures worth another attempt: the request may not have reached HiBob. */
const RETRIED_NETWORK_FAILURES: readonly NetworkFailureKind[] = ['reset', 'timeout'];

export interface HiBobRequest {
	method: IHttpRequestMethods;
	/** Path below the base URL, starting with "/". */
	path: string;
	body?: IDataObject;
	qs?: IDataObject;
	itemIndex?: number;
	/** Return NOT_FOUND on 404 instead of throwing (the caller explains what was not found). */
	allowNotFound?: boolean;
}

/**
 * How long to wait (ms) after a 429: Retry-After when sent, else until X-RateLimit-Reset (epoch
 * seconds, plus 250 ms), else the backoff for retry `attempt + 1`; at least 250 ms, at most
 * `capMs`.
 */
export function rateLimitWaitMs(
	headers: Record<string, unknown> | undefined,
	attempt: number,
	capMs: number,
	nowMs: number,
): number {
	const retryAfter = parseRetryAfter(headerValue(headers, 'retry-after'), nowMs);
	const reset = Number(headerValue(headers, 'x-ratelimit-reset'));
	let waitMs: number;
	if (retryAfter !== undefined && retryAfter > 0) waitMs = retryAfter * 1000;
	else if (Number.isFinite(reset) && reset > 0) waitMs = reset * 1000 - nowMs + 250;
	else waitMs = backoffMs(attempt, HIBOB_BACKOFF);
	return Math.min(Math.max(waitMs, 250), capMs);
}

function hiBobMessage(body: unknown): string {
	if (typeof body === 'string') return body.trim().slice(0, 300);
	if (body && typeof body === 'object') {
		const { error, message, key } = body as IDataObject;
		const text = [error, message].find((v) => typeof v === 'string' && v) as string | undefined;
		if (text) return key ? `${text} (${String(key)})` : text;
		return JSON.stringify(body).slice(0, 300);
	}
	return '';
}

function apiError(
	node: INode,
	status: number,
	message: string,
	description: string,
	itemIndex?: number,
	body?: unknown,
): NodeApiError {
	const response: JsonObject = { httpCode: String(status), message, body: hiBobMessage(body) };
	return new NodeApiError(node, response, {
		message,
		description,
		httpCode: String(status),
		itemIndex,
	});
}

/** A value's JSON type for a shape description: null, a list of n, an object, a string, ... */
function jsonType(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return `a list of ${value.length}`;
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * How an unexpected answer looked, without the data it may hold: an object by its keys and their
 * types (plus its `error` / `message` text, which gateways send), text by its first 300
 * characters, anything else by its type.
 */
export function describeAnswer(body: unknown): string {
	if (body === undefined || body === '') return 'an empty body';
	if (typeof body === 'string') return `"${body.trim().slice(0, 300)}"`;
	if (typeof body !== 'object' || body === null || Array.isArray(body)) return jsonType(body);
	const entries = Object.entries(body as IDataObject);
	if (entries.length === 0) return 'an empty object {}';
	const keys = entries.slice(0, 20).map(([key, value]) => `"${key}": ${jsonType(value)}`);
	const more = entries.length > 20 ? ', …' : '';
	const { error, message } = body as IDataObject;
	const text = [error, message].find((value) => typeof value === 'string' && value) as
		| string
		| undefined;
	return `{ ${keys.join(', ')}${more} }${text ? ` saying "${text.slice(0, 300)}"` : ''}`;
}

/**
 * The error for a 2xx answer that is not the shape HiBob documents for the endpoint (for
 * example `POST /people/search` without its `employees` list,
 * https://apidocs.hibob.com/reference/post_people-search). Such an answer is never read as "no
 * data": downstream, a missing employee is a leaver. The error describes the answer's shape
 * (`describeAnswer`), never the employee data it may hold.
 * @param answer.endpoint The call, e.g. "POST /people/search".
 * @param answer.problem What is wrong, e.g. 'no "employees" list'.
 * @param answer.body The answer as received, when its shape helps.
 */
export function unexpectedAnswer(
	node: INode,
	answer: { endpoint: string; problem: string; body?: unknown },
	itemIndex?: number,
): NodeApiError {
	const { endpoint, problem } = answer;
	const said = 'body' in answer ? ` HiBob answered ${describeAnswer(answer.body)}.` : '';
	return apiError(
		node,
		200,
		`HiBob's answer to ${endpoint} is not the documented shape: ${problem}`,
		`Nothing was output, because an incomplete answer must not be read as "fewer employees".${said} Check the credential's Environment and Base URL Override (a proxy or gateway that answers in HiBob's place gives such answers); if they are right, HiBob had a fault: run again later.`,
		itemIndex,
	);
}

/** What a failed status means and what to check; 401 and 403 name the credential's fields. */
function describeFailure(
	node: INode,
	status: number,
	body: unknown,
	url: string,
	serviceUserId: string,
	itemIndex?: number,
): NodeApiError {
	const detail = hiBobMessage(body);
	switch (status) {
		case 401:
			return apiError(
				node,
				status,
				'HiBob rejected the service user ID or token (401 Unauthorized)',
				`Check the Service User ID and Token of the HiBob credential (Bob → Settings → Integrations → Service Users). Refreshing a token in Bob revokes the old one. Also check the Environment: production and sandbox have separate service users. Not retried: HiBob blocks a credential after 50 failed calls within 10 seconds.`,
				itemIndex,
				body,
			);
		case 403:
			return apiError(
				node,
				status,
				'HiBob refused access for this service user (403 Forbidden)',
				`Service user "${serviceUserId}" is valid but its permission groups do not allow this call. In Bob → Settings → Permission groups, add it to a group that grants People access ("Access data for: Everyone"; to read inactive people, use a condition without "Lifecycle status equals Employed") and the field categories you read. Not retried: HiBob blocks a credential after 50 refusals within 10 seconds.${detail ? ` HiBob said: ${detail}` : ''}`,
				itemIndex,
				body,
			);
		case 400:
			return apiError(
				node,
				status,
				`HiBob rejected the request (400): ${detail || 'no reason given'}`,
				`Request: ${url}`,
				itemIndex,
				body,
			);
		case 404:
			return apiError(node, status, `HiBob found nothing at ${url} (404)`, detail, itemIndex, body);
		default:
			return apiError(
				node,
				status,
				`HiBob answered ${status}${detail ? `: ${detail}` : ''}`,
				status >= 500
					? 'A HiBob server error (502, 503 and 504 were tried again first); try again later (status.hibob.io).'
					: `Request: ${url}`,
				itemIndex,
				body,
			);
	}
}

/** Where a request goes and for whom, for messages. */
interface RequestTarget {
	node: INode;
	baseUrl: string;
	url: string;
	serviceUserId: string;
	request: HiBobRequest;
	session: HiBobSession;
}

/**
 * A request that got no response: a reset or timeout is retried, anything else fails at once.
 * The error is rebuilt from the message only: the original may hold the request config.
 * @throws NodeApiError "Could not reach HiBob" for a failure that is not retried.
 */
function networkFailure(target: RequestTarget, error: unknown, attempt: number): TransientFailure {
	const { node, baseUrl, request } = target;
	const { code, kind, reason } = describeNetworkFailure(error);
	const message = error instanceof Error ? error.message : String(error);
	const unreachable = (description: string) =>
		new NodeApiError(node, { message, networkError: code ?? 'unknown' } as JsonObject, {
			message: `Could not reach HiBob at ${baseUrl}`,
			description: `${description} Check the credential's Environment and Base URL Override.`,
			itemIndex: request.itemIndex,
		});
	if (!kind || !RETRIED_NETWORK_FAILURES.includes(kind)) throw unreachable(`${message}.`);
	const attempts = attempt > 0 ? `, also after ${attempt + 1} attempts` : '';
	return new TransientFailure(() => unreachable(`${reason} (${code})${attempts}.`));
}

/**
 * A 2xx answer: the parsed body.
 * @throws NodeApiError when it is a web page (a wrong base URL), not JSON.
 */
function successBody(target: RequestTarget, response: HttpResponse): unknown {
	const contentType = headerValue(response.headers, 'content-type') ?? '';
	if (
		typeof response.body === 'string' &&
		(contentType.includes('html') || /^\s*</.test(response.body))
	) {
		throw apiError(
			target.node,
			response.statusCode,
			'HiBob answered with a web page instead of JSON',
			`HiBob answers unknown addresses with its web app, so the address is probably wrong: ${target.url}. Check the credential's Environment, or the Base URL Override (it must end in /v1, e.g. ${HIBOB_PRODUCTION_BASE_URL}).`,
			target.request.itemIndex,
		);
	}
	return response.body;
}

/** Statuses of a gateway or a HiBob briefly unavailable: worth another attempt. */
const UNAVAILABLE = new Set([502, 503, 504]);

/**
 * One HTTP response: the body (NOT_FOUND for an allowed 404), a TransientFailure for a 429 or a
 * 502/503/504, or thrown. A 401/403 is remembered in the session so the run stops calling HiBob.
 * @throws NodeApiError for every other failed status.
 */
function judgeResponse(target: RequestTarget, response: HttpResponse, attempt: number): unknown {
	const { node, request, session } = target;
	const status = response.statusCode;
	if (status >= 200 && status < 300) return successBody(target, response);
	if (status === 404 && request.allowNotFound) return NOT_FOUND;
	if (status === 429) {
		return new TransientFailure(
			() =>
				apiError(
					node,
					status,
					`HiBob's rate limit was still exceeded after ${attempt + 1} attempts (429 Too Many Requests)`,
					`HiBob allows about 50 calls per minute per service user. Run fewer calls (one Search returns everyone), or schedule this workflow away from other HiBob workflows.`,
					request.itemIndex,
					response.body,
				),
			rateLimitWaitMs(response.headers, attempt, session.maxRateLimitWaitMs, Date.now()),
		);
	}
	const describe = () =>
		describeFailure(
			node,
			status,
			response.body,
			target.url,
			target.serviceUserId,
			request.itemIndex,
		);
	if (UNAVAILABLE.has(status))
		return new TransientFailure(
			describe,
			rateLimitWaitMs(response.headers, attempt, session.maxRateLimitWaitMs, Date.now()),
		);
	const error = describe();
	if (status === 401 || status === 403) {
		session.authFailure = { status, message: error.message, description: error.description ?? '' };
	}
	throw error;
}

/**
 * Sends one request to HiBob and returns the parsed JSON body (NOT_FOUND for a 404 the request
 * allows), retrying as described above. The body is not checked against any shape: callers do.
 * @throws NodeApiError with what to fix; at once, without a request, after a 401/403 earlier in
 *   the same session.
 */
export async function hiBobApiRequest(
	this: HiBobContext,
	session: HiBobSession,
	request: HiBobRequest,
): Promise<unknown> {
	const node = this.getNode();
	if (session.authFailure) {
		const { status, message, description } = session.authFailure;
		const again = `${description} (HiBob was not called again in this run.)`;
		throw apiError(node, status, message, again, request.itemIndex);
	}
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const baseUrl = hiBobBaseUrl(credentials);
	const url = `${baseUrl}${request.path}`;
	const serviceUserId = String(credentials.serviceUserId ?? '').trim();
	const target: RequestTarget = { node, baseUrl, url, serviceUserId, request, session };
	const options: IHttpRequestOptions = {
		method: request.method,
		url,
		qs: request.qs,
		json: true,
		timeout: 60_000,
	};
	// HiBob answers some GETs that carry Content-Type: application/json with 400: no body on GET.
	if (request.method !== 'GET') options.body = request.body ?? {};
	return await requestWithRetries(this, CREDENTIAL_TYPE, options, {
		maxRetries: session.maxRetries,
		backoff: HIBOB_BACKOFF,
		onResponse: (response, attempt) => judgeResponse(target, response, attempt),
		onError: (error, attempt) => networkFailure(target, error, attempt),
	});
}
