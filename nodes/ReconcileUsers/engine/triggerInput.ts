/**
 * Scope "Everyone" refuses an HR input made only of trigger items.
 *
 * The HiBob Trigger (Employee output), the HiBob Polling Trigger (Employee output) and the AFAS
 * Trigger (Row output) put what happened under `event`: an object with a text `type` and the
 * moment it was seen (`detectedAt`, or HiBob's `triggeredAt`). Such an input names only the people
 * an event is about. Read as the whole population (scope Everyone), every other app user would
 * be a leaver: the small-HR rail stops that only while the event's people are fewer than "Min HR
 * Size (% of App)" of the app users, so a small company, or a poll that names many people, would
 * lose its other users without any rail tripping.
 */
import { ReconcileConfigError, type RawRecord, type Scope } from './types';

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
 * Throws ReconcileConfigError when the scope is Everyone and every HR item is a trigger's item
 * (`event: { type, detectedAt | triggeredAt }`). `noun` names the HR items ("people", "records").
 */
export function refuseTriggerInputForEveryone(
	hrItems: readonly RawRecord[],
	scope: Scope,
	noun: string,
): void {
	if (scope !== 'everyone' || hrItems.length === 0) return;
	for (const item of hrItems) if (!isTriggerItem(item)) return;
	const type = String((hrItems[0].event as Record<string, unknown>).type);
	throw new ReconcileConfigError(
		`The HR input is a trigger's output (${hrItems.length} item${hrItems.length === 1 ? '' : 's'} with "event", e.g. "${type}"), but Scope is "Everyone"`,
		`A trigger names only the ${noun} an event is about; with Scope "Everyone" every other app ${noun === 'records' ? 'record' : 'user'} would be planned as a leaver. Set Scope to "Only the People in the HR Input". For a full sync, read the whole HR population (HiBob node, AFAS GetConnector node) on a schedule instead.`,
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
