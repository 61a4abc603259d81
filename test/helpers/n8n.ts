/**
 * In-process n8n engine for tests: runs this package's nodes through n8n-core's real
 * WorkflowExecute (the engine n8n itself uses), with credentials applied by the credential
 * type's own `authenticate`, and real LoadOptions / Poll / Webhook contexts.
 *
 * Nothing here mocks HTTP: nodes talk to the sandbox servers on loopback.
 *
 * API
 * - `runNode({ type, parameters, credentials, inputs })` runs one node of this package
 *   (`type` is its production type, e.g. 'n8n-nodes-hr-sync.afasGetConnector', or the bare
 *   name 'afasGetConnector'). `inputs` is one array of items per input (a two-input node gets
 *   two arrays; an empty array means "n8n hands the node no items on that input").
 *   Returns `{ status, outputs, error, runData }`: `outputs[i]` are the items of output i
 *   (json + pairedItem), `error` is the node's error (message, description, ...) when it failed.
 * - `runWorkflow(workflowJson, { credentials })` runs a whole workflow (nodes of this
 *   package plus the test node types below). Returns `{ status, runData, error, output(name, i) }`.
 * - `loadOptions({ type, parameters, credentials, method })` calls a `methods.loadOptions`
 *   (or `listSearch` with `kind: 'listSearch'`) method with a real LoadOptionsContext.
 * - `createPoller({ type, parameters, credentials, mode })` gives `{ poll(), staticData,
 *   restart() }`: a real PollContext whose workflow static data persists between polls the way
 *   n8n saves it (JSON round-trip), so `restart()` simulates an n8n restart / another worker.
 * - `callWebhook({ type, parameters, credentials, body, rawBody, headers, staticData })`
 *   calls the node's `webhook()` with a real WebhookContext and returns
 *   `{ result, response: { status, body, headers } }`.
 * - `testCredential(type, data)` runs the credential type's `test` request the way n8n's
 *   credential tester does (expressions resolved, `authenticate` applied) against the server.
 * - `credentialsFor(type, data)` builds the `credentials` map the functions above take.
 *
 * Test node types, usable in workflow JSON:
 * - 'test.trigger': start node, emits one empty item.
 * - 'test.items': emits `parameters.items` (an array of JSON objects) as items.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
	ExecutionLifecycleHooks,
	LoadOptionsContext,
	PollContext,
	WebhookContext,
	WorkflowExecute,
} from 'n8n-core';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type ICredentialsHelper,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypeDescription,
	type INodeTypes,
	type IRun,
	type IRunExecutionData,
	type IVersionedNodeType,
	type IWebhookData,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
	NodeConnectionTypes,
	NodeHelpers,
} from 'n8n-workflow';

export const PACKAGE_ROOT = resolve(__dirname, '..', '..');
const packageJson = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
	name: string;
	n8n: { nodes: string[]; credentials: string[] };
};
export const PACKAGE_NAME = packageJson.name;

/** Maps `dist/x/Y.node.js` (as registered in package.json) to the TypeScript source. */
function sourceOf(distPath: string): string {
	return join(PACKAGE_ROOT, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
}

function instancesOf(modulePath: string): unknown[] {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const mod = require(modulePath) as Record<string, unknown>;
	return Object.values(mod)
		.filter((value): value is new () => unknown => typeof value === 'function')
		.map((Ctor) => {
			try {
				return new Ctor();
			} catch {
				return undefined;
			}
		})
		.filter((instance) => instance !== undefined);
}

// ---------------------------------------------------------------- test node types

class TestTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Trigger',
		name: 'trigger',
		group: ['trigger'],
		version: 1,
		description: 'Starts a test workflow',
		defaults: { name: 'Start' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [[{ json: {}, pairedItem: { item: 0 } }]];
	}
}

class TestItems implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Items',
		name: 'items',
		group: ['input'],
		version: 1,
		description: 'Emits fixed items',
		defaults: { name: 'Items' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	};
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNode().parameters.items;
		const items = (typeof raw === 'string' ? JSON.parse(raw) : raw) as IDataObject[];
		return [items.map((json) => ({ json, pairedItem: { item: 0 } }))];
	}
}

// ---------------------------------------------------------------- registries

type AnyNodeType = INodeType | IVersionedNodeType;

let nodeRegistry: Map<string, AnyNodeType> | undefined;
let credentialRegistry: Map<string, ICredentialType> | undefined;

function isNodeType(value: unknown): value is AnyNodeType {
	return typeof value === 'object' && value !== null && 'description' in value;
}
function isCredentialType(value: unknown): value is ICredentialType {
	return typeof value === 'object' && value !== null && 'name' in value && 'properties' in value;
}

export function nodeTypeRegistry(): Map<string, AnyNodeType> {
	if (nodeRegistry) return nodeRegistry;
	nodeRegistry = new Map();
	for (const distPath of packageJson.n8n.nodes) {
		for (const instance of instancesOf(sourceOf(distPath))) {
			if (isNodeType(instance))
				nodeRegistry.set(`${PACKAGE_NAME}.${instance.description.name}`, instance);
		}
	}
	nodeRegistry.set('test.trigger', new TestTrigger());
	nodeRegistry.set('test.items', new TestItems());
	return nodeRegistry;
}

/** Registers an extra node type (for example n8n-nodes-base's, loaded by path in benchmarks). */
export function registerNodeType(type: string, nodeType: AnyNodeType): void {
	nodeTypeRegistry().set(type, nodeType);
}

export function credentialTypeRegistry(): Map<string, ICredentialType> {
	if (credentialRegistry) return credentialRegistry;
	credentialRegistry = new Map();
	for (const distPath of packageJson.n8n.credentials) {
		for (const instance of instancesOf(sourceOf(distPath))) {
			if (isCredentialType(instance)) credentialRegistry.set(instance.name, instance);
		}
	}
	return credentialRegistry;
}

function fullType(type: string): string {
	return type.includes('.') ? type : `${PACKAGE_NAME}.${type}`;
}

const nodeTypes: INodeTypes = {
	getByName(type: string) {
		const nodeType = nodeTypeRegistry().get(type);
		if (!nodeType) throw new Error(`Unknown node type in test: ${type}`);
		return nodeType;
	},
	getByNameAndVersion(type: string, version?: number) {
		return NodeHelpers.getVersionedNodeType(this.getByName(type), version);
	},
	getKnownTypes() {
		return {};
	},
};

// ---------------------------------------------------------------- credentials

export type CredentialsMap = Record<string, ICredentialDataDecryptedObject>;

export function credentialsFor(type: string, data: ICredentialDataDecryptedObject): CredentialsMap {
	return { [type]: data };
}

function credentialDefaults(type: ICredentialType): ICredentialDataDecryptedObject {
	const defaults: ICredentialDataDecryptedObject = {};
	for (const property of type.properties) {
		if (property.default !== undefined) defaults[property.name] = property.default as never;
	}
	return defaults;
}

/** Resolves `={{ ... }}` expressions in a credential's generic auth / test request, like n8n's CredentialsHelper. */
function resolveWithCredentials(
	value: unknown,
	credentials: ICredentialDataDecryptedObject,
	workflow: Workflow,
	node: INode,
): unknown {
	if (typeof value === 'string' && value.startsWith('=')) {
		return workflow.expression.getParameterValue(value, null, 0, 0, node.name, [], 'internal', {
			$credentials: credentials,
		} as never);
	}
	if (Array.isArray(value))
		return value.map((v) => resolveWithCredentials(v, credentials, workflow, node));
	if (value && typeof value === 'object') {
		return Object.fromEntries(
			Object.entries(value).map(([k, v]) => [
				k,
				resolveWithCredentials(v, credentials, workflow, node),
			]),
		);
	}
	return value;
}

class TestCredentialsHelper implements ICredentialsHelper {
	constructor(private readonly data: CredentialsMap) {}

	private type(name: string): ICredentialType {
		const type = credentialTypeRegistry().get(name);
		if (!type) throw new Error(`Unknown credential type in test: ${name}`);
		return type;
	}

	getParentTypes(name: string): string[] {
		const parents = this.type(name).extends ?? [];
		return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const authenticate = this.type(typeName).authenticate;
		if (!authenticate) return requestOptions;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (!workflow || !node)
			throw new Error('Generic credential authentication needs the workflow and node');
		const properties = resolveWithCredentials(
			authenticate.properties,
			credentials,
			workflow,
			node,
		) as IDataObject;
		const merged: IHttpRequestOptions = { ...requestOptions };
		if (properties.headers)
			merged.headers = {
				...(requestOptions.headers ?? {}),
				...(properties.headers as IDataObject),
			};
		if (properties.qs)
			merged.qs = { ...(requestOptions.qs ?? {}), ...(properties.qs as IDataObject) };
		if (properties.body)
			merged.body = {
				...((requestOptions.body as IDataObject) ?? {}),
				...(properties.body as IDataObject),
			};
		if (properties.auth) merged.auth = properties.auth as IHttpRequestOptions['auth'];
		return merged;
	}

	async preAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async getCredentials(): Promise<never> {
		throw new Error('getCredentials is not available in tests: use getDecrypted');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: { id: string | null; name: string },
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.data[type];
		if (!data)
			throw new Error(
				`No test credentials of type ${type} (node credential "${nodeCredentials.name}")`,
			);
		return { ...credentialDefaults(this.type(type)), ...data };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string) {
		return this.type(type).properties;
	}
}

function additionalDataFor(
	credentials: CredentialsMap,
	hooks?: ExecutionLifecycleHooks,
): IWorkflowExecuteAdditionalData {
	// A plain object on purpose: n8n-core probes optional members, and a catch-all mock breaks it.
	return {
		credentialsHelper: new TestCredentialsHelper(credentials),
		hooks,
		executeWorkflow: async () => {
			throw new Error('Sub-workflows are not available in tests');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		currentNodeExecutionIndex: 0,
		executionId: 'test-execution',
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		formBaseUrl: 'http://127.0.0.1:5678/form',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		formTestBaseUrl: 'http://127.0.0.1:5678/form-test',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		mcpBaseUrl: 'http://127.0.0.1:5678/mcp',
		mcpTestBaseUrl: 'http://127.0.0.1:5678/mcp-test',
		variables: {},
		userId: 'test-user',
	} as unknown as IWorkflowExecuteAdditionalData;
}

function credentialRefs(credentials: CredentialsMap): INode['credentials'] {
	return Object.fromEntries(
		Object.keys(credentials).map((type) => [type, { id: `${type}-id`, name: `${type} (test)` }]),
	);
}

// ---------------------------------------------------------------- workflows

export interface WorkflowJson {
	id?: string;
	name?: string;
	nodes: INode[];
	connections: Workflow['connectionsBySourceNode'];
	settings?: IDataObject;
	staticData?: IDataObject;
}

/** One node of a `WorkflowJson`: `name` is also its id, type version 1 unless `extra` says. */
export function workflowNode(
	name: string,
	type: string,
	position: [number, number],
	parameters: IDataObject = {},
	extra: Partial<INode> = {},
): INode {
	return {
		id: name,
		name,
		type,
		typeVersion: 1,
		position,
		parameters: parameters as INode['parameters'],
		...extra,
	};
}

export interface WorkflowResult {
	status: IRun['status'];
	runData: IRunExecutionData['resultData']['runData'];
	error?: IDataObject;
	/** Items of a node's output (default the first run, first output). */
	output(nodeName: string, outputIndex?: number): INodeExecutionData[];
}

export async function runWorkflow(
	json: WorkflowJson,
	options: { credentials?: CredentialsMap; timezone?: string } = {},
): Promise<WorkflowResult> {
	const credentials = options.credentials ?? {};
	const nodes = json.nodes.map((node) => ({
		...node,
		type: node.type.startsWith('test.') ? node.type : fullType(node.type),
		credentials: node.credentials ?? credentialRefs(credentials),
	}));
	const workflow = new Workflow({
		id: json.id ?? 'test',
		name: json.name ?? 'test',
		nodes,
		connections: json.connections,
		nodeTypes,
		active: false,
		staticData: json.staticData,
		settings: {
			executionOrder: 'v1',
			timezone: options.timezone ?? 'Europe/Amsterdam',
			...(json.settings ?? {}),
		},
	});
	const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', {
		id: workflow.id,
		name: workflow.name,
		nodes,
		connections: json.connections,
		active: false,
		settings: {},
	} as never);
	const additionalData = additionalDataFor(credentials, hooks);

	const startNodes = nodes.filter((node) => {
		const description = NodeHelpers.getVersionedNodeType(
			nodeTypes.getByName(node.type),
			node.typeVersion,
		).description;
		return Array.isArray(description.inputs) && description.inputs.length === 0;
	});
	const runExecutionData: IRunExecutionData = {
		startData: {},
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			nodeExecutionStack: startNodes.map((node) => ({
				node,
				data: { main: [[{ json: {} }]] },
				source: null,
			})),
			waitingExecution: {},
			waitingExecutionSource: {},
		},
	} as unknown as IRunExecutionData;

	const execute = new WorkflowExecute(
		additionalData,
		'manual' as WorkflowExecuteMode,
		runExecutionData,
	);
	const run = await execute.processRunExecutionData(workflow);
	const runData = run.data.resultData.runData;
	const error = run.data.resultData.error as unknown as IDataObject | undefined;
	return {
		status: run.status,
		runData,
		error: error ? { ...error, message: (error as { message?: string }).message } : undefined,
		output(nodeName: string, outputIndex = 0) {
			return runData[nodeName]?.[0]?.data?.main?.[outputIndex] ?? [];
		},
	};
}

export interface NodeRunOptions {
	type: string;
	parameters?: INodeParameters;
	typeVersion?: number;
	credentials?: CredentialsMap;
	/** One array of items per input; defaults to one input with one empty item. */
	inputs?: IDataObject[][];
	timezone?: string;
	/** Node settings such as `continueOnFail: true` or `onError`. */
	settings?: Partial<INode>;
}

export interface NodeRunResult {
	status: IRun['status'];
	/** Items of each output of the node under test. */
	outputs: INodeExecutionData[][];
	error?: IDataObject & { message?: string; description?: string };
	runData: IRunExecutionData['resultData']['runData'];
}

export const NODE_UNDER_TEST = 'Node Under Test';

/** Runs one node with fixed items on each input, inside the real engine. */
export async function runNode(options: NodeRunOptions): Promise<NodeRunResult> {
	const type = fullType(options.type);
	const inputs = options.inputs ?? [[{}]];
	const nodes: INode[] = [
		{
			id: 'start',
			name: 'Start',
			type: 'test.trigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
	];
	const connections: WorkflowJson['connections'] = { Start: { main: [[]] } };
	inputs.forEach((items, index) => {
		const name = `Input ${index}`;
		nodes.push({
			id: `input-${index}`,
			name,
			type: 'test.items',
			typeVersion: 1,
			position: [200, index * 200],
			parameters: { items: JSON.stringify(items) },
		});
		connections.Start.main[0]!.push({ node: name, type: 'main', index: 0 });
		connections[name] = { main: [[{ node: NODE_UNDER_TEST, type: 'main', index }]] };
	});
	const nodeType = NodeHelpers.getVersionedNodeType(nodeTypes.getByName(type), options.typeVersion);
	const version =
		options.typeVersion ??
		(Array.isArray(nodeType.description.version)
			? Math.max(...nodeType.description.version)
			: nodeType.description.version);
	nodes.push({
		id: 'under-test',
		name: NODE_UNDER_TEST,
		type,
		typeVersion: version,
		position: [400, 0],
		parameters: options.parameters ?? {},
		...(options.settings ?? {}),
	});
	const result = await runWorkflow(
		{ nodes, connections },
		{ credentials: options.credentials, timezone: options.timezone },
	);
	const task = result.runData[NODE_UNDER_TEST]?.[0];
	const taskError = task?.error as unknown as
		| (IDataObject & { message?: string; description?: string })
		| undefined;
	return {
		status: result.status,
		outputs: task?.data?.main?.map((items) => items ?? []) ?? [],
		error: taskError ?? (result.error as NodeRunResult['error']),
		runData: result.runData,
	};
}

// ---------------------------------------------------------------- contexts

function singleNodeWorkflow(
	type: string,
	parameters: INodeParameters,
	credentials: CredentialsMap,
	staticData?: IDataObject,
	typeVersion?: number,
	timezone = 'Europe/Amsterdam',
): { workflow: Workflow; node: INode } {
	const fullName = fullType(type);
	const nodeType = NodeHelpers.getVersionedNodeType(nodeTypes.getByName(fullName), typeVersion);
	const version =
		typeVersion ??
		(Array.isArray(nodeType.description.version)
			? Math.max(...nodeType.description.version)
			: nodeType.description.version);
	const node: INode = {
		id: 'under-test',
		name: NODE_UNDER_TEST,
		type: fullName,
		typeVersion: version,
		position: [0, 0],
		parameters,
		credentials: credentialRefs(credentials),
		webhookId: 'test-webhook-id',
	};
	const workflow = new Workflow({
		id: 'test',
		name: 'test',
		nodes: [node],
		connections: {},
		nodeTypes,
		active: true,
		staticData,
		settings: { executionOrder: 'v1', timezone },
	});
	return { workflow, node };
}

export async function loadOptions(options: {
	type: string;
	method: string;
	parameters?: INodeParameters;
	credentials?: CredentialsMap;
	kind?: 'loadOptions' | 'listSearch';
	filter?: string;
}): Promise<unknown> {
	const credentials = options.credentials ?? {};
	const { workflow, node } = singleNodeWorkflow(
		options.type,
		options.parameters ?? {},
		credentials,
	);
	const additionalData = additionalDataFor(credentials);
	(additionalData as { currentNodeParameters?: INodeParameters }).currentNodeParameters =
		options.parameters ?? {};
	const context = new LoadOptionsContext(workflow, node, additionalData, '');
	const nodeType = NodeHelpers.getVersionedNodeType(
		nodeTypes.getByName(node.type),
		node.typeVersion,
	) as INodeType;
	const kind = options.kind ?? 'loadOptions';
	const method = (
		nodeType.methods?.[kind] as
			| Record<string, (this: unknown, ...args: unknown[]) => Promise<unknown>>
			| undefined
	)?.[options.method];
	if (!method) throw new Error(`Node ${node.type} has no ${kind} method ${options.method}`);
	return await method.call(context, options.filter);
}

export interface Poller {
	poll(): Promise<INodeExecutionData[][] | null>;
	/** The static data as n8n would have saved it after the last poll. */
	staticData: IDataObject;
	/**
	 * The static data as the last poll left it in memory, saved or not: also after a manual poll
	 * or one that threw (to check what a node wrote).
	 */
	memory: IDataObject;
	/** Simulates an n8n restart (or the next poll running on another worker): state comes back from JSON. */
	restart(): void;
}

export function createPoller(options: {
	type: string;
	parameters?: INodeParameters;
	credentials?: CredentialsMap;
	mode?: 'trigger' | 'manual';
	staticData?: IDataObject;
	timezone?: string;
}): Poller {
	const credentials = options.credentials ?? {};
	let saved: IDataObject = JSON.parse(JSON.stringify(options.staticData ?? {})) as IDataObject;
	let memory: IDataObject = saved;
	const poller: Poller = {
		get staticData() {
			return saved;
		},
		get memory() {
			return memory;
		},
		async poll() {
			const staticData = JSON.parse(JSON.stringify(saved)) as IDataObject;
			const { workflow, node } = singleNodeWorkflow(
				options.type,
				options.parameters ?? {},
				credentials,
				staticData,
				undefined,
				options.timezone,
			);
			const mode = options.mode ?? 'trigger';
			const context = new PollContext(
				workflow,
				node,
				additionalDataFor(credentials),
				mode,
				'activate',
			);
			const nodeType = NodeHelpers.getVersionedNodeType(
				nodeTypes.getByName(node.type),
				node.typeVersion,
			) as INodeType;
			if (!nodeType.poll) throw new Error(`Node ${node.type} has no poll()`);
			let result: INodeExecutionData[][] | null;
			try {
				result = await nodeType.poll.call(context);
			} finally {
				memory = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
			}
			// n8n persists static data only for production (trigger) executions.
			if (mode === 'trigger')
				saved = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
			return result;
		},
		restart() {
			saved = JSON.parse(JSON.stringify(saved)) as IDataObject;
		},
	};
	return poller;
}

export interface WebhookCall {
	type: string;
	parameters?: INodeParameters;
	credentials?: CredentialsMap;
	/** Raw request body as received on the wire. */
	rawBody: string | Buffer;
	headers?: Record<string, string>;
	query?: IDataObject;
	method?: string;
	/** Workflow static data before the call; it is updated in place like n8n does. */
	staticData?: IDataObject;
	mode?: 'trigger' | 'manual';
	webhookName?: string;
}

export interface WebhookCallResult {
	result: Awaited<ReturnType<NonNullable<INodeType['webhook']>>>;
	response: { status: number; body: unknown; headers: Record<string, string>; ended: boolean };
	staticData: IDataObject;
}

export async function callWebhook(call: WebhookCall): Promise<WebhookCallResult> {
	const credentials = call.credentials ?? {};
	const staticData = call.staticData ?? {};
	const { workflow, node } = singleNodeWorkflow(
		call.type,
		call.parameters ?? {},
		credentials,
		staticData,
	);
	const rawBody = Buffer.isBuffer(call.rawBody) ? call.rawBody : Buffer.from(call.rawBody, 'utf8');
	const headers = Object.fromEntries(
		Object.entries(call.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
	);
	let body: unknown = {};
	if ((headers['content-type'] ?? 'application/json').includes('json') && rawBody.length > 0) {
		try {
			body = JSON.parse(rawBody.toString('utf8'));
		} catch {
			body = {};
		}
	}
	// The shape n8n's webhook server hands a node: express's request with the raw body kept.
	const request = {
		method: call.method ?? 'POST',
		headers,
		body,
		rawBody,
		query: call.query ?? {},
		params: {},
	};
	const response = {
		status: 200,
		body: undefined as unknown,
		headers: {} as Record<string, string>,
		ended: false,
	};
	const res = {
		status(code: number) {
			response.status = code;
			return res;
		},
		setHeader(name: string, value: string) {
			response.headers[name.toLowerCase()] = value;
			return res;
		},
		header(name: string, value: string) {
			return res.setHeader(name, value);
		},
		send(payload?: unknown) {
			response.body = payload;
			response.ended = true;
			return res;
		},
		json(payload: unknown) {
			response.body = payload;
			response.ended = true;
			return res;
		},
		end(payload?: unknown) {
			if (payload !== undefined) response.body = payload;
			response.ended = true;
			return res;
		},
	};
	const additionalData = additionalDataFor(credentials);
	(additionalData as { httpRequest?: unknown }).httpRequest = request;
	(additionalData as { httpResponse?: unknown }).httpResponse = res;
	const webhookData = {
		httpMethod: call.method ?? 'POST',
		node: node.name,
		path: 'webhook',
		webhookDescription: {
			name: call.webhookName ?? 'default',
			httpMethod: 'POST',
			path: 'webhook',
		},
		workflowId: workflow.id,
		workflowExecuteAdditionalData: additionalData,
	} as unknown as IWebhookData;
	const context = new WebhookContext(
		workflow,
		node,
		additionalData,
		call.mode ?? 'trigger',
		webhookData,
		[],
		null,
	);
	const nodeType = NodeHelpers.getVersionedNodeType(
		nodeTypes.getByName(node.type),
		node.typeVersion,
	) as INodeType;
	if (!nodeType.webhook) throw new Error(`Node ${node.type} has no webhook()`);
	const result = await nodeType.webhook.call(context);
	return { result, response, staticData: workflow.staticData as IDataObject };
}

// ---------------------------------------------------------------- credential tests

export interface CredentialTestResult {
	ok: boolean;
	status: number;
	body: string;
}

/** Runs a credential type's `test.request` like n8n's credential tester: resolve, authenticate, send. */
export async function testCredential(
	type: string,
	data: ICredentialDataDecryptedObject,
): Promise<CredentialTestResult> {
	const credentialType = credentialTypeRegistry().get(type);
	if (!credentialType?.test) throw new Error(`Credential type ${type} has no test`);
	const credentials = { ...credentialDefaults(credentialType), ...data };
	const { workflow, node } = singleNodeWorkflow('test.trigger', {}, {});
	const request = resolveWithCredentials(
		credentialType.test.request,
		credentials,
		workflow,
		node,
	) as IHttpRequestOptions & { baseURL?: string };
	const helper = new TestCredentialsHelper({ [type]: credentials });
	const authenticated = await helper.authenticate(
		credentials,
		type,
		{ ...request, url: request.url ?? '' },
		workflow,
		node,
	);
	const url = new URL(`${(request.baseURL ?? '').replace(/\/$/, '')}${authenticated.url}`);
	for (const [key, value] of Object.entries(authenticated.qs ?? {}))
		url.searchParams.set(key, String(value));
	const headers: Record<string, string> = Object.fromEntries(
		Object.entries(authenticated.headers ?? {}).map(([k, v]) => [k, String(v)]),
	);
	if (authenticated.auth) {
		headers.Authorization = `Basic ${Buffer.from(`${authenticated.auth.username}:${authenticated.auth.password}`).toString('base64')}`;
	}
	const response = await fetch(url, {
		method: authenticated.method ?? 'GET',
		headers,
		body: authenticated.body ? JSON.stringify(authenticated.body) : undefined,
	});
	return { ok: response.ok, status: response.status, body: await response.text() };
}
