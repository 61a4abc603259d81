/**
 * Date maths and HiBob's date formats for the sandbox. Dates are `YYYY-MM-DD` strings (UTC);
 * instants are ISO 8601 strings in UTC (`2026-03-02T08:00:00.000Z`).
 * Value formats: https://apidocs.hibob.com/docs/fields-metadata
 */
import { DateTime } from 'luxon';

/** Parses an ISO 8601 date or date-time (no offset means UTC); throws a RangeError naming the value. */
function parseInstant(iso: string): DateTime<true> {
	const parsed = DateTime.fromISO(iso, { zone: 'utc' });
	if (!parsed.isValid) throw new RangeError(`"${iso}" is not an ISO 8601 date or date-time`);
	return parsed;
}

/** An ISO 8601 instant normalised to UTC with milliseconds, e.g. `2026-03-02T08:00:00.000Z`. */
export function normaliseInstant(iso: string): string {
	return parseInstant(iso).toJSDate().toISOString();
}

/** The instant `days` days of 24 hours after `iso` (fractions allowed), normalised like `normaliseInstant`. */
export function addDaysToInstant(iso: string, days: number): string {
	return parseInstant(iso)
		.plus({ milliseconds: days * 86_400_000 })
		.toJSDate()
		.toISOString();
}

/** The date `days` days after `date` (negative: before), as `YYYY-MM-DD`. */
export function addDays(date: string, days: number): string {
	return parseInstant(date).plus({ days }).toFormat('yyyy-MM-dd');
}

/** HiBob's timestamp format: UTC, microseconds, no timezone (`2025-01-08T13:06:26.915000`). */
export function bobTimestamp(iso: string): string {
	return parseInstant(iso).toFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'000'");
}
