/**
 * Requests that got no HTTP response: what went wrong, in words a user can act on, and whether
 * it is the kind of failure that may heal by itself. Each API decides which kinds it retries.
 */

/**
 * - `reset`: the connection broke or was aborted mid-request;
 * - `timeout`: no answer within the request's timeout;
 * - `refused`: nothing listens at the address (a server restarting, or a wrong address);
 * - `unreachable`: a temporary DNS or routing failure;
 * - `garbled`: the answer came, but its compressed (gzip/deflate) body could not be unpacked.
 */
export type NetworkFailureKind = 'reset' | 'timeout' | 'refused' | 'unreachable' | 'garbled';

export interface NetworkFailure {
	/** The system error code, such as ECONNRESET; undefined when none could be found. */
	code?: string;
	/** Set for the codes below, which may heal by themselves; undefined for any other error. */
	kind?: NetworkFailureKind;
	/** What happened, as a phrase: "the connection was reset". */
	reason?: string;
}

const KNOWN_FAILURES: Record<string, { kind: NetworkFailureKind; reason: string }> = {
	ECONNRESET: { kind: 'reset', reason: 'the connection was reset' },
	ECONNABORTED: { kind: 'reset', reason: 'the connection was aborted' },
	EPIPE: { kind: 'reset', reason: 'the connection broke' },
	ETIMEDOUT: { kind: 'timeout', reason: 'the request timed out' },
	ESOCKETTIMEDOUT: { kind: 'timeout', reason: 'the request timed out' },
	ECONNREFUSED: { kind: 'refused', reason: 'the connection was refused' },
	EAI_AGAIN: { kind: 'unreachable', reason: 'the DNS lookup failed temporarily' },
	EHOSTUNREACH: { kind: 'unreachable', reason: 'the host was unreachable' },
	ENETUNREACH: { kind: 'unreachable', reason: 'the network was unreachable' },
	// zlib's codes, for a body sent with Content-Encoding gzip or deflate that is not.
	Z_DATA_ERROR: { kind: 'garbled', reason: 'its compressed answer could not be unpacked' },
	Z_BUF_ERROR: { kind: 'garbled', reason: 'its compressed answer was cut off' },
};

/** A system error code (ECONNRESET) or a zlib one (Z_DATA_ERROR). */
const ERROR_CODE = /^(?:E|Z_)[A-Z_]+$/;

/** How deep to follow `cause` links: n8n's HTTP helpers wrap the client's error once or twice. */
const MAX_CAUSE_DEPTH = 6;

/**
 * The system (or zlib) error code of a failed request, looking through wrapped errors (`cause`).
 * The HTTP client's own timeout ("timeout of 1000ms exceeded", code ECONNABORTED) counts as
 * ETIMEDOUT, and "socket hang up" without a code as ECONNRESET.
 */
function networkErrorCode(error: unknown): string | undefined {
	let code: string | undefined;
	let current: unknown = error;
	for (let depth = 0; depth < MAX_CAUSE_DEPTH && current && typeof current === 'object'; depth++) {
		const message = (current as { message?: unknown }).message;
		if (typeof message === 'string' && /timeout of \d+ms exceeded/i.test(message))
			return 'ETIMEDOUT';
		const ownCode = (current as { code?: unknown }).code;
		if (!code && typeof ownCode === 'string' && ERROR_CODE.test(ownCode)) code = ownCode;
		if (!code && typeof message === 'string') {
			if (/socket hang up/i.test(message)) code = 'ECONNRESET';
			else if (/\baborted\b/i.test(message)) code = 'ECONNABORTED';
		}
		current = (current as { cause?: unknown }).cause;
	}
	return code;
}

/** The code, kind and reason of a request that got no response (see NetworkFailure). */
export function describeNetworkFailure(error: unknown): NetworkFailure {
	const code = networkErrorCode(error);
	const known = code === undefined ? undefined : KNOWN_FAILURES[code];
	return known ? { code, ...known } : { code };
}

/** The first error in a chain of `cause` links that passes `test`, or undefined. */
export function findCause<T>(
	error: unknown,
	test: (candidate: unknown) => candidate is T,
): T | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < MAX_CAUSE_DEPTH && current && typeof current === 'object'; depth++) {
		if (test(current)) return current;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}
