/** Reading HTTP response headers, the same way for every API this package talks to. */

/**
 * One header of a response, looked up case-insensitively (n8n's HTTP client gives lower-case
 * names; a proxy or a hand-made response may not). A repeated header gives its first value.
 * Returns undefined when the header is absent, null or an empty list.
 */
export function headerValue(
	headers: Record<string, unknown> | undefined,
	name: string,
): string | undefined {
	if (!headers) return undefined;
	const lower = name.toLowerCase();
	let value = headers[name] ?? headers[lower];
	if (value === undefined) {
		const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === lower);
		value = key === undefined ? undefined : headers[key];
	}
	if (Array.isArray(value)) return value.length > 0 ? String(value[0]) : undefined;
	return value === undefined || value === null ? undefined : String(value);
}

/**
 * Seconds to wait from a `Retry-After` value: delta-seconds (`120`; `1.5` is read as 2) or an HTTP
 * date, counted from `nowMs` (ms since the epoch). Undefined when the value is absent or
 * unreadable, a negative number included (the caller then backs off as for no value: JavaScript
 * would read `-5` or `1.5` as dates in the past, and retry at once); never negative.
 * Syntax: https://www.rfc-editor.org/rfc/rfc9110#field.retry-after
 */
export function parseRetryAfter(value: string | undefined, nowMs = Date.now()): number | undefined {
	if (value === undefined || value.trim() === '') return undefined;
	const trimmed = value.trim();
	if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed));
	// An HTTP date names its day and month; anything without letters is no date.
	if (!/[a-z]/i.test(trimmed)) return undefined;
	const at = Date.parse(trimmed);
	return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - nowMs) / 1000));
}
