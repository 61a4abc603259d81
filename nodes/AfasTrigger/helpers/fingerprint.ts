/**
 * What the AFAS Trigger keeps per key instead of the values themselves: a short fingerprint of
 * the watched values, so the snapshot of 50,000 people stays small and holds no personal data.
 *
 * One entry is the base64url text of:
 * - a digest: the first 6 bytes (48 bits) of SHA-256 (node:crypto) over the watched values, as
 *   a JSON array in field order. Whether a key changed is decided on it: a change goes unseen
 *   only when the new digest equals the old one, a chance of 1 in 2^48 per change;
 * - one byte per watched field: the low byte of the FNV-1a hash of that field's value (text as
 *   it is, other values as JSON; http://www.isthe.com/chongo/tech/comp/fnv/), to name the
 *   fields that changed. A field whose byte differs certainly changed; a changed field keeps its
 *   byte with a chance of 1 in 256 and is then not named (the change itself is still reported,
 *   by the digest).
 * With 13 watched fields an entry is 26 characters.
 *
 * Several rows under one key (one row per employment) are fingerprinted together and in any
 * order: the digest is over the rows' texts sorted, and a field's byte is the sum of its per-row
 * hashes.
 */
import { hash } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

/** Bytes of SHA-256 kept per key. */
export const DIGEST_BYTES = 6;

/** FNV-1a's 32-bit offset basis, for text values. */
const TEXT_BASIS = 0x811c9dc5;
/** Another start value, for numbers and booleans (as JSON): 1004 and "1004" hash apart. */
const OTHER_BASIS = 0x050c5d1f;
/** The hash of an empty value (null or missing). */
const EMPTY_HASH = 0x5a;

/** FNV-1a, 32 bits, over the UTF-16 code units of `text`, from `basis`. */
function fnv1a(text: string, basis: number): number {
	let value = basis;
	for (let index = 0; index < text.length; index++) {
		value ^= text.charCodeAt(index);
		value = Math.imul(value, 0x01000193);
	}
	return value >>> 0;
}

/** One field's hash: text as it is, other values as JSON, empty ones (null, missing) alike. */
function valueHash(value: unknown): number {
	if (value === null || value === undefined) return EMPTY_HASH;
	return typeof value === 'string'
		? fnv1a(value, TEXT_BASIS)
		: fnv1a(JSON.stringify(value), OTHER_BASIS);
}

/**
 * The entry (see the module comment) of the rows of one key over the watched `fields`. A missing
 * field counts as null (AFAS sends every column, empty ones as null). Linear in rows × fields.
 */
export function entryOf(rows: readonly IDataObject[], fields: readonly string[]): string {
	const bytes = Buffer.allocUnsafe(DIGEST_BYTES + fields.length);
	const sums = new Array<number>(fields.length).fill(0);
	const texts: string[] = new Array<string>(rows.length);
	const values: unknown[] = new Array<unknown>(fields.length);
	for (let r = 0; r < rows.length; r++) {
		const row = rows[r];
		for (let f = 0; f < fields.length; f++) {
			const value = row[fields[f]] ?? null;
			values[f] = value;
			sums[f] = (sums[f] + valueHash(value)) >>> 0;
		}
		texts[r] = JSON.stringify(values);
	}
	if (texts.length > 1) texts.sort();
	hash('sha256', texts.join('\n'), 'buffer').copy(bytes, 0, 0, DIGEST_BYTES);
	for (let f = 0; f < fields.length; f++) bytes[DIGEST_BYTES + f] = sums[f] & 0xff;
	return bytes.toString('base64url');
}

/**
 * The watched fields whose byte differs between two entries made over the same `fields`, in
 * field order. Empty when only the digest differs (a changed field kept its byte).
 */
export function changedFields(before: string, after: string, fields: readonly string[]): string[] {
	const a = Buffer.from(before, 'base64url');
	const b = Buffer.from(after, 'base64url');
	const changed: string[] = [];
	for (let f = 0; f < fields.length; f++) {
		if (a[DIGEST_BYTES + f] !== b[DIGEST_BYTES + f]) changed.push(fields[f]);
	}
	return changed;
}
