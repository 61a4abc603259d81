/**
 * Faults the HiBob sandbox can be told to answer with, for the next K calls of its data
 * endpoints, and the order of search results. HiBob's documentation promises neither a complete
 * answer under every fault nor an order: `POST /people/search` is documented to answer
 * `{ "employees": [...] }` with every match and no paging, and says nothing about the order of
 * that list (https://apidocs.hibob.com/reference/post_people-search). The knobs let tests prove
 * the nodes refuse anything else:
 *
 * - `partial`: a search answers 200 with only the first `keep` employees (or the first
 *   `fraction` of them, rounded down), as a gateway or a changed permission group might;
 * - `wrongShape`: a call answers 200 with another body: `json` (for example `{}` or
 *   `{ "employees": null }`), `html` (a web page), or nothing at all when both are left out;
 * - `nullFields`: the employees come back with `null` for these field IDs (in the nested form;
 *   the slash keys are dropped, as HiBob does for null values), as if the values were hidden.
 */
import { isObject } from '../json';

export type HiBobFault =
	| { kind: 'partial'; keep?: number; fraction?: number }
	| { kind: 'wrongShape'; json?: unknown; html?: string }
	| { kind: 'nullFields'; fields: string[] };

/**
 * The endpoints a fault can answer for: `search` (`POST /people/search`), `read`
 * (`POST /people/{id or email}`), `fields` (`GET /company/people/fields`) and `lists`
 * (`GET /company/named-lists[/{name}]`).
 */
export type FaultEndpoint = 'search' | 'read' | 'fields' | 'lists';

const ENDPOINTS: readonly FaultEndpoint[] = ['search', 'read', 'fields', 'lists'];

/**
 * A fault for the next `times` calls (default 1) of `endpoint` (default: any of them). A
 * `partial` fault only ever answers searches, a `nullFields` fault only people reads. Rules are
 * tried in the order they were added.
 */
export interface HiBobFaultRule {
	fault: HiBobFault;
	endpoint?: FaultEndpoint;
	times?: number;
}

function applies(fault: HiBobFault, endpoint: FaultEndpoint): boolean {
	if (fault.kind === 'partial') return endpoint === 'search';
	if (fault.kind === 'nullFields') return endpoint === 'search' || endpoint === 'read';
	return true;
}

/** Search results in the stored order, or shuffled anew on every call. */
export type SearchOrder = 'stored' | 'shuffled';

/**
 * The sandbox's fault rules, each used up after its `times` calls.
 * @throws RangeError from `add` for a rule that cannot be applied (the message says why).
 */
export class Faults {
	private rules: Array<HiBobFaultRule & { remaining: number }> = [];

	add(rule: HiBobFaultRule): void {
		checkRule(rule);
		this.rules.push({ ...structuredClone(rule), remaining: rule.times ?? 1 });
	}

	clear(): void {
		this.rules = [];
	}

	/** The rules still waiting, with the calls each has left. */
	list(): Array<HiBobFaultRule & { remaining: number }> {
		return structuredClone(this.rules);
	}

	/** The fault for this call of `endpoint`, counted as used; undefined for a normal answer. */
	take(endpoint: FaultEndpoint): HiBobFault | undefined {
		const rule = this.rules.find(
			(candidate) =>
				(candidate.endpoint === undefined || candidate.endpoint === endpoint) &&
				applies(candidate.fault, endpoint),
		);
		if (!rule) return undefined;
		rule.remaining -= 1;
		this.rules = this.rules.filter((candidate) => candidate.remaining > 0);
		return rule.fault;
	}
}

function checkRule(rule: HiBobFaultRule): void {
	const times = rule.times ?? 1;
	if (!Number.isInteger(times) || times < 1)
		throw new RangeError(`"times" must be a whole number of 1 or more, not ${String(times)}`);
	if (rule.endpoint !== undefined && !ENDPOINTS.includes(rule.endpoint))
		throw new RangeError(
			`"endpoint" must be one of ${ENDPOINTS.join(', ')}, not ${String(rule.endpoint)}`,
		);
	const fault: unknown = rule.fault;
	if (!isObject(fault)) throw new RangeError('"fault" must be an object with a "kind"');
	if (fault.kind === 'partial') {
		const { keep, fraction } = fault;
		const validKeep = typeof keep === 'number' && Number.isInteger(keep) && keep >= 0;
		const validFraction = typeof fraction === 'number' && fraction >= 0 && fraction <= 1;
		if (validKeep === validFraction)
			throw new RangeError(
				'A "partial" fault needs either "keep" (employees, 0 or more) or "fraction" (0 to 1)',
			);
	} else if (fault.kind === 'nullFields') {
		const { fields } = fault;
		if (!Array.isArray(fields) || fields.some((field) => typeof field !== 'string'))
			throw new RangeError('A "nullFields" fault needs "fields": an array of field IDs');
		const unsafe = (fields as string[]).find((field) =>
			field.split('.').some((key) => ['__proto__', 'constructor', 'prototype', ''].includes(key)),
		);
		if (unsafe !== undefined) throw new RangeError(`Not a field ID: ${JSON.stringify(unsafe)}`);
	} else if (fault.kind !== 'wrongShape') {
		throw new RangeError(
			`Unknown fault kind ${JSON.stringify(fault.kind)}: use "partial", "wrongShape" or "nullFields"`,
		);
	}
}

/** The first employees of a search answer, as a `partial` fault keeps them. */
export function keepPart<T>(employees: T[], fault: { keep?: number; fraction?: number }): T[] {
	const count =
		fault.keep !== undefined ? fault.keep : Math.floor(employees.length * (fault.fraction ?? 1));
	return employees.slice(0, count);
}

/**
 * An employee in HiBob's response shape with `null` for these field IDs: the nested value set to
 * null (root fields at the top level), the slash key removed.
 */
export function nullOut(
	employee: Record<string, unknown>,
	fieldIds: string[],
): Record<string, unknown> {
	const copy = structuredClone(employee);
	for (const fieldId of fieldIds) {
		const parts = fieldId.split('.');
		delete copy[`/${parts.join('/')}`];
		const path = parts[0] === 'root' ? parts.slice(1) : parts;
		let node: Record<string, unknown> = copy;
		for (const key of path.slice(0, -1)) {
			if (!isObject(node[key])) node[key] = {};
			node = node[key] as Record<string, unknown>;
		}
		node[path[path.length - 1]] = null;
	}
	return copy;
}

/** A copy of `items` in a random order drawn from `random` (Fisher-Yates). */
export function shuffled<T>(items: T[], random: () => number): T[] {
	const copy = [...items];
	for (let i = copy.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[copy[i], copy[j]] = [copy[j], copy[i]];
	}
	return copy;
}
