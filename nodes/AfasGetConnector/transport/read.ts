/**
 * Reading a GetConnector completely and exactly: the one entry point for every node that reads
 * rows (Get Rows, and a polling trigger). It decides the sort (./sort.ts), builds the query
 * (./query.ts) and pages through it with every check (./paging.ts). It returns every row once, in
 * a fixed order, or throws: it never returns part of a list.
 */
import { NodeOperationError, type IDataObject } from 'n8n-workflow';

import type { AfasFieldInfo } from './metainfo';
import { fetchRows } from './paging';
import {
	planQuery,
	prepareGroups,
	QueryTooLongError,
	type FilterGroups,
	type QueryPlan,
	type WildcardMode,
} from './query';
import type { AfasContext, AfasRetryPolicy } from './request';
import { planSort, type SortField, type SortPlan } from './sort';

export interface ReadConnectorOptions {
	connectorId: string;
	/** The connector's fields, from getConnectorMetaInfo (the sort needs them all). */
	fields: AfasFieldInfo[];
	/** The sort the user chose, first to last; the read adds every other field to it. */
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

/**
 * The sort of the read, or a NodeOperationError for a sort that cannot work (a field the
 * connector does not have or that cannot be sorted on, a field chosen twice, no field at all).
 * Logs a warning for fields left out because their IDs need quoting.
 */
function sortFor(this: AfasContext, options: ReadConnectorOptions): SortPlan {
	const plan = planSort(options.sort ?? [], options.fields);
	const { connectorId, itemIndex } = options;
	if ('kind' in plan) {
		const fail = (message: string, description: string) =>
			new NodeOperationError(this.getNode(), message, { itemIndex, description });
		switch (plan.kind) {
			case 'unknownField':
				throw fail(
					`Sort field '${plan.field}' is not a field of connector '${connectorId}'`,
					'Choose a field from the list, or check the ID against Get Fields.',
				);
			case 'unsortableField':
				throw fail(
					`Sort field '${plan.field}' cannot be sorted on`,
					'Blob fields and field IDs with a quote, comma or bracket cannot be sent in orderbyfieldids. Choose another field.',
				);
			case 'duplicateField':
				throw fail(
					`Sort field '${plan.field}' is chosen twice`,
					'Remove one of the two sort entries.',
				);
			case 'nothingToSort':
				throw fail(
					`Connector '${connectorId}' has no fields to sort on`,
					'AFAS needs a sort to page reliably: add a field such as the employee number to the GetConnector in Profit.',
				);
		}
	}
	if (plan.needQuoting.length > 0) {
		this.logger.warn(
			`AFAS GetConnector: fields ${plan.needQuoting.join(', ')} of connector '${connectorId}' are left out of the added sort: ` +
				"their IDs would need quoting, which AFAS' documentation does not describe. Whether the rows still have a fixed order is checked on the rows.",
		);
	}
	return plan;
}

/** The query of every page; NodeOperationError when the filter cannot be sent. */
function queryFor(this: AfasContext, options: ReadConnectorOptions, sort: SortPlan): QueryPlan {
	const fieldTypes = new Map(options.fields.map((field) => [field.id, field.dataType]));
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

/**
 * Every row of a GetConnector that matches the filter (or the first `limit`), exactly once, in a
 * fixed order: the user's sort, then the connector's other fields. See ./paging.ts for how the
 * read is checked and when it is repeated.
 * @throws NodeOperationError for a sort or filter that cannot work, NodeApiError when AFAS fails
 *   or the read cannot be completed exactly (ties, rows that keep shifting, a server that
 *   ignores skip, too many rows). Never a partial list.
 */
export async function readConnectorRows(
	this: AfasContext,
	options: ReadConnectorOptions,
): Promise<IDataObject[]> {
	const sort = sortFor.call(this, options);
	const plan = queryFor.call(this, options, sort);
	return await fetchRows.call(this, {
		connectorId: options.connectorId,
		plan,
		pageSize: Math.max(1, Math.floor(options.pageSize ?? 1000)),
		parallel: options.parallel ?? 4,
		limit: options.limit,
		itemIndex: options.itemIndex,
		retry: options.retry,
		leftOut: sort.leftOut,
	});
}
