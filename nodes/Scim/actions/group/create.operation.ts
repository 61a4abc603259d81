import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { itemsFor } from '../../../shared/execute';
import { splitList } from '../../../shared/lists';
import { groupFromFields, readJsonParameter, resourceToCreate } from '../../helpers/resources';
import { scimApiRequest, type ScimSession } from '../../transport';
import { endpointOf, inputError, writtenResource } from '../common';

const properties: INodeProperties[] = [
	{
		displayName: 'Define Group',
		name: 'define',
		type: 'options',
		options: [
			{
				name: 'Using JSON',
				value: 'json',
				description: 'A whole SCIM Group resource, such as a payload Reconcile Users plans',
			},
			{ name: 'Using Fields Below', value: 'fields', description: 'Name, external ID and members' },
		],
		default: 'fields',
	},
	{
		displayName: 'Group (JSON)',
		name: 'groupJson',
		type: 'json',
		default: '={{ $json.payload }}',
		required: true,
		description:
			'The SCIM Group resource to create: displayName is required; schemas are completed when missing; ID and meta are left out',
		displayOptions: { show: { define: ['json'] } },
	},
	{
		displayName: 'Display Name',
		name: 'displayName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'Finance',
		displayOptions: { show: { define: ['fields'] } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: { define: ['fields'] } },
		options: [
			{
				displayName: 'External ID',
				name: 'externalId',
				type: 'string',
				default: '',
				description: 'Your own key for the group, such as the HR department code',
			},
			{
				displayName: 'Member IDs',
				name: 'memberIds',
				type: 'string',
				default: '',
				description: 'SCIM IDs of the first members, separated by commas or new lines',
			},
		],
	},
];

const displayOptions = { show: { resource: ['group'], operation: ['create'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/** The Group resource the parameters describe. @throws ResourceInputError naming the field. */
function groupToCreate(context: IExecuteFunctions, itemIndex: number): IDataObject {
	if (context.getNodeParameter('define', itemIndex, 'fields') === 'json') {
		const input = readJsonParameter(
			context.getNodeParameter('groupJson', itemIndex),
			'Group (JSON)',
			'object',
		);
		return resourceToCreate(input as IDataObject, 'Group');
	}
	const fields = context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	return groupFromFields(
		String(context.getNodeParameter('displayName', itemIndex, '') ?? ''),
		String(fields.externalId ?? ''),
		[...new Set(splitList(fields.memberIds))],
	);
}

/**
 * Creates a group (`POST /Groups`, https://datatracker.ietf.org/doc/html/rfc7644#section-3.3) and
 * outputs it as the app returned it (with its new `id`).
 * @throws NodeOperationError for bad input; NodeApiError when the app refuses, "This group exists
 *   already (displayName …)" for a 409.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: ScimSession,
): Promise<INodeExecutionData[]> {
	let group: IDataObject;
	try {
		group = groupToCreate(this, itemIndex);
	} catch (error) {
		throw inputError(this, error, itemIndex, 'Fix the group to create (its JSON or its fields).');
	}
	const response = await scimApiRequest.call(this, session, {
		method: 'POST',
		path: endpointOf('Group'),
		body: group,
		itemIndex,
		subject: { resourceType: 'Group', name: String(group.displayName) },
	});
	return itemsFor(itemIndex, [
		await writtenResource(this, session, itemIndex, 'Group', undefined, response),
	]);
}
