/**
 * HiBob addresses, shared by the HiBob API credential and the HiBob nodes (a credential never
 * imports a node). Pure: no n8n context, no I/O.
 *
 * HiBob serves one REST version, `/v1`, on a production and a sandbox host; the sandbox exists
 * only for accounts that bought one (https://apidocs.hibob.com/reference/testing).
 */

export const HIBOB_PRODUCTION_BASE_URL = 'https://api.hibob.com/v1';
export const HIBOB_SANDBOX_BASE_URL = 'https://api.sandbox.hibob.com/v1';

/** The credential fields that decide the address (values as n8n stores them). */
export interface HiBobConnectionSettings {
	environment?: unknown;
	baseUrlOverride?: unknown;
}

/**
 * The base URL requests go to, without a trailing slash: the Base URL Override when set (a proxy
 * or a local stand-in), else the chosen environment's host. Keep in step with
 * HIBOB_BASE_URL_EXPRESSION below.
 */
export function hiBobBaseUrl(settings: HiBobConnectionSettings): string {
	const override =
		typeof settings.baseUrlOverride === 'string' ? settings.baseUrlOverride.trim() : '';
	if (override) return override.replace(/\/+$/, '');
	return settings.environment === 'sandbox' ? HIBOB_SANDBOX_BASE_URL : HIBOB_PRODUCTION_BASE_URL;
}

/**
 * The same rule as hiBobBaseUrl(), as an n8n expression over `$credentials`: n8n resolves the
 * credential test request before any code of this package runs, so the test needs it in this form.
 */
export const HIBOB_BASE_URL_EXPRESSION =
	'={{ String($credentials.baseUrlOverride || "").trim() ' +
	'? String($credentials.baseUrlOverride).trim().replace(/\\/+$/, "") ' +
	`: ($credentials.environment === "sandbox" ? "${HIBOB_SANDBOX_BASE_URL}" : "${HIBOB_PRODUCTION_BASE_URL}") }}`;
