import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { itemsFor } from '../../../shared/execute';
import { afasOptions, connectorLocator } from '../common.description';
import {
	cachedMetaInfo,
	readConnectorId,
	retryPolicyFrom,
	type ExecutionState,
	type RequestOptionValues,
} from '../utils';

const properties: INodeProperties[] = [connectorLocator, afasOptions()];

const displayOptions = { show: { resource: ['connector'], operation: ['getFields'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/**
 * One item per field, as AFAS describes it in `GET /metainfo/get/{id}`:
 * `{ connector, id, label, dataType, ... }`.
 * @throws NodeApiError when AFAS cannot be read; NodeOperationError without a connector.
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	state: ExecutionState,
): Promise<INodeExecutionData[]> {
	const connectorId = readConnectorId.call(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as RequestOptionValues;
	const meta = await cachedMetaInfo.call(
		this,
		state,
		connectorId,
		itemIndex,
		retryPolicyFrom(options),
	);
	return itemsFor(
		itemIndex,
		meta.fields.map((field) => ({ connector: connectorId, ...field })),
	);
}
