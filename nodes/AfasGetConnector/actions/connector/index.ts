import type { INodeProperties } from 'n8n-workflow';

import * as getAll from './getAll.operation';
import * as getFields from './getFields.operation';
import * as getRows from './getRows.operation';

export { getAll, getFields, getRows };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['connector'] } },
		options: [
			{
				name: 'Get Fields',
				value: 'getFields',
				description: 'Get the fields of a GetConnector: ID, label and data type',
				action: 'Get the fields of a connector',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List the GetConnectors the token may use',
				action: 'Get many connectors',
			},
			{
				name: 'Get Rows',
				value: 'getRows',
				description: 'Get the rows of a GetConnector, with filters, sorting and paging',
				action: 'Get rows of a connector',
			},
		],
		default: 'getRows',
	},
	...getRows.description,
	...getFields.description,
	...getAll.description,
];
