/**
 * The SCIM 2.0 API credential: its test (the node's `scimApiCredentialTest`, which n8n runs
 * because the credential has no declarative test and the node names it with `testedBy`), run in
 * n8n-core's CredentialTestContext, and its authentication as the node sends it.
 */
import { CredentialTestContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	INodeType,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { credentialTypeRegistry, nodeTypeRegistry } from '../../helpers/n8n';
import { startScimSandbox, type ScimSandbox } from '../../../sandbox/scim/server';
import { jsonOf, run, scimCredentials } from './helpers';
import { quirkyUsers, startQuirkyApp, type QuirkyApp } from './quirkyApp';

function scimNode(): INodeType {
	return nodeTypeRegistry().get('n8n-nodes-hr-sync.scim') as INodeType;
}

/** Runs the credential test the way n8n's CredentialsTester calls a `testedBy` function. */
async function testCredential(data: ICredentialDataDecryptedObject) {
	const test = scimNode().methods?.credentialTest?.scimApiCredentialTest;
	if (!test) throw new Error('the SCIM 2.0 node has no scimApiCredentialTest');
	const context = new CredentialTestContext({} as IWorkflowExecuteAdditionalData);
	return await test.call(context, { id: 'cred-1', name: 'My SCIM app', type: 'scimApi', data });
}

let sandbox: ScimSandbox;
let app: QuirkyApp | undefined;

beforeAll(async () => {
	sandbox = await startScimSandbox();
});
afterAll(async () => {
	await sandbox.close();
});
afterEach(async () => {
	await app?.close();
	app = undefined;
	sandbox.reset();
});

describe('SCIM 2.0 API credential test', () => {
	it('is the node’s testedBy function: the credential has no declarative test', () => {
		expect(credentialTypeRegistry().get('scimApi')?.test).toBeUndefined();
		expect(scimNode().description.credentials).toEqual([
			{ name: 'scimApi', required: true, testedBy: 'scimApiCredentialTest' },
		]);
	});

	it('passes on GET /ServiceProviderConfig and says what the app supports', async () => {
		const result = await testCredential({ baseUrl: `${sandbox.url}/`, token: sandbox.token });
		expect(result).toEqual({
			status: 'OK',
			message:
				'Connected: the app answered GET /ServiceProviderConfig. It reports PATCH supported, at most 100 resources per page.',
		});
		expect(sandbox.stats().log.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
			'GET /ServiceProviderConfig 200',
		]);
	});

	it('fails on a wrong token without showing it, and does not fall back', async () => {
		const result = await testCredential({ baseUrl: sandbox.url, token: 'not-the-token-9f2' });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(
			/^The app rejected the credential on GET \/ServiceProviderConfig \(401\): Missing or invalid Bearer token/,
		);
		expect(result.message).not.toContain('not-the-token-9f2');
		expect(sandbox.stats().requests).toBe(1);
	});

	it('falls back to GET /Users when the app has no ServiceProviderConfig', async () => {
		app = await startQuirkyApp(quirkyUsers(3), 'noServiceProviderConfig');
		const result = await testCredential({ baseUrl: app.url, token: 't' });
		expect(result).toEqual({
			status: 'OK',
			message:
				'Connected: GET /Users answered a SCIM list (3 users). GET /ServiceProviderConfig answered 404: the app has none, which is fine.',
		});
		expect(app.seen.map((s) => s.url)).toEqual([
			'/scim/v2/ServiceProviderConfig',
			'/scim/v2/Users?startIndex=1&count=1',
		]);
	});

	it('fails on a base URL without a SCIM app, naming both answers', async () => {
		const result = await testCredential({
			baseUrl: `${sandbox.url}/nothing`,
			token: sandbox.token,
		});
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(
			/^No SCIM app at http:\/\/127\.0\.0\.1:\d+\/scim\/v2\/nothing: GET \/ServiceProviderConfig answered 404 and GET \/Users answered 404\. Check the Base URL/,
		);
	});

	it('fails on an address nothing listens at, and on an empty token, naming the field', async () => {
		const closed = await startQuirkyApp([]);
		const url = closed.url;
		await closed.close();
		const unreachable = await testCredential({ baseUrl: url, token: 't' });
		expect(unreachable).toEqual({
			status: 'Error',
			message: `Could not reach the app at ${url}: the connection was refused. Check the Base URL.`,
		});
		expect(await testCredential({ baseUrl: sandbox.url, token: ' ' })).toEqual({
			status: 'Error',
			message: 'The Token of the SCIM 2.0 API credential is empty (Authentication: Bearer Token)',
		});
		expect(await testCredential({ baseUrl: 'api.example.com/scim/v2', token: 't' })).toEqual({
			status: 'Error',
			message: expect.stringMatching(
				/^The Base URL of the SCIM 2.0 API credential must start with https:\/\//,
			),
		});
	});
});

describe('SCIM 2.0 API credential: authentication as the node sends it', () => {
	it('Bearer: a pasted "Bearer " prefix and a pasted /Users endpoint are tolerated', async () => {
		sandbox.setUsers([{ userName: 'a@example.test' }]);
		const credentials = scimCredentials(sandbox, {
			baseUrl: `${sandbox.url}/Users/`,
			token: `Bearer ${sandbox.token}`,
		});
		const result = await run(sandbox, { resource: 'user', operation: 'getAll' }, { credentials });
		expect(jsonOf(result).map((u) => u.userName)).toEqual(['a@example.test']);
		expect(sandbox.stats().rejected).toEqual([]);
	});

	it('Basic: username and password, plus the optional extra header', async () => {
		const expected = `Basic ${Buffer.from('scim-client:pa:ss').toString('base64')}`;
		app = await startQuirkyApp(
			quirkyUsers(2),
			'none',
			(headers) => headers.authorization === expected && headers['x-tenant'] === 'acme',
		);
		const credentials = scimCredentials(
			{ url: app.url, token: '' },
			{
				authentication: 'basic',
				username: 'scim-client',
				password: 'pa:ss',
				headerName: 'X-Tenant',
				headerToken: 'acme',
			},
		);
		const result = await run(
			{ url: app.url, token: '' },
			{ resource: 'user', operation: 'getAll' },
			{ credentials },
		);
		expect(jsonOf(result)).toHaveLength(2);
		const test = await testCredential(credentials.scimApi);
		expect(test.status).toBe('OK');
		expect(test.message).toContain('no PATCH (turn on "Use PUT" in Update)');
	});

	it('Custom Header: the token in the app’s own header, no Authorization', async () => {
		app = await startQuirkyApp(
			quirkyUsers(1),
			'none',
			(headers) => headers['x-api-key'] === 'k-123' && headers.authorization === undefined,
		);
		const credentials = scimCredentials(
			{ url: app.url, token: '' },
			{ authentication: 'header', headerName: 'X-Api-Key', headerToken: 'k-123' },
		);
		const result = await run(
			{ url: app.url, token: '' },
			{ resource: 'user', operation: 'getAll' },
			{ credentials },
		);
		expect(jsonOf(result)).toHaveLength(1);
		expect((await testCredential(credentials.scimApi)).status).toBe('OK');
	});

	it('an unusable credential fails the node with the field to fix, before any request', async () => {
		app = await startQuirkyApp(quirkyUsers(1));
		const credentials = scimCredentials(
			{ url: app.url, token: '' },
			{ authentication: 'header', headerName: 'X Api Key', headerToken: 'k' },
		);
		const result = await run(
			{ url: app.url, token: '' },
			{ resource: 'user', operation: 'getAll' },
			{ credentials },
		);
		expect(result.error?.message).toMatch(
			/^The Header Name of the SCIM 2.0 API credential is empty or not a valid header name/,
		);
		expect(result.error?.description).toMatch(/credential "scimApi \(test\)"/);
		expect(app.seen).toEqual([]);
	});
});
