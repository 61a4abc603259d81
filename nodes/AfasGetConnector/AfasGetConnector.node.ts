import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as connector from './actions/connector';
import { router } from './actions/router';
import { listSearch, loadOptions } from './methods';

/**
 * AFAS Profit GetConnector node. Programmatic (not declarative) because reading a connector takes
 * dependent calls: metainfo for the default sort and date fields, then pages fetched in
 * parallel and joined in order, with all-or-nothing failure handling.
 * Layout as n8n's Discord v2: actions/<resource>/<operation>.operation.ts, actions/router.ts,
 * transport/ (what AFAS retries, its errors, metainfo, paging and queries, on the shared HTTP
 * toolkit in nodes/shared/http), methods/ (dropdowns).
 */
export class AfasGetConnector implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'AFAS GetConnector',
		name: 'afasGetConnector',
		icon: { light: 'file:../../icons/afas.svg', dark: 'file:../../icons/afas.dark.svg' },
		group: ['input'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Read rows and metadata of AFAS Profit GetConnectors',
		defaults: { name: 'AFAS GetConnector' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'afasApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Connector', value: 'connector' }],
				default: 'connector',
			},
			...connector.description,
		],
	};

	methods = { listSearch, loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
