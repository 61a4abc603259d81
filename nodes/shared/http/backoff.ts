/** Exponential backoff with jitter, one formula for every API; each API picks its numbers. */

export interface BackoffOptions {
	/** Wait before the first retry, before jitter (ms). Doubles with every retry. */
	baseMs: number;
	/** Longest wait before jitter (ms). */
	maxMs: number;
	/**
	 * Random extra wait as a share of the step: 1 spreads a step of 4 s over 4-8 s ("equal
	 * jitter"), 0.1 over 4-4.4 s. Spreads the retries of requests that failed together.
	 */
	jitter: number;
}

/**
 * How long to wait (ms) before retry number `attempt + 1` (attempt 0 is the first request):
 * `min(maxMs, baseMs × 2^attempt)`, plus up to `jitter` times that at random.
 */
export function backoffMs(attempt: number, options: BackoffOptions, random = Math.random): number {
	const step = Math.min(options.maxMs, options.baseMs * 2 ** attempt);
	return Math.round(step * (1 + random() * options.jitter));
}
