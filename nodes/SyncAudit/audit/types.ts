/**
 * Shapes of the audit: what Reconcile Users planned (its output items' JSON), what a write node
 * answered, and the two kinds of rows the workflow stores in n8n Data Tables (one audit row per
 * operation, one run row per run). Pure data: no n8n imports.
 */

/** An item of a Reconcile Users output, as JSON (see the Reconcile Users node for the fields). */
export interface PlanItemJson {
	action: string;
	reason?: string;
	hr?: Record<string, unknown> | null;
	app?: Record<string, unknown> | null;
	appId?: string | null;
	changes?: Array<{ field: string; from: unknown; to: unknown }>;
	payload?: Record<string, unknown> | null;
	/** createFirst items: group, store, community, function. */
	kind?: string;
	conflict?: { code?: string } | null;
	[key: string]: unknown;
}

/** The tripped safety rail in a Reconcile Users summary. */
export interface BlockedRail {
	rail: string;
	message: string;
	detail?: string;
}

/** The summary item of a Reconcile Users Plan output (the fields the audit reads). */
export interface PlanSummaryJson {
	action: 'summary';
	reason?: string;
	dryRun?: boolean;
	mode?: 'people' | 'records';
	blocked?: BlockedRail | null;
	[key: string]: unknown;
}

/** One Reconcile Users node's plan as the audit sees it. */
export interface Step {
	/** The Reconcile Users node's name ("Reconcile Users", "Reconcile communities"). */
	name: string;
	mode: 'people' | 'records';
	dryRun: boolean;
	blocked: BlockedRail | null;
	/**
	 * Records mode: the path of the record's key in the app's shape (Reconcile Users' App Key
	 * Field), where both the HR record (normalised into that shape) and the app record hold it.
	 */
	recordKey?: string;
	/** Every plan item except the summary, from every output, in output order. */
	items: PlanItemJson[];
	/**
	 * The items that came on an action output (Create First, Create, Update, Deactivate/Remove),
	 * so were sent to the write nodes even though a safety rail tripped (When a Safety Rail Trips:
	 * Apply Updates, Hold Back Creates and Removals). The held-back ones are on the Plan output.
	 */
	sent?: Set<PlanItemJson>;
	/**
	 * Operations left out because nothing is connected to their Reconcile Users output (the
	 * workflow does not make them), by output name, e.g. `{ 'Create First': 21 }`.
	 */
	notConnected?: Record<string, number>;
	/** Set when Reconcile Users failed and (Continue On Fail) sent an error item instead of a plan. */
	error?: string;
}

/** What one write node answered for one plan item: success, or n8n's error item. */
export interface WriteResult {
	ok: boolean;
	/** HTTP status of a failure, when the error carries one. */
	status: number | null;
	/** The app's own error message for a failure (secrets removed), else null. */
	message: string | null;
	/** The app's id of the user or record, when a successful answer carries one (`id`). */
	appId: string | null;
	/**
	 * A create the app refused because the record exists already: its answer names the record's
	 * own key as taken (see `existsAlreadyAnswer`). Harmless: another run created it a moment
	 * before (simultaneous event deliveries), or the app list was read before it appeared.
	 */
	existsAlready?: boolean;
}

/** The outcomes an audit row can have. */
export type Outcome =
	| 'done'
	| 'failed'
	| 'skipped: dry run'
	| 'skipped: exists already'
	| 'needs attention';

/** Who, where and when: the same for every row of one run. */
export interface RunContext {
	/** ISO 8601 in UTC, e.g. 2026-11-24T06:00:03.120Z. */
	time: string;
	workflow: string;
	executionId: string;
	hrSystem: string | null;
	app: string | null;
}

/** One audit row: one operation (or conflict, or tripped rail) of one run. Scalars only. */
export interface AuditRow {
	time: string;
	workflow: string;
	execution_id: string;
	hr_system: string | null;
	app: string | null;
	step: string;
	action: string;
	external_id: string | null;
	email: string | null;
	display_name: string | null;
	record_key: string | null;
	app_id: string | null;
	changes: string | null;
	changes_json: string | null;
	reason: string | null;
	outcome: Outcome;
	http_status: number | null;
	message: string | null;
}

/** How a run went, worst first. */
export type RunOutcome = 'blocked' | 'failed' | 'needs attention' | 'dry run' | 'ok';

/** The run report: one item per run, stored as one run row. Scalars only. */
export interface RunRow {
	time: string;
	workflow: string;
	execution_id: string;
	hr_system: string | null;
	app: string | null;
	outcome: RunOutcome;
	dry_run: boolean;
	planned: number;
	done: number;
	failed: number;
	attention: number;
	conflicts: number;
	blocked_rail: string | null;
	/** Per action, readable: "create 1039/1041 done, 2 failed; update 1/1 done". */
	counts: string;
	/** Per action: `{ create: { planned, done, failed, attention, skipped } }` as JSON text. */
	counts_json: string;
	failed_people: string | null;
	repeat_failures: string | null;
	/** The whole report as readable text, ready for an e-mail or chat message. */
	summary: string;
}

/** Consecutive failed runs per person key (`step|key`), kept between runs. */
export type FailureStreaks = Record<string, number>;
