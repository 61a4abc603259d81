/**
 * The run report: counts per action (planned, done, failed, needing attention, skipped), the
 * conflicts, the tripped safety rail, who failed and who failed on more than one run in a row,
 * as one run row whose `summary` reads as a message to an admin.
 */
import type { AuditRow, FailureStreaks, RunContext, RunOutcome, RunRow, Step } from './types';
import { isOperation } from './rows';

/** How many people the report lists by name (failed, failing again); the rest are counted. */
export const MAX_LISTED_PEOPLE = 20;

export interface ActionCounts {
	planned: number;
	done: number;
	failed: number;
	attention: number;
	skipped: number;
	/** Creates the app refused because the record exists already (`skipped: exists already`). */
	existing: number;
}

/** Counts per action, in the order actions first appear in the rows; conflicts count as planned. */
export function countByAction(rows: AuditRow[]): Record<string, ActionCounts> {
	const counts: Record<string, ActionCounts> = {};
	for (const row of rows) {
		if (row.action === 'blocked') continue;
		const entry = (counts[row.action] ??= {
			planned: 0,
			done: 0,
			failed: 0,
			attention: 0,
			skipped: 0,
			existing: 0,
		});
		entry.planned++;
		if (row.outcome === 'done') entry.done++;
		else if (row.outcome === 'failed') entry.failed++;
		else if (row.outcome === 'needs attention') entry.attention++;
		else if (row.outcome === 'skipped: exists already') entry.existing++;
		else entry.skipped++;
	}
	return counts;
}

/** The key a person or record keeps from run to run: the step and the first key it has. */
export function subjectKey(row: AuditRow): string {
	const key =
		row.external_id ?? row.record_key ?? row.email ?? row.app_id ?? row.display_name ?? '?';
	return `${row.step}|${key}`;
}

/** "Ann de Vries (E123)" or the key alone. */
function label(row: AuditRow): string {
	const key = row.external_id ?? row.record_key ?? row.email ?? row.app_id;
	if (row.display_name && key) return `${row.display_name} (${key})`;
	return row.display_name ?? key ?? 'unknown';
}

/** Lines listed up to `MAX_LISTED_PEOPLE`, then "… and N more". */
function listed(lines: string[]): string | null {
	if (lines.length === 0) return null;
	const shown = lines.slice(0, MAX_LISTED_PEOPLE);
	if (lines.length > shown.length) shown.push(`… and ${lines.length - shown.length} more`);
	return shown.join('\n');
}

/**
 * The streaks after this run: a person who failed now has the previous count plus one; everyone
 * else (done, not planned again) starts from zero and is left out.
 */
export function nextStreaks(previous: FailureStreaks, rows: AuditRow[]): FailureStreaks {
	const next: FailureStreaks = {};
	for (const row of rows)
		if (row.outcome === 'failed') {
			const key = subjectKey(row);
			next[key] = (previous[key] ?? 0) + 1;
		}
	return next;
}

/** Worst first: a tripped rail, a failed write, something to look at, a dry run, all fine. */
function runOutcome(steps: Step[], totals: { failed: number; attention: number }): RunOutcome {
	if (steps.some((step) => step.blocked)) return 'blocked';
	if (totals.failed > 0 || steps.some((step) => step.error !== undefined)) return 'failed';
	if (totals.attention > 0) return 'needs attention';
	if (steps.some((step) => step.dryRun)) return 'dry run';
	return 'ok';
}

/** "create 1039/1041 done, 2 failed" per action, joined with "; ". */
function countsText(counts: Record<string, ActionCounts>): string {
	const parts = Object.entries(counts).map(([action, c]) => {
		if (action === 'conflict') return `conflict ${c.planned}`;
		const details = [
			c.failed ? `${c.failed} failed` : '',
			c.attention ? `${c.attention} need attention` : '',
			c.existing ? `${c.existing} existed already` : '',
			c.skipped ? `${c.skipped} skipped (dry run)` : '',
		].filter(Boolean);
		return [`${action} ${c.done}/${c.planned} done`, ...details].join(', ');
	});
	return parts.length ? parts.join('; ') : 'nothing to do';
}

/** The report's readable text: headline, counts, rail, failures, repeated failures. */
function summaryText(
	context: RunContext,
	run: Omit<RunRow, 'summary'>,
	steps: Step[],
	existing: number,
): string {
	const system = [context.hrSystem, context.app].filter(Boolean).join(' → ');
	const lines = [
		`${context.workflow}${system ? ` (${system})` : ''}: ${run.outcome}, execution ${context.executionId} at ${context.time}`,
		`${run.planned} operations planned: ${run.done} done, ${existing ? `${existing} existed already, ` : ''}${run.failed} failed, ${run.attention - run.conflicts} need attention${run.dry_run ? ' (dry run: nothing was sent)' : ''}.`,
		`Per action: ${run.counts}.`,
	];
	if (run.conflicts) lines.push(`${run.conflicts} conflicts need a person to decide.`);
	for (const step of steps) {
		if (step.blocked)
			lines.push(`Safety rail "${step.blocked.rail}" in ${step.name}: ${step.blocked.message}`);
		if (step.error !== undefined) lines.push(`${step.name} failed: ${step.error}`);
		for (const [output, count] of Object.entries(step.notConnected ?? {}))
			lines.push(
				`Not recorded: ${count} planned on the ${output} output of ${step.name}, which has nothing connected.`,
			);
	}
	if (run.failed_people) lines.push('Failed:', run.failed_people);
	if (run.repeat_failures) lines.push('Failed on more than one run in a row:', run.repeat_failures);
	return lines.join('\n');
}

/**
 * The run report of one run from its audit rows, and the failure streaks to keep for the next
 * run. `previous` are the streaks kept after the previous run; a dry run keeps them unchanged.
 */
export function runReport(
	context: RunContext,
	steps: Step[],
	rows: AuditRow[],
	previous: FailureStreaks,
): { run: RunRow; streaks: FailureStreaks } {
	const counts = countByAction(rows);
	const operations = Object.entries(counts).filter(([action]) => isOperation(action));
	const sum = (field: keyof ActionCounts, entries = Object.values(counts)) =>
		entries.reduce((total, entry) => total + entry[field], 0);
	const dryRun = steps.some((step) => step.dryRun);
	const streaks = dryRun ? previous : nextStreaks(previous, rows);
	const failedRows = rows.filter((row) => row.outcome === 'failed');
	const failedLines = failedRows.map((row) =>
		`${label(row)}, ${row.action}: ${row.http_status ? `${row.http_status} ` : ''}${row.message ?? ''}`.trim(),
	);
	const repeatLines = failedRows
		.filter((row) => (streaks[subjectKey(row)] ?? 0) > 1)
		.map((row) => `${label(row)}: failed ${streaks[subjectKey(row)]} runs in a row`);
	const totals = {
		failed: sum('failed'),
		attention: sum('attention') + rows.filter((row) => row.action === 'blocked').length,
	};
	const blocked = steps.find((step) => step.blocked)?.blocked ?? null;
	const run: Omit<RunRow, 'summary'> = {
		time: context.time,
		workflow: context.workflow,
		execution_id: context.executionId,
		hr_system: context.hrSystem,
		app: context.app,
		outcome: runOutcome(steps, totals),
		dry_run: dryRun,
		planned: sum(
			'planned',
			operations.map(([, entry]) => entry),
		),
		done: sum('done'),
		failed: totals.failed,
		attention: sum('attention'),
		conflicts: counts.conflict?.planned ?? 0,
		blocked_rail: blocked ? `${blocked.rail}: ${blocked.message}` : null,
		counts: countsText(counts),
		counts_json: JSON.stringify(counts),
		failed_people: listed(failedLines),
		repeat_failures: listed([...new Set(repeatLines)]),
	};
	const summary = summaryText(context, run, steps, sum('existing'));
	return { run: { ...run, summary }, streaks };
}
