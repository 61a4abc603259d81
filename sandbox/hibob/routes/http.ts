/**
 * How the HiBob sandbox writes its answers: JSON as `application/json`, HTML as
 * `text/html; charset=utf-8`, no body (and no Content-Type) for an empty answer, plus the
 * errors it turns into answers.
 */
import type { Request, Response } from 'express';
import { HttpError } from '../errors';

/** One answer: a status, a JSON or HTML body (or none), and extra headers. */
export interface Answer {
	status: number;
	json?: unknown;
	html?: string;
	headers?: Record<string, string>;
}

/** Writes an answer in one go. */
export function writeAnswer(res: Response, answer: Answer): void {
	const payload =
		answer.html ?? (answer.json === undefined ? undefined : JSON.stringify(answer.json));
	const contentType = answer.html === undefined ? 'application/json' : 'text/html; charset=utf-8';
	res.writeHead(answer.status, {
		...(payload === undefined ? {} : { 'Content-Type': contentType }),
		...answer.headers,
	});
	res.end(payload);
}

/** HiBob's generic error answer `{ key, error }` for an HttpError. */
export function httpErrorAnswer(error: HttpError, headers?: Record<string, string>): Answer {
	return { status: error.status, json: { key: error.key, error: error.message }, headers };
}

/** An error thrown by express's body parsers (too large, aborted, not JSON, …). */
interface BodyParserError {
	status: number;
	type: string;
	message: string;
}

function isBodyParserError(error: unknown): error is BodyParserError {
	return (
		error instanceof Error &&
		'type' in error &&
		typeof error.type === 'string' &&
		'status' in error &&
		typeof error.status === 'number'
	);
}

/**
 * The answer to any error: HttpError as it says, a body the parsers refused as 400 (or their 4xx),
 * anything else as 500 `{ key: "internal", error }`.
 */
export function errorAnswer(error: unknown): Answer {
	if (error instanceof HttpError) return httpErrorAnswer(error);
	if (isBodyParserError(error) && error.status >= 400 && error.status < 500) {
		const message =
			error.type === 'entity.parse.failed' ? 'The request body is not valid JSON.' : error.message;
		return httpErrorAnswer(new HttpError(error.status, 'bad_request', message));
	}
	const message = error instanceof Error ? error.message : String(error);
	return { status: 500, json: { key: 'internal', error: message } };
}

/** The raw request body as UTF-8 text ('' when there was none). */
export function rawBodyText(req: Request): string {
	const body: unknown = req.body;
	return Buffer.isBuffer(body) ? body.toString('utf8') : '';
}

/** Path and query string of the request as the client sent them, normalised like a URL. */
export function requestTarget(req: Request): { pathname: string; pathAndQuery: string } {
	const url = new URL(req.originalUrl, 'http://sandbox');
	return { pathname: url.pathname, pathAndQuery: url.pathname + url.search };
}
