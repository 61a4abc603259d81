import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { itemsFor } from '../../../shared/execute';
import { hiBobApiRequest, type HiBobSession } from '../../transport';

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
 * @throws NodeApiError when HiBob fails.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: HiBobSession,
): Promise<INodeExecutionData[]> {
	const category = String(this.getNodeParameter('category', itemIndex, '')).trim();
	const fields = (await hiBobApiRequest.call(this, session, {
		method: 'GET',
		path: '/company/people/fields',
		itemIndex,
	})) as IDataObject[];
	const list = Array.isArray(fields) ? fields : [];
	return itemsFor(itemIndex, category ? list.filter((field) => field.category === category) : list);
}
