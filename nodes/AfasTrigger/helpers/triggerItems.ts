/**
 * The AFAS Trigger's output items, in one of two shapes (option Output):
 *
 * - Event: one item per event, `{ event, key, reason, changes, datesReached, row, detectedAt }`
 *   (plus `rows` when several rows share a key, and `lastKnown` for a leaver when values are
 *   remembered). A leaver's `row` holds only its key fields.
 * - Row (for Reconcile Users): the row at the root, as the AFAS GetConnector node outputs it, plus
 *   `event: { type, key, reason, changes, datesReached, detectedAt }`; one item per row (a key
 *   with several rows gives one item for each, so Reconcile Users picks the current employment).
 *   A leaver is `{ <key field(s)>: value, deleted: true, event }`: Reconcile Users reads a
 *   top-level `deleted: true` as "deleted in HR", which makes the person a leaver.
 * Items keep the events' order (by key).
 */
import type { IDataObject } from 'n8n-workflow';

import type { DetectedEvent, EventKind } from './changes';
import { keyLabel, keyValues } from './keys';

export type TriggerOutput = 'event' | 'row';

/** An event to output: one detected, or the sample row a manual run shows. */
export type ItemEvent = Omit<DetectedEvent, 'event'> & { event: EventKind | 'sample' };

/** What the items need besides the events. */
export interface ItemSettings {
	keyFields: string[];
	output: TriggerOutput;
	/** Whether several rows may share a key (then Event items carry `rows`). */
	several: boolean;
	/** The row as output: date fields converted as Date Output asks. */
	convertRow(row: IDataObject): IDataObject;
	/** A field's value (or a key's values) as output. */
	convertValue(field: string, value: unknown): unknown;
	detectedAt: string;
}

function changesOut(event: ItemEvent, settings: ItemSettings): IDataObject[] {
	return event.changes.map((change) => {
		const out: IDataObject = { field: change.field };
		if ('from' in change)
			out.from = settings.convertValue(change.field, change.from) as IDataObject[string];
		out.to = settings.convertValue(change.field, change.to) as IDataObject[string];
		return out;
	});
}

function details(event: ItemEvent, settings: ItemSettings): IDataObject {
	return {
		type: event.event,
		key: keyLabel(event.key, settings.keyFields),
		reason: event.reason,
		changes: changesOut(event, settings),
		datesReached: event.datesReached as unknown as IDataObject[],
		detectedAt: settings.detectedAt,
	};
}

function eventItem(event: ItemEvent, settings: ItemSettings): IDataObject {
	const rows = event.rows.map((row) => settings.convertRow(row));
	const item: IDataObject = {
		event: event.event,
		key: keyLabel(event.key, settings.keyFields),
		reason: event.reason,
		changes: changesOut(event, settings),
		datesReached: event.datesReached as unknown as IDataObject[],
		row: rows[0] ?? keyValues(event.key, settings.keyFields),
	};
	if (settings.several) item.rows = rows;
	if (event.lastKnown) item.lastKnown = event.lastKnown;
	item.detectedAt = settings.detectedAt;
	return item;
}

/** The items of the events, in their order (see the module comment for the shapes). */
export function triggerItems(events: readonly ItemEvent[], settings: ItemSettings): IDataObject[] {
	if (settings.output === 'event') return events.map((event) => eventItem(event, settings));
	const items: IDataObject[] = [];
	for (const event of events) {
		if (event.rows.length === 0) {
			const marker = keyValues(event.key, settings.keyFields);
			items.push({ ...marker, deleted: true, event: details(event, settings) });
			continue;
		}
		for (const row of event.rows)
			items.push({ ...settings.convertRow(row), event: details(event, settings) });
	}
	return items;
}
