/**
 * AFAS dates. AFAS writes every date as `YYYY-MM-DDTHH:MM:SSZ`, but the `Z` is not UTC: the time
 * is Europe/Amsterdam local time ("We recommend ignoring this Z. The time is always Amsterdam",
 * https://docs.afas.help/profit/en/get-connector; date-only values come as `T00:00:00Z`).
 * In filter values AFAS wants `YYYY-MM-DDTHH:MM:SS` with no `Z` at all.
 */
import { DateTime } from 'luxon';
import { isSafeObjectProperty, type IDataObject } from 'n8n-workflow';

const AFAS_TIME_ZONE = 'Europe/Amsterdam';

export type DateOutput = 'asSent' | 'iso' | 'dateOnly';

const AFAS_DATE = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?Z?$/;
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?[+-]\d{2}:?\d{2}$/;

/** Reads an AFAS date string as Amsterdam local time; undefined when it is not one. */
function parseAfasDate(value: string): DateTime | undefined {
	const match = AFAS_DATE.exec(value);
	if (!match) return undefined;
	const parsed = DateTime.fromISO(`${match[1]}T${match[2] ?? '00:00:00'}`, {
		zone: AFAS_TIME_ZONE,
	});
	return parsed.isValid ? parsed : undefined;
}

/** Converts one row value of a `date` field as the Date Output option asks. */
export function convertAfasDate(value: unknown, mode: DateOutput): unknown {
	if (mode === 'asSent' || typeof value !== 'string') return value;
	const match = AFAS_DATE.exec(value);
	if (!match) return value;
	if (mode === 'dateOnly') return match[1];
	const parsed = parseAfasDate(value);
	return parsed ? parsed.toISO({ suppressMilliseconds: true }) : value;
}

/**
 * A copy of `row` with the values of `dateFields` converted as the Date Output option asks;
 * `row` itself when nothing is to be converted.
 */
export function convertRowDates(
	row: IDataObject,
	dateFields: readonly string[],
	mode: DateOutput,
): IDataObject {
	if (mode === 'asSent' || dateFields.length === 0) return row;
	const json: IDataObject = { ...row };
	for (const field of dateFields) {
		if (Object.prototype.hasOwnProperty.call(json, field) && isSafeObjectProperty(field)) {
			json[field] = convertAfasDate(json[field], mode) as IDataObject[string];
		}
	}
	return json;
}

function amsterdamLocal(dateTime: DateTime): string {
	return dateTime.setZone(AFAS_TIME_ZONE).toFormat("yyyy-MM-dd'T'HH:mm:ss");
}

/** Whether a filter value could be a date (then the field's type decides how it is sent). */
export function looksLikeDate(value: unknown): boolean {
	if (value instanceof Date || DateTime.isDateTime(value)) return true;
	if (typeof value !== 'string') return false;
	const text = value.trim();
	return ISO_WITH_OFFSET.test(text) || AFAS_DATE.test(text);
}

/**
 * Formats a filter value that is a date for AFAS: Amsterdam local time, no `Z`, no milliseconds.
 * - A string ending in `Z` is taken as AFAS writes it (Amsterdam time, fake `Z`), so a value
 *   copied from AFAS output filters on the same moment; the `Z` is dropped.
 * - A string with an explicit offset (n8n's `$now`, `+01:00`) and Date / luxon values are real
 *   instants: they are converted to Amsterdam time.
 * - A date alone (`2024-01-31`) becomes `2024-01-31T00:00:00`, the documented format (whether
 *   AFAS accepts a bare date is unverified, so it is never sent).
 * Returns undefined when the value is not a date.
 */
export function toAfasFilterDate(value: unknown): string | undefined {
	if (value instanceof Date) {
		return Number.isNaN(value.getTime()) ? undefined : amsterdamLocal(DateTime.fromJSDate(value));
	}
	if (DateTime.isDateTime(value)) return value.isValid ? amsterdamLocal(value) : undefined;
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	if (ISO_WITH_OFFSET.test(text)) {
		const parsed = DateTime.fromISO(text, { setZone: true });
		return parsed.isValid ? amsterdamLocal(parsed) : undefined;
	}
	const match = AFAS_DATE.exec(text);
	if (!match) return undefined;
	const time = match[2] ?? '00:00:00';
	return `${match[1]}T${time.length === 5 ? `${time}:00` : time.slice(0, 8)}`;
}
