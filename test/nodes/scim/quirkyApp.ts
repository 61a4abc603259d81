/**
 * A tiny SCIM app on loopback with the paging and answer bugs seen in real SCIM servers (the SCIM
 * sandbox follows the RFC, so it cannot show them). It serves `GET /scim/v2/Users` and
 * `GET /scim/v2/ServiceProviderConfig` from a list of users, with one quirk switched on, and
 * records each request with its headers.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Quirk =
	| 'none'
	/** Every page is the first page. */
	| 'ignoresStartIndex'
	/** startIndex counted from 0: page 2 starts one user late. */
	| 'zeroBased'
	/** totalResults never above 5 (the page size), though there are more. */
	| 'cappedTotal'
	/** A user is added after the first page is served. */
	| 'growing'
	/** The second user has no id. */
	| 'missingId'
	/** A page past the end repeats the first page (SCIMMY 1.3.5 does this). */
	| 'repeatsPastEnd'
	/** The first page has its first user twice, in place of its second. */
	| 'twiceOnOnePage'
	/** Lists are `{}`, not a ListResponse. */
	| 'notAList'
	/** totalResults as a string, Content-Type text/json. */
	| 'looseTypes'
	/** Answers 200 with a login page. */
	| 'loginPage'
	/** Cuts the connection of the first request. */
	| 'resetFirst'
	/** No /ServiceProviderConfig (404). */
	| 'noServiceProviderConfig';

export interface Seen {
	method: string;
	url: string;
	headers: IncomingMessage['headers'];
}

export interface QuirkyApp {
	url: string;
	seen: Seen[];
	close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/scim+json') {
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	res.writeHead(status, {
		'Content-Type': type,
		'Content-Length': String(Buffer.byteLength(text)),
	});
	res.end(text);
}

/** `n` users u001 ... with ids in a different order than their names. */
export function quirkyUsers(n: number) {
	return Array.from({ length: n }, (_, i) => ({
		id: `id-${String((i * 7) % 100).padStart(2, '0')}-${i}`,
		userName: `u${String(i + 1).padStart(3, '0')}@example.test`,
	}));
}

function listPage(
	users: Array<Record<string, unknown>>,
	query: URLSearchParams,
	quirk: Quirk,
	served: number,
) {
	const count = Math.min(Number(query.get('count') ?? 100), 5);
	let start = Math.max(1, Number(query.get('startIndex') ?? 1)) - 1;
	if (quirk === 'ignoresStartIndex') start = 0;
	if (quirk === 'zeroBased') start += 1;
	if (quirk === 'repeatsPastEnd' && start >= users.length) start = 0;
	if (quirk === 'growing' && served === 1) {
		users.push({ id: 'id-late', userName: 'late@example.test' });
	}
	const page = users.slice(start, start + count);
	if (quirk === 'twiceOnOnePage' && start === 0 && page.length > 1) page[1] = page[0];
	const total = quirk === 'cappedTotal' ? Math.min(users.length, 5) : users.length;
	return {
		schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
		totalResults: quirk === 'looseTypes' ? String(total) : total,
		startIndex: start + 1,
		itemsPerPage: page.length,
		Resources: page,
	};
}

/** Starts the app with `users` and one `quirk`; `token` is the Bearer token it accepts (any when undefined). */
export async function startQuirkyApp(
	users: Array<Record<string, unknown>>,
	quirk: Quirk = 'none',
	accepts?: (headers: IncomingMessage['headers']) => boolean,
): Promise<QuirkyApp> {
	const seen: Seen[] = [];
	const data = users.map((user) => ({ ...user }));
	if (quirk === 'missingId' && data[1]) delete data[1].id;
	let served = 0;
	const server = createServer((req, res) => {
		seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
		req.resume();
		if (quirk === 'resetFirst' && seen.length === 1) return void req.socket.destroy();
		if (accepts && !accepts(req.headers))
			return send(res, 401, {
				schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
				status: '401',
				detail: 'Bad credentials',
			});
		const url = new URL(req.url ?? '/', 'http://app');
		if (quirk === 'loginPage')
			return send(res, 200, '<!DOCTYPE html><html><body>Sign in</body></html>', 'text/html');
		if (url.pathname === '/scim/v2/ServiceProviderConfig') {
			if (quirk === 'noServiceProviderConfig') return send(res, 404, 'Not Found', 'text/plain');
			return send(res, 200, {
				schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
				patch: { supported: false },
				filter: { supported: true, maxResults: 5 },
			});
		}
		if (url.pathname !== '/scim/v2/Users')
			return send(res, 404, { status: 404, detail: 'No such endpoint' });
		if (quirk === 'notAList') return send(res, 200, {});
		const body = listPage(data, url.searchParams, quirk, served++);
		send(res, 200, body, quirk === 'looseTypes' ? 'text/json' : 'application/scim+json');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/scim/v2`,
		seen,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
