/** Description pieces of the HiBob nodes (HiBob, HiBob Trigger, HiBob Polling Trigger). */
import type { INodeProperties } from 'n8n-workflow';

import { SYNC_FIELDS, type HumanReadable } from '../helpers/employees';

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

/** Free-entry field IDs, for custom fields the picker cannot offer. */
export const customFieldsProperty: INodeProperties = {
	displayName: 'Additional Field IDs',
	name: 'customFieldIds',
	type: 'string',
	default: '',
	placeholder: 'work.custom.field_1700000001, home.mobilePhone',
	description:
		'More field IDs, comma-separated, for fields the list does not offer (custom fields must be asked for by ID)',
};

/** HiBob's `humanReadable` request option with every mode. */
const humanReadableAllModes: INodeProperties = {
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

/** HiBob's `humanReadable` request option, offering the given modes (default None). */
export function humanReadableProperty(
	modes: readonly HumanReadable[] = ['append', 'none', 'replace'],
): INodeProperties {
	const options = (humanReadableAllModes.options ?? []).filter(
		(option) => 'value' in option && modes.includes(option.value as HumanReadable),
	);
	return { ...humanReadableAllModes, options };
}

/** Whether an employee is output in HiBob's nested form only, without the slash-key copies. */
export const simplifyProperty: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description:
		'Whether to return each employee as one plain object in its nested form (e.g. work.title) instead of HiBob’s raw answer, which repeats every value under a "/category/field" key',
};

/**
 * The Output option of both HiBob triggers: the event as it is (default), or one item per
 * employee in the HiBob node's simplified form with the event under `event`, which Reconcile
 * Users reads with its HiBob source preset.
 */
export function outputProperty(eventDescription: string): INodeProperties {
	return {
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{
				name: 'Employee (for Reconcile Users)',
				value: 'employee',
				description:
					'One item per employee, shaped like the HiBob node’s Search output (Simplify on) with the event under "event"; someone deleted in HiBob comes with only the employee ID and deleted: true. Connect it to Reconcile Users with the HiBob source.',
			},
			{ name: 'Event', value: 'event', description: eventDescription },
		],
		default: 'event',
	};
}
