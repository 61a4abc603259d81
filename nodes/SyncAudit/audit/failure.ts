/**
 * What a failed write says: the HTTP status and the app's own error message, read from the error
 * item n8n puts on a node's error output (On Error: Continue (using error output)) or regular
 * output (Continue). Never the stack, the request or its headers; credentials are masked.
 *
 * HTTP Request (4.x) error items look like
 * `{ ...the input item, error: { message: '422 - "{\"error\":{...}}"', status: 422, ... },
 *    details?: { httpCode: '422', body: {...}, description } }` (`details` from version 4.5);
 * nodes that throw NodeApiError carry `httpCode` and `description`. This package's own nodes give
 * `{ error, description?, httpCode? }` on the regular output and `{ ...the input item, error,
 * details: { description?, httpCode? } }` on the error output.
 */

/** Longest message kept in an audit row (characters). */
export const MAX_MESSAGE_LENGTH = 500;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** `value` as a number when it is a whole number or digits ("422"), else null. */
function statusNumber(value: unknown): number | null {
	const number = typeof value === 'string' && /^\d{3}$/.test(value.trim()) ? Number(value) : value;
	return typeof number === 'number' && Number.isInteger(number) && number >= 100 && number < 600
		? number
		: null;
}

/** A JSON text parsed, or the text itself when it is not JSON. */
function parsed(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return text;
	}
}

/**
 * The message in an error body as APIs commonly write it: `{ error: { message } }`,
 * `{ error: "..." }`, `{ message }`, `{ detail }` (SCIM, RFC 7807), `{ error_description }`,
 * `{ errors: [{ message }] }`, `{ title }`, or a plain text body.
 */
export function bodyMessage(body: unknown): string | null {
	if (typeof body === 'string') {
		const value = parsed(body.trim());
		if (typeof value === 'string') return value.trim() || null;
		return bodyMessage(value);
	}
	if (!isObject(body)) return null;
	const error = body.error;
	if (isObject(error) && typeof error.message === 'string') return error.message;
	const firstError = Array.isArray(body.errors) ? (body.errors[0] as unknown) : undefined;
	const candidates = [
		typeof error === 'string' ? error : undefined,
		body.message,
		body.detail,
		body.error_description,
		isObject(firstError) ? firstError.message : firstError,
		body.title,
	];
	const found = candidates.find((value) => typeof value === 'string' && value.trim() !== '');
	return typeof found === 'string' ? found : null;
}

/** HTTP Request's `"<status> - <JSON text of the body>"` message split into status and body. */
function fromStatusMessage(message: string): { status: number | null; body: unknown } | null {
	const match = /^(\d{3}) - ([\s\S]*)$/.exec(message.trim());
	if (!match) return null;
	const rest = parsed(match[2]);
	return { status: statusNumber(match[1]), body: typeof rest === 'string' ? parsed(rest) : rest };
}

/** The names of fields and headers that hold a credential: token, x-api-key, client_secret, … */
const SECRET_NAME = String.raw`(?:access[-_ ]?token|refresh[-_ ]?token|api[-_ ]?key|client[-_ ]?secret|token|password|passwd|secret|authorization)`;

/**
 * Masks credentials that may appear in a message: the value after an auth scheme (Bearer, Basic,
 * AfasToken, Token); the value of a token/password/key field or header (`token=…`,
 * `"password":"…"`, `x-api-key: …`, `client-secret: …`); a quoted value right after such a name
 * (`API token "…" is expired`); and JSON Web Tokens anywhere. A scheme followed by a plain word of
 * letters shorter than 16 characters ("Bearer Token", "token rejected") is advice, not a secret,
 * and stays.
 */
export function maskSecrets(text: string): string {
	return text
		.replace(/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, '[hidden]')
		.replace(/\b(Bearer|Basic|AfasToken|Token)\s+([A-Za-z0-9._~+/=-]{4,})/gi, maskSchemeValue)
		.replace(
			new RegExp(
				String.raw`(["']?${SECRET_NAME}["']?(?:\s*[:=]\s*|\s+(?=["'\`])))("[^"]*"|'[^']*'|\`[^\`]*\`|[^\s,;}]+)`,
				'gi',
			),
			'$1[hidden]',
		);
}

/** `Bearer [hidden]` for a scheme's value; the match unchanged when the value is a plain word. */
function maskSchemeValue(match: string, scheme: string, value: string): string {
	return /^[A-Za-z]{4,15}$/.test(value) ? match : `${scheme} [hidden]`;
}

function clip(text: string): string {
	const clean = maskSecrets(text.replace(/\s+/g, ' ').trim());
	return clean.length > MAX_MESSAGE_LENGTH ? `${clean.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : clean;
}

/**
 * The HTTP status and the app's message of a failed write. `json` is the error item's JSON,
 * `itemError` the item's `error` property (set by nodes that report errors that way). Status is
 * null when the failure was not an HTTP answer (a refused connection, a timeout).
 */
export function describeFailure(
	json: Json,
	itemError?: unknown,
): { status: number | null; message: string } {
	const error: Json = isObject(json.error) ? json.error : isObject(itemError) ? itemError : {};
	const details: Json = isObject(json.details) ? json.details : {};
	const fromMessage =
		typeof error.message === 'string' ? fromStatusMessage(error.message) : undefined;
	const status =
		statusNumber(details.httpCode) ??
		statusNumber(json.httpCode) ??
		statusNumber(error.status) ??
		statusNumber(error.httpCode) ??
		statusNumber(error.statusCode) ??
		fromMessage?.status ??
		null;
	// This package's nodes: `error` is the message, `description` (in `details` on the error
	// output) what the app said and what to do; both are kept.
	const ownError = typeof json.error === 'string' && json.error.trim() !== '' ? json.error : null;
	const description =
		typeof details.description === 'string'
			? details.description
			: typeof json.description === 'string'
				? json.description
				: null;
	const message =
		bodyMessage(details.body) ??
		(fromMessage ? bodyMessage(fromMessage.body) : null) ??
		(ownError && description ? `${ownError}: ${description}` : null) ??
		description ??
		(typeof error.description === 'string' ? error.description : null) ??
		(typeof error.message === 'string' ? error.message : null) ??
		ownError ??
		'The write failed without a message';
	return { status, message: clip(message) };
}

/** The statuses apps answer a create of something that exists with: 409 Conflict, 422, 400. */
const EXISTS_STATUSES = new Set([400, 409, 422]);
/** Words an app's message uses for "exists already" ("already taken", "exists", "duplicate"). */
const EXISTS_WORDS = /\b(?:already|exists?|taken|duplicate|not unique|uniqueness|in use)\b/i;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A character that would make the key part of a longer word: an e-mail address, a name, an ID. */
const IN_WORD = String.raw`[\p{L}\p{N}._@+\-]`;

/**
 * Whether `message` names `key` as a value: quoted (`"1001"`, `'1001'`), or right after a name
 * ending in "id" or "key" (`externalId 1001`, `id: 1001`, `Duplicate key: ABC-1`), and not as
 * part of a longer word. A key that only occurs as a count ("2 errors") or inside an e-mail
 * address (`1001@store.example`) is not named.
 */
function namesKey(message: string, key: string): boolean {
	const value = escapeRegExp(key);
	const quoted = `(["'\`])${value}\\1`;
	const labelled = String.raw`(?:id|key)[\s:=]{1,3}${value}(?!${IN_WORD})`;
	return new RegExp(`${quoted}|${labelled}`, 'iu').test(message);
}

/**
 * Whether a refused create says that the record exists already: the status is 409, 422 or 400,
 * and the app's message names one of `keys` (the record's own external ID, quoted or after a name
 * ending in "id" or "key", case-insensitively) together with a word such as "already", "exists",
 * "taken" or "duplicate". A message that names only another field (an e-mail address held by a
 * different user, even one that contains the external ID) is not enough: that is a real conflict,
 * not the same record created a moment before.
 *
 * Example (the sandbox apps): `422 Validation failed: externalId "3048" is already taken`.
 * HTTP 409 Conflict: https://www.rfc-editor.org/rfc/rfc9110#name-409-conflict
 */
export function existsAlreadyAnswer(
	status: number | null,
	message: string | null,
	keys: Array<string | null | undefined>,
): boolean {
	if (status === null || !EXISTS_STATUSES.has(status) || !message) return false;
	if (!EXISTS_WORDS.test(message)) return false;
	return keys.some((key) => {
		const value = typeof key === 'string' ? key.trim() : '';
		return value !== '' && namesKey(message, value);
	});
}
