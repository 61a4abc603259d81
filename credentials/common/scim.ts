/**
 * SCIM 2.0 connection helpers, shared by the SCIM 2.0 API credential and the SCIM 2.0 node (a
 * credential never imports a node). Pure: no n8n context, no I/O.
 *
 * A SCIM service provider has one base URL under which `/Users`, `/Groups` and the discovery
 * endpoints live (https://datatracker.ietf.org/doc/html/rfc7644#section-3.2). RFC 7644 leaves
 * authentication to the provider (https://datatracker.ietf.org/doc/html/rfc7644#section-2): in
 * practice an OAuth Bearer token (Entra ID, most apps), HTTP Basic, or a token in a header of the
 * app's own choosing (Okta's "header token").
 */

/** How requests authenticate: `Authorization: Bearer`, `Authorization: Basic`, or a custom header. */
export type ScimAuthentication = 'bearer' | 'basic' | 'header';

/** The credential fields that decide the address and the authentication (as n8n stores them). */
export interface ScimConnectionSettings {
	baseUrl?: unknown;
	authentication?: unknown;
	token?: unknown;
	username?: unknown;
	password?: unknown;
	headerName?: unknown;
	headerToken?: unknown;
}

/**
 * A credential that cannot be used as filled in. The message names the field to fix and never
 * contains a secret.
 */
export class ScimCredentialError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ScimCredentialError';
	}
}

/** Endpoints people paste after the base URL by mistake; cut off again. */
const ENDPOINT_SUFFIX = /\/(Users|Groups|ServiceProviderConfig|ResourceTypes|Schemas)\/?$/i;

/** An HTTP header name: an RFC 9110 token (https://www.rfc-editor.org/rfc/rfc9110#name-tokens). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : '';
}

/**
 * The SCIM base URL of the credential, without trailing slashes, e.g.
 * `https://api.example.com/scim/v2`. A pasted endpoint after it (`…/scim/v2/Users`) is cut off.
 * The Base URL is an address only: a query string, a `#` part or a user name and password in it
 * are refused (the node appends paths and its own query, and authenticates as the credential
 * says), and the message never repeats the URL, which may hold a secret.
 * @throws ScimCredentialError when the Base URL is empty, does not start with http:// or https://,
 *   or holds more than an address.
 */
export function scimBaseUrl(settings: ScimConnectionSettings): string {
	const url = text(settings.baseUrl);
	if (!/^https?:\/\/[^/\s]+/i.test(url)) {
		throw new ScimCredentialError(
			url === ''
				? 'The Base URL of the SCIM 2.0 API credential is empty. Enter the app’s SCIM endpoint, for example https://api.example.com/scim/v2'
				: 'The Base URL of the SCIM 2.0 API credential must start with https:// (or http:// for a local server), for example https://api.example.com/scim/v2',
		);
	}
	if (/^https?:\/\/[^/?#]*@/i.test(url)) {
		throw new ScimCredentialError(
			'The Base URL of the SCIM 2.0 API credential must not hold a user name or password (the part before @): enter the address only, and the user name and password under Authentication: Basic Auth',
		);
	}
	if (url.includes('?')) {
		throw new ScimCredentialError(
			'The Base URL of the SCIM 2.0 API credential must not hold a query string (the part from ?): enter the address only, for example https://api.example.com/scim/v2, and a token under Authentication (Bearer Token, or Custom Header for a token the app takes in a header)',
		);
	}
	if (url.includes('#')) {
		throw new ScimCredentialError(
			'The Base URL of the SCIM 2.0 API credential must not hold a # part: enter the address only, for example https://api.example.com/scim/v2',
		);
	}
	return url.replace(/\/+$/, '').replace(ENDPOINT_SUFFIX, '').replace(/\/+$/, '');
}

/** The authentication chosen in the credential; Bearer when unset (the field's default). */
export function scimAuthentication(settings: ScimConnectionSettings): ScimAuthentication {
	const chosen = settings.authentication;
	return chosen === 'basic' || chosen === 'header' ? chosen : 'bearer';
}

/** The optional extra header, or the custom authentication header. */
function customHeader(settings: ScimConnectionSettings, required: boolean): Record<string, string> {
	const name = text(settings.headerName);
	const value = text(settings.headerToken);
	if (name === '' && value === '' && !required) return {};
	if (name === '' || !HEADER_NAME.test(name)) {
		throw new ScimCredentialError(
			'The Header Name of the SCIM 2.0 API credential is empty or not a valid header name (letters, digits and - only, e.g. X-Api-Key)',
		);
	}
	if (value === '') {
		throw new ScimCredentialError(
			`The Header Value of the SCIM 2.0 API credential is empty: fill it in or clear Header Name "${name}"`,
		);
	}
	return { [name]: value };
}

/**
 * The headers that authenticate a request: `Authorization: Bearer <token>`,
 * `Authorization: Basic base64(<username>:<password>)` (https://www.rfc-editor.org/rfc/rfc7617),
 * or the custom header, plus the optional extra header in the first two cases.
 * @throws ScimCredentialError naming the empty field (Token, Username, Header Name or Value).
 */
export function scimAuthHeaders(settings: ScimConnectionSettings): Record<string, string> {
	const authentication = scimAuthentication(settings);
	if (authentication === 'header') return customHeader(settings, true);
	const extra = customHeader(settings, false);
	if (authentication === 'basic') {
		const username = text(settings.username);
		if (username === '') {
			throw new ScimCredentialError(
				'The Username of the SCIM 2.0 API credential is empty (Authentication: Basic Auth)',
			);
		}
		const password = typeof settings.password === 'string' ? settings.password : '';
		const encoded = Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
		return { ...extra, Authorization: `Basic ${encoded}` };
	}
	const token = text(settings.token).replace(/^Bearer\s+/i, '');
	if (token === '') {
		throw new ScimCredentialError(
			'The Token of the SCIM 2.0 API credential is empty (Authentication: Bearer Token)',
		);
	}
	return { ...extra, Authorization: `Bearer ${token}` };
}

/** Shorter values are not hidden: they would blank out ordinary words of a message. */
const MIN_SECRET_LENGTH = 4;

/**
 * The credential's secret values as an app may quote them back in an error (some echo the
 * request's headers): the token, the password, the Basic header's base64 of `username:password`,
 * and the value of the custom or extra header; each also URL-encoded when that differs.
 */
export function scimSecrets(settings: ScimConnectionSettings): string[] {
	const token = text(settings.token).replace(/^Bearer\s+/i, '');
	const password = typeof settings.password === 'string' ? settings.password : '';
	const username = text(settings.username);
	const basic =
		username === '' ? '' : Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
	const values = [token, password, basic, text(settings.headerToken)];
	const secrets = new Set<string>();
	for (const value of values) {
		if (value.length < MIN_SECRET_LENGTH) continue;
		secrets.add(value);
		secrets.add(encodeURIComponent(value));
	}
	return [...secrets].sort((a, b) => b.length - a.length);
}

/** `text` with every one of `secrets` replaced by `[hidden]` (longest first). */
export function hideSecrets(text: string, secrets: readonly string[]): string {
	let hidden = text;
	for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
		if (secret.length >= MIN_SECRET_LENGTH) hidden = hidden.split(secret).join('[hidden]');
	}
	return hidden;
}
