/**
 * Scope "Everyone" and a trigger's items on the HR input.
 *
 * The HiBob Trigger (Employee output), the HiBob Polling Trigger (Employee output) and the AFAS
 * Trigger (Row output) put what happened under `event`: an object with a text `type` and the
 * moment it was seen (`detectedAt`, or HiBob's `triggeredAt`). Such an input names only the people
 * an event is about. Read as the whole population (scope Everyone) with the app's whole user
 * list, every other app user would be a leaver: the small-HR rail stops that only while the
 * event's people are fewer than "Min HR Size (% of App)" of the app users, so a small company, or
 * a poll that names many people, would lose its other users without any rail tripping. (With an
 * App input of only those people's users, nobody else is in the plan, and scope Everyone works.)
 */
import { ReconcileConfigError, type PlanItem, type RawRecord, type Scope } from './types';

/** Whether an HR item carries a trigger's `event` object (type and when it was seen). */
function isTriggerItem(item: RawRecord): boolean {
	const event = item.event;
	if (!event || typeof event !== 'object' || Array.isArray(event)) return false;
	const { type, detectedAt, triggeredAt } = event as Record<string, unknown>;
	return (
		typeof type === 'string' && (typeof detectedAt === 'string' || typeof triggeredAt === 'string')
	);
}

/**
 * Throws ReconcileConfigError when the scope is Everyone, every HR item is a trigger's item
 * (`event: { type, detectedAt | triggeredAt }`) and the plan would deactivate or remove app users
 * (or records) that no HR item names (`hrIndex` -1 in `removals`). `noun` names the app side
 * ("user", "record").
 */
export function refuseTriggerInputRemovals(
	hrItems: readonly RawRecord[],
	scope: Scope,
	removals: readonly PlanItem[],
	noun: string,
): void {
	if (scope !== 'everyone' || hrItems.length === 0) return;
	let unnamed = 0;
	for (const item of removals) if (item.hrIndex < 0) unnamed++;
	if (unnamed === 0) return;
	for (const item of hrItems) if (!isTriggerItem(item)) return;
	const type = String((hrItems[0].event as Record<string, unknown>).type);
	throw new ReconcileConfigError(
		`The HR input is a trigger's output (${hrItems.length} item${hrItems.length === 1 ? '' : 's'} with "event", e.g. "${type}"), but Scope is "Everyone": ${unnamed} app ${noun}${unnamed === 1 ? '' : 's'} the trigger does not name would be deactivated or removed`,
		`A trigger names only the people an event is about. Set Scope to "Only the People in the HR Input": app ${noun}s no HR item names are then left alone. For a full sync, read the whole HR population (HiBob node, AFAS GetConnector node) on a schedule instead.`,
	);
}

/**
 * Whether an HR item is a trigger's Event output, which Reconcile Users cannot read: the HiBob
 * Trigger's envelope (`type`, `triggeredAt` and `data` at the root), or the HiBob Polling
 * Trigger's and the AFAS Trigger's event item (`event` as text, `detectedAt`).
 */
function isTriggerEventOutput(item: RawRecord): boolean {
	if (typeof item.event === 'string' && typeof item.detectedAt === 'string') return true;
	return (
		typeof item.type === 'string' &&
		typeof item.triggeredAt === 'string' &&
		typeof item.data === 'object' &&
		item.data !== null
	);
}

/**
 * A sentence to add to a "field missing on all HR items" error when the HR items are a trigger's
 * Event output (the triggers' default), saying which Output to choose; '' otherwise.
 */
export function triggerEventOutputHint(hrItems: readonly RawRecord[]): string {
	if (hrItems.length === 0 || !hrItems.every(isTriggerEventOutput)) return '';
	return ' The HR items are a trigger\'s Event output, which carries the person under "employee" or "row": set the trigger\'s Output to "Employee (for Reconcile Users)" (HiBob Trigger, with Fetch Employee on; HiBob Polling Trigger) or "Row (for Reconcile Users)" (AFAS Trigger).';
}
