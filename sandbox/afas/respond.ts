/**
 * What the AFAS sandbox knows about a request while express passes it along (kept on
 * `res.locals`), and how a request's outcome reaches the client: after the configured latency,
 * cut in half for a pending truncation fault, or as a reset connection.
 */
import type { Request, Response } from 'express';

import { RESET, truncatedReply, writeReply, type Outcome } from './replies';
import type { AfasSettings } from './settings';
import type { AfasRequestLogEntry, AfasState, ConnectorCall } from './state';

/** Per-request values on `res.locals`, set by the first middleware (`trackRequests`). */
export interface AfasLocals {
	/** This request's log entry; its status is filled in when the answer goes out. */
	entry: AfasRequestLogEntry;
	/** Query parameters by lower-cased name, the first one winning for a repeated name. */
	parameters: Map<string, string>;
	/** Set for `/connectors/{id}` calls, whatever the method (fault rules match on it). */
	connectorCall?: ConnectorCall;
	/** A truncation fault is pending: the answer goes out cut in half. */
	truncate?: boolean;
}

/** The response type of every sandbox handler. */
export type AfasResponse = Response<unknown, AfasLocals>;

/** Sends an outcome, at once or (with latency) when the returned promise resolves. */
export type Deliver = (req: Request, res: AfasResponse, outcome: Outcome) => void | Promise<void>;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The one way the sandbox answers: waits the current latency, with its spread (also before a reset or an
 * error, as a slow server would), applies a pending truncation, records the status in the log
 * entry, and writes the reply; a reset destroys the socket and leaves the logged status 0.
 * Without latency it answers synchronously (no promise per request).
 */
export function deliveryFor(state: AfasState, settings: AfasSettings): Deliver {
	const send = (req: Request, res: AfasResponse, outcome: Outcome): void => {
		if (outcome === RESET) {
			req.socket.destroy();
			return;
		}
		const reply = res.locals.truncate ? truncatedReply(outcome) : outcome;
		res.locals.entry.status = reply.status;
		writeReply(req, res, reply, settings.gzip);
	};
	return (req, res, outcome) => {
		const latencyMs = state.nextLatencyMs();
		if (latencyMs > 0) return sleep(latencyMs).then(() => send(req, res, outcome));
		return send(req, res, outcome);
	};
}
