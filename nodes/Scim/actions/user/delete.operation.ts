import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { itemsFor } from '../../../shared/execute';
import { scimApiRequest, type ScimSession } from '../../transport';
import { requiredText, resourcePath } from '../common';
import { idProperty } from '../common.description';

const properties: INodeProperties[] = [idProperty('User')];

const displayOptions = { show: { resource: ['user'], operation: ['delete'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/**
 * Deletes a user (`DELETE /Users/{id}`, https://datatracker.ietf.org/doc/html/rfc7644#section-3.6)
 * and outputs `{ id, resourceType: "User", deleted: true }`. To keep the user but end access,
 * use Update with Active off instead.
 * @throws NodeOperationError when no id is given; NodeApiError naming the id when the app has no
 *   such user (404), or when it fails.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: ScimSession,
): Promise<INodeExecutionData[]> {
	const id = requiredText(this, 'userId', 'User ID', itemIndex);
	await scimApiRequest.call(this, session, {
		method: 'DELETE',
		path: resourcePath('User', id),
		itemIndex,
		subject: { resourceType: 'User', id },
	});
	return itemsFor(itemIndex, [{ id, resourceType: 'User', deleted: true }]);
}
