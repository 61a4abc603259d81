import type { INodeProperties } from 'n8n-workflow';

import { optionsCollection } from '../../shared/properties';

/** The GetConnector to work on: picked from the token's list, or typed / set by expression. */
export const connectorLocator: INodeProperties = {
	displayName: 'Connector',
	name: 'connector',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description:
		'The GetConnector. The list shows the GetConnectors of the App Connector the token belongs to.',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchConnectors', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. Profit_Employees',
			validation: [
				{
					type: 'regex',
					properties: { regex: '^[^/?#]+$', errorMessage: 'A connector ID has no /, ? or #' },
				},
			],
		},
	],
};

/** Retry and timeout settings, in the Options of every operation. */
const requestOptionFields: INodeProperties[] = [
	{
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 10 },
		default: 3,
		description:
			'How often a request is retried after a connection reset, timeout, incomplete response or AFAS maintenance (503). 400, 401, 403, 404 and 500 are never retried.',
	},
	{
		displayName: 'Max Retry Wait (Seconds)',
		name: 'maxRetryWait',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 60,
		description:
			'Longest Retry-After that is waited for when AFAS answers 503. A longer announced outage fails at once, with the time to retry.',
	},
	{
		displayName: 'Timeout (Seconds)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 120,
		description: 'Time to wait for one AFAS response before it counts as timed out and is retried',
	},
];

/** The Options collection of an operation: its own `fields` first, then retries and timeout. */
export function afasOptions(fields: INodeProperties[] = []): INodeProperties {
	return optionsCollection([...fields, ...requestOptionFields]);
}
