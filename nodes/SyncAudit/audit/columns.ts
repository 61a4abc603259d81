/**
 * The columns of the two Data Tables the example workflows create (Data table node, Table →
 * Create): the keys of the audit rows and run rows this node outputs, with their column types.
 * Column names follow n8n's rule for Data Table columns (a letter, then letters, digits or `_`).
 */
import type { AuditRow, RunRow } from './types';

export type ColumnType = 'string' | 'number' | 'boolean' | 'date';

/** The audit table (`hr_sync_audit` in the examples): one row per operation. */
export const AUDIT_COLUMNS: Record<keyof AuditRow, ColumnType> = {
	time: 'date',
	workflow: 'string',
	execution_id: 'string',
	hr_system: 'string',
	app: 'string',
	step: 'string',
	action: 'string',
	external_id: 'string',
	email: 'string',
	display_name: 'string',
	record_key: 'string',
	app_id: 'string',
	changes: 'string',
	changes_json: 'string',
	reason: 'string',
	outcome: 'string',
	http_status: 'number',
	message: 'string',
};

/** The runs table (`hr_sync_runs` in the examples): one row per run. */
export const RUN_COLUMNS: Record<keyof RunRow, ColumnType> = {
	time: 'date',
	workflow: 'string',
	execution_id: 'string',
	hr_system: 'string',
	app: 'string',
	outcome: 'string',
	dry_run: 'boolean',
	planned: 'number',
	done: 'number',
	failed: 'number',
	attention: 'number',
	conflicts: 'number',
	blocked_rail: 'string',
	counts: 'string',
	counts_json: 'string',
	failed_people: 'string',
	repeat_failures: 'string',
	summary: 'string',
};
