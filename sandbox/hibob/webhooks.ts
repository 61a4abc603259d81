/**
 * The HiBob sandbox's webhook emitter: HiBob's v2 envelopes, signed with
 * `Bob-Signature: base64(HMAC-SHA512(secret, raw body))`, retried on a non-2xx answer or a
 * timeout (10 s by default) on a compressed copy of HiBob's schedule (1, 10, 20, 40, 80 and 160
 * minutes become 100 ms, 1 s, 2 s, 4 s, 8 s and 16 s). A new webhook is saved only when its URL
 * answers HiBob's Ping test with 2xx.
 *
 * Signature and Ping test: https://apidocs.hibob.com/docs/working-with-webhooks
 * Envelope and events: https://apidocs.hibob.com/reference/webhook-events-v2
 * Retry schedule: https://apidocs.hibob.com/docs/getting-started-with-partner-webhooks
 */
import { createHmac } from 'node:crypto';
import { bobTimestamp } from './dates';
import { COMPANY_ID } from './model';

/** An event to send: its type, the employee, who triggered it, and the rest of `data`. */
export interface BobEvent {
	type: string;
	employeeId?: string;
	/** An employee ID, or "system" (the default) for lifecycle events. */
	triggeredBy?: string;
	/** Anything else goes into `data` next to employeeId (fieldUpdates, tableId, effectiveDate, …). */
	[key: string]: unknown;
}

/** HiBob's v2 webhook body. */
export interface BobEnvelope {
	companyId: number;
	type: string;
	triggeredBy: string;
	/** HiBob's timestamp format: UTC, microseconds, no timezone. */
	triggeredAt: string;
	version: 'v2';
	data: Record<string, unknown>;
}

/** A URL that receives the sandbox's events. */
export interface RegisteredWebhook {
	url: string;
	/** Signs every delivery to this URL. */
	secret: string;
	/** Event types; undefined = all. */
	events?: string[];
}

export interface DeliveryOptions {
	/** Retries after the first attempt (default: the length of the retry schedule). */
	retries?: number;
	/** Sign with a wrong secret. */
	badSignature?: boolean;
	/** Send no Bob-Signature header. */
	unsigned?: boolean;
	/** Deliver the same envelope twice (HiBob retries for days, so receivers see duplicates). */
	duplicate?: boolean;
	/** Waits before each retry, in ms. */
	retryDelaysMs?: number[];
	/** How long one attempt may take, in ms (default 10 000). */
	timeoutMs?: number;
}

/** One attempt to deliver an event or a Ping test; status 0 when no answer came. */
export interface DeliveryAttempt {
	/** ISO 8601 instant (real time) of the answer or the failure. */
	at: string;
	url: string;
	/** The event type, or "ping". */
	type: string;
	/** 1 for the first attempt. */
	attempt: number;
	status: number;
	/** Why no answer came (timeout, connection refused, …). */
	error?: string;
}

/** The outcome of a delivery: the last attempt's status and body (or error message). */
export interface DeliveryResult {
	status: number;
	attempts: number;
	body: string;
}

/** The raw body and headers of one delivery, exactly as sent. */
export interface Delivery {
	rawBody: string;
	headers: Record<string, string>;
}

const DEFAULT_RETRY_DELAYS_MS = [100, 1000, 2000, 4000, 8000, 16000];
const DEFAULT_TIMEOUT_MS = 10_000;

/** `Bob-Signature` of a raw body: base64 of HMAC-SHA512 keyed with the webhook secret (UTF-8). */
export function signBobPayload(secret: string, rawBody: string | Buffer): string {
	return createHmac('sha512', secret).update(rawBody).digest('base64');
}

/** The v2 envelope of an event triggered at `triggeredAt` (HiBob's timestamp format). */
function envelopeFor(event: BobEvent, triggeredAt: string): BobEnvelope {
	const { type, triggeredBy, ...data } = event;
	return {
		companyId: COMPANY_ID,
		type,
		triggeredBy: triggeredBy ?? 'system',
		triggeredAt,
		version: 'v2',
		data,
	};
}

/** Headers and raw body of one delivery, signed unless `unsigned` (wrongly with `badSignature`). */
function buildDelivery(
	envelope: BobEnvelope,
	secret: string,
	options: Pick<DeliveryOptions, 'badSignature' | 'unsigned'> = {},
): Delivery {
	const rawBody = JSON.stringify(envelope);
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	if (!options.unsigned)
		headers['bob-signature'] = signBobPayload(
			options.badSignature ? `${secret}-wrong` : secret,
			rawBody,
		);
	return { rawBody, headers };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function postOnce(
	url: string,
	delivery: Delivery,
	timeoutMs: number,
): Promise<{ status: number; body: string }> {
	const response = await fetch(url, {
		method: 'POST',
		headers: delivery.headers,
		body: delivery.rawBody,
		signal: AbortSignal.timeout(timeoutMs),
	});
	return { status: response.status, body: await response.text() };
}

/** Sends one delivery until a 2xx answer or the retries run out; every attempt goes into `log`. */
async function deliverWithRetries(
	url: string,
	delivery: Delivery,
	type: string,
	options: DeliveryOptions,
	log: DeliveryAttempt[],
): Promise<DeliveryResult> {
	const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
	const retries = Math.min(options.retries ?? delays.length, delays.length);
	let last: DeliveryResult = { status: 0, attempts: 0, body: '' };
	for (let attempt = 1; attempt <= retries + 1; attempt++) {
		if (attempt > 1) await wait(delays[attempt - 2]);
		try {
			const { status, body } = await postOnce(
				url,
				delivery,
				options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
			);
			log.push({ at: new Date().toISOString(), url, type, attempt, status });
			last = { status, attempts: attempt, body };
			if (status >= 200 && status < 300) return last;
		} catch (error) {
			const message = messageOf(error);
			log.push({ at: new Date().toISOString(), url, type, attempt, status: 0, error: message });
			last = { status: 0, attempts: attempt, body: message };
		}
	}
	return last;
}

/**
 * HiBob's Ping test on saving a webhook: first the plain string, then JSON if that failed.
 * Whether HiBob signs the ping is not documented; `signed` decides.
 */
async function pingTest(
	url: string,
	secret: string,
	signed: boolean,
	log: DeliveryAttempt[],
): Promise<{ ok: boolean; status: number }> {
	const bodies: Array<[string, string]> = [
		['Ping test', 'text/plain'],
		[JSON.stringify({ text: 'Ping test' }), 'application/json'],
	];
	let status = 0;
	for (const [rawBody, contentType] of bodies) {
		const headers: Record<string, string> = { 'content-type': contentType };
		if (signed) headers['bob-signature'] = signBobPayload(secret, rawBody);
		try {
			status = (await postOnce(url, { rawBody, headers }, DEFAULT_TIMEOUT_MS)).status;
		} catch (error) {
			status = 0;
			const at = new Date().toISOString();
			log.push({ at, url, type: 'ping', attempt: 1, status, error: messageOf(error) });
			continue;
		}
		log.push({ at: new Date().toISOString(), url, type: 'ping', attempt: 1, status });
		if (status >= 200 && status < 300) return { ok: true, status };
	}
	return { ok: false, status };
}

export interface WebhookEmitterSettings {
	/** The secret for `emit` and `build` when the caller gives none. */
	secret: string;
	/** The sandbox clock's instant (ISO 8601), stamped into `triggeredAt`. */
	now: () => string;
	retryDelaysMs?: number[];
	timeoutMs?: number;
	/** Deliver every event to registered webhooks twice. */
	duplicateDeliveries: boolean;
	/** Sign the Ping test. */
	signPing: boolean;
}

/** The registered webhooks, the deliveries in flight and the log of every attempt. */
export class WebhookEmitter {
	private readonly registered: RegisteredWebhook[] = [];
	private readonly pending = new Set<Promise<unknown>>();
	private readonly attempts: DeliveryAttempt[] = [];

	constructor(private readonly settings: WebhookEmitterSettings) {}

	/** Saves the webhook if its URL answers the Ping test with 2xx, as HiBob does. */
	async register(webhook: RegisteredWebhook): Promise<{ ok: boolean; status: number }> {
		const result = await pingTest(
			webhook.url,
			webhook.secret,
			this.settings.signPing,
			this.attempts,
		);
		if (result.ok) this.registered.push(webhook);
		return result;
	}

	/** Copies of the registered webhooks. */
	webhooks(): RegisteredWebhook[] {
		return this.registered.map((hook) => ({ ...hook }));
	}

	clear(): void {
		this.registered.splice(0);
	}

	/** Sends an event to every registered webhook that wants its type, in the background. */
	broadcast(event: BobEvent): void {
		const envelope = this.envelope(event);
		const copies = this.settings.duplicateDeliveries ? 2 : 1;
		for (const hook of this.registered) {
			if (hook.events && !hook.events.includes(envelope.type)) continue;
			const delivery = buildDelivery(envelope, hook.secret);
			for (let i = 0; i < copies; i++) {
				const sending = deliverWithRetries(
					hook.url,
					delivery,
					envelope.type,
					{ retryDelaysMs: this.settings.retryDelaysMs, timeoutMs: this.settings.timeoutMs },
					this.attempts,
				);
				this.pending.add(sending);
				void sending.finally(() => this.pending.delete(sending));
			}
		}
	}

	/** Sends one event to `targetUrl` and waits for the answer (no retries unless `opts.retries`). */
	async emit(
		targetUrl: string,
		event: BobEvent,
		opts: DeliveryOptions & { secret?: string } = {},
	): Promise<DeliveryResult> {
		const envelope = this.envelope(event);
		const delivery = buildDelivery(envelope, opts.secret ?? this.settings.secret, opts);
		const options: DeliveryOptions = {
			retryDelaysMs: this.settings.retryDelaysMs,
			timeoutMs: this.settings.timeoutMs,
			retries: 0,
			...opts,
		};
		const first = await deliverWithRetries(
			targetUrl,
			delivery,
			envelope.type,
			options,
			this.attempts,
		);
		if (!opts.duplicate) return first;
		return await deliverWithRetries(targetUrl, delivery, envelope.type, options, this.attempts);
	}

	/** A signed delivery without sending it. */
	build(
		event: BobEvent,
		opts: { badSignature?: boolean; unsigned?: boolean; secret?: string } = {},
	): { envelope: BobEnvelope } & Delivery {
		const envelope = this.envelope(event);
		return { envelope, ...buildDelivery(envelope, opts.secret ?? this.settings.secret, opts) };
	}

	/** Waits until the background deliveries (retries included) are done. */
	async flush(): Promise<void> {
		while (this.pending.size) await Promise.allSettled([...this.pending]);
	}

	/** A copy of the log of every attempt, Ping tests included. */
	deliveries(): DeliveryAttempt[] {
		return [...this.attempts];
	}

	private envelope(event: BobEvent): BobEnvelope {
		return envelopeFor(event, bobTimestamp(this.settings.now()));
	}
}
