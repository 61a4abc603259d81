/**
 * The one place that talks to a SCIM 2.0 app: base URL and authentication (through the SCIM 2.0
 * API credential), what is retried (on the package's shared retry loop), and the app's answers
 * turned into errors that say what to fix. Protocol: https://datatracker.ietf.org/doc/html/rfc7644
 *
 * - 429 and 503: wait for Retry-After (seconds or an HTTP date) when the app sends it, else back
 *   off 1 s, 2 s, 4 s, ... (at most 30 s, plus up to 20 %); up to 5 retries. A Retry-After longer
 *   than `maxWaitMs` fails at once instead: the app asks for more patience than a run has.
 * - 502 and 504 (a gateway in front of the app): retried like 503, for GET only; a write may have
 *   reached the app.
 * - Connection resets and timeouts: retried with the same backoff. A refused connection or an
 *   unknown host is not: the address is wrong.
 * - Every other 4xx, and 500: never retried (see errors.ts for the messages). After a 401 the rest
 *   of the run makes no further calls: every item would fail the same way.
 *
 * Requests send `Content-Type: application/scim+json` and accept it and `application/json`
 * (https://datatracker.ietf.org/doc/html/rfc7644#section-3.1).
 */
import {
	NodeApiError,
	type IDataObject,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type JsonObject,
} from 'n8n-workflow';

import {
	ScimCredentialError,
	hideSecrets,
	scimBaseUrl,
	scimSecrets,
} from '../../../credentials/common/scim';
import {
	TransientFailure,
	backoffMs,
	describeNetworkFailure,
	findCause,
	headerValue,
	parseRetryAfter,
	requestWithRetries,
	type BackoffOptions,
	type HttpContext,
	type HttpResponse,
	type NetworkFailureKind,
} from '../../shared/http';
import { parseBody, scimApiError, type ScimFailureContext, type ScimSubject } from './errors';

export type { ScimSubject } from './errors';

export const CREDENTIAL_TYPE = 'scimApi';

/** SCIM's media type (https://datatracker.ietf.org/doc/html/rfc7644#section-8.1). */
export const SCIM_MEDIA_TYPE = 'application/scim+json';

/** Per-run state: lives in one execute call, never in module memory. */
export interface ScimSession {
	/** The first 401 of this run; later calls fail with it without asking the app again. */
	authFailure?: { message: string; description: string };
	/** Retries after a 429, 503, gateway error, reset or timeout, before giving up. */
	maxRetries: number;
	/** Longest single wait the node accepts from Retry-After (ms). */
	maxWaitMs: number;
}

/** A session for one run. Defaults: 5 retries, Retry-After waits of at most 120 s. */
export function createSession(
	options: Partial<Pick<ScimSession, 'maxRetries' | 'maxWaitMs'>> = {},
): ScimSession {
	return { maxRetries: options.maxRetries ?? 5, maxWaitMs: options.maxWaitMs ?? 120_000 };
}

/** 1 s, 2 s, 4 s, ... (at most 30 s), plus up to 20 % at random. */
const SCIM_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 30_000, jitter: 0.2 };

/** Network failures worth another attempt: the request may not have reached the app. */
const RETRIED_NETWORK_FAILURES: readonly NetworkFailureKind[] = ['reset', 'timeout'];

/** One request to the app. */
export interface ScimRequest {
	method: IHttpRequestMethods;
	/** Path below the base URL, starting with "/" (ids already URL-encoded). */
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
	itemIndex?: number;
	/** What the request is about, for error messages (404 names it, 409 on create names it). */
	subject?: ScimSubject;
}

/** The app's answer: the status and the parsed body (undefined for 204 or an empty body). */
export interface ScimResponse {
	statusCode: number;
	body: unknown;
}

function isRetriedStatus(status: number, method: string): boolean {
	return (
		status === 429 || status === 503 || ((status === 502 || status === 504) && method === 'GET')
	);
}

/** The final error once a 429/503/502/504 was retried `attempts` times in all. */
function exhaustedError(context: ScimFailureContext, status: number, attempts: number) {
	const limited = status === 429;
	return new NodeApiError(context.node, { httpCode: String(status) } as JsonObject, {
		message: limited
			? `The app’s rate limit was still exceeded after ${attempts} attempts (429 Too Many Requests)`
			: `The app was still unavailable after ${attempts} attempts (${status})`,
		description: limited
			? 'Run fewer requests at once (one Get Many reads everyone), or schedule this workflow away from other jobs that use this app.'
			: 'The app is down or overloaded: try again later.',
		httpCode: String(status),
		itemIndex: context.itemIndex,
	});
}

/**
 * A 429/503 (or a GET's 502/504): a TransientFailure waiting Retry-After or the backoff.
 * @throws NodeApiError when Retry-After is longer than the session's `maxWaitMs`.
 */
function retryLater(
	context: ScimFailureContext,
	session: ScimSession,
	response: HttpResponse,
	attempt: number,
): TransientFailure {
	const status = response.statusCode;
	const seconds = parseRetryAfter(headerValue(response.headers, 'retry-after'));
	if (seconds !== undefined && seconds * 1000 > session.maxWaitMs) {
		throw new NodeApiError(context.node, { httpCode: String(status) } as JsonObject, {
			message: `The app asked to wait ${seconds} s before trying again (${status}), longer than the node waits (${session.maxWaitMs / 1000} s)`,
			description: 'Run the workflow again later, or when fewer other jobs use this app.',
			httpCode: String(status),
			itemIndex: context.itemIndex,
		});
	}
	const waitMs = seconds === undefined ? backoffMs(attempt, SCIM_BACKOFF) : seconds * 1000;
	return new TransientFailure(() => exhaustedError(context, status, attempt + 1), waitMs);
}

/**
 * A 2xx answer: the parsed body, undefined when empty.
 * @throws NodeApiError when the body is a web page (a login page or a wrong base URL).
 */
function successBody(context: ScimFailureContext, response: HttpResponse): unknown {
	const body = parseBody(response.body);
	if (body === '' || body === undefined || body === null) return undefined;
	if (typeof body === 'string') {
		const contentType = headerValue(response.headers, 'content-type') ?? '';
		const page = contentType.includes('html') || /^\s*</.test(body);
		throw new NodeApiError(context.node, { httpCode: String(response.statusCode) } as JsonObject, {
			message: page
				? 'The app answered with a web page instead of SCIM JSON'
				: 'The app answered with text instead of SCIM JSON',
			description: `The address is probably not the app’s SCIM endpoint (or it sent a login page): check the Base URL of the SCIM 2.0 API credential. Request: ${context.method} ${context.url}`,
			httpCode: String(response.statusCode),
			itemIndex: context.itemIndex,
		});
	}
	return body;
}

/**
 * A 3xx answer: the node follows no redirect, so the credential never goes to another address
 * (another host included) with the request. The Base URL is to be the address the app serves.
 */
function redirectError(context: ScimFailureContext, response: HttpResponse): NodeApiError {
	const status = response.statusCode;
	const location = hideSecrets(
		headerValue(response.headers, 'location') ?? '',
		context.secrets ?? [],
	);
	return new NodeApiError(context.node, { httpCode: String(status) } as JsonObject, {
		message: location
			? `The app redirected the request to ${location} (${status})`
			: `The app answered with a redirect (${status}) without saying where to`,
		description: `The node does not follow redirects, so the credential is never sent to another address. If that address is the app's own (https:// instead of http://, another host name), enter it as the Base URL of the ${context.credentialName ? `credential "${context.credentialName}"` : 'SCIM 2.0 API credential'}. Request: ${context.method} ${context.url}`,
		httpCode: String(status),
		itemIndex: context.itemIndex,
	});
}

/** A ScimCredentialError, also as a copy n8n's helpers may have made of it (checked by name). */
function isCredentialError(candidate: unknown): candidate is Error {
	return (
		candidate instanceof ScimCredentialError || (candidate as Error).name === 'ScimCredentialError'
	);
}

/**
 * A request that got no response: a reset or timeout is retried, anything else fails at once.
 * The error is rebuilt from the message only: the original holds the request's headers.
 * @throws NodeApiError "Could not reach the app" for a failure that is not retried.
 */
function networkFailure(context: ScimFailureContext, error: unknown, attempt: number) {
	const credentialProblem = findCause(error, isCredentialError);
	if (credentialProblem) {
		throw new NodeApiError(context.node, { message: credentialProblem.message } as JsonObject, {
			message: credentialProblem.message,
			description: `Open the ${context.credentialName ? `credential "${context.credentialName}"` : 'SCIM 2.0 API credential'} and fill in the field named above.`,
			itemIndex: context.itemIndex,
		});
	}
	const { code, kind, reason } = describeNetworkFailure(error);
	const message = hideSecrets(
		error instanceof Error ? error.message : String(error),
		context.secrets ?? [],
	);
	const unreachable = (description: string) =>
		new NodeApiError(context.node, { message, networkError: code ?? 'unknown' } as JsonObject, {
			message: `Could not reach the SCIM app at ${context.url}`,
			description: `${description} Check the Base URL of the SCIM 2.0 API credential.`,
			itemIndex: context.itemIndex,
		});
	if (!kind || !RETRIED_NETWORK_FAILURES.includes(kind)) throw unreachable(`${message}.`);
	const attempts = attempt > 0 ? `, also after ${attempt + 1} attempts` : '';
	return new TransientFailure(() => unreachable(`${reason} (${code})${attempts}.`));
}

function judgeResponse(
	context: ScimFailureContext,
	session: ScimSession,
	response: HttpResponse,
	attempt: number,
): ScimResponse | TransientFailure {
	const status = response.statusCode;
	if (status >= 200 && status < 300) {
		return { statusCode: status, body: successBody(context, response) };
	}
	if (isRetriedStatus(status, context.method)) {
		return retryLater(context, session, response, attempt);
	}
	if (status >= 300 && status < 400) throw redirectError(context, response);
	const error = scimApiError(context, status, response.body);
	if (status === 401) {
		session.authFailure = { message: error.message, description: error.description ?? '' };
	}
	throw error;
}

/** The full URL of a request, query string included, for messages. */
function urlOf(baseUrl: string, request: ScimRequest): string {
	const url = new URL(`${baseUrl}${request.path}`);
	for (const [key, value] of Object.entries(request.qs ?? {})) {
		if (value !== undefined) url.searchParams.set(key, String(value));
	}
	return url.toString();
}

/**
 * The credential's base URL and name.
 * @throws NodeApiError naming the credential field to fix (see scimBaseUrl).
 */
async function connection(
	context: HttpContext,
	itemIndex: number | undefined,
): Promise<{ baseUrl: string; credentialName?: string; secrets: string[] }> {
	const credentials = await context.getCredentials(CREDENTIAL_TYPE, itemIndex ?? 0);
	const credentialName = context.getNode().credentials?.[CREDENTIAL_TYPE]?.name ?? undefined;
	try {
		return { baseUrl: scimBaseUrl(credentials), credentialName, secrets: scimSecrets(credentials) };
	} catch (error) {
		// scimBaseUrl throws only ScimCredentialError, whose message names the field.
		const message = (error as Error).message;
		throw new NodeApiError(context.getNode(), { message } as JsonObject, {
			message,
			description: `Open the ${credentialName ? `credential "${credentialName}"` : 'SCIM 2.0 API credential'} and fix the Base URL.`,
			itemIndex,
		});
	}
}

/**
 * Sends one request to the app and returns its status and parsed JSON body, retrying as described
 * above. Waits happen through n8n's `sleep`; each attempt times out after 60 s.
 * @throws NodeApiError with what the app said and what to fix; at once, without a request, after
 *   a 401 earlier in the same session.
 */
export async function scimApiRequest(
	this: HttpContext,
	session: ScimSession,
	request: ScimRequest,
): Promise<ScimResponse> {
	const node = this.getNode();
	if (session.authFailure) {
		const { message, description } = session.authFailure;
		throw new NodeApiError(node, { httpCode: '401' } as JsonObject, {
			message,
			description: `${description} (The app was not called again for this item.)`,
			httpCode: '401',
			itemIndex: request.itemIndex,
		});
	}
	const { baseUrl, credentialName, secrets } = await connection(this, request.itemIndex);
	const context: ScimFailureContext = {
		node,
		method: request.method,
		url: hideSecrets(urlOf(baseUrl, request), secrets),
		credentialName,
		secrets,
		subject: request.subject,
		itemIndex: request.itemIndex,
	};
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${baseUrl}${request.path}`,
		qs: request.qs,
		headers: { Accept: `${SCIM_MEDIA_TYPE}, application/json` },
		json: true,
		timeout: 60_000,
		// A redirect would take the credential's headers along, to wherever the app points.
		disableFollowRedirect: true,
	};
	if (request.body !== undefined) {
		options.body = request.body;
		options.headers = { ...options.headers, 'Content-Type': SCIM_MEDIA_TYPE };
	}
	return await requestWithRetries(this, CREDENTIAL_TYPE, options, {
		maxRetries: session.maxRetries,
		backoff: SCIM_BACKOFF,
		onResponse: (response, attempt) => judgeResponse(context, session, response, attempt),
		onError: (error, attempt) => networkFailure(context, error, attempt),
	});
}
