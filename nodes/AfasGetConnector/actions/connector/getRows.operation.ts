import {
	isSafeObjectProperty,
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { convertAfasDate, type DateOutput } from '../../transport/dates';
import {
	AFAS_OPERATORS,
	isAfasOperator,
	type FilterGroups,
	type WildcardMode,
} from '../../transport/query';
import { itemsFor } from '../../../shared/execute';
import { returnAllOrLimit } from '../../../shared/properties';
import {
	AFAS_MAX_PARALLEL,
	clampParallel,
	readConnectorRows,
	type SortField,
} from '../../transport';
import { afasOptions, connectorLocator } from '../common.description';
import {
	cachedMetaInfo,
	readConnectorId,
	retryPolicyFrom,
	type ExecutionState,
	type RequestOptionValues,
} from '../utils';

const operatorOptions = (Object.keys(AFAS_OPERATORS) as Array<keyof typeof AFAS_OPERATORS>)
	.map((value) => ({
		name: AFAS_OPERATORS[value].name,
		value,
		description: `AFAS operator ${AFAS_OPERATORS[value].code}`,
	}))
	.sort((a, b) => a.name.localeCompare(b.name));

const properties: INodeProperties[] = [
	connectorLocator,
	...returnAllOrLimit(false),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Filter Group',
		default: {},
		description:
			'A row is returned when it matches any group (OR). Within a group, every condition must match (AND).',
		options: [
			{
				name: 'groups',
				displayName: 'Group',
				values: [
					{
						displayName: 'Conditions',
						name: 'conditions',
						type: 'fixedCollection',
						typeOptions: { multipleValues: true },
						placeholder: 'Add Condition',
						default: {},
						options: [
							{
								name: 'condition',
								displayName: 'Condition',
								values: [
									{
										displayName: 'Field Name or ID',
										name: 'field',
										type: 'options',
										typeOptions: {
											loadOptionsMethod: 'getFields',
											loadOptionsDependsOn: ['connector.value'],
										},
										default: '',
										description:
											'Field of the connector. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
									},
									{
										displayName: 'Operator',
										name: 'operator',
										type: 'options',
										options: operatorOptions,
										default: 'equals',
									},
									{
										displayName: 'Value',
										name: 'value',
										type: 'string',
										default: '',
										description:
											'Dates may be given as 2024-01-31, 2024-01-31T08:00:00, or with an offset (converted to Amsterdam time). For Is Empty / Is Not Empty the value is sent as typed, usually empty.',
									},
								],
							},
						],
					},
				],
			},
		],
	},
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
					{
						displayName: 'Field Name or ID',
						name: 'field',
						type: 'options',
						typeOptions: {
							loadOptionsMethod: 'getFields',
							loadOptionsDependsOn: ['connector.value'],
						},
						default: '',
						description:
							'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
					},
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
	afasOptions([
		{
			displayName: 'Date Output',
			name: 'dateOutput',
			type: 'options',
			options: [
				{
					name: 'As Sent by AFAS',
					value: 'asSent',
					description:
						'E.g. 2024-07-01T00:00:00Z. Careful: the Z is not UTC, AFAS means Amsterdam time.',
				},
				{
					name: 'Date Only',
					value: 'dateOnly',
					description: 'E.g. 2024-07-01: the date part, in Amsterdam time.',
				},
				{
					name: 'ISO with Amsterdam Offset',
					value: 'iso',
					description: 'E.g. 2024-07-01T00:00:00+02:00 in summer and +01:00 in winter.',
				},
			],
			default: 'asSent',
			description: 'How values of date fields are output',
		},
		{
			displayName: 'Page Size',
			name: 'pageSize',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 1000,
			description:
				'Rows per request. AFAS advises columns × rows below 150,000 per request; lower it for wide connectors.',
		},
		{
			displayName: 'Parallel Requests',
			name: 'parallelRequests',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: AFAS_MAX_PARALLEL },
			default: 4,
			description:
				'Pages requested at the same time. AFAS allows at most 8 parallel calls per environment, so higher values are lowered to 8.',
		},
		{
			displayName: 'Wildcards',
			name: 'wildcards',
			type: 'options',
			options: [
				{
					name: 'Add Automatically',
					value: 'auto',
					description:
						'Add % for contains / starts with / ends with (and their negations) unless already typed',
				},
				{ name: 'Send Values as Typed', value: 'none' },
			],
			default: 'auto',
			description: 'Whether to add % wildcards to values of text-matching operators',
		},
	]),
];

const displayOptions = { show: { resource: ['connector'], operation: ['getRows'] } };

export const description = updateDisplayOptions(displayOptions, properties);

interface ConditionValue {
	field?: unknown;
	operator?: unknown;
	value?: unknown;
}

interface GetRowsOptions extends RequestOptionValues {
	dateOutput?: DateOutput;
	pageSize?: number;
	parallelRequests?: number;
	wildcards?: WildcardMode;
}

function readFilters(this: IExecuteFunctions, itemIndex: number): FilterGroups {
	const raw = this.getNodeParameter('filters', itemIndex, {}) as {
		groups?: Array<{ conditions?: { condition?: ConditionValue[] } }>;
	};
	const groups: FilterGroups = [];
	(raw.groups ?? []).forEach((group, groupIndex) => {
		const conditions = group.conditions?.condition ?? [];
		const parsed = conditions.map((condition, conditionIndex) => {
			const where = `condition ${conditionIndex + 1} of filter group ${groupIndex + 1}`;
			const field = typeof condition.field === 'string' ? condition.field.trim() : '';
			if (!field) {
				throw new NodeOperationError(this.getNode(), `No field is set in ${where}`, {
					itemIndex,
					description: 'Choose a field for every filter condition, or remove the condition.',
				});
			}
			if (!isAfasOperator(condition.operator)) {
				throw new NodeOperationError(this.getNode(), `Unknown operator in ${where}`, {
					itemIndex,
					description: `Use one of: ${Object.keys(AFAS_OPERATORS).join(', ')}.`,
				});
			}
			return { field, operator: condition.operator, value: condition.value };
		});
		if (parsed.length > 0) groups.push(parsed);
	});
	return groups;
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

/**
 * The Parallel Requests option as used: 1 to 8, with a warning in the log when a higher value was
 * lowered to AFAS' limit.
 */
function readParallel(this: IExecuteFunctions, options: GetRowsOptions): number {
	const requested = options.parallelRequests ?? 4;
	if (requested > AFAS_MAX_PARALLEL) {
		this.logger.warn(
			`AFAS GetConnector: ${requested} parallel requests asked, lowered to ${AFAS_MAX_PARALLEL} (the most AFAS allows)`,
		);
	}
	return clampParallel(requested);
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
	for (let index = 0; index < rows.length; index++) {
		const json: IDataObject = { ...rows[index] };
		for (const field of dateFields) {
			if (Object.prototype.hasOwnProperty.call(json, field) && isSafeObjectProperty(field)) {
				json[field] = convertAfasDate(json[field], dateOutput) as IDataObject[string];
			}
		}
		converted[index] = json;
	}
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
	const groups = readFilters.call(this, itemIndex);
	const sort = readSort.call(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as GetRowsOptions;
	const retry = retryPolicyFrom(options);
	const dateOutput: DateOutput = options.dateOutput ?? 'asSent';
	const parallel = readParallel.call(this, options);

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
