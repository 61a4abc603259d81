import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import type { ScimSession } from '../../transport';
import { changeMembers, memberProperties } from './members';

const displayOptions = { show: { resource: ['group'], operation: ['removeMembers'] } };

export const description = updateDisplayOptions(displayOptions, memberProperties);

/**
 * Removes members from a group: one PatchOp with `{ op: "remove", path: "members[value eq \"id\"]" }`
 * per member (https://datatracker.ietf.org/doc/html/rfc7644#section-3.5.2.2). See changeMembers.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: ScimSession,
): Promise<INodeExecutionData[]> {
	return await changeMembers(this, itemIndex, session, 'remove');
}
