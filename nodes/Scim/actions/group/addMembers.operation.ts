import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import type { ScimSession } from '../../transport';
import { changeMembers, memberProperties } from './members';

const displayOptions = { show: { resource: ['group'], operation: ['addMembers'] } };

export const description = updateDisplayOptions(displayOptions, memberProperties);

/**
 * Adds members to a group: one PatchOp `{ op: "add", path: "members", value: [{ value: id }, …] }`
 * (https://datatracker.ietf.org/doc/html/rfc7644#section-3.5.2.1). See changeMembers.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: ScimSession,
): Promise<INodeExecutionData[]> {
	return await changeMembers(this, itemIndex, session, 'add');
}
