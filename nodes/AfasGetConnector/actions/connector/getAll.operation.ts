import {
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { listGetConnectors } from '../../transport';
import { requestOptionFields } from '../common.description';
import { retryPolicyFrom, type ExecutionState, type RequestOptionValues } from '../utils';

const properties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: true,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...requestOptionFields],
	},
];

const displayOptions = { show: { resource: ['connector'], operation: ['getAll'] } };

export const description = updateDisplayOptions(displayOptions, properties);

/** One item per GetConnector the token may use (`/metainfo`): id and description. */
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
	return limited.map((connector) => ({ json: { ...connector }, pairedItem: { item: itemIndex } }));
}
