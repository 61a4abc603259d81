/**
 * SCIM filter strings (https://datatracker.ietf.org/doc/html/rfc7644#section-3.4.2.2). In the
 * filter grammar a string value (`compValue`) is a JSON string (RFC 8259), so `"` and `\` inside a
 * value are escaped as `\"` and `\\`, and control characters as `\n`, `\u0001`, ...: exactly what
 * `JSON.stringify` writes. Attribute paths follow
 * `attrPath = [URI ":"] ATTRNAME *1subAttr` (e.g. `userName`, `emails.value`,
 * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber`).
 */

/**
 * An attribute path of the filter grammar: an optional schema URN and `:`, an attribute name (a
 * letter, then letters, digits, `-`, `_`, or `$ref`), and at most one `.subAttribute`.
 */
const ATTRIBUTE_PATH =
	/^(?:urn:[A-Za-z0-9][A-Za-z0-9.:_-]*:)?(?:[A-Za-z][A-Za-z0-9_-]*|\$ref)(?:\.(?:[A-Za-z][A-Za-z0-9_-]*|\$ref))?$/;

/** Whether `path` is an attribute path the filter grammar accepts (see ATTRIBUTE_PATH). */
export function isAttributePath(path: string): boolean {
	return ATTRIBUTE_PATH.test(path);
}

/** `value` as a SCIM filter string literal: a JSON string, quotes and backslashes escaped. */
export function filterString(value: string): string {
	return JSON.stringify(value);
}

/**
 * The filter `<attribute> eq "<value>"`, e.g. `userName eq "a\"b@example.com"`.
 * @throws Error naming the attribute when it is not an attribute path (spaces, quotes, brackets).
 */
export function equalsFilter(attribute: string, value: string): string {
	const path = attribute.trim();
	if (!isAttributePath(path)) {
		throw new Error(
			`"${attribute}" is not a SCIM attribute name: use a name such as userName, emails.value or urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber`,
		);
	}
	return `${path} eq ${filterString(value)}`;
}
