import type { INodeProperties } from 'n8n-workflow';
import { SYNC_FIELDS } from '../helpers/employees';

/** Field picker loaded from HiBob's fields metadata; defaults to what a user sync needs. */
export const fieldsProperty: INodeProperties = {
	displayName: 'Fields Names or IDs',
	name: 'fields',
	type: 'multiOptions',
	typeOptions: { loadOptionsMethod: 'getFields' },
	default: [...SYNC_FIELDS],
	description:
		'Fields to read. Clear the list to get HiBob’s default set (basic info plus the About, Employment and Work categories). Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
};

export const customFieldsProperty: INodeProperties = {
	displayName: 'Additional Field IDs',
	name: 'customFieldIds',
	type: 'string',
	default: '',
	placeholder: 'work.custom.field_1700000001, home.mobilePhone',
	description:
		'More field IDs, comma-separated, for fields the list does not offer (custom fields must be asked for by ID)',
};

export const humanReadableProperty: INodeProperties = {
	displayName: 'Human-Readable Values',
	name: 'humanReadable',
	type: 'options',
	options: [
		{
			name: 'Append',
			value: 'append',
			description:
				'Add a humanReadable object with display values (list names, Yes/No, formatted dates) next to the machine values',
		},
		{ name: 'None', value: 'none', description: 'Machine values only (list fields hold item IDs)' },
		{ name: 'Replace', value: 'replace', description: 'Display values instead of machine values' },
	],
	default: 'none',
};

export const simplifyProperty: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description:
		'Whether to return one plain object per employee (the nested form, e.g. work.title) instead of HiBob’s raw answer, which repeats every value under a "/category/field" key',
};
