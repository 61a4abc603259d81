import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import * as connector from './connector';
import type { AfasGetConnectorType } from './node.type';
import type { ExecutionState, OperationExecute } from './utils';

const operations: Record<AfasGetConnectorType['resource'], Record<string, OperationExecute>> = {
	connector: {
		getRows: connector.getRows.execute,
		getFields: connector.getFields.execute,
		getAll: connector.getAll.execute,
	},
};

function errorItem(
	error: NodeApiError | NodeOperationError,
	itemIndex: number,
): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (error.description) json.description = error.description;
	if (error instanceof NodeApiError && error.httpCode) json.httpCode = error.httpCode;
	const reference = error.context.profitLogReference;
	if (typeof reference === 'string') json.profitLogReference = reference;
	return { json, pairedItem: { item: itemIndex } };
}

/**
 * Runs the chosen operation once per input item (parameters may differ per item) and pairs
 * every output item with its input item. With "Continue On Fail", a failed item gives one
 * error item and no rows: never a partial list.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as AfasGetConnectorType['resource'];
	const operation = this.getNodeParameter('operation', 0) as string;
	const execute = operations[resource]?.[operation];
	if (!execute) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of "${resource}" is not supported`,
		);
	}

	const state: ExecutionState = { metaInfo: new Map() };
	let returnData: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const output = await execute.call(this, itemIndex, state);
			// The first item's output (a fresh array) is taken as it is: a 50,000-row fetch is not copied again.
			if (returnData.length === 0) returnData = output;
			else for (const item of output) returnData.push(item);
		} catch (caught) {
			const error =
				caught instanceof NodeApiError || caught instanceof NodeOperationError
					? caught
					: new NodeOperationError(this.getNode(), caught as Error, { itemIndex });
			if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
			if (this.continueOnFail()) {
				returnData.push(errorItem(error, itemIndex));
				continue;
			}
			throw error;
		}
	}
	return [returnData];
}
