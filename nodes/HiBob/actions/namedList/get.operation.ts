import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { itemsFor } from '../../../shared/execute';
import { NOT_FOUND, hiBobApiRequest, unexpectedAnswer, type HiBobSession } from '../../transport';

const properties: INodeProperties[] = [
	{
		displayName: 'List Name or ID',
		name: 'listName',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getNamedLists' },
		default: '',
		required: true,
		description:
			'The list, for example "department" or "title" (a field’s typeData.listId). Names are case-sensitive. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Include Archived',
		name: 'includeArchived',
		type: 'boolean',
		default: false,
		description: 'Whether to include archived list items',
	},
];

const displayOptions = { show: { resource: ['namedList'], operation: ['get'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/**
 * `GET /company/named-lists/{name}`: the list with its items (`{ id, value, name, archived,
 * children }`), as described at https://apidocs.hibob.com/docs/how-to-work-with-lists-public-api.
 * @throws NodeOperationError when HiBob has no such list; NodeApiError when HiBob fails or
 *   answers something other than a list object.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: HiBobSession,
): Promise<INodeExecutionData[]> {
	const listName = String(this.getNodeParameter('listName', itemIndex, '')).trim();
	const includeArchived = this.getNodeParameter('includeArchived', itemIndex, false) as boolean;
	const list = await hiBobApiRequest.call(this, session, {
		method: 'GET',
		path: `/company/named-lists/${encodeURIComponent(listName)}`,
		qs: { includeArchived },
		itemIndex,
		allowNotFound: true,
	});
	if (list === NOT_FOUND) {
		throw new NodeOperationError(this.getNode(), `HiBob has no named list "${listName}"`, {
			description:
				'List names are case-sensitive (for example "terminationreason" is lowercase). Named List → Get Many shows every list name.',
			itemIndex,
		});
	}
	if (!list || typeof list !== 'object' || Array.isArray(list))
		throw unexpectedAnswer(
			this.getNode(),
			{ endpoint: 'GET /company/named-lists/{name}', problem: 'not a list object', body: list },
			itemIndex,
		);
	return itemsFor(itemIndex, [list as IDataObject]);
}
