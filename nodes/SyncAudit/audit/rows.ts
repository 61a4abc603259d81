/**
 * Audit rows from a plan and the write results: one row per operation (create, update,
 * reactivate, deactivate, remove, createFirst), one per conflict, one per tripped safety rail.
 * Unchanged, waiting, skipped and ignored people are not operations and get no row.
 */
import type { AuditRow, Outcome, PlanItemJson, RunContext, Step, WriteResult } from './types';

/** Plan items that change nothing in the app: no audit row. */
export const NOT_OPERATIONS = new Set(['unchanged', 'wait', 'skip', 'ignore']);

/**
 * Whether a plan item is an operation (create, update, reactivate, deactivate, remove,
 * createFirst, or any other action a target plans): everything but conflicts, the summary, an
 * error item and the items that change nothing.
 */
export function isOperation(action: string): boolean {
	return (
		!NOT_OPERATIONS.has(action) && !['conflict', 'summary', 'error', 'blocked'].includes(action)
	);
}

/** Longest `changes` text (characters) and `changes_json` text kept in a row. */
export const MAX_CHANGES_TEXT = 2000;
export const MAX_CHANGES_JSON = 10000;

/** The message of an operation no write node answered for. */
export const NO_RESULT_MESSAGE =
	'No write result reached Sync Audit for this operation: it was not sent, or the node that sends it is not connected to the Write Results input of Sync Audit.';

type Json = Record<string, unknown>;
type Change = { field: string; from: unknown; to: unknown };

const text = (value: unknown): string | null => {
	if (value === null || value === undefined) return null;
	const result = String(value).trim();
	return result === '' ? null : result;
};

const isObject = (value: unknown): value is Json =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** A value at a dot path of a record. */
function valueAt(record: Json | null, path: string): unknown {
	let value: unknown = record;
	for (const part of path.split('.')) value = isObject(value) ? value[part] : undefined;
	return value;
}

/** "First Last" from a record's firstName/lastName, else its name or displayName. */
function nameOf(record: Json | null | undefined): string | null {
	if (!record) return null;
	const full = [text(record.firstName), text(record.lastName)].filter(Boolean).join(' ');
	return full || text(record.name) || text(record.displayName);
}

/**
 * The group of a membership item (a target that plans group memberships per group, such as the
 * SCIM target's `groupAdd` / `groupRemove`: `{ group: { id, displayName, externalId }, members:
 * [{ appId, externalId, email }] }`), or null for any other item.
 */
function membershipGroup(item: PlanItemJson): Json | null {
	return isObject(item.group) && Array.isArray(item.members) ? item.group : null;
}

/** The people a membership item adds or removes, by external ID (else email, else app id). */
function membershipChanges(item: PlanItemJson): Change[] {
	const people = (item.members as unknown[]).map((member) =>
		isObject(member)
			? (text(member.externalId) ?? text(member.email) ?? text(member.appId))
			: text(member),
	);
	const field = item.action === 'groupRemove' ? 'members removed' : 'members added';
	return [{ field, from: null, to: people }];
}

/** Who or what a plan item is about: the person's keys, or the record's key. */
export function subjectOf(
	item: PlanItemJson,
	step: Pick<Step, 'mode' | 'recordKey'>,
): Pick<AuditRow, 'external_id' | 'email' | 'display_name' | 'record_key'> {
	const hr = isObject(item.hr) ? item.hr : null;
	const app = isObject(item.app) ? item.app : null;
	const payload = isObject(item.payload) ? item.payload : null;
	if (item.action === 'createFirst') {
		return {
			external_id: null,
			email: null,
			// A SCIM Group is named by displayName, the other apps' groups and stores by name.
			display_name: text(payload?.name) ?? text(payload?.displayName),
			record_key: [text(item.kind), text(payload?.externalId)].filter(Boolean).join(' ') || null,
		};
	}
	const group = membershipGroup(item);
	if (group) {
		return {
			external_id: null,
			email: null,
			display_name: text(group.displayName),
			record_key: ['group', text(group.externalId) ?? text(group.id)].filter(Boolean).join(' '),
		};
	}
	if (step.mode === 'records') {
		const key = step.recordKey ?? 'externalId';
		return {
			external_id: null,
			email: null,
			display_name: nameOf(hr) ?? nameOf(app),
			record_key: text(valueAt(hr, key)) ?? text(valueAt(app, key)),
		};
	}
	return {
		external_id: text(hr?.externalId) ?? text(app?.externalId),
		email: text(hr?.email) ?? text(app?.email),
		display_name: nameOf(hr) ?? nameOf(app) ?? nameOf(payload),
		record_key: null,
	};
}

/** A payload's fields as dot paths (nested objects opened, lists kept whole). */
function flatten(payload: Json, prefix = ''): Array<[string, unknown]> {
	return Object.entries(payload).flatMap(([key, value]) =>
		isObject(value) ? flatten(value, `${prefix}${key}.`) : [[`${prefix}${key}`, value]],
	);
}

/**
 * The field changes of an operation: the plan's own `changes` (updates), else the payload read
 * against the app user (a create shows every field it sets, a deactivation the status it sets).
 */
export function changesOf(item: PlanItemJson): Change[] {
	if (Array.isArray(item.changes) && item.changes.length > 0) return item.changes;
	if (membershipGroup(item)) return membershipChanges(item);
	if (!isObject(item.payload) || item.action === 'remove') return [];
	const app = isObject(item.app) ? item.app : null;
	// `schemas` (SCIM) names the resource's type, it is no attribute that changes.
	const fields = flatten(item.payload).filter(([field]) => field !== 'schemas');
	return fields.map(([field, to]) => ({
		field,
		from: valueAt(app, field) ?? null,
		to,
	}));
}

/** A value as a person reads it: `(empty)`, the text, `[a, b]` for lists, JSON for objects. */
export function readable(value: unknown): string {
	if (value === null || value === undefined || value === '') return '(empty)';
	if (Array.isArray(value)) return `[${value.map(readable).join(', ')}]`;
	if (isObject(value)) return JSON.stringify(value);
	return String(value);
}

function clipped(value: string, max: number): string {
	return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

/**
 * `changes` as `field: from → to; …` (a create, which has no "from", as `field: to; …`) and as
 * JSON text, both bounded in length.
 */
export function changesColumns(
	changes: Change[],
	created = false,
): Pick<AuditRow, 'changes' | 'changes_json'> {
	if (changes.length === 0) return { changes: null, changes_json: null };
	const lines = changes.map(({ field, from, to }) =>
		created ? `${field}: ${readable(to)}` : `${field}: ${readable(from)} → ${readable(to)}`,
	);
	let json = JSON.stringify(changes);
	for (let kept = changes.length - 1; json.length > MAX_CHANGES_JSON && kept > 0; kept--)
		json = JSON.stringify([...changes.slice(0, kept), { truncated: changes.length - kept }]);
	return {
		changes: clipped(lines.join('; '), MAX_CHANGES_TEXT),
		changes_json: clipped(json, MAX_CHANGES_JSON),
	};
}

/** One audit row. */
export function auditRow(
	context: RunContext,
	step: Step,
	item: PlanItemJson,
	result: {
		outcome: Outcome;
		status?: number | null;
		message?: string | null;
		appId?: string | null;
	},
): AuditRow {
	return {
		time: context.time,
		workflow: context.workflow,
		execution_id: context.executionId,
		hr_system: context.hrSystem,
		app: context.app,
		step: step.name,
		action: item.action,
		...subjectOf(item, step),
		app_id: text(result.appId) ?? text(item.appId),
		...changesColumns(
			changesOf(item),
			item.action === 'create' || item.action === 'createFirst' || !!membershipGroup(item),
		),
		reason: text(item.reason),
		outcome: result.outcome,
		http_status: result.status ?? null,
		message: result.message ?? null,
	};
}

/**
 * The outcome of one operation of a run that wrote (not a dry run, no tripped rail): `done`,
 * `failed` (with the first failure's status and message), `skipped: exists already` when every
 * failure is a create the app refused because the record exists already (status and message
 * kept), or `needs attention` when no write node answered for it.
 */
export function writtenOutcome(results: WriteResult[] | undefined): {
	outcome: Outcome;
	status: number | null;
	message: string | null;
	appId: string | null;
} {
	if (!results || results.length === 0)
		return { outcome: 'needs attention', status: null, message: NO_RESULT_MESSAGE, appId: null };
	const failures = results.filter((result) => !result.ok);
	if (failures.length > 0) {
		const existing = failures.every((result) => result.existsAlready === true);
		const [failure] = failures;
		return {
			outcome: existing ? 'skipped: exists already' : 'failed',
			status: failure.status,
			message: failure.message,
			appId: null,
		};
	}
	return {
		outcome: 'done',
		status: null,
		message: null,
		appId: results.find((result) => result.appId)?.appId ?? null,
	};
}

/** The row of one plan item, or undefined for items that are not operations or conflicts. */
function rowFor(
	context: RunContext,
	step: Step,
	item: PlanItemJson,
	results: WriteResult[] | undefined,
): AuditRow | undefined {
	if (item.action === 'conflict')
		return auditRow(context, step, item, {
			outcome: 'needs attention',
			message: text(item.conflict?.code) ?? 'conflict',
		});
	if (!isOperation(item.action)) return undefined;
	if (step.dryRun) return auditRow(context, step, item, { outcome: 'skipped: dry run' });
	if (step.blocked && !step.sent?.has(item))
		return auditRow(context, step, item, {
			outcome: 'needs attention',
			message: `Not sent: a safety rail held the run back (${step.blocked.message})`,
		});
	return auditRow(context, step, item, writtenOutcome(results));
}

/** The row that records a tripped safety rail (action `blocked`). */
function blockedRow(context: RunContext, step: Step): AuditRow {
	const blocked = step.blocked!;
	return {
		...auditRow(
			context,
			step,
			{ action: 'blocked', reason: blocked.message },
			{
				outcome: 'needs attention',
				message: text(blocked.detail),
			},
		),
		record_key: blocked.rail,
	};
}

/**
 * Every audit row of one step, in plan order; `results` gives the write results per plan item
 * (the same objects as in `step.items`). A step whose Reconcile Users failed gives one `error` row.
 */
export function stepRows(
	context: RunContext,
	step: Step,
	results: Map<PlanItemJson, WriteResult[]>,
): AuditRow[] {
	if (step.error !== undefined)
		return [
			auditRow(
				context,
				step,
				{ action: 'error', reason: step.error },
				{
					outcome: 'failed',
					message: step.error,
				},
			),
		];
	const rows: AuditRow[] = [];
	if (step.blocked) rows.push(blockedRow(context, step));
	for (const item of step.items) {
		const row = rowFor(context, step, item, results.get(item));
		if (row) rows.push(row);
	}
	return rows;
}
