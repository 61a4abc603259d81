import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { itemsFor } from '../../../shared/execute';
import type { ScimSession } from '../../transport';
import { listResources } from '../common';
import { listProperties } from '../common.description';

const displayOptions = { show: { resource: ['user'], operation: ['getAll'] } };

export const description = updateDisplayOptions(displayOptions, listProperties('User'));

/**
 * Every user, or those matching the filter (`GET /Users` page by page with startIndex and count,
 * https://datatracker.ietf.org/doc/html/rfc7644#section-3.4.2), one item per user as the app
 * returned it, sorted by `id`. All or nothing: a list that cannot be read exactly fails.
 * @throws NodeApiError when the app fails or its paging cannot be trusted; NodeOperationError for
 *   a bad filter parameter.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: ScimSession,
): Promise<INodeExecutionData[]> {
	return itemsFor(itemIndex, await listResources(this, session, itemIndex, 'User'));
}
