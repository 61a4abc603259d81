/**
 * The operation contract of the action nodes in this package (the layout of n8n's Discord v2
 * node): the node's `execute()` picks the operation from its Resource and Operation parameters
 * (chooseOperation) and runs it once per input item (runPerItem). An operation reads its
 * parameters at its item index and returns that item's output items, each with `pairedItem`.
 */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
} from 'n8n-workflow';

/**
 * One operation: runs for input item `itemIndex` with the state shared by the items of one run
 * (a cache, a session). Returns a new array of items, each paired with `itemIndex`.
 */
export type OperationExecute<S> = (
	this: IExecuteFunctions,
	itemIndex: number,
	state: S,
) => Promise<INodeExecutionData[]>;

/** resource → operation → the operation's module (its `execute`). */
export type OperationTable<S> = Record<
	string,
	Record<string, { execute: OperationExecute<S> } | undefined>
>;

/**
 * The operation table of a node whose resources and operations are listed in its `node.type.ts`
 * (`AllEntities<NodeMap>`): every operation listed there must have its module, and no other, so
 * the list and the table cannot drift apart.
 */
export type OperationTableOf<T extends { resource: string; operation: string }, S> = {
	[R in T['resource']]: {
		[O in Extract<T, { resource: R }>['operation']]: { execute: OperationExecute<S> };
	};
};

/**
 * The operation the node is set to (parameters `resource` and `operation`, read at item 0:
 * they cannot be expressions).
 * @throws NodeOperationError when the table has no such operation.
 */
export function chooseOperation<S>(
	context: IExecuteFunctions,
	table: OperationTable<S>,
): OperationExecute<S> {
	const resource = context.getNodeParameter('resource', 0) as string;
	const operation = context.getNodeParameter('operation', 0) as string;
	const operations = Object.prototype.hasOwnProperty.call(table, resource)
		? table[resource]
		: undefined;
	const chosen =
		operations && Object.prototype.hasOwnProperty.call(operations, operation)
			? operations[operation]
			: undefined;
	if (!chosen) {
		throw new NodeOperationError(
			context.getNode(),
			`The operation "${operation}" of "${resource}" is not supported`,
		);
	}
	return chosen.execute;
}

/** Output items for one input item, sharing one `pairedItem` object as n8n's own helpers do. */
export function itemsFor(itemIndex: number, jsons: IDataObject[]): INodeExecutionData[] {
	const pairedItem = { item: itemIndex };
	return jsons.map((json) => ({ json, pairedItem }));
}

/** Where addErrorItemDetails keeps the extra fields of an error item, in the error's context. */
const ERROR_ITEM_DETAILS = 'errorItemDetails';

/**
 * Extra fields for the Continue On Fail item of this error, next to `error`, `description` and
 * `httpCode` (for example AFAS' `profitLogReference`). Never put a secret here.
 */
export function addErrorItemDetails(
	error: NodeApiError | NodeOperationError,
	details: Record<string, string>,
): void {
	const known = error.context[ERROR_ITEM_DETAILS] as Record<string, string> | undefined;
	error.context[ERROR_ITEM_DETAILS] = { ...known, ...details };
}

/**
 * The Continue On Fail item of the per-item nodes (AFAS GetConnector, HiBob, SCIM 2.0), paired
 * with its input item:
 * - *On Error: Continue* (regular output): `{ error: message, description?, httpCode?, ...details }`;
 * - *On Error: Continue (using error output)*: `{ error: message, details: { description?,
 *   httpCode?, ...details } }`, the shape of n8n's HTTP Request node. n8n moves an item to the
 *   error output only when its JSON holds nothing but `error`, `message` and `details` (it then
 *   adds the input item's fields); any other item stays on the success output, where a failed
 *   write would pass for a done one.
 * Reconcile Users and Sync Audit run once per execution and build their own: `{ action: 'error',
 * error, description }` on the Plan output, `{ error, description }` on Needs Attention.
 */
function errorItem(
	error: NodeApiError | NodeOperationError,
	itemIndex: number,
	toErrorOutput: boolean,
): INodeExecutionData {
	const fields: IDataObject = {};
	const details = error.context[ERROR_ITEM_DETAILS];
	if (details && typeof details === 'object') Object.assign(fields, details);
	if (error.description) fields.description = error.description;
	if (error instanceof NodeApiError && error.httpCode) fields.httpCode = error.httpCode;
	if (toErrorOutput) {
		const json: IDataObject = { error: error.message };
		if (Object.keys(fields).length > 0) json.details = fields;
		return { json, pairedItem: { item: itemIndex } };
	}
	const json: IDataObject = {};
	if (details && typeof details === 'object') Object.assign(json, details);
	json.error = error.message;
	if (fields.description) json.description = fields.description;
	if (fields.httpCode) json.httpCode = fields.httpCode;
	return { json, pairedItem: { item: itemIndex } };
}

/** Any error thrown by an operation as a node error that names its item. */
function asNodeError(
	node: INode,
	caught: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	const error =
		caught instanceof NodeApiError || caught instanceof NodeOperationError
			? caught
			: new NodeOperationError(node, caught as Error, { itemIndex });
	if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
	return error;
}

/**
 * Runs `execute` once per input item, in order, and returns all output items. A failed item
 * throws (with its `itemIndex`), or with Continue On Fail gives one error item and no other
 * output: never a partial list for that item.
 * @throws NodeApiError | NodeOperationError of the first failed item, without Continue On Fail.
 */
export async function runPerItem<S>(
	context: IExecuteFunctions,
	execute: OperationExecute<S>,
	state: S,
): Promise<INodeExecutionData[]> {
	const count = context.getInputData().length;
	const toErrorOutput = context.getNode().onError === 'continueErrorOutput';
	let returnData: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		try {
			const output = await execute.call(context, itemIndex, state);
			// The first item's output (a new array) is taken as it is: 50,000 rows are not copied again.
			if (returnData.length === 0) returnData = output;
			else for (const item of output) returnData.push(item);
		} catch (caught) {
			const error = asNodeError(context.getNode(), caught, itemIndex);
			if (!context.continueOnFail()) throw error;
			returnData.push(errorItem(error, itemIndex, toErrorOutput));
		}
	}
	return returnData;
}
