/**
 * A local HiBob ("Bob") API for tests and the demo, on one loopback port with base path /v1.
 * It behaves as HiBob's public documentation says (https://apidocs.hibob.com/):
 *
 * - Basic auth with service users (ID + token); 401 otherwise. A service user may be limited to
 *   some field categories (other fields are dropped silently, with 200), to active people, or
 *   denied people access (403). HiBob's WAF: 50 answers 401/403 for one Authorization header
 *   within 10 s block it for 5 minutes.
 * - POST /people/search and POST /people/{id or email} with HiBob's rules (./routes/people.ts);
 *   GET /company/people/fields and GET /company/named-lists[/{name}]; 410 for the switched-off
 *   GET /people and GET /people/{id}; 200 text/html for unknown paths.
 * - 50 requests per minute per service user, with X-RateLimit-Limit / -Remaining / -Reset
 *   (epoch seconds) on every response, 401 included; 429 beyond that. No Retry-After by default.
 * - Lifecycle statuses from a settable clock; moving the clock fires the lifecycle webhooks.
 * - A webhook emitter: registered URLs get a Ping test, then signed v2 events with retries.
 * - Faults for the next calls of the data endpoints (a partial answer, a 200 of another shape,
 *   values nulled) and search results in a new order on every call (./state/faults.ts).
 * - A control API without auth under /__mock (./routes/control.ts).
 *
 * The parts: ./app.ts and ./routes/ (HTTP), ./state/ (company and clock, access limits, stats),
 * ./data.ts (the generated company), ./metadata.ts (fields and named lists), ./projection.ts
 * (HiBob's response shape) and ./webhooks.ts (the emitter).
 */
import { createServer, type Server } from 'node:http';
import { closeServer, listen } from '../listen';
import { createRng } from '../random';
import { createHiBobApp } from './app';
import type { ProjectionContext } from './projection';
import type { ApiSettings } from './routes/api';
import type { PeopleRules } from './routes/people';
import { PublicAnswers } from './routes/public';
import { RateLimiter, ServiceUsers, Waf } from './state/access';
import { Company } from './state/company';
import { Faults, type SearchOrder } from './state/faults';
import { RequestStats } from './state/stats';
import type { HiBobSandbox, HiBobSandboxOptions } from './types';
import { WebhookEmitter } from './webhooks';

export type { HiBobSandbox, HiBobSandboxOptions } from './types';
export type { NewEmployee } from './data';
export type { LifecycleState, StoredEmployee } from './model';
export type { ServiceUser } from './state/access';
export type { Termination } from './state/company';
export type { HiBobFault, HiBobFaultRule, FaultEndpoint, SearchOrder } from './state/faults';
export type { RequestLogEntry } from './state/stats';
export type {
	BobEnvelope,
	BobEvent,
	DeliveryAttempt,
	DeliveryOptions,
	DeliveryResult,
	RegisteredWebhook,
} from './webhooks';
export { signBobPayload } from './webhooks';
export { CUSTOM_COST_CENTRE } from './model';
export { FIELDS, NAMED_LISTS } from './metadata';

/** The sandbox's parts, built from the options with their defaults. */
interface SandboxParts {
	company: Company;
	users: ServiceUsers;
	limiter: RateLimiter;
	waf: Waf;
	stats: RequestStats;
	webhooks: WebhookEmitter;
	faults: Faults;
	/** The order of search results; `random` draws the shuffles (seeded). */
	order: { current: SearchOrder; random: () => number };
	credentials: { serviceUserId: string; token: string; webhookSecret: string };
}

function buildParts(options: HiBobSandboxOptions): SandboxParts {
	const serviceUserId = options.serviceUserId ?? 'SERVICE-SANDBOX';
	const token = options.token ?? 'sandbox-service-user-token';
	const webhookSecret = options.webhookSecret ?? 'mock-webhook-secret';
	// The company fires events through the emitter; the emitter stamps them with the company's clock.
	const company = new Company({
		seed: options.seed ?? 42,
		now: options.now ?? new Date().toISOString(),
		employeeCount: options.employeeCount ?? 40,
		actorId: serviceUserId,
		fieldUpdatesShape: options.fieldUpdatesShape ?? 'ids',
		emit: (event) => webhooks.broadcast(event),
	});
	const webhooks = new WebhookEmitter({
		secret: webhookSecret,
		now: () => company.now(),
		retryDelaysMs: options.webhookRetryDelaysMs,
		timeoutMs: options.webhookTimeoutMs,
		duplicateDeliveries: options.duplicateDeliveries ?? false,
		signPing: options.signPing ?? false,
	});
	return {
		company,
		users: new ServiceUsers([{ id: serviceUserId, token }, ...(options.serviceUsers ?? [])]),
		limiter: new RateLimiter(options.rateLimitPerMinute ?? 50, options.rateLimitWindowMs ?? 60_000),
		waf: new Waf(options.waf !== false),
		stats: new RequestStats(),
		webhooks,
		faults: new Faults(),
		order: {
			current: options.searchOrder ?? 'stored',
			random: createRng((options.seed ?? 42) * 31 + 7),
		},
		credentials: { serviceUserId, token, webhookSecret },
	};
}

function apiSettings(options: HiBobSandboxOptions): ApiSettings {
	return {
		unauthorizedBody: options.unauthorizedBody ?? 'empty',
		retryAfter: options.retryAfter ?? false,
		deprecatedStatus: options.deprecatedStatus ?? 410,
		htmlForUnknownPaths: options.htmlForUnknownPaths !== false,
	};
}

function peopleRules(options: HiBobSandboxOptions): PeopleRules {
	return {
		lenientFilters: options.lenientFilters ?? false,
		humanReadableCaseInsensitive: options.humanReadableCaseInsensitive ?? false,
	};
}

/**
 * Starts a HiBob sandbox on loopback (by default on a free port at 127.0.0.1) and resolves once
 * it listens. Options: see `HiBobSandboxOptions`; the clock starts at `options.now` (ISO 8601;
 * a RangeError for anything else) or the real time.
 */
export async function startHiBobSandbox(options: HiBobSandboxOptions = {}): Promise<HiBobSandbox> {
	const parts = buildParts(options);
	const { company } = parts;
	const projection = (): ProjectionContext => ({
		today: company.today(),
		all: company.directory,
		lifecycleCase: options.lifecycleCase ?? 'lower',
		humanReadableDateFormat: options.humanReadableDateFormat ?? 'DD/MM/YYYY',
	});
	const app = createHiBobApp({
		...parts,
		answers: new PublicAnswers(parts.stats, options.latencyMs ?? 0),
		people: {
			company,
			rules: peopleRules(options),
			projection,
			shuffle: () => (parts.order.current === 'shuffled' ? parts.order.random : undefined),
		},
		settings: apiSettings(options),
		webhookSecret: parts.credentials.webhookSecret,
	});
	const host = options.host ?? '127.0.0.1';
	const server = createServer(app);
	const port = await listen(server, options.port ?? 0, host);
	return sandboxHandle(parts, `http://${host}:${port}`, server);
}

/** The handle tests and the demo use: the parts' methods behind one object. */
function sandboxHandle(parts: SandboxParts, origin: string, server: Server): HiBobSandbox {
	const { company, users, limiter, waf, stats, webhooks, faults, order, credentials } = parts;
	return {
		url: `${origin}/v1`,
		origin,
		...credentials,
		setNow: (iso) => company.setNow(iso),
		advanceDays: (days) => company.advanceDays(days),
		now: () => company.now(),
		today: () => company.today(),
		employees: () => company.copies(),
		employee: (idOrEmail) => {
			const employee = company.find(idOrEmail);
			return employee ? structuredClone(employee) : undefined;
		},
		lifecycle: (id) => company.lifecycle(id),
		updateEmployee: (id, patch) => company.update(id, patch),
		addEmployee: (input) => company.add(input),
		removeEmployee: (id) => company.remove(id),
		terminate: (id, input) => company.terminate(id, input),
		addServiceUser: (user) => users.add(user),
		registerWebhook: (webhook) => webhooks.register(webhook),
		webhooks: () => webhooks.webhooks(),
		clearWebhooks: () => webhooks.clear(),
		emitWebhook: (targetUrl, event, opts) => webhooks.emit(targetUrl, event, opts),
		buildWebhook: (event, opts) => webhooks.build(event, opts),
		flushWebhooks: () => webhooks.flush(),
		deliveries: () => webhooks.deliveries(),
		addFault: (rule) => faults.add(rule),
		clearFaults: () => faults.clear(),
		faults: () => faults.list(),
		setSearchOrder: (searchOrder) => {
			order.current = searchOrder;
		},
		stats: () => stats.snapshot(),
		resetStats: () => stats.clear(),
		resetLimits: () => {
			limiter.reset();
			waf.reset();
		},
		close: () => closeServer(server),
	};
}
