/**
 * AFAS token and environment helpers, shared by the AFAS Profit API credential and the AFAS
 * GetConnector node (a credential never imports a node). Pure: no n8n context, no I/O.
 *
 * AFAS issues a token as `<token><version>1</version><data>{64 hex}</data></token>` and, since
 * Profit 6, only accepts it base64-encoded in `Authorization: AfasToken <base64>`
 * (https://docs.afas.help/profit/en/authentication). People paste it in three ways, all accepted
 * here: the full XML, only the `<data>` value, or the base64.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface NormalisedAfasToken {
	/** Form the user pasted, useful in tests and messages (never the token itself). */
	form: 'xml' | 'data' | 'base64';
	/** base64 of the canonical token XML: the value after `AfasToken ` in the header. */
	base64: string;
}

/** The sentence every token error ends with: the three forms a token may be pasted in. */
export const ACCEPTED_TOKEN_FORMS =
	'Paste the token in one of these forms: the full XML as AFAS shows it ' +
	'(<token><version>1</version><data>…</data></token>), only the value between <data> and </data>, ' +
	'or the base64 encoding of the full XML.';

/** Thrown when a token cannot be read. Its message never contains the token. */
export class AfasTokenFormatError extends Error {
	readonly isAfasTokenFormatError = true;

	constructor(problem: string) {
		super(`The AFAS token is not in a recognised form: ${problem}. ${ACCEPTED_TOKEN_FORMS}`);
		this.name = 'AfasTokenFormatError';
	}
}

/**
 * Whether `error` is an AfasTokenFormatError. Read from a flag rather than with `instanceof`, so
 * it also holds for a copy of the error (n8n's HTTP helpers may rebuild errors that pass through
 * them).
 */
export function isAfasTokenFormatError(error: unknown): error is AfasTokenFormatError {
	return (
		typeof error === 'object' &&
		error !== null &&
		(error as { isAfasTokenFormatError?: unknown }).isAfasTokenFormatError === true
	);
}

// Profit generates 64 upper-case hex characters; accept any run of letters and digits of a
// plausible length so that hand-made test tokens and older tokens also pass.
const TOKEN_DATA = /^[0-9A-Za-z]{16,512}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

const parser = new XMLParser({
	ignoreAttributes: true,
	// Keep `<data>` as text: a token of digits only must not turn into a number.
	parseTagValue: false,
	trimValues: true,
});

function canonicalXml(version: string, data: string): string {
	return `<token><version>${version}</version><data>${data}</data></token>`;
}

function fromXml(xml: string): string {
	if (XMLValidator.validate(xml) !== true)
		throw new AfasTokenFormatError('the XML is not well-formed');
	const parsed = parser.parse(xml) as { token?: unknown };
	const token = parsed.token;
	if (typeof token !== 'object' || token === null) {
		throw new AfasTokenFormatError('the XML has no <token> element at its root');
	}
	const { version, data } = token as { version?: unknown; data?: unknown };
	if (typeof data !== 'string' || !TOKEN_DATA.test(data)) {
		throw new AfasTokenFormatError('the XML has no usable <data> element');
	}
	const versionText = typeof version === 'string' && /^\d+$/.test(version) ? version : '1';
	return canonicalXml(versionText, data);
}

function decodedTokenXml(candidate: string): string | undefined {
	if (candidate.length % 4 !== 0 || !BASE64.test(candidate)) return undefined;
	const decoded = Buffer.from(candidate, 'base64').toString('utf8').trim();
	return decoded.startsWith('<') ? decoded : undefined;
}

/**
 * Reads a token in any accepted form and returns the base64 AFAS expects.
 * The XML is parsed and validated, then rebuilt in canonical form (no whitespace or
 * line breaks a copy-paste may have added).
 * @throws AfasTokenFormatError when the input is in none of the three forms (the message lists
 *   them and never repeats the token).
 */
export function normaliseAfasToken(input: unknown): NormalisedAfasToken {
	let text = typeof input === 'string' ? input.trim() : '';
	if (text === '') throw new AfasTokenFormatError('the token is empty');
	// Tolerate a value copied from a header ("AfasToken PHRva2...").
	text = text.replace(/^AfasToken\s+/i, '');

	if (text.startsWith('<')) {
		return { form: 'xml', base64: Buffer.from(fromXml(text), 'utf8').toString('base64') };
	}
	const compact = text.replace(/\s+/g, '');
	const decoded = decodedTokenXml(compact);
	if (decoded !== undefined) {
		return { form: 'base64', base64: Buffer.from(fromXml(decoded), 'utf8').toString('base64') };
	}
	if (TOKEN_DATA.test(compact)) {
		return {
			form: 'data',
			base64: Buffer.from(canonicalXml('1', compact), 'utf8').toString('base64'),
		};
	}
	throw new AfasTokenFormatError(
		'it is neither token XML, nor a token data value, nor base64 of token XML',
	);
}

// ------------------------------------------------------------------ environment / base URL

type AfasEnvironmentType = 'production' | 'test' | 'accept';

/** The credential fields that decide the address (values as n8n stores them). */
export interface AfasConnectionSettings {
	connectUsing?: unknown;
	environmentType?: unknown;
	environmentNumber?: unknown;
	url?: unknown;
}

/** Host name part per environment type: `https://{nr}.{part}.afas.online/ProfitRestServices`. */
const HOST_PART: Record<AfasEnvironmentType, string> = {
	production: 'rest',
	test: 'resttest',
	accept: 'restaccept',
};

/**
 * The ProfitRestServices base URL from the credential, without a trailing slash
 * (https://docs.afas.help/profit/en/concepts lists the environment addresses).
 * Keep in step with AFAS_BASE_URL_EXPRESSION below.
 * @throws Error naming the missing or malformed field (environment number, or API server URL).
 */
export function afasBaseUrl(settings: AfasConnectionSettings): string {
	if (settings.connectUsing === 'url') {
		const url = typeof settings.url === 'string' ? settings.url.trim() : '';
		if (!/^https?:\/\/[^/]+/i.test(url)) {
			throw new Error(
				'The AFAS API server URL is missing or does not start with https://. ' +
					'Copy it from AFAS, for example https://12345.rest.afas.online/ProfitRestServices',
			);
		}
		// A URL copied with an endpoint after it (".../ProfitRestServices/connectors/X") still works.
		return url.replace(/(\/profitrestservices)(\/.*)?$/i, '$1').replace(/\/+$/, '');
	}
	const number = String(settings.environmentNumber ?? '').replace(/[^0-9]/g, '');
	if (number === '') {
		throw new Error(
			'The AFAS environment number is missing. Enter the number of your AFAS Online environment, ' +
				'for example 12345 (AFAS shows it in the API server URL https://12345.rest.afas.online/...)',
		);
	}
	const type = (settings.environmentType ?? 'production') as AfasEnvironmentType;
	const host = HOST_PART[type] ?? HOST_PART.production;
	return `https://${number}.${host}.afas.online/ProfitRestServices`;
}

/**
 * The same rule as afasBaseUrl(), as an n8n expression over `$credentials`: n8n resolves the
 * credential test request before any code of this package runs, so the test needs it in this form.
 */
export const AFAS_BASE_URL_EXPRESSION =
	'={{ $credentials.connectUsing === "url" ' +
	'? String($credentials.url).trim().replace(/(\\/profitrestservices)(\\/.*)?$/i, "$1").replace(/\\/+$/, "") ' +
	': "https://" + String($credentials.environmentNumber).replace(/[^0-9]/g, "") + "." + ' +
	`(${JSON.stringify(HOST_PART)})[$credentials.environmentType || "production"] + ` +
	'".afas.online/ProfitRestServices" }}';
