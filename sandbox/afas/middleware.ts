/**
 * The express middleware every AFAS sandbox request passes before its route, in this order:
 * count and log it, refuse an over-long query string, check the token, and refuse calls above
 * the parallel limit. The routes (./routes.ts) put the fault rules in front of their answers.
 * Last comes the error handler that turns a refused query into AFAS' 500.
 */
import type { NextFunction, Request } from 'express';

import { parseSkip } from './paging';
import { AfasQueryError } from './query';
import {
	ERROR_FUNCTIONAL,
	MESSAGES,
	RESET,
	afasErrorReply,
	internalErrorReply,
	maintenanceReply,
	notFoundReply,
	rawJsonReply,
	unauthorisedReply,
	type Reply,
} from './replies';
import type { AfasResponse, Deliver } from './respond';
import type { AfasSettings } from './settings';
import type { AfasRequestLogEntry, AfasState } from './state';

/**
 * AFAS' limit on the query string (from `?` on, `?` included), in characters; a longer one gets
 * a 404. Source: https://help.afas.nl/help/EN/SE/App_Cnr_Rest_GET.htm
 */
export const MAX_QUERY_LENGTH = 2049;

/** An express middleware of the sandbox (its response carries `AfasLocals`). */
type AfasHandler = (req: Request, res: AfasResponse, next: NextFunction) => void | Promise<void>;

/** An express error handler of the sandbox. */
type AfasErrorHandler = (
	error: unknown,
	req: Request,
	res: AfasResponse,
	next: NextFunction,
) => void | Promise<void>;

/**
 * Query parameters by lower-cased name, the first one winning for a repeated name. AFAS'
 * documentation writes them in lower case; whether it matches them case-insensitively is not
 * documented, so the sandbox is lenient.
 */
function queryParameters(url: URL): Map<string, string> {
	const parameters = new Map<string, string>();
	for (const [name, value] of url.searchParams) {
		const key = name.toLowerCase();
		if (!parameters.has(key)) parameters.set(key, value);
	}
	return parameters;
}

/**
 * Counts the request (and its connection as in flight until it closes), logs it without the
 * Authorization header, and reads its query parameters from the raw URL with URLSearchParams.
 */
export function trackRequests(state: AfasState): AfasHandler {
	return (req, res, next) => {
		const url = new URL(req.originalUrl, 'http://sandbox');
		const entry: AfasRequestLogEntry = {
			method: req.method,
			path: url.pathname,
			query: Object.fromEntries(url.searchParams),
			status: 0,
		};
		const integrationId = req.headers.integrationid;
		if (typeof integrationId === 'string') entry.integrationId = integrationId;
		state.requestStarted(entry);
		res.on('close', () => state.requestEnded());
		// GetConnector calls carry no body; drain whatever comes.
		req.resume();
		res.locals.entry = entry;
		res.locals.parameters = queryParameters(url);
		return next();
	};
}

/** 404 for a raw query string over MAX_QUERY_LENGTH, checked before anything else (as IIS does). */
export function refuseLongQueryStrings(deliver: Deliver): AfasHandler {
	return (req, res, next) => {
		const raw = req.originalUrl;
		const queryStart = raw.indexOf('?');
		if (queryStart >= 0 && raw.length - queryStart > MAX_QUERY_LENGTH)
			return deliver(req, res, notFoundReply());
		return next();
	};
}

/**
 * Why the Authorization header is refused, or undefined when it carries the sandbox's token.
 * Accepted: `AfasToken <base64 of the token XML>`; the plain XML after `AfasToken ` gets a 500
 * since Profit 6 (a 401 or an accept with `strictBase64` off); anything else gets a 401 with an
 * empty body. Source: https://help.afas.nl/help/EN/SE/App_Cnr_Rest_Call.htm
 */
function tokenRefusal(settings: AfasSettings, req: Request): Reply | undefined {
	const header = req.headers.authorization;
	if (!header || !header.startsWith('AfasToken ')) return unauthorisedReply();
	const credential = header.slice('AfasToken '.length).trim();
	if (credential.startsWith('<')) {
		if (settings.strictBase64) return afasErrorReply(settings, req, MESSAGES.unexpected);
		return credential === settings.token.xml ? undefined : unauthorisedReply();
	}
	if (!/^[A-Za-z0-9+/]+={0,2}$/.test(credential)) return unauthorisedReply();
	return Buffer.from(credential, 'base64').toString('utf8') === settings.token.xml
		? undefined
		: unauthorisedReply();
}

/** Lets through only requests with the sandbox's token (see tokenRefusal). */
export function authenticate(settings: AfasSettings, deliver: Deliver): AfasHandler {
	return (req, res, next) => {
		const refusal = tokenRefusal(settings, req);
		if (refusal) return deliver(req, res, refusal);
		return next();
	};
}

/**
 * AFAS allows 8 parallel calls and does not document what happens above that; the sandbox
 * answers the generic 500 to requests above `maxConcurrent` in flight (this one included).
 */
export function refuseAboveParallelLimit(
	state: AfasState,
	settings: AfasSettings,
	deliver: Deliver,
): AfasHandler {
	return (req, res, next) => {
		if (state.requestsInFlight() > settings.maxConcurrent)
			return deliver(req, res, afasErrorReply(settings, req, MESSAGES.unexpected));
		return next();
	};
}

/** For the `/connectors/:connectorId` route: notes the connector and skip, for fault rules. */
export function noteConnectorCall(
	req: Request<{ connectorId: string }>,
	res: AfasResponse,
	next: NextFunction,
): void {
	res.locals.connectorCall = {
		connectorId: req.params.connectorId,
		skip: parseSkip(res.locals.parameters.get('skip')),
	};
	next();
}

/**
 * Fires the first fault rule that matches the request, instead of its normal answer: a reset
 * connection, AFAS' 500 or 503, (truncated) the normal answer cut in half, or a 200 with a
 * given body.
 */
export function injectFaults(
	state: AfasState,
	settings: AfasSettings,
	deliver: Deliver,
): AfasHandler {
	return (req, res, next) => {
		const fault = state.takeFault(res.locals.connectorCall);
		if (!fault) return next();
		switch (fault.kind) {
			case 'reset':
				return deliver(req, res, RESET);
			case 'status500':
				return deliver(
					req,
					res,
					afasErrorReply(settings, req, fault.externalMessage ?? MESSAGES.unexpected),
				);
			case 'status503':
				return deliver(req, res, maintenanceReply(fault.retryAfterSeconds ?? 1));
			case 'truncated':
				res.locals.truncate = true;
				return next();
			case 'body':
				return deliver(req, res, rawJsonReply(fault.body));
		}
	};
}

/**
 * Errors thrown by routes: a query AFAS would refuse (unknown field: "Connector field '<id>' not
 * found"; an unwritten special sort ID: "General message: Invalid Index field"; anything else
 * malformed: the generic message) gets AFAS' 500; anything else is a
 * sandbox bug and gets a plain-text 500 saying so.
 */
export function answerErrors(settings: AfasSettings, deliver: Deliver): AfasErrorHandler {
	return (error, req, res, _next) => {
		if (res.headersSent) {
			req.socket.destroy();
			return;
		}
		if (error instanceof AfasQueryError) {
			const reply =
				error.kind === 'generic'
					? afasErrorReply(settings, req, MESSAGES.unexpected)
					: afasErrorReply(settings, req, error.message, ERROR_FUNCTIONAL);
			return deliver(req, res, reply);
		}
		res.locals.truncate = false;
		return deliver(req, res, internalErrorReply(error));
	};
}
