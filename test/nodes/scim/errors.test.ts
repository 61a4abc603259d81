/**
 * SCIM 2.0 node errors and retries against the SCIM sandbox: SCIM Error bodies become errors that
 * say what the app said and what to fix; 429 and 503 are waited out (Retry-After), other 4xx are
 * never retried; Continue On Fail gives one error item per failed input item.
 */
import { startScimSandbox, type ScimSandbox } from '../../../sandbox/scim/server';
import { ENTERPRISE, RejectionLedger, jsonOf, run, scimCredentials, seedUsers } from './helpers';

let sandbox: ScimSandbox;
const ledger = new RejectionLedger();

beforeAll(async () => {
	sandbox = await startScimSandbox();
});
afterAll(async () => {
	await sandbox.close();
});
afterEach(() => {
	ledger.collect(sandbox);
	sandbox.reset();
});

const createUser = (payload: Record<string, unknown>) =>
	run(sandbox, { resource: 'user', operation: 'create' }, { inputs: [[{ payload }]] });

describe('SCIM errors', () => {
	it('404 on a user id names the id', async () => {
		ledger.allow(404, 'GET');
		const result = await run(sandbox, { resource: 'user', operation: 'get', userId: 'gone-1' });
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('The app has no User with id "gone-1" (404)');
		expect(result.error?.description).toMatch(/not the app’s SCIM id/);
		expect(result.error?.description).toMatch(/User "gone-1" not found/);
	});

	it('404 on a list is a wrong base URL', async () => {
		ledger.allow(404, 'GET');
		const credentials = scimCredentials({ url: `${sandbox.url}/v9`, token: sandbox.token });
		const result = await run(sandbox, { resource: 'user', operation: 'getAll' }, { credentials });
		expect(result.error?.message).toMatch(
			/^The app has no SCIM endpoint at http:\/\/127\.0\.0\.1:\d+\/scim\/v2\/v9\/Users\?startIndex=1&count=100 \(404\)$/,
		);
		expect(result.error?.description).toMatch(
			/Check the Base URL of the SCIM 2.0 API credential "scimApi \(test\)"/,
		);
	});

	it('409 uniqueness on create: the user exists already, run the sync again; not retried', async () => {
		ledger.allow(409, 'POST');
		sandbox.setUsers([{ userName: 'anouk@example.test' }]);
		const result = await createUser({ userName: 'Anouk@Example.test' });
		expect(result.error?.message).toBe(
			'This user exists already (userName "Anouk@Example.test"): run the sync again to match it',
		);
		expect(result.error?.description).toMatch(
			/^The app answered 409 uniqueness: userName "Anouk@Example.test" is already taken by User /,
		);
		expect(result.error?.description).toMatch(/Not retried\.$/);
		expect(sandbox.stats().log.map((e) => e.method)).toEqual(['POST']);
	});

	it('400 invalidValue gives the app’s detail and what it means', async () => {
		ledger.allow(400, 'POST');
		const result = await createUser({
			userName: 'a@example.test',
			[ENTERPRISE]: { manager: { value: 'E-99' } },
		});
		expect(result.error?.message).toBe(
			'The app rejected the request (400 invalidValue): manager.value "E-99" is not the id of a User here: set it to the manager\'s SCIM id (create the manager first)',
		);
		expect(result.error?.description).toMatch(
			/^A required value is missing or a value does not fit/,
		);
		expect(result.error?.description).toMatch(
			/Request: POST http:\/\/127\.0\.0\.1:\d+\/scim\/v2\/Users$/,
		);
		expect(result.error?.httpCode).toBe('400');
	});

	it('refuses a payload without userName before calling the app', async () => {
		const result = await createUser({ name: { givenName: 'No' } });
		expect(result.error?.message).toBe(
			'The User has no userName: SCIM requires it (RFC 7643, section 4.1)',
		);
		expect(sandbox.stats().requests).toBe(0);
	});

	it('401 names the credential, never shows the token, and stops calling the app for the run', async () => {
		ledger.allow(401, 'GET');
		const [user] = sandbox.setUsers(seedUsers(1));
		const credentials = scimCredentials(sandbox, { token: 'wrong-token-5d1c' });
		const result = await run(
			sandbox,
			{ resource: 'user', operation: 'get', userId: '={{ $json.id }}' },
			{ credentials, continueOnFail: true, inputs: [[{ id: user.id }, { id: user.id }]] },
		);
		expect(result.status).toBe('success');
		const items = result.outputs[0];
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(items[0].json).toEqual({
			error: 'The app rejected the SCIM 2.0 API credential "scimApi (test)" (401 Unauthorized)',
			description: expect.stringMatching(/^Check the Token \(Bearer Token\)/),
			httpCode: '401',
		});
		expect(items[0].json.description).toMatch(/Missing or invalid Bearer token/);
		expect(items[1].json.error).toBe(items[0].json.error);
		expect(items[1].json.description).toMatch(/The app was not called again for this item/);
		expect(sandbox.stats().requests).toBe(1);
		expect(JSON.stringify(result)).not.toContain('wrong-token-5d1c');
	});

	it('Continue On Fail: one error item for the failed item, the others go on', async () => {
		ledger.allow(404, 'DELETE');
		const [user] = sandbox.setUsers(seedUsers(1));
		const result = await run(
			sandbox,
			{ resource: 'user', operation: 'delete', userId: '={{ $json.id }}' },
			{ continueOnFail: true, inputs: [[{ id: 'missing-7' }, { id: user.id }]] },
		);
		expect(result.outputs[0].map((item) => [item.json, item.pairedItem])).toEqual([
			[
				{
					error: 'The app has no User with id "missing-7" (404)',
					description: expect.any(String),
					httpCode: '404',
				},
				{ item: 0 },
			],
			[{ id: user.id, resourceType: 'User', deleted: true }, { item: 1 }],
		]);
	});

	it('an address nothing listens at fails at once, without the token', async () => {
		const closed = await startScimSandbox();
		await closed.close();
		const credentials = scimCredentials({ url: closed.url, token: 'secret-token-41aa' });
		const result = await run(
			sandbox,
			{ resource: 'user', operation: 'getAll' },
			{ credentials, continueOnFail: true },
		);
		expect(result.outputs[0].map((item) => item.json)).toEqual([
			{
				error: `Could not reach the SCIM app at ${closed.url}/Users?startIndex=1&count=100`,
				description: expect.stringMatching(
					/refused the connection.*Check the Base URL of the SCIM 2.0 API credential\.$/,
				),
			},
		]);
		expect(JSON.stringify(result)).not.toContain('secret-token-41aa');
	});

	it('an empty User ID is named before calling the app', async () => {
		const result = await run(sandbox, { resource: 'user', operation: 'delete', userId: ' ' });
		expect(result.error?.message).toBe('"User ID" is empty');
		expect(sandbox.stats().requests).toBe(0);
	});
});

describe('retries', () => {
	it('waits out a 429 with Retry-After, then reads the list whole', async () => {
		sandbox.setUsers(seedUsers(3));
		sandbox.injectFault({ status: 429, retryAfterSeconds: 1, method: 'GET', path: '/Users' });
		const started = Date.now();
		const result = await run(sandbox, { resource: 'user', operation: 'getAll' });
		const elapsed = Date.now() - started;
		expect(jsonOf(result)).toHaveLength(3);
		expect(sandbox.stats().log.map((e) => e.status)).toEqual([429, 200, 200]);
		// Retry-After: 1 means at least a second between the two requests.
		expect(elapsed).toBeGreaterThanOrEqual(950);
	});

	it('waits out 503s in the middle of paging and on a write', async () => {
		sandbox.setUsers(seedUsers(4));
		sandbox.injectFault({
			status: 503,
			retryAfterSeconds: 0,
			times: 2,
			method: 'GET',
			path: '/Users',
		});
		const listed = await run(sandbox, {
			resource: 'user',
			operation: 'getAll',
			options: { pageSize: 2 },
		});
		expect(jsonOf(listed)).toHaveLength(4);
		sandbox.injectFault({ status: 503, retryAfterSeconds: 0, method: 'POST' });
		const created = await createUser({ userName: 'new@example.test' });
		expect(jsonOf(created)[0]).toMatchObject({ userName: 'new@example.test' });
		const log = sandbox.stats().log.map((e) => `${e.method} ${e.status}`);
		expect(log).toEqual([
			'GET 503',
			'GET 503',
			'GET 200',
			'GET 200',
			'GET 200',
			'POST 503',
			'POST 201',
		]);
		expect(sandbox.getUsers()).toHaveLength(5);
	});

	it('gives up after 5 retries with a clear error and outputs nothing', async () => {
		sandbox.setUsers(seedUsers(2));
		sandbox.injectFault({ status: 429, retryAfterSeconds: 0, times: 6 });
		const result = await run(sandbox, { resource: 'user', operation: 'getAll' });
		expect(result.error?.message).toBe(
			'The app’s rate limit was still exceeded after 6 attempts (429 Too Many Requests)',
		);
		expect(result.outputs).toEqual([]);
		expect(sandbox.stats().requests).toBe(6);
	});

	it('fails at once when Retry-After is longer than the node waits', async () => {
		sandbox.injectFault({ status: 503, retryAfterSeconds: 600 });
		const result = await run(sandbox, { resource: 'user', operation: 'getAll' });
		expect(result.error?.message).toBe(
			'The app asked to wait 600 s before trying again (503), longer than the node waits (120 s)',
		);
		expect(sandbox.stats().requests).toBe(1);
	});
});

describe('Errors: requests the sandbox refused', () => {
	it('none but the deliberately wrong ones', () => {
		expect(ledger.unexpected).toEqual([]);
	});
});
