import { hiBobBaseUrl } from '../../../credentials/common/hibob';
import { rateLimitWaitMs } from '../../../nodes/HiBob/transport';
import { startHiBobSandbox, type HiBobSandbox } from '../../../sandbox/hibob/server';
import { SANDBOX_NOW, hiBobCredentials, jsonOf, run } from './helpers';

// Rate limits, authentication failures and wrong addresses, through the node in n8n's engine.

let sandbox: HiBobSandbox | undefined;

afterEach(async () => {
	await sandbox?.close();
	sandbox = undefined;
});

const search = { resource: 'employee', operation: 'search', showInactive: true };

describe('rate limits', () => {
	it('waits for X-RateLimit-Reset after a 429 and then succeeds', async () => {
		// Wide enough that both requests fall in one window on a busy machine too (with 1 s, the
		// engine's start-up under load sometimes pushed the second request into the next window).
		const windowMs = 3000;
		sandbox = await startHiBobSandbox({
			now: SANDBOX_NOW,
			rateLimitPerMinute: 1,
			rateLimitWindowMs: windowMs,
		});
		// The sandbox's windows start at whole multiples of windowMs: start right after one begins,
		// so both items' requests fall in the same window and the second one meets the limit.
		await new Promise((resolve) => setTimeout(resolve, windowMs - (Date.now() % windowMs) + 10));
		const result = await run(sandbox!, search, { inputs: [[{}, {}]] });
		expect(result.status).toBe('success');
		expect(jsonOf(result)).toHaveLength(2 * sandbox!.employees().length);
		const statuses = sandbox!.stats().log.map((entry) => entry.status);
		expect(statuses).toContain(429);
		expect(statuses.filter((status) => status === 200)).toHaveLength(2);
		expect(statuses[statuses.length - 1]).toBe(200);
	});

	it('computes the wait from X-RateLimit-Reset, prefers Retry-After, caps it, and backs off without headers', () => {
		const now = 1_000_000_000_000;
		expect(rateLimitWaitMs({ 'X-RateLimit-Reset': String(now / 1000 + 10) }, 0, 65_000, now)).toBe(
			10_250,
		);
		expect(
			rateLimitWaitMs(
				{ 'retry-after': '3', 'x-ratelimit-reset': String(now / 1000 + 10) },
				0,
				65_000,
				now,
			),
		).toBe(3000);
		expect(rateLimitWaitMs({ 'x-ratelimit-reset': String(now / 1000 + 600) }, 0, 65_000, now)).toBe(
			65_000,
		);
		const backoff = rateLimitWaitMs({}, 2, 65_000, now);
		expect(backoff).toBeGreaterThanOrEqual(4000);
		expect(backoff).toBeLessThan(4500);
	});
});

describe('authentication failures', () => {
	it('never retries a 401, and stops calling HiBob for the rest of the run', async () => {
		sandbox = await startHiBobSandbox({ now: SANDBOX_NOW });
		const result = await run(sandbox!, search, {
			credentials: hiBobCredentials(sandbox!, { token: 'revoked-token' }),
			inputs: [[{}, {}, {}]],
			continueOnFail: true,
		});
		expect(sandbox!.stats().log.map((entry) => entry.status)).toEqual([401]);
		const errors = jsonOf(result);
		expect(errors).toHaveLength(3);
		expect(errors[0].error).toBe('HiBob rejected the service user ID or token (401 Unauthorized)');
		expect(errors[0].description).toContain('Service User ID and Token of the HiBob credential');
		expect(errors[2].description).toContain('HiBob was not called again in this run');
		expect(result.outputs[0].map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
	});

	it('names the service user and the permission group to check on a 403', async () => {
		sandbox = await startHiBobSandbox({
			now: SANDBOX_NOW,
			serviceUsers: [{ id: 'SERVICE-NO-PEOPLE', token: 't0ken', canReadPeople: false }],
		});
		const result = await run(sandbox!, search, {
			credentials: hiBobCredentials(sandbox!, {
				serviceUserId: 'SERVICE-NO-PEOPLE',
				token: 't0ken',
			}),
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			'HiBob refused access for this service user (403 Forbidden)',
		);
		expect(result.error?.description).toContain('Service user "SERVICE-NO-PEOPLE"');
		expect(result.error?.description).toContain('Permission groups');
		expect(sandbox!.stats().requests).toBe(1);
	});

	it('never puts the token or the Authorization header in errors or output', async () => {
		sandbox = await startHiBobSandbox({ now: SANDBOX_NOW });
		const secretToken = 'very-secret-token-9f2c';
		const failed = await run(sandbox!, search, {
			credentials: hiBobCredentials(sandbox!, { token: secretToken }),
		});
		const continued = await run(sandbox!, search, {
			credentials: hiBobCredentials(sandbox!, { token: secretToken }),
			continueOnFail: true,
		});
		const basic = Buffer.from(`${sandbox!.serviceUserId}:${secretToken}`).toString('base64');
		for (const text of [
			JSON.stringify(failed.error),
			JSON.stringify(failed.runData),
			JSON.stringify(continued.runData),
		]) {
			expect(text).not.toContain(secretToken);
			expect(text).not.toContain(basic);
		}
		expect(failed.error?.message).toContain('401');
		const ok = await run(sandbox!, search);
		expect(JSON.stringify(ok.runData)).not.toContain(sandbox!.token);
	});
});

describe('addresses', () => {
	it('explains a web page answer (wrong base URL) instead of returning it as data', async () => {
		sandbox = await startHiBobSandbox({ now: SANDBOX_NOW });
		const result = await run(sandbox!, search, {
			credentials: hiBobCredentials(sandbox!, { baseUrlOverride: sandbox!.origin }),
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('HiBob answered with a web page instead of JSON');
		expect(result.error?.description).toContain('must end in /v1');
	});

	it('says which address could not be reached', async () => {
		sandbox = await startHiBobSandbox({ now: SANDBOX_NOW });
		const closed = sandbox;
		await closed.close();
		sandbox = undefined;
		const result = await run(closed, search);
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(`Could not reach HiBob at ${closed.url}`);
	});

	it('uses the environment’s base URL unless overridden', () => {
		expect(hiBobBaseUrl({ environment: 'production' })).toBe('https://api.hibob.com/v1');
		expect(hiBobBaseUrl({ environment: 'sandbox', baseUrlOverride: '  ' })).toBe(
			'https://api.sandbox.hibob.com/v1',
		);
		expect(
			hiBobBaseUrl({ environment: 'sandbox', baseUrlOverride: 'http://127.0.0.1:3902/v1//' }),
		).toBe('http://127.0.0.1:3902/v1');
	});
});
