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
		displayName: 'Include Archived',
		name: 'includeArchived',
		type: 'boolean',
		default: false,
		description: 'Whether to include archived list items',
	},
];

const displayOptions = { show: { resource: ['namedList'], operation: ['getMany'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/**
 * `GET /company/named-lists`: HiBob answers one object keyed by list name; this returns one item
 * per list, `{ name, ...list }` (https://apidocs.hibob.com/docs/how-to-work-with-lists-public-api).
 * @throws NodeApiError when HiBob fails or answers something other than an object of lists.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: HiBobSession,
): Promise<INodeExecutionData[]> {
	const includeArchived = this.getNodeParameter('includeArchived', itemIndex, false) as boolean;
	const lists = await hiBobApiRequest.call(this, session, {
		method: 'GET',
		path: '/company/named-lists',
		qs: { includeArchived },
		itemIndex,
	});
	if (!lists || typeof lists !== 'object' || Array.isArray(lists))
		throw unexpectedAnswer(
			this.getNode(),
			{
				endpoint: 'GET /company/named-lists',
				problem: 'not an object of lists by name',
				body: lists,
			},
			itemIndex,
		);
	return itemsFor(
		itemIndex,
		Object.entries(lists).map(([name, list]) => ({ name, ...(list as IDataObject) })),
	);
}
