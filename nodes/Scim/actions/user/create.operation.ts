import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { itemsFor } from '../../../shared/execute';
import {
	readJsonParameter,
	resourceToCreate,
	userFromFields,
	type UserFields,
} from '../../helpers/resources';
import { scimApiRequest, type ScimSession } from '../../transport';
import { endpointOf, inputError, writtenResource } from '../common';
import { createFields } from './fields';

const properties: INodeProperties[] = [
	{
		displayName: 'Define User',
		name: 'define',
		type: 'options',
		options: [
			{
				name: 'Using JSON',
				value: 'json',
				description: 'A whole SCIM User resource, such as the payload Reconcile Users plans',
			},
			{
				name: 'Using Fields Below',
				value: 'fields',
				description: 'The common attributes one by one',
			},
		],
		default: 'json',
	},
	{
		displayName: 'User (JSON)',
		name: 'userJson',
		type: 'json',
		default: '={{ $json.payload }}',
		required: true,
		description:
			'The SCIM User resource to create: userName is required; schemas are completed when missing (core User, plus each extension the resource holds); ID and meta are left out',
		displayOptions: { show: { define: ['json'] } },
	},
	{
		displayName: 'User Name',
		name: 'userName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'jane@example.com',
		description: 'The unique name the user signs in with, usually the work email',
		displayOptions: { show: { define: ['fields'] } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: createFields,
		displayOptions: { show: { define: ['fields'] } },
	},
];

const displayOptions = { show: { resource: ['user'], operation: ['create'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/** The User resource the parameters describe. @throws ResourceInputError naming the field. */
function userToCreate(context: IExecuteFunctions, itemIndex: number): IDataObject {
	if (context.getNodeParameter('define', itemIndex, 'json') === 'json') {
		const input = readJsonParameter(
			context.getNodeParameter('userJson', itemIndex),
			'User (JSON)',
			'object',
		);
		return resourceToCreate(input as IDataObject, 'User');
	}
	const fields = context.getNodeParameter('additionalFields', itemIndex, {}) as UserFields;
	return userFromFields({
		...fields,
		userName: context.getNodeParameter('userName', itemIndex, '') as string,
	});
}

/**
 * Creates a user (`POST /Users`, https://datatracker.ietf.org/doc/html/rfc7644#section-3.3) and
 * outputs it as the app returned it (with its new `id`).
 * @throws NodeOperationError for bad input (names the field); NodeApiError when the app refuses,
 *   "This user exists already (userName …)" for a 409.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: ScimSession,
): Promise<INodeExecutionData[]> {
	let user: IDataObject;
	try {
		user = userToCreate(this, itemIndex);
	} catch (error) {
		throw inputError(this, error, itemIndex, 'Fix the user to create (its JSON or its fields).');
	}
	const response = await scimApiRequest.call(this, session, {
		method: 'POST',
		path: endpointOf('User'),
		body: user,
		itemIndex,
		subject: { resourceType: 'User', name: String(user.userName) },
	});
	return itemsFor(itemIndex, [
		await writtenResource(this, session, itemIndex, 'User', undefined, response),
	]);
}
