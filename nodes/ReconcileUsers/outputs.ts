/**
 * Plan → the node's outputs. Every item carries action, reason, matchedBy, the normalised HR
 * record, the app user, the changes and the payload; pairedItem points at the HR item (input 0),
 * or at the App item (input 1) for app-only items.
 */
import type { IDataObject, INodeExecutionData, IPairedItemData } from 'n8n-workflow';
import type { OnRailTrip } from './config';
import type { Plan, PlanItem } from './engine';

/**
 * The node's outputs, in order. Every list of the plan has its own output (its key is the
 * plan's list name); `plan` carries the summary, or everything on a dry run. The node's
 * outputs, their names and every output index are derived from this one list.
 */
export const PLAN_OUTPUTS = [
	{ key: 'create', displayName: 'Create' },
	{ key: 'update', displayName: 'Update' },
	{ key: 'remove', displayName: 'Deactivate/Remove' },
	{ key: 'unchanged', displayName: 'Unchanged' },
	{ key: 'conflicts', displayName: 'Conflicts' },
	{ key: 'createFirst', displayName: 'Create First' },
	{ key: 'plan', displayName: 'Plan' },
] as const;

export type PlanOutputKey = (typeof PLAN_OUTPUTS)[number]['key'];

/** The outputs' names as the editor shows them, in output order. */
export const OUTPUT_NAMES: string[] = PLAN_OUTPUTS.map((output) => output.displayName);

/** The index of each output, by key. */
export const OUTPUT_INDEX = Object.fromEntries(
	PLAN_OUTPUTS.map((output, index) => [output.key, index]),
) as Record<PlanOutputKey, number>;

/** The order the plan's lists have on the Plan output (after the summary) on a dry run. */
const PLAN_ORDER = ['createFirst', 'create', 'update', 'remove', 'unchanged', 'conflicts'] as const;

/** One empty item list per output. */
export function emptyOutputs(): INodeExecutionData[][] {
	return PLAN_OUTPUTS.map(() => []);
}

function pairedItemOf(item: PlanItem): IPairedItemData | IPairedItemData[] {
	// A SCIM group membership item comes from the HR items of the people it adds or removes.
	if (item.members) return item.members.map((member) => ({ item: member.hrIndex, input: 0 }));
	return item.hrIndex >= 0 ? { item: item.hrIndex, input: 0 } : { item: item.appIndex, input: 1 };
}

/** Whether something added enumerable properties to Object.prototype (for...in would list them). */
function objectPrototypeIsPlain(): boolean {
	for (const key in {}) if (key !== undefined) return false;
	return true;
}

/**
 * A fresh copy of a record without its undefined fields (the normalised HR record leaves the
 * fields the mapping does not fill undefined), keys in their order. `for...in` walks the
 * record's keys from V8's enumeration cache, without the [key, value] pair per field that
 * Object.entries allocates; it equals Object.entries on a plain object when Object.prototype
 * has no enumerable properties (checked once per run by the caller: `plain`).
 */
function definedFields(record: object | null, plain: boolean): IDataObject | null {
	if (record === null) return null;
	const result: IDataObject = {};
	const proto = Object.getPrototypeOf(record) as unknown;
	if (plain && (proto === Object.prototype || proto === null)) {
		for (const key in record) {
			const value = (record as IDataObject)[key];
			if (value !== undefined) result[key] = value;
		}
		return result;
	}
	for (const [key, value] of Object.entries(record))
		if (value !== undefined) result[key] = value as IDataObject[string];
	return result;
}

/** Fresh change objects in a fresh list (the engine shares one frozen empty list between items). */
function copyChanges(changes: PlanItem['changes']): IDataObject[] {
	const copy: IDataObject[] = new Array(changes.length);
	for (let c = 0; c < changes.length; c++) copy[c] = { ...changes[c] } as IDataObject;
	return copy;
}

function toJson(item: PlanItem, plain: boolean): IDataObject {
	const json: IDataObject = {
		action: item.action,
		reason: item.reason,
		matchedBy: item.matchedBy,
		hr: definedFields(item.hr, plain),
		app: item.app as IDataObject | null,
		appId: item.appId,
		changes: copyChanges(item.changes),
		payload: item.payload as IDataObject | null,
	};
	if (item.kind !== undefined) json.kind = item.kind;
	if (item.neededBy !== undefined) json.neededBy = item.neededBy;
	if (item.neededByUpdates !== undefined) json.neededByUpdates = item.neededByUpdates;
	if (item.conflict !== undefined) json.conflict = item.conflict as unknown as IDataObject;
	if (item.manager !== undefined) json.manager = item.manager as unknown as IDataObject;
	if (item.group !== undefined) json.group = { ...item.group };
	if (item.groupId !== undefined) json.groupId = item.groupId;
	if (item.memberIds !== undefined) json.memberIds = [...item.memberIds];
	if (item.members !== undefined)
		json.members = item.members.map((member) => ({ ...member })) as unknown as IDataObject[];
	return json;
}

function toItems(items: PlanItem[]): INodeExecutionData[] {
	const plain = objectPrototypeIsPlain();
	const result: INodeExecutionData[] = new Array(items.length);
	for (let k = 0; k < items.length; k++) {
		const item = items[k];
		result[k] = { json: toJson(item, plain), pairedItem: pairedItemOf(item) };
	}
	return result;
}

/** What a blocked plan does, for the summary's reason. */
function blockedState(plan: Plan, onRailTrip: OnRailTrip | undefined): string {
	const blocked = `blocked by a safety rail: ${plan.blocked!.message}`;
	if (onRailTrip !== 'holdBack') return blocked;
	const held = plan.create.length + plan.remove.length;
	return `${blocked}; updates sent to their outputs, ${held} creates and removals held back on the Plan output`;
}

export function summaryItem(
	plan: Plan,
	extra: {
		dryRun: boolean;
		timeZone: string;
		hrCount: number;
		appCount: number;
		onRailTrip?: OnRailTrip;
	},
): INodeExecutionData {
	const { counts } = plan.summary;
	const parts = (Object.keys(counts) as Array<keyof typeof counts>)
		.filter((action) => (counts[action] ?? 0) > 0)
		.map((action) => `${counts[action]} ${action}`);
	const state = plan.blocked
		? blockedState(plan, extra.dryRun ? 'plan' : extra.onRailTrip)
		: extra.dryRun
			? 'dry run, nothing is sent to the action outputs'
			: 'sent to the outputs';
	const pairedItem: IPairedItemData[] =
		extra.hrCount > 0 ? [{ item: 0, input: 0 }] : extra.appCount > 0 ? [{ item: 0, input: 1 }] : [];
	return {
		json: {
			action: 'summary',
			reason: `Plan for ${plan.summary.asOf} (${extra.timeZone}): ${parts.length ? parts.join(', ') : 'nothing to do'}; ${state}.`,
			dryRun: extra.dryRun,
			timeZone: extra.timeZone,
			...(plan.summary as unknown as IDataObject),
		},
		pairedItem,
	};
}

/** Normal run: each action to its output, the summary alone on the Plan output. */
export function routedOutputs(plan: Plan, summary: INodeExecutionData): INodeExecutionData[][] {
	return PLAN_OUTPUTS.map(({ key }) => (key === 'plan' ? [summary] : toItems(plan[key])));
}

/**
 * A tripped rail with "Apply Updates, Hold Back Creates and Removals": updates and
 * reactivations (matched people), unchanged items, conflicts and the create-first items
 * updates need go to their outputs; the creates, the removals and the create-first items only
 * creates need go to the Plan output after the summary.
 */
export function heldBackOutputs(plan: Plan, summary: INodeExecutionData): INodeExecutionData[][] {
	const outputs = emptyOutputs();
	const forUpdates = plan.createFirst.filter((item) => (item.neededByUpdates ?? 0) > 0);
	const forCreates = plan.createFirst.filter((item) => (item.neededByUpdates ?? 0) === 0);
	outputs[OUTPUT_INDEX.update] = toItems(plan.update);
	outputs[OUTPUT_INDEX.unchanged] = toItems(plan.unchanged);
	outputs[OUTPUT_INDEX.conflicts] = toItems(plan.conflicts);
	outputs[OUTPUT_INDEX.createFirst] = toItems(forUpdates);
	outputs[OUTPUT_INDEX.plan] = [
		summary,
		...toItems(forCreates),
		...toItems(plan.create),
		...toItems(plan.remove),
	];
	return outputs;
}

/** Dry run (or a tripped rail with "Send Plan to Output"): everything on the Plan output, summary first. */
export function planOnlyOutputs(plan: Plan, summary: INodeExecutionData): INodeExecutionData[][] {
	const outputs = emptyOutputs();
	outputs[OUTPUT_INDEX.plan] = [summary, ...PLAN_ORDER.flatMap((key) => toItems(plan[key]))];
	return outputs;
}
