/** The options and the handle of a running HiBob sandbox (see `startHiBobSandbox`). */
import type { NewEmployee } from './data';
import type { LifecycleState, StoredEmployee } from './model';
import type { ServiceUser } from './state/access';
import type { HiBobFaultRule, SearchOrder } from './state/faults';
import type { Termination } from './state/company';
import type { RequestLogEntry } from './state/stats';
import type {
	BobEnvelope,
	BobEvent,
	Delivery,
	DeliveryAttempt,
	DeliveryOptions,
	DeliveryResult,
	RegisteredWebhook,
} from './webhooks';

/**
 * Options of `startHiBobSandbox`. Defaults give HiBob's documented behaviour; the switches pick
 * a side where HiBob's documentation leaves a behaviour open.
 */
export interface HiBobSandboxOptions {
	/** Port on `host` (default 0: the OS picks a free one). */
	port?: number;
	/** Default 127.0.0.1. */
	host?: string;
	/** Seed of the generated company (default 42). */
	seed?: number;
	/** ISO date-time of the settable clock (default: the real time at start). */
	now?: string;
	/** Requests per window per service user (default 50). */
	rateLimitPerMinute?: number;
	/** Length of the rate-limit window (default 60 000 ms; tests shorten it). */
	rateLimitWindowMs?: number;
	/** Delay before every API answer, in ms (default 0). */
	latencyMs?: number;
	/** People in the company (default 40). */
	employeeCount?: number;
	/** The default service user's ID (default SERVICE-SANDBOX). */
	serviceUserId?: string;
	/** The default service user's token (default sandbox-service-user-token). */
	token?: string;
	/** Secret for webhooks registered without one and for `emitWebhook` (default mock-webhook-secret). */
	webhookSecret?: string;
	/** Extra service users (for permission tests). */
	serviceUsers?: ServiceUser[];
	/** Body of a 401: HiBob's is not documented (reported empty). */
	unauthorizedBody?: 'empty' | 'json';
	/** Send Retry-After on 429 (HiBob does not document it; default off). */
	retryAfter?: boolean;
	/** Accept `filters: []`, `null` or `{}` as "no filter" instead of answering 400. */
	lenientFilters?: boolean;
	/** Accept humanReadable in any case ("append"). */
	humanReadableCaseInsensitive?: boolean;
	/** Machine casing of internal.lifecycleStatus (not documented; lowercase seen in client code). */
	lifecycleCase?: 'lower' | 'title';
	/** Human-readable date format (default DD/MM/YYYY). */
	humanReadableDateFormat?: 'DD/MM/YYYY' | 'MM/DD/YYYY' | 'ISO';
	/** Answer unknown paths with 200 text/html as HiBob does (default true), or 404. */
	htmlForUnknownPaths?: boolean;
	/** Status for the switched-off GET /people endpoints (default 410). */
	deprecatedStatus?: 404 | 410;
	/** Block an Authorization header after 50 answers 401/403 within 10 s (default true). */
	waf?: boolean;
	/** Sign the Ping test (not documented; default false). */
	signPing?: boolean;
	/** Shape of `fieldUpdates` in employee.updated (not documented; default 'ids'). */
	fieldUpdatesShape?: 'ids' | 'objects';
	/** Waits before each webhook retry, in ms (default 100, 1000, 2000, 4000, 8000, 16000). */
	webhookRetryDelaysMs?: number[];
	/** How long one webhook delivery may take, in ms (default 10 000). */
	webhookTimeoutMs?: number;
	/** Deliver every registered-webhook event twice. */
	duplicateDeliveries?: boolean;
	/**
	 * Order of `POST /people/search` results: as stored (default), or shuffled anew on every call
	 * (HiBob does not document an order). The shuffles follow `seed`.
	 */
	searchOrder?: SearchOrder;
}

/** A running HiBob sandbox. Methods that take an employee accept an ID or a work email. */
export interface HiBobSandbox {
	/** Base URL including /v1, e.g. http://127.0.0.1:PORT/v1 */
	url: string;
	/** Server root (control API lives at `${origin}/__mock`). */
	origin: string;
	serviceUserId: string;
	token: string;
	webhookSecret: string;
	/** Sets the clock (ISO 8601; throws a RangeError otherwise) and fires lifecycle events. */
	setNow(iso: string): void;
	/** Moves the clock by days of 24 hours. */
	advanceDays(days: number): void;
	/** The clock, ISO 8601 in UTC. */
	now(): string;
	/** The clock's date, YYYY-MM-DD (UTC). */
	today(): string;
	/** The raw store (copies), for tests. */
	employees(): StoredEmployee[];
	employee(idOrEmail: string): StoredEmployee | undefined;
	/** Throws an HttpError (404) for an unknown employee. */
	lifecycle(id: string): LifecycleState;
	/**
	 * Patch by field ID (`work.title`, `root.email`) or nested (`{ work: { title } }`); fires
	 * `employee.updated`. Throws an HttpError (404, or 400 for a field it cannot change).
	 */
	updateEmployee(id: string, patch: Record<string, unknown>): StoredEmployee;
	addEmployee(input: NewEmployee): StoredEmployee;
	removeEmployee(id: string): void;
	terminate(id: string, input: Termination): StoredEmployee;
	addServiceUser(user: ServiceUser): void;
	/** Sends HiBob's Ping test and saves the webhook when it answers 2xx. */
	registerWebhook(webhook: RegisteredWebhook): Promise<{ ok: boolean; status: number }>;
	webhooks(): RegisteredWebhook[];
	clearWebhooks(): void;
	/** Sends one signed event to `targetUrl` (no retries unless `opts.retries`). */
	emitWebhook(
		targetUrl: string,
		event: BobEvent,
		opts?: DeliveryOptions & { secret?: string },
	): Promise<DeliveryResult>;
	/** A signed v2 delivery (raw body + headers) without sending it, for direct webhook() calls. */
	buildWebhook(
		event: BobEvent,
		opts?: { badSignature?: boolean; unsigned?: boolean; secret?: string },
	): { envelope: BobEnvelope } & Delivery;
	/** Waits until background deliveries (registered webhooks) are done. */
	flushWebhooks(): Promise<void>;
	deliveries(): DeliveryAttempt[];
	/**
	 * Answers the next calls of the data endpoints with a fault: a partial search, a 200 of
	 * another shape, or nulled values (see `HiBobFaultRule`). Throws a RangeError for a rule that
	 * cannot be applied.
	 */
	addFault(rule: HiBobFaultRule): void;
	clearFaults(): void;
	/** The fault rules still waiting, with the calls each has left. */
	faults(): Array<HiBobFaultRule & { remaining: number }>;
	/** Search results as stored, or shuffled anew on every call. */
	setSearchOrder(order: SearchOrder): void;
	stats(): { requests: number; log: RequestLogEntry[] };
	resetStats(): void;
	/** Resets the rate-limit and WAF counters. */
	resetLimits(): void;
	close(): Promise<void>;
}
