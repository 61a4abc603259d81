/** Plain-HTTP helpers for the AFAS sandbox tests (Node's global fetch, no client code under test). */
import type { AfasSandbox } from '../../../sandbox/afas/server';

export interface HttpResult {
	status: number;
	headers: Headers;
	text: string;
	/** Parsed JSON, or undefined when the body is empty or not JSON. */
	body: any;
}

export interface GetOptions {
	/** Authorization header value; default `AfasToken <tokenBase64>`, null sends none. */
	authorization?: string | null;
	headers?: Record<string, string>;
}

export async function afasGet(
	afas: AfasSandbox,
	path: string,
	options: GetOptions = {},
): Promise<HttpResult> {
	const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
	const authorization =
		options.authorization === undefined ? `AfasToken ${afas.tokenBase64}` : options.authorization;
	if (authorization !== null) headers.Authorization = authorization;
	const response = await fetch(`${afas.url}${path}`, { headers });
	const text = await response.text();
	let body: unknown;
	try {
		body = text ? JSON.parse(text) : undefined;
	} catch {
		body = undefined;
	}
	return { status: response.status, headers: response.headers, text, body };
}

/** `?a=1&b=2` from an object (URL-encoded the way clients send it). */
export function query(parameters: Record<string, string | number>): string {
	return `?${new URLSearchParams(Object.entries(parameters).map(([key, value]): [string, string] => [key, String(value)])).toString()}`;
}

/** GET /connectors/{id} with query parameters; rows come back on `body.rows`. */
export function getConnector(
	afas: AfasSandbox,
	connectorId: string,
	parameters: Record<string, string | number> = {},
	options?: GetOptions,
) {
	return afasGet(
		afas,
		`/connectors/${connectorId}${Object.keys(parameters).length ? query(parameters) : ''}`,
		options,
	);
}

export const PROFIT_LOG_REFERENCE = /^[0-9A-F]{32}$/;
export const GENERIC_ERROR = 'An unexpected error has occurred.';
