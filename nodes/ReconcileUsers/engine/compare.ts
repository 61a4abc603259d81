/**
 * Comparing a value from HR with the app's value by the field's kind (CompareAs), so that
 * values of the same meaning are equal and a second run after applying a plan finds nothing
 * to change: `1004` and `"1004"` (number), `true` and `"true"` (boolean), `2025-04-01` and
 * `2025-04-01T00:00:00.000Z` (date). Dates are read with luxon.
 *
 * Text, email and list comparisons are sameValue's (values.ts); the other kinds fall back to
 * the text comparison when a value cannot be read as their kind, so an unreadable value is
 * reported as a change, never taken as equal.
 */
import { DateTime } from 'luxon';

import type { CompareAs, TargetValueSource } from './types';
import { isEmptyValue, isValidIsoDate, normaliseText, sameValue } from './values';

/** The kind a field is compared as when the target leaves `compare` unset, from its HR field. */
export function defaultCompareAs(from: TargetValueSource): CompareAs {
	switch (from) {
		case 'startDate':
		case 'endDate':
			return 'date';
		case 'email':
		case 'managerEmail':
			return 'email';
		case 'jobIdList':
		case 'orgIdList':
			return 'set';
		default:
			return 'text';
	}
}

/** A number, or undefined: numbers as they are, numeric text (trimmed) read as a number. */
function asNumber(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value !== 'string') return undefined;
	const text = normaliseText(value);
	if (!text) return undefined;
	const number = Number(text);
	return Number.isFinite(number) ? number : undefined;
}

const TRUE_TEXT = new Set(['true', '1', 'yes']);
const FALSE_TEXT = new Set(['false', '0', 'no']);

/** A boolean, or undefined: booleans, 1 / 0, and `true`/`false`/`yes`/`no`/`1`/`0` as text. */
function asBoolean(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') return value;
	if (value === 1 || value === 0) return value === 1;
	if (typeof value !== 'string') return undefined;
	const text = (normaliseText(value) ?? '').toLowerCase();
	if (TRUE_TEXT.has(text)) return true;
	if (FALSE_TEXT.has(text)) return false;
	return undefined;
}

/**
 * The calendar date (`YYYY-MM-DD`) a value stands for, or undefined when it is not a date:
 * - a date (`2025-04-01`) as written;
 * - a date-time at midnight as written (`2025-04-01T00:00:00.000Z`, any offset): its date;
 * - a date-time that is midnight in `zone` (`2025-03-31T22:00:00.000Z` in Europe/Amsterdam),
 *   as an app that keeps dates as midnight in its own zone sends them: that day in `zone`;
 * - any other date-time: the date written in it (as HR dates are read).
 */
export function calendarDate(value: unknown, zone: string): string | undefined {
	if (typeof value !== 'string') return undefined;
	const text = normaliseText(value);
	if (!text) return undefined;
	if (text.length === 10) return isValidIsoDate(text) ? text : undefined;
	const written = DateTime.fromISO(text, { setZone: true });
	if (!written.isValid) return undefined;
	if (isMidnight(written)) return written.toISODate() ?? undefined;
	const local = written.setZone(zone);
	if (local.isValid && isMidnight(local)) return local.toISODate() ?? undefined;
	return written.toISODate() ?? undefined;
}

function isMidnight(value: DateTime): boolean {
	return value.hour === 0 && value.minute === 0 && value.second === 0 && value.millisecond === 0;
}

/** Milliseconds since the epoch of a date-time (no offset: read in `zone`); undefined otherwise. */
function instant(value: unknown, zone: string): number | undefined {
	if (typeof value !== 'string') return undefined;
	const text = normaliseText(value);
	if (!text || text.length <= 10) return undefined;
	const parsed = DateTime.fromISO(text, { zone });
	return parsed.isValid ? parsed.toMillis() : undefined;
}

function sameDate(desired: unknown, current: unknown, zone: string): boolean {
	const want = calendarDate(desired, zone);
	const have = calendarDate(current, zone);
	if (want === undefined || have === undefined) return sameValue(desired, current, 'text');
	return want === have;
}

/** The same instant; when either side is a date without a time, the same calendar date. */
function sameDateTime(desired: unknown, current: unknown, zone: string): boolean {
	const want = instant(desired, zone);
	const have = instant(current, zone);
	if (want === undefined || have === undefined) return sameDate(desired, current, zone);
	return want === have;
}

/**
 * Whether the HR value `desired` and the app value `current` mean the same for a field of
 * kind `compare`. Empty (undefined, null, '' and []) equals empty. `zone`: the IANA zone app
 * date-times without an offset are read in (the run's time zone).
 */
export function sameByKind(
	desired: unknown,
	current: unknown,
	compare: CompareAs,
	zone: string,
): boolean {
	if (compare === 'text' || compare === 'email' || compare === 'set')
		return sameValue(desired, current, compare);
	if (desired === current && !isEmptyValue(desired)) return true;
	if (isEmptyValue(desired) || isEmptyValue(current)) return sameValue(desired, current, 'text');
	switch (compare) {
		case 'number': {
			const want = asNumber(desired);
			const have = asNumber(current);
			return want === undefined || have === undefined
				? sameValue(desired, current, 'text')
				: want === have;
		}
		case 'boolean': {
			const want = asBoolean(desired);
			const have = asBoolean(current);
			return want === undefined || have === undefined
				? sameValue(desired, current, 'text')
				: want === have;
		}
		case 'date':
			return sameDate(desired, current, zone);
		case 'dateTime':
			return sameDateTime(desired, current, zone);
	}
}

/**
 * The value to send for a field of kind `compare`: a number for `number` and a boolean for
 * `boolean` when HR's text reads as one (the app then stores the kind it compares), anything
 * else as HR gave it.
 */
export function valueOfKind(value: unknown, compare: CompareAs): unknown {
	if (compare === 'number') return asNumber(value) ?? value;
	if (compare === 'boolean') return asBoolean(value) ?? value;
	return value;
}
