/** Add Members and Remove Members: one PatchOp on the group's `members`. */
import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { itemsFor } from '../../../shared/execute';
import { splitList } from '../../../shared/lists';
import { filterString } from '../../helpers/filter';
import { patchOpBody, type PatchOperation } from '../../helpers/patch';
import { scimApiRequest, type ScimSession } from '../../transport';
import { requiredText, resourcePath, writtenResource } from '../common';
import { idProperty } from '../common.description';

/** Group ID and the members' User IDs. */
export const memberProperties: INodeProperties[] = [
	idProperty('Group'),
	{
		displayName: 'Member IDs',
		name: 'memberIds',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 2819c223-7f76-453a-919d-413861904646, 902c246b-6245-4190-8e05-00816be7344a',
		description:
			'SCIM IDs of the users (or groups) to add or remove, separated by commas or new lines (an expression may return an array)',
	},
];

/**
 * The operations for `ids`: one `add` of all members (adding a member twice changes nothing,
 * https://datatracker.ietf.org/doc/html/rfc7644#section-3.5.2.1), or one `remove` per member with
 * a `members[value eq "…"]` filter (https://datatracker.ietf.org/doc/html/rfc7644#section-3.5.2.2;
 * a bare `members` path would empty the group).
 */
export function memberOperations(change: 'add' | 'remove', ids: string[]): PatchOperation[] {
	if (change === 'add')
		return [{ op: 'add', path: 'members', value: ids.map((value) => ({ value })) }];
	return ids.map((id) => ({ op: 'remove', path: `members[value eq ${filterString(id)}]` }));
}

/**
 * Adds or removes members (`PATCH /Groups/{id}`) and outputs the group as the app has it
 * afterwards (read back with GET when the app answers 204).
 * @throws NodeOperationError when the group ID or the member list is empty; NodeApiError when the
 *   app refuses (e.g. 400 invalidValue for an id that is no user) or has no such group (404).
 */
export async function changeMembers(
	context: IExecuteFunctions,
	itemIndex: number,
	session: ScimSession,
	change: 'add' | 'remove',
): Promise<INodeExecutionData[]> {
	const id = requiredText(context, 'groupId', 'Group ID', itemIndex);
	const members = [...new Set(splitList(context.getNodeParameter('memberIds', itemIndex, '')))];
	if (members.length === 0) {
		throw new NodeOperationError(context.getNode(), '"Member IDs" is empty', {
			description:
				'Give the SCIM IDs of the users to add or remove, for example {{ $json.appId }}.',
			itemIndex,
		});
	}
	const response = await scimApiRequest.call(context, session, {
		method: 'PATCH',
		path: resourcePath('Group', id),
		body: patchOpBody(memberOperations(change, members)),
		itemIndex,
		subject: { resourceType: 'Group', id },
	});
	return itemsFor(itemIndex, [
		await writtenResource(context, session, itemIndex, 'Group', id, response),
	]);
}
