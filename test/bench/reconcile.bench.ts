/**
 * Reconcile Users benchmark, in one process and on the same generated data
 * (reconcileData.ts: AFAS MobieTrain-style HR rows against MobieTrain-style app users,
 * 5 % joiners, 5 % leavers, 10 % movers, 2 % ended employments):
 *
 * 1. n8n's own Compare Datasets (n8n-nodes-base 2.40.x, run through its real `execute` in
 *    n8n-core's WorkflowExecute via the test harness) against this engine, and against the
 *    Reconcile Users node in the same harness, at 10,000 and 20,000 users per side.
 *    Goal: at least 100x faster than Compare Datasets at 20,000.
 * 2. This engine against a bare Map-based join (index the app on the lower-cased external ID,
 *    one pass over HR comparing the same six fields) at 100,000 per side.
 *    Goal: within 1.5x of the bare join.
 *
 * Times are medians of several runs after warm-up (Compare Datasets: one run, it is slow);
 * "peak heap" is the most heap in use above the starting point during the run, read from
 * V8's GC profiler (the heap just before each collection) and the heap at the end.
 *
 * Compare Datasets comes from the cached real-n8n install (not a dependency of this package:
 * its tree holds a native Kafka client). `bash test/tools/ensure-n8n.sh` installs it.
 * Run alone: `npx tsx test/bench/reconcile.bench.ts`.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { GCProfiler, getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import type { IDataObject } from 'n8n-workflow';

import { reconcile, type PeopleConfig } from '../../nodes/ReconcileUsers/engine';
import { generateData } from './reconcileData';

type Row = Record<string, unknown>;

const N8N_DIR = join(process.env.HR_SYNC_CACHE ?? join(homedir(), '.cache', 'n8n-nodes-hr-sync'), `n8n-${process.env.HR_SYNC_N8N_VERSION ?? '2.40.7'}`);
const COMPARE_DATASETS = join(N8N_DIR, 'node_modules', 'n8n-nodes-base', 'dist', 'nodes', 'CompareDatasets', 'CompareDatasets.node.js');

const ENGINE_CONFIG: PeopleConfig = {
	source: 'afasMobieTrain',
	target: 'mobieTrain',
	asOf: '2026-04-01',
	timeZone: 'Europe/Amsterdam',
	// The generated leavers are expected: keep the count rail out of the way.
	rails: { maxRemovals: 1_000_000 },
};

/** Benchmark output (stdout; the lint config keeps `console` out of the code base). */
function print(line = ''): void {
	process.stdout.write(`${line}\n`);
}

const format = (ms: number) => (ms >= 100 ? Math.round(ms).toLocaleString('en-US') : ms.toFixed(1));
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

interface Measured<T> {
	result: T;
	ms: number;
	peakBytes: number;
}

/** Runs `fn` once, timing it and tracking the peak heap above the (collected) starting point. */
async function measure<T>(fn: () => T | Promise<T>): Promise<Measured<T>> {
	collectGarbage();
	const base = getHeapStatistics().used_heap_size;
	const profiler = new GCProfiler();
	profiler.start();
	const start = performance.now();
	const result = await fn();
	const ms = performance.now() - start;
	let peak = getHeapStatistics().used_heap_size;
	for (const entry of profiler.stop()?.statistics ?? []) peak = Math.max(peak, entry.beforeGC.heapStatistics.usedHeapSize);
	return { result, ms, peakBytes: Math.max(0, peak - base) };
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

/** The baseline: a bare hash join on the external ID, comparing the MobieTrain target's six fields. */
export function bareJoin(hr: Row[], app: Row[]) {
	const byExternalId = new Map<string, Row>();
	for (const user of app) byExternalId.set(String(user.externalId).trim().toLowerCase(), user);
	const create: Row[] = [];
	const update: Array<{ hr: Row; app: Row; changes: Array<{ field: string; from: unknown; to: unknown }> }> = [];
	const unchanged: Array<{ hr: Row; app: Row }> = [];
	const matched = new Set<string>();
	for (const person of hr) {
		const key = String(person.externalId).trim().toLowerCase();
		const user = byExternalId.get(key);
		if (!user) {
			create.push(person);
			continue;
		}
		matched.add(key);
		const changes: Array<{ field: string; from: unknown; to: unknown }> = [];
		if (person.email !== user.email) changes.push({ field: 'email', from: user.email, to: person.email });
		if (person.firstName !== user.firstName) changes.push({ field: 'firstName', from: user.firstName, to: person.firstName });
		if (person.lastName !== user.lastName) changes.push({ field: 'lastName', from: user.lastName, to: person.lastName });
		if (person.functionDescription !== user.jobDescription) changes.push({ field: 'jobDescription', from: user.jobDescription, to: person.functionDescription });
		if (person.functionId !== (user.groups as string[])[0]) changes.push({ field: 'groups', from: user.groups, to: [person.functionId] });
		if (person.organizationId !== (user.stores as string[])[0]) changes.push({ field: 'stores', from: user.stores, to: [person.organizationId] });
		if (changes.length) update.push({ hr: person, app: user, changes });
		else unchanged.push({ hr: person, app: user });
	}
	const removed = app.filter((user) => !matched.has(String(user.externalId).trim().toLowerCase()));
	return { create, update, unchanged, removed };
}

/** Median time (and the peak heap of one more run) of `runs` runs after `warmup` runs. */
async function timeRepeated(fn: () => unknown, runs: number, warmup: number): Promise<{ ms: number; peakBytes: number }> {
	for (let i = 0; i < warmup; i++) fn();
	const times: number[] = [];
	for (let i = 0; i < runs; i++) times.push((await measure(fn)).ms);
	const { peakBytes } = await measure(fn);
	return { ms: median(times), peakBytes };
}

type Harness = typeof import('../helpers/n8n');

async function loadHarness(): Promise<Harness> {
	// n8n-core writes its settings under N8N_USER_FOLDER: keep the benchmark out of $HOME.
	process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'hr-sync-bench-'));
	return await import('../helpers/n8n');
}

/** Node execution time as n8n records it for the node (its `execute`, not the harness around it). */
function nodeTime(result: Awaited<ReturnType<Harness['runNode']>>, name: string): number {
	const task = result.runData[name]?.[0];
	if (!task || result.status !== 'success') throw new Error(`${name} failed: ${String(result.error?.message ?? result.status)}`);
	return task.executionTime;
}

async function compareDatasetsSection(harness: Harness): Promise<void> {
	print('Compare Datasets (n8n-nodes-base, real execute in WorkflowExecute) vs Reconcile Users, same data');
	if (!existsSync(COMPARE_DATASETS)) {
		print(`  skipped: ${COMPARE_DATASETS} not found; run \`bash test/tools/ensure-n8n.sh\` (installs n8n ${N8N_DIR.split('n8n-').pop()} once)`);
		return;
	}
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { CompareDatasets } = require(COMPARE_DATASETS) as { CompareDatasets: new () => never };
	harness.registerNodeType('n8n-nodes-base.compareDatasets', new CompareDatasets());
	const compareParameters = {
		mergeByFields: { values: [{ field1: 'externalId', field2: 'externalId' }] },
		resolve: 'includeBoth',
		options: {},
	};

	for (const size of [10_000, 20_000]) {
		const { hr, app } = generateData(size) as { hr: IDataObject[]; app: IDataObject[] };
		const compare = await measure(() =>
			harness.runNode({ type: 'n8n-nodes-base.compareDatasets', typeVersion: 2.3, parameters: compareParameters, inputs: [hr, app] }),
		);
		const compareMs = nodeTime(compare.result, harness.NODE_UNDER_TEST);
		const compareCounts = compare.result.outputs.map((items) => items.length);

		const nodeRuns: number[] = [];
		let nodePeak = 0;
		let nodeCounts: number[] = [];
		for (let i = 0; i < 3; i++) {
			const node = await measure(() =>
				harness.runNode({ type: 'reconcileUsers', parameters: { referenceDate: ENGINE_CONFIG.asOf, rails: { maxRemovals: 1_000_000 } }, inputs: [hr, app] }),
			);
			nodeRuns.push(nodeTime(node.result, harness.NODE_UNDER_TEST));
			nodePeak = Math.max(nodePeak, node.peakBytes);
			nodeCounts = node.result.outputs.map((items) => items.length);
		}
		const engine = await timeRepeated(() => reconcile(hr, app, ENGINE_CONFIG), 7, 3);
		const nodeMs = median(nodeRuns);

		print(`  ${size.toLocaleString('en-US')} users per side:`);
		print(`    Compare Datasets node   ${format(compareMs).padStart(8)} ms   peak heap +${mb(compare.peakBytes)}   outputs [in A only, same, different, in B only] = [${compareCounts.join(', ')}]`);
		print(`    Reconcile Users node    ${format(nodeMs).padStart(8)} ms   peak heap +${mb(nodePeak)}   outputs = [${nodeCounts.join(', ')}]`);
		print(`    reconcile() engine      ${format(engine.ms).padStart(8)} ms   peak heap +${mb(engine.peakBytes)}`);
		print(`    ratio Compare Datasets / engine = ${Math.round(compareMs / engine.ms)}x, / node = ${Math.round(compareMs / nodeMs)}x`);
		if (size === 20_000) {
			const ratio = compareMs / engine.ms;
			print(`    goal: engine at least 100x faster than Compare Datasets at 20,000 -> ${Math.round(ratio)}x ${ratio >= 100 ? 'MET' : 'NOT MET'}`);
		}
	}
}

async function bareJoinSection(): Promise<void> {
	const size = 100_000;
	print(`reconcile() engine vs a bare Map-based join, ${size.toLocaleString('en-US')} users per side`);
	const { hr, app } = generateData(size);
	const bare = await timeRepeated(() => bareJoin(hr, app), 9, 3);
	const engine = await timeRepeated(() => reconcile(hr, app, ENGINE_CONFIG), 9, 3);
	const engineOneKey = await timeRepeated(() => reconcile(hr, app, { ...ENGINE_CONFIG, matchOn: ['externalId'] }), 9, 3);
	const ratio = engine.ms / bare.ms;
	print(`    bare join (external ID)             ${format(bare.ms).padStart(8)} ms   peak heap +${mb(bare.peakBytes)}`);
	print(`    engine, external ID then email      ${format(engine.ms).padStart(8)} ms   peak heap +${mb(engine.peakBytes)}   ratio ${ratio.toFixed(2)}x`);
	print(`    engine, external ID only            ${format(engineOneKey.ms).padStart(8)} ms   peak heap +${mb(engineOneKey.peakBytes)}   ratio ${(engineOneKey.ms / bare.ms).toFixed(2)}x`);
	print(`    goal: engine (default settings) within 1.5x of the bare join -> ${ratio.toFixed(2)}x ${ratio <= 1.5 ? 'MET' : 'NOT MET'}`);
}

export async function run(): Promise<void> {
	const harness = await loadHarness();
	await compareDatasetsSection(harness);
	print();
	await bareJoinSection();
}

if (require.main === module) {
	run().catch((error: unknown) => {
		process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
		process.exitCode = 1;
	});
}
