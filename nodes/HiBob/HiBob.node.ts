import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import * as employee from './actions/employee';
import * as metadata from './actions/metadata';
import * as namedList from './actions/namedList';
import { router } from './actions/router';
import { loadOptions } from './methods';

export class HiBob implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HiBob',
		name: 'hiBob',
		icon: { light: 'file:../../icons/hibob.svg', dark: 'file:../../icons/hibob.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Read employees, fields and named lists from HiBob (Bob)',
		defaults: { name: 'HiBob' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'hiBobApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Employee', value: 'employee' },
					{ name: 'Metadata', value: 'metadata' },
					{ name: 'Named List', value: 'namedList' },
				],
				default: 'employee',
			},
			...employee.description,
			...metadata.description,
			...namedList.description,
		],
	};

	methods = { loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
