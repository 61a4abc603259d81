/** JSON helpers shared by the HiBob sandbox's state and routes. */
import { HttpError } from './errors';

/** True for a plain JSON object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON value of a request body; undefined for an empty body; HttpError 400 when not JSON. */
export function parseJsonBody(text: string): unknown {
	if (!text) return undefined;
	try {
		return JSON.parse(text);
	} catch {
		throw new HttpError(400, 'bad_request', 'The request body is not valid JSON.');
	}
}
