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

const properties: INodeProperties[] = [idProperty('User')];

const displayOptions = { show: { resource: ['user'], operation: ['get'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/**
 * One user by SCIM id (`GET /Users/{id}`, https://datatracker.ietf.org/doc/html/rfc7644#section-3.4.1),
 * output as the app returned it.
 * @throws NodeOperationError when no id is given; NodeApiError naming the id when the app has no
 *   such user (404), or when it fails.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: ScimSession,
): Promise<INodeExecutionData[]> {
	const id = requiredText(this, 'userId', 'User ID', itemIndex);
	return itemsFor(itemIndex, [await getResource(this, session, itemIndex, 'User', id)]);
}
