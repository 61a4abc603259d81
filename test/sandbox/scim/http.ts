/** Plain-HTTP helpers for the SCIM sandbox tests (Node's global fetch, no client code under test). */
import type { ScimSandbox } from '../../../sandbox/scim/server';

export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

export interface ScimResult {
	status: number;
	headers: Headers;
	/** Parsed JSON, or undefined for an empty body. */
	body: any;
}

export interface CallOptions {
	/** Authorization header value; default `Bearer <token>`, null sends none. */
	authorization?: string | null;
	/** Request body sent as is (for malformed JSON). */
	raw?: string;
}

/** One SCIM request with `Content-Type: application/scim+json`. */
export async function scim(
	sandbox: ScimSandbox,
	method: string,
	path: string,
	body?: unknown,
	options: CallOptions = {},
): Promise<ScimResult> {
	const headers: Record<string, string> = {
		Accept: 'application/scim+json',
		'Content-Type': 'application/scim+json',
	};
	const authorization =
		options.authorization === undefined ? `Bearer ${sandbox.token}` : options.authorization;
	if (authorization !== null) headers.Authorization = authorization;
	const response = await fetch(`${sandbox.url}${path}`, {
		method,
		headers,
		body: options.raw ?? (body === undefined ? undefined : JSON.stringify(body)),
	});
	const text = await response.text();
	return {
		status: response.status,
		headers: response.headers,
		body: text ? JSON.parse(text) : undefined,
	};
}

/** `/Users?filter=...` (or another endpoint) with the filter URL-encoded as clients send it. */
export function filtered(filter: string, endpoint = '/Users', extra = ''): string {
	return `${endpoint}?filter=${encodeURIComponent(filter)}${extra}`;
}

/** A PatchOp message with the given operations. */
export function patchOp(...operations: Array<Record<string, unknown>>) {
	return { schemas: [PATCH_OP], Operations: operations };
}

/** A core User (with `schemas`) for `userName`, plus extra attributes. */
export function user(userName: string, extra: Record<string, unknown> = {}) {
	return { schemas: [USER], userName, ...extra };
}

/** Creates a User over HTTP and returns the created resource (fails the test on non-201). */
export async function createUser(
	sandbox: ScimSandbox,
	userName: string,
	extra: Record<string, unknown> = {},
): Promise<any> {
	const created = await scim(sandbox, 'POST', '/Users', user(userName, extra));
	if (created.status !== 201) {
		throw new Error(`POST /Users ${userName}: ${created.status} ${JSON.stringify(created.body)}`);
	}
	return created.body;
}
