/**
 * A SCIM app's failed answers turned into NodeApiErrors that say what the app said and what to
 * fix. SCIM error bodies (https://datatracker.ietf.org/doc/html/rfc7644#section-3.12):
 * `{ "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "400",
 * "scimType": "invalidValue", "detail": "…" }`; `status` is a string in the RFC and a number in
 * some apps, and apps that do not speak SCIM errors send `message` or plain text instead.
 *
 * Errors carry the status, the app's words and the request's method and URL: never a header, and
 * the credential's secrets are hidden in the app's words (some apps quote the request's headers).
 */
import { NodeApiError, jsonParse, type INode, type JsonObject } from 'n8n-workflow';

import { hideSecrets } from '../../../credentials/common/scim';

/** What a SCIM Error body (or a non-SCIM error body) says. */
export interface ScimErrorInfo {
	/** The `scimType` keyword, e.g. `uniqueness`; undefined when the app sent none. */
	scimType?: string;
	/** The app's explanation: `detail`, else `message` or `error`, else the body's text (300 chars). */
	detail: string;
}

/** What a failed request was about, for messages. */
export interface ScimSubject {
	resourceType: 'User' | 'Group';
	/** The SCIM id the request addressed (Get, Update, Delete, members). */
	id?: string;
	/** The userName (User) or displayName (Group) of a create. */
	name?: string;
}

/** Where a failed request went and with which credential, for messages. */
export interface ScimFailureContext {
	node: INode;
	method: string;
	/** The full URL, query string included (it holds no secret). */
	url: string;
	/** The credential's name as the user gave it in n8n, or undefined. */
	credentialName?: string;
	/** The credential's secret values (scimSecrets), hidden wherever the app's words are quoted. */
	secrets?: string[];
	subject?: ScimSubject;
	itemIndex?: number;
}

/** The body as an object when it is JSON (apps send `text/json` or no type at all), else as is. */
export function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	const trimmed = body.trim();
	if (!/^[[{]/.test(trimmed)) return body;
	return jsonParse<unknown>(trimmed, { fallbackValue: body });
}

function textOf(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Reads `scimType` and `detail` from any error body; an HTML page is named, not quoted. */
export function readScimError(body: unknown): ScimErrorInfo {
	const parsed = parseBody(body);
	if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
		const { scimType, detail, message, error } = parsed as Record<string, unknown>;
		const errorText = textOf(error) ?? textOf((error as { message?: unknown })?.message);
		const explanation = textOf(detail) ?? textOf(message) ?? errorText;
		return {
			scimType: textOf(scimType),
			detail: explanation ?? JSON.stringify(parsed).slice(0, 300),
		};
	}
	const raw = textOf(parsed) ?? '';
	if (/^<(!doctype|html)/i.test(raw)) return { detail: 'an HTML page instead of a SCIM answer' };
	return { detail: raw.slice(0, 300) };
}

/**
 * What to do about each `scimType` keyword of RFC 7644 (Table 9,
 * https://datatracker.ietf.org/doc/html/rfc7644#section-3.12).
 */
const SCIM_TYPE_HINTS: Record<string, string> = {
	invalidFilter:
		'The filter is not valid, or uses something the app does not support. Many apps support only "eq" on userName, externalId and displayName.',
	tooMany: 'The filter matched more results than the app returns: narrow the filter.',
	uniqueness: 'A value that must be unique (such as userName) is taken by another resource.',
	mutability:
		'The request changes an attribute the app treats as read-only or immutable: leave that attribute out.',
	invalidSyntax:
		'The app could not read the request body as SCIM: check the JSON (schemas, attribute names and types).',
	invalidPath:
		'A PATCH path is not valid for this app (an attribute or schema extension it does not know).',
	noTarget:
		'A PATCH path matched nothing, for example emails[type eq "work"] on a user without a work email: replace the whole attribute (path "emails") instead.',
	invalidValue:
		'A required value is missing or a value does not fit its attribute: the app’s detail names it.',
	invalidVers: 'The app does not accept this SCIM version; this node speaks SCIM 2.0.',
	sensitive: 'The app refused sensitive data in the request URL.',
};

function apiError(
	context: ScimFailureContext,
	status: number,
	message: string,
	description: string,
	info: ScimErrorInfo,
): NodeApiError {
	const response: JsonObject = {
		httpCode: String(status),
		message,
		scimType: info.scimType ?? null,
		detail: info.detail,
	};
	return new NodeApiError(context.node, response, {
		message,
		description,
		httpCode: String(status),
		itemIndex: context.itemIndex,
	});
}

function said(info: ScimErrorInfo): string {
	return info.detail ? `: ${info.detail}` : '';
}

function request(context: ScimFailureContext): string {
	return `Request: ${context.method} ${context.url}`;
}

function credentialLabel(context: ScimFailureContext): string {
	return context.credentialName
		? `SCIM 2.0 API credential "${context.credentialName}"`
		: 'SCIM 2.0 API credential';
}

function subjectLabel(subject: ScimSubject): string {
	return subject.id === undefined
		? subject.resourceType
		: `${subject.resourceType} with id "${subject.id}"`;
}

/** A 409 on create: the resource exists already. Never retried; the next sync run matches it. */
function conflictError(
	context: ScimFailureContext,
	info: ScimErrorInfo,
	subject: ScimSubject,
): NodeApiError {
	const user = subject.resourceType === 'User';
	const key = user ? 'userName' : 'displayName';
	const named = subject.name === undefined ? '' : ` (${key} "${subject.name}")`;
	return apiError(
		context,
		409,
		`This ${user ? 'user' : 'group'} exists already${named}: run the sync again to match it`,
		`The app answered 409${info.scimType ? ` ${info.scimType}` : ''}${said(info)}. The next run reads the app’s ${user ? 'users' : 'groups'} again and matches this one by ${key} (${user ? 'compared case-insensitively' : 'its name'}) instead of creating it. Not retried.`,
		info,
	);
}

function authError(context: ScimFailureContext, status: 401 | 403, info: ScimErrorInfo) {
	if (status === 401) {
		return apiError(
			context,
			401,
			`The app rejected the ${credentialLabel(context)} (401 Unauthorized)`,
			`Check the Token (Bearer Token), the Username and Password (Basic Auth) or the Header Name and Value (Custom Header) of the credential: the app may have revoked or rotated the token. The app said${said(info) || ': nothing more'}. Not retried; the rest of this run does not call the app again.`,
			info,
		);
	}
	return apiError(
		context,
		403,
		`The app refused this request for the ${credentialLabel(context)} (403 Forbidden)`,
		`The credential is valid but may not do this (for example a token that may only read, or may not manage groups): check its permissions in the app. The app said${said(info) || ': nothing more'}. ${request(context)}`,
		info,
	);
}

function notFoundError(context: ScimFailureContext, info: ScimErrorInfo): NodeApiError {
	const { subject } = context;
	if (subject?.id !== undefined) {
		return apiError(
			context,
			404,
			`The app has no ${subjectLabel(subject)} (404)`,
			`It may have been deleted in the app, or the id is not the app’s SCIM id (use "id" from Get Many, not userName or externalId). The app said${said(info) || ': nothing more'}.`,
			info,
		);
	}
	return apiError(
		context,
		404,
		`The app has no SCIM endpoint at ${context.url} (404)`,
		`Check the Base URL of the ${credentialLabel(context)}: it is the address /Users and /Groups live under, for example https://api.example.com/scim/v2. The app said${said(info) || ': nothing more'}.`,
		info,
	);
}

/**
 * The NodeApiError for a failed status that is not retried: 401/403 name the credential, 404 the
 * missing resource or a wrong base URL, 409 on create is "exists already", 405/501 on PATCH
 * suggest Use PUT, and 400 gives the `scimType` and what to do about it.
 */
export function scimApiError(
	context: ScimFailureContext,
	status: number,
	body: unknown,
): NodeApiError {
	const read = readScimError(body);
	const info = { ...read, detail: hideSecrets(read.detail, context.secrets ?? []) };
	if (status === 401 || status === 403) return authError(context, status, info);
	if (status === 404) return notFoundError(context, info);
	if (status === 409 && context.method === 'POST' && context.subject) {
		return conflictError(context, info, context.subject);
	}
	if ((status === 405 || status === 501) && context.method === 'PATCH') {
		return apiError(
			context,
			status,
			`The app does not support PATCH (${status})${said(info)}`,
			`Turn on the "Use PUT" option of Update: the node then reads the user, applies the changes and sends the whole user with PUT. ${request(context)}`,
			info,
		);
	}
	const kind = info.scimType ? `${status} ${info.scimType}` : String(status);
	const hint = (info.scimType && SCIM_TYPE_HINTS[info.scimType]) || statusHint(status);
	return apiError(
		context,
		status,
		`The app rejected the request (${kind})${said(info)}`,
		`${hint} ${request(context)}`.trim(),
		info,
	);
}

function statusHint(status: number): string {
	if (status === 409) return 'The change conflicts with the app’s current data.';
	if (status === 412) return 'The resource changed in the app since it was read: read it again.';
	if (status === 413) return 'The request was too large for the app: send fewer changes at once.';
	if (status >= 500) return 'A server error in the app: try again later.';
	return '';
}
