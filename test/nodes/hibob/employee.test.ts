import { runWorkflow } from '../../helpers/n8n';
import {
	CUSTOM_COST_CENTRE,
	startHiBobSandbox,
	type HiBobSandbox,
} from '../../../sandbox/hibob/server';
import {
	NODE_TYPE,
	SANDBOX_NOW,
	hiBobCredentials,
	inIdOrder,
	jsonOf,
	run,
	searchBodies,
} from './helpers';

// HiBob node, resource Employee, run inside n8n's engine against the HiBob sandbox.

let sandbox: HiBobSandbox;

beforeAll(async () => {
	sandbox = await startHiBobSandbox({ now: SANDBOX_NOW });
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => {
	sandbox.resetStats();
	sandbox.resetLimits();
	sandbox.clearFaults();
	sandbox.setSearchOrder('stored');
});

const search = (extra: Record<string, unknown> = {}) => ({
	resource: 'employee',
	operation: 'search',
	...extra,
});

describe('Employee → Search', () => {
	it('returns one simplified object per active employee with the sync fields, in the reference’s nested shape', async () => {
		const result = await run(sandbox, search());
		expect(result.status).toBe('success');
		const employees = jsonOf(result);
		const active = sandbox.employees().filter((e) => sandbox.lifecycle(e.id).status === 'Active');
		expect(employees.map((e) => e.id)).toEqual(inIdOrder(active.map((e) => e.id)));
		const daan = employees.find((e) => e.email === 'daan.bakker@acme-hr.example')!;
		const ceo = sandbox.employees()[0];
		expect(daan).toEqual({
			id: expect.stringMatching(/^\d{19}$/),
			email: 'daan.bakker@acme-hr.example',
			firstName: 'Daan',
			surname: 'Bakker',
			displayName: 'Daan Bakker',
			work: {
				title: '255490049',
				department: '209192161',
				site: 'Amsterdam',
				startDate: expect.stringMatching(/^\d{4}-\d\d-\d\d$/),
				reportsTo: {
					id: ceo.id,
					firstName: 'Sophie',
					surname: 'de Vries',
					email: ceo.email,
					displayName: 'Sophie de Vries',
				},
			},
			internal: { status: 'Active', lifecycleStatus: 'employed', terminationDate: null },
		});
		expect(Object.keys(daan).some((key) => key.startsWith('/'))).toBe(false);
		expect(
			result.outputs[0].every(
				(item) => JSON.stringify(item.pairedItem) === JSON.stringify({ item: 0 }),
			),
		).toBe(true);
	});

	it('sends one search without filters, with the chosen fields and showInactive', async () => {
		await run(sandbox, search({ showInactive: true }));
		const bodies = searchBodies(sandbox);
		expect(bodies).toHaveLength(1);
		expect(bodies[0]).not.toHaveProperty('filters');
		expect(bodies[0]).toMatchObject({
			showInactive: true,
			fields: expect.arrayContaining(['root.id', 'internal.lifecycleStatus', 'work.reportsTo']),
		});
	});

	it('includes future hires and leavers with Show Inactive', async () => {
		const employees = jsonOf(await run(sandbox, search({ showInactive: true })));
		expect(employees).toHaveLength(sandbox.employees().length);
		const statuses = employees.map(
			(e) => (e.internal as { lifecycleStatus: string }).lifecycleStatus,
		);
		expect(statuses).toEqual(expect.arrayContaining(['hired', 'terminated']));
	});

	it('returns HiBob’s raw answer, slash keys included, when Simplify is off', async () => {
		const [first] = jsonOf(await run(sandbox, search({ simplify: false })));
		expect(first['/root/email']).toEqual({ value: first.email });
		expect(first).toHaveProperty('work.title');
	});

	it.each([
		['none', undefined, '255490048'],
		['append', 'APPEND', '255490048'],
		['replace', 'REPLACE', 'Chief Executive Officer'],
	])('human-readable %s sends %s', async (option, sent, title) => {
		const ceoId = sandbox.employees()[0].id;
		const employees = jsonOf(await run(sandbox, search({ humanReadable: option })));
		const ceo = employees.find((e) => e.id === ceoId)!;
		expect(searchBodies(sandbox)[0].humanReadable).toBe(sent);
		expect((ceo.work as { title: string }).title).toBe(title);
		if (option === 'append')
			expect(ceo.humanReadable).toMatchObject({ work: { title: 'Chief Executive Officer' } });
		else expect(ceo).not.toHaveProperty('humanReadable');
	});

	it('reads custom fields given by ID next to the picked ones', async () => {
		const employees = jsonOf(
			await run(sandbox, search({ fields: ['root.email'], customFieldIds: CUSTOM_COST_CENTRE })),
		);
		expect(searchBodies(sandbox)[0].fields).toEqual(['root.id', 'root.email', CUSTOM_COST_CENTRE]);
		expect(employees[0]).toEqual({
			id: expect.any(String),
			email: expect.any(String),
			work: { custom: { field_1700000001: expect.stringMatching(/^CC-/) } },
		});
	});

	it('asks for HiBob’s default set when the field list is cleared', async () => {
		const [first] = jsonOf(await run(sandbox, search({ fields: [] })));
		expect(searchBodies(sandbox)[0]).not.toHaveProperty('fields');
		expect(first).toHaveProperty('about');
		expect(first).not.toHaveProperty('internal');
	});

	it('reads a list of IDs and emails in batches, IDs and emails apart, never with an empty filter', async () => {
		const people = sandbox.employees().filter((e) => e.email !== null);
		const ids = people.slice(0, 3).map((e) => e.id);
		const emails = people.slice(3, 5).map((e) => e.email!.toUpperCase());
		const result = await run(
			sandbox,
			search({
				scope: 'list',
				identifiers: `${ids.join(', ')}\n${emails.join(';')}, ${people[0].email}`,
				showInactive: true,
				options: { batchSize: 2 },
			}),
		);
		expect(jsonOf(result).map((e) => e.id)).toEqual(
			inIdOrder([...ids, ...people.slice(3, 5).map((e) => e.id)]),
		);
		const filters = searchBodies(sandbox).map(
			(body) => (body.filters as Array<{ fieldPath: string; values: string[] }>)[0],
		);
		expect(filters.map((f) => [f.fieldPath, f.values.length])).toEqual([
			['root.id', 2],
			['root.id', 1],
			['root.email', 2],
			['root.email', 1],
		]);
		expect(filters.every((f) => f.values.length > 0)).toBe(true);
	});

	it('takes an array from an expression as the ID list', async () => {
		const target = sandbox.employees()[3];
		const result = await run(sandbox, search({ scope: 'list', identifiers: '={{ $json.ids }}' }), {
			inputs: [[{ ids: [target.id] }]],
		});
		expect(jsonOf(result).map((e) => e.id)).toEqual([target.id]);
	});

	it('returns nothing, without calling HiBob, for an empty ID list', async () => {
		const result = await run(sandbox, search({ scope: 'list', identifiers: '={{ $json.ids }}' }), {
			inputs: [[{ ids: [] }]],
		});
		expect(result.status).toBe('success');
		expect(jsonOf(result)).toEqual([]);
		expect(sandbox.stats().requests).toBe(0);
	});

	it('refuses more than 400 fields before calling HiBob', async () => {
		const fields = Array.from({ length: 401 }, (_, i) => `work.custom.field_${i}`).join(',');
		const result = await run(sandbox, search({ customFieldIds: fields }));
		expect(result.status).toBe('error');
		expect(result.error?.message).toContain('at most 400 fields');
		expect(sandbox.stats().requests).toBe(0);
	});

	it('warns once per run about requested fields HiBob left out, instead of showing them as empty', async () => {
		sandbox.addServiceUser({ id: 'SERVICE-WORK-ONLY', token: 'work-only', categories: ['work'] });
		const credentials = hiBobCredentials({
			...sandbox,
			serviceUserId: 'SERVICE-WORK-ONLY',
			token: 'work-only',
		});
		const result = await run(
			sandbox,
			search({ fields: ['root.email', 'work.title', 'internal.status', 'home.mobilePhone'] }),
			{
				credentials,
				inputs: [[{}, {}]],
			},
		);
		expect(result.status).toBe('success');
		const employees = jsonOf(result);
		expect(employees[0]).not.toHaveProperty('internal');
		const hints =
			(
				result.runData['Node Under Test'][0] as {
					hints?: Array<{ message: string; type?: string }>;
				}
			).hints ?? [];
		expect(hints).toHaveLength(1);
		expect(hints[0].type).toBe('warning');
		expect(hints[0].message).toContain('home.mobilePhone, internal.status');
		expect(hints[0].message).toContain('missing, not empty');
	});

	it('gives no warning when every requested field came back (nulls count as returned)', async () => {
		const result = await run(
			sandbox,
			search({ fields: ['root.email', 'internal.terminationDate'] }),
		);
		expect((result.runData['Node Under Test'][0] as { hints?: unknown[] }).hints ?? []).toEqual([]);
	});

	it('works in a Manual Trigger → HiBob Search workflow with a credential whose base URL override points at the sandbox', async () => {
		const result = await runWorkflow(
			{
				nodes: [
					{
						id: '1',
						name: 'Start',
						type: 'test.trigger',
						typeVersion: 1,
						position: [0, 0],
						parameters: {},
					},
					{
						id: '2',
						name: 'HiBob',
						type: NODE_TYPE,
						typeVersion: 1,
						position: [200, 0],
						parameters: { resource: 'employee', operation: 'search', showInactive: true },
					},
				],
				connections: { Start: { main: [[{ node: 'HiBob', type: 'main', index: 0 }]] } },
			},
			{ credentials: hiBobCredentials({ ...sandbox, url: `${sandbox.url}/` }) },
		);
		expect(result.status).toBe('success');
		expect(result.output('HiBob')).toHaveLength(sandbox.employees().length);
	});
});

describe('Employee → Get', () => {
	it('reads one employee by ID and by work email', async () => {
		const target = sandbox.employees()[4];
		const byId = jsonOf(
			await run(sandbox, { resource: 'employee', operation: 'get', identifier: target.id }),
		);
		const byEmail = jsonOf(
			await run(sandbox, { resource: 'employee', operation: 'get', identifier: target.email! }),
		);
		expect(byId).toHaveLength(1);
		expect(byId[0]).toMatchObject({
			id: target.id,
			email: target.email,
			internal: { status: 'Active' },
		});
		expect(byEmail).toEqual(byId);
		expect(sandbox.stats().log.map((entry) => entry.path)).toEqual([
			`/v1/people/${target.id}`,
			`/v1/people/${encodeURIComponent(target.email!)}`,
		]);
	});

	it('reads an inactive employee (future hire) too, with human-readable values replaced', async () => {
		const hire = sandbox
			.employees()
			.find((e) => sandbox.lifecycle(e.id).lifecycleStatus === 'hired')!;
		const [employee] = jsonOf(
			await run(sandbox, {
				resource: 'employee',
				operation: 'get',
				identifier: hire.id,
				humanReadable: 'replace',
			}),
		);
		expect(employee.internal).toMatchObject({ status: 'Inactive', lifecycleStatus: 'Hired' });
	});

	it('reads custom fields by ID and returns HiBob’s raw answer with Simplify off', async () => {
		const target = sandbox.employees()[2];
		const [employee] = jsonOf(
			await run(sandbox, {
				resource: 'employee',
				operation: 'get',
				identifier: target.id,
				fields: ['root.email'],
				customFieldIds: CUSTOM_COST_CENTRE,
				simplify: false,
			}),
		);
		expect(employee).toEqual({
			'/root/id': { value: target.id },
			'/root/email': { value: target.email },
			[`/${CUSTOM_COST_CENTRE.replace(/\./g, '/')}`]: {
				value: target.work.custom[CUSTOM_COST_CENTRE],
			},
			id: target.id,
			email: target.email,
			work: { custom: { field_1700000001: target.work.custom[CUSTOM_COST_CENTRE] } },
		});
	});

	it('says which employee does not exist, and keeps going per item with Continue On Fail', async () => {
		const known = sandbox.employees()[0];
		const result = await run(
			sandbox,
			{ resource: 'employee', operation: 'get', identifier: '={{ $json.who }}' },
			{
				inputs: [[{ who: '3999999999999999999' }, { who: known.id }]],
				continueOnFail: true,
			},
		);
		expect(result.status).toBe('success');
		const [missing, found] = result.outputs[0];
		expect(missing.json.error).toBe('HiBob has no employee with ID or email "3999999999999999999"');
		expect(missing.pairedItem).toEqual({ item: 0 });
		expect(found.json.id).toBe(known.id);
		expect(found.pairedItem).toEqual({ item: 1 });
	});

	it('fails with the same message without Continue On Fail', async () => {
		const result = await run(sandbox, {
			resource: 'employee',
			operation: 'get',
			identifier: 'nobody@acme-hr.example',
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			'HiBob has no employee with ID or email "nobody@acme-hr.example"',
		);
		expect(result.error?.description).toContain('Lifecycle status equals Employed');
	});
});

describe('Employee → Search: a fixed order and exact answers', () => {
	it('outputs everyone by employee ID (numeric order) though HiBob’s order changes on every call', async () => {
		sandbox.setSearchOrder('shuffled');
		const answered: string[][] = [];
		const outputs: string[][] = [];
		for (let run_ = 0; run_ < 3; run_++) {
			sandbox.resetStats();
			outputs.push(
				jsonOf(await run(sandbox, search({ showInactive: true }))).map((e) => String(e.id)),
			);
			// What the sandbox answered, read back through the same search unsorted.
			const raw = await fetch(`${sandbox.url}/people/search`, {
				method: 'POST',
				headers: {
					authorization: `Basic ${Buffer.from(`${sandbox.serviceUserId}:${sandbox.token}`).toString('base64')}`,
					'content-type': 'application/json',
				},
				body: JSON.stringify({ showInactive: true, fields: ['root.id'] }),
			});
			answered.push(
				((await raw.json()) as { employees: Array<{ id: string }> }).employees.map((e) => e.id),
			);
		}
		expect(new Set(answered.map((ids) => ids.join())).size).toBe(3);
		const expected = inIdOrder(sandbox.employees().map((e) => e.id));
		for (const ids of outputs) expect(ids).toEqual(expected);
	});

	it('outputs a list read in batches by employee ID too', async () => {
		sandbox.setSearchOrder('shuffled');
		const ids = sandbox
			.employees()
			.slice(5, 12)
			.map((e) => e.id);
		const result = await run(
			sandbox,
			search({
				scope: 'list',
				identifiers: [...ids].reverse().join(','),
				showInactive: true,
				options: { batchSize: 3 },
			}),
		);
		expect(jsonOf(result).map((e) => e.id)).toEqual(inIdOrder(ids));
	});

	it.each([
		['{}', { json: {} }, 'no "employees" list'],
		['{ employees: null }', { json: { employees: null } }, 'no "employees" list'],
		[
			'an employee without id',
			{ json: { employees: [{ email: 'x@y.z' }] } },
			'entry 1 of 1 in "employees" is an object without "id"',
		],
		[
			'one ID twice with different data',
			{
				json: {
					employees: [
						{ id: '1', displayName: 'Ann' },
						{ id: '2', displayName: 'Bo' },
						{ id: '1', displayName: 'Anna' },
					],
				},
			},
			'employee 1 comes twice in "employees", with different data',
		],
		[
			'an ID as a number beyond 2^53 (two such IDs can parse as one)',
			{
				json: {
					employees: [{ id: Number('3332883894235038486') }, { id: Number('3332883894235038487') }],
				},
			},
			'entry 1 of 2 in "employees" is an object whose "id" is a number too large to read exactly (3332883894235038700)',
		],
	])('fails on a 200 answer of %s instead of returning nobody', async (_label, body, problem) => {
		sandbox.addFault({ fault: { kind: 'wrongShape', ...body }, endpoint: 'search' });
		const result = await run(sandbox, search());
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			`HiBob's answer to POST /people/search is not the documented shape: ${problem}`,
		);
		expect(result.error?.description).toContain('Nothing was output');
		expect(result.outputs).toEqual([]);
	});

	it('gives an error item for that input item with Continue On Fail, and reads the next one', async () => {
		sandbox.addFault({
			fault: { kind: 'wrongShape', json: { employees: null } },
			endpoint: 'search',
		});
		const result = await run(sandbox, search({ scope: 'list', identifiers: '={{ $json.id }}' }), {
			inputs: [[{ id: sandbox.employees()[1].id }, { id: sandbox.employees()[2].id }]],
			continueOnFail: true,
		});
		const [failed, found] = result.outputs[0];
		expect(failed.json.error).toContain('not the documented shape');
		expect(failed.pairedItem).toEqual({ item: 0 });
		expect(found.json.id).toBe(sandbox.employees()[2].id);
	});

	it('Get fails on an answer that is not an employee, or is another employee', async () => {
		const target = sandbox.employees()[3];
		const get = { resource: 'employee', operation: 'get', identifier: target.id };
		sandbox.addFault({ fault: { kind: 'wrongShape', json: {} }, endpoint: 'read' });
		const empty = await run(sandbox, get);
		expect(empty.error?.message).toBe(
			'HiBob\'s answer to POST /people/{id or email} is not the documented shape: the answer is an object without "id"',
		);
		sandbox.addFault({ fault: { kind: 'wrongShape' }, endpoint: 'read' });
		expect((await run(sandbox, get)).error?.message).toContain('the answer is not an object');
		sandbox.addFault({
			fault: { kind: 'wrongShape', json: { id: sandbox.employees()[4].id, email: 'someone@else' } },
			endpoint: 'read',
		});
		const other = await run(sandbox, get);
		expect(other.error?.message).toContain(
			`asked for employee ${target.id}, HiBob answered with employee ${sandbox.employees()[4].id}`,
		);
		expect(other.error?.description).not.toContain('someone@else');
		expect((await run(sandbox, get)).status).toBe('success');
	});
});
