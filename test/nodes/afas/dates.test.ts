import { DateTime } from 'luxon';

import {
	convertAfasDate,
	looksLikeDate,
	toAfasFilterDate,
} from '../../../nodes/AfasGetConnector/transport/dates';

describe('convertAfasDate (row values: the Z means Amsterdam time)', () => {
	it('leaves values as sent by default', () => {
		expect(convertAfasDate('2024-07-01T00:00:00Z', 'asSent')).toBe('2024-07-01T00:00:00Z');
	});

	it('gives the summer offset +02:00 and the winter offset +01:00', () => {
		expect(convertAfasDate('2024-07-01T00:00:00Z', 'iso')).toBe('2024-07-01T00:00:00+02:00');
		expect(convertAfasDate('2024-01-15T08:30:00Z', 'iso')).toBe('2024-01-15T08:30:00+01:00');
	});

	it('gives the date part for date only, even for a late evening time', () => {
		expect(convertAfasDate('2024-03-31T23:30:00Z', 'dateOnly')).toBe('2024-03-31');
	});

	it('leaves null and non-dates alone', () => {
		expect(convertAfasDate(null, 'iso')).toBeNull();
		expect(convertAfasDate('unknown', 'dateOnly')).toBe('unknown');
	});
});

describe('toAfasFilterDate (filter values: no Z)', () => {
	it('drops the Z of an AFAS-style value and the milliseconds', () => {
		expect(toAfasFilterDate('2020-03-22T00:00:00Z')).toBe('2020-03-22T00:00:00');
		expect(toAfasFilterDate('2020-03-22T10:11:12.345Z')).toBe('2020-03-22T10:11:12');
	});

	it('completes a bare date and a time without seconds', () => {
		expect(toAfasFilterDate('2024-01-31')).toBe('2024-01-31T00:00:00');
		expect(toAfasFilterDate('2024-01-31T08:15')).toBe('2024-01-31T08:15:00');
	});

	it('converts real instants to Amsterdam time', () => {
		expect(toAfasFilterDate('2024-07-01T10:00:00+00:00')).toBe('2024-07-01T12:00:00');
		expect(toAfasFilterDate(new Date(Date.UTC(2024, 0, 15, 10, 0, 0)))).toBe('2024-01-15T11:00:00');
		expect(
			toAfasFilterDate(DateTime.fromISO('2024-07-01T09:00:00', { zone: 'America/New_York' })),
		).toBe('2024-07-01T15:00:00');
	});

	it('returns undefined for other values', () => {
		expect(toAfasFilterDate('P')).toBeUndefined();
		expect(toAfasFilterDate(42)).toBeUndefined();
		expect(looksLikeDate('Amsterdam')).toBe(false);
		expect(looksLikeDate('2024-01-31')).toBe(true);
	});
});
