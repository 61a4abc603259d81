/**
 * The retry loop every node of this package sends its requests through. It knows nothing about
 * any API: the caller says, per response and per failed request, what is a result, what is worth
 * another attempt (and how long to wait first) and what fails at once.
 */
import {
	sleep,
	type IExecuteFunctions,
	type IHookFunctions,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type IPollFunctions,
	type IWebhookFunctions,
} from 'n8n-workflow';

import { backoffMs, type BackoffOptions } from './backoff';

/** The n8n contexts a node sends requests from. */
export type HttpContext =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IPollFunctions
	| IWebhookFunctions
	| IHookFunctions;

/** A response as n8n's HTTP helper returns it with `returnFullResponse`. */
export interface HttpResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

/**
 * A failure worth another attempt. `final` builds the error thrown when no attempt is left;
 * `waitMs` replaces the backoff when the server said how long to wait (Retry-After, a rate-limit
 * reset).
 */
export class TransientFailure {
	constructor(
		readonly final: () => Error,
		readonly waitMs?: number,
	) {}
}

/** What the caller decides; `attempt` counts from 0 (the first request). */
export interface RetryRules<T> {
	/** Retries after the first attempt. */
	maxRetries: number;
	/** Wait before a retry when the failure names none. */
	backoff: BackoffOptions;
	/** An HTTP response (any status): the result, a TransientFailure, or throw. */
	onResponse(response: HttpResponse, attempt: number): T | TransientFailure;
	/** A request that got no response: a TransientFailure, or throw. */
	onError(error: unknown, attempt: number): TransientFailure;
	/**
	 * Whether the result is still needed (default: always). Asked before every retry and during
	 * the wait before it: once false, no further attempt is made and the last failure is thrown
	 * (for pages a read turned out not to need).
	 */
	wanted?(): boolean;
}

/** Steps of the wait before a retry when `wanted` is given, so an unwanted result stops waiting soon (ms). */
const WANTED_CHECK_MS = 100;

/**
 * Waits `ms` before a retry: at once with `sleep`, or, when `wanted` is given, in steps of at most
 * WANTED_CHECK_MS while it stays true. Resolves to whether the result is still wanted.
 */
async function waitBeforeRetry(ms: number, wanted?: () => boolean): Promise<boolean> {
	if (!wanted) {
		await sleep(ms);
		return true;
	}
	const until = Date.now() + ms;
	for (let left = ms; left > 0 && wanted(); left = until - Date.now()) {
		await sleep(Math.min(left, WANTED_CHECK_MS));
	}
	return wanted();
}

/**
 * `pending`, or a rejection once `ms` have passed: n8n's `timeout` option only counts time
 * without data on the socket, so a server that sends a byte every few seconds would hold a request
 * (and the workflow) forever. The rejection reads like the HTTP client's own timeout (code
 * ETIMEDOUT, "timeout of … exceeded"), so it is retried and reported as a timeout. The request
 * itself cannot be aborted (n8n replaces a request's abort signal with the execution's): its
 * answer is dropped when it comes.
 */
async function withDeadline<T>(pending: Promise<T>, ms: number | undefined): Promise<T> {
	if (ms === undefined || !(ms > 0)) return await pending;
	// AbortSignal.timeout's timer does not keep the process alive and needs no clearing.
	const signal = AbortSignal.timeout(ms);
	let onTimeout = () => {};
	const deadline = new Promise<never>((_, reject) => {
		onTimeout = () =>
			reject(Object.assign(new Error(`timeout of ${ms}ms exceeded`), { code: 'ETIMEDOUT' }));
		signal.addEventListener('abort', onTimeout, { once: true });
	});
	// A late failure of the dropped request must not become an unhandled rejection.
	pending.catch(() => undefined);
	try {
		return await Promise.race([pending, deadline]);
	} finally {
		signal.removeEventListener('abort', onTimeout);
	}
}

type Send = (
	this: HttpContext,
	credentialType: string,
	requestOptions: IHttpRequestOptions,
) => Promise<HttpResponse>;

/** One attempt: the response judged by `onResponse`, or the request's failure by `onError`. */
async function attemptOnce<T>(
	context: HttpContext,
	credentialType: string,
	request: IHttpRequestOptions,
	rules: RetryRules<T>,
	attempt: number,
): Promise<T | TransientFailure> {
	// The helper has one signature in every context, but TypeScript sees a union of five.
	const send = context.helpers.httpRequestWithAuthentication as Send;
	let response: HttpResponse;
	try {
		response = await withDeadline(send.call(context, credentialType, request), request.timeout);
	} catch (error) {
		return rules.onError(error, attempt);
	}
	return rules.onResponse(response, attempt);
}

/**
 * Sends a request through `context.helpers.httpRequestWithAuthentication` (so the credential adds
 * its authentication) until `rules` give a result, then returns it. `options.timeout` (ms) bounds
 * each attempt from start to last byte, also against a server that drips its answer. Statuses
 * never throw inside n8n's helper (`ignoreHttpStatusErrors`): `rules.onResponse` sees every
 * response.
 * @throws whatever `rules` throw, or the `final()` error of the last TransientFailure once
 *   `maxRetries` retries are used up or the result is no longer `wanted()`.
 */
export async function requestWithRetries<T>(
	context: HttpContext,
	credentialType: string,
	options: IHttpRequestOptions,
	rules: RetryRules<T>,
): Promise<T> {
	const request: IHttpRequestOptions = {
		...options,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	const wanted = rules.wanted?.bind(rules);
	for (let attempt = 0; ; attempt++) {
		const outcome = await attemptOnce(context, credentialType, request, rules, attempt);
		if (!(outcome instanceof TransientFailure)) return outcome;
		if (attempt >= rules.maxRetries) throw outcome.final();
		const waitMs = outcome.waitMs ?? backoffMs(attempt, rules.backoff);
		if (!(await waitBeforeRetry(waitMs, wanted))) throw outcome.final();
	}
}
