/**
 * What an app sandbox remembers: the rows of each collection with the indexes that make the
 * uniqueness and reference checks constant-time, the id counters, the audit log and the
 * rate-limit window.
 */
import type { Row, StyleSpec } from './styles';

/** One write (or refused non-GET request) as the app's audit log keeps it. */
export interface AuditEntry {
	/** The app's clock at the time (ISO). */
	at: string;
	method: string;
	path: string;
	status: number;
	/** The collection written, or 'error' for a refused request. */
	resource: string;
	id?: string;
	/** The validated fields written, or the error message. */
	body?: unknown;
	/** For a refused write: the request body as it was sent (when it was a JSON object). */
	sent?: unknown;
}

/**
 * A write the app refuses on purpose (a test knob): any POST, PATCH, PUT or DELETE whose body or
 * target row names `person` (its id, externalId, email or username, compared case-insensitively)
 * is answered with `status` and `message` instead of being made. 422 and 500 are what an app
 * answers for a write it cannot make; 429 (rate limited, with `Retry-After`) and 503 (unavailable)
 * are transient: the write was not made and may be sent again.
 */
export interface WriteFault {
	person: string;
	status: 422 | 500 | 429 | 503;
	message?: string;
	/** How many writes naming the person it refuses; then it is gone. Default: until cleared. */
	times?: number;
}

/** Row ids by a key derived from one field's value; several rows may share a key. */
class ValueIndex {
	private readonly ids = new Map<string, Set<string>>();

	/** `keyOf` gives a row value's key, or undefined for values the index does not hold. */
	constructor(
		readonly field: string,
		private readonly keyOf: (value: unknown) => string | undefined,
	) {}

	add(row: Row): void {
		const key = this.keyOf(row[this.field]);
		if (key === undefined) return;
		let ids = this.ids.get(key);
		if (!ids) this.ids.set(key, (ids = new Set()));
		ids.add(row.id);
	}

	remove(row: Row): void {
		const key = this.keyOf(row[this.field]);
		if (key === undefined) return;
		const ids = this.ids.get(key);
		ids?.delete(row.id);
		if (ids?.size === 0) this.ids.delete(key);
	}

	/** Whether a row other than `exceptId` holds `value`'s key. */
	heldByOther(value: unknown, exceptId: string | undefined): boolean {
		const key = this.keyOf(value);
		const ids = key === undefined ? undefined : this.ids.get(key);
		if (!ids) return false;
		return ids.size > 1 || (exceptId === undefined ? ids.size === 1 : !ids.has(exceptId));
	}
}

/**
 * Unique values compare as the app does: the value as text, case-insensitively (a row without
 * the field counts as the text 'undefined', as a plain string comparison would have it).
 */
const uniqueKey = (value: unknown): string => String(value).toLowerCase();
/** References match a string value exactly. */
const exactKey = (value: unknown): string | undefined =>
	typeof value === 'string' ? value : undefined;

/**
 * The rows of one collection in creation order, with an index per unique field and per field
 * that other collections reference. Rows are changed only through `insert`, `update` and
 * `remove`, which keep the indexes in step.
 */
export class Collection {
	private readonly rows = new Map<string, Row>();
	private readonly unique = new Map<string, ValueIndex>();
	private readonly referenced = new Map<string, ValueIndex>();
	/** The rows in creation order as an array, kept between listings; rebuilt after a removal. */
	private ordered: Row[] | undefined;

	constructor(uniqueFields: Iterable<string>, referencedFields: Iterable<string>) {
		for (const field of uniqueFields) this.unique.set(field, new ValueIndex(field, uniqueKey));
		for (const field of referencedFields)
			this.referenced.set(field, new ValueIndex(field, exactKey));
	}

	private indexes(): ValueIndex[] {
		return [...this.unique.values(), ...this.referenced.values()];
	}

	/** The live rows in creation order, a copy (read the rows; change them through `update`). */
	list(): Row[] {
		return [...this.inOrder()];
	}

	/** How many rows the collection has. */
	get size(): number {
		return this.rows.size;
	}

	/**
	 * The rows from position `start` (0-based, creation order) up to `end` (exclusive): a page
	 * costs its own length, not the collection's, so reading 50,000 rows page by page is linear.
	 */
	slice(start: number, end: number): Row[] {
		return this.inOrder().slice(start, end);
	}

	/** The shared array of rows in creation order (built once after a removal, appended on insert). */
	private inOrder(): readonly Row[] {
		this.ordered ??= [...this.rows.values()];
		return this.ordered;
	}

	get(id: string): Row | undefined {
		return this.rows.get(id);
	}

	insert(row: Row): void {
		if (this.rows.has(row.id)) this.ordered = undefined;
		else this.ordered?.push(row);
		this.rows.set(row.id, row);
		for (const index of this.indexes()) index.add(row);
	}

	/** Applies `changes` to the row in place and re-indexes it. */
	update(row: Row, changes: Record<string, unknown>): void {
		for (const index of this.indexes()) index.remove(row);
		Object.assign(row, changes);
		for (const index of this.indexes()) index.add(row);
	}

	remove(row: Row): void {
		for (const index of this.indexes()) index.remove(row);
		this.rows.delete(row.id);
		this.ordered = undefined;
	}

	/**
	 * Whether a row other than `exceptId` has `value` in unique `field` (case-insensitively);
	 * false for a field without a uniqueness rule.
	 */
	isTaken(field: string, value: string, exceptId: string | undefined): boolean {
		return this.unique.get(field)?.heldByOther(value, exceptId) ?? false;
	}

	/** Whether some row has exactly `value` in `by` ('id', or a field other collections reference). */
	hasRowWith(by: string, value: string): boolean {
		if (by === 'id') return this.rows.has(value);
		const index = this.referenced.get(by);
		if (!index) throw new Error(`apps sandbox: references by "${by}" are not indexed`);
		return index.heldByOther(value, undefined);
	}
}

/** The mutable state of one app sandbox. */
export class AppState {
	private readonly collections = new Map<string, Collection>();
	private readonly counters = new Map<string, number>();
	private readonly uniqueFields = new Map<string, Set<string>>();
	private readonly referencedFields = new Map<string, Set<string>>();
	private auditLog: AuditEntry[] = [];
	private writeFaults: WriteFault[] = [];
	/** Added to the `total` a listing reports (a test knob for an app that miscounts). */
	listTotalOffset = 0;
	/**
	 * How long (ms) every write request waits before it is checked and made (a test knob: slow
	 * writes make simultaneous creates overlap). Checking and making a write take no wait, so
	 * the uniqueness rules hold for requests that arrive at the same moment.
	 */
	writeLatencyMs = 0;
	private windowStart = 0;
	private windowCount = 0;

	/** Collections of the style, with the initial rows of `data` (see `seed`). */
	constructor(spec: StyleSpec, data: Partial<Record<string, Array<Record<string, unknown>>>> = {}) {
		for (const [name, collection] of Object.entries(spec.collections)) {
			for (const [field, rule] of Object.entries(collection.fields)) {
				if (rule.unique) this.fieldsOf(this.uniqueFields, name).add(field);
				const target = rule.references;
				if (target && target.by !== 'id')
					this.fieldsOf(this.referencedFields, target.collection).add(target.by);
			}
		}
		for (const name of Object.keys(spec.collections)) this.seed(name, data[name] ?? []);
	}

	private fieldsOf(fields: Map<string, Set<string>>, collection: string): Set<string> {
		let set = fields.get(collection);
		if (!set) fields.set(collection, (set = new Set()));
		return set;
	}

	private emptyCollection(name: string): Collection {
		return new Collection(this.uniqueFields.get(name) ?? [], this.referencedFields.get(name) ?? []);
	}

	/** The collection `name` (an empty one is made for a name the style does not have). */
	collection(name: string): Collection {
		let collection = this.collections.get(name);
		if (!collection) this.collections.set(name, (collection = this.emptyCollection(name)));
		return collection;
	}

	/** The next id of a collection: its first three letters and a counter, e.g. 'use_00001'. */
	nextId(collection: string): string {
		const next = (this.counters.get(collection) ?? 0) + 1;
		this.counters.set(collection, next);
		return `${collection.slice(0, 3)}_${String(next).padStart(5, '0')}`;
	}

	/** Replaces a collection's rows (ids are kept when given, assigned otherwise; not validated). */
	seed(name: string, rows: Array<Record<string, unknown>>): void {
		const collection = this.emptyCollection(name);
		for (const row of rows) {
			const id = typeof row.id === 'string' ? row.id : this.nextId(name);
			collection.insert({ ...row, id });
		}
		this.collections.set(name, collection);
	}

	/** Adds an entry to the audit log. */
	audit(entry: AuditEntry): void {
		this.auditLog.push(entry);
	}

	/** A copy of the audit log. */
	auditEntries(): AuditEntry[] {
		return [...this.auditLog];
	}

	resetAudit(): void {
		this.auditLog = [];
	}

	/** Adds a write fault (see `WriteFault`); they stay until `clearWriteFaults`. */
	addWriteFault(fault: WriteFault): void {
		this.writeFaults.push({ ...fault, person: fault.person.toLowerCase() });
	}

	clearWriteFaults(): void {
		this.writeFaults = [];
	}

	/**
	 * The first write fault that names a person in the request body or the target row, if any:
	 * one of their `id`, `externalId`, `email` or `username` equals the fault's `person`. Counts
	 * the refusal against the fault's `times`, removing the fault when they are used up.
	 */
	writeFaultFor(body: unknown, row: Row | undefined): WriteFault | undefined {
		if (this.writeFaults.length === 0) return undefined;
		const names = new Set<string>();
		for (const source of [body, row]) {
			if (typeof source !== 'object' || source === null) continue;
			for (const field of ['id', 'externalId', 'email', 'username']) {
				const value = (source as Record<string, unknown>)[field];
				if (typeof value === 'string') names.add(value.toLowerCase());
			}
		}
		const fault = this.writeFaults.find((candidate) => names.has(candidate.person));
		if (fault?.times !== undefined && --fault.times <= 0)
			this.writeFaults = this.writeFaults.filter((candidate) => candidate !== fault);
		return fault;
	}

	/**
	 * Counts a request in the current second (of `nowMs`, epoch ms) and says whether it is within
	 * `perSecond` requests.
	 */
	withinRateLimit(perSecond: number, nowMs: number): boolean {
		const second = Math.floor(nowMs / 1000);
		if (second !== this.windowStart) {
			this.windowStart = second;
			this.windowCount = 0;
		}
		return ++this.windowCount <= perSecond;
	}
}
