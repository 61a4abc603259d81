import type { INodeProperties } from 'n8n-workflow';
import * as addMembers from './addMembers.operation';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as removeMembers from './removeMembers.operation';

export { addMembers, create, del as delete, get, getAll, removeMembers };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['group'] } },
		options: [
			{
				name: 'Add Members',
				value: 'addMembers',
				description: 'Add users to a group (PATCH on members)',
				action: 'Add members to a group',
			},
			{
				name: 'Create',
				value: 'create',
				description: 'Create a group',
				action: 'Create a group',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a group by SCIM ID',
				action: 'Delete a group',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Read one group by SCIM ID, with its members',
				action: 'Get a group',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'Get many groups: every page, optionally filtered',
				action: 'Get many groups',
			},
			{
				name: 'Remove Members',
				value: 'removeMembers',
				description: 'Remove users from a group (PATCH on members)',
				action: 'Remove members from a group',
			},
		],
		default: 'getAll',
	},
	...create.description,
	...get.description,
	...getAll.description,
	...addMembers.description,
	...removeMembers.description,
	...del.description,
];
