/**
 * The answers the AFAS sandbox sends, built as plain values (status, headers, body) and written
 * out in one place, with AFAS' response headers and optional gzip.
 *
 * AFAS' status codes and error bodies: 401 with an empty body for a missing or wrong token, 404
 * for an unknown URL or a query string over 2049 characters, 500 with `externalMessage`,
 * `errorNumber` and `profitLogReference` for functional errors, 503 with `Retry-After` during
 * maintenance. Sources: https://help.afas.nl/help/NL/SE/120612.htm and
 * https://help.afas.nl/help/EN/SE/App_Cnr_Rest_GET.htm
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';

import type { AfasSettings } from './settings';

/** An answer to send: status, headers and body. */
export interface Reply {
	status: number;
	headers: Record<string, string>;
	/** A list of buffers is sent one after the other, so a page needs no copy into one buffer. */
	body: Buffer | Buffer[];
	/** Gzip when the client accepts it (successful JSON answers only). */
	compressible?: boolean;
}

/** Closing the connection without an answer, as a network reset does. */
export const RESET = 'reset';

/** What a request ends with: a reply, or a reset connection. */
export type Outcome = Reply | typeof RESET;

/** A user-facing error text in the two languages the sandbox speaks. */
export interface LocalisedMessage {
	en: string;
	nl: string;
}

/** `errorNumber` of AFAS' generic "unexpected error". */
const ERROR_GENERIC = -2147180999;
/** `errorNumber` of AFAS' functional errors ("General message", unknown field, blocked). */
export const ERROR_FUNCTIONAL = -2147180996;

/** AFAS' error texts for the errors the sandbox produces itself. */
export const MESSAGES = {
	unexpected: {
		en: 'An unexpected error has occurred.',
		nl: 'Er is een onverwachte fout opgetreden.',
	},
	blocked: {
		en: 'This GetConnector (definition) is blocked',
		nl: 'This GetConnector (definition) is blocked',
	},
	notAuthorised: {
		en: 'GetConnector not supported for this app or the user is not authorized.',
		nl: 'GetConnector not supported for this app or the user is not authorized.',
	},
	outOfMemory: { en: 'Out of memory', nl: 'Out of memory' },
} satisfies Record<string, LocalisedMessage>;

/** Headers AFAS sends on every answer. */
const COMMON_HEADERS = {
	'Cache-Control': 'no-store, no-cache',
	'X-Content-Type-Options': 'nosniff',
	'X-Frame-Options': 'deny',
	'Access-Control-Allow-Origin': '*',
};

const JSON_TYPE = 'application/json; charset=utf-8';
const END_OF_ROWS = Buffer.from(']}');
/** Answers smaller than this are sent uncompressed even to gzip clients, in bytes. */
const GZIP_THRESHOLD = 1024;

/** A 200 with `body` as JSON. */
export function jsonReply(body: unknown): Reply {
	return {
		status: 200,
		headers: { 'Content-Type': JSON_TYPE },
		body: Buffer.from(JSON.stringify(body)),
		compressible: true,
	};
}

/** A 200 with `body` as it is, labelled JSON (whether or not it is). */
export function rawJsonReply(body: string): Reply {
	return { status: 200, headers: { 'Content-Type': JSON_TYPE }, body: Buffer.from(body) };
}

/**
 * A GetConnector page: the same bytes as `JSON.stringify({ skip, take, rows })`, around rows
 * already serialised (`rowsJson` is the rows' JSON, comma-separated).
 */
export function pageReply(skip: number, take: number, rowsJson: Buffer): Reply {
	const head = Buffer.from(
		`{"skip":${JSON.stringify(skip)},"take":${JSON.stringify(take)},"rows":[`,
	);
	return {
		status: 200,
		headers: { 'Content-Type': JSON_TYPE },
		body: [head, rowsJson, END_OF_ROWS],
		compressible: true,
	};
}

/**
 * AFAS' 500: `{ externalMessage, errorNumber, profitLogReference }`, the message in Dutch for
 * `Accept-Language: nl-nl` or `nl-be`, a fresh 32-hex-digit log reference, and with
 * `xProfitErrorHeader` also the obsolete `X-PROFIT-ERROR` header (base64 of the message).
 */
export function afasErrorReply(
	settings: AfasSettings,
	req: IncomingMessage,
	message: LocalisedMessage | string,
	errorNumber = ERROR_GENERIC,
): Reply {
	const dutch = /^nl-(nl|be)\b/i.test(String(req.headers['accept-language'] ?? ''));
	const externalMessage = typeof message === 'string' ? message : dutch ? message.nl : message.en;
	const profitLogReference = randomBytes(16).toString('hex').toUpperCase();
	const headers: Record<string, string> = { 'Content-Type': JSON_TYPE };
	if (settings.xProfitErrorHeader)
		headers['X-PROFIT-ERROR'] = Buffer.from(externalMessage, 'utf8').toString('base64');
	return {
		status: 500,
		headers,
		body: Buffer.from(JSON.stringify({ externalMessage, errorNumber, profitLogReference })),
	};
}

/** 401 as AFAS' OpenAPI shows it: no body, Content-Length 0, an XML content type. */
export function unauthorisedReply(): Reply {
	return {
		status: 401,
		headers: { 'Content-Type': 'application/xml; charset=utf-8' },
		body: Buffer.alloc(0),
	};
}

/** The web server's HTML 404. */
export function notFoundReply(): Reply {
	return {
		status: 404,
		headers: { 'Content-Type': 'text/html' },
		body: Buffer.from('<h1>404 - Not Found</h1>'),
	};
}

/**
 * An unknown or not authorised connector, as `settings.unknownConnectorStatus` says: 401 (the
 * default), 404, or 500 "GetConnector not supported for this app or the user is not authorized."
 */
export function unknownConnectorReply(settings: AfasSettings, req: IncomingMessage): Reply {
	if (settings.unknownConnectorStatus === 404) return notFoundReply();
	if (settings.unknownConnectorStatus === 500)
		return afasErrorReply(settings, req, MESSAGES.notAuthorised, ERROR_FUNCTIONAL);
	return unauthorisedReply();
}

/** AFAS' maintenance 503: `Retry-After` in seconds and the same value in the JSON body. */
export function maintenanceReply(retryAfterSeconds: number): Reply {
	const body = {
		error: {
			code: '503',
			message:
				'Service temporarily unavailable due to scheduled maintenance. Please check afasstatus.nl for details.',
		},
		retry_after: retryAfterSeconds,
	};
	return {
		status: 503,
		headers: { 'Content-Type': JSON_TYPE, 'Retry-After': String(retryAfterSeconds) },
		body: Buffer.from(JSON.stringify(body)),
	};
}

/** A sandbox bug, not AFAS behaviour: a plain-text 500 that says so. */
export function internalErrorReply(error: unknown): Reply {
	return {
		status: 500,
		headers: { 'Content-Type': 'text/plain' },
		body: Buffer.from(`AFAS sandbox internal error: ${String(error)}`),
	};
}

/**
 * A broken transfer: the whole body of `reply`, uncompressed and cut in half (possibly inside a
 * UTF-8 sequence), sent as a complete 200 JSON answer.
 */
export function truncatedReply(reply: Reply): Reply {
	const full = Array.isArray(reply.body) ? Buffer.concat(reply.body) : reply.body;
	return {
		status: 200,
		headers: { 'Content-Type': JSON_TYPE },
		body: full.subarray(0, Math.floor(full.length / 2)),
	};
}

/**
 * Writes `reply` with AFAS' common headers and an exact Content-Length; gzipped (with
 * `Vary: Accept-Encoding`) when `gzip` is on, the reply is compressible, the client accepts
 * gzip and the body is over 1 KiB.
 */
export function writeReply(
	req: IncomingMessage,
	res: ServerResponse,
	reply: Reply,
	gzip: boolean,
): void {
	let chunks = Array.isArray(reply.body) ? reply.body : [reply.body];
	let length = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
	const headers: Record<string, string> = { ...COMMON_HEADERS, ...reply.headers };
	const acceptsGzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
	if (gzip && acceptsGzip && reply.compressible && length > GZIP_THRESHOLD) {
		const compressed = gzipSync(Buffer.concat(chunks));
		chunks = [compressed];
		length = compressed.length;
		headers['Content-Encoding'] = 'gzip';
		headers.Vary = 'Accept-Encoding';
	}
	headers['Content-Length'] = String(length);
	res.writeHead(reply.status, headers);
	for (const chunk of chunks.slice(0, -1)) res.write(chunk);
	res.end(chunks[chunks.length - 1]);
}
