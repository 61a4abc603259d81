/**
 * The one error the HiBob sandbox answers with on purpose: an HTTP status and HiBob's generic
 * error body `{ "key": "<key>", "error": "<message>" }`.
 */
export class HttpError extends Error {
	/**
	 * @param status HTTP status to answer with (400, 403, 404, …).
	 * @param key The body's `key`, e.g. `bad_request` or `not_found`.
	 * @param message The body's `error`: what was wrong and how to fix it.
	 */
	constructor(
		readonly status: number,
		readonly key: string,
		message: string,
	) {
		super(message);
		this.name = 'HttpError';
	}
}
