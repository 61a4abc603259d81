import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { normaliseAfasToken } from '../nodes/AfasGetConnector/transport/token';

/**
 * Token normalisation happens here, at request time, so the user may paste the token as XML,
 * as the data value alone or as base64 (see transport/token.ts). A token in none of these forms
 * throws an error that lists the accepted forms and never repeats the token.
 */
async function authenticateAfas(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const { base64 } = normaliseAfasToken(credentials.token);
	const headers: IHttpRequestOptions['headers'] = {
		...(requestOptions.headers ?? {}),
		Authorization: `AfasToken ${base64}`,
		Accept: 'application/json',
	};
	const integrationId =
		typeof credentials.integrationId === 'string' ? credentials.integrationId.trim() : '';
	if (integrationId) headers.IntegrationId = integrationId;
	const language = typeof credentials.acceptLanguage === 'string' ? credentials.acceptLanguage : '';
	if (language) headers['Accept-Language'] = language;
	return { ...requestOptions, headers };
}

// Same rule as afasBaseUrl() in transport/token.ts, written as an n8n expression because the
// credential test request is resolved by n8n before `authenticate` runs.
const baseUrlExpression =
	'={{ $credentials.connectUsing === "url" ' +
	'? String($credentials.url).trim().replace(/(\\/profitrestservices)(\\/.*)?$/i, "$1").replace(/\\/+$/, "") ' +
	': "https://" + String($credentials.environmentNumber).replace(/[^0-9]/g, "") + "." + ' +
	'({ production: "rest", test: "resttest", accept: "restaccept" })[$credentials.environmentType || "production"] + ' +
	'".afas.online/ProfitRestServices" }}';

export class AfasApi implements ICredentialType {
	name = 'afasApi';

	displayName = 'AFAS Profit API';

	icon: Icon = { light: 'file:../icons/afas.svg', dark: 'file:../icons/afas.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-hr-sync/n8n-nodes-hr-sync#afas-profit';

	properties: INodeProperties[] = [
		{
			displayName: 'Connect Using',
			name: 'connectUsing',
			type: 'options',
			options: [
				{
					name: 'Environment Number',
					value: 'environment',
					description: 'Build the address from the environment number and type',
				},
				{
					name: 'API Server URL',
					value: 'url',
					description: 'Use the full address as AFAS shows it, or a proxy / test server',
				},
			],
			default: 'environment',
		},
		{
			displayName: 'Environment Type',
			name: 'environmentType',
			type: 'options',
			options: [
				{ name: 'Production', value: 'production', description: 'https://<nr>.rest.afas.online' },
				{ name: 'Test', value: 'test', description: 'https://<nr>.resttest.afas.online' },
				{ name: 'Accept', value: 'accept', description: 'https://<nr>.restaccept.afas.online' },
			],
			default: 'production',
			displayOptions: { show: { connectUsing: ['environment'] } },
		},
		{
			displayName: 'Environment Number',
			name: 'environmentNumber',
			type: 'string',
			default: '',
			placeholder: '12345',
			description:
				'The number of the AFAS Online environment (the digits in https://12345.rest.afas.online)',
			displayOptions: { show: { connectUsing: ['environment'] } },
		},
		{
			displayName: 'API Server URL',
			name: 'url',
			type: 'string',
			default: '',
			placeholder: 'https://12345.rest.afas.online/ProfitRestServices',
			description: 'The REST address up to and including /ProfitRestServices',
			displayOptions: { show: { connectUsing: ['url'] } },
		},
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: '<token><version>1</version><data>…</data></token>',
			description:
				'The App Connector user token: the full XML, only the value between <data> and </data>, or base64 of the XML',
		},
		{
			displayName: 'Integration ID',
			name: 'integrationId',
			type: 'string',
			default: '',
			placeholder: '12345_123456',
			description:
				'Sent as the IntegrationId header. Required for certified AFAS partner integrations, leave empty otherwise.',
		},
		{
			displayName: 'Language',
			name: 'acceptLanguage',
			type: 'options',
			options: [
				{ name: 'Environment Default', value: '' },
				{ name: 'Dutch (Belgium)', value: 'nl-be' },
				{ name: 'Dutch (Netherlands)', value: 'nl-nl' },
				{ name: 'English (US)', value: 'en-us' },
				{ name: 'French', value: 'fr-fr' },
				{ name: 'German', value: 'de-de' },
			],
			default: '',
			description: 'Language of AFAS error messages and field labels (Accept-Language header)',
		},
	];

	authenticate = authenticateAfas;

	test: ICredentialTestRequest = {
		request: {
			baseURL: baseUrlExpression,
			url: '/metainfo',
			method: 'GET',
		},
	};
}
