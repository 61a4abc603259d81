/**
 * HiBob-style webhook delivery: v2 envelopes signed with Bob-Signature =
 * base64(HMAC-SHA512(secret, raw body)), retried on non-2xx or a timeout with a compressed copy of
 * HiBob's schedule (1, 10, 20, 40, 80, 160 minutes become 100 ms, 1 s, 2 s, 4 s, 8 s, 16 s).
 */
import { createHmac } from 'node:crypto';
import { COMPANY_ID } from './data';

export interface BobEvent {
	type: string;
	employeeId?: string;
	triggeredBy?: string;
	/** Anything else goes into `data` next to employeeId (fieldUpdates, tableId, effectiveDate, …). */
	[key: string]: unknown;
}

export interface BobEnvelope {
	companyId: number;
	type: string;
	triggeredBy: string;
	triggeredAt: string;
	version: 'v2';
	data: Record<string, unknown>;
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
	retryDelaysMs?: number[];
	timeoutMs?: number;
}

export interface DeliveryAttempt {
	at: string;
	url: string;
	type: string;
	attempt: number;
	status: number;
	error?: string;
}

export interface DeliveryResult {
	status: number;
	attempts: number;
	body: string;
}

export const DEFAULT_RETRY_DELAYS_MS = [100, 1000, 2000, 4000, 8000, 16000];

export function signBobPayload(secret: string, rawBody: string | Buffer): string {
	return createHmac('sha512', secret).update(rawBody).digest('base64');
}

export function envelopeFor(event: BobEvent, triggeredAt: string): BobEnvelope {
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

/** Headers and raw body of one delivery, for tests that hand it straight to a node's webhook(). */
export function buildDelivery(
	envelope: BobEnvelope,
	secret: string,
	options: Pick<DeliveryOptions, 'badSignature' | 'unsigned'> = {},
): { rawBody: string; headers: Record<string, string> } {
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

async function postOnce(
	url: string,
	rawBody: string,
	headers: Record<string, string>,
	timeoutMs: number,
): Promise<{ status: number; body: string }> {
	const response = await fetch(url, {
		method: 'POST',
		headers,
		body: rawBody,
		signal: AbortSignal.timeout(timeoutMs),
	});
	return { status: response.status, body: await response.text() };
}

/** Sends one delivery with retries; every attempt goes into `log`. */
export async function deliver(
	url: string,
	rawBody: string,
	headers: Record<string, string>,
	type: string,
	options: DeliveryOptions,
	log: DeliveryAttempt[],
): Promise<DeliveryResult> {
	const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
	const retries = Math.min(options.retries ?? delays.length, delays.length);
	let last: DeliveryResult = { status: 0, attempts: 0, body: '' };
	for (let attempt = 0; attempt <= retries; attempt++) {
		if (attempt > 0) await wait(delays[attempt - 1]);
		try {
			const { status, body } = await postOnce(url, rawBody, headers, options.timeoutMs ?? 10_000);
			log.push({ at: new Date().toISOString(), url, type, attempt: attempt + 1, status });
			last = { status, attempts: attempt + 1, body };
			if (status >= 200 && status < 300) return last;
		} catch (error) {
			log.push({
				at: new Date().toISOString(),
				url,
				type,
				attempt: attempt + 1,
				status: 0,
				error: (error as Error).message,
			});
			last = { status: 0, attempts: attempt + 1, body: (error as Error).message };
		}
	}
	return last;
}

/**
 * HiBob's "Ping test" on saving a webhook: first the plain string, then JSON if that failed.
 * Whether the ping is signed is not documented; `signed` decides.
 */
export async function ping(
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
	for (const [body, contentType] of bodies) {
		const headers: Record<string, string> = { 'content-type': contentType };
		if (signed) headers['bob-signature'] = signBobPayload(secret, body);
		try {
			status = (await postOnce(url, body, headers, 10_000)).status;
		} catch (error) {
			status = 0;
			log.push({
				at: new Date().toISOString(),
				url,
				type: 'ping',
				attempt: 1,
				status,
				error: (error as Error).message,
			});
			continue;
		}
		log.push({ at: new Date().toISOString(), url, type: 'ping', attempt: 1, status });
		if (status >= 200 && status < 300) return { ok: true, status };
	}
	return { ok: false, status };
}
