import type { INodeProperties } from 'n8n-workflow';

const showRecords = { show: { mode: ['records'] } };

export const recordsProperties: INodeProperties[] = [
	{
		displayName: 'Record Kind',
		name: 'recordKind',
		type: 'string',
		displayOptions: showRecords,
		default: 'community',
		placeholder: 'e.g. community',
		description: 'What the records are, used in the reasons (community, function, group, store)',
	},
	{
		displayName: 'HR Key Field',
		name: 'hrKeyField',
		type: 'string',
		displayOptions: showRecords,
		default: '',
		placeholder: 'e.g. OrgUnit',
		description:
			'Path of the key in the HR items (matched trimmed, case-folded, Unicode-normalised)',
	},
	{
		displayName: 'App Key Field',
		name: 'appKeyField',
		type: 'string',
		displayOptions: showRecords,
		default: 'externalId',
		description: 'Path of the same key in the App items',
	},
	{
		displayName: 'App ID Field',
		name: 'recordIdField',
		type: 'string',
		displayOptions: showRecords,
		default: 'id',
		description: 'Path of the app’s own record ID, for updates and removals',
	},
	{
		displayName: 'Fields',
		name: 'recordFields',
		type: 'fixedCollection',
		placeholder: 'Add Field',
		typeOptions: { multipleValues: true },
		displayOptions: showRecords,
		default: {},
		description: 'Fields to compare and send, each from an HR path to an App path',
		options: [
			{
				displayName: 'Field',
				name: 'field',
				values: [
					{
						displayName: 'HR Field',
						name: 'hr',
						type: 'string',
						default: '',
						placeholder: 'e.g. OrgUnitDesc',
					},
					{
						displayName: 'App Field',
						name: 'app',
						type: 'string',
						default: '',
						placeholder: 'e.g. name',
					},
					{
						displayName: 'Create Only',
						name: 'createOnly',
						type: 'boolean',
						default: false,
						description: 'Whether to set the field on create only and never overwrite it',
					},
				],
			},
		],
	},
	{
		displayName: 'Removal Action',
		name: 'recordRemovalAction',
		type: 'options',
		displayOptions: showRecords,
		options: [
			{
				name: 'Deactivate',
				value: 'deactivate',
				description:
					'Route records no longer in HR to the Deactivate/Remove output as "deactivate" (no payload)',
			},
			{ name: 'Remove', value: 'remove', description: 'Delete records no longer in HR' },
		],
		default: 'remove',
	},
];
