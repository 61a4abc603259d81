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
 * Times are medians of several back-to-back runs after warm-up (Compare Datasets: one run, it
 * is slow; the nodes: three runs through the harness).
 * Each is given twice: wall-clock time, and the CPU time of the main thread (where the
 * JavaScript runs; parallel GC helpers excluded). On a shared machine the wall time swings
 * with the load, the CPU time much less, so the goals are checked on both.
 * "Peak heap" is the most heap in use above the starting point during the run, read from
 * V8's GC profiler (the heap just before each collection) and the heap at the end.
 *
 * Compare Datasets comes from the cached real-n8n install (not a dependency of this package:
 * its tree holds a native Kafka client). `bash scripts/ensure-n8n.sh` installs it.
 * Run alone: `npx tsx scripts/bench/reconcile.bench.ts`.
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

const N8N_DIR = join(
	process.env.HR_SYNC_CACHE ?? join(homedir(), '.cache', 'n8n-nodes-hr-sync'),
	`n8n-${process.env.HR_SYNC_N8N_VERSION ?? '2.40.7'}`,
);
const COMPARE_DATASETS = join(
	N8N_DIR,
	'node_modules',
	'n8n-nodes-base',
	'dist',
	'nodes',
	'CompareDatasets',
	'CompareDatasets.node.js',
);

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
	cpuMs: number;
	peakBytes: number;
}

/** CPU time of this thread in ms (Node >= 23.9; the benchmark runs on Node 24). */
function threadCpuMs(): number {
	const usage = (
		process as unknown as { threadCpuUsage(): { user: number; system: number } }
	).threadCpuUsage();
	return (usage.user + usage.system) / 1000;
}

/** Runs `fn` once, timing it and tracking the peak heap above the (collected) starting point. */
async function measure<T>(fn: () => T | Promise<T>): Promise<Measured<T>> {
	collectGarbage();
	const base = getHeapStatistics().used_heap_size;
	const profiler = new GCProfiler();
	profiler.start();
	const cpuStart = threadCpuMs();
	const start = performance.now();
	const result = await fn();
	const ms = performance.now() - start;
	const cpuMs = threadCpuMs() - cpuStart;
	let peak = getHeapStatistics().used_heap_size;
	for (const entry of profiler.stop()?.statistics ?? [])
		peak = Math.max(peak, entry.beforeGC.heapStatistics.usedHeapSize);
	return { result, ms, cpuMs, peakBytes: Math.max(0, peak - base) };
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
	const update: Array<{
		hr: Row;
		app: Row;
		changes: Array<{ field: string; from: unknown; to: unknown }>;
	}> = [];
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
		if (person.email !== user.email)
			changes.push({ field: 'email', from: user.email, to: person.email });
		if (person.firstName !== user.firstName)
			changes.push({ field: 'firstName', from: user.firstName, to: person.firstName });
		if (person.lastName !== user.lastName)
			changes.push({ field: 'lastName', from: user.lastName, to: person.lastName });
		if (person.functionDescription !== user.jobDescription)
			changes.push({
				field: 'jobDescription',
				from: user.jobDescription,
				to: person.functionDescription,
			});
		if (person.functionId !== (user.groups as string[])[0])
			changes.push({ field: 'groups', from: user.groups, to: [person.functionId] });
		if (person.organizationId !== (user.stores as string[])[0])
			changes.push({ field: 'stores', from: user.stores, to: [person.organizationId] });
		if (changes.length) update.push({ hr: person, app: user, changes });
		else unchanged.push({ hr: person, app: user });
	}
	const removed = app.filter((user) => !matched.has(String(user.externalId).trim().toLowerCase()));
	return { create, update, unchanged, removed };
}

interface Timing {
	ms: number;
	cpuMs: number;
	peakBytes: number;
}

/**
 * Median wall and CPU time of `runs` back-to-back runs after `warmup` runs, as a long-running
 * n8n process would see them (garbage of one run is collected during the next, so GC is paid
 * for), plus the peak heap of one more run that starts from a collected heap.
 */
async function timeRepeated(fn: () => unknown, runs: number, warmup: number): Promise<Timing> {
	for (let i = 0; i < warmup; i++) fn();
	const wall: number[] = [];
	const cpu: number[] = [];
	for (let i = 0; i < runs; i++) {
		const cpuStart = threadCpuMs();
		const start = performance.now();
		fn();
		wall.push(performance.now() - start);
		cpu.push(threadCpuMs() - cpuStart);
	}
	const { peakBytes } = await measure(fn);
	return { ms: median(wall), cpuMs: median(cpu), peakBytes };
}

const timing = (t: Timing) =>
	`${format(t.ms).padStart(8)} ms wall ${format(t.cpuMs).padStart(8)} ms CPU   peak heap +${mb(t.peakBytes)}`;
const ratios = (a: Timing, b: Timing) => ({ wall: a.ms / b.ms, cpu: a.cpuMs / b.cpuMs });

type Harness = typeof import('../../test/helpers/n8n');

async function loadHarness(): Promise<Harness> {
	// n8n-core writes its settings under N8N_USER_FOLDER: keep the benchmark out of $HOME.
	process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'hr-sync-bench-'));
	return await import('../../test/helpers/n8n');
}

/** Node execution time as n8n records it for the node (its `execute`, not the harness around it). */
function nodeTime(result: Awaited<ReturnType<Harness['runNode']>>, name: string): number {
	const task = result.runData[name]?.[0];
	if (!task || result.status !== 'success')
		throw new Error(`${name} failed: ${String(result.error?.message ?? result.status)}`);
	return task.executionTime;
}

async function compareDatasetsSection(harness: Harness): Promise<void> {
	print(
		'Compare Datasets (n8n-nodes-base, real execute in WorkflowExecute) vs Reconcile Users, same data',
	);
	if (!existsSync(COMPARE_DATASETS)) {
		print(
			`  skipped: ${COMPARE_DATASETS} not found; run \`bash scripts/ensure-n8n.sh\` (installs n8n ${N8N_DIR.split('n8n-').pop()} once)`,
		);
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
		const compareRun = await measure(() =>
			harness.runNode({
				type: 'n8n-nodes-base.compareDatasets',
				typeVersion: 2.3,
				parameters: compareParameters,
				inputs: [hr, app],
			}),
		);
		nodeTime(compareRun.result, harness.NODE_UNDER_TEST);
		const compare: Timing = compareRun;
		const compareCounts = compareRun.result.outputs.map((items) => items.length);

		const wall: number[] = [];
		const cpu: number[] = [];
		let nodePeak = 0;
		let nodeCounts: number[] = [];
		for (let i = 0; i < 3; i++) {
			const node = await measure(() =>
				harness.runNode({
					type: 'reconcileUsers',
					parameters: { referenceDate: ENGINE_CONFIG.asOf, rails: { maxRemovals: 1_000_000 } },
					inputs: [hr, app],
				}),
			);
			nodeTime(node.result, harness.NODE_UNDER_TEST);
			wall.push(node.ms);
			cpu.push(node.cpuMs);
			nodePeak = Math.max(nodePeak, node.peakBytes);
			nodeCounts = node.result.outputs.map((items) => items.length);
		}
		const node: Timing = { ms: median(wall), cpuMs: median(cpu), peakBytes: nodePeak };
		const engine = await timeRepeated(() => reconcile(hr, app, ENGINE_CONFIG), 7, 3);
		const versusEngine = ratios(compare, engine);
		const versusNode = ratios(compare, node);

		print(
			`  ${size.toLocaleString('en-US')} users per side (each node run whole: harness, inputs, execute, outputs):`,
		);
		print(
			`    Compare Datasets node   ${timing(compare)}   outputs [A only, same, different, B only] = [${compareCounts.join(', ')}]`,
		);
		print(`    Reconcile Users node    ${timing(node)}   outputs = [${nodeCounts.join(', ')}]`);
		print(`    reconcile() engine      ${timing(engine)}`);
		print(
			`    Compare Datasets / engine = ${Math.round(versusEngine.wall)}x wall, ${Math.round(versusEngine.cpu)}x CPU; / Reconcile Users node = ${Math.round(versusNode.wall)}x wall, ${Math.round(versusNode.cpu)}x CPU`,
		);
		if (size === 20_000) {
			const met = versusEngine.wall >= 100 && versusEngine.cpu >= 100;
			print(
				`    goal: engine at least 100x faster than Compare Datasets at 20,000 -> ${met ? 'MET' : 'NOT MET'}`,
			);
		}
	}
}

async function bareJoinSection(): Promise<void> {
	const size = 100_000;
	print(
		`reconcile() engine vs a bare Map-based join, ${size.toLocaleString('en-US')} users per side`,
	);
	const { hr, app } = generateData(size);
	const bare = await timeRepeated(() => bareJoin(hr, app), 9, 3);
	const engine = await timeRepeated(() => reconcile(hr, app, ENGINE_CONFIG), 9, 3);
	const engineOneKey = await timeRepeated(
		() => reconcile(hr, app, { ...ENGINE_CONFIG, matchOn: ['externalId'] }),
		9,
		3,
	);
	const versus = ratios(engine, bare);
	const versusOneKey = ratios(engineOneKey, bare);
	print(`    bare join (external ID)          ${timing(bare)}`);
	print(
		`    engine, external ID then email   ${timing(engine)}   = ${versus.wall.toFixed(2)}x wall, ${versus.cpu.toFixed(2)}x CPU`,
	);
	print(
		`    engine, external ID only         ${timing(engineOneKey)}   = ${versusOneKey.wall.toFixed(2)}x wall, ${versusOneKey.cpu.toFixed(2)}x CPU`,
	);
	const verdict = (r: { wall: number; cpu: number }) =>
		r.wall <= 1.5 && r.cpu <= 1.5 ? 'MET' : r.cpu <= 1.5 ? 'MET on CPU time only' : 'NOT MET';
	print(
		`    goal: within 1.5x of the bare join -> default settings (two keys): ${verdict(versus)}; same key as the join (external ID): ${verdict(versusOneKey)}`,
	);
}

export async function run(): Promise<void> {
	const harness = await loadHarness();
	await compareDatasetsSection(harness);
	print();
	await bareJoinSection();
}

if (require.main === module) {
	run().catch((error: unknown) => {
		process.stderr.write(
			`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
		);
		process.exitCode = 1;
	});
}
