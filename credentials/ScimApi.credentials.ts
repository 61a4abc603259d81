import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { scimAuthHeaders } from './common/scim';

/**
 * Adds the credential's authentication headers to every request (Bearer token, Basic, or a custom
 * header, plus the optional extra header), at request time. Nothing else is changed.
 * @throws ScimCredentialError naming the empty or malformed field; the message never holds a secret.
 */
async function authenticateScim(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const headers: IHttpRequestOptions['headers'] = {
		...(requestOptions.headers ?? {}),
		...scimAuthHeaders(credentials),
	};
	return { ...requestOptions, headers };
}

/**
 * Any SCIM 2.0 service provider (an app that accepts users over SCIM: Slack, Zoom, Miro, ...):
 * its SCIM base URL and how to authenticate. RFC 7644 leaves authentication to the provider
 * (https://datatracker.ietf.org/doc/html/rfc7644#section-2).
 *
 * The credential test is the SCIM 2.0 node's `scimApiCredentialTest` (declared with `testedBy` on
 * the node): `GET /ServiceProviderConfig`, and `GET /Users?startIndex=1&count=1` when the app has
 * no ServiceProviderConfig. A declarative `test` request cannot fall back to a second request.
 */
export class ScimApi implements ICredentialType {
	name = 'scimApi';

	displayName = 'SCIM 2.0 API';

	icon: Icon = { light: 'file:../icons/scim.svg', dark: 'file:../icons/scim.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-hr-sync/n8n-nodes-hr-sync#scim-20-apps';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://api.example.com/scim/v2',
			description:
				'The app’s SCIM endpoint: the address /Users and /Groups live under, as the app’s admin page shows it (often called "SCIM base URL" or "Tenant URL")',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{
					name: 'Bearer Token',
					value: 'bearer',
					description: 'Authorization: Bearer <token> (what most apps and Entra ID use)',
				},
				{
					name: 'Basic Auth',
					value: 'basic',
					description: 'Authorization: Basic with a username and password',
				},
				{
					name: 'Custom Header',
					value: 'header',
					description: 'The token in a header the app names, such as X-Api-Key',
				},
			],
			default: 'bearer',
		},
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The SCIM token the app issued (without the word "Bearer")',
			displayOptions: { show: { authentication: ['bearer'] } },
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['basic'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authentication: ['basic'] } },
		},
		{
			displayName: 'Header Name',
			name: 'headerName',
			type: 'string',
			default: '',
			placeholder: 'X-Api-Key',
			description:
				'With Custom Header: the header that carries the token. With Bearer Token or Basic Auth: an optional extra header sent with every request (leave empty for none).',
		},
		{
			displayName: 'Header Value',
			name: 'headerToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The value of the header above',
		},
	];

	authenticate = authenticateScim;
}
