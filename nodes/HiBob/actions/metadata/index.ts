import type { INodeProperties } from 'n8n-workflow';
import * as getFields from './getFields.operation';

export { getFields };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['metadata'] } },
		options: [
			{
				name: 'Get Fields',
				value: 'getFields',
				description: 'List the employee fields of the company',
				action: 'Get employee fields',
			},
		],
		default: 'getFields',
	},
	...getFields.description,
];
