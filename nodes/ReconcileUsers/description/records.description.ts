import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';

import { compareAsOptions } from './people.description';

/** Records mode compares by kind too; its automatic choice is by the value (lists, objects, text). */
const recordCompareOptions = compareAsOptions.map((option) =>
	option.value === 'auto'
		? {
				...option,
				name: 'Automatic (From the Value)',
				description: 'Arrays as lists, objects as JSON, anything else as text',
			}
		: option,
);

/** Every property of Records mode is shown in that mode only. */
export const recordsProperties: INodeProperties[] = updateDisplayOptions(
	{ show: { mode: ['records'] } },
	[
		{
			displayName: 'Record Kind',
			name: 'recordKind',
			type: 'string',
			default: 'community',
			placeholder: 'e.g. community',
			description: 'What the records are, used in the reasons (community, function, group, store)',
		},
		{
			displayName: 'HR Key Field',
			name: 'hrKeyField',
			type: 'string',
			default: '',
			placeholder: 'e.g. OrgUnit',
			description:
				'Path of the key in the HR items (matched trimmed, case-folded, Unicode-normalised)',
		},
		{
			displayName: 'App Key Field',
			name: 'appKeyField',
			type: 'string',
			default: 'externalId',
			description: 'Path of the same key in the App items',
		},
		{
			displayName: 'App ID Field',
			name: 'recordIdField',
			type: 'string',
			default: 'id',
			description: 'Path of the app’s own record ID, for updates and removals',
		},
		{
			displayName: 'Fields',
			name: 'recordFields',
			type: 'fixedCollection',
			placeholder: 'Add Field',
			typeOptions: { multipleValues: true },
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
							displayName: 'Compare As',
							name: 'compare',
							type: 'options',
							options: recordCompareOptions,
							default: 'auto',
							description:
								'The kind of value, so that values of the same meaning are equal and a second run finds nothing to change',
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
			displayName: 'Deletion Marker Field',
			name: 'recordDeletedField',
			type: 'string',
			default: 'deleted',
			description:
				'Path of the flag that is true on an HR item for a record deleted in HR: the app record with its key is removed (Removal Action)',
		},
		{
			displayName: 'Removal Action',
			name: 'recordRemovalAction',
			type: 'options',
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
	],
);
