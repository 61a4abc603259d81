import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject, INodeExecutionData, INodeParameters, INodeType } from 'n8n-workflow';
import {
	callWebhook,
	nodeTypeRegistry,
	NODE_UNDER_TEST,
	PACKAGE_NAME,
	type WebhookCallResult,
} from '../../helpers/n8n';
import {
	CUSTOM_COST_CENTRE,
	startHiBobSandbox,
	type BobEvent,
	type HiBobSandbox,
} from '../../../sandbox/hibob/server';
import { SANDBOX_NOW, TRIGGER_TYPE, hiBobCredentials } from './helpers';
import { hookContextFor } from './hooks';

// HiBob Trigger (webhooks): every delivery here is produced and signed by the sandbox's emitter
// (or is the reference's test vector); the node's webhook() runs in a real n8n WebhookContext.

let sandbox: HiBobSandbox;

beforeAll(async () => {
	sandbox = await startHiBobSandbox({ now: SANDBOX_NOW });
});
afterAll(async () => {
	await sandbox.close();
});
beforeEach(() => {
	sandbox.resetStats();
	sandbox.resetLimits();
	sandbox.clearFaults();
});

const REFERENCE_BODY =
	'{"companyId":636192,"type":"employee.joined","triggeredBy":"system","triggeredAt":"2025-01-08T00:00:01.123456","version":"v2","data":{"employeeId":"3332883854254932743"}}';
const REFERENCE_SIGNATURE =
	'WFEh9jbMA73M4adyRPc1XwwJGsYO/EFF9IScNq/FeOCbBJOUN8w/QreA3PMf/qvHUW+YFBDaNbJ1REootT9xRw==';

async function deliver(
	delivery: { rawBody: string; headers: Record<string, string> },
	parameters: INodeParameters = {},
	options: { staticData?: IDataObject; credentials?: ReturnType<typeof hiBobCredentials> } = {},
): Promise<WebhookCallResult> {
	return await callWebhook({
		type: TRIGGER_TYPE,
		parameters,
		credentials: options.credentials ?? hiBobCredentials(sandbox),
		rawBody: delivery.rawBody,
		headers: delivery.headers,
		staticData: options.staticData,
	});
}

// n8n keeps a node's static data under "node:<node name>".
const NODE_STATIC_KEY = `node:${NODE_UNDER_TEST}`;

function items(result: WebhookCallResult): IDataObject[] {
	const data = result.result.workflowData as INodeExecutionData[][] | undefined;
	return (data?.[0] ?? []).map((item) => item.json);
}

describe('signature', () => {
	it('accepts the reference test vector and emits the event as is', async () => {
		const result = await deliver({
			rawBody: REFERENCE_BODY,
			headers: { 'content-type': 'application/json', 'bob-signature': REFERENCE_SIGNATURE },
		});
		expect(items(result)).toEqual([JSON.parse(REFERENCE_BODY)]);
		// The node answers itself before the run starts, so n8n saves the remembered deliveries.
		expect(result.response).toMatchObject({ status: 200, ended: true });
		expect(result.result.noWebhookResponse).toBe(true);
	});

	it.each([
		['a wrong signature', { badSignature: true }],
		['no signature', { unsigned: true }],
	])('refuses %s with 401 and starts nothing', async (_label, options) => {
		const result = await deliver(
			sandbox.buildWebhook({ type: 'employee.created', employeeId: '1' }, options),
		);
		expect(result.response.status).toBe(401);
		expect(result.result).toEqual({ noWebhookResponse: true });
	});

	it('refuses a body changed after signing', async () => {
		const result = await deliver({
			rawBody: REFERENCE_BODY.replace('3332883854254932743', '3332883854254932744'),
			headers: { 'bob-signature': REFERENCE_SIGNATURE },
		});
		expect(result.response.status).toBe(401);
	});

	it('refuses everything while the credential has no webhook secret', async () => {
		const result = await deliver(
			sandbox.buildWebhook({ type: 'employee.created', employeeId: '1' }),
			{},
			{ credentials: hiBobCredentials(sandbox, { webhookSecret: '' }) },
		);
		expect(result.response.status).toBe(401);
	});
});

describe('ping', () => {
	it.each([
		['plain text', 'Ping test', 'text/plain'],
		['JSON', '{"text":"Ping test"}', 'application/json'],
	])(
		'answers Bob’s %s Ping test with 200, unsigned, without starting the workflow',
		async (_label, rawBody, contentType) => {
			const result = await deliver({ rawBody, headers: { 'content-type': contentType } });
			expect(result.response.status).toBe(200);
			expect(result.result).toEqual({ noWebhookResponse: true });
		},
	);
});

describe('events and duplicates', () => {
	it('acknowledges but ignores events that are not selected', async () => {
		const result = await deliver(
			sandbox.buildWebhook({ type: 'employee.updated', employeeId: '1' }),
			{ events: ['employee.joined', 'employee.left'] },
		);
		expect(result.response.status).toBe(200);
		expect(result.result.workflowData).toBeUndefined();
	});

	it('drops a repeated delivery, also after a restart (static data round trip)', async () => {
		const staticData: IDataObject = {};
		const delivery = sandbox.buildWebhook({ type: 'employee.left', employeeId: '2' });
		expect(items(await deliver(delivery, {}, { staticData }))).toHaveLength(1);
		const second = await deliver(delivery, {}, { staticData });
		expect(second.response.status).toBe(200);
		expect(second.result.workflowData).toBeUndefined();
		const restored = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		expect(
			(await deliver(delivery, {}, { staticData: restored })).result.workflowData,
		).toBeUndefined();
		const other = sandbox.buildWebhook({ type: 'employee.left', employeeId: '3' });
		expect(items(await deliver(other, {}, { staticData: restored }))).toHaveLength(1);
	});

	it('remembers a bounded number of deliveries', async () => {
		const staticData: IDataObject = {};
		const parameters = { options: { rememberedDeliveries: 10 } };
		const first = sandbox.buildWebhook({ type: 'employee.updated', employeeId: 'first' });
		await deliver(first, parameters, { staticData });
		for (let i = 0; i < 11; i++)
			await deliver(
				sandbox.buildWebhook({ type: 'employee.updated', employeeId: `e${i}` }),
				parameters,
				{ staticData },
			);
		expect((staticData[NODE_STATIC_KEY] as IDataObject).seenDeliveries).toHaveLength(10);
		expect(items(await deliver(first, parameters, { staticData }))).toHaveLength(1);
	});

	it('names the changed fields, whether HiBob sends IDs or objects', async () => {
		const asObjects = items(
			await deliver(
				sandbox.buildWebhook({
					type: 'employee.updated',
					employeeId: '1',
					fieldUpdates: [{ fieldId: 'work.title' }, { fieldId: 'root.email' }],
				}),
			),
		);
		const asIds = items(
			await deliver(
				sandbox.buildWebhook({
					type: 'employee.updated',
					employeeId: '1',
					fieldUpdates: ['work.department'],
				}),
			),
		);
		expect(asObjects[0].changedFields).toEqual(['work.title', 'root.email']);
		expect(asIds[0].changedFields).toEqual(['work.department']);
	});
});

describe('fetch employee', () => {
	const fetching = (extra: IDataObject = {}): INodeParameters => ({
		fetchEmployee: true,
		fields: ['root.email', 'internal.status', 'work.reportsTo'],
		options: { fetchDelaySeconds: 0, ...extra },
	});

	it('reads the employee in data.employeeId with the chosen fields before emitting', async () => {
		const target = sandbox.employees()[1];
		const [item] = items(
			await deliver(
				sandbox.buildWebhook({ type: 'employee.updated', employeeId: target.id }),
				fetching(),
			),
		);
		expect(item.data).toEqual({ employeeId: target.id });
		expect(item.employee).toEqual({
			id: target.id,
			email: target.email,
			internal: { status: 'Active' },
			work: { reportsTo: expect.objectContaining({ id: target.work.manager }) },
		});
		expect(sandbox.stats().log).toEqual([
			expect.objectContaining({
				method: 'POST',
				path: `/v1/people/${target.id}`,
				body: { fields: ['root.id', 'root.email', 'internal.status', 'work.reportsTo'] },
			}),
		]);
	});

	it('reads custom fields by ID too, after the fetch delay', async () => {
		const target = sandbox.employees()[3];
		const parameters = {
			...fetching({ fetchDelaySeconds: 1 }),
			fields: ['root.email'],
			customFieldIds: CUSTOM_COST_CENTRE,
		};
		const [item] = items(
			await deliver(
				sandbox.buildWebhook({ type: 'employee.joined', employeeId: target.id }),
				parameters,
			),
		);
		expect(item.employee).toEqual({
			id: target.id,
			email: target.email,
			work: { custom: { field_1700000001: target.work.custom[CUSTOM_COST_CENTRE] } },
		});
	});

	it('applies human-readable values and can return the raw employee', async () => {
		const target = sandbox.employees()[0];
		const [item] = items(
			await deliver(
				sandbox.buildWebhook({ type: 'employee.updated', employeeId: target.id }),
				fetching({ humanReadable: 'append', simplify: false }),
			),
		);
		const employee = item.employee as IDataObject;
		expect(employee['/root/email']).toEqual({ value: target.email });
		expect(employee.humanReadable).toMatchObject({ internal: { status: 'Active' } });
	});

	it('does not fetch for employee.deleted, and marks an employee HiBob does not know', async () => {
		const deleted = items(
			await deliver(
				sandbox.buildWebhook({ type: 'employee.deleted', employeeId: '3000000000000000001' }),
				fetching(),
			),
		);
		expect(deleted[0]).not.toHaveProperty('employee');
		expect(sandbox.stats().requests).toBe(0);
		const unknown = items(
			await deliver(
				sandbox.buildWebhook({ type: 'employee.updated', employeeId: '3000000000000000002' }),
				fetching(),
			),
		);
		expect(unknown[0]).toMatchObject({ employee: null, employeeNotFound: true });
	});

	it('fails (so HiBob retries) when the fetch fails, and does not remember that delivery', async () => {
		const staticData: IDataObject = {};
		const delivery = sandbox.buildWebhook({
			type: 'employee.updated',
			employeeId: sandbox.employees()[0].id,
		});
		await expect(
			deliver(delivery, fetching(), {
				staticData,
				credentials: hiBobCredentials(sandbox, { token: 'revoked' }),
			}),
		).rejects.toThrow('401 Unauthorized');
		expect(
			(staticData[NODE_STATIC_KEY] as IDataObject | undefined)?.seenDeliveries,
		).toBeUndefined();
		expect(items(await deliver(delivery, fetching(), { staticData }))).toHaveLength(1);
	});
});

describe('fetch employee: exact answers', () => {
	const fetching = { fetchEmployee: true, options: { fetchDelaySeconds: 0 } };

	it.each([
		['{}', { json: {} }, 'the answer is an object without "id"'],
		['a list', { json: [] }, 'the answer is not an object'],
		['no body', {}, 'the answer is not an object'],
	])(
		'fails on a 200 answer of %s (so Bob retries) and does not remember the delivery',
		async (_label, body, problem) => {
			const staticData: IDataObject = {};
			const delivery = sandbox.buildWebhook({
				type: 'employee.updated',
				employeeId: sandbox.employees()[2].id,
			});
			sandbox.addFault({ fault: { kind: 'wrongShape', ...body }, endpoint: 'read' });
			await expect(deliver(delivery, fetching, { staticData })).rejects.toThrow(problem);
			expect(
				(staticData[NODE_STATIC_KEY] as IDataObject | undefined)?.seenDeliveries,
			).toBeUndefined();
			const [item] = items(await deliver(delivery, fetching, { staticData }));
			expect((item.employee as IDataObject).id).toBe(sandbox.employees()[2].id);
		},
	);
});

describe('fetch employee: HiBob’s rate limit', () => {
	let limited: HiBobSandbox;
	beforeAll(async () => {
		// One call per window, and a window that does not end during the test (windows are aligned
		// to the epoch: a one-minute window could end during the trigger's 5 s wait).
		limited = await startHiBobSandbox({
			now: SANDBOX_NOW,
			rateLimitPerMinute: 1,
			rateLimitWindowMs: 1e12,
		});
	});
	afterAll(async () => {
		await limited.close();
	});

	it('fails (so Bob retries) with advice for a webhook, not for a scheduled run', async () => {
		const staticData: IDataObject = {};
		const [first, second] = limited.employees();
		const parameters = { fetchEmployee: true, options: { fetchDelaySeconds: 0 } };
		const credentials = hiBobCredentials(limited);
		const event = (id: string) =>
			limited.buildWebhook({ type: 'employee.updated', employeeId: id });
		await deliver(event(first.id), parameters, { staticData, credentials });
		// The second read in the same minute: the trigger waits at most 5 s, then answers an error.
		const failed = deliver(event(second.id), parameters, { staticData, credentials });
		await expect(failed).rejects.toThrow('429 Too Many Requests');
		await expect(failed).rejects.toMatchObject({
			description: expect.stringContaining('so it delivers this event again later'),
		});
		await expect(failed).rejects.not.toMatchObject({
			description: expect.stringContaining('schedule this workflow'),
		});
	});
});

describe('Employee output (for Reconcile Users)', () => {
	const asEmployee = (extra: IDataObject = {}): INodeParameters => ({
		fetchEmployee: true,
		output: 'employee',
		options: { fetchDelaySeconds: 0, ...extra },
	});

	it('puts the simplified employee at the root and the event under "event"', async () => {
		const target = sandbox.employees()[1];
		const delivery = sandbox.buildWebhook({
			type: 'employee.updated',
			employeeId: target.id,
			fieldUpdates: ['work.title'],
		});
		const [item] = items(await deliver(delivery, asEmployee({ humanReadable: 'append' })));
		expect(item).toEqual({
			id: target.id,
			email: target.email,
			firstName: target.firstName,
			surname: target.surname,
			displayName: `${target.firstName} ${target.surname}`,
			work: expect.objectContaining({
				title: target.work.title,
				department: target.work.department,
				startDate: target.work.startDate,
				reportsTo: expect.objectContaining({ id: target.work.manager }),
			}),
			internal: { status: 'Active', lifecycleStatus: 'employed', terminationDate: null },
			humanReadable: expect.objectContaining({ work: expect.any(Object) }),
			event: { ...delivery.envelope, changedFields: ['work.title'] },
		});
		expect(Object.keys(item).some((key) => key.startsWith('/'))).toBe(false);
	});

	it('always reads the fields Reconcile Users needs, whatever fields were picked', async () => {
		const target = sandbox.employees()[2];
		const [item] = items(
			await deliver(sandbox.buildWebhook({ type: 'employee.joined', employeeId: target.id }), {
				...asEmployee(),
				fields: ['work.site'],
			}),
		);
		const [request] = sandbox.stats().log;
		expect(request.body).toEqual({
			fields: expect.arrayContaining([
				'work.site',
				'root.email',
				'root.firstName',
				'root.surname',
				'work.startDate',
				'internal.status',
				'internal.terminationDate',
				'internal.lifecycleStatus',
				'work.reportsTo',
			]),
		});
		expect(item).toMatchObject({
			id: target.id,
			email: target.email,
			work: { site: expect.any(String), startDate: target.work.startDate },
			internal: { status: 'Active' },
		});
	});

	it('marks an employee.deleted event as { id, deleted: true, event } without calling HiBob', async () => {
		const delivery = sandbox.buildWebhook({
			type: 'employee.deleted',
			employeeId: '3000000000000000001',
		});
		const [item] = items(await deliver(delivery, asEmployee()));
		expect(item).toEqual({
			id: '3000000000000000001',
			deleted: true,
			event: delivery.envelope,
		});
		expect(sandbox.stats().requests).toBe(0);
	});

	it('marks an employee HiBob no longer knows (404) as deleted, saying so in the event', async () => {
		const delivery = sandbox.buildWebhook({
			type: 'employee.updated',
			employeeId: '3000000000000000002',
		});
		const [item] = items(await deliver(delivery, asEmployee()));
		expect(item).toEqual({
			id: '3000000000000000002',
			deleted: true,
			event: { ...delivery.envelope, employeeNotFound: true },
		});
	});

	it('acknowledges and ignores an event that names no employee', async () => {
		const result = await deliver(
			sandbox.buildWebhook({ type: 'table.entry.created' }),
			asEmployee(),
		);
		expect(result.response).toMatchObject({ status: 200 });
		expect(result.result.workflowData).toBeUndefined();
	});

	it('keeps the Event output when Fetch Employee is off, whatever Output says', async () => {
		const delivery = sandbox.buildWebhook({ type: 'employee.joined', employeeId: '1' });
		const [item] = items(await deliver(delivery, { fetchEmployee: false, output: 'employee' }));
		expect(item).toEqual(delivery.envelope);
	});
});

describe('over HTTP from the sandbox emitter', () => {
	let receiver: Server;
	let url: string;
	const received: IDataObject[] = [];
	const staticData: IDataObject = {};

	beforeAll(async () => {
		// Stands in for n8n's webhook endpoint: raw body and headers go to the node's webhook().
		receiver = createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				const headers = Object.fromEntries(
					Object.entries(req.headers).map(([k, v]) => [k, String(v)]),
				);
				deliver({ rawBody: Buffer.concat(chunks).toString('utf8'), headers }, {}, { staticData })
					.then((result) => {
						received.push(...items(result));
						res
							.writeHead(result.response.ended ? result.response.status : 200, {
								'content-type': 'application/json',
							})
							.end(JSON.stringify(result.response.body ?? {}));
					})
					.catch(() => res.writeHead(500).end());
			});
		});
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
		url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhook/hibob`;
	});
	afterAll(async () => {
		sandbox.clearWebhooks();
		await new Promise((resolve) => receiver.close(resolve));
	});

	it('passes Bob’s Ping test when the webhook is saved, then receives lifecycle events as the clock moves', async () => {
		expect(await sandbox.registerWebhook({ url, secret: sandbox.webhookSecret })).toEqual({
			ok: true,
			status: 200,
		});
		const hire = sandbox
			.employees()
			.find((e) => sandbox.lifecycle(e.id).lifecycleStatus === 'hired')!;
		sandbox.setNow(`${hire.work.startDate}T00:00:01Z`);
		await sandbox.flushWebhooks();
		const types = received
			.filter((event) => (event.data as IDataObject).employeeId === hire.id)
			.map((event) => event.type);
		expect(types).toEqual(expect.arrayContaining(['employee.joined', 'employee.activated']));
		sandbox.setNow(SANDBOX_NOW);
	});

	it('answers 401 to a delivery signed with another secret (the emitter sees the refusal)', async () => {
		const result = await sandbox.emitWebhook(
			url,
			{ type: 'employee.created', employeeId: '9' } as BobEvent,
			{ secret: 'someone-else' },
		);
		expect(result.status).toBe(401);
	});

	it('drops the duplicate when the emitter delivers twice', async () => {
		const before = received.length;
		const result = await sandbox.emitWebhook(
			url,
			{ type: 'employee.created', employeeId: '10', note: 'dup' } as BobEvent,
			{ duplicate: true },
		);
		expect(result.status).toBe(200);
		expect(received.length - before).toBe(1);
	});
});

describe('webhook lifecycle (Bob has no webhook API)', () => {
	it('create records the URL and logs what to paste where; checkExists then holds; delete says to remove it in Bob', async () => {
		const trigger = nodeTypeRegistry().get(`${PACKAGE_NAME}.${TRIGGER_TYPE}`) as INodeType;
		const staticData: IDataObject = {};
		const { context } = hookContextFor({
			type: TRIGGER_TYPE,
			parameters: { events: ['employee.joined'] },
			credentials: hiBobCredentials(sandbox),
			staticData,
		});
		const info = jest.spyOn(context.logger, 'info').mockImplementation(() => undefined);
		const methods = trigger.webhookMethods!.default!;
		expect(await methods.checkExists.call(context)).toBe(false);
		expect(await methods.create.call(context)).toBe(true);
		const url = context.getNodeWebhookUrl('default');
		expect(url).toBe('https://n8n.example.com/webhook/hibob-hook-id/webhook');
		expect(info).toHaveBeenCalledWith(
			expect.stringContaining(`add a webhook with the URL ${url} and the events employee.joined`),
		);
		expect(await methods.checkExists.call(context)).toBe(true);
		expect(await methods.delete.call(context)).toBe(true);
		expect(info).toHaveBeenLastCalledWith(
			expect.stringContaining(`remove the webhook for ${url} in Bob`),
		);
		expect(await methods.checkExists.call(context)).toBe(false);
		info.mockRestore();
	});

	it('create warns when the credential has no webhook secret', async () => {
		const trigger = nodeTypeRegistry().get(`${PACKAGE_NAME}.${TRIGGER_TYPE}`) as INodeType;
		const { context } = hookContextFor({
			type: TRIGGER_TYPE,
			parameters: {},
			credentials: hiBobCredentials(sandbox, { webhookSecret: '' }),
			staticData: {},
		});
		const warn = jest.spyOn(context.logger, 'warn').mockImplementation(() => undefined);
		jest.spyOn(context.logger, 'info').mockImplementation(() => undefined);
		await trigger.webhookMethods!.default!.create.call(context);
		expect(warn).toHaveBeenCalledWith(expect.stringContaining('has no Webhook Secret'));
		jest.restoreAllMocks();
	});
});
