import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { createSession, hiBobApiRequest, unexpectedAnswer } from '../transport';

/**
 * Field picker: every field of the company's metadata
 * (https://apidocs.hibob.com/docs/fields-metadata). A failing request or an answer that is not a
 * list throws, so an empty list always means "no fields", never "could not ask".
 * @throws NodeApiError when HiBob fails (after one retry) or answers something else.
 */
export async function getFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const fields = await hiBobApiRequest.call(this, createSession({ maxRetries: 1 }), {
		method: 'GET',
		path: '/company/people/fields',
	});
	if (!Array.isArray(fields)) {
		const endpoint = 'GET /company/people/fields';
		throw unexpectedAnswer(this.getNode(), {
			endpoint,
			problem: 'not a list of fields',
			body: fields,
		});
	}
	return (fields as IDataObject[])
		.filter((field) => typeof field.id === 'string')
		.map((field) => ({
			name: `${String(field.categoryDisplayName ?? field.category ?? '')} › ${String(field.name ?? field.id)}`,
			value: String(field.id),
			description: `${String(field.id)}${field.type ? ` (${String(field.type)})` : ''}`,
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Named list picker: the names of the company's lists, sorted
 * (https://apidocs.hibob.com/docs/how-to-work-with-lists-public-api).
 * @throws NodeApiError when HiBob fails (after one retry) or answers something other than an
 *   object of lists by name.
 */
export async function getNamedLists(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const lists = await hiBobApiRequest.call(this, createSession({ maxRetries: 1 }), {
		method: 'GET',
		path: '/company/named-lists',
	});
	if (!lists || typeof lists !== 'object' || Array.isArray(lists)) {
		const endpoint = 'GET /company/named-lists';
		const problem = 'not an object of lists by name';
		throw unexpectedAnswer(this.getNode(), { endpoint, problem, body: lists });
	}
	return Object.keys(lists)
		.sort((a, b) => a.localeCompare(b))
		.map((name) => ({ name, value: name }));
}
