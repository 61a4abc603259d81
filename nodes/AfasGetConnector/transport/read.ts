/**
 * Reading a GetConnector completely and exactly: the one entry point for every node that reads
 * rows (Get Rows, and a polling trigger). It decides the sort (./sort.ts), builds the query
 * (./query.ts) and pages through it with every check (./paging.ts). It returns every row once, in
 * a fixed order, or throws: it never returns part of a list.
 *
 * The sort: with sort fields chosen, the first read sorts on those alone. When two rows tie on
 * them, the order is not fixed, so the connector's fields are read and the rows are read again,
 * sorted on the chosen fields and then on every other field. Without sort fields, the first read
 * sorts on every field. Rows that still tie (they differ only in fields that cannot be sorted
 * on, or the filter left no room in the query for enough sort fields) fail the read.
 */
import { NodeApiError, NodeOperationError, type IDataObject, type JsonObject } from 'n8n-workflow';

import { looksLikeDate } from './dates';
import type { AfasFieldInfo } from './metainfo';
import { fetchRows, RowsTie } from './paging';
import {
	planQuery,
	prepareGroups,
	QueryTooLongError,
	type FilterGroups,
	type QueryPlan,
	type WildcardMode,
} from './query';
import type { AfasContext, AfasRetryPolicy } from './request';
import { planSort, userSortPlan, type SortField, type SortPlan, type SortProblem } from './sort';

export interface ReadConnectorOptions {
	connectorId: string;
	/**
	 * The connector's fields (metainfo, getConnectorMetaInfo), read only when needed: for the
	 * default sort, for filter values that may be dates, and to make a chosen sort total.
	 */
	loadFields(): Promise<AfasFieldInfo[]>;
	/** The sort the user chose, first to last; empty or undefined: every field of the connector. */
	sort?: SortField[];
	/** OR over groups, AND within a group; values formatted per the fields' types. */
	filter?: { groups: FilterGroups; wildcards?: WildcardMode };
	/** Rows per request; default 1000. */
	pageSize?: number;
	/** Requests in flight at once, 1 to 8; default 4. */
	parallel?: number;
	/** Stop after this many rows; undefined = all rows. */
	limit?: number;
	itemIndex?: number;
	retry?: AfasRetryPolicy;
}

/** The NodeOperationError for a sort that cannot work. */
function sortProblemError(
	this: AfasContext,
	problem: SortProblem,
	options: ReadConnectorOptions,
): NodeOperationError {
	const { connectorId, itemIndex } = options;
	const fail = (message: string, description: string) =>
		new NodeOperationError(this.getNode(), message, { itemIndex, description });
	switch (problem.kind) {
		case 'unknownField':
			return fail(
				`Sort field '${problem.field}' is not a field of connector '${connectorId}'`,
				'Choose a field from the list, or check the ID against Get Fields.',
			);
		case 'unsortableField':
			return fail(
				`Sort field '${problem.field}' cannot be sorted on`,
				'Blob fields and field IDs with a quote, comma or bracket cannot be sent in orderbyfieldids. Choose another field.',
			);
		case 'duplicateField':
			return fail(
				`Sort field '${problem.field}' is chosen twice`,
				'Remove one of the two sort entries.',
			);
		case 'nothingToSort':
			return fail(
				`Connector '${connectorId}' has no fields to sort on`,
				'AFAS needs a sort to page reliably: add a field such as the employee number to the GetConnector in Profit.',
			);
	}
}

/**
 * The sort on every field (after the chosen ones), with a warning in the log for fields left
 * out because their IDs would need quoting.
 * @throws NodeOperationError for a sort that cannot work.
 */
function fullSort(
	this: AfasContext,
	options: ReadConnectorOptions,
	fields: AfasFieldInfo[],
): SortPlan {
	const plan = planSort(options.sort ?? [], fields);
	if ('kind' in plan) throw sortProblemError.call(this, plan, options);
	if (plan.needQuoting.length > 0) {
		this.logger.warn(
			`AFAS GetConnector: fields ${plan.needQuoting.join(', ')} of connector '${options.connectorId}' are left out of the added sort: ` +
				"their IDs would need quoting, which AFAS' documentation does not describe. Whether the rows still have a fixed order is checked on the rows.",
		);
	}
	return plan;
}

/**
 * The query of every page for `sort`; `fields` type the filter values (a date field gets AFAS'
 * date format).
 * @throws NodeOperationError when the filter cannot be sent.
 */
function queryFor(
	this: AfasContext,
	options: ReadConnectorOptions,
	sort: SortPlan,
	fields: AfasFieldInfo[] | undefined,
): QueryPlan {
	const fieldTypes = fields && new Map(fields.map((field) => [field.id, field.dataType]));
	try {
		const groups = prepareGroups(options.filter?.groups ?? [], {
			fieldTypes,
			wildcards: options.filter?.wildcards,
		});
		return planQuery({ sort: sort.fields, keep: sort.chosen, groups });
	} catch (error) {
		const description =
			error instanceof QueryTooLongError
				? undefined
				: 'The filter could not be turned into an AFAS query.';
		throw new NodeOperationError(this.getNode(), error as Error, {
			itemIndex: options.itemIndex,
			description,
		});
	}
}

/** The error for rows that still tie on every field sent. */
function tieError(
	this: AfasContext,
	options: ReadConnectorOptions,
	sort: SortPlan,
	query: QueryPlan,
	tie: RowsTie,
): NodeApiError {
	const { connectorId } = options;
	const sent = query.sort.map((field) => field.field);
	let description: string;
	if (query.sort.length < query.plannedSortFields) {
		description =
			`The filter leaves room in AFAS' query (at most 2049 characters) for only ${sent.length} of the ` +
			`${query.plannedSortFields} sort fields (${sent.join(', ')}). Shorten the filter values, or sort on a ` +
			'unique field (such as the employee number) first. No rows were output.';
	} else {
		const leftOut = sort.leftOut.length ? ` (${sort.leftOut.join(', ')})` : '';
		description =
			`They differ only in fields the node cannot sort on${leftOut}. Add a unique field (such as the ` +
			'employee number) to the GetConnector in Profit. No rows were output.';
	}
	return new NodeApiError(this.getNode(), { connectorId, sortedOn: sent.join(',') } as JsonObject, {
		message: `Rows ${tie.rowNumber} and ${tie.rowNumber + 1} of connector '${connectorId}' are equal on every field they were sorted on, so AFAS gives them no fixed order and paging could skip or repeat people`,
		description,
		itemIndex: options.itemIndex,
	});
}

/**
 * The user's sort alone, as typed.
 * @throws NodeOperationError for a field that cannot be sent or one chosen twice.
 */
function userSortOnly(this: AfasContext, options: ReadConnectorOptions): SortPlan {
	const plan = userSortPlan(options.sort ?? []);
	if ('kind' in plan) throw sortProblemError.call(this, plan, options);
	return plan;
}

/** One read with `sort`: the rows, or the tie that shows the order is not total. */
async function readSorted(
	this: AfasContext,
	options: ReadConnectorOptions,
	sort: SortPlan,
	fields: AfasFieldInfo[] | undefined,
): Promise<{ rows: IDataObject[] } | { tie: RowsTie; query: QueryPlan }> {
	const query = queryFor.call(this, options, sort, fields);
	const result = await fetchRows.call(this, {
		connectorId: options.connectorId,
		plan: query,
		pageSize: Math.max(1, Math.floor(options.pageSize ?? 1000)),
		parallel: options.parallel ?? 4,
		limit: options.limit,
		itemIndex: options.itemIndex,
		retry: options.retry,
	});
	return result instanceof RowsTie ? { tie: result, query } : { rows: result };
}

/**
 * Every row of a GetConnector that matches the filter (or the first `limit`), exactly once, in a
 * fixed order: the chosen sort fields (then, if rows tie on those, every other field), or every
 * field. See the module comment, and ./paging.ts for how each read is checked.
 * @throws NodeOperationError for a sort or filter that cannot work, NodeApiError when AFAS fails
 *   or the read cannot be completed exactly (ties, rows that keep shifting, a server that
 *   ignores skip, too many rows). Never a partial list.
 */
export async function readConnectorRows(
	this: AfasContext,
	options: ReadConnectorOptions,
): Promise<IDataObject[]> {
	const chosen = options.sort ?? [];
	const datesInFilter = (options.filter?.groups ?? []).some((group) =>
		group.some((condition) => looksLikeDate(condition.value)),
	);
	let fields = chosen.length === 0 || datesInFilter ? await options.loadFields() : undefined;
	let sort =
		chosen.length === 0 ? fullSort.call(this, options, fields!) : userSortOnly.call(this, options);
	let result = await readSorted.call(this, options, sort, fields);
	if ('tie' in result && chosen.length > 0) {
		const names = chosen.map((field) => field.field).join(', ');
		this.logger.warn(
			`AFAS GetConnector: rows of connector '${options.connectorId}' tie on the chosen sort (${names}); reading them again ` +
				"sorted on the connector's other fields as well. Sorting on a unique field (such as the employee number) saves this second read.",
		);
		fields ??= await options.loadFields();
		sort = fullSort.call(this, options, fields);
		result = await readSorted.call(this, options, sort, fields);
	}
	if ('tie' in result) throw tieError.call(this, options, sort, result.query, result.tie);
	return result.rows;
}
