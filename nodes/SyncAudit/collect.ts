/**
 * Reads a finished sync run out of the execution, the way n8n's own expressions do (the workflow
 * data proxy): the plan of every Reconcile Users node before Sync Audit, and the answers of every
 * write node connected to Sync Audit's Write Results input, each traced back to its plan item
 * through n8n's paired items (`$getPairedItem`, what `$('Reconcile Users').item` uses).
 *
 * Data structures: https://docs.n8n.io/data/data-structure/ ; paired items:
 * https://docs.n8n.io/data/data-mapping/data-item-linking/
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IPairedItemData,
	ISourceData,
} from 'n8n-workflow';

import { OUTPUT_NAMES } from '../ReconcileUsers/outputs';
import { describeFailure, existsAlreadyAnswer } from './audit/failure';
import type { PlanItemJson, PlanSummaryJson, Step, WriteResult } from './audit/types';

/** The node type name of Reconcile Users (its full type is `<package>.reconcileUsers`). */
const RECONCILE_TYPE = /\.reconcileUsers$/;

/** A Reconcile Users output's index, by the name the editor shows. */
const output = (name: string): number => OUTPUT_NAMES.indexOf(name);
const PLAN_OUTPUT = output('Plan');
/** The outputs whose items are writes: Create, Update, Deactivate/Remove, Create First. */
const ACTION_OUTPUTS = new Set(
	['Create First', 'Create', 'Update', 'Deactivate/Remove'].map(output),
);
/** Every output in the order its operations are made (create first … conflicts, then the plan). */
const PLAN_ORDER = [
	...ACTION_OUTPUTS,
	...OUTPUT_NAMES.map((_, index) => index).filter(
		(index) => !ACTION_OUTPUTS.has(index) && index !== PLAN_OUTPUT,
	),
	PLAN_OUTPUT,
];

/** The part of n8n's workflow data proxy this module uses. */
interface NodeData {
	isExecuted: boolean;
	all(branchIndex?: number, runIndex?: number): Array<INodeExecutionData | IDataObject>;
	params: IDataObject;
}
interface DataProxy {
	$(nodeName: string): NodeData;
	$node: Record<string, { runIndex: number }>;
	$getPairedItem(
		destinationNodeName: string,
		incomingSourceData: ISourceData,
		pairedItem: IPairedItemData,
	): INodeExecutionData | null;
}

/** A write node's answers, by the triple n8n uses to name an output of one run. */
export interface WriteSource {
	node: string;
	run: number;
	output: number;
}

/** `node|run|output`, the key under which a source's answers are remembered as read. */
export const sourceKey = (source: WriteSource): string =>
	`${source.node}|${source.run}|${source.output}`;

/** n8n's workflow data proxy of this run (what expressions see), typed as far as it is used here. */
export function dataProxy(context: IExecuteFunctions): DataProxy {
	return context.getWorkflowDataProxy(0) as unknown as DataProxy;
}

/** The JSON of an item as `$().all()` returns it (whole items, or JSON in combined binary mode). */
function jsonOf(entry: INodeExecutionData | IDataObject): IDataObject {
	return typeof entry.json === 'object' && entry.json !== null
		? (entry.json as IDataObject)
		: (entry as IDataObject);
}

/** Whether a node type (`<package>.<name>`) is Reconcile Users. */
export function isReconcileNode(type: string): boolean {
	return RECONCILE_TYPE.test(type);
}

/** How many runs a node has in this execution (0 when it did not run). */
function runCount(proxy: DataProxy, nodeName: string): number {
	return proxy.$(nodeName).isExecuted ? proxy.$node[nodeName].runIndex + 1 : 0;
}

/** The items of each output of one run of a node, up to its last output. */
function runOutputs(proxy: DataProxy, nodeName: string, run: number): INodeExecutionData[][] {
	const outputs: INodeExecutionData[][] = [];
	for (let output = 0; output < 16; output++) {
		try {
			outputs.push(proxy.$(nodeName).all(output, run) as INodeExecutionData[]);
		} catch {
			break;
		}
	}
	return outputs;
}

/** The Reconcile Users nodes that ran before `nodeName`, earlier steps first. */
export function reconcileSteps(context: IExecuteFunctions, nodeName: string): string[] {
	const proxy = dataProxy(context);
	const ancestors = context.getParentNodes(nodeName);
	const steps = ancestors
		.filter((node) => isReconcileNode(node.type) && !node.disabled && proxy.$(node.name).isExecuted)
		.map((node) => node.name);
	const before = new Map(
		steps.map((name) => [name, new Set(context.getParentNodes(name).map((node) => node.name))]),
	);
	return steps.sort((a, b) => (before.get(b)!.has(a) ? -1 : before.get(a)!.has(b) ? 1 : 0));
}

/**
 * The outputs of a Reconcile Users run that feed a node which ran: each direct child's first
 * answer of each run is traced back to the output it came from. Undefined when that cannot be
 * told (a child that ran and answered nothing), so that no operation is left out on a guess.
 */
function connectedOutputs(
	context: IExecuteFunctions,
	step: string,
	outputs: INodeExecutionData[][],
): Set<number> | undefined {
	const proxy = dataProxy(context);
	const outputOf = new Map<object, number>();
	outputs.forEach((items, output) => items.forEach((item) => outputOf.set(jsonOf(item), output)));
	const self = context.getNode().name;
	const connected = new Set<number>();
	const children = context
		.getChildNodes(step)
		.filter((child) => child.name !== self && !child.disabled && proxy.$(child.name).isExecuted)
		.filter((child) =>
			context.getParentNodes(child.name, { depth: 1 }).some((parent) => parent.name === step),
		);
	for (const child of children)
		for (let run = 0; run < runCount(proxy, child.name); run++) {
			const answers = runOutputs(proxy, child.name, run);
			const output = answers.findIndex((items) => items.length > 0);
			if (output < 0) return undefined;
			const source = { node: child.name, run, output };
			const planItem = tracedPlanItem(proxy, step, source, 0);
			const from = planItem ? outputOf.get(planItem) : undefined;
			if (from === undefined) return undefined;
			connected.add(from);
		}
	return connected;
}

/** One Reconcile Users node's plan (its last run), as the audit reads it. */
export function readStep(context: IExecuteFunctions, name: string): Step {
	const proxy = dataProxy(context);
	const node = proxy.$(name);
	const run = runCount(proxy, name) - 1;
	const outputs = runOutputs(proxy, name, run);
	const connected = connectedOutputs(context, name, outputs);
	const planJson = (outputs[PLAN_OUTPUT] ?? []).map(jsonOf);
	const summary = planJson.find((json) => json.action === 'summary') as PlanSummaryJson | undefined;
	const params = node.params ?? {};
	const mode = (summary?.mode ?? params.mode) === 'records' ? 'records' : 'people';
	const step: Step = {
		name,
		mode,
		dryRun: summary?.dryRun === true,
		blocked: summary?.blocked ?? null,
		items: [],
	};
	if (mode === 'records')
		step.recordKey = String(params.appKeyField ?? 'externalId').trim() || 'externalId';
	const errorItem = planJson.find((json) => json.action === 'error');
	if (!summary && errorItem) step.error = String(errorItem.error ?? 'Reconcile Users failed');
	for (const output of PLAN_ORDER) {
		const items = outputs[output] ?? [];
		if (ACTION_OUTPUTS.has(output) && items.length > 0 && connected && !connected.has(output)) {
			step.notConnected = { ...step.notConnected, [OUTPUT_NAMES[output]]: items.length };
			continue;
		}
		for (const entry of items) {
			const json = jsonOf(entry) as PlanItemJson;
			if (json.action === 'summary' || json.action === 'error') continue;
			step.items.push(json);
			if (ACTION_OUTPUTS.has(output)) (step.sent ??= new Set()).add(json);
		}
	}
	return step;
}

/** The Reconcile Users nodes above `nodeName`, nearest first (breadth first). */
function stepsAbove(context: IExecuteFunctions, nodeName: string): string[] {
	const steps: string[] = [];
	let level = [nodeName];
	const seen = new Set(level);
	while (level.length > 0) {
		const next: string[] = [];
		for (const name of level)
			for (const parent of context.getParentNodes(name, { depth: 1 })) {
				if (seen.has(parent.name)) continue;
				seen.add(parent.name);
				if (isReconcileNode(parent.type)) steps.push(parent.name);
				next.push(parent.name);
			}
		level = next;
	}
	return steps;
}

/** The keys of an error item on a regular output: n8n's, and this package's nodes' (Continue). */
const ERROR_ITEM_KEYS = new Set([
	'error',
	'message',
	'details',
	'description',
	'httpCode',
	'profitLogReference',
]);

/** Whether an item on a write node's output is n8n's error item for a failed write. */
function isFailure(item: INodeExecutionData, output: number): boolean {
	if (item.error) return true;
	const error = item.json?.error;
	if (error === undefined || error === null) return false;
	return output > 0 || Object.keys(item.json).every((key) => ERROR_ITEM_KEYS.has(key));
}

/**
 * The keys that identify what a create makes, for telling "exists already" from other refusals:
 * the external ID in its payload and, for people, in the HR record. None for other actions.
 */
function createdKeys(planItem: PlanItemJson): string[] {
	if (!planItem.action.startsWith('create')) return [];
	const keys = [planItem.payload?.externalId, planItem.hr?.externalId];
	return keys
		.filter((key): key is string | number => ['string', 'number'].includes(typeof key))
		.map(String);
}

/** A write node's answer to `planItem` as a WriteResult. */
function writeResult(
	item: INodeExecutionData,
	output: number,
	planItem: PlanItemJson,
): WriteResult {
	if (!isFailure(item, output)) {
		const id = item.json?.id;
		return {
			ok: true,
			status: null,
			message: null,
			appId: typeof id === 'string' || typeof id === 'number' ? String(id) : null,
		};
	}
	const { status, message } = describeFailure(item.json ?? {}, item.error);
	const existsAlready = existsAlreadyAnswer(status, message, createdKeys(planItem));
	return { ok: false, status, message, appId: null, existsAlready };
}

export interface CollectedResults {
	/** Write results per plan item (the plan items' JSON objects as `readStep` returns them). */
	byPlanItem: Map<PlanItemJson, WriteResult[]>;
	/** Every write-node output read, so later deliveries can be checked against it. */
	read: WriteSource[];
	/** Answers that could not be traced back to a plan item (missing paired items). */
	untraced: number;
}

/** One answer for a plan item, the write node that gave it and the node's run. */
interface Answer {
	node: string;
	run: number;
	/** Read from a node between Reconcile Users and the Write Results input (failures only). */
	between: boolean;
	result: WriteResult;
}

/**
 * The answers that count for one operation. A write that was retried has several answers: the
 * failure and the retry's. The retry is either the same write node run again (a loop from its
 * error output back to its input) or another node after it. So an answer is replaced by an
 * answer of a later run of the same node, or of a node downstream of it (and not also upstream,
 * as in a loop): a retried write counts as its retry went. A failure read from a node between
 * Reconcile Users and the Write Results input is replaced only by a later run of that node: the
 * nodes after it pass its items on (a Set that drops the error), they do not retry them.
 * `downstream(node)` gives the names of every node after `node`.
 */
function countingAnswers(answers: Answer[], downstream: (node: string) => Set<string>): Answer[] {
	if (answers.length < 2) return answers;
	const replaces = (later: Answer, earlier: Answer) =>
		later.node === earlier.node
			? later.run > earlier.run
			: !earlier.between &&
				downstream(earlier.node).has(later.node) &&
				!downstream(later.node).has(earlier.node);
	return answers.filter((answer) => !answers.some((other) => replaces(other, answer)));
}

/**
 * The nodes on the way from a Reconcile Users output to the nodes on the Write Results input
 * (their ancestors below a Reconcile Users node, except those that feed a later Reconcile Users
 * node): a write node whose answers pass through a Set node before they reach Sync Audit is one.
 * Only their failures are read: a Set node that keeps only some fields drops the error.
 */
function nodesBetween(context: IExecuteFunctions, writeNodes: string[]): string[] {
	const direct = new Set(writeNodes);
	const ancestors = writeNodes.flatMap((node) => context.getParentNodes(node));
	const feedsStep = new Set(
		ancestors
			.filter((node) => isReconcileNode(node.type))
			.flatMap((step) => context.getParentNodes(step.name).map((node) => node.name)),
	);
	const between = ancestors.filter(
		(node) =>
			!direct.has(node.name) &&
			!node.disabled &&
			!isReconcileNode(node.type) &&
			!feedsStep.has(node.name) &&
			stepsAbove(context, node.name).length > 0,
	);
	return [...new Set(between.map((node) => node.name))];
}

/**
 * The answers of the write nodes (every output of every run), each traced back to the plan item
 * it answers, and the failures of the nodes between them and Reconcile Users (`nodesBetween`).
 * `writeNodes` are the nodes connected to the Write Results input. An answer of a node downstream
 * of another's replaces it (see `countingAnswers`).
 */
export function collectResults(context: IExecuteFunctions, writeNodes: string[]): CollectedResults {
	const answers = new Map<PlanItemJson, Answer[]>();
	const collected: CollectedResults = { byPlanItem: new Map(), read: [], untraced: 0 };
	for (const node of writeNodes) collectNode(context, collected, answers, node, false);
	for (const node of nodesBetween(context, writeNodes))
		collectNode(context, collected, answers, node, true);
	const children = new Map<string, Set<string>>();
	const downstream = (node: string) => {
		let names = children.get(node);
		if (!names) {
			names = new Set(context.getChildNodes(node).map((child) => child.name));
			children.set(node, names);
		}
		return names;
	};
	for (const [planItem, itemAnswers] of answers)
		collected.byPlanItem.set(
			planItem,
			countingAnswers(itemAnswers, downstream).map((answer) => answer.result),
		);
	return collected;
}

/**
 * Reads every output of every run of one node into `answers`, by plan item (with `between`, only
 * its failures: a node between Reconcile Users and the Write Results input).
 */
function collectNode(
	context: IExecuteFunctions,
	collected: CollectedResults,
	answers: Map<PlanItemJson, Answer[]>,
	node: string,
	between: boolean,
): void {
	const proxy = dataProxy(context);
	const steps = stepsAbove(context, node);
	for (let run = 0; run < runCount(proxy, node); run++) {
		runOutputs(proxy, node, run).forEach((items, output) => {
			if (items.length === 0) return;
			const source = { node, run, output };
			if (!between) collected.read.push(source);
			items.forEach((item, index) => {
				if (between && !isFailure(item, output)) return;
				let planItem: PlanItemJson | null = null;
				for (const step of steps) {
					planItem = tracedPlanItem(proxy, step, source, index);
					if (planItem) break;
				}
				if (!planItem) {
					collected.untraced++;
					return;
				}
				const itemAnswers = answers.get(planItem) ?? [];
				itemAnswers.push({ node, run, between, result: writeResult(item, output, planItem) });
				answers.set(planItem, itemAnswers);
			});
		});
	}
}

/** The plan item (JSON object of the Reconcile Users output) an answer pairs back to, or null. */
function tracedPlanItem(
	proxy: DataProxy,
	step: string,
	source: WriteSource,
	index: number,
): PlanItemJson | null {
	try {
		const item = proxy.$getPairedItem(
			step,
			{ previousNode: source.node, previousNodeRun: source.run, previousNodeOutput: source.output },
			{ item: index },
		);
		return item ? (jsonOf(item) as PlanItemJson) : null;
	} catch {
		return null;
	}
}
