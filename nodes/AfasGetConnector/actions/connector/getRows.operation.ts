import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { convertRowDates, type DateOutput } from '../../transport/dates';
import type { WildcardMode } from '../../transport/query';
import { itemsFor } from '../../../shared/execute';
import { returnAllOrLimit } from '../../../shared/properties';
import { readConnectorRows, type SortField } from '../../transport';
import {
	afasOptions,
	connectorFieldOption,
	connectorLocator,
	dateOutputOption,
	filtersProperty,
	readingOptions,
} from '../common.description';
import {
	cachedMetaInfo,
	parseFilterGroups,
	readConnectorId,
	readParallel,
	retryPolicyFrom,
	type ExecutionState,
	type RequestOptionValues,
} from '../utils';

const properties: INodeProperties[] = [
	connectorLocator,
	...returnAllOrLimit(false),
	filtersProperty,
	{
		displayName: 'Sort',
		name: 'sort',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Sort Field',
		default: {},
		description:
			'Order of the rows. Sort on a unique field, such as an employee number: when rows tie on the fields chosen, the node reads them again sorted on every other field of the connector as well, so the order is always fixed and paging never skips or repeats a row. Without sort fields, rows are sorted on all fields of the connector.',
		options: [
			{
				name: 'fields',
				displayName: 'Field',
				values: [
					connectorFieldOption,
					{
						displayName: 'Direction',
						name: 'direction',
						type: 'options',
						options: [
							{ name: 'Ascending', value: 'asc' },
							{ name: 'Descending', value: 'desc' },
						],
						default: 'asc',
					},
				],
			},
		],
	},
	afasOptions([dateOutputOption, ...readingOptions]),
];

const displayOptions = { show: { resource: ['connector'], operation: ['getRows'] } };

export const description = updateDisplayOptions(displayOptions, properties);

interface GetRowsOptions extends RequestOptionValues {
	dateOutput?: DateOutput;
	pageSize?: number;
	parallelRequests?: number;
	wildcards?: WildcardMode;
}

function readSort(this: IExecuteFunctions, itemIndex: number): SortField[] {
	const raw = this.getNodeParameter('sort', itemIndex, {}) as {
		fields?: Array<{ field?: unknown; direction?: unknown }>;
	};
	return (raw.fields ?? []).map((entry, index) => {
		const field = typeof entry.field === 'string' ? entry.field.trim() : '';
		if (!field) {
			throw new NodeOperationError(this.getNode(), `Sort field ${index + 1} is empty`, {
				itemIndex,
				description: 'Choose a field of the connector for every sort entry, or remove the entry.',
			});
		}
		return { field, descending: entry.direction === 'desc' };
	});
}

/** The output items: the rows as parsed, or copies with the date fields converted. */
function rowsToItems(
	rows: IDataObject[],
	dateFields: string[],
	dateOutput: DateOutput,
	itemIndex: number,
): INodeExecutionData[] {
	if (dateFields.length === 0) return itemsFor(itemIndex, rows);
	const converted = new Array<IDataObject>(rows.length);
	for (let index = 0; index < rows.length; index++)
		converted[index] = convertRowDates(rows[index], dateFields, dateOutput);
	return itemsFor(itemIndex, converted);
}

/**
 * The rows of a GetConnector, one item per row, filtered, sorted and paged as set.
 * @throws NodeApiError when AFAS fails on any page (no rows are output then);
 *   NodeOperationError for a setting that cannot work (no connector, bad filter or sort).
 */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	state: ExecutionState,
): Promise<INodeExecutionData[]> {
	const connectorId = readConnectorId.call(this, itemIndex);
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const groups = parseFilterGroups(
		this.getNode(),
		this.getNodeParameter('filters', itemIndex, {}),
		itemIndex,
	);
	const sort = readSort.call(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as GetRowsOptions;
	const retry = retryPolicyFrom(options);
	const dateOutput: DateOutput = options.dateOutput ?? 'asSent';
	const parallel = readParallel.call(this, options.parallelRequests);

	const loadFields = async () =>
		(await cachedMetaInfo.call(this, state, connectorId, itemIndex, retry)).fields;
	const rows = await readConnectorRows.call(this, {
		connectorId,
		loadFields,
		sort,
		filter: { groups, wildcards: options.wildcards },
		pageSize: options.pageSize,
		parallel,
		limit,
		itemIndex,
		retry,
	});
	const dateFields =
		dateOutput === 'asSent'
			? []
			: (await loadFields()).filter((field) => field.dataType === 'date').map((field) => field.id);
	return rowsToItems(rows, dateFields, dateOutput, itemIndex);
}
