/**
 * When a start or end date counts as reached, for the AFAS Trigger's `dateReached` events.
 *
 * A date reached between two polls changes no row, so the trigger looks at the watched date
 * fields of every row on every poll. Dates are calendar days: AFAS writes them as
 * `2026-03-10T00:00:00Z`, where the `Z` is not UTC but Amsterdam local time
 * (https://docs.afas.help/profit/en/get-connector), so the date part is the day as entered in
 * Profit. Days are compared with "today" in the workflow's time zone.
 *
 * - An end date is the last working day (as Reconcile Users reads it): it is reached on the day
 *   after it, so access goes in the first poll after midnight.
 * - A start date is reached on the day itself, or `leadDays` days before it (set it to Reconcile
 *   Users' Invite Lead Time, so the invitation goes out on the day the nightly run would send it).
 *
 * A date is reached in this poll when the day it takes effect is after the day of the last
 * poll that wrote the snapshot and on or before today. As a window on the date itself:
 * `after < date <= until`, with both bounds shifted by the date's offset. Comparing
 * `YYYY-MM-DD` texts compares days.
 */
import { DateTime } from 'luxon';

export type DateKind = 'start' | 'end';

/** A watched date field with the days it is reached in this poll: `after < date <= until`. */
export interface DateWindow {
	field: string;
	kind: DateKind;
	/** Exclusive lower bound (YYYY-MM-DD). */
	after: string;
	/** Inclusive upper bound (YYYY-MM-DD): any date up to it is reached by now. */
	until: string;
	/** Days before the start date it counts as reached (0 for end dates). */
	leadDays: number;
}

const DATE_PART = /^(\d{4}-\d{2}-\d{2})/;

/** The calendar day of a date value as AFAS sends it (`2026-03-10T00:00:00Z` → `2026-03-10`). */
export function dayOf(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	return DATE_PART.exec(value)?.[1];
}

function shift(day: string, days: number): string {
	return days === 0 ? day : DateTime.fromISO(day, { zone: 'utc' }).plus({ days }).toISODate()!;
}

/** Today (YYYY-MM-DD) in `timeZone` (an IANA name such as Europe/Amsterdam) at `now`. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
	const today = DateTime.fromJSDate(now).setZone(timeZone);
	return (today.isValid ? today : DateTime.fromJSDate(now).setZone('utc')).toISODate()!;
}

/**
 * The windows of this poll for the date fields set.
 * @param lastDay The day of the poll that wrote the snapshot (YYYY-MM-DD).
 * @param today Today in the workflow's time zone (YYYY-MM-DD).
 */
export function dateWindows(
	fields: { start?: string; end?: string; leadDays: number },
	lastDay: string,
	today: string,
): DateWindow[] {
	const windows: DateWindow[] = [];
	if (fields.start) {
		// Reached leadDays before it: date - leadDays <= today, i.e. date <= today + leadDays.
		const lead = fields.leadDays;
		windows.push({
			field: fields.start,
			kind: 'start',
			after: shift(lastDay, lead),
			until: shift(today, lead),
			leadDays: lead,
		});
	}
	if (fields.end) {
		// Reached the day after it: date + 1 <= today, i.e. date <= today - 1.
		windows.push({
			field: fields.end,
			kind: 'end',
			after: shift(lastDay, -1),
			until: shift(today, -1),
			leadDays: 0,
		});
	}
	return windows;
}
