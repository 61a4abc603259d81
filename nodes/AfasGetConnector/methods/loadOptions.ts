import {
	NodeOperationError,
	type ILoadOptionsFunctions,
	type INodePropertyOptions,
} from 'n8n-workflow';

import { getConnectorMetaInfo } from '../transport';

/** The connector chosen in the node, also when it is an expression. */
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

/**
 * Fields of the selected GetConnector for the filter and sort dropdowns: label, ID and type.
 * @throws NodeOperationError when no connector is chosen; NodeApiError when AFAS fails (the
 *   dropdown then shows the error, never an empty list).
 */
export async function getFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const meta = await getConnectorMetaInfo.call(this, selectedConnector.call(this));
	return meta.fields.map((field) => ({
		name: field.label && field.label !== field.id ? `${field.label} (${field.id})` : field.id,
		value: field.id,
		description: `Type: ${field.dataType}`,
	}));
}
