/**
 * How an app sandbox checks a request body against a collection's field rules before it writes:
 * known fields only, the right types, enum values, unique values and existing references, and
 * on creation every required field. Refusals are HttpErrors: 400 for a body that is not a JSON
 * object, 422 naming every field that failed.
 */
import type { AppState } from './state';
import type { CollectionSpec, FieldRule, Row } from './styles';

/** An error answer: HTTP status, a machine-readable code, a message, and per-field details. */
export class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly details?: Record<string, string>,
	) {
		super(message);
	}
}

/** What a type rule requires, as the 422 message says it. */
function typeDescription(type: FieldRule['type']): string {
	if (type === 'stringArray') return 'an array of strings';
	if (type === 'nullableString') return 'a string or null';
	return `a ${type}`;
}

function hasType(value: unknown, type: FieldRule['type']): boolean {
	switch (type) {
		case 'string':
			return typeof value === 'string';
		case 'nullableString':
			return value === null || typeof value === 'string';
		case 'boolean':
			return typeof value === 'boolean';
		case 'stringArray':
			return Array.isArray(value) && value.every((item) => typeof item === 'string');
	}
}

/** The referenced values that do not exist, as the 422 message names them; undefined when all do. */
function missingReferences(state: AppState, rule: FieldRule, value: unknown): string | undefined {
	if (!rule.references || value === null) return undefined;
	const { collection, by } = rule.references;
	const refs = Array.isArray(value) ? (value as string[]) : [value as string];
	const targets = state.collection(collection);
	const missing = refs.filter((ref) => !targets.hasRowWith(by, ref));
	if (missing.length === 0) return undefined;
	const listed = missing.map((ref) => `"${ref}"`).join(', ');
	return `unknown ${collection} ${listed}: create ${missing.length > 1 ? 'them' : 'it'} first`;
}

/**
 * What is wrong with one field's value, or undefined. A wrong type is reported alone; otherwise
 * the last failing check is reported (enum, then uniqueness, then references).
 */
function fieldProblem(
	state: AppState,
	collection: string,
	field: string,
	rule: FieldRule,
	value: unknown,
	existing: Row | undefined,
): string | undefined {
	if (!hasType(value, rule.type)) return `must be ${typeDescription(rule.type)}`;
	let problem: string | undefined;
	if (rule.enum && !rule.enum.includes(value as string))
		problem = `must be one of ${rule.enum.join(', ')}`;
	if (
		rule.unique &&
		typeof value === 'string' &&
		state.collection(collection).isTaken(field, value, existing?.id)
	)
		problem = `"${value}" is already taken`;
	return missingReferences(state, rule, value) ?? problem;
}

/** The 400 for a body that is missing or not a JSON object. */
export function notAnObject(): HttpError {
	return new HttpError(400, 'invalid_body', 'The request body must be a JSON object.');
}

/** The body as an object of fields; throws 400 invalid_body for anything else. */
function bodyObject(body: unknown): Record<string, unknown> {
	if (!body || typeof body !== 'object' || Array.isArray(body)) throw notAnObject();
	return body as Record<string, unknown>;
}

/**
 * The fields of `body` to write into `collection` (a new row, or `existing`). `id` in the body is
 * ignored. Throws HttpError 400 when the body is not an object, 422 listing every field that
 * fails its rule (and, on creation, every required field that is missing or empty).
 */
export function validateBody(
	state: AppState,
	collection: string,
	spec: CollectionSpec,
	body: unknown,
	existing?: Row,
): Record<string, unknown> {
	const input = bodyObject(body);
	const errors: Record<string, string> = {};
	const clean: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(input)) {
		const rule = spec.fields[key];
		if (!rule) {
			if (key !== 'id') errors[key] = `unknown field "${key}"`;
			continue;
		}
		const problem = fieldProblem(state, collection, key, rule, value, existing);
		if (problem !== undefined) errors[key] = problem;
		if (hasType(value, rule.type)) clean[key] = value;
	}
	if (!existing) {
		for (const [key, rule] of Object.entries(spec.fields)) {
			if (rule.required && (clean[key] === undefined || clean[key] === ''))
				errors[key] = 'is required';
		}
	}
	if (Object.keys(errors).length > 0) {
		const summary = Object.entries(errors)
			.map(([key, problem]) => `${key} ${problem}`)
			.join('; ');
		throw new HttpError(422, 'validation_failed', `Validation failed: ${summary}`, errors);
	}
	return clean;
}
