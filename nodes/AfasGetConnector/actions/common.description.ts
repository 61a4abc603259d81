import type { INodeProperties } from 'n8n-workflow';

import { optionsCollection } from '../../shared/properties';
import { AFAS_OPERATORS } from '../transport/query';
import { AFAS_MAX_PARALLEL } from '../transport';

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
			// No regex validation here: checked when the node runs (transport/connectorId.ts).
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

const operatorOptions = (Object.keys(AFAS_OPERATORS) as Array<keyof typeof AFAS_OPERATORS>)
	.map((value) => ({
		name: AFAS_OPERATORS[value].name,
		value,
		description: `AFAS operator ${AFAS_OPERATORS[value].code}`,
	}))
	.sort((a, b) => a.name.localeCompare(b.name));

/** A field of the chosen connector, for a filter condition or a sort entry. */
export const connectorFieldOption: INodeProperties = {
	displayName: 'Field Name or ID',
	name: 'field',
	type: 'options',
	typeOptions: {
		loadOptionsMethod: 'getFields',
		loadOptionsDependsOn: ['connector.value'],
	},
	default: '',
	description:
		'Field of the connector. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

/**
 * The filter builder (parameter `filters`): groups of conditions, OR over groups and AND within
 * a group. Read with `parseFilterGroups` (./utils.ts).
 */
export const filtersProperty: INodeProperties = {
	displayName: 'Filters',
	name: 'filters',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Filter Group',
	default: {},
	description:
		'A row is returned when it matches any group (OR). Within a group, every condition must match (AND).',
	options: [
		{
			name: 'groups',
			displayName: 'Group',
			values: [
				{
					displayName: 'Conditions',
					name: 'conditions',
					type: 'fixedCollection',
					typeOptions: { multipleValues: true },
					placeholder: 'Add Condition',
					default: {},
					options: [
						{
							name: 'condition',
							displayName: 'Condition',
							values: [
								connectorFieldOption,
								{
									displayName: 'Operator',
									name: 'operator',
									type: 'options',
									options: operatorOptions,
									default: 'equals',
								},
								{
									displayName: 'Value',
									name: 'value',
									type: 'string',
									default: '',
									description:
										'Dates may be given as 2024-01-31, 2024-01-31T08:00:00, or with an offset (converted to Amsterdam time). For Is Empty / Is Not Empty the value is sent as typed, usually empty.',
								},
							],
						},
					],
				},
			],
		},
	],
};

/** Option `dateOutput`: how values of date fields are output (transport/dates.ts). */
export const dateOutputOption: INodeProperties = {
	displayName: 'Date Output',
	name: 'dateOutput',
	type: 'options',
	options: [
		{
			name: 'As Sent by AFAS',
			value: 'asSent',
			description:
				'E.g. 2024-07-01T00:00:00Z. Careful: the Z is not UTC, AFAS means Amsterdam time.',
		},
		{
			name: 'Date Only',
			value: 'dateOnly',
			description: 'E.g. 2024-07-01: the date part, in Amsterdam time.',
		},
		{
			name: 'ISO with Amsterdam Offset',
			value: 'iso',
			description: 'E.g. 2024-07-01T00:00:00+02:00 in summer and +01:00 in winter.',
		},
	],
	default: 'asSent',
	description: 'How values of date fields are output',
};

/** Options `pageSize`, `parallelRequests` and `wildcards` of every read of rows. */
export const readingOptions: INodeProperties[] = [
	{
		displayName: 'Page Size',
		name: 'pageSize',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 1000,
		description:
			'Rows per request. AFAS advises columns × rows below 150,000 per request; lower it for wide connectors.',
	},
	{
		displayName: 'Parallel Requests',
		name: 'parallelRequests',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: AFAS_MAX_PARALLEL },
		default: 4,
		description:
			'Pages requested at the same time. AFAS allows at most 8 parallel calls per environment, so higher values are lowered to 8.',
	},
	{
		displayName: 'Wildcards',
		name: 'wildcards',
		type: 'options',
		options: [
			{
				name: 'Add Automatically',
				value: 'auto',
				description:
					'Add % for contains / starts with / ends with (and their negations) unless already typed',
			},
			{ name: 'Send Values as Typed', value: 'none' },
		],
		default: 'auto',
		description: 'Whether to add % wildcards to values of text-matching operators',
	},
];
