import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { itemsFor } from '../../../shared/execute';
import { returnAllOrLimit } from '../../../shared/properties';
import { listGetConnectors } from '../../transport';
import { afasOptions } from '../common.description';
import { retryPolicyFrom, type ExecutionState, type RequestOptionValues } from '../utils';

const properties: INodeProperties[] = [...returnAllOrLimit(true), afasOptions()];

const displayOptions = { show: { resource: ['connector'], operation: ['getAll'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/**
 * One item per GetConnector the token may use (`GET /metainfo`): `{ id, description }`.
 * @throws NodeApiError when AFAS cannot be read.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	_state: ExecutionState,
): Promise<INodeExecutionData[]> {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, true) as boolean;
	const options = this.getNodeParameter('options', itemIndex, {}) as RequestOptionValues;
	const connectors = await listGetConnectors.call(this, itemIndex, retryPolicyFrom(options));
	const limited = returnAll
		? connectors
		: connectors.slice(0, this.getNodeParameter('limit', itemIndex, 50) as number);
	return itemsFor(
		itemIndex,
		limited.map((connector) => ({ ...connector })),
	);
}
