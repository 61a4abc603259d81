/**
 * The one place that talks HTTP to AFAS Profit: base URL, authentication (through the
 * credential's `authenticate`), retries and error translation. Paging builds on this (paging.ts).
 *
 * Retry policy
 * - 503 (maintenance) honours `Retry-After` up to `maxRetryWaitSeconds`; a longer announced
 *   outage fails at once with the time to retry, instead of holding the workflow for hours.
 * - Connection resets, timeouts, refused connections, 502/504 and truncated or unreadable JSON
 *   bodies are retried with exponential backoff and jitter (AFAS' own advice; 500 ms start).
 * - 400/401/403/404 are never retried: they do not heal by themselves.
 * - 500 is a functional error in AFAS (bad filter, unknown field, blocked connector, timeout
 *   after 15 minutes) and is not retried either.
 * Errors never contain the token: they are built here from status, AFAS' message and codes,
 * never by passing on the HTTP client's error (which holds the request headers).
 */
import {
	NodeApiError,
	NodeOperationError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type JsonObject,
} from 'n8n-workflow';

import { afasBaseUrl, isAfasTokenFormatError } from '../../../credentials/common/afas';

export type AfasContext = IExecuteFunctions | ILoadOptionsFunctions;

export interface RetryPolicy {
	/** Retries after the first attempt. */
	maxRetries: number;
	/** Longest Retry-After (seconds) that is waited for; a longer one fails at once. */
	maxRetryWaitSeconds: number;
	/** Per-request timeout in seconds. */
	timeoutSeconds: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxRetries: 3,
	maxRetryWaitSeconds: 60,
	timeoutSeconds: 120,
};

const BACKOFF_START_MS = 500;
const BACKOFF_MAX_MS = 30_000;

export interface AfasRequest {
	/** Path below /ProfitRestServices, e.g. `/connectors/Profit_Employees`. */
	path: string;
	/** Query string without `?`. */
	query?: string;
	/** What is being fetched, for messages: "page 3 of connector X". */
	what: string;
	/** The GetConnector involved, for the 401 hint. */
	connectorId?: string;
	itemIndex?: number;
	retry?: RetryPolicy;
	/**
	 * API server URL from afasBaseUrlFor, for callers that send many requests (paging): it is then
	 * read from the credential once, not once per page.
	 */
	baseUrl?: string;
}

interface AfasErrorBody {
	externalMessage?: string;
	profitLogReference?: string;
	errorNumber?: number;
	retryAfterSeconds?: number;
}

interface RawResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

/** A failure worth another attempt; `waitMs` overrides the backoff (Retry-After). */
class TransientFailure {
	constructor(
		readonly reason: string,
		readonly final: () => Error,
		readonly waitMs?: number,
	) {}
}

export async function afasBaseUrlFor(this: AfasContext, itemIndex?: number): Promise<string> {
	const credentials = await this.getCredentials('afasApi', itemIndex ?? 0);
	try {
		return afasBaseUrl(credentials);
	} catch (error) {
		throw new NodeOperationError(this.getNode(), (error as Error).message, {
			itemIndex,
			description: 'Open the AFAS Profit API credential and fix how it connects.',
		});
	}
}

function header(headers: Record<string, unknown>, name: string): string | undefined {
	const value = headers[name] ?? headers[name.toLowerCase()];
	if (Array.isArray(value)) return value.length ? String(value[0]) : undefined;
	return value === undefined || value === null ? undefined : String(value);
}

function bodyText(body: unknown): string {
	if (typeof body === 'string') return body;
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	if (body === undefined || body === null) return '';
	return JSON.stringify(body);
}

/** Seconds from a Retry-After header (delta-seconds or an HTTP date). */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	const trimmed = value.trim();
	if (/^\d+$/.test(trimmed)) return Number(trimmed);
	const at = Date.parse(trimmed);
	return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

function parseErrorBody(text: string, headers: Record<string, unknown>): AfasErrorBody {
	const result: AfasErrorBody = {};
	try {
		const parsed = JSON.parse(text) as IDataObject;
		if (typeof parsed.externalMessage === 'string') result.externalMessage = parsed.externalMessage;
		if (typeof parsed.profitLogReference === 'string')
			result.profitLogReference = parsed.profitLogReference;
		if (typeof parsed.errorNumber === 'number') result.errorNumber = parsed.errorNumber;
		const nested = parsed.error as IDataObject | undefined;
		if (!result.externalMessage && nested && typeof nested.message === 'string') {
			result.externalMessage = nested.message;
		}
		if (!result.externalMessage && typeof parsed.message === 'string')
			result.externalMessage = parsed.message;
		if (typeof parsed.retry_after === 'number') result.retryAfterSeconds = parsed.retry_after;
	} catch {
		// Not JSON (a 401 has an empty body); fall through to the obsolete header below.
	}
	const profitError = header(headers, 'x-profit-error');
	if (!result.externalMessage && profitError) {
		// Obsolete header, base64 of the message; AFAS removes it by the end of 2026.
		const decoded = Buffer.from(profitError, 'base64').toString('utf8').trim();
		if (decoded) result.externalMessage = decoded;
	}
	return result;
}

function hintFor(status: number, body: AfasErrorBody, request: AfasRequest): string {
	const connector = request.connectorId ? `'${request.connectorId}'` : 'the GetConnector';
	const message = (body.externalMessage ?? '').toLowerCase();
	switch (status) {
		case 400:
			return 'AFAS did not accept the request. Check the filter values and field IDs.';
		case 401:
			return (
				`Check that ${connector} is added to the App Connector that issued this token (the usual cause), ` +
				'that the token belongs to this environment (production, test or accept, and the environment number), ' +
				'and that it has not expired or been deleted in Profit.'
			);
		case 403:
			return 'The App Connector probably has an IP restriction: allow the IP address n8n connects from, in Profit.';
		case 404:
			return (
				'Check the environment number and type, or the API server URL (it ends in /ProfitRestServices), ' +
				`and the connector ID ${connector}. AFAS also answers 404 when the query string is longer than 2049 characters.`
			);
		case 503:
			return 'AFAS is in maintenance or unavailable. See afasstatus.nl and try again later.';
		default:
			break;
	}
	if (message.includes('not found'))
		return 'Check the field IDs used in the filter and sort against the connector fields.';
	if (message.includes('blocked')) {
		return 'AFAS blocked this GetConnector definition (Fair Use). A Profit administrator must untick "Blocked" on the GetConnector.';
	}
	if (
		message.includes('not supported') ||
		message.includes('not authorized') ||
		message.includes('niet geautoriseerd')
	) {
		return `Add ${connector} to the App Connector in Profit, or use a token of a user allowed to read it.`;
	}
	if (message.includes('maximum duration') || message.includes('tijdsduur')) {
		return 'The query ran longer than AFAS allows (15 minutes). Filter more, use a smaller page size, or sort on an indexed field.';
	}
	if (message.includes('out of memory') || message.includes('string space')) {
		return 'The page was too large for AFAS. Lower the page size.';
	}
	return 'See the AFAS log reference in the Profit environment logbook for details.';
}

function httpError(
	this: AfasContext,
	status: number,
	text: string,
	headers: Record<string, unknown>,
	request: AfasRequest,
): NodeApiError {
	const body = parseErrorBody(text, headers);
	const statusText: Record<number, string> = {
		400: 'Bad Request',
		401: 'Unauthorized',
		403: 'Forbidden',
		404: 'Not Found',
		413: 'Payload Too Large',
		429: 'Too Many Requests',
		500: 'Internal Server Error',
		502: 'Bad Gateway',
		503: 'Service Unavailable',
		504: 'Gateway Timeout',
	};
	const label = `${status}${statusText[status] ? ` ${statusText[status]}` : ''}`;
	const message = body.externalMessage
		? `AFAS error (${label}) on ${request.what}: ${body.externalMessage}`
		: `AFAS answered ${label} on ${request.what}`;
	const reference = body.profitLogReference
		? ` AFAS log reference: ${body.profitLogReference}.`
		: '';
	const details: JsonObject = { status, what: request.what };
	if (body.externalMessage) details.externalMessage = body.externalMessage;
	if (body.profitLogReference) details.profitLogReference = body.profitLogReference;
	if (body.errorNumber !== undefined) details.errorNumber = body.errorNumber;
	const error = new NodeApiError(this.getNode(), details, {
		message,
		description: `${hintFor(status, body, request)}${reference}`,
		httpCode: String(status),
		itemIndex: request.itemIndex,
	});
	if (body.profitLogReference) error.context.profitLogReference = body.profitLogReference;
	if (body.externalMessage) error.context.externalMessage = body.externalMessage;
	return error;
}

function errorCode(error: unknown): string | undefined {
	let code: string | undefined;
	let current: unknown = error;
	for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
		const message = (current as { message?: unknown }).message;
		// The HTTP client reports its own timeout as ECONNABORTED; name it for what it is.
		if (typeof message === 'string' && /timeout of \d+ms exceeded/i.test(message))
			return 'ETIMEDOUT';
		const ownCode = (current as { code?: unknown }).code;
		if (!code && typeof ownCode === 'string' && /^E[A-Z_]+$/.test(ownCode)) code = ownCode;
		if (!code && typeof message === 'string') {
			if (/socket hang up/i.test(message)) code = 'ECONNRESET';
			else if (/\baborted\b/i.test(message)) code = 'ECONNABORTED';
		}
		current = (current as { cause?: unknown }).cause;
	}
	return code;
}

function hasTokenFormatError(error: unknown): Error | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
		if (isAfasTokenFormatError(current)) return current;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

const RETRYABLE_NETWORK: Record<string, string> = {
	ECONNRESET: 'the connection was reset',
	ECONNABORTED: 'the connection was aborted',
	ETIMEDOUT: 'the request timed out',
	ESOCKETTIMEDOUT: 'the request timed out',
	ECONNREFUSED: 'the connection was refused',
	EPIPE: 'the connection broke',
	EAI_AGAIN: 'the DNS lookup failed temporarily',
	EHOSTUNREACH: 'the host was unreachable',
	ENETUNREACH: 'the network was unreachable',
};

function backoffMs(attempt: number): number {
	const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_START_MS * 2 ** attempt);
	// "Equal jitter": at least half the step, so retries of parallel pages spread out.
	return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

async function sendOnce(
	this: AfasContext,
	url: string,
	timeoutSeconds: number,
): Promise<RawResponse> {
	const options: IHttpRequestOptions = {
		method: 'GET',
		url,
		headers: { Accept: 'application/json' },
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// Raw text: a truncated body must be detected, not half-parsed.
		encoding: 'text',
		json: false,
		timeout: timeoutSeconds * 1000,
	};
	const response = (await this.helpers.httpRequestWithAuthentication.call(
		this,
		'afasApi',
		options,
	)) as RawResponse;
	return response;
}

/**
 * GET one AFAS resource and return its parsed JSON body.
 * Throws NodeApiError / NodeOperationError with AFAS' message, log reference and a hint.
 */
export async function afasGet(this: AfasContext, request: AfasRequest): Promise<unknown> {
	const policy = request.retry ?? DEFAULT_RETRY_POLICY;
	const baseUrl = request.baseUrl ?? (await afasBaseUrlFor.call(this, request.itemIndex));
	const url = `${baseUrl}${request.path}${request.query ? `?${request.query}` : ''}`;

	for (let attempt = 0; ; attempt++) {
		let outcome: unknown;
		try {
			const response = await sendOnce.call(this, url, policy.timeoutSeconds);
			outcome = response;
		} catch (error) {
			outcome = networkFailure.call(this, error, request, attempt);
		}
		if (!(outcome instanceof TransientFailure))
			outcome = classify.call(this, outcome as RawResponse, request, policy);
		if (!(outcome instanceof TransientFailure)) return outcome;
		if (attempt >= policy.maxRetries) throw outcome.final();
		await sleep(outcome.waitMs ?? backoffMs(attempt));
	}
}

/** A request that got no HTTP response: a bad token (from `authenticate`) or a network error. */
function networkFailure(
	this: AfasContext,
	error: unknown,
	request: AfasRequest,
	attempt: number,
): TransientFailure {
	const node = this.getNode();
	const tokenError = hasTokenFormatError(error);
	if (tokenError) {
		throw new NodeOperationError(node, tokenError.message, {
			itemIndex: request.itemIndex,
			description: 'Open the AFAS Profit API credential and paste the token again.',
		});
	}
	const code = errorCode(error);
	const reason = code ? RETRYABLE_NETWORK[code] : undefined;
	if (!reason) {
		const what = code === 'ENOTFOUND' ? 'the host name does not exist' : 'the request failed';
		// The code goes under its own key: NodeApiError would swap our message for a generic one on `code`.
		throw new NodeApiError(
			node,
			{ what: request.what, networkError: code ?? 'unknown' } as JsonObject,
			{
				message: `Could not reach AFAS for ${request.what}: ${what}`,
				description:
					'Check the environment number and type, or the API server URL, in the AFAS Profit API credential' +
					(code ? ` (network error ${code}).` : '.'),
				itemIndex: request.itemIndex,
			},
		);
	}
	return new TransientFailure(
		reason,
		() =>
			new NodeApiError(node, { what: request.what, networkError: code } as JsonObject, {
				message: `Could not get ${request.what} from AFAS: ${reason}${attempt > 0 ? `, also after ${attempt + 1} attempts` : ''}`,
				description: `No rows were output: a partial result could be mistaken for people who left (network error ${code}).`,
				itemIndex: request.itemIndex,
			}),
	);
}

/** Turns one HTTP response into a parsed body, a TransientFailure or a thrown error. */
function classify(
	this: AfasContext,
	response: RawResponse,
	request: AfasRequest,
	policy: RetryPolicy,
): unknown {
	const status = response.statusCode;
	const text = bodyText(response.body);
	const headers = response.headers ?? {};

	if (status >= 200 && status < 300) {
		try {
			return JSON.parse(text) as unknown;
		} catch {
			return new TransientFailure(
				'the response was incomplete',
				() =>
					new NodeApiError(
						this.getNode(),
						{ what: request.what, status, receivedBytes: text.length } as JsonObject,
						{
							message: `AFAS sent an incomplete or unreadable response for ${request.what}`,
							description:
								'The JSON body was cut off or invalid, also after retrying. No rows were output: a partial ' +
								'result could be mistaken for people who left. Try again, or lower the page size.',
							itemIndex: request.itemIndex,
						},
					),
			);
		}
	}

	if (status === 503 || status === 429) {
		const body = parseErrorBody(text, headers);
		const retryAfter = parseRetryAfter(header(headers, 'retry-after')) ?? body.retryAfterSeconds;
		const error = () => httpError.call(this, status, text, headers, request);
		if (retryAfter !== undefined && retryAfter > policy.maxRetryWaitSeconds) {
			const failure = error();
			failure.description = `${failure.description ?? ''} AFAS asked to retry after ${retryAfter} seconds, longer than the ${policy.maxRetryWaitSeconds} seconds this node waits (option Max Retry Wait).`;
			throw failure;
		}
		return new TransientFailure(
			'AFAS is unavailable',
			error,
			retryAfter !== undefined ? retryAfter * 1000 : undefined,
		);
	}

	if (status === 502 || status === 504) {
		return new TransientFailure('the AFAS gateway failed', () =>
			httpError.call(this, status, text, headers, request),
		);
	}

	throw httpError.call(this, status, text, headers, request);
}

// ------------------------------------------------------------------ metainfo

export interface AfasConnectorSummary {
	id: string;
	description: string;
}

export interface AfasFieldInfo extends IDataObject {
	id: string;
	dataType: string;
	label: string;
}

export interface AfasConnectorMetaInfo {
	name: string;
	description: string;
	fields: AfasFieldInfo[];
}

function invalidShape(this: AfasContext, what: string, itemIndex?: number): NodeApiError {
	return new NodeApiError(this.getNode(), { what } as JsonObject, {
		message: `AFAS answered ${what} with an unexpected response`,
		description: 'Check that the API server URL points to AFAS ProfitRestServices.',
		itemIndex,
	});
}

/** `GET /metainfo`: the GetConnectors this token may use. */
export async function listGetConnectors(
	this: AfasContext,
	itemIndex?: number,
	retry?: RetryPolicy,
): Promise<AfasConnectorSummary[]> {
	const body = (await afasGet.call(this, {
		path: '/metainfo',
		what: 'the connector list (metainfo)',
		itemIndex,
		retry,
	})) as IDataObject;
	if (!body || typeof body !== 'object')
		throw invalidShape.call(this, 'the connector list (metainfo)', itemIndex);
	const list = body.getConnectors ?? [];
	if (!Array.isArray(list))
		throw invalidShape.call(this, 'the connector list (metainfo)', itemIndex);
	return (list as IDataObject[])
		.filter((entry) => entry && typeof entry.id === 'string')
		.map((entry) => ({
			id: entry.id as string,
			description: typeof entry.description === 'string' ? entry.description : '',
		}));
}

/** `GET /metainfo/get/{id}`: the fields of one GetConnector. */
export async function getConnectorMetaInfo(
	this: AfasContext,
	connectorId: string,
	itemIndex?: number,
	retry?: RetryPolicy,
): Promise<AfasConnectorMetaInfo> {
	const what = `the fields of connector '${connectorId}' (metainfo)`;
	const body = (await afasGet.call(this, {
		path: `/metainfo/get/${encodeURIComponent(connectorId)}`,
		what,
		connectorId,
		itemIndex,
		retry,
	})) as IDataObject;
	if (!body || typeof body !== 'object' || !Array.isArray(body.fields))
		throw invalidShape.call(this, what, itemIndex);
	const fields = (body.fields as IDataObject[])
		.filter((field) => field && typeof field.id === 'string')
		.map((field) => ({
			...field,
			id: field.id as string,
			dataType: typeof field.dataType === 'string' ? field.dataType : 'string',
			label: typeof field.label === 'string' ? field.label : (field.id as string),
		}));
	return {
		name: typeof body.name === 'string' ? body.name : connectorId,
		description: typeof body.description === 'string' ? body.description : '',
		fields,
	};
}
