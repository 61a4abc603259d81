import {
	NodeApiError,
	NodeConnectionTypes,
	sleep,
	updateDisplayOptions,
	type IDataObject,
	type IHookFunctions,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import { optionsCollection } from '../shared/properties';
import {
	customFieldsProperty,
	fieldsProperty,
	humanReadableProperty,
	outputProperty,
	simplifyProperty,
} from './actions/common.description';
import { deletedItem, employeeItem, type TriggerOutput } from './helpers/employeeItems';
import {
	humanReadableValue,
	readEmployee,
	SYNC_FIELDS,
	resolveFields,
	simplifyEmployee,
	type HumanReadable,
} from './helpers/employees';
import {
	ALL_EVENT_TYPES,
	EVENT_TYPES,
	deliveryKey,
	fieldUpdateIds,
	isPing,
	isValidSignature,
	rememberDelivery,
} from './helpers/webhook';
import { loadOptions } from './methods';
import { CREDENTIAL_TYPE, createSession } from './transport';

interface RawRequest {
	rawBody?: Buffer;
	readRawBody?: () => Promise<void>;
	body?: unknown;
}

interface TriggerOptions {
	fetchDelaySeconds?: number;
	humanReadable?: HumanReadable;
	simplify?: boolean;
	rememberedDeliveries?: number;
}

const fetchDelayProperty: INodeProperties = {
	displayName: 'Fetch Delay (Seconds)',
	name: 'fetchDelaySeconds',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 8 },
	default: 2,
	description:
		'Wait before reading the employee: HiBob may need a moment before a change can be read back. Bob expects an answer within about 10 seconds, so keep it short.',
};

const rememberedDeliveriesProperty: INodeProperties = {
	displayName: 'Remembered Deliveries',
	name: 'rememberedDeliveries',
	type: 'number',
	typeOptions: { minValue: 10 },
	default: 1000,
	description:
		'How many recent events to remember for dropping duplicates (HiBob retries failed deliveries for days)',
};

/**
 * HiBob webhooks (v2). Bob has no API for webhooks: the user adds this node's URL in Bob's UI, so
 * the lifecycle methods only record and explain. Every delivery must carry a valid Bob-Signature
 * (HMAC-SHA512 of the raw body with the webhook secret); the Ping test Bob sends when a webhook
 * is saved is answered with 200 without starting the workflow (it may be unsigned).
 */
export class HiBobTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HiBob Trigger',
		name: 'hiBobTrigger',
		icon: { light: 'file:../../icons/hibob.svg', dark: 'file:../../icons/hibob.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).length + " event types" }}',
		description: 'Starts the workflow when HiBob (Bob) sends a webhook event',
		defaults: { name: 'HiBob Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'hiBobApi', required: true }],
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
		],
		properties: [
			{
				displayName:
					'Bob has no API for webhooks, so set this one up in Bob by hand: (1) copy the Production URL from "Webhook URLs" above (the Test URL works while this node listens for a test event); (2) in Bob go to Settings → Integrations → Webhooks, add a webhook, paste the URL and pick the same events as below (v2 payloads); (3) save: Bob sends a "Ping test", which this node answers, so the workflow must be active or listening; (4) copy the secret Bob shows into the Webhook Secret field of the HiBob credential. Events without a valid Bob-Signature are refused with 401.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: EVENT_TYPES,
				default: [...ALL_EVENT_TYPES],
				required: true,
				description: 'Events that start the workflow; other events are acknowledged and ignored',
			},
			{
				displayName: 'Fetch Employee',
				name: 'fetchEmployee',
				type: 'boolean',
				default: false,
				description:
					'Whether to read the employee in data.employeeId from HiBob before starting the workflow (v2 events carry only IDs)',
			},
			...updateDisplayOptions({ show: { fetchEmployee: [true] } }, [
				fieldsProperty,
				customFieldsProperty,
				outputProperty(
					'The event envelope (companyId, type, triggeredBy, triggeredAt, version, data), with changedFields and the fetched employee under "employee"',
				),
			]),
			optionsCollection([
				...updateDisplayOptions({ show: { '/fetchEmployee': [true] } }, [
					fetchDelayProperty,
					humanReadableProperty(),
				]),
				rememberedDeliveriesProperty,
				...updateDisplayOptions({ show: { '/fetchEmployee': [true], '/output': ['event'] } }, [
					simplifyProperty,
				]),
			]),
		],
	};

	methods = { loadOptions };

	webhookMethods = {
		default: {
			/** Bob cannot be asked which webhooks exist: "exists" means this URL was announced. */
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const staticData = this.getWorkflowStaticData('node');
				return staticData.webhookUrl === this.getNodeWebhookUrl('default');
			},
			/** Nothing to create remotely: check the secret and log exactly what to set up in Bob. */
			async create(this: IHookFunctions): Promise<boolean> {
				const url = this.getNodeWebhookUrl('default') ?? '';
				const events = this.getNodeParameter('events', []) as string[];
				const credentials = await this.getCredentials(CREDENTIAL_TYPE);
				const name = this.getNode().name;
				if (!String(credentials.webhookSecret ?? '').trim()) {
					this.logger.warn(
						`HiBob Trigger "${name}": the HiBob credential has no Webhook Secret, so every event will be refused with 401 (the Ping test still passes). Copy the secret from Bob → Settings → Integrations → Webhooks into the credential.`,
					);
				}
				this.logger.info(
					`HiBob Trigger "${name}": Bob has no API for webhooks. In Bob → Settings → Integrations → Webhooks, add a webhook with the URL ${url} and the events ${events.join(', ')}.`,
				);
				const staticData = this.getWorkflowStaticData('node');
				staticData.webhookUrl = url;
				staticData.events = events;
				return true;
			},
			/** Nothing to delete remotely: Bob keeps sending until the webhook is removed there. */
			async delete(this: IHookFunctions): Promise<boolean> {
				const staticData = this.getWorkflowStaticData('node');
				const url =
					(staticData.webhookUrl as string | undefined) ?? this.getNodeWebhookUrl('default');
				this.logger.info(
					`HiBob Trigger "${this.getNode().name}": remove the webhook for ${url} in Bob → Settings → Integrations → Webhooks, or Bob keeps sending events to it and emails admins when they fail.`,
				);
				delete staticData.webhookUrl;
				delete staticData.events;
				return true;
			},
		},
	};

	/**
	 * One delivery from Bob: a Ping test is answered; an event needs a valid Bob-Signature, a
	 * selected type and a key not seen before, and then starts the workflow with one item (the
	 * envelope, the changed field IDs and, when asked, the employee read back from HiBob; or,
	 * with Employee output, the employee with the envelope under `event`).
	 * Envelope and signature: https://apidocs.hibob.com/reference/webhook-events-v2
	 * @throws NodeApiError when the employee cannot be read (Bob then retries the delivery).
	 */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const res = this.getResponseObject();
		const answer = (status: number, body: IDataObject): IWebhookResponseData => {
			res.status(status).json(body);
			return { noWebhookResponse: true };
		};
		const rawBody = await readRawBody(this.getRequestObject() as unknown as RawRequest);
		// Bob checks the URL with a Ping test when the webhook is saved; it may be unsigned.
		if (isPing(rawBody)) return answer(200, { message: 'Ping test received' });
		if (!(await hasValidSignature.call(this, rawBody)))
			return answer(401, { message: 'Missing or invalid Bob-Signature' });
		const envelope = parseEnvelope(rawBody);
		if (typeof envelope === 'string') return answer(400, { message: envelope });

		const events = this.getNodeParameter('events', []) as string[];
		if (!events.includes(envelope.type as string))
			return answer(200, { message: `Event type ${envelope.type} is not selected; ignored` });

		if (outputOf.call(this) === 'employee' && employeeIdIn(envelope) === '')
			return answer(200, {
				message: `Event type ${envelope.type} names no employee, so there is no employee to output; ignored`,
			});

		const options = this.getNodeParameter('options', {}) as TriggerOptions;
		const staticData = this.getWorkflowStaticData('node');
		const seen = Array.isArray(staticData.seenDeliveries)
			? (staticData.seenDeliveries as string[])
			: [];
		// Deliveries that arrive at the same moment can both pass (each run loads static data on
		// its own); HiBob's retries come minutes apart, which this catches.
		const remembered = rememberDelivery(
			seen,
			deliveryKey(envelope, rawBody),
			options.rememberedDeliveries ?? 1000,
		);
		if (!remembered.isNew) return answer(200, { message: 'Duplicate delivery; ignored' });

		const item = await eventItem.call(this, envelope, options);
		staticData.seenDeliveries = remembered.seen;
		// Answer here instead of through n8n's "onReceived" reply: n8n (2.40) saves a webhook's
		// static data only when the answer goes out before the run starts, and the remembered
		// deliveries must be saved for duplicates to be dropped.
		res.status(200).json({ message: 'Event received' });
		return { noWebhookResponse: true, workflowData: [this.helpers.returnJsonArray([item])] };
	}
}

/** The request body exactly as Bob sent it (the signature is over these bytes). */
async function readRawBody(request: RawRequest): Promise<Buffer> {
	if (!request.rawBody && typeof request.readRawBody === 'function') await request.readRawBody();
	return Buffer.isBuffer(request.rawBody)
		? request.rawBody
		: Buffer.from(typeof request.body === 'string' ? request.body : '', 'utf8');
}

/** Whether the Bob-Signature header matches the body and the credential's webhook secret. */
async function hasValidSignature(this: IWebhookFunctions, rawBody: Buffer): Promise<boolean> {
	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const secret = String(credentials.webhookSecret ?? '').trim();
	const signature = this.getHeaderData()['bob-signature'];
	if (isValidSignature(secret, rawBody, typeof signature === 'string' ? signature : undefined))
		return true;
	const name = this.getNode().name;
	this.logger.warn(
		secret
			? `HiBob Trigger "${name}": refused a request without a valid Bob-Signature`
			: `HiBob Trigger "${name}": refused an event because the HiBob credential has no Webhook Secret`,
	);
	return false;
}

/** The event envelope (an object with a string `type`), or what is wrong with the body. */
function parseEnvelope(rawBody: Buffer): IDataObject | string {
	let envelope: unknown;
	try {
		envelope = JSON.parse(rawBody.toString('utf8'));
	} catch {
		return 'The body is not JSON';
	}
	if (
		!envelope ||
		typeof envelope !== 'object' ||
		Array.isArray(envelope) ||
		typeof (envelope as IDataObject).type !== 'string'
	) {
		return 'Not a HiBob event: no "type"';
	}
	return envelope as IDataObject;
}

/** data.employeeId as text, or '' when the event names no employee. */
function employeeIdIn(envelope: IDataObject): string {
	const data = (envelope.data ?? {}) as IDataObject;
	return typeof data.employeeId === 'string' || typeof data.employeeId === 'number'
		? String(data.employeeId)
		: '';
}

/** Event or Employee output; Employee needs Fetch Employee (its option only shows then). */
function outputOf(this: IWebhookFunctions): TriggerOutput {
	if (!this.getNodeParameter('fetchEmployee', false)) return 'event';
	return this.getNodeParameter('output', 'event') === 'employee' ? 'employee' : 'event';
}

/**
 * The workflow's item. Event output: the envelope, `changedFields` when HiBob names them, and
 * the employee when Fetch Employee is on (not for a deleted employee). Employee output: the
 * simplified employee with the envelope under `event`, or `{ id, deleted: true, event }` for an
 * employee deleted in HiBob or one HiBob no longer knows (404).
 * @throws NodeApiError when the employee cannot be read.
 */
async function eventItem(
	this: IWebhookFunctions,
	envelope: IDataObject,
	options: TriggerOptions,
): Promise<IDataObject> {
	const item: IDataObject = { ...envelope };
	const changedFields = fieldUpdateIds(envelope.data ?? {});
	if (changedFields.length) item.changedFields = changedFields;
	const employeeId = employeeIdIn(envelope);
	const deleted = envelope.type === 'employee.deleted';
	const fetch = this.getNodeParameter('fetchEmployee', false) && employeeId !== '' && !deleted;
	const employee = fetch ? await fetchEmployee.call(this, employeeId, options) : undefined;

	// Employee output: Fetch Employee is on and the event names an employee (checked before).
	if (outputOf.call(this) === 'employee') {
		if (deleted) return deletedItem(employeeId, item);
		if (!employee) return deletedItem(employeeId, { ...item, employeeNotFound: true });
		return employeeItem(simplifyEmployee(employee), item);
	}
	if (!fetch) return item;
	if (employee === undefined) {
		item.employee = null;
		item.employeeNotFound = true;
	} else {
		item.employee = options.simplify === false ? employee : simplifyEmployee(employee);
	}
	return item;
}

/**
 * The fields to read: the chosen ones, plus, for Employee output, the fields Reconcile Users'
 * HiBob preset reads (SYNC_FIELDS), so the item is complete whatever was picked. Undefined
 * (HiBob's default set) only for Event output with an empty selection.
 * @throws NodeOperationError for more than 400 fields.
 */
function fieldsToRead(this: IWebhookFunctions): string[] | undefined {
	const picked = resolveFields(
		this.getNode(),
		this.getNodeParameter('fields', []),
		this.getNodeParameter('customFieldIds', ''),
		0,
	);
	if (outputOf.call(this) !== 'employee') return picked;
	return [...new Set([...(picked ?? []), ...SYNC_FIELDS])];
}

/**
 * What a rate-limited read means for a webhook (the generic advice, fewer calls or another
 * schedule, does not apply): Bob retries the delivery.
 */
const RATE_LIMITED_EVENT =
	'Every event this trigger reads costs one HiBob call, and HiBob allows about 50 per minute per service user. Bob was answered with an error, so it delivers this event again later (it retries for up to three days). If this happens often, select fewer events (one hire sends created, joined and activated) or give this workflow a HiBob service user of its own.';

/** The error of a failed read, with the rate-limit advice for a webhook when HiBob answered 429. */
function withWebhookAdvice(error: unknown): unknown {
	if (error instanceof NodeApiError && error.httpCode === '429')
		error.description = RATE_LIMITED_EVENT;
	return error;
}

/**
 * The employee of an event, read after the Fetch Delay (s), with short rate-limit waits only: Bob
 * gives up after about 10 s and then retries the event. Undefined when HiBob does not know them.
 * @throws NodeApiError when HiBob cannot be read.
 */
async function fetchEmployee(
	this: IWebhookFunctions,
	employeeId: string,
	options: TriggerOptions,
): Promise<IDataObject | undefined> {
	const delay = Math.min(Math.max(options.fetchDelaySeconds ?? 2, 0), 8);
	if (delay > 0) await sleep(delay * 1000);
	const session = createSession({ maxRateLimitWaitMs: 5000, maxRetries: 1 });
	const node = this.getNode();
	const employee = await readEmployee
		.call(this, session, employeeId, {
			fields: fieldsToRead.call(this),
			humanReadable: humanReadableValue(options.humanReadable),
			itemIndex: 0,
		})
		.catch((error: unknown) => {
			throw withWebhookAdvice(error);
		});
	if (session.missingFields.size) {
		this.logger.warn(
			`HiBob Trigger "${node.name}": HiBob did not return ${[...session.missingFields].join(', ')} (no permission, or unknown field IDs)`,
		);
	}
	return employee;
}
