/**
 * Calendar arithmetic on `YYYY-MM-DD` strings. ISO dates compare correctly as strings, so the
 * lifecycle rules never build Date objects per person; luxon is used only for the few values
 * that need a time zone or month arithmetic.
 */
import { DateTime } from 'luxon';
import { isValidIsoDate } from './values';
import { ReconcileConfigError } from './types';

/** The calendar date of `instant` in `zone`: 2026-03-31T23:30Z is 2026-04-01 in Europe/Amsterdam. */
export function referenceDate(instant: Date | string, zone: string): string {
	const base =
		typeof instant === 'string'
			? DateTime.fromISO(instant, { setZone: true })
			: DateTime.fromJSDate(instant);
	const local = base.setZone(zone);
	if (!local.isValid) {
		throw new ReconcileConfigError(
			`Cannot compute the reference date for "${String(instant)}" in time zone "${zone}"`,
			'Use an ISO date-time and an IANA time zone such as Europe/Amsterdam.',
		);
	}
	return local.toISODate() as string;
}

export function assertIsoDate(value: string, what: string): void {
	if (!isValidIsoDate(value)) {
		throw new ReconcileConfigError(
			`${what} "${value}" is not a calendar date`,
			'Write it as YYYY-MM-DD, for example 2026-04-01.',
		);
	}
}

export function addDays(date: string, days: number): string {
	if (days === 0) return date;
	const [year, month, day] = date.split('-').map(Number);
	return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** `date` minus whole months; the day is clamped to the month's end (31 March - 1 month = 28/29 February). */
export function minusMonths(date: string, months: number): string {
	const [year, month, day] = date.split('-').map(Number);
	const monthIndex = year * 12 + (month - 1) - months;
	const targetYear = Math.floor(monthIndex / 12);
	const targetMonth = monthIndex - targetYear * 12;
	const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
	return new Date(Date.UTC(targetYear, targetMonth, Math.min(day, lastDay)))
		.toISOString()
		.slice(0, 10);
}

/**
 * The calendar date of an app timestamp (such as `invitedAt`) in `zone`. Date-only values are
 * taken as written; date-times without an offset are read in `zone`. Undefined when unreadable.
 */
export function appTimestampDate(value: unknown, zone: string): string | undefined {
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const text = value.trim();
	if (text.length === 10) return isValidIsoDate(text) ? text : undefined;
	const parsed = DateTime.fromISO(text, { zone });
	if (!parsed.isValid) return undefined;
	return parsed.setZone(zone).toISODate() ?? undefined;
}
