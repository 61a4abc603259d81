import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { readSettings } from './config';
import {
	dryRunProperty,
	modeProperty,
	noticeProperty,
	optionsProperty,
	railsProperty,
	scopeProperty,
} from './description/common.description';
import { peopleOptions, peopleProperties } from './description/people.description';
import { recordsProperties } from './description/records.description';
import { reconcile, ReconcileConfigError, type Plan } from './engine';
import {
	emptyOutputs,
	heldBackOutputs,
	OUTPUT_INDEX,
	OUTPUT_NAMES,
	PLAN_OUTPUTS,
	planOnlyOutputs,
	routedOutputs,
	summaryItem,
} from './outputs';

/** The items of one input; an input n8n left unset (nothing arrived on it) is empty. */
function inputRecords(ctx: IExecuteFunctions, index: number): IDataObject[] {
	let items: INodeExecutionData[];
	try {
		items = ctx.getInputData(index);
	} catch (error) {
		if (error instanceof Error && /not set|given index/i.test(error.message)) return [];
		throw new NodeOperationError(ctx.getNode(), error as Error);
	}
	return items.map((item) => item.json);
}

/**
 * Reconcile Users: HR employees (input 1) against the app's users (input 2) → a plan of
 * creates, updates, deactivations/removals, conflicts and what to create first.
 * A thin shell around the pure engine in ./engine (functional core, imperative shell): this
 * file reads parameters, calls `reconcile`, and routes the plan to the outputs.
 */
export class ReconcileUsers implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Reconcile Users',
		name: 'reconcileUsers',
		icon: {
			light: 'file:../../icons/reconcileUsers.svg',
			dark: 'file:../../icons/reconcileUsers.dark.svg',
		},
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ $parameter["mode"] === "records" ? "Records" : $parameter["source"] + " → " + $parameter["target"] }}',
		description: 'Plan joiners, movers and leavers from HR into an app’s users, safely',
		defaults: { name: 'Reconcile Users' },
		// Two inputs and a whole-dataset plan: not something an AI agent can call as a tool. The
		// lint rule wants the property declared; n8n's type only allows `true`, so it is unset.
		usableAsTool: undefined,
		inputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		inputNames: ['HR', 'App'],
		outputs: PLAN_OUTPUTS.map(() => NodeConnectionTypes.Main),
		outputNames: OUTPUT_NAMES,
		properties: [
			noticeProperty,
			modeProperty,
			scopeProperty,
			...peopleProperties,
			...recordsProperties,
			dryRunProperty,
			peopleOptions,
			optionsProperty,
			railsProperty,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const hr = inputRecords(this, 0);
		const app = inputRecords(this, 1);
		try {
			const settings = readSettings(this);
			let plan: Plan;
			try {
				plan = reconcile(hr, app, settings.config);
			} catch (error) {
				if (error instanceof ReconcileConfigError) {
					throw new NodeOperationError(this.getNode(), error.message, {
						description: error.hint,
						itemIndex: 0,
					});
				}
				throw new NodeOperationError(this.getNode(), error as Error, { itemIndex: 0 });
			}
			const summary = summaryItem(plan, {
				dryRun: settings.dryRun,
				timeZone: settings.config.timeZone ?? this.getTimezone(),
				hrCount: hr.length,
				appCount: app.length,
				onRailTrip: settings.onRailTrip,
			});
			// A dry run writes nothing, so a tripped rail shows in its summary instead of failing it.
			if (plan.blocked && settings.onRailTrip === 'fail' && !settings.dryRun) {
				throw new NodeOperationError(this.getNode(), plan.blocked.message, {
					description: plan.blocked.detail,
					itemIndex: 0,
				});
			}
			if (settings.dryRun || (plan.blocked && settings.onRailTrip === 'plan'))
				return planOnlyOutputs(plan, summary);
			return plan.blocked ? heldBackOutputs(plan, summary) : routedOutputs(plan, summary);
		} catch (error) {
			const nodeError =
				error instanceof NodeOperationError
					? error
					: new NodeOperationError(this.getNode(), error as Error, { itemIndex: 0 });
			if (!this.continueOnFail()) throw nodeError;
			// The error goes to the Plan output, never to an action output that would write.
			const outputs = emptyOutputs();
			outputs[OUTPUT_INDEX.plan] = [
				{
					json: {
						action: 'error',
						error: nodeError.message,
						description: nodeError.description ?? null,
					},
					pairedItem:
						hr.length > 0 ? { item: 0, input: 0 } : app.length > 0 ? { item: 0, input: 1 } : [],
				},
			];
			return outputs;
		}
	}
}
