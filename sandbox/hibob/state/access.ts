/**
 * Who may call the HiBob sandbox and how often: service users (Basic auth), a fixed-window rate
 * limit per service user with HiBob's `X-RateLimit-*` headers, and HiBob's WAF rule (50 answers
 * 401 or 403 for one Authorization header within 10 s block that header for 5 minutes).
 *
 * Service users: https://apidocs.hibob.com/reference/authorization
 * Rate limits and the WAF: https://apidocs.hibob.com/docs/rate-limit
 */

/** A HiBob service user and what its permission group lets it read. */
export interface ServiceUser {
	id: string;
	token: string;
	/** Field categories this user may read (root is always allowed); undefined = all. */
	categories?: string[];
	/** 'active' mimics a permission group with "Lifecycle status equals Employed". */
	peopleScope?: 'all' | 'active';
	/** false: people endpoints answer 403. */
	canReadPeople?: boolean;
}

/** The service users of the sandbox company, by ID. */
export class ServiceUsers {
	private readonly users = new Map<string, ServiceUser>();

	constructor(users: ServiceUser[]) {
		for (const user of users) this.add(user);
	}

	/** Adds a service user, or replaces the one with the same ID. */
	add(user: ServiceUser): void {
		this.users.set(user.id, user);
	}

	/** The service user an `Authorization: Basic base64(id:token)` header names, if the token matches. */
	authenticate(authorization: string): ServiceUser | undefined {
		const basic = /^Basic\s+(.+)$/i.exec(authorization);
		if (!basic) return undefined;
		const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
		const colon = decoded.indexOf(':');
		const user = this.users.get(decoded.slice(0, colon));
		return user && colon > 0 && user.token === decoded.slice(colon + 1) ? user : undefined;
	}
}

/** The rate-limit verdict for one request and the headers HiBob sends with every answer. */
export interface RateVerdict {
	exceeded: boolean;
	headers: Record<string, string>;
	/** End of the current window, in epoch seconds (the `X-RateLimit-Reset` value). */
	resetEpochSeconds: number;
}

/** A fixed-window limit of `limit` requests per `windowMs` for each key (a service user). */
export class RateLimiter {
	private readonly windows = new Map<string, { start: number; count: number }>();

	constructor(
		private readonly limit: number,
		private readonly windowMs: number,
	) {}

	/** Counts one request for `key` at `nowMs` (epoch ms). */
	count(key: string, nowMs = Date.now()): RateVerdict {
		const start = Math.floor(nowMs / this.windowMs) * this.windowMs;
		let window = this.windows.get(key);
		if (!window || window.start !== start) this.windows.set(key, (window = { start, count: 0 }));
		window.count += 1;
		const resetEpochSeconds = Math.ceil((start + this.windowMs) / 1000);
		return {
			exceeded: window.count > this.limit,
			resetEpochSeconds,
			headers: {
				'X-RateLimit-Limit': String(this.limit),
				'X-RateLimit-Remaining': String(Math.max(0, this.limit - window.count)),
				'X-RateLimit-Reset': String(resetEpochSeconds),
			},
		};
	}

	reset(): void {
		this.windows.clear();
	}
}

const WAF_WINDOW_MS = 10_000;
const WAF_FAILURES = 50;
const WAF_BLOCK_MS = 5 * 60_000;

/** HiBob's WAF rule on 401 and 403 answers per Authorization header. */
export class Waf {
	private readonly failures = new Map<string, number[]>();
	private readonly blockedUntil = new Map<string, number>();

	/** @param enabled false: nothing is ever blocked. */
	constructor(private readonly enabled: boolean) {}

	/** Notes a 401 or 403 answered to this Authorization header at `nowMs` (epoch ms). */
	noteFailure(authorization: string, nowMs = Date.now()): void {
		if (!this.enabled) return;
		const recent = (this.failures.get(authorization) ?? []).filter(
			(at) => nowMs - at < WAF_WINDOW_MS,
		);
		recent.push(nowMs);
		this.failures.set(authorization, recent);
		if (recent.length >= WAF_FAILURES) this.blockedUntil.set(authorization, nowMs + WAF_BLOCK_MS);
	}

	isBlocked(authorization: string, nowMs = Date.now()): boolean {
		const until = this.blockedUntil.get(authorization);
		return until !== undefined && until > nowMs;
	}

	reset(): void {
		this.failures.clear();
		this.blockedUntil.clear();
	}
}
