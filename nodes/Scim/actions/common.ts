/**
 * What several SCIM 2.0 operations share: reading the filter and list parameters, reading a whole
 * list exactly, reading one resource, and the resource a write leaves behind.
 */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type JsonObject,
} from 'n8n-workflow';

import { splitList } from '../../shared/lists';
import { equalsFilter } from '../helpers/filter';
import { readWholeList, sortById } from '../helpers/list';
import { scimApiRequest, type ScimResponse, type ScimSession } from '../transport';

/** The two SCIM resource types the node reads and writes. */
export type ResourceType = 'User' | 'Group';

/** `/Users` or `/Groups` (https://datatracker.ietf.org/doc/html/rfc7644#section-3.2). */
export function endpointOf(resourceType: ResourceType): string {
	return resourceType === 'User' ? '/Users' : '/Groups';
}

/** `/Users/{id}` with the id URL-encoded. */
export function resourcePath(resourceType: ResourceType, id: string): string {
	return `${endpointOf(resourceType)}/${encodeURIComponent(id)}`;
}

/**
 * A required text parameter, trimmed.
 * @throws NodeOperationError naming the field when it is empty.
 */
export function requiredText(
	context: IExecuteFunctions,
	name: string,
	label: string,
	itemIndex: number,
): string {
	const value = String(context.getNodeParameter(name, itemIndex, '') ?? '').trim();
	if (!value) {
		throw new NodeOperationError(context.getNode(), `"${label}" is empty`, {
			description: `Fill in "${label}", for example with an expression such as {{ $json.id }}.`,
			itemIndex,
		});
	}
	return value;
}

/**
 * The SCIM filter the parameters describe, or undefined for none.
 * @throws NodeOperationError naming the field: an invalid attribute name, or an empty raw filter.
 */
export function readFilter(context: IExecuteFunctions, itemIndex: number): string | undefined {
	const type = context.getNodeParameter('filterType', itemIndex, 'none') as string;
	if (type === 'raw') return requiredText(context, 'filter', 'SCIM Filter', itemIndex);
	if (type !== 'equals') return undefined;
	let attribute = context.getNodeParameter('filterAttribute', itemIndex, 'userName') as string;
	if (attribute === 'custom') {
		attribute = requiredText(context, 'filterCustomAttribute', 'Attribute Name', itemIndex);
	}
	const value = context.getNodeParameter('filterValue', itemIndex, '') as unknown;
	try {
		return equalsFilter(attribute, value === undefined || value === null ? '' : String(value));
	} catch (error) {
		throw new NodeOperationError(context.getNode(), (error as Error).message, {
			description: 'Fix "Attribute Name" of the filter.',
			itemIndex,
		});
	}
}

/** The list query parameters other than paging: filter, attributes, excludedAttributes. */
function listQuery(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const qs: IDataObject = {};
	const filter = readFilter(context, itemIndex);
	if (filter !== undefined) qs.filter = filter;
	for (const key of ['attributes', 'excludedAttributes']) {
		const names = splitList(options[key]);
		if (names.length > 0) qs[key] = names.join(',');
	}
	return qs;
}

/**
 * Every User or Group the parameters ask for (all pages, or up to Limit), sorted by `id`, read
 * exactly (see readWholeList).
 * @throws NodeApiError when the app fails or the list cannot be read exactly; NodeOperationError
 *   for a bad filter parameter.
 */
export async function listResources(
	context: IExecuteFunctions,
	session: ScimSession,
	itemIndex: number,
	resourceType: ResourceType,
): Promise<IDataObject[]> {
	const qs = listQuery(context, itemIndex);
	const returnAll = context.getNodeParameter('returnAll', itemIndex, true) as boolean;
	const options = context.getNodeParameter('options', itemIndex, {}) as { pageSize?: number };
	const noun = resourceType === 'User' ? 'users' : 'groups';
	const rows = await readWholeList({
		pageSize: Math.max(1, Math.floor(options.pageSize ?? 100)),
		limit: returnAll ? undefined : (context.getNodeParameter('limit', itemIndex, 50) as number),
		noun,
		checkPageCaps: qs.filter === undefined,
		fetchPage: async (startIndex, count) => {
			const response = await scimApiRequest.call(context, session, {
				method: 'GET',
				path: endpointOf(resourceType),
				qs: { ...qs, startIndex, count },
				itemIndex,
			});
			return response.body;
		},
		fail(message, description): never {
			throw new NodeApiError(context.getNode(), { message } as JsonObject, {
				message,
				description: `${description} Nothing was output: a partial list would make missing ${noun} look like ${noun} to create.`,
				itemIndex,
			});
		},
	});
	return sortById(rows);
}

/**
 * One User or Group by SCIM id (`GET /Users/{id}`).
 * @throws NodeApiError, naming the id on 404.
 */
export async function getResource(
	context: IExecuteFunctions,
	session: ScimSession,
	itemIndex: number,
	resourceType: ResourceType,
	id: string,
): Promise<IDataObject> {
	const response = await scimApiRequest.call(context, session, {
		method: 'GET',
		path: resourcePath(resourceType, id),
		itemIndex,
		subject: { resourceType, id },
	});
	return resourceBody(context, response, itemIndex);
}

/**
 * The resource in a response body.
 * @throws NodeApiError when the body is not a JSON object.
 */
function resourceBody(
	context: IExecuteFunctions,
	response: ScimResponse,
	itemIndex: number,
): IDataObject {
	const body = response.body;
	if (body && typeof body === 'object' && !Array.isArray(body)) return body as IDataObject;
	throw new NodeApiError(context.getNode(), { message: 'no resource' } as JsonObject, {
		message: `The app answered ${response.statusCode} without the resource`,
		description:
			'A SCIM app answers a read or a write with the resource as JSON (RFC 7644, section 3).',
		httpCode: String(response.statusCode),
		itemIndex,
	});
}

/**
 * The resource as the app has it after a write: the response body, or, when the app answered
 * 204 No Content (allowed for PATCH), the resource read back with GET.
 * @throws NodeApiError when the app fails, or answers 200/201 without a resource.
 */
export async function writtenResource(
	context: IExecuteFunctions,
	session: ScimSession,
	itemIndex: number,
	resourceType: ResourceType,
	id: string | undefined,
	response: ScimResponse,
): Promise<IDataObject> {
	if (response.body === undefined && id !== undefined) {
		return await getResource(context, session, itemIndex, resourceType, id);
	}
	return resourceBody(context, response, itemIndex);
}

/**
 * An error of the pure helpers that read a node's input (ResourceInputError, PatchInputError: their
 * message names the field) as a NodeOperationError for the item, with what to fix.
 */
export function inputError(
	context: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
	description: string,
): NodeOperationError {
	return new NodeOperationError(context.getNode(), error as Error, { description, itemIndex });
}
