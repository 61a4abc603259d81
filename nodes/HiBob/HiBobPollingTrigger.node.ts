import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';
import { optionsCollection } from '../shared/properties';
import { customFieldsProperty, humanReadableProperty } from './actions/common.description';
import {
	SYNC_FIELDS,
	humanReadableValue,
	missingFieldsHint,
	resolveFields,
	searchEmployees,
	simplifyEmployee,
	type HumanReadable,
} from './helpers/employees';
import {
	LIFECYCLE_FIELDS,
	detectChanges,
	isActive,
	snapshotValues,
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
 * replaced only after a complete, successful read.
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
			optionsCollection([
				{
					...humanReadableProperty(['append', 'none']),
					description: 'Changes are always compared on the machine values',
				},
			]),
		],
	};

	methods = { loadOptions };

	/**
	 * One poll: read everyone, compare with the snapshot, save the new snapshot (not in a manual
	 * run), and output the events asked for (null when there are none).
	 * @throws NodeApiError when HiBob cannot be read; NodeOperationError when HiBob suddenly
	 *   returns nobody. The snapshot is untouched in both cases.
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
		refuseEmptyAnswer(this.getNode(), employees, usable);

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
				return [this.helpers.returnJsonArray([sampleEvent(employees[0], settings, detectedAt)])];
			return null;
		}
		const wanted = events.filter((event) => settings.report.includes(event.event));
		if (wanted.length === 0) return null;
		return [
			this.helpers.returnJsonArray(
				wanted.map((event) => ({ ...event, detectedAt }) as unknown as IDataObject),
			),
		];
	}
}

interface PollSettings {
	/** Watched fields plus LIFECYCLE_FIELDS. */
	fields: string[];
	humanReadable?: HumanReadable;
	report: EventKind[];
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
	const options = this.getNodeParameter('options', {}) as { humanReadable?: HumanReadable };
	const signature = JSON.stringify({
		fields: [...fields].sort(),
		humanReadable: options.humanReadable ?? 'none',
	});
	const report = this.getNodeParameter('report', []) as EventKind[];
	return { fields, humanReadable: options.humanReadable, report, signature };
}

/**
 * Every employee the service user may see, inactive ones included, simplified (one search,
 * https://apidocs.hibob.com/reference/post_people-search). Fields HiBob left out are logged.
 * @throws NodeApiError when HiBob cannot be read.
 */
async function readEveryone(this: IPollFunctions, settings: PollSettings): Promise<IDataObject[]> {
	const session = createSession();
	const raw = await searchEmployees.call(this, session, {
		fields: settings.fields,
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
 * An empty answer after a non-empty snapshot usually means the service user lost its permission
 * group, not that everyone left.
 * @throws NodeOperationError in that case, so nobody is reported as a leaver.
 */
function refuseEmptyAnswer(
	node: INode,
	employees: IDataObject[],
	usable: Snapshot | undefined,
): void {
	if (employees.length > 0 || !usable || Object.keys(usable.people).length === 0) return;
	throw new NodeOperationError(
		node,
		'HiBob returned no employees; nobody was reported as a leaver and the snapshot was kept',
		{
			description:
				'An empty answer after a non-empty one usually means the service user lost its permission group, not that everyone left. Check the service user in Bob → Settings → Permission groups.',
		},
	);
}

/** The item a manual run without a snapshot shows: one real employee, to map fields from. */
function sampleEvent(
	employee: IDataObject,
	settings: PollSettings,
	detectedAt: string,
): IDataObject {
	return {
		event: 'sample',
		reason: 'manual run without a stored snapshot',
		employeeId: String(employee.id),
		active: isActive(snapshotValues(employee, settings.fields)),
		changes: [],
		employee,
		detectedAt,
	};
}
