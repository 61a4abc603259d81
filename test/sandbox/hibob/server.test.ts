import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
	signBobPayload,
	startHiBobSandbox,
	type HiBobSandbox,
} from '../../../sandbox/hibob/server';

// The HiBob sandbox follows HiBob's public documentation; these tests pin the rules the
// nodes rely on, so a node test that passes against the sandbox passes for the right reason.

const NOW = '2026-03-02T08:00:00.000Z';

let sandbox: HiBobSandbox;
let auth: string;

async function call(
	path: string,
	init: { method?: string; body?: unknown; authorization?: string } = {},
) {
	const response = await fetch(`${sandbox.url}${path}`, {
		method: init.method ?? 'POST',
		headers: {
			authorization: init.authorization ?? auth,
			...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
		},
		body:
			init.body === undefined
				? undefined
				: typeof init.body === 'string'
					? init.body
					: JSON.stringify(init.body),
	});
	const text = await response.text();
	let json: any;
	try {
		json = text ? JSON.parse(text) : undefined;
	} catch {
		json = undefined;
	}
	return { status: response.status, headers: response.headers, text, json };
}

beforeEach(async () => {
	sandbox = await startHiBobSandbox({ now: NOW });
	auth = `Basic ${Buffer.from(`${sandbox.serviceUserId}:${sandbox.token}`).toString('base64')}`;
});
afterEach(async () => {
	await sandbox.close();
});

describe('HiBob sandbox: authentication and limits', () => {
	it('answers 401 with an empty body and rate-limit headers to a wrong token', async () => {
		const wrong = `Basic ${Buffer.from(`${sandbox.serviceUserId}:nope`).toString('base64')}`;
		const result = await call('/people/search', { body: {}, authorization: wrong });
		expect(result.status).toBe(401);
		expect(result.text).toBe('');
		expect(result.headers.get('x-ratelimit-limit')).toBe('50');
		expect(Number(result.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000 - 1);
	});

	it('answers 429 past the per-window limit, without Retry-After, and serves again in the next window', async () => {
		await sandbox.close();
		sandbox = await startHiBobSandbox({ now: NOW, rateLimitPerMinute: 2, rateLimitWindowMs: 1000 });
		auth = `Basic ${Buffer.from(`${sandbox.serviceUserId}:${sandbox.token}`).toString('base64')}`;
		let limited;
		for (let i = 0; i < 10 && !limited; i++) {
			const result = await call('/company/people/fields', { method: 'GET' });
			if (result.status === 429) limited = result;
		}
		expect(limited?.status).toBe(429);
		expect(limited?.headers.get('retry-after')).toBeNull();
		expect(limited?.headers.get('x-ratelimit-remaining')).toBe('0');
		const reset = Number(limited?.headers.get('x-ratelimit-reset'));
		await new Promise((resolve) =>
			setTimeout(resolve, Math.max(0, reset * 1000 - Date.now()) + 50),
		);
		expect((await call('/company/people/fields', { method: 'GET' })).status).toBe(200);
	});

	it('blocks an Authorization header after 50 failures within 10 seconds (WAF)', async () => {
		const wrong = `Basic ${Buffer.from('SERVICE-X:bad').toString('base64')}`;
		for (let i = 0; i < 50; i++)
			await call('/company/people/fields', { method: 'GET', authorization: wrong });
		const blocked = await call('/company/people/fields', { method: 'GET', authorization: wrong });
		expect(blocked.status).toBe(403);
		expect(blocked.text).toContain('blocked');
	});

	it('answers unknown paths with 200 text/html, like HiBob', async () => {
		const result = await call('/people/123/variables', { method: 'GET' });
		expect(result.status).toBe(200);
		expect(result.headers.get('content-type')).toContain('text/html');
	});

	it('answers the switched-off GET /people endpoints with 410', async () => {
		expect((await call('/people', { method: 'GET' })).status).toBe(410);
	});
});

describe('HiBob sandbox: people search', () => {
	it('returns active people only unless showInactive, with slash keys for non-null values and nested nulls', async () => {
		const fields = ['root.id', 'root.email', 'internal.status', 'internal.terminationDate'];
		const active = await call('/people/search', { body: { fields } });
		const all = await call('/people/search', { body: { fields, showInactive: true } });
		expect(active.json.employees.length).toBeLessThan(all.json.employees.length);
		expect(active.json.employees.every((e: any) => e.internal.status === 'Active')).toBe(true);
		const employee = active.json.employees[0];
		expect(employee['/root/email']).toEqual({ value: employee.email });
		expect(employee.internal.terminationDate).toBeNull();
		expect(employee).not.toHaveProperty('/internal/terminationDate');
	});

	it.each([
		['an empty filter list', { filters: [] }],
		['a null filter', { filters: null }],
		[
			'an empty values list',
			{ filters: [{ fieldPath: 'root.id', operator: 'equals', values: [] }] },
		],
		[
			'a filter on another field',
			{ filters: [{ fieldPath: 'work.department', operator: 'equals', values: ['x'] }] },
		],
		[
			'another operator',
			{ filters: [{ fieldPath: 'root.id', operator: 'contains', values: ['1'] }] },
		],
		[
			'two filters',
			{
				filters: [
					{ fieldPath: 'root.id', operator: 'equals', values: ['1'] },
					{ fieldPath: 'root.email', operator: 'equals', values: ['a@b.c'] },
				],
			},
		],
		['a lowercase humanReadable', { humanReadable: 'append' }],
		['more than 400 fields', { fields: Array.from({ length: 401 }, (_, i) => `work.f${i}`) }],
	])('answers 400 to %s', async (_label, body) => {
		const result = await call('/people/search', { body });
		expect(result.status).toBe(400);
		expect(result.json).toEqual({ key: 'bad_request', error: expect.any(String) });
	});

	it('filters by root.email (any case) and root.id, and drops unknown fields silently', async () => {
		const target = sandbox.employees()[2];
		const byEmail = await call('/people/search', {
			body: {
				fields: ['root.id', 'work.noSuchField'],
				filters: [
					{ fieldPath: 'root.email', operator: 'equals', values: [target.email!.toUpperCase()] },
				],
			},
		});
		expect(byEmail.status).toBe(200);
		expect(byEmail.json.employees).toEqual([{ '/root/id': { value: target.id }, id: target.id }]);
		const byId = await call('/people/search', {
			body: {
				fields: ['root.email'],
				filters: [{ fieldPath: 'root.id', operator: 'equals', values: [target.id] }],
			},
		});
		expect(byId.json.employees.map((e: any) => e.email)).toEqual([target.email]);
	});

	it('returns HiBob’s default field set when no fields are asked for (no custom fields, no internal)', async () => {
		const result = await call('/people/search', { body: {} });
		const employee = result.json.employees[0];
		expect(employee).toHaveProperty('work.title');
		expect(employee).toHaveProperty('about');
		expect(employee).not.toHaveProperty('internal');
		expect(employee.work).not.toHaveProperty('custom');
	});

	it('appends or replaces human-readable values', async () => {
		const fields = ['root.id', 'work.title', 'work.isManager', 'work.startDate'];
		const ceo = sandbox.employees()[0];
		const filters = [{ fieldPath: 'root.id', operator: 'equals', values: [ceo.id] }];
		const appended = (
			await call('/people/search', { body: { fields, filters, humanReadable: 'APPEND' } })
		).json.employees[0];
		expect(appended.work.title).toBe('255490048');
		expect(appended.humanReadable.work).toEqual({
			title: 'Chief Executive Officer',
			isManager: 'Yes',
			startDate: expect.stringMatching(/^\d\d\/\d\d\/\d{4}$/),
		});
		const replaced = (
			await call('/people/search', { body: { fields, filters, humanReadable: 'REPLACE' } })
		).json.employees[0];
		expect(replaced.work.title).toBe('Chief Executive Officer');
		expect(replaced['/work/title']).toEqual({ value: 'Chief Executive Officer' });
	});

	it('silently drops fields outside a restricted service user’s categories, and hides inactive people from an "active only" user', async () => {
		sandbox.addServiceUser({
			id: 'SERVICE-LIMITED',
			token: 'limited',
			categories: ['work'],
			peopleScope: 'active',
		});
		const limited = `Basic ${Buffer.from('SERVICE-LIMITED:limited').toString('base64')}`;
		const result = await call('/people/search', {
			body: {
				fields: ['root.id', 'work.title', 'home.mobilePhone', 'internal.status'],
				showInactive: true,
			},
			authorization: limited,
		});
		expect(result.status).toBe(200);
		expect(result.json.employees[0]).not.toHaveProperty('home');
		expect(result.json.employees[0]).not.toHaveProperty('internal');
		const everyone = (await call('/people/search', { body: { showInactive: true } })).json.employees
			.length;
		expect(result.json.employees.length).toBeLessThan(everyone);
	});

	it('answers 403 to a service user without people access', async () => {
		sandbox.addServiceUser({ id: 'SERVICE-NONE', token: 'none', canReadPeople: false });
		const result = await call('/people/search', {
			body: {},
			authorization: `Basic ${Buffer.from('SERVICE-NONE:none').toString('base64')}`,
		});
		expect(result.status).toBe(403);
	});
});

describe('HiBob sandbox: single reads, metadata and lists', () => {
	it('reads one employee by ID or email, unwrapped, and answers 404 for an unknown one', async () => {
		const target = sandbox.employees()[1];
		const byId = await call(`/people/${target.id}`, { body: { fields: ['root.email'] } });
		expect(byId.json.email).toBe(target.email);
		const byEmail = await call(`/people/${encodeURIComponent(target.email!)}`, { body: {} });
		expect(byEmail.json.id).toBe(target.id);
		expect((await call('/people/3000000000000000000', { body: {} })).status).toBe(404);
	});

	it('serves field metadata with root jsonPaths lacking "root." and case-sensitive named lists', async () => {
		const fields = (await call('/company/people/fields', { method: 'GET' })).json;
		expect(fields.find((f: any) => f.id === 'root.email').jsonPath).toBe('email');
		expect(fields.find((f: any) => f.id === 'work.title').typeData).toEqual({ listId: 'title' });
		expect((await call('/company/named-lists/terminationreason', { method: 'GET' })).status).toBe(
			200,
		);
		expect((await call('/company/named-lists/terminationReason', { method: 'GET' })).status).toBe(
			404,
		);
		const titles = (await call('/company/named-lists/title', { method: 'GET' })).json;
		const withArchived = (
			await call('/company/named-lists/title?includeArchived=true', { method: 'GET' })
		).json;
		expect(withArchived.items.length).toBe(titles.items.length + 1);
		expect(titles.items[0]).toEqual({
			id: expect.any(String),
			value: expect.any(String),
			name: expect.any(String),
			archived: false,
			children: [],
		});
	});
});

describe('HiBob sandbox: seeded company and clock', () => {
	it('seeds future hires, past and future terminations, garden leave, managers and missing emails', () => {
		const states = sandbox.employees().map((e) => ({ e, state: sandbox.lifecycle(e.id) }));
		const statuses = new Set(states.map(({ state }) => state.lifecycleStatus));
		expect([...statuses]).toEqual(
			expect.arrayContaining(['hired', 'employed', 'terminated', 'garden leave', 'parental leave']),
		);
		expect(
			states.some(
				({ e, state }) =>
					state.lifecycleStatus === 'employed' &&
					e.internal.terminationDate &&
					e.internal.terminationDate > sandbox.today(),
			),
		).toBe(true);
		expect(sandbox.employees().filter((e) => e.email === null).length).toBeGreaterThanOrEqual(2);
		expect(sandbox.employees().filter((e) => e.work.manager !== null).length).toBeGreaterThan(10);
	});

	it('gives the same company for the same seed and clock', async () => {
		const again = await startHiBobSandbox({ now: NOW });
		expect(again.employees()).toEqual(sandbox.employees());
		await again.close();
	});

	it('moves a future hire to employed and a future termination to terminated as the clock moves', () => {
		const hire = sandbox
			.employees()
			.find((e) => sandbox.lifecycle(e.id).lifecycleStatus === 'hired')!;
		sandbox.setNow(`${hire.work.startDate}T00:00:01Z`);
		expect(sandbox.lifecycle(hire.id)).toEqual({ status: 'Active', lifecycleStatus: 'employed' });
		const leaver = sandbox
			.employees()
			.find((e) => e.internal.terminationDate && e.internal.terminationDate > sandbox.today())!;
		sandbox.setNow(`${leaver.internal.terminationDate}T00:00:01Z`);
		expect(sandbox.lifecycle(leaver.id)).toEqual({
			status: 'Inactive',
			lifecycleStatus: 'terminated',
		});
	});
});

describe('HiBob sandbox: webhook emitter', () => {
	let receiver: Server;
	let receiverUrl: string;
	let received: Array<{ headers: IncomingMessage['headers']; body: string }>;
	let statuses: number[];

	beforeEach(async () => {
		received = [];
		statuses = [];
		receiver = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
				res.writeHead(statuses.shift() ?? 200).end();
			});
		});
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
		receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
	});
	afterEach(async () => {
		await new Promise((resolve) => receiver.close(resolve));
	});

	it('signs with the reference test vector', () => {
		const body =
			'{"companyId":636192,"type":"employee.joined","triggeredBy":"system","triggeredAt":"2025-01-08T00:00:01.123456","version":"v2","data":{"employeeId":"3332883854254932743"}}';
		expect(signBobPayload('mock-webhook-secret', body)).toBe(
			'WFEh9jbMA73M4adyRPc1XwwJGsYO/EFF9IScNq/FeOCbBJOUN8w/QreA3PMf/qvHUW+YFBDaNbJ1REootT9xRw==',
		);
	});

	it('delivers a signed v2 envelope and retries on a non-2xx answer', async () => {
		statuses = [500];
		const result = await sandbox.emitWebhook(
			receiverUrl,
			{ type: 'employee.updated', employeeId: '1', fieldUpdates: ['work.title'] },
			{ retries: 2, retryDelaysMs: [10, 10] },
		);
		expect(result).toEqual({ status: 200, attempts: 2, body: '' });
		expect(received).toHaveLength(2);
		const envelope = JSON.parse(received[1].body);
		expect(envelope).toEqual({
			companyId: 636192,
			type: 'employee.updated',
			triggeredBy: 'system',
			triggeredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/),
			version: 'v2',
			data: { employeeId: '1', fieldUpdates: ['work.title'] },
		});
		expect(received[1].headers['bob-signature']).toBe(
			signBobPayload(sandbox.webhookSecret, received[1].body),
		);
	});

	it('pings a new webhook and then fires lifecycle events when the clock passes a start date', async () => {
		const ok = await sandbox.registerWebhook({ url: receiverUrl, secret: sandbox.webhookSecret });
		expect(ok).toEqual({ ok: true, status: 200 });
		expect(received[0].body).toBe('Ping test');
		const hire = sandbox
			.employees()
			.find((e) => sandbox.lifecycle(e.id).lifecycleStatus === 'hired')!;
		sandbox.setNow(`${hire.work.startDate}T00:00:01Z`);
		await sandbox.flushWebhooks();
		const types = received
			.slice(1)
			.map((r) => JSON.parse(r.body))
			.filter((e) => e.data.employeeId === hire.id)
			.map((e) => e.type);
		expect(types).toEqual(expect.arrayContaining(['employee.joined', 'employee.activated']));
	});
});
