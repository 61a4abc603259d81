/**
 * The sandbox company: its employees, the settable clock their lifecycles are computed from, and
 * the webhook events every change fires (HiBob's employee and lifecycle events).
 *
 * Events: https://apidocs.hibob.com/docs/employee-data-webhooks
 */
import { newEmployeeRecord, employeeIdFrom, seedEmployees, type NewEmployee } from '../data';
import { addDaysToInstant, normaliseInstant } from '../dates';
import { createRng } from '../../random';
import { HttpError } from '../errors';
import type { LifecycleState, StoredEmployee } from '../model';
import type { BobEvent } from '../webhooks';
import { lifecycleEvents, lifecycleOn } from './lifecycle';
import { applyPatch } from './patch';

/** What `terminate` takes: dates as YYYY-MM-DD, a `terminationreason` list item ID. */
export interface Termination {
	terminationDate: string;
	/** A last working day before the termination date means garden leave. */
	lastDayOfWork?: string;
	/** Default: 5001 (Resignation). */
	reasonId?: string;
	/** Fires `employee.access.revoked.immediately`. */
	revokeAccess?: boolean;
}

export interface CompanySettings {
	seed: number;
	/** The clock's start, ISO 8601. */
	now: string;
	employeeCount: number;
	/** The service user changes are attributed to (`triggeredBy` of non-lifecycle events). */
	actorId: string;
	/** Shape of `fieldUpdates` in `employee.updated`: field IDs, or `{ fieldId }` objects. */
	fieldUpdatesShape: 'ids' | 'objects';
	/** Called for every event, in order. */
	emit: (event: BobEvent) => void;
}

export class Company {
	private clock: string;
	private readonly records = new Map<string, StoredEmployee>();
	/** The lifecycle of every employee when last looked at, to find transitions. */
	private lastStates = new Map<string, LifecycleState>();
	private readonly idRandom: () => number;

	constructor(private readonly settings: CompanySettings) {
		this.clock = normaliseInstant(settings.now);
		this.idRandom = createRng(settings.seed * 7919 + 1);
		const seeded = seedEmployees({
			seed: settings.seed,
			today: this.today(),
			nowIso: this.clock,
			employeeCount: settings.employeeCount,
		});
		for (const employee of seeded) this.records.set(employee.id, employee);
		this.lastStates = this.currentStates();
	}

	/** The clock's instant, ISO 8601 in UTC. */
	now(): string {
		return this.clock;
	}

	/** The clock's date (YYYY-MM-DD, UTC). */
	today(): string {
		return this.clock.slice(0, 10);
	}

	/** Sets the clock (ISO 8601) and fires the lifecycle events of everyone whose status moved. */
	setNow(iso: string): void {
		this.clock = normaliseInstant(iso);
		this.announceLifecycleChanges();
	}

	/** Moves the clock by days of 24 hours. */
	advanceDays(days: number): void {
		this.setNow(addDaysToInstant(this.clock, days));
	}

	/** The live records by ID (read them, do not change them). */
	get directory(): ReadonlyMap<string, StoredEmployee> {
		return this.records;
	}

	/** Copies of every record, in seeding and insertion order. */
	copies(): StoredEmployee[] {
		return [...this.records.values()].map((employee) => structuredClone(employee));
	}

	/** The live record with this ID, or with this work email (any case). */
	find(idOrEmail: string): StoredEmployee | undefined {
		const byId = this.records.get(idOrEmail);
		if (byId) return byId;
		const email = idOrEmail.toLowerCase();
		return [...this.records.values()].find((e) => e.email?.toLowerCase() === email);
	}

	/** Like `find`; throws HttpError 404 when nobody has this ID or email. */
	require(idOrEmail: string): StoredEmployee {
		const employee = this.find(idOrEmail);
		if (!employee) throw new HttpError(404, 'not_found', `No employee ${idOrEmail} in the sandbox`);
		return employee;
	}

	lifecycle(idOrEmail: string): LifecycleState {
		return lifecycleOn(this.require(idOrEmail), this.today());
	}

	/** True when some employee has a value (even null) for this custom field ID. */
	hasCustomField(fieldId: string): boolean {
		return [...this.records.values()].some((employee) => fieldId in employee.work.custom);
	}

	/** Applies a patch (see `applyPatch`), fires `employee.updated` and any lifecycle events. */
	update(idOrEmail: string, patch: Record<string, unknown>): StoredEmployee {
		const employee = this.require(idOrEmail);
		const changed = applyPatch(employee, patch);
		if (changed.length) this.emitUpdated(employee, changed);
		this.announceLifecycleChanges();
		return structuredClone(employee);
	}

	/**
	 * Adds a new hire and fires `employee.created` and `table.entry.created` (lifecycle), plus
	 * `employee.joined` and `employee.activated` when the start date is today or earlier.
	 */
	add(input: NewEmployee): StoredEmployee {
		const id = input.id ?? employeeIdFrom(this.idRandom);
		const numbers = [...this.records.values()].map((e) => e.work.employeeIdInCompany);
		const employee = newEmployeeRecord(input, id, Math.max(0, ...numbers) + 1, this.clock);
		this.records.set(id, employee);
		// A new record has no "before" lifecycle: record it so only later transitions fire.
		this.lastStates.set(id, lifecycleOn(employee, this.today()));
		const actor = { employeeId: id, triggeredBy: this.settings.actorId };
		this.settings.emit({ type: 'employee.created', ...actor });
		this.settings.emit({
			type: 'table.entry.created',
			...actor,
			tableId: 'lifecycle',
			effectiveDate: input.startDate,
		});
		if (input.startDate <= this.today()) {
			const system = { employeeId: id, triggeredBy: 'system' };
			this.settings.emit({ type: 'employee.joined', ...system, effectiveDate: input.startDate });
			this.settings.emit({ type: 'employee.activated', ...system });
		}
		return structuredClone(employee);
	}

	/** Deletes an employee and fires `employee.deleted`. */
	remove(idOrEmail: string): void {
		const employee = this.require(idOrEmail);
		this.records.delete(employee.id);
		this.lastStates.delete(employee.id);
		this.settings.emit({
			type: 'employee.deleted',
			employeeId: employee.id,
			triggeredBy: this.settings.actorId,
		});
	}

	/**
	 * Records a termination and fires `table.entry.created` (lifecycle) and `employee.updated` at
	 * once; `employee.left` and `employee.inactivated` follow when the dates are reached.
	 */
	terminate(idOrEmail: string, input: Termination): StoredEmployee {
		const employee = this.require(idOrEmail);
		employee.internal.terminationDate = input.terminationDate;
		employee.internal.lastDayOfWork = input.lastDayOfWork ?? null;
		employee.internal.terminationReason = input.reasonId ?? '5001';
		const actor = { employeeId: employee.id, triggeredBy: this.settings.actorId };
		this.settings.emit({
			type: 'table.entry.created',
			...actor,
			tableId: 'lifecycle',
			effectiveDate: input.terminationDate,
		});
		this.emitUpdated(employee, ['internal.terminationDate']);
		if (input.revokeAccess)
			this.settings.emit({ type: 'employee.access.revoked.immediately', ...actor });
		this.announceLifecycleChanges();
		return structuredClone(employee);
	}

	private emitUpdated(employee: StoredEmployee, fieldIds: string[]): void {
		const fieldUpdates =
			this.settings.fieldUpdatesShape === 'objects'
				? fieldIds.map((fieldId) => ({ fieldId }))
				: fieldIds;
		this.settings.emit({
			type: 'employee.updated',
			employeeId: employee.id,
			triggeredBy: this.settings.actorId,
			fieldUpdates,
		});
	}

	private currentStates(): Map<string, LifecycleState> {
		const today = this.today();
		return new Map([...this.records.values()].map((e) => [e.id, lifecycleOn(e, today)]));
	}

	/** Fires the lifecycle events of every employee whose lifecycle moved since last time. */
	private announceLifecycleChanges(): void {
		const next = this.currentStates();
		for (const employee of this.records.values()) {
			const before = this.lastStates.get(employee.id);
			const now = next.get(employee.id);
			if (!before || !now) continue;
			for (const event of lifecycleEvents(employee, before, now)) this.settings.emit(event);
		}
		this.lastStates = next;
	}
}
