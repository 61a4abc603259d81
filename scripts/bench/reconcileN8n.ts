/**
 * Runs a two-input node (Reconcile Users, n8n's Compare Datasets) in n8n-core's WorkflowExecute
 * through the test harness (test/helpers/n8n.ts) on prepared items, and times three spans of
 * each run:
 * - `workflow`: the whole run of Start → HR Items and App Items → the node;
 * - `node`: the node as n8n runs it, the span WorkflowExecute reports as the node's execution
 *   time: from the task's start (before it copies the input items to add their pairedItem
 *   lineage) to its task data (after the output's pairedItem check);
 * - `execute`: the node's own `execute` inside that (reading parameters and inputs, planning,
 *   building the output items).
 *
 * The input items come from a bench node type that hands over prepared JSON objects, as an
 * HTTP or AFAS node hands over parsed responses (the harness's own input node parses a JSON
 * parameter on every run, which would dwarf what is measured).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { type Clock, type Sample, startClock } from './reconcileTiming';

type Harness = typeof import('../../test/helpers/n8n');

/** The name of the measured node in the bench workflow. */
export const NODE_NAME = 'Node Under Test';

/** The prepared inputs, by dataset name (the bench node's one parameter). */
const DATASETS = new Map<string, IDataObject[]>();

class BenchItems implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bench Items',
		name: 'benchItems',
		group: ['input'],
		version: 1,
		description: 'Emits a prepared list of JSON objects as items',
		defaults: { name: 'Bench Items' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Dataset', name: 'dataset', type: 'string', default: '' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const name = this.getNode().parameters.dataset as string;
		const items = DATASETS.get(name);
		if (!items) throw new Error(`No bench dataset "${name}"`);
		const out: INodeExecutionData[] = new Array(items.length);
		for (let i = 0; i < items.length; i++) out[i] = { json: items[i], pairedItem: { item: 0 } };
		return [out];
	}
}

/** The spans of one node run, in ms. */
export interface NodeRun {
	outputs: INodeExecutionData[][];
	samples: { workflow: Sample; node: Sample; execute: Sample };
}

let harness: Harness | undefined;
let spanClock: Clock | undefined;
let lastSpan: Sample | undefined;
let executeClock: Clock | undefined;
let lastExecute: Sample | undefined;
const wrapped = new WeakSet<object>();

/**
 * Times the node under test's task inside WorkflowExecute by wrapping the two steps that
 * open and close it (n8n-core 2.40's `createTaskStartedData` and `createTaskData`).
 */
function timeTasks(core: typeof import('n8n-core')): void {
	type Step = (this: unknown, ...args: unknown[]) => unknown;
	const proto = core.WorkflowExecute.prototype as unknown as Record<string, Step>;
	const open = proto.createTaskStartedData;
	const close = proto.createTaskData;
	if (typeof open !== 'function' || typeof close !== 'function')
		throw new Error(
			'n8n-core changed: WorkflowExecute has no createTaskStartedData/createTaskData',
		);
	proto.createTaskStartedData = function (this: unknown, ...args: unknown[]) {
		const { node } = args[0] as { node: INode };
		if (node.name === NODE_NAME) spanClock = startClock();
		return open.apply(this, args);
	};
	proto.createTaskData = function (this: unknown, ...args: unknown[]) {
		const result = close.apply(this, args);
		const { node } = args[1] as { node: INode };
		if (node.name === NODE_NAME && spanClock) {
			lastSpan = spanClock.stop();
			spanClock = undefined;
		}
		return result;
	};
}

/** Loads the harness (n8n-core's settings kept out of $HOME) and the bench node type. */
export async function loadHarness(): Promise<Harness> {
	if (harness) return harness;
	process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'hr-sync-bench-'));
	harness = await import('../../test/helpers/n8n');
	timeTasks(await import('n8n-core'));
	harness.registerNodeType('bench.items', new BenchItems());
	return harness;
}

/** Wraps the `execute` of a node type (at a version) once, to time it. */
async function timeExecute(type: string, typeVersion: number): Promise<void> {
	const { nodeTypeRegistry } = await loadHarness();
	const { NodeHelpers } = await import('n8n-workflow');
	const nodeType = NodeHelpers.getVersionedNodeType(nodeTypeRegistry().get(type)!, typeVersion);
	if (wrapped.has(nodeType)) return;
	const execute = nodeType.execute!;
	nodeType.execute = async function (this: IExecuteFunctions) {
		executeClock = startClock();
		try {
			return await execute.call(this);
		} finally {
			lastExecute = executeClock.stop();
		}
	} as typeof execute;
	wrapped.add(nodeType);
}

/** One run of a node in n8n's engine: the node, its parameters, and its HR and App inputs. */
export interface NodeRunOptions {
	/** Full type name, e.g. `n8n-nodes-hr-sync.reconcileUsers`. */
	type: string;
	typeVersion: number;
	parameters: IDataObject;
	hr: IDataObject[];
	app: IDataObject[];
}

function workflowOf(options: NodeRunOptions): Parameters<Harness['runWorkflow']>[0] {
	const node = (name: string, type: string, parameters: IDataObject, x: number, y = 0): INode => ({
		id: name,
		name,
		type,
		typeVersion: type === options.type ? options.typeVersion : 1,
		position: [x, y],
		parameters: parameters as INode['parameters'],
	});
	return {
		nodes: [
			node('Start', 'test.trigger', {}, 0),
			node('HR Items', 'bench.items', { dataset: 'hr' }, 200),
			node('App Items', 'bench.items', { dataset: 'app' }, 200, 200),
			node(NODE_NAME, options.type, options.parameters, 400),
		],
		connections: {
			Start: {
				main: [
					[
						{ node: 'HR Items', type: 'main', index: 0 },
						{ node: 'App Items', type: 'main', index: 0 },
					],
				],
			},
			'HR Items': { main: [[{ node: NODE_NAME, type: 'main', index: 0 }]] },
			'App Items': { main: [[{ node: NODE_NAME, type: 'main', index: 1 }]] },
		},
	};
}

/** Runs the node once in WorkflowExecute; throws when it fails. */
export async function runNodeInN8n(options: NodeRunOptions): Promise<NodeRun> {
	const { runWorkflow } = await loadHarness();
	await timeExecute(options.type, options.typeVersion);
	DATASETS.set('hr', options.hr);
	DATASETS.set('app', options.app);
	lastSpan = lastExecute = undefined;
	const clock = startClock();
	const result = await runWorkflow(workflowOf(options));
	const workflow = clock.stop();
	DATASETS.clear();
	const task = result.runData[NODE_NAME]?.[0];
	if (result.status !== 'success' || !task || task.error)
		throw new Error(
			`${NODE_NAME} (${options.type}) failed: ${String(task?.error?.message ?? result.error?.message ?? result.status)}`,
		);
	if (!lastSpan || !lastExecute) throw new Error('The node run was not timed');
	const outputs = (task.data?.main ?? []).map((items) => items ?? []);
	return { outputs, samples: { workflow, node: lastSpan, execute: lastExecute } };
}
