/**
 * The reconcile engine: a pure function from (HR records, app users, config) to a plan.
 *
 * No n8n imports, no clock, no I/O: the reference date comes in as `config.asOf` (the node
 * computes "today in the workflow's time zone"), so the same input always gives the same plan
 * in the same order. Conflicts and a blocked plan are values; only a config that cannot work
 * throws (ReconcileConfigError), which the node rewraps.
 */
import { reconcilePeople } from './people';
import { reconcileRecords } from './records';
import type { Plan, RawRecord, ReconcileConfig } from './types';

export function reconcile(hr: RawRecord[], app: RawRecord[], config: ReconcileConfig): Plan {
	return config.mode === 'records'
		? reconcileRecords(hr, app, config)
		: reconcilePeople(hr, app, config);
}

export { referenceDate, addDays, minusMonths } from './dates';
export { SOURCE_PRESETS, TARGET_PRESETS } from './presets';
export { DEFAULT_RAILS } from './plan';
export * from './types';
