import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { itemsFor } from '../../../shared/execute';
import { hiBobApiRequest, unexpectedAnswer, type HiBobSession } from '../../transport';

const properties: INodeProperties[] = [
	{
		displayName: 'Category',
		name: 'category',
		type: 'string',
		default: '',
		placeholder: 'work',
		description: 'Only fields of this category (root, work, internal, …); leave empty for all',
	},
];

const displayOptions = { show: { resource: ['metadata'], operation: ['getFields'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/**
 * `GET /company/people/fields`: one item per field (id, name, category, type, typeData.listId,
 * jsonPath, ...), as described at https://apidocs.hibob.com/docs/fields-metadata.
 * @throws NodeApiError when HiBob fails or answers something other than a list.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: HiBobSession,
): Promise<INodeExecutionData[]> {
	const category = String(this.getNodeParameter('category', itemIndex, '')).trim();
	const fields = await hiBobApiRequest.call(this, session, {
		method: 'GET',
		path: '/company/people/fields',
		itemIndex,
	});
	if (!Array.isArray(fields))
		throw unexpectedAnswer(
			this.getNode(),
			{ endpoint: 'GET /company/people/fields', problem: 'not a list of fields', body: fields },
			itemIndex,
		);
	const list = fields as IDataObject[];
	return itemsFor(itemIndex, category ? list.filter((field) => field.category === category) : list);
}
