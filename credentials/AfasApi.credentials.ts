import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { AFAS_BASE_URL_EXPRESSION, normaliseAfasToken } from './common/afas';

/**
 * Adds AFAS' headers to every request: `Authorization: AfasToken <base64>`, and the optional
 * `IntegrationId` and `Accept-Language`. The token is normalised here, at request time, so the user
 * may paste it as XML, as the data value alone or as base64
 * (https://docs.afas.help/profit/en/authentication,
 * https://docs.afas.help/profit/en/integrationid).
 * @throws AfasTokenFormatError for a token in none of these forms; the message lists the accepted
 *   forms and never repeats the token.
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
			baseURL: AFAS_BASE_URL_EXPRESSION,
			url: '/metainfo',
			method: 'GET',
		},
	};
}
