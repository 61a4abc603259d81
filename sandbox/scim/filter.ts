/**
 * SCIM filters for the sandbox: parsed and matched by SCIMMY's `Filter`, with four gaps of
 * SCIMMY 1.3.5 closed around it. Each would make the sandbox refuse, or silently miss, what a
 * standards-true client sends (https://www.rfc-editor.org/rfc/rfc7644#section-3.4.2.2):
 *
 * 1. Filter values are JSON strings, so `"` and `\` arrive escaped (`userName eq "a\"b"`).
 *    SCIMMY's tokenizer ends a string at the first `"` and keeps `\\` as two characters, so such a
 *    filter fails with 400 `invalidFilter` or matches nothing. `protectLiterals` swaps every string
 *    literal that holds a backslash for a placeholder SCIMMY can read, before SCIMMY sees the filter;
 *    `matchFilter` puts the JSON-decoded value back into SCIMMY's parsed expression.
 * 2. SCIMMY compares strings case-sensitively, while most attributes (userName, emails.value,
 *    displayName, ...) are caseExact false. `matchFilter` lower-cases both sides for every string
 *    attribute whose SCIMMY schema definition says caseExact false, then lets SCIMMY match.
 * 3. SCIMMY looks for a URN-qualified attribute (`urn:...:enterprise:2.0:User:department`) as a
 *    top-level key, so it never matches; `matchFilter` nests it under its extension's URN, where
 *    the resource keeps it.
 * 4. SCIMMY throws (answered as 400) when a filter looks inside a complex attribute a resource
 *    lacks, e.g. `emails[type eq "work"].value eq "x"` against a User without emails, and for a
 *    presence test on a multi-valued attribute (`emails pr`). The copies SCIMMY matches get an
 *    empty value (`[]` or `{}`) for such attributes, and "present or not" for `emails pr`.
 */
import { randomUUID } from 'node:crypto';
import { SCIMMY } from 'scimmy-routers';
import { isJsonObject, type JsonObject } from './store';

/** Placeholder -> the literal's decoded value, for one request. */
export type Literals = Map<string, string>;

type Definition = InstanceType<typeof SCIMMY.Types.SchemaDefinition>;
type Attribute = InstanceType<typeof SCIMMY.Types.Attribute>;
type Filter = InstanceType<typeof SCIMMY.Types.Filter>;

/** A JSON string literal: a quote, then escaped or plain characters, then a quote. */
const JSON_STRING = /"(?:[^"\\]|\\.)*"/g;

/**
 * Replaces each JSON string literal of `filter` that contains a backslash by `"<placeholder>"`
 * and records the decoded value. Throws a 400 `invalidFilter` SCIM Error for a literal that is not
 * valid JSON (e.g. `"\q"`).
 */
export function protectLiterals(filter: string, literals: Literals): string {
	return filter.replace(JSON_STRING, (literal) => {
		if (!literal.includes('\\')) return literal;
		let decoded: unknown;
		try {
			decoded = JSON.parse(literal);
		} catch {
			throw new SCIMMY.Types.Error(
				400,
				'invalidFilter',
				`Invalid string value ${literal} in filter`,
			);
		}
		const placeholder = `scim-sandbox-literal-${randomUUID()}`;
		literals.set(placeholder, String(decoded));
		return `"${placeholder}"`;
	});
}

/**
 * The `resources` that match SCIMMY's parsed `filter`, in their original order and form.
 * String comparisons on caseExact-false attributes of `definition` ignore case; placeholders from
 * `protectLiterals` are compared as the values they stand for. Only the attributes the filter
 * names are copied and folded.
 */
export function matchFilter<T extends JsonObject>(
	filter: Filter,
	resources: T[],
	definition: Definition,
	literals: Literals,
): T[] {
	const expression = nestExtensions(rewrite([...filter], [], definition, literals), definition);
	const used = new Set(expression.flatMap((b) => (isJsonObject(b) ? Object.keys(b) : [])));
	const attributes = definition.attributes.filter((a) =>
		[...used].some((key) => key.toLowerCase() === nameOf(a)?.toLowerCase()),
	);
	const copies = new Map<JsonObject, T>();
	for (const resource of resources) {
		const filled = fillEntered(resource, expression, attributes);
		copies.set(foldRecord(filled, attributes), resource);
	}
	const matched: JsonObject[] = compile(expression).match([...copies.keys()]);
	return matched.flatMap((copy) => {
		const original = copies.get(copy);
		return original ? [original] : [];
	});
}

/** SCIMMY's Filter for a rewritten expression; a malformed one is a 400 `invalidFilter`. */
function compile(expression: unknown[]): Filter {
	try {
		return new SCIMMY.Types.Filter(expression);
	} catch (error) {
		throw new SCIMMY.Types.Error(400, 'invalidFilter', error instanceof Error ? error.message : '');
	}
}

/** Copies a parsed filter expression, restoring placeholders and folding caseExact-false values. */
function rewrite(
	node: unknown,
	path: string[],
	definition: Definition,
	literals: Literals,
): unknown {
	if (Array.isArray(node)) {
		if (typeof node[0] === 'string') return rewriteComparison(node, path, definition, literals);
		return node.map((child) => rewrite(child, path, definition, literals));
	}
	if (!isJsonObject(node)) return node;
	return Object.fromEntries(
		Object.entries(node).map(([key, child]) => [
			key,
			rewrite(child, [...path, key], definition, literals),
		]),
	);
}

/** `[not?, comparator, value?]`: the value restored and, when caseExact is false, lower-cased. */
function rewriteComparison(
	comparison: unknown[],
	path: string[],
	definition: Definition,
	literals: Literals,
): unknown[] {
	const copy = [...comparison];
	const negated = String(copy[0]).toLowerCase() === 'not';
	const valueIndex = negated ? 2 : 1;
	const value = copy[valueIndex];
	if (typeof value !== 'string') return copy;
	const restored = literals.get(value) ?? value;
	copy[valueIndex] = ignoresCase(definition, path) ? restored.toLowerCase() : restored;
	return copy;
}

/** True when the attribute at `path` is a string with caseExact false in `definition`. */
function ignoresCase(definition: Definition, path: string[]): boolean {
	let attribute: unknown;
	try {
		attribute = definition.attribute(path.join('.'));
	} catch {
		return false;
	}
	return attribute instanceof SCIMMY.Types.Attribute && foldsCase(attribute);
}

function foldsCase(attribute: Attribute): boolean {
	return String(attribute.type) === 'string' && attribute.config.caseExact !== true;
}

/** Moves `<extension URN>:<attr>` keys of each branch under `<extension URN>` -> `<attr>`. */
function nestExtensions(expression: unknown, definition: Definition): unknown[] {
	const extensions = definition.attributes.filter(
		(attribute) => attribute instanceof SCIMMY.Types.SchemaDefinition,
	);
	return (Array.isArray(expression) ? expression : [expression]).map((branch) => {
		if (!isJsonObject(branch)) return branch;
		const nested: JsonObject = {};
		for (const [key, value] of Object.entries(branch)) {
			const extension = extensions.find((e) =>
				key.toLowerCase().startsWith(`${e.id.toLowerCase()}:`),
			);
			if (!extension) {
				nested[key] = value;
				continue;
			}
			const inner = nested[extension.id];
			const attributes: JsonObject = isJsonObject(inner) ? inner : {};
			attributes[key.slice(extension.id.length + 1)] = value;
			nested[extension.id] = attributes;
		}
		return nested;
	});
}

/** The schema name of an attribute or extension (extensions are keyed by their URN). */
function nameOf(attribute: unknown): string | undefined {
	if (attribute instanceof SCIMMY.Types.SchemaDefinition) return attribute.id;
	if (attribute instanceof SCIMMY.Types.Attribute) return attribute.name;
	return undefined;
}

function childrenOf(attribute: unknown): unknown[] {
	if (attribute instanceof SCIMMY.Types.SchemaDefinition) return attribute.attributes;
	if (attribute instanceof SCIMMY.Types.Attribute) return attribute.subAttributes ?? [];
	return [];
}

/** True for `["pr"]`, `["not", "np"]`, ... or a list of only such presence tests. */
function isPresenceTest(expression: unknown): boolean {
	if (!Array.isArray(expression)) return false;
	if (expression.every(Array.isArray)) return expression.every(isPresenceTest);
	const comparator = String(expression.at(-1)).toLowerCase();
	return comparator === 'pr' || comparator === 'np';
}

/**
 * `record` prepared for SCIMMY's matcher: an empty value (`[]` or `{}`) for each complex attribute
 * the filter looks inside but the record lacks, and a multi-valued attribute under a presence test
 * (`emails pr`, which SCIMMY cannot evaluate on a list) reduced to "present or not".
 */
function fillEntered(record: JsonObject, expression: unknown, attributes: unknown[]): JsonObject {
	const copy: JsonObject = { ...record };
	for (const branch of Array.isArray(expression) ? expression : [expression]) {
		if (!isJsonObject(branch)) continue;
		for (const [key, inner] of Object.entries(branch)) {
			const attribute = attributes.find((a) => nameOf(a)?.toLowerCase() === key.toLowerCase());
			const name = nameOf(attribute);
			if (name === undefined) continue;
			const multiValued =
				attribute instanceof SCIMMY.Types.Attribute && attribute.config.multiValued;
			if (multiValued && isPresenceTest(inner)) {
				const values = record[name];
				copy[name] = Array.isArray(values) && values.length ? true : undefined;
				continue;
			}
			const entered = Array.isArray(inner) ? inner.some(isJsonObject) : isJsonObject(inner);
			if (!entered) continue;
			copy[name] ??= multiValued ? [] : {};
			const current = copy[name];
			if (isJsonObject(current)) copy[name] = fillEntered(current, inner, childrenOf(attribute));
		}
	}
	return copy;
}

/** A copy of `record` with the values of caseExact-false string attributes lower-cased. */
function foldRecord(record: JsonObject, attributes: unknown[]): JsonObject {
	const copy: JsonObject = { ...record };
	for (const attribute of attributes) {
		if (attribute instanceof SCIMMY.Types.SchemaDefinition) {
			const extension = copy[attribute.id];
			if (isJsonObject(extension)) copy[attribute.id] = foldRecord(extension, attribute.attributes);
		} else if (attribute instanceof SCIMMY.Types.Attribute && attribute.name in copy) {
			copy[attribute.name] = foldValue(copy[attribute.name], attribute);
		}
	}
	return copy;
}

function foldValue(value: unknown, attribute: Attribute): unknown {
	if (Array.isArray(value)) return value.map((item) => foldValue(item, attribute));
	if (typeof value === 'string') return foldsCase(attribute) ? value.toLowerCase() : value;
	if (isJsonObject(value) && attribute.subAttributes)
		return foldRecord(value, attribute.subAttributes);
	return value;
}
