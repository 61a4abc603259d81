import { addDays, minusMonths, referenceDate } from '../../nodes/ReconcileUsers/engine';
import { appTimestampDate } from '../../nodes/ReconcileUsers/engine/dates';
import {
	INVALID_DATE,
	normaliseKey,
	normaliseText,
	parseHrDate,
	PathReaders,
	sameValue,
	setPath,
} from '../../nodes/ReconcileUsers/engine/values';

describe('match keys', () => {
	it('trim, case-fold and Unicode-normalise (NFC)', () => {
		expect(normaliseKey('  Jan.Jansen@Example.COM ')).toBe('jan.jansen@example.com');
		// "é" written as e + combining acute accent equals the precomposed "é".
		expect(normaliseKey('Ren\u0065\u0301@x.nl')).toBe(normaliseKey('Ren\u00e9@x.nl'));
		expect(normaliseKey('Ren\u00c9@X.NL')).toBe('ren\u00e9@x.nl');
	});

	it('reads numbers as text and empty values as no key', () => {
		expect(normaliseKey(1001)).toBe('1001');
		expect(normaliseKey('000123')).toBe('000123');
		for (const empty of [null, undefined, '', '   ', {}, []]) expect(normaliseKey(empty)).toBe('');
	});
});

describe('text values', () => {
	it('trims, keeps case, turns empty into null and leaves a missing value missing', () => {
		expect(normaliseText('  de Vries ')).toBe('de Vries');
		expect(normaliseText('   ')).toBeNull();
		expect(normaliseText(null)).toBeNull();
		expect(normaliseText(undefined)).toBeUndefined();
		expect(normaliseText(42)).toBe('42');
	});
});

/**
 * The rules of normaliseKey and normaliseText written out the slow way (every step on every
 * string), to check the shortcuts the fast versions take for plain ASCII text.
 */
const INVISIBLE = /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFEFF]/g;
function referenceKey(text: string): string {
	return text
		.replace(INVISIBLE, '')
		.replace(/[\u00A0\u2007\u202F]/g, ' ')
		.trim()
		.normalize('NFC')
		.toLowerCase();
}
function referenceText(text: string): string | null {
	const trimmed = text
		.trim()
		.replace(/^[\s\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFEFF]+/, '')
		.replace(/[\s\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFEFF]+$/, '');
	return trimmed === '' ? null : trimmed;
}

describe('keys and text: the shortcut for plain ASCII gives what the full rules give', () => {
	// Every character class the rules treat differently: printable ASCII, capitals, white space
	// and control characters, DEL, accents (composed and combining), no-break and invisible
	// characters, and text beyond Latin.
	const alphabet = [
		'a',
		'z',
		'0',
		'9',
		'@',
		'.',
		'-',
		'_',
		'~',
		'A',
		'Z',
		'M',
		' ',
		'\t',
		'\n',
		'\u0001',
		'\u007f',
		'\u00e9',
		'\u00c9',
		'e\u0301',
		'\u00a0',
		'\u202f',
		'\u200b',
		'\ufeff',
		'\u00ad',
		'\u0130',
		'\u03a3',
		'\u4e2d',
	];
	let seed = 12345;
	const next = () => {
		seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
		return seed;
	};
	const samples = Array.from({ length: 5000 }, () => {
		const length = next() % 9;
		let text = '';
		for (let i = 0; i < length; i++) {
			// Mostly plain characters, as real keys are, so both paths are taken often.
			const pick = next() % 100;
			text += pick < 70 ? alphabet[pick % 9] : alphabet[next() % alphabet.length];
		}
		return text;
	});

	it('normaliseKey', () => {
		for (const text of samples)
			expect([text, normaliseKey(text)]).toEqual([text, referenceKey(text)]);
	});

	it('normaliseText', () => {
		for (const text of samples)
			expect([text, normaliseText(text)]).toEqual([text, referenceText(text)]);
	});
});

describe('HR dates: the calendar date as written, never shifted', () => {
	it.each([
		['2024-03-01', '2024-03-01'],
		// AFAS: the Z is not UTC, the value is a local date.
		['2024-03-01T00:00:00Z', '2024-03-01'],
		// Real Amsterdam offset: still 1 March (converting to UTC would give 29 February).
		['2024-03-01T00:00:00.000+01:00', '2024-03-01'],
		['2024-02-29', '2024-02-29'],
		[' 2024-03-01 ', '2024-03-01'],
	])('%s → %s', (input, expected) => {
		expect(parseHrDate(input)).toBe(expected);
	});

	it('marks unreadable dates instead of guessing', () => {
		for (const bad of ['01-03-2024', '2023-02-29', '2024-13-01', '2024-03-01X', 20240301, 'soon']) {
			expect(parseHrDate(bad)).toBe(INVALID_DATE);
		}
		expect(parseHrDate(null)).toBeNull();
		expect(parseHrDate('')).toBeNull();
		expect(parseHrDate(undefined)).toBeUndefined();
	});
});

describe('reference date and calendar arithmetic', () => {
	it('23:30 UTC on 31 March is already 1 April in Amsterdam', () => {
		const instant = new Date('2026-03-31T23:30:00Z');
		expect(referenceDate(instant, 'Europe/Amsterdam')).toBe('2026-04-01');
		expect(referenceDate(instant, 'UTC')).toBe('2026-03-31');
		expect(referenceDate('2026-03-31T23:30:00Z', 'Europe/Amsterdam')).toBe('2026-04-01');
	});

	it('adds days across month ends and subtracts months clamping the day', () => {
		expect(addDays('2026-03-31', 1)).toBe('2026-04-01');
		expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
		expect(minusMonths('2026-04-01', 6)).toBe('2025-10-01');
		expect(minusMonths('2026-03-31', 1)).toBe('2026-02-28');
	});

	it('reads app timestamps in the given zone', () => {
		expect(appTimestampDate('2025-09-30T23:30:00Z', 'Europe/Amsterdam')).toBe('2025-10-01');
		expect(appTimestampDate('2025-09-30T23:30:00Z', 'UTC')).toBe('2025-09-30');
		expect(appTimestampDate('2025-10-01', 'Europe/Amsterdam')).toBe('2025-10-01');
		expect(appTimestampDate('yesterday', 'UTC')).toBeUndefined();
	});
});

describe('paths and comparison', () => {
	it('reads dot paths; a null on the way is a value, a missing key is not', () => {
		const record = { work: { reportsTo: null, title: 'T' }, id: '1' };
		const readers = new PathReaders();
		expect(readers.path('work.reportsTo.id')(record)).toBeNull();
		expect(readers.path('work.title')(record)).toBe('T');
		expect(readers.path('internal.status')(record)).toBeUndefined();
		expect(readers.path('id')(record)).toBe('1');
	});

	it('writes dot paths into nested objects', () => {
		const target: Record<string, unknown> = {};
		setPath(target, 'profile.name.first', 'Jan');
		setPath(target, 'email', 'a@x.nl');
		expect(target).toEqual({ profile: { name: { first: 'Jan' } }, email: 'a@x.nl' });
	});

	it('compares text, emails and lists the way a sync should', () => {
		expect(sameValue('Jansen', 'Jansen ', 'text')).toBe(true);
		expect(sameValue('Jansen', 'jansen', 'text')).toBe(false);
		expect(sameValue('Rene\u0301', 'Ren\u00e9', 'text')).toBe(true);
		expect(sameValue('Ren\u00e9', 'Rena', 'text')).toBe(false);
		expect(sameValue(null, '', 'text')).toBe(true);
		expect(sameValue('a@x.nl', 'A@X.nl', 'email')).toBe(true);
		expect(sameValue(['F1', 'F2'], ['F2', 'F1'], 'set')).toBe(true);
		expect(sameValue(['F1'], ['F1', 'F2'], 'set')).toBe(false);
		expect(sameValue([], null, 'set')).toBe(true);
		expect(sameValue(['F1', 'F1'], ['F1', 'F2'], 'set')).toBe(false);
	});
});

describe('invisible characters: dropped from keys and compared text, as white space is', () => {
	const ZWSP = '\u200B';
	const NBSP = '\u00A0';
	const BOM = '\uFEFF';

	it('keys drop zero-width characters and the BOM anywhere, and no-break spaces at the ends', () => {
		const clean = 'p1@example.com';
		for (const dirty of [
			`p1@example.com${ZWSP}`,
			`${ZWSP}p1@example.com`,
			`p1@exam${ZWSP}ple.com`,
			`${NBSP}p1@example.com${NBSP}`,
			`\u202Fp1@example.com`,
			`${BOM}p1@example.com`,
			// Siblings: zero-width joiner and non-joiner, word joiner, soft hyphen, direction marks.
			`p1\u200C@exa\u200Dmple.com`,
			`p1@example\u2060.com`,
			`p1@ex\u00ADample.com`,
			`\u200Ep1@example.com\u200F`,
			`\u2066p1@example.com\u2069`,
		]) {
			expect(normaliseKey(dirty)).toBe(clean);
		}
		expect(normaliseKey(`1001${BOM}`)).toBe('1001');
		expect(normaliseKey(`${ZWSP}${NBSP}`)).toBe('');
	});

	it('text values drop them at the ends; comparisons ignore them inside', () => {
		expect(normaliseText(`${ZWSP}de Vries${NBSP}`)).toBe('de Vries');
		expect(normaliseText(`${ZWSP} `)).toBeNull();
		expect(normaliseText('Élodie')).toBe('Élodie');
		expect(sameValue(`Jan${ZWSP}sen`, 'Jansen', 'text')).toBe(true);
		expect(sameValue(`van${NBSP}Dijk`, 'van Dijk', 'text')).toBe(true);
		expect(sameValue(`Jan${ZWSP}sen`, 'Janssen', 'text')).toBe(false);
	});

	it('HR dates read through them', () => {
		expect(parseHrDate(`2024-03-01${ZWSP}`)).toBe('2024-03-01');
		expect(parseHrDate(`${NBSP}2024-03-01T00:00:00Z`)).toBe('2024-03-01');
	});
});
