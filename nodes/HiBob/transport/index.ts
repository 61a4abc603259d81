/**
 * The one place that talks to HiBob: base URL, authentication (through the credential), rate
 * limits, and turning HiBob's answers into errors that say what to fix.
 *
 * - 429: wait until X-RateLimit-Reset (epoch seconds; Retry-After if HiBob ever sends it),
 *   capped, then retry; without either header, back off exponentially with jitter.
 * - 401 / 403: never retried. HiBob's WAF blocks an Authorization header after 50 of those
 *   within 10 s, so after the first one a run stops calling HiBob (see HiBobSession).
 * - 200 with an HTML page: HiBob answers unknown paths with its web app; that means a wrong
 *   base URL, not data.
 *
 * Errors carry only status, HiBob's message and the URL: never the Authorization header.
 */
import {
	NodeApiError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type IHookFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type IN8nHttpFullResponse,
	type INode,
	type IPollFunctions,
	type IWebhookFunctions,
	type JsonObject,
} from 'n8n-workflow';

export const CREDENTIAL_TYPE = 'hiBobApi';

export const PRODUCTION_BASE_URL = 'https://api.hibob.com/v1';
export const SANDBOX_BASE_URL = 'https://api.sandbox.hibob.com/v1';

export type HiBobContext =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IPollFunctions
	| IWebhookFunctions
	| IHookFunctions;

/** Per-run state: lives in one execute / poll / webhook call, never in module memory. */
export interface HiBobSession {
	/** The first 401/403 of this run; later calls fail with it without asking HiBob again. */
	authFailure?: { status: number; message: string; description: string };
	/** Longest single wait for a rate-limit window (ms). */
	maxRateLimitWaitMs: number;
	/** Retries after a 429 before giving up. */
	maxRateLimitRetries: number;
	/** Requested fields HiBob left out of an answer (not permitted or unknown). */
	missingFields: Set<string>;
}

export function createSession(
	options: Partial<Pick<HiBobSession, 'maxRateLimitWaitMs' | 'maxRateLimitRetries'>> = {},
): HiBobSession {
	return {
		maxRateLimitWaitMs: options.maxRateLimitWaitMs ?? 65_000,
		maxRateLimitRetries: options.maxRateLimitRetries ?? 4,
		missingFields: new Set(),
	};
}

export function hiBobBaseUrl(credentials: IDataObject): string {
	const override =
		typeof credentials.baseUrlOverride === 'string' ? credentials.baseUrlOverride.trim() : '';
	if (override) return override.replace(/\/+$/, '');
	return credentials.environment === 'sandbox' ? SANDBOX_BASE_URL : PRODUCTION_BASE_URL;
}

export interface HiBobRequest {
	method: IHttpRequestMethods;
	/** Path below the base URL, starting with "/". */
	path: string;
	body?: IDataObject;
	qs?: IDataObject;
	itemIndex?: number;
	/** Return undefined on 404 instead of throwing (the caller explains what was not found). */
	allowNotFound?: boolean;
}

function header(headers: IDataObject | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
	const value = key === undefined ? undefined : headers[key];
	return value === undefined || value === null ? undefined : String(value);
}

/** How long to wait after a 429: until the window resets, else exponential backoff with jitter. */
export function rateLimitWaitMs(
	headers: IDataObject | undefined,
	attempt: number,
	capMs: number,
	nowMs: number,
): number {
	const retryAfter = Number(header(headers, 'retry-after'));
	const reset = Number(header(headers, 'x-ratelimit-reset'));
	let waitMs: number;
	if (Number.isFinite(retryAfter) && retryAfter > 0) waitMs = retryAfter * 1000;
	else if (Number.isFinite(reset) && reset > 0) waitMs = reset * 1000 - nowMs + 250;
	else waitMs = 1000 * 2 ** attempt + Math.floor(Math.random() * 500);
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
					? 'A HiBob server error; try again later (status.hibob.io).'
					: `Request: ${url}`,
				itemIndex,
				body,
			);
	}
}

/**
 * Sends one request to HiBob and returns the parsed JSON body. Retries only 429s; 401/403
 * end the run's use of HiBob; a 404 returns undefined when `allowNotFound`.
 */
export async function hiBobApiRequest(
	this: HiBobContext,
	session: HiBobSession,
	request: HiBobRequest,
): Promise<unknown> {
	const node = this.getNode();
	if (session.authFailure) {
		const { status, message, description } = session.authFailure;
		throw apiError(
			node,
			status,
			message,
			`${description} (HiBob was not called again in this run.)`,
			request.itemIndex,
		);
	}
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const baseUrl = hiBobBaseUrl(credentials);
	const url = `${baseUrl}${request.path}`;
	const options: IHttpRequestOptions = {
		method: request.method,
		url,
		qs: request.qs,
		json: true,
		returnFullResponse: true,
		// Status codes are handled below: n8n must neither throw nor re-send on a 401.
		ignoreHttpStatusErrors: true,
		timeout: 60_000,
	};
	// HiBob answers some GETs that carry Content-Type: application/json with 400: send no body on GET.
	if (request.method !== 'GET') options.body = request.body ?? {};

	for (let attempt = 0; ; attempt++) {
		let response: IN8nHttpFullResponse;
		try {
			const send = this.helpers.httpRequestWithAuthentication as (
				this: HiBobContext,
				credentialType: string,
				requestOptions: IHttpRequestOptions,
			) => Promise<IN8nHttpFullResponse>;
			response = await send.call(this, CREDENTIAL_TYPE, options);
		} catch (error) {
			// Rebuild the error from its message only: the original may hold the request config.
			const reason = error instanceof Error ? error.message : String(error);
			throw new NodeApiError(node, { message: reason } as JsonObject, {
				message: `Could not reach HiBob at ${baseUrl}`,
				description: `${reason}. Check the credential's Environment and Base URL Override.`,
				itemIndex: request.itemIndex,
			});
		}
		const status = response.statusCode;
		const headers = response.headers as IDataObject;
		if (status >= 200 && status < 300) {
			const contentType = header(headers, 'content-type') ?? '';
			if (
				typeof response.body === 'string' &&
				(contentType.includes('html') || /^\s*</.test(response.body))
			) {
				throw apiError(
					node,
					status,
					'HiBob answered with a web page instead of JSON',
					`HiBob answers unknown addresses with its web app, so the address is probably wrong: ${url}. Check the credential's Environment, or the Base URL Override (it must end in /v1, e.g. ${PRODUCTION_BASE_URL}).`,
					request.itemIndex,
				);
			}
			return response.body;
		}
		if (status === 404 && request.allowNotFound) return undefined;
		if (status === 429) {
			if (attempt < session.maxRateLimitRetries) {
				await sleep(rateLimitWaitMs(headers, attempt, session.maxRateLimitWaitMs, Date.now()));
				continue;
			}
			throw apiError(
				node,
				status,
				`HiBob's rate limit was still exceeded after ${attempt + 1} attempts (429 Too Many Requests)`,
				`HiBob allows about 50 calls per minute per service user. Run fewer calls (one Search returns everyone), or schedule this workflow away from other HiBob workflows.`,
				request.itemIndex,
				response.body,
			);
		}
		const error = describeFailure(
			node,
			status,
			response.body,
			url,
			String(credentials.serviceUserId ?? '').trim(),
			request.itemIndex,
		);
		if (status === 401 || status === 403) {
			session.authFailure = {
				status,
				message: error.message,
				description: error.description ?? '',
			};
		}
		throw error;
	}
}
