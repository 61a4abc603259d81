/**
 * `part` as a percentage of `whole` for messages: one decimal, or up to three when one decimal
 * would show a whole number the share is not ("20.002%" for 10,001 of 50,000, never "20%" in a
 * message that says the share is above a 20 % limit). "0%" when `whole` is 0.
 */
export function percentText(part: number, whole: number): string {
	if (whole === 0) return '0%';
	const exact = (part * 100) / whole;
	const rounded = Math.round(exact);
	let digits = 1;
	while (digits < 3 && exact !== rounded && Number(exact.toFixed(digits)) === rounded) digits++;
	return `${Number(exact.toFixed(digits))}%`;
}
