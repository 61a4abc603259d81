/**
 * The order every page of a GetConnector read is requested in (`orderbyfieldids`), and how a
 * field ID is written there. Pure (no n8n context) so every rule here is unit-tested.
 *
 * Offset paging (skip/take) is only exact when the order is total: AFAS warns that without a
 * sort "the order between 2 get requests can vary" and rows go missing or repeat
 * (https://docs.afas.help/profit/en/get-connector#orderby), and the same holds for rows that tie
 * on the sort fields, whose order the database does not fix either. A total order is the user's
 * sort fields followed by every other field of the connector that can be sorted on: rows can
 * then only tie when they are equal on all of those. The user's fields alone are tried first
 * (userSortPlan): AFAS asks integrations to sort on indexed fields, and sorting on a field with
 * a special format can make a GetConnector many times slower
 * (https://docs.afas.help/profit/en/app-connector-auditor-partner), so the other fields are only
 * added when the rows show that the user's fields are not unique (planSort).
 *
 * Field IDs: AFAS documents `orderbyfieldids=Account,-Type` (comma list, `-` for descending)
 * and no way to write other IDs; it warns that a field with a dot in its name "can cause
 * problems if you want to filter or sort on these fields in the URL" and advises renaming it
 * (https://docs.afas.help/profit/en/app-connector-auditor-partner). Sent as it is, such an ID is
 * answered with a 500 "General message: Invalid Index field", and written as `['Cat._result']`
 * it is accepted, as Invantive reports
 * (https://forums.invantive.com/t/afas-getconnector-geeft-invalid-index-field/641). The node
 * writes a field the user sorts on in that form, and leaves such fields out of the sort it adds
 * itself, so a guess about an undocumented form can never break a read that works without it
 * (whether the order is total without them is checked on the rows; see `./order.ts`).
 */
import type { AfasFieldInfo } from './metainfo';

/** One `orderbyfieldids` entry. */
export interface SortField {
	/** The field's ID as in metainfo and in the rows. */
	field: string;
	descending: boolean;
}

/**
 * How a field ID can be written in `orderbyfieldids`: `plain` as it is (letters, digits, `_`,
 * `-`), `quoted` as `['id']`, `unsortable` not at all (an ID with `'`, `,`, `[` or `]` cannot be
 * quoted or split reliably).
 */
export type FieldIdForm = 'plain' | 'quoted' | 'unsortable';

const PLAIN_ID = /^[\p{L}\p{N}_-]+$/u;
const QUOTABLE_ID = /^[^',[\]]+$/;

/** The form `id` takes in `orderbyfieldids` (see FieldIdForm). */
export function fieldIdForm(id: string): FieldIdForm {
	if (PLAIN_ID.test(id)) return 'plain';
	return QUOTABLE_ID.test(id) && id.trim() === id ? 'quoted' : 'unsortable';
}

/**
 * One `orderbyfieldids` entry as sent: `Nr`, `-Nr`, `['Cat._result']`, `-['Cat._result']`.
 * @throws Error for an ID that cannot be written there (fieldIdForm `unsortable`).
 */
export function sortToken(sort: SortField): string {
	const form = fieldIdForm(sort.field);
	if (form === 'unsortable') throw new Error(`Field ID '${sort.field}' cannot be sorted on`);
	const id = form === 'plain' ? sort.field : `['${sort.field}']`;
	return sort.descending ? `-${id}` : id;
}

/** The order a read asks for, as planSort decides it. */
export interface SortPlan {
	/** The user's fields first (with metainfo's spelling of the ID), then the tiebreakers. */
	fields: SortField[];
	/** How many of `fields` the user chose: those are never left out to shorten the query. */
	chosen: number;
	/** Fields that cannot be sorted on and are not in `fields`: blobs, and IDs that need quoting. */
	leftOut: string[];
	/** The IDs of `leftOut` that were left out because they would need quoting (for a warning). */
	needQuoting: string[];
}

/** What is wrong with a sort the user chose; planSort returns it instead of a plan. */
export type SortProblem =
	| { kind: 'unknownField'; field: string }
	| { kind: 'unsortableField'; field: string }
	| { kind: 'duplicateField'; field: string }
	| { kind: 'nothingToSort' };

/** A metainfo field by ID: exact first, then ignoring case (an ID typed in another case). */
function findField(fields: readonly AfasFieldInfo[], id: string): AfasFieldInfo | undefined {
	const lower = id.toLowerCase();
	return (
		fields.find((field) => field.id === id) ??
		fields.find((field) => field.id.toLowerCase() === lower)
	);
}

/** The user's sort checked against the connector's fields, with metainfo's spelling of each ID. */
function chosenFields(
	userSort: readonly SortField[],
	fields: readonly AfasFieldInfo[],
): SortField[] | SortProblem {
	const chosen: SortField[] = [];
	for (const sort of userSort) {
		const field = findField(fields, sort.field);
		if (!field) return { kind: 'unknownField', field: sort.field };
		if (field.dataType === 'blob' || fieldIdForm(field.id) === 'unsortable')
			return { kind: 'unsortableField', field: field.id };
		if (chosen.some((known) => known.field === field.id))
			return { kind: 'duplicateField', field: field.id };
		chosen.push({ field: field.id, descending: sort.descending });
	}
	return chosen;
}

/**
 * The sort of a first read with the user's fields alone, before the connector's fields are
 * known: used as typed. Returns a SortProblem for a field that cannot be written in
 * `orderbyfieldids` or one chosen twice (ignoring case); whether the connector has the fields,
 * AFAS says ("Connector field '...' not found").
 */
export function userSortPlan(userSort: readonly SortField[]): SortPlan | SortProblem {
	const seen = new Set<string>();
	for (const sort of userSort) {
		if (fieldIdForm(sort.field) === 'unsortable')
			return { kind: 'unsortableField', field: sort.field };
		const lower = sort.field.toLowerCase();
		if (seen.has(lower)) return { kind: 'duplicateField', field: sort.field };
		seen.add(lower);
	}
	if (userSort.length === 0) return { kind: 'nothingToSort' };
	return { fields: [...userSort], chosen: userSort.length, leftOut: [], needQuoting: [] };
}

/**
 * The sort of a read: the user's fields (checked against metainfo), then every other field of
 * the connector in metainfo order, ascending, except blobs (SQL cannot sort them) and IDs that
 * are not plain (see the module comment). Returns a SortProblem for a user's field the connector
 * does not have or that cannot be sorted on, a field chosen twice, or a connector with nothing
 * to sort on.
 */
export function planSort(
	userSort: readonly SortField[],
	fields: readonly AfasFieldInfo[],
): SortPlan | SortProblem {
	const chosen = chosenFields(userSort, fields);
	if (!Array.isArray(chosen)) return chosen;
	const plan: SortPlan = { fields: chosen, chosen: chosen.length, leftOut: [], needQuoting: [] };
	for (const field of fields) {
		if (chosen.some((sort) => sort.field === field.id)) continue;
		const form = fieldIdForm(field.id);
		if (field.dataType !== 'blob' && form === 'plain') {
			plan.fields.push({ field: field.id, descending: false });
			continue;
		}
		plan.leftOut.push(field.id);
		if (field.dataType !== 'blob' && form === 'quoted') plan.needQuoting.push(field.id);
	}
	if (plan.fields.length === 0) return { kind: 'nothingToSort' };
	return plan;
}
