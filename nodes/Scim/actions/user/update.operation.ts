import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { itemsFor } from '../../../shared/execute';
import { optionsCollection } from '../../../shared/properties';
import {
	applyPatch,
	patchOpBody,
	readPatchOperations,
	type PatchOperation,
} from '../../helpers/patch';
import { operationsFromFields, readJsonParameter, type UserFields } from '../../helpers/resources';
import { scimApiRequest, type ScimResponse, type ScimSession } from '../../transport';
import { getResource, inputError, requiredText, resourcePath, writtenResource } from '../common';
import { idProperty } from '../common.description';
import { updateFields } from './fields';

const properties: INodeProperties[] = [
	idProperty('User'),
	{
		displayName: 'Define Changes',
		name: 'define',
		type: 'options',
		options: [
			{
				name: 'Using PATCH Operations (JSON)',
				value: 'json',
				description:
					'A PatchOp message or a list of operations, such as the payload Reconcile Users plans',
			},
			{
				name: 'Using Fields Below',
				value: 'fields',
				description: 'One replace per field',
			},
		],
		default: 'json',
	},
	{
		displayName: 'Operations (JSON)',
		name: 'operationsJson',
		type: 'json',
		default: '={{ $json.payload }}',
		required: true,
		description:
			'A PatchOp message ({ "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [...] }), a list of operations, or one operation ({ "op": "replace", "path": "active", "value": false })',
		displayOptions: { show: { define: ['json'] } },
	},
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'Each field becomes one replace; a field set to empty text removes the attribute',
		options: updateFields,
		displayOptions: { show: { define: ['fields'] } },
	},
	optionsCollection([
		{
			displayName: 'Use PUT',
			name: 'usePut',
			type: 'boolean',
			default: false,
			description:
				'Whether to read the user, apply the changes and send the whole user with PUT, for apps without PATCH. Only simple paths (no [filters]) can be applied this way.',
		},
	]),
];

const displayOptions = { show: { resource: ['user'], operation: ['update'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/** The PATCH operations the parameters describe. @throws PatchInputError / ResourceInputError. */
function changesOf(context: IExecuteFunctions, itemIndex: number): PatchOperation[] {
	if (context.getNodeParameter('define', itemIndex, 'json') === 'json') {
		const input = readJsonParameter(
			context.getNodeParameter('operationsJson', itemIndex),
			'Operations (JSON)',
			'any',
		);
		return readPatchOperations(input);
	}
	return operationsFromFields(
		context.getNodeParameter('updateFields', itemIndex, {}) as UserFields,
	);
}

/**
 * PUT: the user read from the app with the changes applied, sent whole (without `meta`).
 * @throws NodeOperationError for a change PUT cannot apply; NodeApiError when the app fails.
 */
async function putChanges(
	context: IExecuteFunctions,
	session: ScimSession,
	itemIndex: number,
	id: string,
	operations: PatchOperation[],
): Promise<ScimResponse> {
	const current = await getResource(context, session, itemIndex, 'User', id);
	let changed: IDataObject;
	try {
		changed = applyPatch(current, operations);
	} catch (error) {
		throw inputError(context, error, itemIndex, 'Turn off "Use PUT" if the app supports PATCH.');
	}
	delete changed.meta;
	return await scimApiRequest.call(context, session, {
		method: 'PUT',
		path: resourcePath('User', id),
		body: changed,
		itemIndex,
		subject: { resourceType: 'User', id },
	});
}

/**
 * Changes a user with a PatchOp (`PATCH /Users/{id}`,
 * https://datatracker.ietf.org/doc/html/rfc7644#section-3.5.2) or, with Use PUT, by replacing it
 * whole (https://datatracker.ietf.org/doc/html/rfc7644#section-3.5.1). Outputs the user as the app
 * has it afterwards (read back with GET when the app answers 204).
 * @throws NodeOperationError for bad input (names the field or operation); NodeApiError when the
 *   app refuses (with its scimType and detail), or has no such user (404).
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	session: ScimSession,
): Promise<INodeExecutionData[]> {
	const id = requiredText(this, 'userId', 'User ID', itemIndex);
	let operations: PatchOperation[];
	try {
		operations = changesOf(this, itemIndex);
	} catch (error) {
		throw inputError(
			this,
			error,
			itemIndex,
			'Fix the changes (the operations JSON or the fields).',
		);
	}
	const options = this.getNodeParameter('options', itemIndex, {}) as { usePut?: boolean };
	const response = options.usePut
		? await putChanges(this, session, itemIndex, id, operations)
		: await scimApiRequest.call(this, session, {
				method: 'PATCH',
				path: resourcePath('User', id),
				body: patchOpBody(operations),
				itemIndex,
				subject: { resourceType: 'User', id },
			});
	return itemsFor(itemIndex, [
		await writtenResource(this, session, itemIndex, 'User', id, response),
	]);
}
