import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { itemsFor } from '../../../shared/execute';
import { splitList } from '../../../shared/lists';
import { optionsCollection } from '../../../shared/properties';
import {
	humanReadableValue,
	resolveFields,
	searchEmployees,
	simplifyEmployee,
	type HumanReadable,
} from '../../helpers/employees';
import type { HiBobSession } from '../../transport';
import {
	customFieldsProperty,
	fieldsProperty,
	humanReadableProperty,
	simplifyProperty,
} from '../common.description';

const properties: INodeProperties[] = [
	{
		displayName: 'Employees',
		name: 'scope',
		type: 'options',
		options: [
			{ name: 'All', value: 'all', description: 'Everyone the service user may see (one request)' },
			{
				name: 'By ID or Email',
				value: 'list',
				description: 'Only the employees in a list of IDs and/or work emails',
			},
		],
		default: 'all',
	},
	{
		displayName: 'IDs or Emails',
		name: 'identifiers',
		type: 'string',
		default: '',
		required: true,
		placeholder: '3332883894235038486, jane@acme.com',
		description:
			'Employee IDs and/or work emails, separated by commas or new lines (an expression may return an array). An empty list returns no employees.',
		displayOptions: { show: { scope: ['list'] } },
	},
	fieldsProperty,
	customFieldsProperty,
	{
		displayName: 'Show Inactive',
		name: 'showInactive',
		type: 'boolean',
		default: false,
		description:
			'Whether to include inactive employees: leavers past their termination date and future hires who have not started yet',
	},
	humanReadableProperty(),
	simplifyProperty,
	optionsCollection([
		{
			displayName: 'Batch Size',
			name: 'batchSize',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 100,
			description:
				'How many IDs or emails go into one search request. HiBob does not document a maximum; lower it if HiBob rejects long lists.',
		},
	]),
];

const displayOptions = { show: { resource: ['employee'], operation: ['search'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/**
 * Everyone the service user may see, or the employees in a list of IDs and emails
 * (`POST /people/search`, https://apidocs.hibob.com/reference/post_people-search).
 * @throws NodeApiError when HiBob fails; NodeOperationError for too many fields.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: HiBobSession,
): Promise<INodeExecutionData[]> {
	const node = this.getNode();
	const scope = this.getNodeParameter('scope', itemIndex) as string;
	const fields = resolveFields(
		node,
		this.getNodeParameter('fields', itemIndex, []),
		this.getNodeParameter('customFieldIds', itemIndex, ''),
		itemIndex,
	);
	const options = this.getNodeParameter('options', itemIndex, {}) as { batchSize?: number };
	const employees = await searchEmployees.call(this, session, {
		fields,
		showInactive: this.getNodeParameter('showInactive', itemIndex, false) as boolean,
		humanReadable: humanReadableValue(
			this.getNodeParameter('humanReadable', itemIndex, 'none') as HumanReadable,
		),
		identifiers:
			scope === 'list' ? splitList(this.getNodeParameter('identifiers', itemIndex, '')) : undefined,
		batchSize: options.batchSize ?? 100,
		itemIndex,
	});
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	return itemsFor(itemIndex, simplify ? employees.map(simplifyEmployee) : employees);
}
