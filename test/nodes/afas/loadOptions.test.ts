/**
 * Dropdowns (list search and load options) with n8n's real LoadOptionsContext, and the
 * credential test as n8n's credential tester runs it, against the AFAS sandbox.
 */
import type { INodeListSearchResult, INodePropertyOptions } from 'n8n-workflow';
import { Workflow, type INodeTypes } from 'n8n-workflow';

import { AfasApi } from '../../../credentials/AfasApi.credentials';
import { ACCEPTED_TOKEN_FORMS, afasBaseUrl } from '../../../credentials/common/afas';
import { loadOptions, testCredential } from '../../helpers/n8n';
import { startAfasSandbox, type AfasSandbox } from '../../../sandbox/afas/server';
import { afasCredentials, NODE_TYPE } from './helpers';

let sandbox: AfasSandbox;

beforeAll(async () => {
	sandbox = await startAfasSandbox({ employeeCount: 20 });
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.clearFaults();
	sandbox.resetStats();
});

const WRONG_TOKEN = '0123456789ABCDEF'.repeat(4);

describe('connector list', () => {
	it('lists the GetConnectors of the token, searchable by id', async () => {
		const all = (await loadOptions({
			type: NODE_TYPE,
			kind: 'listSearch',
			method: 'searchConnectors',
			credentials: afasCredentials(sandbox),
		})) as INodeListSearchResult;
		const ids = all.results.map((result) => result.value);
		expect(ids).toEqual(
			expect.arrayContaining(['Mobietrain_Employees', 'Oneteam_Users', 'Profit_Employees']),
		);
		expect(ids).toEqual([...ids].sort((a, b) => String(a).localeCompare(String(b))));

		const filtered = (await loadOptions({
			type: NODE_TYPE,
			kind: 'listSearch',
			method: 'searchConnectors',
			filter: 'oneteam',
			credentials: afasCredentials(sandbox),
		})) as INodeListSearchResult;
		expect(filtered.results.length).toBeGreaterThan(0);
		expect(filtered.results.every((result) => String(result.value).startsWith('Oneteam_'))).toBe(
			true,
		);
	});

	it('surfaces a failing request as an error, not as an empty list', async () => {
		await expect(
			loadOptions({
				type: NODE_TYPE,
				kind: 'listSearch',
				method: 'searchConnectors',
				credentials: afasCredentials(sandbox, { token: WRONG_TOKEN }),
			}),
		).rejects.toThrow(/401 Unauthorized on the connector list/);
	});
});

describe('field list', () => {
	it('lists the fields of the chosen connector with label, id and type', async () => {
		const options = (await loadOptions({
			type: NODE_TYPE,
			method: 'getFields',
			parameters: {
				resource: 'connector',
				operation: 'getRows',
				connector: { __rl: true, mode: 'list', value: 'Mobietrain_Employees' },
			},
			credentials: afasCredentials(sandbox),
		})) as INodePropertyOptions[];
		expect(options.map((option) => option.value)).toEqual(
			sandbox.getFields('Mobietrain_Employees').map((field) => field.id),
		);
		expect(options.find((option) => option.value === 'employementEndDate')?.description).toBe(
			'Type: date',
		);
		expect(sandbox.stats().log.map((entry) => entry.path)).toEqual([
			'/ProfitRestServices/metainfo/get/Mobietrain_Employees',
		]);
	});

	it('asks to choose a connector first', async () => {
		await expect(
			loadOptions({
				type: NODE_TYPE,
				method: 'getFields',
				parameters: {
					resource: 'connector',
					operation: 'getRows',
					connector: { __rl: true, mode: 'list', value: '' },
				},
				credentials: afasCredentials(sandbox),
			}),
		).rejects.toThrow('Choose a connector first');
	});

	it('surfaces a connector that is not in the App Connector as an error', async () => {
		await expect(
			loadOptions({
				type: NODE_TYPE,
				method: 'getFields',
				parameters: {
					resource: 'connector',
					operation: 'getRows',
					connector: { __rl: true, mode: 'id', value: 'Unknown_Connector' },
				},
				credentials: afasCredentials(sandbox),
			}),
		).rejects.toThrow(/401 Unauthorized on the fields of connector 'Unknown_Connector'/);
	});

	it("surfaces AFAS' own error message", async () => {
		sandbox.addFault({
			fault: { kind: 'status500', externalMessage: 'Er is een onverwachte fout opgetreden.' },
		});
		await expect(
			loadOptions({
				type: NODE_TYPE,
				method: 'getFields',
				parameters: {
					resource: 'connector',
					operation: 'getRows',
					connector: { __rl: true, mode: 'id', value: 'Profit_Employees' },
				},
				credentials: afasCredentials(sandbox),
			}),
		).rejects.toThrow(/Er is een onverwachte fout opgetreden\./);
	});
});

describe('credential test', () => {
	const base = () => ({ connectUsing: 'url', url: sandbox.url });

	it.each([
		['XML', () => sandbox.tokenXml],
		['data only', () => sandbox.tokenData],
		['base64', () => sandbox.tokenBase64],
	])('succeeds against the sandbox with a %s token', async (_label, token) => {
		const result = await testCredential('afasApi', { ...base(), token: token() });
		expect(result).toMatchObject({ ok: true, status: 200 });
		expect(JSON.parse(result.body)).toMatchObject({ info: { appName: expect.any(String) } });
		expect(sandbox.stats().log.map((entry) => entry.path)).toEqual([
			'/ProfitRestServices/metainfo',
		]);
	});

	it('sends IntegrationId when it is set', async () => {
		await testCredential('afasApi', {
			...base(),
			token: sandbox.tokenXml,
			integrationId: '12345_123456',
		});
		expect(sandbox.stats().log[0]?.integrationId).toBe('12345_123456');
	});

	it('finds the base URL in a URL copied with an endpoint path and a trailing slash', async () => {
		const result = await testCredential('afasApi', {
			connectUsing: 'url',
			url: `${sandbox.url}/connectors/Mobietrain_Employees/`,
			token: sandbox.tokenXml,
		});
		expect(result.ok).toBe(true);
	});

	it('fails with a token AFAS does not know', async () => {
		const result = await testCredential('afasApi', { ...base(), token: WRONG_TOKEN });
		expect(result).toMatchObject({ ok: false, status: 401 });
	});

	it('fails with the accepted forms, never the token, when the token is in no accepted form', async () => {
		const broken = `<token><version>1</version><data>${sandbox.tokenData}</data>`;
		const failure = testCredential('afasApi', { ...base(), token: broken });
		await expect(failure).rejects.toThrow(ACCEPTED_TOKEN_FORMS);
		const message = await failure.catch((error: Error) => error.message);
		expect(message).not.toContain(sandbox.tokenData);
		expect(sandbox.stats().requests).toBe(0);
	});
});

describe('credential base URL expression', () => {
	// The credential test resolves its baseURL as an n8n expression; the node uses afasBaseUrl().
	// Both must agree for every way to connect.
	const nodeTypes = {
		getByName: () => undefined,
		getByNameAndVersion: () => undefined,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({
		nodes: [],
		connections: {},
		active: false,
		nodeTypes: nodeTypes as unknown as INodeTypes,
	});
	const expression = new AfasApi().test.request.baseURL as string;

	it.each([
		[
			{ connectUsing: 'environment', environmentType: 'production', environmentNumber: '12345' },
			'https://12345.rest.afas.online/ProfitRestServices',
		],
		[
			{ connectUsing: 'environment', environmentType: 'test', environmentNumber: '12345' },
			'https://12345.resttest.afas.online/ProfitRestServices',
		],
		[
			{ connectUsing: 'environment', environmentType: 'accept', environmentNumber: 'A12345AC' },
			'https://12345.restaccept.afas.online/ProfitRestServices',
		],
		[
			{ connectUsing: 'url', url: ' https://12345.rest.afas.online/ProfitRestServices/ ' },
			'https://12345.rest.afas.online/ProfitRestServices',
		],
		[
			{ connectUsing: 'url', url: 'http://127.0.0.1:1/profitrestservices/connectors/X' },
			'http://127.0.0.1:1/profitrestservices',
		],
	])('%j', (credentials, expected) => {
		const resolved = workflow.expression.getParameterValue(
			expression,
			null,
			0,
			0,
			'Test',
			[],
			'internal',
			{
				$credentials: credentials,
			} as never,
		);
		expect(resolved).toBe(expected);
		expect(afasBaseUrl(credentials)).toBe(expected);
	});
});
