/**
 * The HiBob sandbox's fault knobs and search order, over HTTP: what the node tests of partial and
 * wrong-shaped answers rely on, so that they fail for the right reason.
 */
import { startHiBobSandbox, type HiBobSandbox } from '../../../sandbox/hibob/server';

const NOW = '2026-03-02T08:00:00.000Z';

let sandbox: HiBobSandbox;
let auth: string;

beforeEach(async () => {
	sandbox = await startHiBobSandbox({ now: NOW, employeeCount: 20 });
	auth = `Basic ${Buffer.from(`${sandbox.serviceUserId}:${sandbox.token}`).toString('base64')}`;
});
afterEach(async () => {
	await sandbox.close();
});

async function api(path: string, body?: unknown, method = 'POST') {
	const response = await fetch(`${sandbox.url}${path}`, {
		method,
		headers: { authorization: auth, 'content-type': 'application/json' },
		body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
	});
	return {
		status: response.status,
		contentType: response.headers.get('content-type'),
		text: await response.text(),
	};
}

async function searchIds(): Promise<string[]> {
	const { text } = await api('/people/search', { showInactive: true, fields: ['root.id'] });
	return (JSON.parse(text) as { employees: Array<{ id: string }> }).employees.map((e) => e.id);
}

async function control(method: string, path: string, body?: unknown) {
	const response = await fetch(`${sandbox.origin}/__mock${path}`, {
		method,
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	return { status: response.status, json: text ? (JSON.parse(text) as unknown) : undefined };
}

describe('HiBob sandbox: faults', () => {
	it('answers the next K searches with only the first N employees, then everyone again', async () => {
		const everyone = await searchIds();
		expect(everyone).toHaveLength(20);
		sandbox.addFault({ fault: { kind: 'partial', keep: 3 }, times: 2 });
		expect(await searchIds()).toEqual(everyone.slice(0, 3));
		expect(await searchIds()).toEqual(everyone.slice(0, 3));
		expect(await searchIds()).toEqual(everyone);
	});

	it('keeps a fraction of a search (rounded down), and never shortens a single read', async () => {
		sandbox.addFault({ fault: { kind: 'partial', fraction: 0.5 } });
		const first = sandbox.employees()[0];
		const read = JSON.parse((await api(`/people/${first.id}`, { fields: ['root.id'] })).text);
		expect(read).toMatchObject({ id: first.id });
		expect(await searchIds()).toHaveLength(10);
		expect(sandbox.faults()).toEqual([]);
	});

	it.each([
		['an empty object', { json: {} }, '{}', 'application/json'],
		['a null list', { json: { employees: null } }, '{"employees":null}', 'application/json'],
		['a web page', { html: '<html>Bob</html>' }, '<html>Bob</html>', 'text/html; charset=utf-8'],
		['no body at all', {}, '', null],
	])('answers 200 with %s for the next call', async (_label, body, text, contentType) => {
		sandbox.addFault({ fault: { kind: 'wrongShape', ...body }, endpoint: 'search' });
		const faulty = await api('/people/search', {});
		expect(faulty).toEqual({ status: 200, contentType, text });
		expect(JSON.parse((await api('/people/search', {})).text)).toHaveProperty('employees');
	});

	it('answers wrong shapes on reads, field metadata and named lists too, each for its endpoint', async () => {
		sandbox.addFault({ fault: { kind: 'wrongShape', json: { oops: true } }, endpoint: 'fields' });
		sandbox.addFault({ fault: { kind: 'wrongShape', json: [] }, endpoint: 'lists' });
		sandbox.addFault({ fault: { kind: 'wrongShape', json: {} }, endpoint: 'read' });
		expect((await api('/people/search', {})).text).toContain('"employees"');
		expect((await api('/company/people/fields', undefined, 'GET')).text).toBe('{"oops":true}');
		expect((await api('/company/named-lists/title', undefined, 'GET')).text).toBe('[]');
		expect((await api(`/people/${sandbox.employees()[0].id}`, {})).text).toBe('{}');
	});

	it('nulls the named fields in the nested form and drops their slash keys', async () => {
		sandbox.addFault({ fault: { kind: 'nullFields', fields: ['work.title', 'root.email'] } });
		const { text } = await api('/people/search', {
			fields: ['root.id', 'root.email', 'work.title'],
		});
		const [first] = (JSON.parse(text) as { employees: Array<Record<string, unknown>> }).employees;
		expect(first).toMatchObject({ email: null, work: { title: null } });
		expect(first).not.toHaveProperty('/work/title');
		expect(first).not.toHaveProperty('/root/email');
		expect(first).toHaveProperty('/root/id');
	});

	it('refuses rules it cannot apply, in code and through the control API', async () => {
		expect(() => sandbox.addFault({ fault: { kind: 'partial' } })).toThrow(RangeError);
		expect(() =>
			sandbox.addFault({ fault: { kind: 'nullFields', fields: ['__proto__.x'] } }),
		).toThrow('Not a field ID');
		expect(() => sandbox.addFault({ fault: { kind: 'partial', keep: 1 }, times: 0 })).toThrow(
			RangeError,
		);
		const refused = await control('POST', '/faults', { fault: { kind: 'explode' } });
		expect(refused.status).toBe(400);
		expect(sandbox.faults()).toEqual([]);
	});

	it('takes, lists and clears faults through the control API', async () => {
		const added = await control('POST', '/faults', {
			fault: { kind: 'partial', keep: 2 },
			times: 3,
		});
		expect(added).toEqual({
			status: 201,
			json: [{ fault: { kind: 'partial', keep: 2 }, times: 3, remaining: 3 }],
		});
		expect(await searchIds()).toHaveLength(2);
		expect((await control('GET', '/faults')).json).toEqual([
			expect.objectContaining({ remaining: 2 }),
		]);
		expect((await control('DELETE', '/faults')).status).toBe(204);
		expect(await searchIds()).toHaveLength(20);
	});
});

describe('HiBob sandbox: search order', () => {
	it('answers in the stored order by default, and in a new order on every call when shuffled', async () => {
		const stored = sandbox.employees().map((e) => e.id);
		expect(await searchIds()).toEqual(stored);
		expect(await searchIds()).toEqual(stored);
		expect((await control('POST', '/search-order', { order: 'shuffled' })).status).toBe(200);
		const orders = [await searchIds(), await searchIds(), await searchIds()];
		for (const order of orders) expect([...order].sort()).toEqual([...stored].sort());
		expect(new Set(orders.map((order) => order.join())).size).toBe(3);
		sandbox.setSearchOrder('stored');
		expect(await searchIds()).toEqual(stored);
		expect((await control('POST', '/search-order', { order: 'random' })).status).toBe(400);
	});
});
