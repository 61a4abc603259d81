import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type ISourceData,
} from 'n8n-workflow';

import { runReport } from './audit/report';
import { stepRows } from './audit/rows';
import type { FailureStreaks, RunContext, RunRow } from './audit/types';
import {
	collectResults,
	isReconcileNode,
	readStep,
	reconcileSteps,
	sourceKey,
	type WriteSource,
} from './collect';
import { properties } from './description';

const PLAN_INPUT = 0;
const RESULTS_INPUT = 1;

/** What Sync Audit remembers during one execution (n8n's node context, kept per execution). */
interface AuditContext {
	reported?: boolean;
	/** `node|run|output` of every write-node output the report read. */
	read?: string[];
}

/** The items of one input; an input n8n left unset (nothing arrived on it) is empty. */
function inputItems(context: IExecuteFunctions, index: number): INodeExecutionData[] {
	try {
		return context.getInputData(index);
	} catch {
		return [];
	}
}

function inputSource(context: IExecuteFunctions, index: number): ISourceData | null {
	try {
		return context.getInputSourceData(index) ?? null;
	} catch {
		return null;
	}
}

/** Who, when, where: the same for every row of this run. */
function runContext(context: IExecuteFunctions): RunContext {
	const text = (name: string) => {
		const value = String(context.getNodeParameter(name, 0, '') ?? '').trim();
		return value === '' ? null : value;
	};
	return {
		time: new Date().toISOString(),
		workflow: context.getWorkflow().name ?? '',
		executionId: context.getExecutionId(),
		hrSystem: text('hrSystem'),
		app: text('app'),
	};
}

/** The nodes on the Write Results input: every direct parent except the Plan input's and Reconcile Users. */
function writeNodes(context: IExecuteFunctions, planFeeder: string | undefined): string[] {
	return context
		.getParentNodes(context.getNode().name, { depth: 1 })
		.filter((node) => !node.disabled && node.name !== planFeeder && !isReconcileNode(node.type))
		.map((node) => node.name);
}

/** Whether two sets of failure streaks hold the same counts for the same people. */
function sameStreaks(a: FailureStreaks, b: FailureStreaks): boolean {
	const keys = Object.keys(a);
	return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/** Saves the run's outcome and counts as the execution's custom data (as the Execution Data node does). */
function tagExecution(context: IExecuteFunctions, run: RunRow): void {
	context.customData.setAll({
		hr_sync_outcome: run.outcome,
		hr_sync_done: String(run.done),
		hr_sync_failed: String(run.failed),
		hr_sync_attention: String(run.attention),
	});
}

/**
 * Sync Audit: after a sync run has written, turns Reconcile Users' plan and the write nodes'
 * answers into one audit row per operation (done, failed with the app's status and message,
 * skipped in a dry run, or needing attention) and one run report, for n8n Data table nodes to
 * store and a notification node to send.
 */
export class SyncAudit implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sync Audit',
		name: 'syncAudit',
		icon: { light: 'file:../../icons/syncAudit.svg', dark: 'file:../../icons/syncAudit.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ [$parameter["hrSystem"], $parameter["app"]].filter(Boolean).join(" → ") }}',
		description: 'Audit rows and a run report from a Reconcile Users plan and the writes it led to',
		defaults: { name: 'Sync Audit' },
		// It reads a whole finished run: not something an AI agent can call as a tool. The lint
		// rule wants the property declared; n8n's type only allows `true`, so it is unset.
		usableAsTool: undefined,
		inputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		inputNames: ['Plan', 'Write Results'],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Audit Rows', 'Run Report', 'Needs Attention'],
		properties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		try {
			const state = this.getContext('node') as AuditContext;
			if (inputItems(this, PLAN_INPUT).length === 0) {
				checkLateResults(this, state);
				return [[], [], []];
			}
			if (state.reported)
				throw new NodeOperationError(
					this.getNode(),
					'The Plan input of Sync Audit received items twice in one run',
					{
						description:
							'Connect the Plan output of one Reconcile Users node (the last one, when the workflow has several steps) to the Plan input: Sync Audit reads the plans of every Reconcile Users node before it.',
					},
				);
			return report(this, state);
		} catch (error) {
			const nodeError =
				error instanceof NodeOperationError
					? error
					: new NodeOperationError(this.getNode(), error as Error);
			if (!this.continueOnFail()) throw nodeError;
			const json: IDataObject = {
				error: nodeError.message,
				description: nodeError.description ?? null,
			};
			return [[], [], [{ json, pairedItem: { item: 0, input: PLAN_INPUT } }]];
		}
	}
}

/** The report run: reads the plans and the write results, outputs rows, report and alert. */
function report(context: IExecuteFunctions, state: AuditContext): INodeExecutionData[][] {
	const planFeeder = inputSource(context, PLAN_INPUT)?.previousNode;
	const steps = reconcileSteps(context, context.getNode().name).map((name) =>
		readStep(context, name),
	);
	if (steps.length === 0)
		throw new NodeOperationError(
			context.getNode(),
			'No Reconcile Users node ran before Sync Audit',
			{
				description:
					'Connect the Plan output of Reconcile Users (through the Data table nodes that create the audit tables) to the Plan input of Sync Audit.',
			},
		);
	const collected = collectResults(context, writeNodes(context, planFeeder));
	state.reported = true;
	state.read = collected.read.map(sourceKey);
	const runInfo = runContext(context);
	const rows = steps.flatMap((step) => stepRows(runInfo, step, collected.byPlanItem));
	const stored = context.getWorkflowStaticData('node') as { failureStreaks?: FailureStreaks };
	const { run, streaks } = runReport(runInfo, steps, rows, stored.failureStreaks ?? {});
	// Written only when they changed: n8n saves a workflow's static data whole after a run that
	// changed it, which would put back the HiBob Trigger's remembered deliveries as this run
	// loaded them and forget deliveries remembered by runs that started in the meantime.
	if (!sameStreaks(stored.failureStreaks ?? {}, streaks)) stored.failureStreaks = streaks;
	if (collected.untraced > 0)
		run.summary += `\n${collected.untraced} write answers could not be traced back to Reconcile Users (a node between them drops the item pairing) and are not in the audit.`;
	const options = context.getNodeParameter('options', 0, {}) as { tagExecution?: boolean };
	if (options.tagExecution !== false) tagExecution(context, run);
	const paired = { item: 0, input: PLAN_INPUT };
	const toItem = (json: object): INodeExecutionData => ({
		json: json as IDataObject,
		pairedItem: paired,
	});
	const attention = ['blocked', 'failed', 'needs attention'].includes(run.outcome);
	return [rows.map(toItem), [toItem(run)], attention ? [toItem(run)] : []];
}

/**
 * A delivery on Write Results without a plan: n8n hands Sync Audit each further batch of write
 * results separately once nothing else is left to run. Fine when the report already read it;
 * an error when it came later (a write node that ran after the report) or no plan ever came.
 */
function checkLateResults(context: IExecuteFunctions, state: AuditContext): void {
	const source = inputSource(context, RESULTS_INPUT);
	if (!source) return;
	const sourceNode = context
		.getParentNodes(context.getNode().name, { depth: 1 })
		.find((node) => node.name === source.previousNode);
	if (sourceNode && isReconcileNode(sourceNode.type)) return;
	if (!state.reported)
		throw new NodeOperationError(
			context.getNode(),
			'Sync Audit received write results, but nothing arrived on its Plan input',
			{
				description:
					'Connect the Plan output of Reconcile Users, through the Data table nodes that create the audit tables, to the Plan input of Sync Audit.',
			},
		);
	const key = sourceKey({
		node: source.previousNode,
		run: source.previousNodeRun ?? 0,
		output: source.previousNodeOutput ?? 0,
	} satisfies WriteSource);
	if (!(state.read ?? []).includes(key))
		throw new NodeOperationError(
			context.getNode(),
			`Sync Audit made its report before "${source.previousNode}" had written, so those writes are not in the audit`,
			{
				description:
					'n8n runs the nodes connected to one output top to bottom (by their place on the canvas). Move the first node on the Plan output of Reconcile Users below every node that writes to the app.',
			},
		);
}
