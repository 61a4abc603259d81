/**
 * The one place that talks HTTP to AFAS Profit: base URL, authentication (through the
 * credential's `authenticate`), and what is retried, on the package's shared retry loop.
 *
 * What is retried (https://docs.afas.help/profit/en/troubleshooting#error-handling)
 * - 503 (maintenance) honours `Retry-After` (header, or `retry_after` in the body) up to
 *   `maxRetryWaitSeconds`; a longer announced outage fails at once with the time to retry,
 *   instead of holding the workflow for hours. 429 is treated the same way.
 * - Connection resets, timeouts, refused connections, temporary DNS and routing failures, 502/504
 *   and cut-off or unreadable JSON bodies are retried with exponential backoff and jitter (AFAS'
 *   own advice; 250-500 ms before the first retry, doubling, at most 15-30 s). Numbers in a form
 *   JSON does not allow are not retried (the same request gets the same answer); AFAS' older
 *   form without a leading zero (`-.5`) is read (see ./json.ts).
 * - 400/401/403/404 are never retried: they do not heal by themselves.
 * - 500 is a functional error in AFAS (bad filter, unknown field, blocked connector, timeout
 *   after 15 minutes) and is not retried either.
 */
import {
	NodeApiError,
	NodeOperationError,
	type IExecuteFunctions,
	type ILoadOptionsFunctions,
	type INode,
	type IPollFunctions,
	type JsonObject,
} from 'n8n-workflow';

import { afasBaseUrl, isAfasTokenFormatError } from '../../../credentials/common/afas';
import {
	TransientFailure,
	describeNetworkFailure,
	findCause,
	headerValue,
	parseRetryAfter,
	requestWithRetries,
	type BackoffOptions,
	type HttpResponse,
} from '../../shared/http';
import { bodyText, httpError, parseErrorBody, type AfasRequestLabel } from './errors';
import { readAfasJson } from './json';

/** The n8n contexts AFAS is read from: a node's run, a dropdown, and a polling trigger's poll. */
export type AfasContext = IExecuteFunctions | ILoadOptionsFunctions | IPollFunctions;

/** Retry and timeout settings of one request (the node's Options). */
export interface AfasRetryPolicy {
	/** Retries after the first attempt. */
	maxRetries: number;
	/** Longest Retry-After (s) that is waited for; a longer one fails at once. */
	maxRetryWaitSeconds: number;
	/** Per-request timeout (s). */
	timeoutSeconds: number;
}

/** 3 retries, Retry-After waited for up to 60 s, 120 s per request. */
export const DEFAULT_RETRY_POLICY: AfasRetryPolicy = {
	maxRetries: 3,
	maxRetryWaitSeconds: 60,
	timeoutSeconds: 120,
};

/** Equal jitter from 0.5 s: 250-500 ms, 500-1000 ms, ... up to 15-30 s. */
const AFAS_BACKOFF: BackoffOptions = { baseMs: 250, maxMs: 15_000, jitter: 1 };

export interface AfasRequest extends AfasRequestLabel {
	/** Path below /ProfitRestServices, e.g. `/connectors/Profit_Employees`. */
	path: string;
	/** Query string without `?`. */
	query?: string;
	retry?: AfasRetryPolicy;
	/**
	 * API server URL from afasBaseUrlFor, for callers that send many requests (paging): it is then
	 * read from the credential once, not once per page.
	 */
	baseUrl?: string;
	/** Whether the answer is still needed; once false, no retry is made (a page past the end). */
	wanted?: () => boolean;
}

/**
 * The ProfitRestServices URL of the node's AFAS credential, without a trailing slash.
 * @throws NodeOperationError naming the credential field to fix.
 */
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

/**
 * A request that got no HTTP response: a bad token (thrown by the credential's `authenticate`
 * before anything is sent), a network failure worth retrying, or one that is not.
 * @throws NodeOperationError for a bad token, NodeApiError for a failure not worth retrying.
 */
function networkFailure(
	node: INode,
	error: unknown,
	request: AfasRequest,
	attempt: number,
): TransientFailure {
	const tokenError = findCause(error, isAfasTokenFormatError);
	if (tokenError) {
		throw new NodeOperationError(node, tokenError.message, {
			itemIndex: request.itemIndex,
			description: 'Open the AFAS Profit API credential and paste the token again.',
		});
	}
	const { code, kind, reason } = describeNetworkFailure(error);
	if (!kind || !reason) {
		const what = code === 'ENOTFOUND' ? 'the host name does not exist' : 'the request failed';
		// The code goes under its own key: NodeApiError swaps our message for a generic one on `code`.
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
	const advice =
		kind === 'garbled'
			? ' Check that no proxy or gateway between n8n and AFAS changes compressed answers.'
			: ' Try again later; if it keeps happening, check the network between n8n and AFAS.';
	return new TransientFailure(
		() =>
			new NodeApiError(node, { what: request.what, networkError: code } as JsonObject, {
				message: `Could not get ${request.what} from AFAS: ${reason}${attempt > 0 ? `, also after ${attempt + 1} attempts` : ''}`,
				description: `No rows were output: a partial result could be mistaken for people who left (network error ${code}).${advice}`,
				itemIndex: request.itemIndex,
			}),
	);
}

/**
 * A 2xx answer: its parsed JSON (AFAS' older numbers such as `-.5` included), a
 * TransientFailure when the body is cut off or not JSON (another request may heal that).
 * @throws NodeApiError at once when AFAS wrote numbers this node cannot read: the same request
 *   would get the same answer.
 */
function parsedBody(node: INode, status: number, text: string, request: AfasRequest): unknown {
	const reading = readAfasJson(text);
	if (reading.ok) return reading.value;
	const details = {
		what: request.what,
		status,
		receivedBytes: text.length,
		problem: reading.problem,
		...(reading.position !== undefined ? { position: reading.position } : {}),
	} as JsonObject;
	if (reading.problem === 'numbers') {
		throw new NodeApiError(node, details, {
			message: `AFAS sent numbers this node cannot read in ${request.what}`,
			description:
				`A number at character ${(reading.position ?? 0) + 1} of the answer is not written as JSON writes numbers ` +
				"(the node does read AFAS' older form without a leading zero, such as .5). No rows were output. " +
				"Check the connector's number fields in Profit, or ask AFAS support about this answer.",
			itemIndex: request.itemIndex,
		});
	}
	const description =
		reading.problem === 'cutOff'
			? 'The JSON body was cut off, also after retrying. No rows were output: a partial result could be ' +
				'mistaken for people who left. Try again, or lower the page size.'
			: 'The body was not JSON, also after retrying. No rows were output. Check that the API server URL ' +
				'points to AFAS ProfitRestServices and that no proxy answers in its place.';
	return new TransientFailure(
		() =>
			new NodeApiError(node, details, {
				message: `AFAS sent an incomplete or unreadable response for ${request.what}`,
				description,
				itemIndex: request.itemIndex,
			}),
	);
}

/**
 * 503 or 429: retried after AFAS' Retry-After (or the backoff when AFAS names no time).
 * @throws NodeApiError at once when AFAS announces a wait longer than `maxRetryWaitSeconds`.
 */
function unavailable(
	node: INode,
	response: HttpResponse,
	text: string,
	request: AfasRequest,
	policy: AfasRetryPolicy,
): TransientFailure {
	const { statusCode: status, headers } = response;
	const retryAfter =
		parseRetryAfter(headerValue(headers, 'retry-after')) ??
		parseErrorBody(text, headers).retryAfterSeconds;
	const error = () => httpError(node, status, text, headers, request);
	if (retryAfter !== undefined && retryAfter > policy.maxRetryWaitSeconds) {
		const failure = error();
		failure.description = `${failure.description ?? ''} AFAS asked to retry after ${retryAfter} seconds, longer than the ${policy.maxRetryWaitSeconds} seconds this node waits (option Max Retry Wait).`;
		throw failure;
	}
	return new TransientFailure(error, retryAfter !== undefined ? retryAfter * 1000 : undefined);
}

/**
 * One HTTP response: the parsed body, a TransientFailure, or thrown.
 * @throws NodeApiError for a status that is not retried (or an outage announced too long).
 */
function judgeResponse(
	node: INode,
	response: HttpResponse,
	request: AfasRequest,
	policy: AfasRetryPolicy,
): unknown {
	const status = response.statusCode;
	const text = bodyText(response.body);
	const headers = response.headers ?? {};
	if (status >= 200 && status < 300) return parsedBody(node, status, text, request);
	if (status === 503 || status === 429)
		return unavailable(node, { ...response, headers }, text, request, policy);
	if (status === 502 || status === 504)
		return new TransientFailure(() => httpError(node, status, text, headers, request));
	throw httpError(node, status, text, headers, request);
}

/**
 * GET one AFAS resource and return its parsed JSON body, retrying as described above.
 * @throws NodeApiError with AFAS' message, log reference and a hint; NodeOperationError for a
 *   credential that cannot be used (bad token, no address).
 */
export async function afasGet(this: AfasContext, request: AfasRequest): Promise<unknown> {
	const policy = request.retry ?? DEFAULT_RETRY_POLICY;
	const baseUrl = request.baseUrl ?? (await afasBaseUrlFor.call(this, request.itemIndex));
	const node = this.getNode();
	return await requestWithRetries(
		this,
		'afasApi',
		{
			method: 'GET',
			url: `${baseUrl}${request.path}${request.query ? `?${request.query}` : ''}`,
			headers: { Accept: 'application/json' },
			// Raw text: a truncated body must be detected, not half-parsed.
			encoding: 'text',
			json: false,
			timeout: policy.timeoutSeconds * 1000,
		},
		{
			maxRetries: policy.maxRetries,
			backoff: AFAS_BACKOFF,
			onResponse: (response) => judgeResponse(node, response, request, policy),
			onError: (error, attempt) => networkFailure(node, error, request, attempt),
			wanted: request.wanted,
		},
	);
}
