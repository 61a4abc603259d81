/**
 * Reading AFAS' JSON answers, including the number form of Profit before version 7.
 *
 * Profit 7 changed how GetConnector results are written: decimals now come as `-0.5` where
 * earlier versions wrote `-.5` (https://docs.afas.help/profit/en/news-profit7: "In Profit 6, SQL
 * Server generated the results of a GetConnector"). A number without
 * a digit before the point is not JSON, so `JSON.parse` refuses such a body.
 *
 * How: the body goes to `JSON.parse` (V8's parser, the fastest there is) as it is. Only when that
 * fails, one regular expression adds the missing zero, and the result is parsed again. The
 * expression matches JSON strings as whole tokens and gives them back unchanged, and otherwise
 * only a `.` directly after `:`, `,` or `[` (with optional spaces and minus sign), which no valid
 * JSON has outside a string: it cannot alter a string or a valid number. That is a few lines
 * next to a full tolerant parser (such as JSON5, which would also accept comments, quotes and
 * trailing commas AFAS never sends, at several times the cost of `JSON.parse`), and keeps the
 * package's runtime dependencies as they are.
 *
 * What still fails is told apart by where the parser stopped: at the end of the body it was cut
 * off (worth another request); inside it, at a number, AFAS wrote a number in a form this node
 * cannot read (another request would get the same answer); anywhere else the body is not JSON.
 */

/** The outcome of reading a body: its value, or why it could not be read and where. */
export type JsonReading =
	| { ok: true; value: unknown }
	| {
			ok: false;
			problem: 'cutOff' | 'numbers' | 'notJson';
			/** Index (0-based) in the text: where the number starts, or where the parser stopped. */
			position?: number;
	  };

/** A JSON string, or a number that starts with `.` after `:`, `,` or `[` (group 1: what precedes the point). */
const STRING_OR_BARE_DECIMAL = /"[^"\\]*(?:\\.[^"\\]*)*"|([:,[]\s*-?)\.(?=\d)/g;

/** `text` with `.5` and `-.25` written as `0.5` and `-0.25`, strings untouched; undefined when there are none. */
export function withLeadingZeros(text: string): string | undefined {
	let changed = false;
	const repaired = text.replace(STRING_OR_BARE_DECIMAL, (match, before: string | undefined) => {
		if (before === undefined) return match;
		changed = true;
		return `${before}0.`;
	});
	return changed ? repaired : undefined;
}

/** The token around `position`: from the previous to the next structural character or space. */
function tokenAt(text: string, position: number): { token: string; start: number; end: number } {
	let start = position;
	while (start > 0 && !/[\s:,[{]/.test(text[start - 1])) start--;
	let end = position;
	while (end < text.length && !/[\s,\]}]/.test(text[end])) end++;
	return { token: text.slice(start, end), start, end };
}

/**
 * Why `text` (which JSON.parse refused with `error`) cannot be read: cut off when the parser ran
 * out of text, or stopped in the last token (a body cut inside a number or a word); numbers
 * when it stopped at a number inside the body; not JSON otherwise.
 */
function diagnose(text: string, error: unknown): JsonReading {
	const message = error instanceof Error ? error.message : String(error);
	if (/unexpected end/i.test(message)) return { ok: false, problem: 'cutOff' };
	const match = /at position (\d+)/.exec(message);
	// No position, or text after a complete JSON value: not a cut-off body.
	if (!match || /after JSON/i.test(message)) return { ok: false, problem: 'notJson' };
	const position = Number(match[1]);
	const { token, start, end } = tokenAt(text, position);
	if (position >= text.trimEnd().length || end >= text.length)
		return { ok: false, problem: 'cutOff', position };
	// A number: where it starts; anything else: where the parser stopped.
	if (/^[-+]?(?:[\d.]|NaN|Infinity)/.test(token))
		return { ok: false, problem: 'numbers', position: start };
	return { ok: false, problem: 'notJson', position };
}

/**
 * Parses an AFAS answer: as JSON, else with AFAS' older numbers (`.5`, `-.25`) read as
 * `0.5`, `-0.25` (see the module comment). Never throws.
 */
export function readAfasJson(text: string): JsonReading {
	try {
		return { ok: true, value: JSON.parse(text) as unknown };
	} catch (error) {
		const repaired = withLeadingZeros(text);
		if (repaired === undefined) return diagnose(text, error);
		try {
			return { ok: true, value: JSON.parse(repaired) as unknown };
		} catch (repairedError) {
			return diagnose(repaired, repairedError);
		}
	}
}
