/**
 * Secrets never leave through the SCIM 2.0 node: an app that quotes the request's headers (or the
 * token) back in its error body gets its words quoted with the credential's secrets hidden, in
 * the node's error, in Continue On Fail items and in the credential test's message.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CredentialTestContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	INodeType,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { nodeTypeRegistry } from '../../helpers/n8n';
import { run, scimCredentials } from './helpers';

interface EchoApp {
	url: string;
	close(): Promise<void>;
}

/** An app that refuses every request with `status`, quoting the request's headers. */
async function startEchoApp(status: number): Promise<EchoApp> {
	const server = createServer((req: IncomingMessage, res) => {
		req.resume();
		const body = JSON.stringify({
			schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
			status: String(status),
			detail: `Refused. You sent ${JSON.stringify(req.headers)}`,
		});
		res.writeHead(status, { 'Content-Type': 'application/scim+json' });
		res.end(body);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/scim/v2`,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

const SECRETS = {
	token: 'tok-SECRET-1234',
	password: 'pw-SECRET-5678',
	basic: Buffer.from('svc-user:pw-SECRET-5678').toString('base64'),
	header: 'key-SECRET-9012',
	extra: 'tenant-SECRET-3456',
};

const CREDENTIALS: Array<[string, ICredentialDataDecryptedObject]> = [
	['Bearer Token', { authentication: 'bearer', token: SECRETS.token }],
	[
		'Bearer Token pasted with "Bearer "',
		{ authentication: 'bearer', token: `Bearer ${SECRETS.token}` },
	],
	['Basic Auth', { authentication: 'basic', username: 'svc-user', password: SECRETS.password }],
	[
		'Custom Header',
		{ authentication: 'header', headerName: 'X-Api-Key', headerToken: SECRETS.header },
	],
	[
		'Bearer Token with an extra header',
		{
			authentication: 'bearer',
			token: SECRETS.token,
			headerName: 'X-Tenant',
			headerToken: SECRETS.extra,
		},
	],
];

function leaked(value: unknown): string[] {
	const text = JSON.stringify(value);
	return Object.values(SECRETS).filter((secret) => text.includes(secret));
}

let app: EchoApp | undefined;
afterEach(async () => {
	await app?.close();
	app = undefined;
});

describe('SCIM 2.0 node: secrets the app quotes back are hidden', () => {
	it.each(CREDENTIALS)('%s: in errors and Continue On Fail items', async (_label, data) => {
		for (const status of [400, 401, 500]) {
			app = await startEchoApp(status);
			const credentials = scimCredentials(
				{ url: app.url, token: '' },
				{ ...data, token: data.token ?? '' },
			);
			const failed = await run(
				{ url: app.url, token: '' },
				{ resource: 'user', operation: 'getAll', returnAll: true },
				{ credentials },
			);
			expect(failed.status).toBe('error');
			expect(failed.error?.message).toMatch(/\(4\d\d|\(500|rejected/);
			expect(JSON.stringify(failed.error)).toContain('[hidden]');
			expect(leaked(failed.error)).toEqual([]);
			const items = await run(
				{ url: app.url, token: '' },
				{ resource: 'user', operation: 'get', userId: 'u-1' },
				{ credentials, inputs: [[{}, {}]], continueOnFail: true },
			);
			expect(items.outputs[0]).toHaveLength(2);
			expect(leaked(items.outputs)).toEqual([]);
			await app.close();
			app = undefined;
		}
	});

	it.each(CREDENTIALS)('%s: in the credential test', async (_label, data) => {
		const test = (nodeTypeRegistry().get('n8n-nodes-hr-sync.scim') as INodeType).methods
			?.credentialTest?.scimApiCredentialTest;
		for (const status of [401, 403]) {
			app = await startEchoApp(status);
			const context = new CredentialTestContext({} as IWorkflowExecuteAdditionalData);
			const result = await test!.call(context, {
				id: 'cred-1',
				name: 'My SCIM app',
				type: 'scimApi',
				data: { baseUrl: app.url, ...data },
			});
			expect(result.status).toBe('Error');
			expect(result.message).toContain('[hidden]');
			expect(leaked(result)).toEqual([]);
			await app.close();
			app = undefined;
		}
	});
});
