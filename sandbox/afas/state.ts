/**
 * What the AFAS sandbox remembers between requests: the connectors and their rows, the fault
 * rules still to fire, the current latency, and the request counters and log.
 */
import {
	createConnector,
	inferFields,
	type Connector,
	type ConnectorDefinition,
} from './connector';
import { buildConnectors, completeFieldMeta, generatePeople, type AfasFieldMeta } from './data';
import { createRng } from '../random';
import type { AfasSettings } from './settings';

/**
 * A failure the sandbox sends instead of the normal answer; `body` is a 200 with a JSON content
 * type and exactly this body, for answers no other knob gives.
 */
export type AfasFault =
	| { kind: 'status503'; retryAfterSeconds?: number }
	| { kind: 'status500'; externalMessage?: string }
	| { kind: 'reset' }
	| { kind: 'truncated' }
	| { kind: 'body'; body: string };

/**
 * A fault fires instead of the normal answer for requests that match: `connectorId` (any request
 * when unset; otherwise only `GET /connectors/{connectorId}`, case-insensitively) and `skip` (any
 * when unset; the parsed skip of a connector call otherwise). It fires `times` times (default 1),
 * then is gone. Rules are tried in the order they were added.
 */
export interface AfasFaultRule {
	fault: AfasFault;
	connectorId?: string;
	skip?: number;
	times?: number;
}

/** One request as the sandbox logged it (the Authorization header is never logged). */
export interface AfasRequestLogEntry {
	method: string;
	/** The raw path, e.g. '/ProfitRestServices/connectors/Mobietrain_Employees'. */
	path: string;
	/** Query parameters as sent (the last one wins for a repeated name). */
	query: Record<string, string>;
	/** 0 when the connection was reset without a response. */
	status: number;
	/** The `IntegrationId` header, when sent. */
	integrationId?: string;
}

/** Request counters as `AfasSandbox.stats()` reports them. */
export interface AfasStats {
	requests: number;
	/** Most requests in flight at once since the last reset. */
	maxInFlight: number;
	log: AfasRequestLogEntry[];
}

/** A GetConnector call as fault rules see it; undefined for other requests. */
export interface ConnectorCall {
	connectorId: string;
	skip: number;
}

interface PendingFault extends AfasFaultRule {
	remaining: number;
}

/** A row added to or removed from a connector, by its index in storage order. */
export type AfasRowChange =
	| { kind: 'delete'; /** Default 0: the first row stored. */ index?: number }
	| { kind: 'insert'; row: Record<string, unknown>; /** Default 0. */ index?: number };

/**
 * Rows that change while a client pages, as they do in a Profit environment in use: `change` is
 * made before a GetConnector call to `connectorId` (case-insensitively) is served, once
 * `afterCalls` calls to it have been served since the rule was added, and then before each
 * following call, `times` times in all (default 1). With one request at a time, `afterCalls: 1`
 * changes the rows between page 1 and page 2.
 */
export interface AfasRowChangeRule {
	connectorId: string;
	afterCalls: number;
	change: AfasRowChange;
	times?: number;
}

interface PendingRowChange extends AfasRowChangeRule {
	/** Calls to the connector still to serve before the first change. */
	callsBefore: number;
	remaining: number;
}

/** The sandbox's mutable state; one per running sandbox. */
export class AfasState {
	/** Wait before every answer, in ms. */
	latencyMs: number;
	/** Spread of that wait, in ms: each answer waits latencyMs ± up to this much. */
	latencyJitterMs: number;
	/** Source of the latency spread (seeded). */
	readonly jitterRandom: () => number;
	/** Row order source for unstable orders; undefined when rows keep their order. */
	readonly shuffleRandom: (() => number) | undefined;
	/** Answer every GetConnector call from the first row, whatever its skip (a broken server or proxy). */
	ignoreSkip: boolean;
	/** Write decimals without a leading zero (`-.5`), as Profit before version 7 did. */
	legacyNumbers: boolean;
	/**
	 * Most rows one GetConnector call returns, whatever its take (a server or proxy that caps
	 * pages); undefined: no cap.
	 */
	maxTake: number | undefined = undefined;
	private readonly connectors = new Map<string, Connector>();
	private faults: PendingFault[] = [];
	private rowChanges: PendingRowChange[] = [];
	private requests = 0;
	private inFlight = 0;
	private maxInFlight = 0;
	private log: AfasRequestLogEntry[] = [];

	/** Generates the fixture people and connectors for the settings' seed, count and date. */
	constructor(settings: AfasSettings) {
		this.latencyMs = settings.latencyMs;
		this.latencyJitterMs = settings.latencyJitterMs;
		this.jitterRandom = createRng(settings.seed ^ 0x1a7e);
		this.ignoreSkip = settings.ignoreSkip;
		this.legacyNumbers = settings.legacyNumbers;
		// Its own seeded stream, so data generation does not depend on it.
		this.shuffleRandom = settings.unstableOrder ? createRng(settings.seed ^ 0x5eed) : undefined;
		const people = generatePeople({
			seed: settings.seed,
			employeeCount: settings.employeeCount,
			today: settings.today,
		});
		for (const fixture of buildConnectors(people, settings.today)) {
			this.connectors.set(fixture.id, createConnector({ ...fixture, blocked: false }));
		}
	}

	/** Connectors in the order they were first defined. */
	listConnectors(): Connector[] {
		return [...this.connectors.values()];
	}

	/** A connector by id: exact first, then case-insensitively (as AFAS matches paths). */
	findConnector(id: string): Connector | undefined {
		const lowerCase = id.toLowerCase();
		return (
			this.connectors.get(id) ??
			this.listConnectors().find((connector) => connector.id.toLowerCase() === lowerCase)
		);
	}

	/** Like findConnector; throws an Error listing the known connectors when there is none. */
	requireConnector(id: string): Connector {
		const connector = this.findConnector(id);
		if (!connector)
			throw new Error(
				`The AFAS sandbox has no connector '${id}'; known: ${[...this.connectors.keys()].join(', ')}`,
			);
		return connector;
	}

	/**
	 * Replaces (or defines) a connector's rows. Without `fields`, an existing connector keeps its
	 * fields and a new one gets fields inferred from the rows. Throws when a row does not fit.
	 */
	setRows(
		connectorId: string,
		rows: Array<Record<string, unknown>>,
		fields?: AfasFieldMeta[],
	): void {
		const existing = this.connectors.get(connectorId);
		const definition: ConnectorDefinition = {
			id: connectorId,
			description: existing?.description ?? connectorId,
			fields: fields ? completeFieldMeta(fields) : (existing?.fields ?? inferFields(rows)),
			rows,
			blocked: existing?.blocked ?? false,
		};
		this.connectors.set(connectorId, createConnector(definition));
	}

	/** Adds a fault rule after the existing ones. */
	addFault(rule: AfasFaultRule): void {
		this.faults.push({ ...rule, remaining: rule.times ?? 1 });
	}

	/** Drops the pending fault rules and row changes. */
	clearFaults(): void {
		this.faults = [];
		this.rowChanges = [];
	}

	/** Adds a row change rule (see AfasRowChangeRule). */
	addRowChange(rule: AfasRowChangeRule): void {
		this.rowChanges.push({ ...rule, callsBefore: rule.afterCalls, remaining: rule.times ?? 1 });
	}

	/**
	 * Counts a GetConnector call about to be served and first makes the row changes that are due
	 * for its connector. Throws when a change does not fit the connector (see setRows).
	 */
	beforeConnectorCall(connectorId: string): void {
		const lowerCase = connectorId.toLowerCase();
		for (const rule of this.rowChanges) {
			if (rule.connectorId.toLowerCase() !== lowerCase || rule.remaining <= 0) continue;
			if (rule.callsBefore > 0) {
				rule.callsBefore--;
				continue;
			}
			rule.remaining--;
			this.changeRows(this.requireConnector(rule.connectorId), rule.change);
		}
		this.rowChanges = this.rowChanges.filter((rule) => rule.remaining > 0);
	}

	/** Makes one row change (the connector is replaced, as setRows does). */
	private changeRows(connector: Connector, change: AfasRowChange): void {
		const rows = [...connector.rows];
		const index = Math.min(change.index ?? 0, rows.length);
		if (change.kind === 'delete') rows.splice(index, 1);
		else rows.splice(index, 0, change.row);
		this.setRows(connector.id, rows, connector.fields);
	}

	/** The first rule matching this request, counted down (and dropped when used up). */
	takeFault(call: ConnectorCall | undefined): AfasFault | undefined {
		const rule = this.faults.find(
			(candidate) =>
				candidate.remaining > 0 &&
				(candidate.connectorId === undefined ||
					(call !== undefined &&
						candidate.connectorId.toLowerCase() === call.connectorId.toLowerCase())) &&
				(candidate.skip === undefined || (call !== undefined && candidate.skip === call.skip)),
		);
		if (!rule) return undefined;
		rule.remaining--;
		this.faults = this.faults.filter((candidate) => candidate.remaining > 0);
		return rule.fault;
	}

	/** The wait before the next answer, in ms: latencyMs ± up to latencyJitterMs, never below 0. */
	nextLatencyMs(): number {
		const spread = (this.jitterRandom() * 2 - 1) * this.latencyJitterMs;
		return Math.max(0, this.latencyMs + spread);
	}

	/** Counts a request that arrived and logs it; call `requestEnded` when its connection closes. */
	requestStarted(entry: AfasRequestLogEntry): void {
		this.requests++;
		this.inFlight++;
		this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
		this.log.push(entry);
	}

	requestEnded(): void {
		this.inFlight--;
	}

	/** Requests whose response has not closed yet, this one included. */
	requestsInFlight(): number {
		return this.inFlight;
	}

	/** Counters and a copy of the log. */
	stats(): AfasStats {
		return {
			requests: this.requests,
			maxInFlight: this.maxInFlight,
			log: this.log.map((entry) => ({ ...entry, query: { ...entry.query } })),
		};
	}

	/** Zeroes the counters and the log; requests still in flight count towards the new peak. */
	resetStats(): void {
		this.requests = 0;
		this.maxInFlight = this.inFlight;
		this.log = [];
	}
}
