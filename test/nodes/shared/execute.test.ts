/**
 * The one operation contract of the action nodes (chooseOperation + runPerItem): the same error
 * for an unknown operation and the same Continue On Fail item, AFAS and HiBob alike.
 */
import { credentialsFor, runNode } from '../../helpers/n8n';
import { startStatusServer } from '../afas/helpers';

const TOKEN_DATA = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90';

function afasCredentials(url: string) {
	return credentialsFor('afasApi', {
		connectUsing: 'url',
		url,
		token: `<token><version>1</version><data>${TOKEN_DATA}</data></token>`,
	});
}

function hiBobCredentials(url: string) {
	return credentialsFor('hiBobApi', {
		serviceUserId: 'SERVICE-1',
		token: 'execute-test-token',
		environment: 'production',
		baseUrlOverride: url,
	});
}

describe('one operation contract', () => {
	it('refuses an operation the node does not have, with the same message in both nodes', async () => {
		const afas = await runNode({
			type: 'afasGetConnector',
			parameters: { resource: 'connector', operation: 'deleteAll' },
			credentials: afasCredentials('http://127.0.0.1:9/ProfitRestServices'),
		});
		const hiBob = await runNode({
			type: 'hiBob',
			parameters: { resource: 'employee', operation: 'deleteAll' },
			credentials: hiBobCredentials('http://127.0.0.1:9/v1'),
		});
		expect(afas.error?.message).toBe('The operation "deleteAll" of "connector" is not supported');
		expect(hiBob.error?.message).toBe('The operation "deleteAll" of "employee" is not supported');
	});

	it('gives the same Continue On Fail item in both nodes: error, description, httpCode', async () => {
		const server = await startStatusServer(401);
		try {
			const settings = { onError: 'continueRegularOutput' as const };
			const afas = await runNode({
				type: 'afasGetConnector',
				parameters: { resource: 'connector', operation: 'getAll' },
				credentials: afasCredentials(server.url),
				inputs: [[{}, {}]],
				settings,
			});
			const hiBob = await runNode({
				type: 'hiBob',
				parameters: { resource: 'metadata', operation: 'getFields' },
				credentials: hiBobCredentials(server.url),
				inputs: [[{}, {}]],
				settings,
			});
			for (const result of [afas, hiBob]) {
				expect(result.status).toBe('success');
				expect(result.outputs[0].map((item) => item.pairedItem)).toEqual([
					{ item: 0 },
					{ item: 1 },
				]);
				for (const item of result.outputs[0]) {
					expect(Object.keys(item.json).sort()).toEqual(['description', 'error', 'httpCode']);
					expect(item.json.httpCode).toBe('401');
				}
			}
			expect(afas.outputs[0][0].json.error).toBe(
				'AFAS answered 401 Unauthorized on the connector list (metainfo)',
			);
			expect(hiBob.outputs[0][0].json.error).toBe(
				'HiBob rejected the service user ID or token (401 Unauthorized)',
			);
		} finally {
			await server.close();
		}
	});

	it('puts the failed item on the error output with On Error: Continue (using error output)', async () => {
		// n8n moves an item to the error output only when the item carries its error (or its JSON
		// is nothing but `error`): without that, a failed write reaches the success output and
		// Sync Audit records it as done.
		const server = await startStatusServer(401);
		try {
			const settings = { onError: 'continueErrorOutput' as const };
			const afas = await runNode({
				type: 'afasGetConnector',
				parameters: { resource: 'connector', operation: 'getAll' },
				credentials: afasCredentials(server.url),
				inputs: [[{ n: 1 }, { n: 2 }]],
				settings,
			});
			const hiBob = await runNode({
				type: 'hiBob',
				parameters: { resource: 'metadata', operation: 'getFields' },
				credentials: hiBobCredentials(server.url),
				inputs: [[{ n: 1 }, { n: 2 }]],
				settings,
			});
			for (const result of [afas, hiBob]) {
				expect(result.status).toBe('success');
				expect(result.outputs[0]).toEqual([]);
				expect(result.outputs[1].map((item) => item.json.n)).toEqual([1, 2]);
				for (const item of result.outputs[1]) {
					// n8n adds the input item's fields; the failure is `error` and `details`, as in
					// n8n's HTTP Request node.
					expect(Object.keys(item.json).sort()).toEqual(['details', 'error', 'n']);
					expect(typeof item.json.error).toBe('string');
					expect(item.json.details).toMatchObject({ httpCode: '401' });
					expect(typeof (item.json.details as { description?: unknown }).description).toBe(
						'string',
					);
				}
			}
		} finally {
			await server.close();
		}
	});
});
