/**
 * PatchOp paths into schema extensions, rewritten into equivalent forms SCIMMY 1.3.5 applies.
 *
 * RFC 7644 lets a PATCH path name a sub-attribute of an extension attribute, e.g.
 * `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`
 * (attrPath = [URI ":"] ATTRNAME *1subAttr, https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2),
 * and a path-less operation may carry such paths as keys of its `value`. SCIMMY answers the first
 * with 400 `noTarget` whenever the parent (`manager`) is absent, and always for `replace` (it
 * removes before it adds, and an emptied extension attribute vanishes), and the second with a 500.
 * So before SCIMMY sees the message:
 * - `add`/`replace` of `<extension URN>:<attr>.<sub>` becomes `add` of `<extension URN>:<attr>`
 *   with value `{ <sub>: value }`. Adding a complex value merges its sub-attributes, which is what
 *   replacing one sub-attribute means (RFC 7644 section 3.5.2.1 and 3.5.2.3);
 * - in a path-less `add`/`replace`, every key that is a path (contains `.` or starts with an
 *   extension URN and `:`) becomes its own operation with that path.
 * Everything else, and all validation, stays SCIMMY's.
 */
import { SCIMMY } from 'scimmy-routers';
import { isJsonObject, type JsonObject } from './store';

/** The schema extension URNs declared on the User resource, lower-cased. */
function extensionIds(): string[] {
	return SCIMMY.Schemas.User.definition.attributes
		.filter((attribute) => attribute instanceof SCIMMY.Types.SchemaDefinition)
		.map((extension) => extension.id.toLowerCase());
}

/** `<URN>:<attr>.<sub>` split into `[<URN>:<attr>, <sub>]`, or undefined for any other path. */
function extensionSubPath(path: string, extensions: string[]): [string, string] | undefined {
	const extension = extensions.find((id) => path.toLowerCase().startsWith(`${id}:`));
	if (!extension || path.includes('[')) return undefined;
	const rest = path.slice(extension.length + 1);
	const dot = rest.indexOf('.');
	if (dot <= 0) return undefined;
	return [path.slice(0, extension.length + 1 + dot), rest.slice(dot + 1)];
}

function isPathKey(key: string, extensions: string[]): boolean {
	return key.includes('.') || extensions.some((id) => key.toLowerCase().startsWith(`${id}:`));
}

/** One operation, expanded and rewritten as described above. */
function rewriteOperation(operation: unknown, extensions: string[]): unknown[] {
	if (!isJsonObject(operation) || typeof operation.op !== 'string') return [operation];
	const op = operation.op.toLowerCase();
	if (op !== 'add' && op !== 'replace') return [operation];
	const { path, value } = operation;
	if (path === undefined && isJsonObject(value)) {
		const keys = Object.keys(value);
		const paths = keys.filter((key) => isPathKey(key, extensions));
		if (!paths.length) return [operation];
		const rest = Object.fromEntries(
			keys.filter((k) => !paths.includes(k)).map((k) => [k, value[k]]),
		);
		return [
			...(Object.keys(rest).length ? [{ ...operation, value: rest }] : []),
			...paths.flatMap((key) =>
				rewriteOperation({ op: operation.op, path: key, value: value[key] }, extensions),
			),
		];
	}
	const split = typeof path === 'string' ? extensionSubPath(path, extensions) : undefined;
	if (!split) return [operation];
	return [{ op: 'add', path: split[0], value: { [split[1]]: value } }];
}

/**
 * A PatchOp request body with extension sub-attribute paths rewritten (see above). Bodies that are
 * not a PatchOp with an `Operations` array are returned unchanged, for SCIMMY to refuse.
 */
export function normalizePatchOp(body: unknown): unknown {
	if (!isJsonObject(body) || !Array.isArray(body.Operations)) return body;
	const extensions = extensionIds();
	const operations = body.Operations.flatMap((operation: unknown) =>
		rewriteOperation(operation, extensions),
	);
	const normalized: JsonObject = { ...body, Operations: operations };
	return normalized;
}
