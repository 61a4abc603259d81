/**
 * HiBob webhook checks: Bob-Signature, the "Ping test", and a key per delivery for dropping
 * duplicates (HiBob retries for up to three days and its envelope carries no delivery ID).
 */
import { createHash, createHmac, timingSafeEqual } from 'crypto';
import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';

/**
 * HiBob's v2 employee event types, sorted by name for the picker
 * (https://apidocs.hibob.com/reference/webhook-events-v2).
 */
export const EVENT_TYPES: INodePropertyOptions[] = [
	{
		name: 'Employee Access Revoked Immediately',
		value: 'employee.access.revoked.immediately',
		description: 'A termination with "Revoke access immediately" was completed',
	},
	{
		name: 'Employee Activated',
		value: 'employee.activated',
		description: 'Access enabled, once effective',
	},
	{ name: 'Employee Created', value: 'employee.created', description: 'A new employee record' },
	{
		name: 'Employee Deleted',
		value: 'employee.deleted',
		description: 'An employee record was deleted',
	},
	{
		name: 'Employee Inactivated',
		value: 'employee.inactivated',
		description: 'On leave without access, or terminated, once effective',
	},
	{
		name: 'Employee Joined',
		value: 'employee.joined',
		description: 'Start date reached (fires at midnight, site time)',
	},
	{
		name: 'Employee Left',
		value: 'employee.left',
		description: 'Terminated or on garden leave, whichever takes effect first',
	},
	{
		name: 'Employee Temporary Leave',
		value: 'employee.temporaryLeave',
		description: 'Put on leave',
	},
	{
		name: 'Employee Updated',
		value: 'employee.updated',
		description: 'Fields changed (data.fieldUpdates names them)',
	},
	{
		name: 'Table Entry Created',
		value: 'table.entry.created',
		description: 'A row added to a built-in table (work, employment, lifecycle…)',
	},
	{
		name: 'Table Entry Updated',
		value: 'table.entry.updated',
		description: 'A row of a built-in table changed',
	},
];

export const ALL_EVENT_TYPES = EVENT_TYPES.map((option) => String(option.value));

function bobSignature(secret: string, rawBody: Buffer): string {
	return createHmac('sha512', secret).update(rawBody).digest('base64');
}

/** Constant-time check of the Bob-Signature header against the raw body. */
export function isValidSignature(
	secret: string,
	rawBody: Buffer,
	signature: string | undefined,
): boolean {
	if (!secret || !signature) return false;
	const expected = Buffer.from(bobSignature(secret, rawBody), 'utf8');
	const given = Buffer.from(signature.trim(), 'utf8');
	// timingSafeEqual needs equal lengths; a length difference already means "wrong".
	return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Bob checks a new webhook URL with "Ping test": as plain text, then as {"text":"Ping test"}. */
export function isPing(rawBody: Buffer): boolean {
	const text = rawBody.toString('utf8').trim();
	if (text === 'Ping test' || text === '"Ping test"') return true;
	if (!text.startsWith('{')) return false;
	try {
		const parsed = JSON.parse(text) as IDataObject;
		return parsed.text === 'Ping test' && Object.keys(parsed).length === 1;
	} catch {
		return false;
	}
}

function stableStringify(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
	if (value && typeof value === 'object') {
		return `{${Object.keys(value)
			.sort()
			.map((key) => `${JSON.stringify(key)}:${stableStringify((value as IDataObject)[key])}`)
			.join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

/**
 * Identifies one event across HiBob's retries: type, triggeredAt (microseconds) and data. Without
 * those (not a v2 envelope), the hash of the raw body.
 */
export function deliveryKey(envelope: IDataObject | undefined, rawBody: Buffer): string {
	const source =
		envelope && typeof envelope.type === 'string' && typeof envelope.triggeredAt === 'string'
			? `${envelope.type}|${envelope.triggeredAt}|${stableStringify(envelope.data ?? null)}`
			: rawBody.toString('utf8');
	return createHash('sha256').update(source).digest('base64url').slice(0, 22);
}

/**
 * Records a delivery key in a bounded list (oldest dropped first). Returns false when the key was
 * already there, i.e. the delivery is a duplicate.
 */
export function rememberDelivery(
	seen: string[],
	key: string,
	limit: number,
): { isNew: boolean; seen: string[] } {
	if (seen.includes(key)) return { isNew: false, seen };
	const next = [...seen, key];
	return { isNew: true, seen: next.slice(Math.max(0, next.length - Math.max(1, limit))) };
}

/**
 * Field IDs from data.fieldUpdates, whether HiBob sends strings or objects (the shape is not
 * documented).
 */
export function fieldUpdateIds(data: unknown): string[] {
	const updates = (data as IDataObject | undefined)?.fieldUpdates;
	if (!Array.isArray(updates)) return [];
	return updates
		.map((update) => {
			if (typeof update === 'string') return update;
			if (update && typeof update === 'object') {
				const candidate =
					(update as IDataObject).fieldId ??
					(update as IDataObject).id ??
					(update as IDataObject).field;
				return typeof candidate === 'string' ? candidate : undefined;
			}
			return undefined;
		})
		.filter((id): id is string => typeof id === 'string' && id !== '');
}
