import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { itemsFor } from '../../../shared/execute';
import type { ScimSession } from '../../transport';
import { getResource, requiredText } from '../common';
import { idProperty } from '../common.description';

const properties: INodeProperties[] = [idProperty('Group')];

const displayOptions = { show: { resource: ['group'], operation: ['get'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/**
 * One group by SCIM id (`GET /Groups/{id}`, https://datatracker.ietf.org/doc/html/rfc7644#section-3.4.1),
 * with its members, output as the app returned it.
 * @throws NodeOperationError when no id is given; NodeApiError naming the id on 404, or when the
 *   app fails.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: ScimSession,
): Promise<INodeExecutionData[]> {
	const id = requiredText(this, 'groupId', 'Group ID', itemIndex);
	return itemsFor(itemIndex, [await getResource(this, session, itemIndex, 'Group', id)]);
}
