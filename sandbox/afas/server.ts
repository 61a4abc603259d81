/**
 * A local AFAS Profit REST server (GetConnectors and metainfo) on loopback, for tests, the bench
 * and `npm run sandbox`, built on express. Where AFAS' documentation leaves a behaviour open,
 * the choice is an option (see `AfasSandboxOptions`).
 *
 * Usage:
 *   const afas = await startAfasSandbox({ employeeCount: 2500 });
 *   fetch(`${afas.url}/connectors/Mobietrain_Employees?skip=0&take=1000&orderbyfieldids=externalId`,
 *         { headers: { Authorization: `AfasToken ${afas.tokenBase64}` } });
 *
 * What it does like AFAS (sources: https://help.afas.nl/help/EN/SE/App_Cnr_Rest_GET.htm,
 * https://help.afas.nl/help/EN/SE/App_Cnr_Rest_Call.htm, https://help.afas.nl/help/NL/SE/120612.htm):
 * - Paths `/ProfitRestServices/{profitversion|metainfo|metainfo/get/{id}|connectors/{id}}`,
 *   case-insensitive (./routes.ts).
 * - `Authorization: AfasToken <base64 of the token XML>`; plain XML after `AfasToken ` -> 500
 *   (Profit 6 enforcement); missing or wrong token -> 401 with an empty body (./middleware.ts).
 * - Query string (from `?`) longer than 2049 characters -> 404.
 * - skip/take defaults 0/100, `skip=-1` = all rows, `take=-1` without `skip=-1` -> 500 (./paging.ts).
 * - Filters in both syntaxes and all 15 operators (./query.ts); unknown field in a filter or
 *   sort -> 500 "Connector field '<id>' not found".
 * - Without `orderbyfieldids` the row order changes on every request (seeded shuffle), and
 *   rows that tie on the sort fields come in a changing order too, as the database gives no
 *   order: a client that pages without a unique sort gets duplicates and gaps. A sort field ID
 *   with a special character must be written `['Cat._result']` (else 500 "General message:
 *   Invalid Index field").
 * - Knobs for faults AFAS or the network can have: fault rules (503, 500, reset, cut-off body),
 *   rows added or removed between two pages of a client's read (`addRowChange`), a server that
 *   ignores skip (`ignoreSkip`), and Profit 6's decimals without a leading zero (`legacyNumbers`).
 * - `{"skip":..,"take":..,"rows":[...]}` compact, `take` echoes the request; dates as
 *   `YYYY-MM-DDTHH:MM:SSZ` with a fake Z; empty values `null`; every column in every row.
 * - 500 bodies `{"externalMessage","errorNumber","profitLogReference"}`, Dutch for
 *   `Accept-Language: nl-nl/nl-be`; 503 with `Retry-After` and AFAS' JSON body (./replies.ts).
 * - More than `maxConcurrent` (8) requests in flight -> 500 "An unexpected error has occurred.":
 *   AFAS documents the limit of 8 parallel calls but not what happens above it, and no 429.
 * - `IntegrationId` is accepted and logged; the Authorization header is never logged.
 *
 * The files: ./settings.ts (options and defaults), ./state.ts (connectors, faults, counters),
 * ./data.ts (generated people and fixture connectors), ./connector.ts (rows in served form),
 * ./paging.ts and ./query.ts (what a call selects), ./middleware.ts and ./routes.ts (express),
 * ./replies.ts and ./respond.ts (what goes back).
 */
import express, { type Express } from 'express';
import { createServer } from 'node:http';

import type { AfasFieldMeta } from './data';
import {
	answerErrors,
	authenticate,
	refuseAboveParallelLimit,
	refuseLongQueryStrings,
	trackRequests,
} from './middleware';
import { closeServer, listen } from '../listen';
import { notFoundReply } from './replies';
import { deliveryFor, type AfasResponse } from './respond';
import { BASE_PATH, afasRoutes } from './routes';
import { resolveSettings, type AfasSandboxOptions, type AfasSettings } from './settings';
import { AfasState, type AfasFaultRule, type AfasRowChangeRule, type AfasStats } from './state';

export type { AfasFieldMeta } from './data';
export type { AfasDataType, NullSemantics } from './query';
export type { AfasSandboxOptions } from './settings';
export type {
	AfasFault,
	AfasFaultRule,
	AfasRequestLogEntry,
	AfasRowChange,
	AfasRowChangeRule,
	AfasStats,
} from './state';
export { AFAS_CONNECTOR_IDS, MOBIETRAIN_FIELDS } from './data';

/** A running AFAS sandbox: its URL and token, and knobs for tests. */
export interface AfasSandbox {
	/** API server URL as AFAS shows it, e.g. 'http://127.0.0.1:PORT/ProfitRestServices'. */
	url: string;
	/** '<token><version>1</version><data>…</data></token>' */
	tokenXml: string;
	/** Just the `<data>` part. */
	tokenData: string;
	/** base64 of tokenXml: send `Authorization: AfasToken <tokenBase64>`. */
	tokenBase64: string;
	environmentNr: string;
	/** The date the generated data is relative to (YYYY-MM-DD). */
	today: string;
	/** Adds a fault rule (see `AfasFaultRule`) after the existing ones. */
	addFault(rule: AfasFaultRule): void;
	/**
	 * Adds a row change made while a client pages (see `AfasRowChangeRule`): a row deleted or
	 * inserted after `afterCalls` calls to the connector, so later pages shift.
	 */
	addRowChange(rule: AfasRowChangeRule): void;
	/** Drops pending fault rules and row changes. */
	clearFaults(): void;
	/** From now on, answer every GetConnector call from the first row whatever its skip (on) or not. */
	setIgnoreSkip(on: boolean): void;
	/**
	 * From now on, answer every GetConnector call with at most `rows` rows whatever its take, as a
	 * server or proxy that caps pages would (undefined: no cap).
	 */
	setMaxTake(rows: number | undefined): void;
	/** From now on, write decimals in rows as Profit 6 did (`-.5`, on) or as JSON (`-0.5`). */
	setLegacyNumbers(on: boolean): void;
	/** Wait added before every answer from now on, in ms, plus or minus up to `jitterMs` (default 0). */
	setLatency(ms: number, jitterMs?: number): void;
	/**
	 * Replaces (or defines) a connector's rows. Without `fields`, an existing connector keeps its
	 * fields and a new one gets fields inferred from the rows. Rows are normalised to the served
	 * form: dates 'YYYY-MM-DD' become 'YYYY-MM-DDT00:00:00Z', '' and undefined become null.
	 * Throws when a row has a key that is not a field or a value that does not fit its type.
	 */
	setRows(
		connectorId: string,
		rows: Array<Record<string, unknown>>,
		fields?: AfasFieldMeta[],
	): void;
	/** The connector's rows as served (copies), in storage order. Throws for an unknown connector. */
	getRows(connectorId: string): Array<Record<string, unknown>>;
	/** The connector's metainfo fields (copies). Throws for an unknown connector. */
	getFields(connectorId: string): AfasFieldMeta[];
	/** Flags a connector definition as blocked (AFAS' Fair Use block): calls get a 500. */
	setBlocked(connectorId: string, blocked: boolean): void;
	/** Request counters since the last reset, and a copy of the request log. */
	stats(): AfasStats;
	resetStats(): void;
	/** Stops the server, dropping open connections. */
	close(): Promise<void>;
}

/**
 * The express app: the middleware in `./middleware.ts` in order, the routes under
 * `/ProfitRestServices`, a 404 for anything else and the error handler. Express adds nothing of
 * its own: no `X-Powered-By`, no ETag, and no query parsing (the raw URL is read instead).
 */
function createAfasApp(state: AfasState, settings: AfasSettings): Express {
	const app = express();
	app.disable('x-powered-by');
	app.set('etag', false);
	app.set('query parser', false);
	const deliver = deliveryFor(state, settings);
	app.use(trackRequests(state));
	app.use(refuseLongQueryStrings(deliver));
	app.use(authenticate(settings, deliver));
	app.use(refuseAboveParallelLimit(state, settings, deliver));
	app.use(afasRoutes({ state, settings, deliver }));
	app.use((req, res: AfasResponse) => deliver(req, res, notFoundReply()));
	app.use(answerErrors(settings, deliver));
	return app;
}

/**
 * Starts an AFAS sandbox on loopback with generated fixture connectors (see ./data.ts) and
 * resolves when it listens. Rejects when the port is taken.
 */
export async function startAfasSandbox(options: AfasSandboxOptions = {}): Promise<AfasSandbox> {
	const settings = resolveSettings(options);
	const state = new AfasState(settings);
	const server = createServer(createAfasApp(state, settings));
	const port = await listen(server, settings.port, settings.host);
	return {
		url: `http://${settings.host}:${port}${BASE_PATH}`,
		tokenXml: settings.token.xml,
		tokenData: settings.token.data,
		tokenBase64: settings.token.base64,
		environmentNr: settings.environmentNr,
		today: settings.today,
		addFault: (rule) => state.addFault(rule),
		addRowChange: (rule) => state.addRowChange(rule),
		clearFaults: () => state.clearFaults(),
		setIgnoreSkip(on) {
			state.ignoreSkip = on;
		},
		setMaxTake(rows) {
			state.maxTake = rows;
		},
		setLegacyNumbers(on) {
			state.legacyNumbers = on;
		},
		setLatency(ms, jitterMs = 0) {
			state.latencyMs = ms;
			state.latencyJitterMs = jitterMs;
		},
		setRows: (connectorId, rows, fields) => state.setRows(connectorId, rows, fields),
		getRows: (connectorId) => state.requireConnector(connectorId).rows.map((row) => ({ ...row })),
		getFields: (connectorId) =>
			state.requireConnector(connectorId).fields.map((field) => ({ ...field })),
		setBlocked(connectorId, blocked) {
			state.requireConnector(connectorId).blocked = blocked;
		},
		stats: () => state.stats(),
		resetStats: () => state.resetStats(),
		close: () => closeServer(server),
	};
}
