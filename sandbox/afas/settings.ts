/**
 * The AFAS sandbox's options as callers pass them, and the settings it runs with once every
 * default is filled in and the token is derived.
 */
import { createHash } from 'node:crypto';

import { amsterdamToday } from './data';
import type { NullSemantics } from './query';

/**
 * Options of `startAfasSandbox`. Where AFAS' documentation leaves a behaviour open, the choice is
 * an option here (status of an unknown connector, plain-XML tokens, NULL in negations).
 */
export interface AfasSandboxOptions {
	/** Default 0: the OS picks a free port. */
	port?: number;
	/** Default '127.0.0.1'. */
	host?: string;
	/** Wait added before every answer, in ms; default 0. */
	latencyMs?: number;
	/**
	 * Spread of that wait, in ms (default 0): each answer waits `latencyMs` plus or minus up to
	 * this much (uniform, seeded, never below 0), as a real server's answers vary.
	 */
	latencyJitterMs?: number;
	/**
	 * AFAS' documented limit of parallel calls per token, default 8. Requests above it get a 500
	 * "An unexpected error has occurred.": AFAS documents no 429 and does not say what happens
	 * above the limit. Source: AFAS' developer documentation, troubleshooting page
	 * (https://docs.afas.help).
	 */
	maxConcurrent?: number;
	/** Data generator seed, default 42. Also seeds the per-request row shuffling. */
	seed?: number;
	/** Rows in the employee connectors, default 2500 (more than two pages of 1000). */
	employeeCount?: number;
	/** AFAS environment (member) number, default '12345'. */
	environmentNr?: string;
	/** The token's `<data>` value; default 64 upper-case hex characters derived from seed and environment. */
	tokenData?: string;
	/** "Today" for generated start and end dates (YYYY-MM-DD); default today in Amsterdam. */
	today?: string;
	/**
	 * Plain-XML tokens get a 500, as since Profit 6 (default true); false accepts them (older Profit).
	 * Source: https://help.afas.nl/help/EN/SE/App_Cnr_Rest_Call.htm
	 */
	strictBase64?: boolean;
	/**
	 * Rows without a defined order come in a new order on every request (default true): AFAS
	 * warns that without `orderbyfieldids` the database picks the order, which may change between
	 * calls. Source: https://help.afas.nl/help/EN/SE/App_Cnr_Rest_GET.htm
	 */
	unstableOrder?: boolean;
	/** NULL in comparisons: SQL Server semantics (default) or negations match NULL (unverified). */
	nullSemantics?: NullSemantics;
	/** Gzip 200 responses when the client accepts it, as AFAS does (default true). */
	gzip?: boolean;
	/** Also send the obsolete `X-PROFIT-ERROR: base64(externalMessage)` header on 500s (default false). */
	xProfitErrorHeader?: boolean;
	/** Refuse pages with more than this many cells (columns x rows) with 500 "Out of memory" (default: no limit). */
	maxCells?: number;
	/**
	 * Status for an unknown (or not authorised) connector id: 401 with an empty body (default; AFAS
	 * lists "connector not added to the App Connector" as a 401 cause), 404, or 500 with
	 * "GetConnector not supported for this app or the user is not authorized." (which one AFAS
	 * sends is not documented). Source: https://help.afas.nl/help/NL/SE/120612.htm
	 */
	unknownConnectorStatus?: 401 | 404 | 500;
	/** `info.appName` in `/metainfo`, default 'HR Sync sandbox'. */
	appName?: string;
	/**
	 * Answer every GetConnector call from the first row whatever its `skip`, as a broken server or
	 * proxy would (default false; also `setIgnoreSkip()`).
	 */
	ignoreSkip?: boolean;
	/**
	 * Write decimals in rows without a leading zero (`-.5`, `.25`), as Profit 6 and earlier did
	 * (default false; also `setLegacyNumbers()`). Source: https://docs.afas.help/profit/en/news-profit7
	 */
	legacyNumbers?: boolean;
}

/** A Profit token in the three forms the sandbox hands out. */
export interface AfasToken {
	/** Just the `<data>` part. */
	data: string;
	/** '<token><version>1</version><data>…</data></token>' */
	xml: string;
	/** base64 of `xml` (UTF-8): clients send `Authorization: AfasToken <base64>`. */
	base64: string;
}

/** The options with every default filled in, plus the token; fixed for the sandbox's lifetime. */
export interface AfasSettings {
	readonly port: number;
	readonly host: string;
	/** Initial latency in ms; `AfasState.latencyMs` holds the current one. */
	readonly latencyMs: number;
	/** Initial spread of the latency in ms; `AfasState.latencyJitterMs` holds the current one. */
	readonly latencyJitterMs: number;
	readonly maxConcurrent: number;
	readonly seed: number;
	readonly employeeCount: number;
	readonly environmentNr: string;
	readonly today: string;
	readonly strictBase64: boolean;
	readonly unstableOrder: boolean;
	readonly nullSemantics: NullSemantics;
	readonly gzip: boolean;
	readonly xProfitErrorHeader: boolean;
	/** undefined: no limit. */
	readonly maxCells: number | undefined;
	readonly unknownConnectorStatus: 401 | 404 | 500;
	readonly appName: string;
	/** Initial value; `AfasState.ignoreSkip` holds the current one. */
	readonly ignoreSkip: boolean;
	/** Initial value; `AfasState.legacyNumbers` holds the current one. */
	readonly legacyNumbers: boolean;
	readonly token: AfasToken;
}

/**
 * The token for `<data>` value `data`: the XML Profit generates and its base64 form.
 * Source: https://help.afas.nl/help/EN/SE/App_Cnr_Rest_Call.htm
 */
function profitToken(data: string): AfasToken {
	const xml = `<token><version>1</version><data>${data}</data></token>`;
	return { data, xml, base64: Buffer.from(xml, 'utf8').toString('base64') };
}

/** A stable token per seed and environment, so `npm run sandbox` prints the same one every run. */
function derivedTokenData(environmentNr: string, seed: number): string {
	return createHash('sha256')
		.update(`afas-sandbox:${environmentNr}:${seed}`)
		.digest('hex')
		.toUpperCase();
}

/** Fills in every default of `options` (see `AfasSandboxOptions` for each). */
export function resolveSettings(options: AfasSandboxOptions): AfasSettings {
	const seed = options.seed ?? 42;
	const environmentNr = options.environmentNr ?? '12345';
	return {
		port: options.port ?? 0,
		host: options.host ?? '127.0.0.1',
		latencyMs: options.latencyMs ?? 0,
		latencyJitterMs: options.latencyJitterMs ?? 0,
		maxConcurrent: options.maxConcurrent ?? 8,
		seed,
		employeeCount: options.employeeCount ?? 2500,
		environmentNr,
		today: options.today ?? amsterdamToday(),
		strictBase64: options.strictBase64 ?? true,
		unstableOrder: options.unstableOrder ?? true,
		nullSemantics: options.nullSemantics ?? 'sql',
		gzip: options.gzip ?? true,
		xProfitErrorHeader: options.xProfitErrorHeader ?? false,
		maxCells: options.maxCells,
		unknownConnectorStatus: options.unknownConnectorStatus ?? 401,
		appName: options.appName ?? 'HR Sync sandbox',
		ignoreSkip: options.ignoreSkip ?? false,
		legacyNumbers: options.legacyNumbers ?? false,
		token: profitToken(options.tokenData ?? derivedTokenData(environmentNr, seed)),
	};
}
