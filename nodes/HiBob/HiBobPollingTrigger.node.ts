import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';
import { optionsCollection } from '../shared/properties';
import {
	customFieldsProperty,
	humanReadableProperty,
	outputProperty,
} from './actions/common.description';
import { MAX_MISSING_LABEL, refuseIncompleteAnswer } from './helpers/completeness';
import { deletedItem, employeeItem, type TriggerOutput } from './helpers/employeeItems';
import {
	SYNC_FIELDS,
	humanReadableValue,
	missingFieldsHint,
	resolveFields,
	searchEmployees,
	simplifyEmployee,
	type HumanReadable,
} from './helpers/employees';
import { compareEmployeeIds } from './helpers/order';
import {
	LIFECYCLE_FIELDS,
	detectChanges,
	isActive,
	snapshotValues,
	type DetectedEvent,
	type EventKind,
	type Snapshot,
} from './helpers/snapshot';
import { loadOptions } from './methods';
import { createSession } from './transport';

/** The fields a user sync reads, less root.id (every poll reads it: LIFECYCLE_FIELDS). */
const DEFAULT_WATCHED_FIELDS = SYNC_FIELDS.filter((field) => field !== 'root.id');

/**
 * Change detection for teams without HiBob webhook access. Each poll reads every employee
 * (one search, inactive people included) and compares the watched fields with the snapshot in
 * the workflow's static data, which n8n stores in its database: it survives restarts and works
 * the same on any queue-mode worker. The first poll only records the snapshot; the snapshot is
 * replaced only after a complete, successful read that does not lose more people (or values)
 * than "Max Missing Employees (%)" allows (./helpers/completeness.ts).
 */
export class HiBobPollingTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HiBob Polling Trigger',
		name: 'hiBobPollingTrigger',
		icon: { light: 'file:../../icons/hibob.svg', dark: 'file:../../icons/hibob.dark.svg' },
		group: ['trigger'],
		version: 1,
		polling: true,
		subtitle: '={{ "Watching " + ($parameter["fields"] || []).length + " fields" }}',
		description:
			'Starts the workflow when employees join, change or leave in HiBob (by polling, without webhooks)',
		defaults: { name: 'HiBob Polling Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'hiBobApi', required: true }],
		properties: [
			{
				displayName:
					'Each poll reads all employees with one HiBob call and compares them with the previous poll. The first poll after activation only records the current state; changes are reported from the second poll on. The service user must see inactive people to report leavers as "became inactive".',
				name: 'pollingNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Watched Fields Names or IDs',
				name: 'fields',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getFields' },
				default: [...DEFAULT_WATCHED_FIELDS],
				description:
					'Fields whose changes are reported. Status, lifecycle status, start date and termination date are always read. The snapshot stores these values per employee, so keep the list short. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			customFieldsProperty,
			{
				displayName: 'Report',
				name: 'report',
				type: 'multiOptions',
				options: [
					{ name: 'Changes', value: 'change', description: 'Watched fields changed' },
					{
						name: 'Joiners',
						value: 'joiner',
						description: 'New employees and people who became active',
					},
					{
						name: 'Leavers',
						value: 'leaver',
						description: 'People who became inactive or disappeared',
					},
				],
				default: ['joiner', 'change', 'leaver'],
			},
			outputProperty(
				'One item per event: event, reason, employeeId, active, changes, employee and detectedAt',
			),
			optionsCollection([
				{
					...humanReadableProperty(['append', 'none']),
					description: 'Changes are always compared on the machine values',
				},
				{
					displayName: MAX_MISSING_LABEL,
					name: 'maxMissingPercent',
					type: 'number',
					typeOptions: { minValue: 0, maxValue: 100 },
					default: 20,
					description:
						'The poll fails, reports nobody and keeps its snapshot when more than this share of the employees of the last poll is missing from HiBob’s answer, or loses the value of a watched field at once: that is a partial answer or a changed permission group, not a wave of leavers. One person may always go. An empty answer always fails.',
				},
			]),
		],
	};

	methods = { loadOptions };

	/**
	 * One poll: read everyone, check the answer against the snapshot, compare, save the new
	 * snapshot (not in a manual run), and output the events asked for (null when there are none).
	 * @throws NodeApiError when HiBob cannot be read or answers something other than the
	 *   documented shape; NodeOperationError when the answer misses too many people or values
	 *   (see ./helpers/completeness.ts). The snapshot is untouched in every case.
	 */
	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const manual = this.getMode() === 'manual';
		const staticData = this.getWorkflowStaticData('node');
		const previous = staticData.snapshot as Snapshot | undefined;
		const settings = readPollSettings.call(this);
		const employees = await readEveryone.call(this, settings);
		const usable =
			previous && previous.version === 1 && previous.signature === settings.signature
				? previous
				: undefined;
		// Any earlier snapshot tells who was there, even one made with other watched fields.
		const earlier = previous?.version === 1 ? previous : undefined;
		refuseUntrustedAnswer.call(this, employees, earlier, settings);

		const detectedAt = new Date().toISOString();
		const { events, people } = detectChanges(usable?.people ?? {}, employees, settings.fields);
		if (!manual) {
			// Replacing the object (not mutating it) marks static data as changed for n8n to save.
			const { signature } = settings;
			staticData.snapshot = { version: 1, signature, asOf: detectedAt, people } satisfies Snapshot;
		}
		if (!usable) {
			if (previous && !manual)
				this.logger.info(
					`HiBob Polling Trigger "${this.getNode().name}": watched fields changed; recorded a new baseline`,
				);
			// "Fetch test event" without a baseline: show one real employee so fields can be mapped.
			if (manual && employees.length > 0)
				return [this.helpers.returnJsonArray([sampleItem(employees[0], settings, detectedAt)])];
			return null;
		}
		const wanted = events.filter((event) => settings.report.includes(event.event));
		if (wanted.length === 0) return null;
		return [this.helpers.returnJsonArray(outputItems(wanted, settings.output, detectedAt))];
	}
}

interface PollSettings {
	/** Watched fields plus LIFECYCLE_FIELDS: compared and kept in the snapshot. */
	fields: string[];
	/** Fields read from HiBob: `fields`, plus what Reconcile Users needs for Employee output. */
	readFields: string[];
	humanReadable?: HumanReadable;
	report: EventKind[];
	output: TriggerOutput;
	maxMissingPercent: number;
	/** Fields and options the snapshot was made with; a change starts a new baseline. */
	signature: string;
}

/** The node's parameters, and the signature of a snapshot made with them. */
function readPollSettings(this: IPollFunctions): PollSettings {
	const picked =
		resolveFields(
			this.getNode(),
			this.getNodeParameter('fields', []),
			this.getNodeParameter('customFieldIds', ''),
			0,
		) ?? [];
	const fields = [...new Set([...LIFECYCLE_FIELDS, ...picked])];
	const options = this.getNodeParameter('options', {}) as {
		humanReadable?: HumanReadable;
		maxMissingPercent?: number;
	};
	const signature = JSON.stringify({
		fields: [...fields].sort(),
		humanReadable: options.humanReadable ?? 'none',
	});
	const report = this.getNodeParameter('report', []) as EventKind[];
	const output = this.getNodeParameter('output', 'event') as TriggerOutput;
	const readFields = output === 'employee' ? [...new Set([...fields, ...SYNC_FIELDS])] : fields;
	const maxMissingPercent = Math.min(Math.max(Number(options.maxMissingPercent ?? 20), 0), 100);
	return {
		fields,
		readFields,
		humanReadable: options.humanReadable,
		report,
		output,
		maxMissingPercent: Number.isFinite(maxMissingPercent) ? maxMissingPercent : 20,
		signature,
	};
}

/**
 * Every employee the service user may see, inactive ones included, simplified and sorted by ID
 * (one search, https://apidocs.hibob.com/reference/post_people-search). Fields HiBob left out
 * are logged.
 * @throws NodeApiError when HiBob cannot be read or answers another shape.
 */
async function readEveryone(this: IPollFunctions, settings: PollSettings): Promise<IDataObject[]> {
	const session = createSession();
	const raw = await searchEmployees.call(this, session, {
		fields: settings.readFields,
		showInactive: true,
		humanReadable: humanReadableValue(settings.humanReadable),
		batchSize: 100,
		itemIndex: 0,
	});
	if (session.missingFields.size) {
		this.logger.warn(
			`HiBob Polling Trigger "${this.getNode().name}": ${missingFieldsHint(session.missingFields)} Missing fields are not compared.`,
		);
	}
	return raw.map(simplifyEmployee);
}

/**
 * Refuses an answer that cannot be the whole company: empty without a snapshot (a baseline of
 * nobody would make everyone a joiner later), or, compared with the earlier snapshot (also one
 * made with other watched fields, before a new baseline), empty, too many people or values
 * missing, or the access status gone (./helpers/completeness.ts).
 * @throws NodeOperationError in those cases, so nobody is reported and the snapshot is kept.
 */
function refuseUntrustedAnswer(
	this: IPollFunctions,
	employees: IDataObject[],
	earlier: Snapshot | undefined,
	settings: PollSettings,
): void {
	if (!earlier) {
		if (employees.length > 0) return;
		throw new NodeOperationError(
			this.getNode(),
			'HiBob returned no employees, so no baseline was recorded',
			{
				description:
					'A company in HiBob has at least one employee: the service user probably sees nobody. In Bob → Settings → Permission groups, add it to a group that grants People access to everyone, inactive people included.',
			},
		);
	}
	const refusal = refuseIncompleteAnswer(
		earlier.people,
		employees,
		settings.fields,
		settings.maxMissingPercent,
	);
	if (!refusal) return;
	this.logger.warn(`HiBob Polling Trigger "${this.getNode().name}": ${refusal.message}`);
	throw new NodeOperationError(this.getNode(), refusal.message, {
		description: refusal.description,
	});
}

/** What happened, as the Employee output carries it under `event`. */
function eventDetails(event: DetectedEvent, detectedAt: string): IDataObject {
	const details: IDataObject = {
		type: event.event,
		reason: event.reason,
		active: event.active,
		changes: event.changes as unknown as IDataObject[],
		detectedAt,
	};
	// Someone HiBob no longer returns: their last known values, for reference.
	if (event.gone) details.lastKnown = event.employee;
	return details;
}

/**
 * The poll's items: one per event (Event output, joiners, changes, leavers), or one per employee
 * by employee ID (Employee output; a person HiBob no longer returns as `{ id, deleted: true }`).
 * A poll finds at most one event per employee, so both hold each person once.
 */
function outputItems(
	events: DetectedEvent[],
	output: TriggerOutput,
	detectedAt: string,
): IDataObject[] {
	if (output !== 'employee')
		return events.map(({ event, reason, employeeId, active, changes, employee }) => ({
			event,
			reason,
			employeeId,
			active,
			changes: changes as unknown as IDataObject[],
			employee,
			detectedAt,
		}));
	return [...events]
		.sort((a, b) => compareEmployeeIds(a.employeeId, b.employeeId))
		.map((event) =>
			event.gone
				? deletedItem(event.employeeId, eventDetails(event, detectedAt))
				: employeeItem(event.employee, eventDetails(event, detectedAt)),
		);
}

/** The item a manual run without a snapshot shows: one real employee, to map fields from. */
function sampleItem(
	employee: IDataObject,
	settings: PollSettings,
	detectedAt: string,
): IDataObject {
	const reason = 'manual run without a stored snapshot';
	const active = isActive(snapshotValues(employee, settings.fields));
	if (settings.output === 'employee')
		return employeeItem(employee, { type: 'sample', reason, active, changes: [], detectedAt });
	const employeeId = String(employee.id);
	return { event: 'sample', reason, employeeId, active, changes: [], employee, detectedAt };
}
