import { loadOptions, testCredential } from '../../helpers/n8n';
import {
	FIELDS,
	NAMED_LISTS,
	startHiBobSandbox,
	type HiBobSandbox,
} from '../../../sandbox/hibob/server';
import { NODE_TYPE, SANDBOX_NOW, hiBobCredentials, jsonOf, run } from './helpers';

// Metadata → Get Fields, Named List → Get / Get Many, the dropdowns and the credential test.

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
});

describe('Metadata → Get Fields', () => {
	it('returns one item per field of the company, sent as a GET without a body', async () => {
		const result = await run(sandbox, { resource: 'metadata', operation: 'getFields' });
		expect(jsonOf(result)).toEqual(FIELDS);
		const [request] = sandbox.stats().log;
		expect(request).toMatchObject({
			method: 'GET',
			path: '/v1/company/people/fields',
			body: undefined,
			contentType: undefined,
		});
	});

	it('keeps only one category when asked', async () => {
		const fields = jsonOf(
			await run(sandbox, { resource: 'metadata', operation: 'getFields', category: 'internal' }),
		);
		expect(fields.length).toBeGreaterThan(2);
		expect(fields.every((field) => field.category === 'internal')).toBe(true);
	});
});

describe('Named List', () => {
	it('Get returns the list with its items, archived ones only on request', async () => {
		const [titles] = jsonOf(
			await run(sandbox, { resource: 'namedList', operation: 'get', listName: 'title' }),
		);
		const [all] = jsonOf(
			await run(sandbox, {
				resource: 'namedList',
				operation: 'get',
				listName: 'title',
				includeArchived: true,
			}),
		);
		expect(titles.name).toBe('title');
		expect((titles.items as unknown[]).length).toBe(NAMED_LISTS.title.length - 1);
		expect((all.items as unknown[]).length).toBe(NAMED_LISTS.title.length);
		expect(sandbox.stats().log.map((entry) => entry.path)).toEqual([
			'/v1/company/named-lists/title?includeArchived=false',
			'/v1/company/named-lists/title?includeArchived=true',
		]);
	});

	it('Get explains that list names are case-sensitive when a list is not found', async () => {
		const result = await run(sandbox, {
			resource: 'namedList',
			operation: 'get',
			listName: 'terminationReason',
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('HiBob has no named list "terminationReason"');
		expect(result.error?.description).toContain('case-sensitive');
	});

	it('Get Many returns one item per list, archived items only on request', async () => {
		const lists = jsonOf(await run(sandbox, { resource: 'namedList', operation: 'getMany' }));
		expect(lists.map((list) => list.name)).toEqual(Object.keys(NAMED_LISTS));
		expect(lists.find((list) => list.name === 'department')).toMatchObject({
			items: expect.arrayContaining([expect.objectContaining({ name: 'Engineering' })]),
		});
		const withArchived = jsonOf(
			await run(sandbox, { resource: 'namedList', operation: 'getMany', includeArchived: true }),
		);
		const count = (set: typeof lists) =>
			(set.find((list) => list.name === 'title')!.items as unknown[]).length;
		expect(count(withArchived)).toBe(count(lists) + 1);
	});
});

describe('Dropdowns', () => {
	it('offer the company’s fields and list names', async () => {
		const fields = (await loadOptions({
			type: NODE_TYPE,
			method: 'getFields',
			credentials: hiBobCredentials(sandbox),
		})) as Array<{ name: string; value: string }>;
		expect(fields).toHaveLength(FIELDS.length);
		expect(fields).toContainEqual({
			name: 'Work › Job title',
			value: 'work.title',
			description: 'work.title (list)',
		});
		const lists = (await loadOptions({
			type: NODE_TYPE,
			method: 'getNamedLists',
			credentials: hiBobCredentials(sandbox),
		})) as Array<{ value: string }>;
		expect(lists.map((list) => list.value)).toEqual(
			[...Object.keys(NAMED_LISTS)].sort((a, b) => a.localeCompare(b)),
		);
	});

	it('fail loudly instead of showing an empty list when the credential is wrong', async () => {
		await expect(
			loadOptions({
				type: NODE_TYPE,
				method: 'getFields',
				credentials: hiBobCredentials(sandbox, { token: 'wrong' }),
			}),
		).rejects.toThrow('HiBob rejected the service user ID or token (401 Unauthorized)');
	});
});

describe('Credential test', () => {
	const data = () => ({
		serviceUserId: sandbox.serviceUserId,
		token: sandbox.token,
		environment: 'production',
		baseUrlOverride: `${sandbox.url}/`,
	});

	it('passes with the sandbox service user (GET /company/people/fields)', async () => {
		const result = await testCredential('hiBobApi', data());
		expect(result).toMatchObject({ ok: true, status: 200 });
		expect(sandbox.stats().log).toEqual([
			expect.objectContaining({ method: 'GET', path: '/v1/company/people/fields', status: 200 }),
		]);
	});

	it('fails with a wrong token', async () => {
		const result = await testCredential('hiBobApi', { ...data(), token: 'not-the-token' });
		expect(result).toMatchObject({ ok: false, status: 401 });
	});
});

describe('answers of another shape', () => {
	it.each([
		[
			'Get Fields',
			{ resource: 'metadata', operation: 'getFields' },
			'fields',
			{ fields: [] },
			'GET /company/people/fields is not the documented shape: not a list of fields',
		],
		[
			'Named List → Get Many',
			{ resource: 'namedList', operation: 'getMany' },
			'lists',
			[],
			'GET /company/named-lists is not the documented shape: not an object of lists by name',
		],
		[
			'Named List → Get',
			{ resource: 'namedList', operation: 'get', listName: 'title' },
			'lists',
			'ok',
			'GET /company/named-lists/{name} is not the documented shape: not a list object',
		],
	] as const)(
		'%s fails instead of returning nothing',
		async (_label, parameters, endpoint, json, message) => {
			sandbox.addFault({ fault: { kind: 'wrongShape', json }, endpoint });
			const result = await run(sandbox, parameters);
			expect(result.status).toBe('error');
			expect(result.error?.message).toBe(`HiBob's answer to ${message}`);
		},
	);

	it('the dropdowns fail instead of offering an empty list', async () => {
		sandbox.addFault({ fault: { kind: 'wrongShape', json: {} }, endpoint: 'fields' });
		await expect(
			loadOptions({ type: NODE_TYPE, method: 'getFields', credentials: hiBobCredentials(sandbox) }),
		).rejects.toThrow('not a list of fields');
		sandbox.addFault({ fault: { kind: 'wrongShape', json: null }, endpoint: 'lists' });
		await expect(
			loadOptions({
				type: NODE_TYPE,
				method: 'getNamedLists',
				credentials: hiBobCredentials(sandbox),
			}),
		).rejects.toThrow('not an object of lists by name');
	});
});
