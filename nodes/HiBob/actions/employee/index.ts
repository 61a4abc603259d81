import type { INodeProperties } from 'n8n-workflow';
import * as get from './get.operation';
import * as search from './search.operation';

export { get, search };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['employee'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Read one employee by ID or email',
				action: 'Get an employee',
			},
			{
				name: 'Search',
				value: 'search',
				description: 'Read all employees, or those in a list of IDs or emails',
				action: 'Search employees',
			},
		],
		default: 'search',
	},
	...search.description,
	...get.description,
];
