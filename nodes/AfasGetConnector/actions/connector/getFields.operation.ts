import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { connectorLocator, requestOptionFields } from '../common.description';
import {
	cachedMetaInfo,
	readConnectorId,
	retryPolicyFrom,
	type ExecutionState,
	type RequestOptionValues,
} from '../utils';

const properties: INodeProperties[] = [
	connectorLocator,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...requestOptionFields],
	},
];

const displayOptions = { show: { resource: ['connector'], operation: ['getFields'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/** One item per field, as AFAS describes it in `/metainfo/get/{id}` (id, label, dataType, ...). */
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
	return meta.fields.map((field) => ({
		json: { connector: connectorId, ...field },
		pairedItem: { item: itemIndex },
	}));
}
