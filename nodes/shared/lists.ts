/**
 * The one rule for list parameters in this package (IDs, emails, field IDs, statuses): text is
 * split on new lines, commas and semicolons; an array (from an expression) is flattened and each
 * of its values split the same way; every value is trimmed and empty ones are dropped. So
 * `"a, b"`, `"a\nb"`, `["a", "b"]` and `["a, b"]` all give `["a", "b"]`. None of these values
 * can contain a comma or semicolon itself. Order and repeats are kept.
 */
export function splitList(value: unknown): string[] {
	if (value === undefined || value === null) return [];
	const parts = Array.isArray(value)
		? value.flatMap((entry: unknown) => splitList(entry))
		: String(value).split(/[\n,;]+/);
	return parts.map((part) => part.trim()).filter((part) => part !== '');
}
