/**
 * Where the credential goes: the SCIM 2.0 node and its credential test never follow a redirect
 * (the token would go with the request to wherever the app points, another host included), and
 * a Base URL with a query string, a fragment or a user name and password in it is refused with
 * what to fix instead of being sent half-understood.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CredentialTestContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	INodeType,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { nodeTypeRegistry } from '../../helpers/n8n';
import { run, scimCredentials } from './helpers';

interface Server {
	url: string;
	seen: Array<{ url: string; headers: IncomingHttpHeaders }>;
	close(): Promise<void>;
}

/** A server on `host` that answers every request with `answer(path)`: [status, headers, body]. */
async function startServer(
	host: string,
	answer: (path: string) => [number, Record<string, string>, unknown],
): Promise<Server> {
	const seen: Server['seen'] = [];
	const server = createServer((req, res) => {
		req.resume();
		seen.push({ url: req.url ?? '', headers: req.headers });
		const [status, headers, body] = answer(req.url ?? '');
		res.writeHead(status, { 'Content-Type': 'application/scim+json', ...headers });
		res.end(body === undefined ? '' : JSON.stringify(body));
	});
	await new Promise<void>((resolve) => server.listen(0, host, resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://${host}:${port}/scim/v2`,
		seen,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

const EMPTY_LIST = {
	schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
	totalResults: 0,
	Resources: [],
};

async function testCredential(data: ICredentialDataDecryptedObject) {
	const test = (nodeTypeRegistry().get('n8n-nodes-hr-sync.scim') as INodeType).methods
		?.credentialTest?.scimApiCredentialTest;
	const context = new CredentialTestContext({} as IWorkflowExecuteAdditionalData);
	return await test!.call(context, { id: 'c', name: 'My SCIM app', type: 'scimApi', data });
}

const servers: Server[] = [];
afterEach(async () => {
	await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('SCIM 2.0: redirects are not followed', () => {
	it.each<[string, ICredentialDataDecryptedObject]>([
		['Bearer Token', { authentication: 'bearer', token: 'tok-1234' }],
		[
			'Custom Header',
			{ authentication: 'header', headerName: 'X-Api-Key', headerToken: 'key-1234' },
		],
	])(
		'%s: a redirect to another host fails, naming where, and nothing is sent there',
		async (_label, data) => {
			const elsewhere = await startServer('127.0.0.2', () => [200, {}, EMPTY_LIST]);
			servers.push(elsewhere);
			const app = await startServer('127.0.0.1', (path) => [
				302,
				{ Location: `${elsewhere.url}${path.replace(/^\/scim\/v2/, '')}` },
				undefined,
			]);
			servers.push(app);
			const result = await run(
				{ url: app.url, token: '' },
				{ resource: 'user', operation: 'getAll', returnAll: true },
				{
					credentials: scimCredentials(
						{ url: app.url, token: '' },
						{ ...data, token: data.token ?? '' },
					),
				},
			);
			expect(result.status).toBe('error');
			expect(result.error?.message).toBe(
				`The app redirected the request to ${elsewhere.url}/Users?startIndex=1&count=100 (302)`,
			);
			expect(result.error?.description).toMatch(/does not follow redirects/);
			expect(result.error?.description).toMatch(/Base URL/);
			expect(result.outputs).toEqual([]);
			expect(elsewhere.seen).toEqual([]);

			const tested = await testCredential({ baseUrl: app.url, ...data });
			expect(tested.status).toBe('Error');
			expect(tested.message).toMatch(/redirect/);
			expect(tested.message).toContain(`${elsewhere.url}/ServiceProviderConfig`);
			expect(elsewhere.seen).toEqual([]);
		},
	);
});

describe('SCIM 2.0 API credential: a Base URL is an address only', () => {
	it.each([
		['a query string', 'http://127.0.0.1:9/scim/v2?api_key=q-SECRET-1', /query string/],
		['a fragment', 'http://127.0.0.1:9/scim/v2#users', /#/],
		[
			'a user name and password',
			'http://svc:pw-SECRET-2@127.0.0.1:9/scim/v2',
			/user name or password/,
		],
	])('refuses one with %s, naming the field and not the secret', async (_label, baseUrl, why) => {
		const result = await run(
			{ url: baseUrl, token: 't' },
			{ resource: 'user', operation: 'getAll', returnAll: true },
		);
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^The Base URL of the SCIM 2\.0 API credential/);
		expect(result.error?.message).toMatch(why);
		expect(JSON.stringify(result.error)).not.toMatch(/SECRET/);
		const tested = await testCredential({ baseUrl, token: 't' });
		expect(tested.status).toBe('Error');
		expect(tested.message).toMatch(/^The Base URL of the SCIM 2\.0 API credential/);
		expect(tested.message).not.toMatch(/SECRET/);
	});
});
