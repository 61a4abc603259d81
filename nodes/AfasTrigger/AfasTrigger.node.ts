import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { triggerDescription } from './description';
import {
	parseFilterGroups,
	readParallel,
	retryPolicyFrom,
} from '../AfasGetConnector/actions/utils';
import { detectEvents, type EventKind } from './helpers/changes';
import { refuseDrop } from './helpers/completeness';
import { dateWindows, todayIn } from './helpers/dateWindows';
import { keyLabel } from './helpers/keys';
import {
	DuplicateKeyError,
	groupRows,
	readSnapshot,
	snapshotOf,
	type KeyedRows,
	type Snapshot,
	type WatchSettings,
} from './helpers/snapshot';
import { triggerItems, type ItemSettings, type TriggerOutput } from './helpers/triggerItems';
import { listSearch, loadOptions } from '../AfasGetConnector/methods';
import {
	getConnectorMetaInfo,
	readConnectorRows,
	type AfasFieldInfo,
	type AfasRetryPolicy,
} from '../AfasGetConnector/transport';
import {
	convertAfasDate,
	convertRowDates,
	type DateOutput,
} from '../AfasGetConnector/transport/dates';
import { checkConnectorId } from '../AfasGetConnector/transport/connectorId';
import type { FilterGroups, WildcardMode } from '../AfasGetConnector/transport/query';
import { splitList } from '../shared/lists';

/**
 * AFAS Profit has no webhooks: its REST API only reads GetConnectors. This trigger polls one
 * GetConnector and reports what changed since the last poll: joiners, changes, leavers and start
 * or end dates reached. Each poll reads every row exactly (the same read as the AFAS GetConnector
 * node: all rows once, or an error) and compares them with a snapshot in the workflow's static
 * data: per key a fingerprint of the watched values (./helpers/fingerprint.ts), never the values
 * themselves unless asked to remember some.
 *
 * The snapshot is written only when a poll emits items (and for a new baseline), which is also
 * when n8n saves static data: a poll that finds nothing changes nothing, so nothing is lost when
 * n8n stops before its next save. If n8n stops after a poll emitted items but before it saved
 * them, the next poll compares with the snapshot before it and emits those events again (once
 * more, with anything new); no event is lost.
 */
export class AfasTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AFAS Trigger',
		name: 'afasTrigger',
		icon: { light: 'file:../../icons/afas.svg', dark: 'file:../../icons/afas.dark.svg' },
		group: ['trigger'],
		version: 1,
		polling: true,
		subtitle: '={{ "Watching " + ($parameter["connector"].value || $parameter["connector"]) }}',
		description:
			'Starts the workflow when rows of an AFAS Profit GetConnector are added, changed or removed, or a start or end date is reached (by polling)',
		defaults: { name: 'AFAS Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'afasApi', required: true }],
		properties: triggerDescription,
	};

	methods = { listSearch, loadOptions };

	/**
	 * One poll: read every row, refuse a read that lost too many keys, compare with the
	 * snapshot, and output the events asked for (null when there are none). The snapshot is
	 * written (not in a manual run) only together with emitted items, or as a new baseline.
	 * @throws NodeApiError when AFAS cannot be read exactly; NodeOperationError for settings that
	 *   cannot work, duplicate keys, or a read that misses too many keys. State is untouched then.
	 */
	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const manual = this.getMode() === 'manual';
		const staticData = this.getWorkflowStaticData('node');
		const settings = await readSettings.call(this);
		const current = groupOrFail.call(this, await readRows.call(this, settings), settings);
		const stored = readSnapshot(staticData.snapshot);
		const previous = stored?.population === settings.population ? stored : undefined;
		if (previous) refuseUntrustedRead.call(this, previous, current, settings);

		const now = new Date();
		const detectedAt = now.toISOString();
		const today = todayIn(this.getTimezone(), now);
		const next = () =>
			snapshotOf(current, settings, {
				population: settings.population,
				day: today,
				asOf: detectedAt,
			});
		const items = itemSettings(settings, detectedAt);
		if (!previous) {
			if (manual) return sample.call(this, current, items);
			logBaseline.call(this, staticData.snapshot, stored, current);
			staticData.snapshot = next();
			return null;
		}
		const compareChanges = sameList(previous.fields, settings.fields);
		const windows = dateWindows(settings.dates, previous.day, today);
		const events = detectEvents({ previous, current, settings, windows, compareChanges });
		const wanted = events.filter((event) => settings.report.includes(event.event));
		if (!compareChanges && !manual)
			this.logger.info(
				`${label(this)}: watched fields changed; changes are compared from the next poll on (joiners, leavers and dates reached are reported now)`,
			);
		if (!manual && (wanted.length > 0 || !compareChanges)) staticData.snapshot = next();
		if (wanted.length === 0) return manual ? sample.call(this, current, items) : null;
		return [this.helpers.returnJsonArray(triggerItems(wanted, items))];
	}
}

const ALL_EVENTS: EventKind[] = ['joiner', 'change', 'leaver', 'dateReached'];

/** The node's name as log lines start with it. */
function label(context: IPollFunctions): string {
	return `AFAS Trigger "${context.getNode().name}"`;
}

/** Why this poll records a baseline, in the log (a first poll says nothing). */
function logBaseline(
	this: IPollFunctions,
	raw: unknown,
	stored: Snapshot | undefined,
	current: KeyedRows,
): void {
	if (stored)
		this.logger.info(
			`${label(this)}: connector, filters, key fields or rows per key changed; recorded a new baseline`,
		);
	else if (raw !== undefined)
		this.logger.warn(`${label(this)}: the stored state could not be read; recorded a new baseline`);
	if (current.keys.length === 0)
		this.logger.warn(
			`${label(this)}: the connector returned no rows; every row that appears later is a joiner`,
		);
}

/**
 * The Filters parameter as typed (expressions unresolved), without empty groups: what decides
 * whether the filter changed.
 */
function filtersAsTyped(raw: unknown): unknown[][] {
	const value = (raw ?? {}) as {
		groups?: Array<{ conditions?: { condition?: Array<Record<string, unknown>> } }>;
	};
	return (value.groups ?? [])
		.map((group) =>
			(group.conditions?.condition ?? []).map((c) => [c.field, c.operator, c.value ?? '']),
		)
		.filter((group) => group.length > 0);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
	return a.length === b.length && a.every((value, index) => value === b[index]);
}

interface TriggerOptions {
	dateOutput?: DateOutput;
	maxMissingPercent?: number;
	rememberFields?: string[];
	startLeadDays?: number;
	pageSize?: number;
	parallelRequests?: number;
	wildcards?: WildcardMode;
	maxRetries?: number;
	maxRetryWait?: number;
	timeout?: number;
}

interface TriggerSettings extends WatchSettings {
	connectorId: string;
	/** Connector, filters as typed, key fields and rows per key: a change starts a new baseline. */
	population: string;
	groups: FilterGroups;
	wildcards?: WildcardMode;
	dates: { start?: string; end?: string; leadDays: number };
	report: EventKind[];
	output: TriggerOutput;
	dateOutput: DateOutput;
	/** The connector's fields of type date (for Date Output). */
	dateFields: string[];
	maxMissingPercent: number;
	pageSize?: number;
	parallel: number;
	retry: AfasRetryPolicy;
	loadFields(): Promise<AfasFieldInfo[]>;
}

/**
 * The connector ID, from the list, by ID or from an expression.
 * @throws NodeOperationError when none is set, or the ID holds a /, ? or #.
 */
function readConnectorId(this: IPollFunctions): string {
	const checked = checkConnectorId(this.getNodeParameter('connector', '', { extractValue: true }));
	if ('id' in checked) return checked.id;
	throw new NodeOperationError(this.getNode(), checked.message, {
		description: checked.description,
	});
}

/** A list parameter of field IDs, split by the package's one list rule (splitList), repeats dropped. */
function fieldList(value: unknown): string[] {
	return [...new Set(splitList(value))];
}

/**
 * Checks that every field set is a field of the connector.
 * @throws NodeOperationError naming the setting and the field.
 */
function checkFields(
	this: IPollFunctions,
	connectorId: string,
	known: ReadonlySet<string>,
	settings: Array<[string, string[]]>,
): void {
	for (const [setting, fields] of settings) {
		const unknown = fields.find((field) => !known.has(field));
		if (unknown === undefined) continue;
		throw new NodeOperationError(
			this.getNode(),
			`${setting} '${unknown}' is not a field of connector '${connectorId}'`,
			{
				description:
					'Choose the field from the list, or check its ID with the AFAS GetConnector node (Get Fields). A field renamed or removed in Profit must be chosen again.',
			},
		);
	}
}

/**
 * The watched fields: those chosen (or every field of the connector), the date fields and the
 * remembered fields, without the key fields (they never change for a key).
 */
function watchedFields(
	chosen: string[],
	all: string[],
	extra: Array<string | undefined>,
	keyFields: string[],
): string[] {
	const keys = new Set(keyFields);
	const fields = [...(chosen.length > 0 ? chosen : all), ...extra].filter(
		(field): field is string => field !== undefined && field !== '' && !keys.has(field),
	);
	return [...new Set(fields)];
}

/**
 * The node's parameters, checked against the connector's fields (read from AFAS' metainfo, one
 * request per poll).
 * @throws NodeOperationError for settings that cannot work; NodeApiError when AFAS fails.
 */
async function readSettings(this: IPollFunctions): Promise<TriggerSettings> {
	const connectorId = readConnectorId.call(this);
	const options = this.getNodeParameter('options', {}) as TriggerOptions;
	const retry = retryPolicyFrom(options);
	const meta = await getConnectorMetaInfo.call(this, connectorId, undefined, retry);
	const allFields = meta.fields.map((field) => field.id);
	if (allFields.length === 0)
		throw new NodeOperationError(this.getNode(), `Connector '${connectorId}' has no fields`, {
			description: 'Add fields to the GetConnector in Profit.',
		});
	const chosenKeys = fieldList(this.getNodeParameter('keyFields', []));
	const keyFields = chosenKeys.length > 0 ? chosenKeys : [allFields[0]];
	const chosen = fieldList(this.getNodeParameter('watchedFields', []));
	const start = fieldList(this.getNodeParameter('startDateField', ''))[0];
	const end = fieldList(this.getNodeParameter('endDateField', ''))[0];
	const remember = fieldList(options.rememberFields).filter((field) => !keyFields.includes(field));
	checkFields.call(this, connectorId, new Set(allFields), [
		['Key field', keyFields],
		['Watched field', chosen],
		['Start date field', start ? [start] : []],
		['End date field', end ? [end] : []],
		['Remembered field', remember],
	]);
	const several = this.getNodeParameter('rowsPerKey', 'one') === 'several';
	const wildcards = options.wildcards;
	const population = JSON.stringify({
		connector: connectorId,
		// As typed: a filter with an expression such as {{ $today }} is the same filter every day.
		filters: filtersAsTyped(this.getNode().parameters.filters),
		wildcards: wildcards ?? 'auto',
		keyFields,
		several,
	});
	const maxMissing = Number(options.maxMissingPercent ?? 20);
	return {
		connectorId,
		population,
		keyFields,
		fields: watchedFields(chosen, allFields, [start, end, ...remember], keyFields),
		remember,
		several,
		groups: parseFilterGroups(this.getNode(), this.getNodeParameter('filters', {})),
		wildcards,
		dates: {
			start,
			end,
			leadDays: Math.max(0, Math.floor(Number(options.startLeadDays ?? 0))) || 0,
		},
		report: this.getNodeParameter('report', ALL_EVENTS) as EventKind[],
		output: this.getNodeParameter('output', 'event') as TriggerOutput,
		dateOutput: options.dateOutput ?? 'asSent',
		dateFields: meta.fields.filter((field) => field.dataType === 'date').map((field) => field.id),
		maxMissingPercent: Number.isFinite(maxMissing) ? Math.min(Math.max(maxMissing, 0), 100) : 20,
		pageSize: options.pageSize,
		parallel: readParallel.call(this, options.parallelRequests),
		retry,
		loadFields: async () => meta.fields,
	};
}

/**
 * Every row of the connector, exactly once (`readConnectorRows`): sorted on the key fields when
 * a key is one row, else on every field.
 * @throws NodeApiError / NodeOperationError when the read cannot be completed exactly.
 */
async function readRows(this: IPollFunctions, settings: TriggerSettings): Promise<IDataObject[]> {
	return await readConnectorRows.call(this, {
		connectorId: settings.connectorId,
		loadFields: settings.loadFields,
		sort: settings.several
			? undefined
			: settings.keyFields.map((field) => ({ field, descending: false })),
		filter: { groups: settings.groups, wildcards: settings.wildcards },
		pageSize: settings.pageSize,
		parallel: settings.parallel,
		retry: settings.retry,
	});
}

/**
 * The rows by key; rows without a key are logged.
 * @throws NodeOperationError when two rows share a key and a key must identify one row.
 */
function groupOrFail(
	this: IPollFunctions,
	rows: IDataObject[],
	settings: TriggerSettings,
): KeyedRows {
	let current: KeyedRows;
	try {
		current = groupRows(rows, settings);
	} catch (error) {
		if (!(error instanceof DuplicateKeyError))
			throw new NodeOperationError(this.getNode(), error as Error);
		const key = keyLabel(error.key, settings.keyFields);
		throw new NodeOperationError(
			this.getNode(),
			`Key ${key} (${settings.keyFields.join(', ')}) is on rows ${error.rowNumbers[0]} and ${error.rowNumbers[1]} of connector '${settings.connectorId}': a key must identify one row`,
			{
				description:
					'Choose key fields whose values identify one row (for example add the employment number as a second key field), or, for a connector with one row per employment, set "Rows per Key" to "Several (One per Employment)": the rows of a key are then watched together and all output. Nothing was reported and the previous state was kept.',
			},
		);
	}
	if (current.withoutKey > 0)
		this.logger.warn(
			`${label(this)}: ${current.withoutKey} rows of connector '${settings.connectorId}' have no value in ${settings.keyFields.join(', ')} and are not watched`,
		);
	return current;
}

/**
 * Refuses a read that misses more keys than "Max Missing Rows (%)" allows (./helpers/completeness.ts).
 * @throws NodeOperationError then, so nothing is reported and the snapshot is kept.
 */
function refuseUntrustedRead(
	this: IPollFunctions,
	previous: Snapshot,
	current: KeyedRows,
	settings: TriggerSettings,
): void {
	const refusal = refuseDrop(
		settings.connectorId,
		previous.keys,
		(key) => current.index.has(key),
		current.keys.length,
		settings.maxMissingPercent,
	);
	if (!refusal) return;
	this.logger.warn(`${label(this)}: ${refusal.message}`);
	throw new NodeOperationError(this.getNode(), refusal.message, {
		description: refusal.description,
	});
}

/** How items are built: the output shape and Date Output for rows and changed values. */
function itemSettings(settings: TriggerSettings, detectedAt: string): ItemSettings {
	const dateFields = new Set(settings.dateFields);
	const mode = settings.dateOutput;
	const convertOne = (value: unknown) => convertAfasDate(value, mode);
	return {
		keyFields: settings.keyFields,
		output: settings.output,
		several: settings.several,
		detectedAt,
		convertRow: (row) => convertRowDates(row, settings.dateFields, mode),
		convertValue: (field, value) => {
			if (mode === 'asSent' || !dateFields.has(field)) return value;
			return Array.isArray(value) ? value.map(convertOne) : convertOne(value);
		},
	};
}

/**
 * "Fetch Test Event" with nothing to report: one real row (the first key), so fields can be
 * mapped; null for an empty connector.
 */
function sample(
	this: IPollFunctions,
	current: KeyedRows,
	items: ItemSettings,
): INodeExecutionData[][] | null {
	if (current.keys.length === 0) return null;
	const event = {
		event: 'sample' as const,
		key: current.keys[0],
		reason: 'manual run: a sample row (no changes to report, or no snapshot yet)',
		changes: [],
		datesReached: [],
		rows: current.rows[0],
	};
	return [this.helpers.returnJsonArray(triggerItems([event], items))];
}
