/** Description pieces used by more than one node or operation in this package. */
import type { INodeProperties } from 'n8n-workflow';

const returnAllProperty: INodeProperties = {
	displayName: 'Return All',
	name: 'returnAll',
	type: 'boolean',
	default: false,
	description: 'Whether to return all results or only up to a given limit',
};

const limitProperty: INodeProperties = {
	displayName: 'Limit',
	name: 'limit',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 50,
	description: 'Max number of results to return',
	displayOptions: { show: { returnAll: [false] } },
};

/**
 * Return All and Limit: Limit shows only when Return All is off. `returnAll` is the default of
 * Return All (true where the full list is short, such as a list of connectors).
 */
export function returnAllOrLimit(returnAll: boolean): INodeProperties[] {
	return [{ ...returnAllProperty, default: returnAll }, limitProperty];
}

/** The Options collection (parameter `options`) holding `fields`, in the order given. */
export function optionsCollection(fields: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: fields,
	};
}
