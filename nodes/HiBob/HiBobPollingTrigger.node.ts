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

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const node = this.getNode();
		const manual = this.getMode() === 'manual';
		const staticData = this.getWorkflowStaticData('node');
		const previous = staticData.snapshot as Snapshot | undefined;

		const picked =
			resolveFields(
				node,
				this.getNodeParameter('fields', []),
				this.getNodeParameter('customFieldIds', ''),
				0,
			) ?? [];
		const fields = [...new Set([...LIFECYCLE_FIELDS, ...picked])];
		const options = this.getNodeParameter('options', {}) as { humanReadable?: HumanReadable };
		const report = this.getNodeParameter('report', []) as EventKind[];
		const signature = JSON.stringify({
			fields: [...fields].sort(),
			humanReadable: options.humanReadable ?? 'none',
		});

		const session = createSession();
		// A failed read throws before the snapshot is touched: the next poll compares with the last good state.
		const raw = await searchEmployees.call(this, session, {
			fields,
			showInactive: true,
			humanReadable: humanReadableValue(options.humanReadable),
			batchSize: 100,
			itemIndex: 0,
		});
		const employees = raw.map(simplifyEmployee);
		if (session.missingFields.size) {
			this.logger.warn(
				`HiBob Polling Trigger "${node.name}": ${missingFieldsHint(session.missingFields)} Missing fields are not compared.`,
			);
		}

		const usable =
			previous && previous.version === 1 && previous.signature === signature ? previous : undefined;
		if (employees.length === 0 && usable && Object.keys(usable.people).length > 0) {
			throw new NodeOperationError(
				node,
				'HiBob returned no employees; nobody was reported as a leaver and the snapshot was kept',
				{
					description:
						'An empty answer after a non-empty one usually means the service user lost its permission group, not that everyone left. Check the service user in Bob → Settings → Permission groups.',
				},
			);
		}

		const detectedAt = new Date().toISOString();
		const { events, people } = detectChanges(usable?.people ?? {}, employees, fields);
		if (!manual) {
			// Replacing the object (not mutating it) marks static data as changed for n8n to save.
			staticData.snapshot = { version: 1, signature, asOf: detectedAt, people } satisfies Snapshot;
		}

		if (!usable) {
			if (previous && !manual)
				this.logger.info(
					`HiBob Polling Trigger "${node.name}": watched fields changed; recorded a new baseline`,
				);
			// "Fetch test event" without a baseline: show one real employee so fields can be mapped.
			if (manual && employees.length > 0) {
				const [first] = employees;
				const sample = {
					event: 'sample',
					reason: 'manual run without a stored snapshot',
					employeeId: String(first.id),
					active: isActive(snapshotValues(first, fields)),
					changes: [],
					employee: first,
					detectedAt,
				};
				return [this.helpers.returnJsonArray([sample])];
			}
			return null;
		}

		const wanted = events.filter((event) => report.includes(event.event));
		if (wanted.length === 0) return null;
		return [
			this.helpers.returnJsonArray(
				wanted.map((event) => ({ ...event, detectedAt }) as unknown as IDataObject),
			),
		];
	}
}
