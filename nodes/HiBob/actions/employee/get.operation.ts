import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { itemsFor } from '../../../shared/execute';
import {
	humanReadableValue,
	readEmployee,
	resolveFields,
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
		displayName: 'Employee ID or Email',
		name: 'identifier',
		type: 'string',
		default: '',
		required: true,
		placeholder: '3332883894235038486 or jane@acme.com',
		description: 'The employee’s HiBob ID or work email',
	},
	fieldsProperty,
	customFieldsProperty,
	humanReadableProperty(),
	simplifyProperty,
];

const displayOptions = { show: { resource: ['employee'], operation: ['get'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/**
 * One employee by HiBob ID or work email (`POST /people/{identifier}`,
 * https://apidocs.hibob.com/reference/post_people-identifier).
 * @throws NodeOperationError when no identifier is given or HiBob has no such employee;
 *   NodeApiError when HiBob fails.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: HiBobSession,
): Promise<INodeExecutionData[]> {
	const node = this.getNode();
	const identifier = String(this.getNodeParameter('identifier', itemIndex, '')).trim();
	if (!identifier) {
		throw new NodeOperationError(node, 'No employee ID or email given', {
			description:
				'Fill in "Employee ID or Email", for example with an expression such as {{ $json.id }}.',
			itemIndex,
		});
	}
	const employee = await readEmployee.call(this, session, identifier, {
		fields: resolveFields(
			node,
			this.getNodeParameter('fields', itemIndex, []),
			this.getNodeParameter('customFieldIds', itemIndex, ''),
			itemIndex,
		),
		humanReadable: humanReadableValue(
			this.getNodeParameter('humanReadable', itemIndex, 'none') as HumanReadable,
		),
		itemIndex,
	});
	if (!employee) {
		throw new NodeOperationError(node, `HiBob has no employee with ID or email "${identifier}"`, {
			description:
				'Check the ID or work email. If the person exists in Bob, the service user may not see them: inactive people are hidden from permission groups limited to "Lifecycle status equals Employed".',
			itemIndex,
		});
	}
	const simplify = this.getNodeParameter('simplify', itemIndex, true) as boolean;
	return itemsFor(itemIndex, [simplify ? simplifyEmployee(employee) : employee]);
}
