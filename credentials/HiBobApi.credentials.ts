import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import {
	HIBOB_BASE_URL_EXPRESSION,
	HIBOB_PRODUCTION_BASE_URL,
	HIBOB_SANDBOX_BASE_URL,
} from './common/hibob';

/**
 * A HiBob ("Bob") service user: HTTP Basic with the service user's ID and token.
 * The legacy per-employee API tokens were switched off in May 2025, so only service users are
 * supported (https://apidocs.hibob.com/docs/api-service-users). The webhook secret is optional and
 * used only by the HiBob Trigger.
 */
export class HiBobApi implements ICredentialType {
	name = 'hiBobApi';

	displayName = 'HiBob API';

	icon: Icon = { light: 'file:../icons/hibob.svg', dark: 'file:../icons/hibob.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-hr-sync/n8n-nodes-hr-sync#hibob';

	properties: INodeProperties[] = [
		{
			displayName:
				'Create a service user in Bob under Settings → Integrations → Service Users, then add it to a permission group that may read the people and fields you need',
			name: 'serviceUserNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'Service User ID',
			name: 'serviceUserId',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'SERVICE-1234',
			description: 'The ID Bob shows for the service user',
		},
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The service user token. Bob shows it once; "Refresh token" issues a new one and revokes the old one.',
		},
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Production', value: 'production', description: HIBOB_PRODUCTION_BASE_URL },
				{
					name: 'Sandbox',
					value: 'sandbox',
					description: `${HIBOB_SANDBOX_BASE_URL} (only for accounts with a Bob sandbox)`,
				},
			],
			default: 'production',
		},
		{
			displayName: 'Base URL Override',
			name: 'baseUrlOverride',
			type: 'string',
			default: '',
			placeholder: 'http://127.0.0.1:3902/v1',
			description:
				'Leave empty to use the environment above. Set it to reach a proxy or the local HiBob sandbox server; include the /v1 path.',
		},
		{
			displayName: 'Webhook Secret',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only for the HiBob Trigger: the secret Bob shows under Settings → Integrations → Webhooks. Used to check the Bob-Signature header of each event.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			auth: {
				username: '={{ String($credentials.serviceUserId).trim() }}',
				password: '={{ String($credentials.token).trim() }}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: HIBOB_BASE_URL_EXPRESSION,
			url: '/company/people/fields',
			method: 'GET',
		},
	};
}
