/**
 * Connection resets and the Continue On Fail item, through the HiBob node and its dropdowns,
 * against a tiny loopback server told per request whether to cut the connection (the HiBob
 * sandbox has no reset switch).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { loadOptions, runNode } from '../../helpers/n8n';
import { NODE_TYPE, hiBobCredentials, jsonOf } from './helpers';

const EMPLOYEE = { id: '3332883894235038486', email: 'jane@acme-hr.example', firstName: 'Jane' };
const FIELD = { id: 'work.title', name: 'Job title', category: 'work', type: 'list' };
const TOKEN = 'network-test-token-7c1e';

/** What the server does with request number `n` (1-based). */
type Answer = 'reset' | 'ok' | 'unauthorized' | 'unavailable';

interface TestServer {
	url: string;
	/** Requests received, in order ("METHOD /path"), reset ones included. */
	requests(): string[];
	close(): Promise<void>;
}

function send(res: import('node:http').ServerResponse, status: number, body: unknown): void {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'Content-Type': 'application/json; charset=utf-8',
		'Content-Length': String(Buffer.byteLength(text)),
	});
	res.end(text);
}

async function startServer(answer: (n: number) => Answer): Promise<TestServer> {
	const seen: string[] = [];
	const server: Server = createServer((req, res) => {
		seen.push(`${req.method} ${req.url}`);
		req.resume();
		const what = answer(seen.length);
		if (what === 'reset') req.socket.destroy();
		else if (what === 'unauthorized') send(res, 401, { error: 'Unauthorized' });
		else if (what === 'unavailable') {
			res.setHeader('Retry-After', '1');
			send(res, 503, { error: 'Service Unavailable' });
		} else if (req.url?.startsWith('/v1/people/search')) send(res, 200, { employees: [EMPLOYEE] });
		else send(res, 200, [FIELD]);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/v1`,
		requests: () => [...seen],
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

function credentialsFor(server: TestServer) {
	return hiBobCredentials({
		url: server.url,
		serviceUserId: 'SERVICE-1',
		token: TOKEN,
		webhookSecret: 'unused',
	});
}

let server: TestServer | undefined;

afterEach(async () => {
	await server?.close();
	server = undefined;
});

describe('connection resets and unavailable answers', () => {
	it.each([
		['a reset connection', 'reset'],
		['a 503 after its Retry-After', 'unavailable'],
	] as const)('retries %s and returns the answer of the next attempt', async (_, first) => {
		server = await startServer((n) => (n === 1 ? first : 'ok'));
		const result = await runNode({
			type: NODE_TYPE,
			parameters: { resource: 'employee', operation: 'search', showInactive: true, fields: [] },
			credentials: credentialsFor(server),
		});
		expect(result.status).toBe('success');
		expect(jsonOf(result)).toEqual([EMPLOYEE]);
		expect(server.requests()).toEqual(['POST /v1/people/search', 'POST /v1/people/search']);
	});

	it('gives up after the retries with the address and the reason, never the token', async () => {
		server = await startServer(() => 'reset');
		// The field dropdown allows one retry, so it fails fast.
		const error = (await loadOptions({
			type: NODE_TYPE,
			method: 'getFields',
			credentials: credentialsFor(server),
		}).catch((caught: unknown) => caught)) as { message: string; description?: string };
		expect(error.message).toBe(`Could not reach HiBob at ${server.url}`);
		expect(error.description).toContain(
			'the connection was reset (ECONNRESET), also after 2 attempts',
		);
		expect(JSON.stringify(error)).not.toContain(TOKEN);
		expect(server.requests()).toEqual([
			'GET /v1/company/people/fields',
			'GET /v1/company/people/fields',
		]);
	});

	it('gives up on a HiBob that stays unavailable with its status, and outputs nothing', async () => {
		server = await startServer(() => 'unavailable');
		const error = (await loadOptions({
			type: NODE_TYPE,
			method: 'getFields',
			credentials: credentialsFor(server),
		}).catch((caught: unknown) => caught)) as { message: string; httpCode?: string };
		expect(error.message).toMatch(/503/);
		expect(server.requests()).toEqual([
			'GET /v1/company/people/fields',
			'GET /v1/company/people/fields',
		]);
	});

	it('never retries a 401 that follows a reset', async () => {
		server = await startServer((n) => (n === 1 ? 'reset' : 'unauthorized'));
		const result = await runNode({
			type: NODE_TYPE,
			parameters: { resource: 'metadata', operation: 'getFields' },
			credentials: credentialsFor(server),
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			'HiBob rejected the service user ID or token (401 Unauthorized)',
		);
		expect(server.requests()).toHaveLength(2);
	});
});

describe('Continue On Fail', () => {
	it('gives one error item per failed input item: error, description and HTTP code', async () => {
		server = await startServer(() => 'unauthorized');
		const result = await runNode({
			type: NODE_TYPE,
			parameters: { resource: 'metadata', operation: 'getFields' },
			credentials: credentialsFor(server),
			inputs: [[{}, {}]],
			settings: { onError: 'continueRegularOutput' },
		});
		expect(result.status).toBe('success');
		expect(result.outputs[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(result.outputs[0][0].json).toEqual({
			error: 'HiBob rejected the service user ID or token (401 Unauthorized)',
			description: expect.stringContaining('Service User ID and Token of the HiBob credential'),
			httpCode: '401',
		});
		expect(Object.keys(result.outputs[0][1].json).sort()).toEqual([
			'description',
			'error',
			'httpCode',
		]);
		expect(JSON.stringify(result.outputs)).not.toContain(TOKEN);
		expect(server.requests()).toHaveLength(1);
	});
});
