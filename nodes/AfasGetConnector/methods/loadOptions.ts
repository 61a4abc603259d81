import {
	NodeOperationError,
	type ILoadOptionsFunctions,
	type INodePropertyOptions,
} from 'n8n-workflow';

import { getConnectorMetaInfo, listGetConnectors } from '../transport';

function selectedConnector(this: ILoadOptionsFunctions): string {
	let value: unknown = this.getCurrentNodeParameter('connector', { extractValue: true });
	if (typeof value !== 'string' || value.startsWith('=')) {
		// An expression: resolve it the way the node would (without input data).
		try {
			value = this.getNodeParameter('connector', '', { extractValue: true });
		} catch {
			value = '';
		}
	}
	const id = typeof value === 'string' ? value.trim() : '';
	if (!id) {
		throw new NodeOperationError(this.getNode(), 'Choose a connector first', {
			description: 'The field list is read from the selected GetConnector.',
		});
	}
	return id;
}

/** Fields of the selected GetConnector for the filter and sort dropdowns: label, ID and type. */
export async function getFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const meta = await getConnectorMetaInfo.call(this, selectedConnector.call(this));
	return meta.fields.map((field) => ({
		name: field.label && field.label !== field.id ? `${field.label} (${field.id})` : field.id,
		value: field.id,
		description: `Type: ${field.dataType}`,
	}));
}

/** GetConnectors of the token's App Connector, for an options-type dropdown. */
export async function getConnectors(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const connectors = await listGetConnectors.call(this);
	return connectors
		.sort((a, b) => a.id.localeCompare(b.id))
		.map((connector) => ({
			name: connector.id,
			value: connector.id,
			description: connector.description,
		}));
}
