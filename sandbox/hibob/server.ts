/**
 * A local HiBob ("Bob") API for tests and the demo, built from the mock spec in
 * /work/shared/reference/hibob-api.md §10. One loopback port, base path /v1:
 *
 * - Basic auth with service users (ID + token); 401 otherwise. A service user may be limited to
 *   some field categories (other fields are dropped silently, with 200), to active people, or
 *   denied people access (403). Optional WAF: 50 401/403 answers for one Authorization header
 *   within 10 s block it for 5 minutes.
 * - POST /people/search with HiBob's rules: at most one filter, only root.id / root.email with
 *   operator "equals" and non-empty values, 400 on an empty filter (also `[]`, `null`, `{}`
 *   unless `lenientFilters`), at most 400 fields, showInactive, humanReadable APPEND / REPLACE,
 *   unknown fields dropped silently, slash keys plus the nested form, no paging.
 * - POST /people/{id or email}: one unwrapped employee; 404 when unknown.
 * - GET /company/people/fields, GET /company/named-lists[/{name}] (case-sensitive names).
 * - GET /people and GET /people/{id} answer 410 (switched off in May 2025).
 * - Unknown paths answer 200 text/html, as HiBob does (switchable).
 * - 50 requests per minute per service user, with X-RateLimit-Limit / -Remaining / -Reset
 *   (epoch seconds) on every response, 401 included; 429 beyond that. No Retry-After by default.
 * - Lifecycle statuses from a settable clock; moving the clock fires the lifecycle webhooks.
 * - A webhook emitter: registered URLs get a Ping test, then signed v2 events with retries.
 *
 * Control API (no auth) under /__mock: GET/POST clock, GET/POST/PATCH/DELETE employees,
 * POST employees/{id}/terminate, GET/POST/DELETE webhooks, POST webhooks/emit, GET/DELETE stats.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
	DEFAULT_FIELD_IDS,
	FIELDS,
	FIELDS_BY_ID,
	NAMED_LISTS,
	addDays,
	bobTimestamp,
	employeeIdFrom,
	lifecycleOn,
	prng,
	projectEmployee,
	seedEmployees,
	type LeavePeriod,
	type LifecycleState,
	type ProjectionContext,
	type StoredEmployee,
	COMPANY_ID,
} from './data';
import {
	buildDelivery,
	deliver,
	envelopeFor,
	ping,
	type BobEnvelope,
	type BobEvent,
	type DeliveryAttempt,
	type DeliveryOptions,
	type DeliveryResult,
} from './webhooks';

export { signBobPayload, buildDelivery, envelopeFor } from './webhooks';
export type { BobEnvelope, BobEvent, DeliveryAttempt } from './webhooks';
export type { StoredEmployee } from './data';
export { CUSTOM_COST_CENTRE, FIELDS, NAMED_LISTS } from './data';

export interface ServiceUser {
	id: string;
	token: string;
	/** Field categories this user may read (root is always allowed); undefined = all. */
	categories?: string[];
	/** 'active' mimics a permission group with "Lifecycle status equals Employed". */
	peopleScope?: 'all' | 'active';
	/** false: people endpoints answer 403. */
	canReadPeople?: boolean;
}

export interface HiBobSandboxOptions {
	port?: number;
	host?: string;
	seed?: number;
	/** ISO date-time of the settable clock (default: the real time at start). */
	now?: string;
	/** Requests per window per service user (default 50). */
	rateLimitPerMinute?: number;
	/** Length of the rate-limit window (default 60 000 ms; tests shorten it). */
	rateLimitWindowMs?: number;
	/** Delay before every API answer. */
	latencyMs?: number;
	employeeCount?: number;
	serviceUserId?: string;
	token?: string;
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
	humanReadableDateFormat?: 'DD/MM/YYYY' | 'MM/DD/YYYY' | 'ISO';
	/** Answer unknown paths with 200 text/html as HiBob does (default true), or 404. */
	htmlForUnknownPaths?: boolean;
	/** Status for the switched-off GET /people endpoints. */
	deprecatedStatus?: 404 | 410;
	waf?: boolean;
	/** Sign the Ping test (not documented; default false). */
	signPing?: boolean;
	/** Shape of `fieldUpdates` in employee.updated (not documented). */
	fieldUpdatesShape?: 'ids' | 'objects';
	webhookRetryDelaysMs?: number[];
	webhookTimeoutMs?: number;
	/** Deliver every registered-webhook event twice. */
	duplicateDeliveries?: boolean;
}

export interface RequestLogEntry {
	method: string;
	path: string;
	status: number;
	body?: unknown;
	contentType?: string;
	serviceUserId?: string;
}

export interface RegisteredWebhook {
	url: string;
	secret: string;
	/** Event types; undefined = all. */
	events?: string[];
}

export interface NewEmployee {
	firstName: string;
	surname: string;
	email?: string | null;
	startDate: string;
	title?: string | null;
	department?: string | null;
	siteId?: number | null;
	managerId?: string | null;
	id?: string;
	custom?: Record<string, string | null>;
}

export interface HiBobSandbox {
	/** Base URL including /v1, e.g. http://127.0.0.1:PORT/v1 */
	url: string;
	/** Server root (control API lives at `${origin}/__mock`). */
	origin: string;
	serviceUserId: string;
	token: string;
	webhookSecret: string;
	setNow(iso: string): void;
	/** Moves the clock by whole days. */
	advanceDays(days: number): void;
	now(): string;
	today(): string;
	/** The raw store (copies), for tests. */
	employees(): StoredEmployee[];
	employee(idOrEmail: string): StoredEmployee | undefined;
	lifecycle(id: string): LifecycleState;
	/** Patch by field ID (`work.title`, `root.email`) or nested (`{ work: { title } }`). */
	updateEmployee(id: string, patch: Record<string, unknown>): StoredEmployee;
	addEmployee(input: NewEmployee): StoredEmployee;
	removeEmployee(id: string): void;
	terminate(
		id: string,
		input: {
			terminationDate: string;
			lastDayOfWork?: string;
			reasonId?: string;
			revokeAccess?: boolean;
		},
	): StoredEmployee;
	addServiceUser(user: ServiceUser): void;
	registerWebhook(webhook: RegisteredWebhook): Promise<{ ok: boolean; status: number }>;
	webhooks(): RegisteredWebhook[];
	clearWebhooks(): void;
	emitWebhook(
		targetUrl: string,
		event: BobEvent,
		opts?: DeliveryOptions & { secret?: string },
	): Promise<DeliveryResult>;
	/** A signed v2 delivery (raw body + headers) without sending it, for direct webhook() calls. */
	buildWebhook(
		event: BobEvent,
		opts?: { badSignature?: boolean; unsigned?: boolean; secret?: string },
	): { envelope: BobEnvelope; rawBody: string; headers: Record<string, string> };
	/** Waits until background deliveries (registered webhooks) are done. */
	flushWebhooks(): Promise<void>;
	deliveries(): DeliveryAttempt[];
	stats(): { requests: number; log: RequestLogEntry[] };
	resetStats(): void;
	/** Resets the rate-limit and WAF counters. */
	resetLimits(): void;
	close(): Promise<void>;
}

class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly key: string,
		message: string,
	) {
		super(message);
	}
}

const HTML_PAGE =
	'<!DOCTYPE html><html><head><title>Bob</title></head><body><div id="app"></div></body></html>';

function readRaw(req: IncomingMessage): Promise<string> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('error', reject);
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
	});
}

function parseJson(text: string): unknown {
	if (!text) return undefined;
	try {
		return JSON.parse(text);
	} catch {
		throw new HttpError(400, 'bad_request', 'The request body is not valid JSON.');
	}
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export async function startHiBobSandbox(options: HiBobSandboxOptions = {}): Promise<HiBobSandbox> {
	const seed = options.seed ?? 42;
	let clock = new Date(options.now ?? new Date().toISOString()).toISOString();
	const today = () => clock.slice(0, 10);
	const serviceUserId = options.serviceUserId ?? 'SERVICE-SANDBOX';
	const token = options.token ?? 'sandbox-service-user-token';
	const webhookSecret = options.webhookSecret ?? 'mock-webhook-secret';
	const limit = options.rateLimitPerMinute ?? 50;
	const windowMs = options.rateLimitWindowMs ?? 60_000;
	const users = new Map<string, ServiceUser>([[serviceUserId, { id: serviceUserId, token }]]);
	for (const user of options.serviceUsers ?? []) users.set(user.id, user);
	const idRandom = prng(seed * 7919 + 1);

	const store = new Map<string, StoredEmployee>();
	for (const e of seedEmployees({
		seed,
		today: today(),
		nowIso: clock,
		employeeCount: options.employeeCount ?? 40,
	}))
		store.set(e.id, e);
	let lastStates = new Map<string, LifecycleState>(
		[...store.values()].map((e) => [e.id, lifecycleOn(e, today())]),
	);

	const log: RequestLogEntry[] = [];
	const deliveryLog: DeliveryAttempt[] = [];
	const registered: RegisteredWebhook[] = [];
	const pending = new Set<Promise<unknown>>();
	const buckets = new Map<string, { windowStart: number; count: number }>();
	const authFailures = new Map<string, number[]>();
	const blockedUntil = new Map<string, number>();

	const ctx = (): ProjectionContext => ({
		today: today(),
		all: store,
		lifecycleCase: options.lifecycleCase ?? 'lower',
		humanReadableDateFormat: options.humanReadableDateFormat ?? 'DD/MM/YYYY',
	});

	// ------------------------------------------------------------ events

	const fire = (event: BobEvent) => {
		const envelope = envelopeFor(event, bobTimestamp(clock));
		for (const hook of registered) {
			if (hook.events && !hook.events.includes(envelope.type)) continue;
			const { rawBody, headers } = buildDelivery(envelope, hook.secret);
			const copies = options.duplicateDeliveries ? 2 : 1;
			for (let i = 0; i < copies; i++) {
				const delivery = deliver(
					hook.url,
					rawBody,
					headers,
					envelope.type,
					{ retryDelaysMs: options.webhookRetryDelaysMs, timeoutMs: options.webhookTimeoutMs },
					deliveryLog,
				);
				pending.add(delivery);
				void delivery.finally(() => pending.delete(delivery));
			}
		}
	};

	/** Compares every employee's lifecycle with the last known one and fires HiBob's lifecycle events. */
	const fireLifecycleTransitions = () => {
		const next = new Map<string, LifecycleState>();
		for (const e of store.values()) {
			const now = lifecycleOn(e, today());
			next.set(e.id, now);
			const before = lastStates.get(e.id);
			if (
				!before ||
				(before.status === now.status && before.lifecycleStatus === now.lifecycleStatus)
			)
				continue;
			const base = { employeeId: e.id, triggeredBy: 'system' };
			if (now.lifecycleStatus === 'employed' && before.lifecycleStatus === 'hired') {
				fire({ type: 'employee.joined', ...base, effectiveDate: e.work.startDate });
			}
			if (
				(now.lifecycleStatus === 'garden leave' || now.lifecycleStatus === 'terminated') &&
				before.lifecycleStatus !== 'garden leave'
			) {
				fire({ type: 'employee.left', ...base, effectiveDate: e.internal.terminationDate });
			}
			if (
				(now.lifecycleStatus === 'leave' || now.lifecycleStatus === 'parental leave') &&
				before.lifecycleStatus !== now.lifecycleStatus
			) {
				fire({ type: 'employee.temporaryLeave', ...base, effectiveDate: e.internal.leave?.from });
			}
			if (before.status === 'Inactive' && now.status === 'Active')
				fire({ type: 'employee.activated', ...base });
			if (before.status === 'Active' && now.status === 'Inactive')
				fire({ type: 'employee.inactivated', ...base });
		}
		lastStates = next;
	};

	// ------------------------------------------------------------ store mutations

	const find = (idOrEmail: string): StoredEmployee | undefined => {
		const byId = store.get(idOrEmail);
		if (byId) return byId;
		const email = idOrEmail.toLowerCase();
		return [...store.values()].find((e) => e.email?.toLowerCase() === email);
	};
	const mustFind = (id: string) => {
		const e = find(id);
		if (!e) throw new HttpError(404, 'not_found', `No employee ${id} in the sandbox`);
		return e;
	};

	/** Applies a patch and returns the field IDs that changed. */
	const applyPatch = (e: StoredEmployee, patch: Record<string, unknown>): string[] => {
		const flat: Record<string, unknown> = {};
		const flatten = (prefix: string, value: Record<string, unknown>) => {
			for (const [key, v] of Object.entries(value)) {
				if (prefix === '' && key.includes('.')) {
					flat[key] = v; // already a field ID
					continue;
				}
				const path = prefix ? `${prefix}.${key}` : key;
				if (isObject(v) && path !== 'work.reportsTo' && path !== 'internal.leave') flatten(path, v);
				else flat[path] = v;
			}
		};
		flatten('', patch);
		const changed: string[] = [];
		for (const [rawKey, value] of Object.entries(flat)) {
			const key = rawKey.includes('.') ? rawKey : `root.${rawKey}`;
			const set = (apply: () => void) => {
				apply();
				changed.push(key);
			};
			switch (key) {
				case 'root.email':
					set(() => (e.email = value as string | null));
					break;
				case 'root.firstName':
					set(() => (e.firstName = String(value)));
					break;
				case 'root.surname':
					set(() => (e.surname = String(value)));
					break;
				case 'root.secondName':
					set(() => (e.secondName = value as string | null));
					break;
				case 'work.title':
				case 'work.department':
				case 'work.startDate':
					set(() => ((e.work as Record<string, unknown>)[key.slice(5)] = value));
					break;
				case 'work.siteId':
					set(() => (e.work.siteId = value === null ? null : Number(value)));
					break;
				case 'work.manager':
				case 'work.reportsTo':
					set(
						() =>
							(e.work.manager = value === null ? null : String(isObject(value) ? value.id : value)),
					);
					break;
				case 'internal.terminationDate':
				case 'internal.lastDayOfWork':
				case 'internal.terminationReason':
				case 'internal.probationEndDate':
					set(() => ((e.internal as Record<string, unknown>)[key.slice(9)] = value));
					break;
				case 'internal.leave':
					set(() => (e.internal.leave = value as LeavePeriod | null));
					break;
				case 'home.mobilePhone':
				case 'home.privateEmail':
					set(() => ((e.home as Record<string, unknown>)[key.slice(5)] = value));
					break;
				default:
					if (key.startsWith('work.custom.'))
						set(() => (e.work.custom[key] = value as string | null));
					else throw new HttpError(400, 'bad_request', `The sandbox cannot patch "${rawKey}"`);
			}
		}
		return changed;
	};

	const fieldUpdates = (ids: string[]) =>
		options.fieldUpdatesShape === 'objects' ? ids.map((fieldId) => ({ fieldId })) : ids;

	const api = {
		updateEmployee(id: string, patch: Record<string, unknown>): StoredEmployee {
			const e = mustFind(id);
			const changed = applyPatch(e, patch);
			if (changed.length)
				fire({
					type: 'employee.updated',
					employeeId: e.id,
					triggeredBy: serviceUserId,
					fieldUpdates: fieldUpdates(changed),
				});
			fireLifecycleTransitions();
			return structuredClone(e);
		},
		addEmployee(input: NewEmployee): StoredEmployee {
			const id = input.id ?? employeeIdFrom(idRandom);
			const number = Math.max(0, ...[...store.values()].map((e) => e.work.employeeIdInCompany)) + 1;
			const e: StoredEmployee = {
				id,
				companyId: COMPANY_ID,
				firstName: input.firstName,
				surname: input.surname,
				secondName: null,
				email:
					input.email === undefined
						? `${input.firstName}.${input.surname}`.toLowerCase().replace(/[^a-z.]/g, '') +
							'@acme-hr.example'
						: input.email,
				creationDateTime: bobTimestamp(clock),
				avatarUrl: null,
				work: {
					title: input.title ?? null,
					department: input.department ?? null,
					siteId: input.siteId ?? null,
					startDate: input.startDate,
					manager: input.managerId ?? null,
					employeeIdInCompany: number,
					custom: input.custom ?? {},
				},
				internal: {
					terminationDate: null,
					lastDayOfWork: null,
					terminationReason: null,
					probationEndDate: addDays(input.startDate, 90),
					leave: null,
				},
				about: { about: null, hobbies: [] },
				employment: { type: '1001', weeklyHours: 40 },
				home: { mobilePhone: null, privateEmail: null },
				personal: { pronouns: null, nationality: [] },
			};
			store.set(id, e);
			// A new record has no "before" lifecycle: record it so only later transitions fire.
			lastStates.set(id, lifecycleOn(e, today()));
			fire({ type: 'employee.created', employeeId: id, triggeredBy: serviceUserId });
			fire({
				type: 'table.entry.created',
				employeeId: id,
				triggeredBy: serviceUserId,
				tableId: 'lifecycle',
				effectiveDate: input.startDate,
			});
			if (input.startDate <= today()) {
				fire({
					type: 'employee.joined',
					employeeId: id,
					triggeredBy: 'system',
					effectiveDate: input.startDate,
				});
				fire({ type: 'employee.activated', employeeId: id, triggeredBy: 'system' });
			}
			return structuredClone(e);
		},
		removeEmployee(id: string): void {
			const e = mustFind(id);
			store.delete(e.id);
			lastStates.delete(e.id);
			fire({ type: 'employee.deleted', employeeId: e.id, triggeredBy: serviceUserId });
		},
		terminate(
			id: string,
			input: {
				terminationDate: string;
				lastDayOfWork?: string;
				reasonId?: string;
				revokeAccess?: boolean;
			},
		): StoredEmployee {
			const e = mustFind(id);
			e.internal.terminationDate = input.terminationDate;
			e.internal.lastDayOfWork = input.lastDayOfWork ?? null;
			e.internal.terminationReason = input.reasonId ?? '5001';
			fire({
				type: 'table.entry.created',
				employeeId: e.id,
				triggeredBy: serviceUserId,
				tableId: 'lifecycle',
				effectiveDate: input.terminationDate,
			});
			fire({
				type: 'employee.updated',
				employeeId: e.id,
				triggeredBy: serviceUserId,
				fieldUpdates: fieldUpdates(['internal.terminationDate']),
			});
			if (input.revokeAccess)
				fire({
					type: 'employee.access.revoked.immediately',
					employeeId: e.id,
					triggeredBy: serviceUserId,
				});
			fireLifecycleTransitions();
			return structuredClone(e);
		},
	};

	// ------------------------------------------------------------ people endpoints

	const allowedField = (user: ServiceUser, fieldId: string) => {
		const category = fieldId.split('.')[0];
		return category === 'root' || !user.categories || user.categories.includes(category);
	};
	const visible = (user: ServiceUser, e: StoredEmployee) =>
		user.peopleScope !== 'active' || lifecycleOn(e, today()).status === 'Active';

	const resolveFields = (user: ServiceUser, raw: unknown): string[] => {
		if (raw === undefined) return DEFAULT_FIELD_IDS.filter((id) => allowedField(user, id));
		if (!Array.isArray(raw) || raw.some((f) => typeof f !== 'string'))
			throw new HttpError(400, 'bad_request', '"fields" must be an array of field IDs');
		if (raw.length > 400)
			throw new HttpError(400, 'bad_request', `Too many fields: ${raw.length} (at most 400)`);
		const ids = (raw as string[]).map((f) =>
			f.startsWith('/') ? f.slice(1).replace(/\//g, '.') : f,
		);
		// Unknown or forbidden fields are dropped without a word, as HiBob does.
		return [...new Set(ids)].filter(
			(id) =>
				(FIELDS_BY_ID.has(id) ||
					(id.startsWith('work.custom.') &&
						[...store.values()].some((e) => id in e.work.custom))) &&
				allowedField(user, id),
		);
	};

	const resolveHumanReadable = (raw: unknown): 'APPEND' | 'REPLACE' | undefined => {
		if (raw === undefined || raw === null) return undefined;
		const value =
			typeof raw === 'string' && options.humanReadableCaseInsensitive ? raw.toUpperCase() : raw;
		if (value === 'APPEND' || value === 'REPLACE') return value;
		throw new HttpError(
			400,
			'bad_request',
			`humanReadable must be "APPEND" or "REPLACE", not ${JSON.stringify(raw)}`,
		);
	};

	const search = (user: ServiceUser, body: unknown) => {
		const request = body === undefined ? {} : body;
		if (!isObject(request))
			throw new HttpError(400, 'bad_request', 'The request body must be a JSON object');
		const fields = resolveFields(user, request.fields);
		const humanReadable = resolveHumanReadable(request.humanReadable);
		if (request.showInactive !== undefined && typeof request.showInactive !== 'boolean')
			throw new HttpError(400, 'bad_request', '"showInactive" must be a boolean');
		let people = [...store.values()].filter((e) => visible(user, e));
		if (!request.showInactive)
			people = people.filter((e) => lifecycleOn(e, today()).status === 'Active');
		if ('filters' in request) {
			const filters = request.filters;
			const empty =
				filters === null ||
				(Array.isArray(filters) && filters.length === 0) ||
				(isObject(filters) && Object.keys(filters).length === 0);
			if (empty && !options.lenientFilters)
				throw new HttpError(
					400,
					'bad_request',
					'filters must not be empty: leave the key out to read everyone',
				);
			if (!empty) {
				if (!Array.isArray(filters) || filters.length !== 1)
					throw new HttpError(400, 'bad_request', 'Only one filter is supported');
				const filter = filters[0] as Record<string, unknown>;
				if (
					!isObject(filter) ||
					(filter.fieldPath !== 'root.id' && filter.fieldPath !== 'root.email')
				) {
					throw new HttpError(
						400,
						'bad_request',
						'Filtering is possible only on root.id or root.email',
					);
				}
				if (filter.operator !== 'equals')
					throw new HttpError(400, 'bad_request', 'The only supported operator is "equals"');
				const values = filter.values;
				if (
					!Array.isArray(values) ||
					values.length === 0 ||
					values.some((v) => typeof v !== 'string')
				) {
					throw new HttpError(400, 'bad_request', 'Missing required field: values');
				}
				const wanted = new Set(
					(values as string[]).map((v) =>
						filter.fieldPath === 'root.email' ? v.toLowerCase() : v,
					),
				);
				people = people.filter((e) =>
					filter.fieldPath === 'root.id'
						? wanted.has(e.id)
						: e.email !== null && wanted.has(e.email.toLowerCase()),
				);
			}
		}
		const context = ctx();
		return { employees: people.map((e) => projectEmployee(e, fields, humanReadable, context)) };
	};

	const readOne = (user: ServiceUser, identifier: string, body: unknown) => {
		const request = body === undefined ? {} : body;
		if (!isObject(request))
			throw new HttpError(400, 'bad_request', 'The request body must be a JSON object');
		const e = find(identifier);
		if (!e || !visible(user, e))
			throw new HttpError(404, 'not_found', `Employee ${identifier} not found`);
		return projectEmployee(
			e,
			resolveFields(user, request.fields),
			resolveHumanReadable(request.humanReadable),
			ctx(),
		);
	};

	const namedList = (name: string, includeArchived: boolean) => {
		const items = NAMED_LISTS[name].filter((entry) => includeArchived || !entry.archived);
		return { name, values: items.map(({ id, value }) => ({ id, value })), items };
	};

	async function routeApi(
		method: string,
		path: string,
		url: URL,
		user: ServiceUser,
		rawBody: string,
	): Promise<{ status: number; body: unknown; html?: boolean }> {
		const peopleAccess = () => {
			if (user.canReadPeople === false)
				throw new HttpError(
					403,
					'forbidden',
					'The service user has no access to people data: add it to a permission group',
				);
		};
		if (path === '/people/search' && method === 'POST') {
			peopleAccess();
			return { status: 200, body: search(user, parseJson(rawBody)) };
		}
		if (path === '/people' && method === 'GET') {
			const status = options.deprecatedStatus ?? 410;
			return {
				status,
				body: {
					key: 'gone',
					error: 'GET /v1/people was switched off on 6 May 2025: use POST /v1/people/search',
				},
			};
		}
		const person = /^\/people\/([^/]+)$/.exec(path);
		if (person && method === 'POST') {
			peopleAccess();
			return {
				status: 200,
				body: readOne(user, decodeURIComponent(person[1]), parseJson(rawBody)),
			};
		}
		if (person && method === 'GET') {
			const status = options.deprecatedStatus ?? 410;
			return {
				status,
				body: {
					key: 'gone',
					error: 'GET /v1/people/{id} was switched off on 6 May 2025: use POST /v1/people/{id}',
				},
			};
		}
		if (path === '/company/people/fields' && method === 'GET') return { status: 200, body: FIELDS };
		const includeArchived = url.searchParams.get('includeArchived') === 'true';
		if (path === '/company/named-lists' && method === 'GET') {
			return {
				status: 200,
				body: Object.fromEntries(
					Object.keys(NAMED_LISTS).map((name) => [name, namedList(name, includeArchived)]),
				),
			};
		}
		const list = /^\/company\/named-lists\/([^/]+)$/.exec(path);
		if (list && method === 'GET') {
			const name = decodeURIComponent(list[1]);
			if (!Object.prototype.hasOwnProperty.call(NAMED_LISTS, name))
				throw new HttpError(404, 'not_found', `Named list ${name} not found`);
			return { status: 200, body: namedList(name, includeArchived) };
		}
		if (options.htmlForUnknownPaths === false)
			throw new HttpError(404, 'not_found', `No route ${method} ${path}`);
		return { status: 200, body: HTML_PAGE, html: true };
	}

	// ------------------------------------------------------------ control API

	async function routeControl(
		method: string,
		path: string,
		rawBody: string,
	): Promise<{ status: number; body: unknown }> {
		const body = parseJson(rawBody) as Record<string, unknown> | undefined;
		if (path === '/clock' && method === 'GET')
			return { status: 200, body: { now: clock, today: today() } };
		if (path === '/clock' && method === 'POST') {
			if (typeof body?.now === 'string') sandbox.setNow(body.now);
			else if (typeof body?.advanceDays === 'number') sandbox.advanceDays(body.advanceDays);
			else
				throw new HttpError(
					400,
					'bad_request',
					'Send {"now": "<ISO date-time>"} or {"advanceDays": n}',
				);
			return { status: 200, body: { now: clock, today: today() } };
		}
		if (path === '/employees' && method === 'GET')
			return { status: 200, body: sandbox.employees() };
		if (path === '/employees' && method === 'POST')
			return { status: 201, body: api.addEmployee(body as unknown as NewEmployee) };
		const employee = /^\/employees\/([^/]+)(\/terminate)?$/.exec(path);
		if (employee && !employee[2] && method === 'PATCH')
			return { status: 200, body: api.updateEmployee(employee[1], body ?? {}) };
		if (employee && !employee[2] && method === 'DELETE') {
			api.removeEmployee(employee[1]);
			return { status: 204, body: undefined };
		}
		if (employee && employee[2] && method === 'POST')
			return { status: 200, body: api.terminate(employee[1], body as never) };
		if (path === '/webhooks' && method === 'GET') return { status: 200, body: registered };
		if (path === '/webhooks' && method === 'POST') {
			if (typeof body?.url !== 'string')
				throw new HttpError(
					400,
					'bad_request',
					'Send {"url": "...", "secret"?: "...", "events"?: [...]}',
				);
			const result = await sandbox.registerWebhook({
				url: body.url,
				secret: typeof body.secret === 'string' ? body.secret : webhookSecret,
				events: Array.isArray(body.events) ? (body.events as string[]) : undefined,
			});
			return { status: result.ok ? 201 : 400, body: result };
		}
		if (path === '/webhooks' && method === 'DELETE') {
			sandbox.clearWebhooks();
			return { status: 204, body: undefined };
		}
		if (path === '/webhooks/emit' && method === 'POST') {
			if (typeof body?.url !== 'string' || !isObject(body.event))
				throw new HttpError(
					400,
					'bad_request',
					'Send {"url": "...", "event": {"type": "...", "employeeId": "..."}}',
				);
			return {
				status: 200,
				body: await sandbox.emitWebhook(body.url, body.event as BobEvent, body as DeliveryOptions),
			};
		}
		if (path === '/stats' && method === 'GET') return { status: 200, body: sandbox.stats() };
		if (path === '/stats' && method === 'DELETE') {
			sandbox.resetStats();
			return { status: 204, body: undefined };
		}
		throw new HttpError(404, 'not_found', `No control route ${method} /__mock${path}`);
	}

	// ------------------------------------------------------------ HTTP

	const rateHeaders = (key: string): { headers: Record<string, string>; exceeded: boolean } => {
		const nowMs = Date.now();
		const windowStart = Math.floor(nowMs / windowMs) * windowMs;
		let bucket = buckets.get(key);
		if (!bucket || bucket.windowStart !== windowStart)
			buckets.set(key, (bucket = { windowStart, count: 0 }));
		bucket.count += 1;
		const exceeded = bucket.count > limit;
		return {
			exceeded,
			headers: {
				'X-RateLimit-Limit': String(limit),
				'X-RateLimit-Remaining': String(Math.max(0, limit - bucket.count)),
				'X-RateLimit-Reset': String(Math.ceil((windowStart + windowMs) / 1000)),
			},
		};
	};

	const noteAuthFailure = (key: string) => {
		if (options.waf === false) return;
		const nowMs = Date.now();
		const recent = (authFailures.get(key) ?? []).filter((t) => nowMs - t < 10_000);
		recent.push(nowMs);
		authFailures.set(key, recent);
		if (recent.length >= 50) blockedUntil.set(key, nowMs + 5 * 60_000);
	};

	const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
		const url = new URL(req.url ?? '/', 'http://sandbox');
		const method = req.method ?? 'GET';
		const started = readRaw(req);
		const send = (
			status: number,
			body: unknown,
			headers: Record<string, string> = {},
			html = false,
			entry: Partial<RequestLogEntry> = {},
		) => {
			const write = () => {
				const payload = body === undefined ? undefined : html ? String(body) : JSON.stringify(body);
				res.writeHead(status, {
					...(payload === undefined
						? {}
						: { 'Content-Type': html ? 'text/html; charset=utf-8' : 'application/json' }),
					...headers,
				});
				res.end(payload);
			};
			if (!url.pathname.startsWith('/__mock'))
				log.push({ method, path: url.pathname + url.search, status, ...entry });
			if (options.latencyMs && !url.pathname.startsWith('/__mock'))
				setTimeout(write, options.latencyMs);
			else write();
		};

		started
			.then(async (rawBody) => {
				if (url.pathname.startsWith('/__mock/')) {
					const { status, body } = await routeControl(
						method,
						url.pathname.slice('/__mock'.length),
						rawBody,
					);
					return send(status, body);
				}
				let requestBody: unknown;
				try {
					requestBody = rawBody ? JSON.parse(rawBody) : undefined;
				} catch {
					requestBody = rawBody;
				}
				const entry: Partial<RequestLogEntry> = {
					body: requestBody,
					contentType: req.headers['content-type'],
				};
				if (!url.pathname.startsWith('/v1/') && url.pathname !== '/v1') {
					if (options.htmlForUnknownPaths === false)
						return send(
							404,
							{ key: 'not_found', error: `No route ${url.pathname}` },
							{},
							false,
							entry,
						);
					return send(200, HTML_PAGE, {}, true, entry);
				}
				const authorization = req.headers.authorization ?? '';
				const blocked = blockedUntil.get(authorization);
				if (blocked && blocked > Date.now()) {
					// What a WAF block looks like is not documented; a 403 HTML page is a guess.
					return send(403, '<html><body>Request blocked</body></html>', {}, true, entry);
				}
				let user: ServiceUser | undefined;
				const match = /^Basic\s+(.+)$/i.exec(authorization);
				if (match) {
					const decoded = Buffer.from(match[1], 'base64').toString('utf8');
					const colon = decoded.indexOf(':');
					const candidate = users.get(decoded.slice(0, colon));
					if (candidate && colon > 0 && candidate.token === decoded.slice(colon + 1))
						user = candidate;
				}
				const rate = rateHeaders(user?.id ?? `anonymous:${authorization}`);
				if (!user) {
					noteAuthFailure(authorization);
					const body =
						options.unauthorizedBody === 'json'
							? { key: 'unauthorized', error: 'Invalid service user ID or token' }
							: undefined;
					return send(401, body, rate.headers, false, entry);
				}
				entry.serviceUserId = user.id;
				if (rate.exceeded) {
					const headers = { ...rate.headers };
					if (options.retryAfter)
						headers['Retry-After'] = String(
							Math.max(
								1,
								Number(rate.headers['X-RateLimit-Reset']) - Math.floor(Date.now() / 1000),
							),
						);
					return send(
						429,
						{ key: 'rate_limit_exceeded', error: `Rate limit of ${limit} requests exceeded` },
						headers,
						false,
						entry,
					);
				}
				try {
					const result = await routeApi(method, url.pathname.slice(3), url, user, rawBody);
					return send(result.status, result.body, rate.headers, result.html, entry);
				} catch (error) {
					if (error instanceof HttpError) {
						if (error.status === 403) noteAuthFailure(authorization);
						return send(
							error.status,
							{ key: error.key, error: error.message },
							rate.headers,
							false,
							entry,
						);
					}
					throw error;
				}
			})
			.catch((error: unknown) => {
				if (error instanceof HttpError)
					return send(error.status, { key: error.key, error: error.message });
				send(500, {
					key: 'internal',
					error: error instanceof Error ? error.message : String(error),
				});
			});
	});

	await new Promise<void>((resolve) =>
		server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
	);
	const address = server.address() as AddressInfo;
	const origin = `http://${options.host ?? '127.0.0.1'}:${address.port}`;

	const sandbox: HiBobSandbox = {
		url: `${origin}/v1`,
		origin,
		serviceUserId,
		token,
		webhookSecret,
		setNow(iso: string) {
			clock = new Date(iso).toISOString();
			fireLifecycleTransitions();
		},
		advanceDays(days: number) {
			sandbox.setNow(new Date(new Date(clock).getTime() + days * 86_400_000).toISOString());
		},
		now: () => clock,
		today,
		employees: () => [...store.values()].map((e) => structuredClone(e)),
		employee: (idOrEmail: string) => {
			const e = find(idOrEmail);
			return e ? structuredClone(e) : undefined;
		},
		lifecycle: (id: string) => lifecycleOn(mustFind(id), today()),
		updateEmployee: api.updateEmployee,
		addEmployee: api.addEmployee,
		removeEmployee: api.removeEmployee,
		terminate: api.terminate,
		addServiceUser(user: ServiceUser) {
			users.set(user.id, user);
		},
		async registerWebhook(webhook: RegisteredWebhook) {
			// Like Bob: the webhook is saved only if the endpoint answers the Ping test with 2xx.
			const result = await ping(
				webhook.url,
				webhook.secret,
				options.signPing ?? false,
				deliveryLog,
			);
			if (result.ok) registered.push(webhook);
			return result;
		},
		webhooks: () => registered.map((hook) => ({ ...hook })),
		clearWebhooks() {
			registered.splice(0);
		},
		async emitWebhook(targetUrl, event, opts = {}) {
			const envelope = envelopeFor(event, bobTimestamp(clock));
			const { rawBody, headers } = buildDelivery(envelope, opts.secret ?? webhookSecret, opts);
			const deliveryOptions = {
				retryDelaysMs: options.webhookRetryDelaysMs,
				timeoutMs: options.webhookTimeoutMs,
				retries: 0,
				...opts,
			};
			const first = await deliver(
				targetUrl,
				rawBody,
				headers,
				envelope.type,
				deliveryOptions,
				deliveryLog,
			);
			if (!opts.duplicate) return first;
			return await deliver(
				targetUrl,
				rawBody,
				headers,
				envelope.type,
				deliveryOptions,
				deliveryLog,
			);
		},
		buildWebhook(event, opts = {}) {
			const envelope = envelopeFor(event, bobTimestamp(clock));
			return { envelope, ...buildDelivery(envelope, opts.secret ?? webhookSecret, opts) };
		},
		async flushWebhooks() {
			while (pending.size) await Promise.allSettled([...pending]);
		},
		deliveries: () => [...deliveryLog],
		stats: () => ({ requests: log.length, log: [...log] }),
		resetStats() {
			log.splice(0);
		},
		resetLimits() {
			buckets.clear();
			authFailures.clear();
			blockedUntil.clear();
		},
		close: () =>
			new Promise<void>((resolve, reject) => {
				server.closeAllConnections();
				server.close((error) => (error ? reject(error) : resolve()));
			}),
	};
	return sandbox;
}
