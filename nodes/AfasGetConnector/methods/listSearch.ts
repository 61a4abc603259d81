import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { listGetConnectors } from '../transport';

/** GetConnectors of the token's App Connector, filtered by ID or description. */
export async function searchConnectors(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const connectors = await listGetConnectors.call(this);
	const needle = (filter ?? '').trim().toLowerCase();
	const results = connectors
		.filter(
			(connector) =>
				!needle ||
				connector.id.toLowerCase().includes(needle) ||
				connector.description.toLowerCase().includes(needle),
		)
		.sort((a, b) => a.id.localeCompare(b.id))
		.map((connector) => ({
			name:
				connector.description && connector.description !== connector.id
					? `${connector.id} (${connector.description})`
					: connector.id,
			value: connector.id,
		}));
	return { results };
}
