/**
 * Reading and normalising values: dot paths compiled once, match keys, text, dates.
 * Everything here runs once per item per field, so it avoids regexes and allocations
 * where a cheap check does.
 */
import type { RawRecord } from './types';

export type Getter = (record: RawRecord) => unknown;

/*
 * One function literal per field slot. V8 keeps type feedback per function literal, so a
 * single shared `(record) => record[path]` sees every field name and its property load goes
 * megamorphic (about 15x slower on 100,000 records); a literal per slot sees one name.
 */
const SLOT_READERS: ReadonlyArray<(path: string) => Getter> = Object.freeze([
	(path: string): Getter =>
		(record) =>
			record[path],
	(path: string): Getter =>
		(record) =>
			record[path],
	(path: string): Getter =>
		(record) =>
			record[path],
	(path: string): Getter =>
		(record) =>
			record[path],
	(path: string): Getter =>
		(record) =>
			record[path],
	(path: string): Getter =>
		(record) =>
			record[path],
	(path: string): Getter =>
		(record) =>
			record[path],
	(path: string): Getter =>
		(record) =>
			record[path],
	(path: string): Getter =>
		(record) =>
			record[path],
	(path: string): Getter =>
		(record) =>
			record[path],
	(path: string): Getter =>
		(record) =>
			record[path],
	(path: string): Getter =>
		(record) =>
			record[path],
	(path: string): Getter =>
		(record) =>
			record[path],
	(path: string): Getter =>
		(record) =>
			record[path],
	(path: string): Getter =>
		(record) =>
			record[path],
	(path: string): Getter =>
		(record) =>
			record[path],
	(path: string): Getter =>
		(record) =>
			record[path],
	(path: string): Getter =>
		(record) =>
			record[path],
	(path: string): Getter =>
		(record) =>
			record[path],
	(path: string): Getter =>
		(record) =>
			record[path],
	(path: string): Getter =>
		(record) =>
			record[path],
	(path: string): Getter =>
		(record) =>
			record[path],
	(path: string): Getter =>
		(record) =>
			record[path],
	(path: string): Getter =>
		(record) =>
			record[path],
]);

/**
 * Compiles dot paths into getters for one reconcile run (made per call, never shared).
 *
 * Each distinct top-level name gets its own reader slot, in the order the run first asks
 * for it, and keeps it for the whole run. A run with the same settings asks in the same
 * order, so a name lands in the same slot run after run and its slot's feedback stays warm.
 */
export class PathReaders {
	private nextSlot = 0;
	private readonly byName = new Map<string, Getter>();

	/**
	 * A getter for a dot path (`work.reportsTo.id`). A null on the way reads as null
	 * (present), a missing key as undefined.
	 */
	path(path: string): Getter {
		const segments = path.split('.');
		if (segments.length === 1) {
			let reader = this.byName.get(path);
			if (!reader) {
				reader = SLOT_READERS[this.nextSlot](path);
				this.nextSlot = (this.nextSlot + 1) % SLOT_READERS.length;
				this.byName.set(path, reader);
			}
			return reader;
		}
		return (record) => {
			let value: unknown = record;
			for (const segment of segments) {
				if (value === null) return null;
				if (typeof value !== 'object') return undefined;
				value = (value as RawRecord)[segment];
			}
			return value;
		};
	}

	/** Alternatives: the first path present (not undefined) on the record wins. */
	firstOf(paths: string[]): Getter {
		const getters = paths.map((path) => this.path(path));
		if (getters.length === 1) return getters[0];
		return (record) => {
			for (const get of getters) {
				const value = get(record);
				if (value !== undefined) return value;
			}
			return undefined;
		};
	}
}

/** Writes `value` at a dot path, creating plain objects on the way. */
export function setPath(target: RawRecord, path: string, value: unknown): void {
	const dot = path.indexOf('.');
	if (dot < 0) {
		target[path] = value;
		return;
	}
	const segments = path.split('.');
	let node = target;
	for (let i = 0; i < segments.length - 1; i++) {
		const next = node[segments[i]];
		if (next === null || typeof next !== 'object' || Array.isArray(next)) {
			const created: RawRecord = {};
			node[segments[i]] = created;
			node = created;
		} else {
			node = next as RawRecord;
		}
	}
	node[segments[segments.length - 1]] = value;
}

const NON_ASCII = /[\u0080-\uffff]/;

function hasNonAscii(text: string): boolean {
	return NON_ASCII.test(text);
}

/*
 * Characters a reader cannot see and that carry no meaning in a key or a compared value, which
 * copy and paste from web pages, spreadsheets and word processors brings in: the soft hyphen
 * (U+00AD), the Arabic letter mark (U+061C), the Mongolian vowel separator (U+180E), the
 * zero-width space, non-joiner and joiner and the direction marks (U+200B-U+200F), the
 * direction embeddings and overrides (U+202A-U+202E), the word joiner, invisible operators and
 * direction isolates (U+2060-U+206F) and the byte order mark, or zero-width no-break space
 * (U+FEFF). All are default-ignorable format characters (Unicode category Cf).
 */
const INVISIBLE_ANYWHERE = /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFEFF]/g;
/** The same characters and white space (\s includes the no-break spaces) at either end. */
const BLANK_AT_ENDS =
	/^[\s\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFEFF]+|[\s\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFEFF]+$/g;
/** The no-break spaces (U+00A0, figure space U+2007, narrow U+202F): a space to a reader. */
const NO_BREAK_SPACES = /[\u00A0\u2007\u202F]/g;
/** Any of the invisible characters or no-break spaces (one test before replacing anything). */
const HIDDEN =
	/[\u00A0\u2007\u202F\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFEFF]/;

/** Whether a UTF-16 code unit is one of the invisible characters above. */
function isInvisible(code: number): boolean {
	return (
		code === 0x00ad ||
		code === 0x061c ||
		code === 0x180e ||
		(code >= 0x200b && code <= 0x200f) ||
		(code >= 0x202a && code <= 0x202e) ||
		(code >= 0x2060 && code <= 0x206f) ||
		code === 0xfeff
	);
}

/** `trim()`, and invisible characters at either end too (they are not white space to JS). */
function trimBlank(text: string): string {
	const trimmed = text.trim();
	if (trimmed === '') return trimmed;
	const first = trimmed.charCodeAt(0);
	const last = trimmed.charCodeAt(trimmed.length - 1);
	if (first < 128 && last < 128) return trimmed;
	return isInvisible(first) || isInvisible(last) ? trimmed.replace(BLANK_AT_ENDS, '') : trimmed;
}

/**
 * Text as it is compared: invisible characters dropped, no-break spaces as spaces, white space
 * at the ends removed, Unicode NFC. Only for non-ASCII text (ASCII text is compared as is).
 */
function comparableText(text: string): string {
	const visible = HIDDEN.test(text)
		? text.replace(INVISIBLE_ANYWHERE, '').replace(NO_BREAK_SPACES, ' ').trim()
		: text;
	return visible.normalize('NFC');
}

/** True when normaliseText would change the string (outer white space or invisible characters). */
export function needsTextNormalising(text: string): boolean {
	if (text.length === 0) return false;
	const first = text.charCodeAt(0);
	const last = text.charCodeAt(text.length - 1);
	return first <= 32 || last <= 32 || first > 127 || last > 127;
}

/**
 * Whether a string is a match key as it is: printable ASCII without spaces and capitals (the
 * usual key: nothing to trim, fold or compose). One pass, where trim, a test for non-ASCII
 * and toLowerCase make three.
 */
function isPlainKey(text: string): boolean {
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code <= 32 || code >= 127 || (code >= 65 && code <= 90)) return false;
	}
	return text.length > 0;
}

/**
 * Match key: trimmed, invisible characters dropped (zero-width spaces and joiners, BOM, soft
 * hyphen, direction marks: anywhere), no-break spaces as spaces, Unicode NFC, case-folded.
 * '' when empty. ASCII text has none of these, so the extra passes only run on other text.
 */
export function normaliseKey(value: unknown): string {
	if (typeof value === 'string' && isPlainKey(value)) return value;
	if (value === null || value === undefined) return '';
	let text =
		typeof value === 'string'
			? value
			: typeof value === 'number' || typeof value === 'bigint'
				? String(value)
				: '';
	text = text.trim();
	if (text === '') return '';
	if (hasNonAscii(text)) text = comparableText(text);
	return text.toLowerCase();
}

/**
 * Text value: trimmed (white space, no-break spaces and invisible characters at either end);
 * null for empty; numbers and booleans as strings. Kept as HR wrote it otherwise: comparisons
 * (sameValue) ignore Unicode composition and invisible characters inside the text.
 */
export function normaliseText(value: unknown): string | null | undefined {
	if (value === undefined) return undefined;
	if (value === null) return null;
	let text: string;
	if (typeof value === 'string') {
		// The usual text: printable ASCII at both ends, so nothing to trim.
		if (value.length > 0 && !needsTextNormalising(value)) return value;
		text = value;
	} else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
		text = String(value);
	else return null;
	text = text.trim();
	if (text === '') return null;
	// Invisible characters are not ASCII: only text with a non-ASCII end needs a second look.
	if (text.charCodeAt(0) < 128 && text.charCodeAt(text.length - 1) < 128) return text;
	text = trimBlank(text);
	return text === '' ? null : text;
}

/** Marker for a date value that cannot be read. */
export const INVALID_DATE = '\u0000invalid';

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function digitsAt(text: string, start: number, count: number): number {
	let result = 0;
	for (let i = start; i < start + count; i++) {
		const code = text.charCodeAt(i) - 48;
		if (code < 0 || code > 9) return -1;
		result = result * 10 + code;
	}
	return result;
}

export function isValidIsoDate(text: string): boolean {
	if (text.length !== 10 || text[4] !== '-' || text[7] !== '-') return false;
	const year = digitsAt(text, 0, 4);
	const month = digitsAt(text, 5, 2);
	const day = digitsAt(text, 8, 2);
	if (year < 0 || month < 1 || month > 12 || day < 1) return false;
	if (month === 2 && day === 29) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
	return day <= DAYS_IN_MONTH[month - 1];
}

/**
 * An HR date as the calendar date written in it: `2024-03-01`, `2024-03-01T00:00:00Z`
 * (AFAS: the Z is not UTC, the value is a local date) and `2024-03-01T00:00:00.000+01:00`
 * all read as 2024-03-01. The value is never shifted to another zone.
 * Returns null for empty, INVALID_DATE for anything else.
 */
export function parseHrDate(value: unknown): string | null | undefined {
	if (value === undefined) return undefined;
	if (value === null) return null;
	if (typeof value !== 'string') return INVALID_DATE;
	const text = needsTextNormalising(value) ? trimBlank(value) : value;
	if (text === '') return null;
	if (text.length === 10) return isValidIsoDate(text) ? text : INVALID_DATE;
	const separator = text[10];
	if (separator !== 'T' && separator !== ' ') return INVALID_DATE;
	const date = text.slice(0, 10);
	return isValidIsoDate(date) ? date : INVALID_DATE;
}

/** Empty for comparison purposes: undefined, null, '' and []. */
export function isEmptyValue(value: unknown): boolean {
	return (
		value === undefined ||
		value === null ||
		value === '' ||
		(Array.isArray(value) && value.length === 0)
	);
}

/** Lower-cased set of strings of an app value (array or single value). */
function asTextList(value: unknown): string[] {
	if (value === undefined || value === null) return [];
	const list = Array.isArray(value) ? value : [value];
	const result: string[] = [];
	for (const entry of list) {
		const text = normaliseText(entry);
		if (text) result.push(text);
	}
	return result;
}

/** Compares a desired value (from HR) with the app's current value. */
export function sameValue(
	desired: unknown,
	current: unknown,
	compare: 'text' | 'email' | 'set',
): boolean {
	if (desired === current && desired !== undefined && desired !== null && desired !== '')
		return true;
	if (compare === 'set') {
		// The common case, one group against one group, without building lists.
		if (
			Array.isArray(desired) &&
			Array.isArray(current) &&
			desired.length === 1 &&
			current.length === 1
		) {
			const want = normaliseText(desired[0]);
			if (want) return want === normaliseText(current[0]);
		}
		const want = asTextList(desired);
		const have = asTextList(current);
		if (want.length !== have.length) {
			// Duplicates in the app value do not make a difference on their own.
			const wantSet = new Set(want);
			const haveSet = new Set(have);
			if (wantSet.size !== haveSet.size) return false;
			for (const entry of wantSet) if (!haveSet.has(entry)) return false;
			return true;
		}
		if (want.length === 1) return want[0] === have[0];
		const haveSet = new Set(have);
		for (const entry of want) if (!haveSet.has(entry)) return false;
		return new Set(want).size === haveSet.size;
	}
	if (isEmptyValue(desired)) return isEmptyValue(current) || normaliseText(current) === null;
	if (compare === 'email') return normaliseKey(desired) === normaliseKey(current);
	if (typeof desired === 'boolean' || typeof current === 'boolean')
		return String(desired) === String(current);
	const want = normaliseText(desired);
	const have = normaliseText(current);
	if (want === have) return true;
	// "é" precomposed and "e" + combining accent are the same name; so are a name with and
	// without a zero-width space, and with a no-break or a plain space.
	if (want && have && (hasNonAscii(want) || hasNonAscii(have)))
		return comparableText(want) === comparableText(have);
	return false;
}

/** Compares `[value]` (or `[]` for null) with the app's list without building the list. */
export function sameSingletonList(value: string | null, current: unknown): boolean {
	if (value !== null && Array.isArray(current) && current.length === 1) {
		const entry: unknown = current[0];
		return entry === value || normaliseText(entry) === value;
	}
	return sameValue(value === null ? [] : [value], current, 'set');
}
