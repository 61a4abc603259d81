/** Comparison by a field's kind: values of the same meaning are equal. */
import {
	calendarDate,
	defaultCompareAs,
	sameByKind,
	valueOfKind,
} from '../../nodes/ReconcileUsers/engine/compare';

const AMS = 'Europe/Amsterdam';

describe('comparison by kind', () => {
	it('number: 1004 equals "1004" and "1004.0"; unreadable numbers compare as text', () => {
		expect(sameByKind('1004', 1004, 'number', AMS)).toBe(true);
		expect(sameByKind(1004, '1004.0', 'number', AMS)).toBe(true);
		expect(sameByKind('01004', 1004, 'number', AMS)).toBe(true);
		expect(sameByKind('1004', 1005, 'number', AMS)).toBe(false);
		expect(sameByKind('n/a', 'n/a', 'number', AMS)).toBe(true);
		expect(sameByKind('n/a', 0, 'number', AMS)).toBe(false);
		expect(sameByKind(null, '', 'number', AMS)).toBe(true);
		expect(sameByKind('0', null, 'number', AMS)).toBe(false);
	});

	it('boolean: true equals "true", "TRUE", 1 and "yes"; false equals "false" and 0', () => {
		for (const yes of ['true', 'TRUE', ' true ', 1, '1', 'yes'])
			expect(sameByKind(true, yes, 'boolean', AMS)).toBe(true);
		for (const no of ['false', 0, '0', 'no'])
			expect(sameByKind('false', no, 'boolean', AMS)).toBe(true);
		expect(sameByKind(true, false, 'boolean', AMS)).toBe(false);
		expect(sameByKind('true', 'false', 'boolean', AMS)).toBe(false);
		expect(sameByKind(false, null, 'boolean', AMS)).toBe(false);
	});

	it('date: a date equals a midnight timestamp of the same calendar day', () => {
		expect(sameByKind('2025-04-01', '2025-04-01T00:00:00.000Z', 'date', AMS)).toBe(true);
		expect(sameByKind('2025-04-01', '2025-04-01T00:00:00+02:00', 'date', AMS)).toBe(true);
		// An app that keeps dates as midnight in its own zone, sent in UTC.
		expect(sameByKind('2025-04-01', '2025-03-31T22:00:00.000Z', 'date', AMS)).toBe(true);
		expect(sameByKind('2025-04-01', '2025-04-02T00:00:00.000Z', 'date', AMS)).toBe(false);
		expect(sameByKind('2025-04-01', '2025-03-31', 'date', AMS)).toBe(false);
		expect(sameByKind('2025-04-01', 'soon', 'date', AMS)).toBe(false);
		expect(sameByKind(null, null, 'date', AMS)).toBe(true);
	});

	it('calendarDate: one date per value, midnight as written first', () => {
		expect(calendarDate('2025-04-01', AMS)).toBe('2025-04-01');
		expect(calendarDate('2025-04-01T00:00:00Z', AMS)).toBe('2025-04-01');
		expect(calendarDate('2025-03-31T22:00:00Z', AMS)).toBe('2025-04-01');
		expect(calendarDate('2025-03-31T22:00:00Z', 'UTC')).toBe('2025-03-31');
		expect(calendarDate('2025-04-01T15:30:00Z', AMS)).toBe('2025-04-01');
		expect(calendarDate('2025-02-30', AMS)).toBeUndefined();
	});

	it('date and time: the same instant; a value without a time compares as a date', () => {
		expect(
			sameByKind('2025-04-01T10:00:00+02:00', '2025-04-01T08:00:00.000Z', 'dateTime', AMS),
		).toBe(true);
		// Without an offset: read in the run's time zone.
		expect(sameByKind('2025-04-01T10:00:00', '2025-04-01T08:00:00Z', 'dateTime', AMS)).toBe(true);
		expect(sameByKind('2025-04-01T10:00:00Z', '2025-04-01T10:00:01Z', 'dateTime', AMS)).toBe(false);
		expect(sameByKind('2025-04-01', '2025-04-01T00:00:00.000Z', 'dateTime', AMS)).toBe(true);
	});

	it('text, email and list keep their own rules', () => {
		expect(sameByKind('1004', 1004, 'text', AMS)).toBe(true);
		expect(sameByKind(true, 'true', 'text', AMS)).toBe(true);
		expect(sameByKind('A@X.nl', 'a@x.nl', 'email', AMS)).toBe(true);
		expect(sameByKind(['b', 'a'], ['a', 'b'], 'set', AMS)).toBe(true);
	});

	it('sends numbers and booleans as their kind when HR gives them as text', () => {
		expect(valueOfKind('1004', 'number')).toBe(1004);
		expect(valueOfKind('n/a', 'number')).toBe('n/a');
		expect(valueOfKind('true', 'boolean')).toBe(true);
		expect(valueOfKind('2025-04-01', 'date')).toBe('2025-04-01');
	});

	it('guesses the kind from the HR field when the target leaves it unset', () => {
		expect(defaultCompareAs('startDate')).toBe('date');
		expect(defaultCompareAs('endDate')).toBe('date');
		expect(defaultCompareAs('email')).toBe('email');
		expect(defaultCompareAs('managerEmail')).toBe('email');
		expect(defaultCompareAs('jobIdList')).toBe('set');
		expect(defaultCompareAs('firstName')).toBe('text');
	});
});
