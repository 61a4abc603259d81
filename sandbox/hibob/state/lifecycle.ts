/**
 * Lifecycle statuses computed from the sandbox clock, and the lifecycle webhook events a change
 * of status fires.
 *
 * HiBob's lifecycle events fire at midnight on the effective date:
 * https://apidocs.hibob.com/reference/employee-changes-events
 */
import type { LifecycleState, StoredEmployee } from '../model';
import type { BobEvent } from '../webhooks';

/**
 * The lifecycle of an employee on `today` (YYYY-MM-DD). "today" is the UTC date of the sandbox
 * clock (HiBob uses the site's timezone; the sandbox does not model timezones). A lifecycle entry
 * takes effect on its date:
 * - hired (Inactive) before the start date;
 * - terminated (Inactive) from the termination date;
 * - garden leave after the last working day while the termination date is ahead (access stays
 *   Active until the termination takes effect);
 * - leave or parental leave during a leave period (Active only with "remain active");
 * - employed (Active) otherwise.
 */
export function lifecycleOn(employee: StoredEmployee, today: string): LifecycleState {
	const { terminationDate, lastDayOfWork, leave } = employee.internal;
	if (employee.work.startDate > today) return { status: 'Inactive', lifecycleStatus: 'hired' };
	if (terminationDate && terminationDate <= today)
		return { status: 'Inactive', lifecycleStatus: 'terminated' };
	if (terminationDate && lastDayOfWork && lastDayOfWork < today)
		return { status: 'Active', lifecycleStatus: 'garden leave' };
	if (leave && leave.from <= today && (leave.to === null || leave.to >= today)) {
		return {
			status: leave.remainActive ? 'Active' : 'Inactive',
			lifecycleStatus: leave.kind ?? 'leave',
		};
	}
	return { status: 'Active', lifecycleStatus: 'employed' };
}

/**
 * The events HiBob fires when an employee's lifecycle moves from `before` to `now`, in this order:
 * `employee.joined` (hired → employed), `employee.left` (into garden leave, or terminated without
 * garden leave first), `employee.temporaryLeave` (into a leave), `employee.activated` and
 * `employee.inactivated` (access status changes). None when nothing changed.
 */
export function lifecycleEvents(
	employee: StoredEmployee,
	before: LifecycleState,
	now: LifecycleState,
): BobEvent[] {
	if (before.status === now.status && before.lifecycleStatus === now.lifecycleStatus) return [];
	const base = { employeeId: employee.id, triggeredBy: 'system' };
	const events: BobEvent[] = [];
	if (now.lifecycleStatus === 'employed' && before.lifecycleStatus === 'hired')
		events.push({ type: 'employee.joined', ...base, effectiveDate: employee.work.startDate });
	if (
		(now.lifecycleStatus === 'garden leave' || now.lifecycleStatus === 'terminated') &&
		before.lifecycleStatus !== 'garden leave'
	)
		events.push({
			type: 'employee.left',
			...base,
			effectiveDate: employee.internal.terminationDate,
		});
	if (
		(now.lifecycleStatus === 'leave' || now.lifecycleStatus === 'parental leave') &&
		before.lifecycleStatus !== now.lifecycleStatus
	)
		events.push({
			type: 'employee.temporaryLeave',
			...base,
			effectiveDate: employee.internal.leave?.from,
		});
	if (before.status === 'Inactive' && now.status === 'Active')
		events.push({ type: 'employee.activated', ...base });
	if (before.status === 'Active' && now.status === 'Inactive')
		events.push({ type: 'employee.inactivated', ...base });
	return events;
}
