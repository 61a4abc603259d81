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

const properties: INodeProperties[] = [idProperty('Group')];

const displayOptions = { show: { resource: ['group'], operation: ['delete'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/**
 * Deletes a group (`DELETE /Groups/{id}`, https://datatracker.ietf.org/doc/html/rfc7644#section-3.6);
 * its members stay. Outputs `{ id, resourceType: "Group", deleted: true }`.
 * @throws NodeOperationError when no id is given; NodeApiError naming the id on 404, or when the
 *   app fails.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: ScimSession,
): Promise<INodeExecutionData[]> {
	const id = requiredText(this, 'groupId', 'Group ID', itemIndex);
	await scimApiRequest.call(this, session, {
		method: 'DELETE',
		path: resourcePath('Group', id),
		itemIndex,
		subject: { resourceType: 'Group', id },
	});
	return itemsFor(itemIndex, [{ id, resourceType: 'Group', deleted: true }]);
}
