import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { itemsFor } from '../../../shared/execute';
import type { ScimSession } from '../../transport';
import { listResources } from '../common';
import { listProperties } from '../common.description';

const displayOptions = { show: { resource: ['group'], operation: ['getAll'] } };

export const description = updateDisplayOptions(displayOptions, listProperties('Group'));

/**
 * Every group, or those matching the filter (`GET /Groups` page by page,
 * https://datatracker.ietf.org/doc/html/rfc7644#section-3.4.2), one item per group as the app
 * returned it, sorted by `id`. All or nothing, like Users → Get Many.
 * @throws NodeApiError when the app fails or its paging cannot be trusted; NodeOperationError for
 *   a bad filter parameter.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: ScimSession,
): Promise<INodeExecutionData[]> {
	return itemsFor(itemIndex, await listResources(this, session, itemIndex, 'Group'));
}
