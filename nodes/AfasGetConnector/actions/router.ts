import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { chooseOperation, runPerItem, type OperationTableOf } from '../../shared/execute';
import * as connector from './connector';
import type { AfasGetConnectorType } from './node.type';
import type { ExecutionState } from './utils';

const operations: OperationTableOf<AfasGetConnectorType, ExecutionState> = {
	connector: {
		getRows: connector.getRows,
		getFields: connector.getFields,
		getAll: connector.getAll,
	},
};

/**
 * Runs the chosen operation once per input item (parameters may differ per item); every output
 * item is paired with its input item. With "Continue On Fail", a failed item gives one error item
 * and no rows: never a partial list. Metainfo is read once per connector per execution.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const execute = chooseOperation(this, operations);
	const state: ExecutionState = { metaInfo: new Map() };
	return [await runPerItem(this, execute, state)];
}
