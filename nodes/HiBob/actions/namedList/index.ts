import type { INodeProperties } from 'n8n-workflow';
import * as get from './get.operation';
import * as getMany from './getMany.operation';

export { get, getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['namedList'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Read one named list with its items',
				action: 'Get a named list',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Read all named lists',
				action: 'Get many named lists',
			},
		],
		default: 'get',
	},
	...get.description,
	...getMany.description,
];
