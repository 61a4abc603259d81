/**
 * Local stand-ins for the apps the example workflows sync into: a MobieTrain-style learning
 * app (invitations, user groups, stores), a Declaree-style expense app (users with a manager,
 * enabled flag) and a Oneteam-style communication app (communities, functions, users).
 *
 * They are not copies of those products' APIs (which are not public); they behave the way such
 * REST APIs do, so the example workflows meet real HTTP concerns: bearer-token auth (401),
 * paged listing, validation errors (422) that name the field, 404 for unknown ids, an optional
 * rate limit (429 with Retry-After) and referential checks (a user's group, store, community,
 * function or manager must exist first). Every write is kept in an audit log.
 *
 * Groups, stores, communities and functions are referenced from users by their `externalId`
 * (the HR system's key), so one sync run can create a group and then a user in it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type AppStyle = 'mobietrain' | 'declaree' | 'oneteam';

export type Row = Record<string, unknown> & { id: string };

export interface AuditEntry {
	at: string;
	method: string;
	path: string;
	status: number;
	resource: string;
	id?: string;
	body?: unknown;
}

export interface AppSandboxOptions {
	style: AppStyle;
	port?: number;
	host?: string;
	token?: string;
	/** Requests allowed per second before 429 (0 = unlimited). */
	rateLimitPerSecond?: number;
	/** Page size cap for listing endpoints. */
	maxPageSize?: number;
	/** Initial data per collection (users, groups, stores, communities, functions). */
	data?: Partial<Record<string, Array<Record<string, unknown>>>>;
	/** The app's clock, for invitedAt (ISO); default now. */
	now?: () => string;
}

export interface AppSandbox {
	style: AppStyle;
	url: string;
	token: string;
	collection(name: string): Row[];
	/** Replaces a collection's rows (ids are kept when given, assigned otherwise). */
	seed(name: string, rows: Array<Record<string, unknown>>): void;
	audit(): AuditEntry[];
	resetAudit(): void;
	/** Simulates users accepting their invitation (MobieTrain style): status invited -> active. */
	acceptInvitations(ids: string[]): void;
	close(): Promise<void>;
}

interface FieldRule {
	required?: boolean;
	type: 'string' | 'boolean' | 'stringArray' | 'nullableString';
	/** Collection whose externalId (or id, for managers) this field must reference. */
	references?: { collection: string; by: 'externalId' | 'id' };
	unique?: boolean;
	enum?: string[];
}

interface CollectionSpec {
	path: string;
	fields: Record<string, FieldRule>;
	/** Creation endpoint when it differs from POST <path> (MobieTrain invites users). */
	createPath?: string;
	onCreate?: (row: Row, now: string) => void;
	/** DELETE removes the row (true) or is not allowed (false). */
	deletable: boolean;
}

const reference = (collection: string, by: 'externalId' | 'id' = 'externalId') => ({
	collection,
	by,
});

const named: Record<string, FieldRule> = {
	externalId: { type: 'string', required: true, unique: true },
	name: { type: 'string', required: true },
};

const STYLES: Record<AppStyle, { basePath: string; collections: Record<string, CollectionSpec> }> =
	{
		mobietrain: {
			basePath: '/api/v1',
			collections: {
				groups: { path: '/groups', fields: named, deletable: true },
				stores: { path: '/stores', fields: named, deletable: true },
				users: {
					path: '/users',
					createPath: '/invitations',
					deletable: true,
					fields: {
						externalId: { type: 'string', required: true, unique: true },
						email: { type: 'string', required: true, unique: true },
						firstName: { type: 'string', required: true },
						lastName: { type: 'string', required: true },
						language: { type: 'nullableString' },
						jobDescription: { type: 'nullableString' },
						groups: { type: 'stringArray', references: reference('groups') },
						stores: { type: 'stringArray', references: reference('stores') },
						status: { type: 'string', enum: ['active', 'invited', 'deactivated'] },
					},
					onCreate: (row, now) => {
						row.status = 'invited';
						row.invitedAt = now;
						row.language = row.language ?? 'EN';
						row.groups = row.groups ?? [];
						row.stores = row.stores ?? [];
					},
				},
			},
		},
		declaree: {
			basePath: '/api',
			collections: {
				users: {
					path: '/users',
					deletable: false,
					fields: {
						externalId: { type: 'string', required: true, unique: true },
						username: { type: 'string', required: true, unique: true },
						email: { type: 'string', required: true },
						firstName: { type: 'string', required: true },
						lastName: { type: 'string', required: true },
						enabled: { type: 'boolean' },
						managerId: { type: 'nullableString', references: reference('users', 'id') },
					},
					onCreate: (row) => {
						row.enabled = row.enabled ?? true;
						row.managerId = row.managerId ?? null;
					},
				},
			},
		},
		oneteam: {
			basePath: '/api',
			collections: {
				communities: { path: '/communities', fields: named, deletable: true },
				functions: { path: '/functions', fields: named, deletable: true },
				users: {
					path: '/users',
					deletable: true,
					fields: {
						externalId: { type: 'string', required: true, unique: true },
						email: { type: 'string', required: true, unique: true },
						firstName: { type: 'string', required: true },
						lastName: { type: 'string', required: true },
						communityId: { type: 'string', required: true, references: reference('communities') },
						functionId: { type: 'string', required: true, references: reference('functions') },
						status: { type: 'string', enum: ['active', 'invited', 'deactivated'] },
					},
					onCreate: (row) => {
						row.status = row.status ?? 'invited';
					},
				},
			},
		},
	};

class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly details?: Record<string, string>,
	) {
		super(message);
	}
}

function readBody(req: IncomingMessage): Promise<unknown> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('error', reject);
		req.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			if (!text) return resolve(undefined);
			try {
				resolve(JSON.parse(text));
			} catch {
				reject(new HttpError(400, 'invalid_json', 'The request body is not valid JSON.'));
			}
		});
	});
}

export async function startAppSandbox(options: AppSandboxOptions): Promise<AppSandbox> {
	const style = STYLES[options.style];
	const token = options.token ?? `${options.style}-sandbox-token`;
	const maxPageSize = options.maxPageSize ?? 100;
	const now = options.now ?? (() => new Date().toISOString());
	const store = new Map<string, Map<string, Row>>();
	const counters = new Map<string, number>();
	const audit: AuditEntry[] = [];
	let windowStart = 0;
	let windowCount = 0;

	const nextId = (collection: string) => {
		const next = (counters.get(collection) ?? 0) + 1;
		counters.set(collection, next);
		return `${collection.slice(0, 3)}_${String(next).padStart(5, '0')}`;
	};
	const rowsOf = (collection: string) => {
		let rows = store.get(collection);
		if (!rows) store.set(collection, (rows = new Map()));
		return rows;
	};
	const seed = (collection: string, rows: Array<Record<string, unknown>>) => {
		const map = new Map<string, Row>();
		for (const row of rows) {
			const id = typeof row.id === 'string' ? row.id : nextId(collection);
			map.set(id, { ...row, id });
		}
		store.set(collection, map);
	};
	for (const name of Object.keys(style.collections)) seed(name, options.data?.[name] ?? []);

	function validate(
		collection: string,
		spec: CollectionSpec,
		body: unknown,
		existing?: Row,
	): Record<string, unknown> {
		if (!body || typeof body !== 'object' || Array.isArray(body)) {
			throw new HttpError(400, 'invalid_body', 'The request body must be a JSON object.');
		}
		const input = body as Record<string, unknown>;
		const errors: Record<string, string> = {};
		const clean: Record<string, unknown> = {};
		for (const [key, value] of Object.entries(input)) {
			const rule = spec.fields[key];
			if (!rule) {
				if (key !== 'id') errors[key] = `unknown field "${key}"`;
				continue;
			}
			const typeOk =
				(rule.type === 'string' && typeof value === 'string') ||
				(rule.type === 'nullableString' && (value === null || typeof value === 'string')) ||
				(rule.type === 'boolean' && typeof value === 'boolean') ||
				(rule.type === 'stringArray' &&
					Array.isArray(value) &&
					value.every((v) => typeof v === 'string'));
			if (!typeOk) {
				errors[key] =
					`must be ${rule.type === 'stringArray' ? 'an array of strings' : rule.type === 'nullableString' ? 'a string or null' : `a ${rule.type}`}`;
				continue;
			}
			if (rule.enum && !rule.enum.includes(value as string))
				errors[key] = `must be one of ${rule.enum.join(', ')}`;
			if (rule.unique && typeof value === 'string') {
				const taken = [...rowsOf(collection).values()].some(
					(row) =>
						row.id !== existing?.id && String(row[key]).toLowerCase() === value.toLowerCase(),
				);
				if (taken) errors[key] = `"${value}" is already taken`;
			}
			if (rule.references && value !== null) {
				const refs = Array.isArray(value) ? (value as string[]) : [value as string];
				const targets = [...rowsOf(rule.references.collection).values()];
				const by = rule.references.by;
				const missing = refs.filter((ref) => !targets.some((row) => row[by] === ref));
				if (missing.length) {
					errors[key] =
						`unknown ${rule.references.collection} ${missing.map((m) => `"${m}"`).join(', ')}: create ${missing.length > 1 ? 'them' : 'it'} first`;
				}
			}
			clean[key] = value;
		}
		if (!existing) {
			for (const [key, rule] of Object.entries(spec.fields)) {
				if (rule.required && (clean[key] === undefined || clean[key] === ''))
					errors[key] = 'is required';
			}
		}
		if (Object.keys(errors).length) {
			throw new HttpError(
				422,
				'validation_failed',
				`Validation failed: ${Object.entries(errors)
					.map(([k, v]) => `${k} ${v}`)
					.join('; ')}`,
				errors,
			);
		}
		return clean;
	}

	async function route(
		req: IncomingMessage,
		url: URL,
	): Promise<{
		status: number;
		body: unknown;
		entry?: Omit<AuditEntry, 'at' | 'method' | 'path' | 'status'>;
	}> {
		const method = req.method ?? 'GET';
		if (!url.pathname.startsWith(style.basePath))
			throw new HttpError(404, 'not_found', `No route ${method} ${url.pathname}`);
		const path = url.pathname.slice(style.basePath.length) || '/';
		for (const [name, spec] of Object.entries(style.collections)) {
			const rows = rowsOf(name);
			if (path === spec.path && method === 'GET') {
				const pageSize = Math.min(
					Math.max(Number(url.searchParams.get('pageSize') ?? maxPageSize) || maxPageSize, 1),
					maxPageSize,
				);
				const page = Math.max(Number(url.searchParams.get('page') ?? 1) || 1, 1);
				let all = [...rows.values()];
				const externalId = url.searchParams.get('externalId');
				if (externalId !== null) all = all.filter((row) => row.externalId === externalId);
				const data = all.slice((page - 1) * pageSize, page * pageSize);
				return {
					status: 200,
					body: { data, page, pageSize, total: all.length, hasMore: page * pageSize < all.length },
				};
			}
			if (path === (spec.createPath ?? spec.path) && method === 'POST') {
				const clean = validate(name, spec, await readBody(req));
				const row: Row = { ...clean, id: nextId(name) };
				spec.onCreate?.(row, now());
				rows.set(row.id, row);
				return { status: 201, body: row, entry: { resource: name, id: row.id, body: clean } };
			}
			const match = path.startsWith(`${spec.path}/`) ? path.slice(spec.path.length + 1) : undefined;
			if (match && !match.includes('/')) {
				const row = rows.get(decodeURIComponent(match));
				if (!row)
					throw new HttpError(
						404,
						'not_found',
						`No ${name.replace(/s$/, '')} with id "${decodeURIComponent(match)}"`,
					);
				if (method === 'GET') return { status: 200, body: row };
				if (method === 'PATCH' || method === 'PUT') {
					const clean = validate(name, spec, await readBody(req), row);
					Object.assign(row, clean);
					return { status: 200, body: row, entry: { resource: name, id: row.id, body: clean } };
				}
				if (method === 'DELETE') {
					if (!spec.deletable)
						throw new HttpError(
							405,
							'method_not_allowed',
							`${name} cannot be deleted; deactivate them instead (PATCH enabled=false)`,
						);
					rows.delete(row.id);
					return { status: 204, body: undefined, entry: { resource: name, id: row.id } };
				}
			}
		}
		throw new HttpError(404, 'not_found', `No route ${method} ${url.pathname}`);
	}

	const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
		const url = new URL(req.url ?? '/', 'http://sandbox');
		const method = req.method ?? 'GET';
		const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
			res.writeHead(status, {
				...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
				...headers,
			});
			res.end(body === undefined ? undefined : JSON.stringify(body));
		};
		const fail = (error: HttpError, headers: Record<string, string> = {}) => {
			send(
				error.status,
				{
					error: {
						code: error.code,
						message: error.message,
						...(error.details ? { fields: error.details } : {}),
					},
				},
				headers,
			);
			if (method !== 'GET')
				audit.push({
					at: now(),
					method,
					path: url.pathname,
					status: error.status,
					resource: 'error',
					body: error.message,
				});
		};
		if (req.headers.authorization !== `Bearer ${token}`) {
			return fail(
				new HttpError(
					401,
					'unauthorized',
					'Missing or invalid bearer token: send "Authorization: Bearer <API token>".',
				),
			);
		}
		if (options.rateLimitPerSecond) {
			const second = Math.floor(Date.now() / 1000);
			if (second !== windowStart) {
				windowStart = second;
				windowCount = 0;
			}
			if (++windowCount > options.rateLimitPerSecond) {
				return fail(
					new HttpError(
						429,
						'rate_limited',
						`Rate limit of ${options.rateLimitPerSecond} requests per second exceeded.`,
					),
					{ 'Retry-After': '1' },
				);
			}
		}
		route(req, url)
			.then(({ status, body, entry }) => {
				if (entry) audit.push({ at: now(), method, path: url.pathname, status, ...entry });
				send(status, body);
			})
			.catch((error: unknown) => {
				if (error instanceof HttpError) return fail(error);
				fail(
					new HttpError(500, 'internal', error instanceof Error ? error.message : String(error)),
				);
			});
	});

	await new Promise<void>((resolve) =>
		server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
	);
	const address = server.address() as AddressInfo;
	const url = `http://${options.host ?? '127.0.0.1'}:${address.port}${style.basePath}`;

	return {
		style: options.style,
		url,
		token,
		collection: (name) => [...rowsOf(name).values()],
		seed,
		audit: () => [...audit],
		resetAudit: () => void audit.splice(0),
		acceptInvitations(ids) {
			for (const id of ids) {
				const row = rowsOf('users').get(id);
				if (row?.status === 'invited') row.status = 'active';
			}
		},
		close: () =>
			new Promise<void>((resolve, reject) => {
				server.closeAllConnections();
				server.close((error) => (error ? reject(error) : resolve()));
			}),
	};
}
