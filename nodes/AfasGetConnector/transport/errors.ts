/**
 * AFAS' error answers turned into NodeApiErrors that say what to fix. AFAS answers 5xx with
 * `{ externalMessage, errorNumber, profitLogReference }` (a Profit administrator finds the full
 * error in the environment logbook by the reference); the meaning of each status is documented at
 * https://docs.afas.help/profit/en/troubleshooting.
 * Errors never contain the token: they are built from status, AFAS' message and codes, never by
 * passing on the HTTP client's error (which holds the request headers).
 */
import { NodeApiError, type IDataObject, type INode, type JsonObject } from 'n8n-workflow';

import { addErrorItemDetails } from '../../shared/execute';
import { headerValue } from '../../shared/http';

/** What an error message says about the request: "page 3 of connector X", and for whom. */
export interface AfasRequestLabel {
	/** What is being fetched, for messages: "page 3 (rows 21-30) of connector 'X'". */
	what: string;
	/** The GetConnector involved, for the 401 hint. */
	connectorId?: string;
	itemIndex?: number;
}

/** The fields AFAS puts in an error body (and `retry_after` in a 503 body). */
export interface AfasErrorBody {
	externalMessage?: string;
	profitLogReference?: string;
	errorNumber?: number;
	retryAfterSeconds?: number;
}

/** A response body as text, whatever form the HTTP client gave it in. */
export function bodyText(body: unknown): string {
	if (typeof body === 'string') return body;
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	if (body === undefined || body === null) return '';
	return JSON.stringify(body);
}

function readJsonFields(text: string, result: AfasErrorBody): void {
	try {
		const parsed = JSON.parse(text) as IDataObject;
		if (typeof parsed.externalMessage === 'string') result.externalMessage = parsed.externalMessage;
		if (typeof parsed.profitLogReference === 'string')
			result.profitLogReference = parsed.profitLogReference;
		if (typeof parsed.errorNumber === 'number') result.errorNumber = parsed.errorNumber;
		const nested = parsed.error as IDataObject | undefined;
		if (!result.externalMessage && nested && typeof nested.message === 'string') {
			result.externalMessage = nested.message;
		}
		if (!result.externalMessage && typeof parsed.message === 'string')
			result.externalMessage = parsed.message;
		if (typeof parsed.retry_after === 'number') result.retryAfterSeconds = parsed.retry_after;
	} catch {
		// Not JSON (a 401 has an empty body); the obsolete header may still carry the message.
	}
}

/**
 * AFAS' message, log reference, error number and `retry_after` from an error answer. Without a
 * message in the body, the obsolete `X-PROFIT-ERROR` header (base64 of the message) is read.
 */
export function parseErrorBody(text: string, headers: Record<string, unknown>): AfasErrorBody {
	const result: AfasErrorBody = {};
	readJsonFields(text, result);
	const profitError = headerValue(headers, 'x-profit-error');
	if (!result.externalMessage && profitError) {
		const decoded = Buffer.from(profitError, 'base64').toString('utf8').trim();
		if (decoded) result.externalMessage = decoded;
	}
	return result;
}

const STATUS_HINTS: Record<number, (connector: string) => string> = {
	400: () => 'AFAS did not accept the request. Check the filter values and field IDs.',
	401: (connector) =>
		`Check that ${connector} is added to the App Connector that issued this token (the usual cause), ` +
		'that the token belongs to this environment (production, test or accept, and the environment number), ' +
		'and that it has not expired or been deleted in Profit.',
	403: () =>
		'The App Connector probably has an IP restriction: allow the IP address n8n connects from, in Profit.',
	404: (connector) =>
		'Check the environment number and type, or the API server URL (it ends in /ProfitRestServices), ' +
		`and the connector ID ${connector}. AFAS also answers 404 when the query string is longer than 2049 characters.`,
	503: () => 'AFAS is in maintenance or unavailable. See afasstatus.nl and try again later.',
};

/** What to do about AFAS' message, for a status without its own hint (mostly 500). */
function hintForMessage(message: string, connector: string): string {
	if (message.includes('not found'))
		return 'Check the field IDs used in the filter and sort against the connector fields.';
	if (message.includes('invalid index field')) {
		return 'A filter or sort field ID has a dot or another special character. AFAS advises field IDs without dots: rename the field in the GetConnector in Profit, or filter and sort on another field.';
	}
	if (message.includes('blocked')) {
		return 'AFAS blocked this GetConnector definition (Fair Use). A Profit administrator must untick "Blocked" on the GetConnector.';
	}
	if (
		message.includes('not supported') ||
		message.includes('not authorized') ||
		message.includes('niet geautoriseerd')
	) {
		return `Add ${connector} to the App Connector in Profit, or use a token of a user allowed to read it.`;
	}
	if (message.includes('maximum duration') || message.includes('tijdsduur')) {
		return 'The query ran longer than AFAS allows (15 minutes). Filter more, use a smaller page size, or sort on an indexed field.';
	}
	if (message.includes('out of memory') || message.includes('string space')) {
		return 'The page was too large for AFAS. Lower the page size.';
	}
	return 'See the AFAS log reference in the Profit environment logbook for details.';
}

/** What the user should check, from the status and AFAS' message. */
function hintFor(status: number, body: AfasErrorBody, request: AfasRequestLabel): string {
	const connector = request.connectorId ? `'${request.connectorId}'` : 'the GetConnector';
	const forStatus = STATUS_HINTS[status];
	if (forStatus) return forStatus(connector);
	return hintForMessage((body.externalMessage ?? '').toLowerCase(), connector);
}

const STATUS_TEXT: Record<number, string> = {
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'Not Found',
	413: 'Payload Too Large',
	429: 'Too Many Requests',
	500: 'Internal Server Error',
	502: 'Bad Gateway',
	503: 'Service Unavailable',
	504: 'Gateway Timeout',
};

/**
 * The error for an AFAS answer with status `status`: AFAS' message (or the status), a hint and the
 * log reference. The log reference also goes into the Continue On Fail item (`profitLogReference`).
 */
export function httpError(
	node: INode,
	status: number,
	text: string,
	headers: Record<string, unknown>,
	request: AfasRequestLabel,
): NodeApiError {
	const body = parseErrorBody(text, headers);
	const label = `${status}${STATUS_TEXT[status] ? ` ${STATUS_TEXT[status]}` : ''}`;
	const message = body.externalMessage
		? `AFAS error (${label}) on ${request.what}: ${body.externalMessage}`
		: `AFAS answered ${label} on ${request.what}`;
	const reference = body.profitLogReference
		? ` AFAS log reference: ${body.profitLogReference}.`
		: '';
	const details: JsonObject = { status, what: request.what };
	if (body.externalMessage) details.externalMessage = body.externalMessage;
	if (body.profitLogReference) details.profitLogReference = body.profitLogReference;
	if (body.errorNumber !== undefined) details.errorNumber = body.errorNumber;
	const error = new NodeApiError(node, details, {
		message,
		description: `${hintFor(status, body, request)}${reference}`,
		httpCode: String(status),
		itemIndex: request.itemIndex,
	});
	if (body.profitLogReference)
		addErrorItemDetails(error, { profitLogReference: body.profitLogReference });
	return error;
}

/** The error for a 2xx answer whose JSON is not the shape the endpoint documents. */
export function unexpectedShape(node: INode, what: string, itemIndex?: number): NodeApiError {
	return new NodeApiError(node, { what } as JsonObject, {
		message: `AFAS answered ${what} with an unexpected response`,
		description: 'Check that the API server URL points to AFAS ProfitRestServices.',
		itemIndex,
	});
}
