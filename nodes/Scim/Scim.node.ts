import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import * as group from './actions/group';
import { router } from './actions/router';
import * as user from './actions/user';
import { scimApiCredentialTest } from './methods';

/**
 * Users and Groups of any app that speaks SCIM 2.0 as a service provider (RFC 7643 schema,
 * RFC 7644 protocol: https://datatracker.ietf.org/doc/html/rfc7644): list them exactly, read,
 * create, change with PATCH (or PUT) and delete them, and change group members.
 */
export class Scim implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SCIM 2.0',
		name: 'scim',
		icon: { light: 'file:../../icons/scim.svg', dark: 'file:../../icons/scim.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Read and write the users and groups of any SCIM 2.0 app',
		defaults: { name: 'SCIM 2.0' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'scimApi', required: true, testedBy: 'scimApiCredentialTest' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Group', value: 'group' },
					{ name: 'User', value: 'user' },
				],
				default: 'user',
			},
			...user.description,
			...group.description,
		],
	};

	methods = { credentialTest: { scimApiCredentialTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
