/**
 * Answers on the HiBob sandbox's public side (everything but `/__mock`): each one is logged for
 * `stats()` and delayed by the configured latency; the service user a request authenticated as
 * is remembered for its log entry and its rate-limit headers.
 */
import type { Request, Response } from 'express';
import type { RateVerdict, ServiceUser } from '../state/access';
import type { RequestLogEntry, RequestStats } from '../state/stats';
import { rawBodyText, requestTarget, writeAnswer, type Answer } from './http';

/** What HiBob's home page answers to any path it does not know: 200 and an HTML page. */
export const HTML_PAGE =
	'<!DOCTYPE html><html><head><title>Bob</title></head><body><div id="app"></div></body></html>';

/** The authenticated caller of an API request. */
export interface Caller {
	user: ServiceUser;
	/** The Authorization header as sent (the WAF counts per header). */
	authorization: string;
	rate: RateVerdict;
}

/** The request body as logged: parsed JSON, else the raw text; undefined when empty. */
function loggedBody(req: Request): unknown {
	const text = rawBodyText(req);
	if (!text) return undefined;
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

export class PublicAnswers {
	private readonly callers = new WeakMap<Request, Caller>();

	/** @param latencyMs Delay before every answer, in ms (0: none). */
	constructor(
		private readonly stats: RequestStats,
		private readonly latencyMs: number,
	) {}

	identify(req: Request, caller: Caller): void {
		this.callers.set(req, caller);
	}

	callerOf(req: Request): Caller | undefined {
		return this.callers.get(req);
	}

	/**
	 * Logs and writes an answer. `withRequest: false` logs method, path and status only (for
	 * answers to failures of the sandbox itself).
	 */
	send(req: Request, res: Response, answer: Answer, withRequest = true): void {
		const entry: RequestLogEntry = {
			method: req.method,
			path: requestTarget(req).pathAndQuery,
			status: answer.status,
		};
		if (withRequest) {
			entry.body = loggedBody(req);
			entry.contentType = req.headers['content-type'];
			const caller = this.callers.get(req);
			if (caller) entry.serviceUserId = caller.user.id;
		}
		this.stats.record(entry);
		if (this.latencyMs > 0) setTimeout(() => writeAnswer(res, answer), this.latencyMs);
		else writeAnswer(res, answer);
	}
}
