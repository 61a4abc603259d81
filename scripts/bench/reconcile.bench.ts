/**
 * Reconcile Users benchmark, in one process on generated data (reconcileData.ts: AFAS
 * MobieTrain-style HR rows against MobieTrain-style app users, 5 % joiners, 5 % leavers, 10 %
 * movers, 2 % ended employments). Three parts:
 *
 * 1. `join`: the engine (`reconcile()`) against a bare hash join (reconcileBaseline.ts) at
 *    100,000 per side, with the default two match keys and with the external ID only.
 *    Goal: the engine within 1.5x of the bare join (main-thread CPU, medians).
 * 2. `node`: the Reconcile Users node in n8n-core's WorkflowExecute (reconcileN8n.ts) against
 *    the engine alone at 20,000 and 100,000 per side: the node's `execute`, and the node as n8n
 *    runs it (with WorkflowExecute's own work around it: copying the input items, checking the
 *    output's pairedItem). Goal: the node within 2x of the engine.
 * 3. `compare`: n8n's own Compare Datasets node (n8n-nodes-base 2.40, its real `execute`) against
 *    the engine and the Reconcile Users node at 20,000 per side. Goal: the engine at least 100x
 *    faster.
 *
 * Method (reconcileTiming.ts): the contestants of a part run on the same data in alternation,
 * the order rotating each round, after warm-up runs. Every run gets its own copy of the data,
 * parsed from JSON as n8n hands each execution freshly parsed items (so no run finds string
 * hashes or other caches warmed by the one before), then a full garbage collection, then the
 * timed run. Every figure is the median of at least five runs, with its range; ratios are
 * ratios of medians, and the spread of the per-round ratios shows how steady they are. Wall
 * and CPU time are printed; on the shared development machine the CPU time of the main thread
 * is the figure to read. The load average is printed before and after each part.
 *
 * Compare Datasets comes from the cached real-n8n install (not a dependency of this package:
 * its tree holds a native Kafka client). `bash scripts/ensure-n8n.sh` installs it.
 * `npm run bench reconcile [join] [node] [compare]`, or alone:
 * `npx tsx scripts/bench/reconcile.bench.ts [join] [node] [compare]` (all parts by default).
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { reconcile, type Plan } from '../../nodes/ReconcileUsers/engine';
import { BARE_JOIN_DESCRIPTION } from './reconcileBaseline';
import { JOIN_NAMES, JOIN_SIZE } from './reconcileJoinProcess';
import { loadHarness, runNodeInN8n } from './reconcileN8n';
import { type Data, Dataset, ENGINE_CONFIG, NODE_PARAMETERS, timed } from './reconcileSetup';
import {
	type Contestant,
	type Sample,
	type Series,
	alternate,
	describeRatio,
	header,
	loadLine,
	print,
	ratio,
	row,
} from './reconcileTiming';

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

const RECONCILE_TYPE = 'n8n-nodes-hr-sync.reconcileUsers';

/** Processes of the `join` part, run one after the other, and rounds in each. */
const JOIN_PROCESSES = 3;
const JOIN_ROUNDS = 7;

const sized = (n: number) => n.toLocaleString('en-US');

function samples(series: Series, name: string): Sample[] {
	const list = series.get(name);
	if (!list) throw new Error(`No samples for ${name}`);
	return list;
}

function verdict(cpuRatio: number, goal: number): string {
	return cpuRatio <= goal ? 'MET' : 'NOT MET';
}

function planCounts(plan: Plan): number[] {
	return [plan.create, plan.update, plan.remove, plan.unchanged, plan.conflicts, plan.createFirst]
		.map((list) => list.length)
		.concat(1);
}

function sameCounts(outputs: INodeExecutionData[][], plan: Plan): void {
	const node = outputs.map((items) => items.length).join(', ');
	const engine = planCounts(plan).join(', ');
	if (node !== engine)
		throw new Error(`The node's outputs [${node}] differ from the plan [${engine}]`);
}

/** Runs one `join` process (reconcileJoinProcess.ts) and returns its samples. */
function joinProcess(rounds: number, warmup: number): Promise<Record<string, Sample[]>> {
	return new Promise((resolve, reject) => {
		const child = fork(
			join(__dirname, 'reconcileJoinProcess.ts'),
			[String(rounds), String(warmup)],
			{
				execArgv: ['--import', 'tsx'],
				stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
			},
		);
		let series: Record<string, Sample[]> | undefined;
		child.once('message', (message) => (series = message as Record<string, Sample[]>));
		child.once('error', reject);
		child.once('exit', (code) =>
			series ? resolve(series) : reject(new Error(`join process exited with ${String(code)}`)),
		);
	});
}

async function joinPart(): Promise<void> {
	print(`reconcile() engine vs a bare hash join, ${sized(JOIN_SIZE)} users per side`);
	for (const line of BARE_JOIN_DESCRIPTION) print(`  ${line}`);
	print(
		'  The engine does more for its time: both keys indexed (duplicates and "one person, two users"',
	);
	print(
		'  caught), Unicode-aware keys and text, dates, statuses, payloads, a reason for every person.',
	);
	print(
		`  ${loadLine()}; ${JOIN_PROCESSES} processes one after the other, each ${JOIN_ROUNDS} alternated rounds after 2 warm-up rounds, samples pooled`,
	);
	const series: Series = new Map();
	const perProcess: Array<Record<string, Sample[]>> = [];
	for (let p = 0; p < JOIN_PROCESSES; p++) {
		const part = await joinProcess(JOIN_ROUNDS, 2);
		perProcess.push(part);
		for (const [name, list] of Object.entries(part))
			series.set(name, [...(series.get(name) ?? []), ...list]);
	}
	print(header());
	for (const name of Object.values(JOIN_NAMES)) print(row(name, samples(series, name)));
	const bare = samples(series, JOIN_NAMES.bare);
	const twoKeys = ratio(samples(series, JOIN_NAMES.engine), bare);
	const oneKey = ratio(samples(series, JOIN_NAMES.engineOneKey), bare);
	const perProcessRatios = (name: string) =>
		perProcess.map((part) => ratio(part[name], part[JOIN_NAMES.bare]).cpu.toFixed(2)).join(', ');
	print(`    engine (two keys) / bare join    = ${describeRatio(twoKeys)}`);
	print(`    engine (external ID) / bare join = ${describeRatio(oneKey)}`);
	print(
		`    CPU ratio per process: two keys ${perProcessRatios(JOIN_NAMES.engine)}; external ID ${perProcessRatios(JOIN_NAMES.engineOneKey)}`,
	);
	print(
		`    goal: within 1.5x of the bare join (CPU, medians) -> two keys: ${verdict(twoKeys.cpu, 1.5)}; external ID only: ${verdict(oneKey.cpu, 1.5)}`,
	);
	print(`  ${loadLine()}`);
}

async function nodeRun(hr: Row[], app: Row[]) {
	return await runNodeInN8n({
		type: RECONCILE_TYPE,
		typeVersion: 1,
		parameters: NODE_PARAMETERS,
		hr: hr as IDataObject[],
		app: app as IDataObject[],
	});
}

/** The Reconcile Users node in WorkflowExecute as a contestant: three measurements a run. */
function reconcileNode(data: Dataset, prefix = 'Reconcile Users'): Contestant<Data> {
	return {
		name: prefix,
		prepare: () => data.fresh(),
		run: async ({ hr, app }) => {
			const { samples: s } = await nodeRun(hr, app);
			return {
				[`${prefix}: execute`]: s.execute,
				[`${prefix}: node in n8n`]: s.node,
				[`${prefix}: whole workflow`]: s.workflow,
			};
		},
	};
}

async function nodePart(): Promise<void> {
	print('Reconcile Users node (n8n-core WorkflowExecute) vs its engine alone, same data');
	print("  execute:        the node's execute(): parameters, inputs, reconcile(), output items");
	print(
		'  node in n8n:    what WorkflowExecute reports for the node: execute plus copying the input',
	);
	print("                  items (pairedItem lineage) and checking the output's pairedItem");
	print('  whole workflow: Start, the two input nodes handing over the items, and the node');
	for (const [size, rounds] of [
		[20_000, 9],
		[100_000, 7],
	]) {
		const data = new Dataset(size);
		const { hr, app } = data.fresh();
		const first = await nodeRun(hr, app);
		sameCounts(first.outputs, reconcile(hr, app, ENGINE_CONFIG));
		print(
			`  ${sized(size)} users per side, outputs [${first.outputs.map((items) => items.length).join(', ')}]; ${loadLine()}; ${rounds} alternated rounds after 2 warm-up rounds`,
		);
		const series = await alternate(
			[
				timed('reconcile() engine', data, (input) => reconcile(input.hr, input.app, ENGINE_CONFIG)),
				reconcileNode(data),
			],
			rounds,
			2,
		);
		print(header());
		for (const name of [
			'reconcile() engine',
			'Reconcile Users: execute',
			'Reconcile Users: node in n8n',
			'Reconcile Users: whole workflow',
		])
			print(row(name, samples(series, name)));
		const engine = samples(series, 'reconcile() engine');
		const execute = ratio(samples(series, 'Reconcile Users: execute'), engine);
		const inN8n = ratio(samples(series, 'Reconcile Users: node in n8n'), engine);
		print(`    execute / engine     = ${describeRatio(execute)}`);
		print(`    node in n8n / engine = ${describeRatio(inN8n)}`);
		print(
			`    goal: node within 2x of the engine (CPU, medians) -> execute: ${verdict(execute.cpu, 2)}; node in n8n: ${verdict(inN8n.cpu, 2)}`,
		);
	}
	print(`  ${loadLine()}`);
}

async function comparePart(): Promise<void> {
	const size = 20_000;
	print(
		`Compare Datasets (n8n-nodes-base, real execute in WorkflowExecute) vs Reconcile Users, ${sized(size)} users per side`,
	);
	if (!existsSync(COMPARE_DATASETS)) {
		print(
			`  skipped: ${COMPARE_DATASETS} not found; run \`bash scripts/ensure-n8n.sh\` (installs n8n ${N8N_DIR.split('n8n-').pop()} once)`,
		);
		return;
	}
	const { registerNodeType } = await loadHarness();
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { CompareDatasets } = require(COMPARE_DATASETS) as { CompareDatasets: new () => never };
	registerNodeType('n8n-nodes-base.compareDatasets', new CompareDatasets());
	const data = new Dataset(size);
	const compareRun = ({ hr, app }: Data) =>
		runNodeInN8n({
			type: 'n8n-nodes-base.compareDatasets',
			typeVersion: 2.3,
			parameters: {
				mergeByFields: { values: [{ field1: 'externalId', field2: 'externalId' }] },
				resolve: 'includeBoth',
				options: {},
			},
			hr: hr as IDataObject[],
			app: app as IDataObject[],
		});
	const counts = (await compareRun(data.fresh())).outputs.map((items) => items.length);
	print(`  Compare Datasets outputs [A only, same, different, B only] = [${counts.join(', ')}]`);
	const rounds = 5;
	print(`  ${loadLine()}; ${rounds} alternated rounds after 1 warm-up round`);
	const series = await alternate(
		[
			{
				name: 'Compare Datasets',
				prepare: () => data.fresh(),
				run: async (input: Data) => {
					const { samples: s } = await compareRun(input);
					return { 'Compare Datasets: node in n8n': s.node };
				},
			},
			reconcileNode(data),
			timed('reconcile() engine', data, ({ hr, app }) => reconcile(hr, app, ENGINE_CONFIG)),
		],
		rounds,
		1,
	);
	print(header());
	for (const name of [
		'Compare Datasets: node in n8n',
		'Reconcile Users: node in n8n',
		'reconcile() engine',
	])
		print(row(name, samples(series, name)));
	const compare = samples(series, 'Compare Datasets: node in n8n');
	const versusEngine = ratio(compare, samples(series, 'reconcile() engine'));
	const versusNode = ratio(compare, samples(series, 'Reconcile Users: node in n8n'));
	const x = (value: number) => `${Math.round(value)}x`;
	print(
		`    Compare Datasets / engine = ${x(versusEngine.wall)} wall, ${x(versusEngine.cpu)} CPU; / Reconcile Users node = ${x(versusNode.wall)} wall, ${x(versusNode.cpu)} CPU`,
	);
	print(
		`    goal: engine at least 100x faster than Compare Datasets (CPU, medians) -> ${versusEngine.cpu >= 100 ? 'MET' : 'NOT MET'}`,
	);
	print(`  ${loadLine()}`);
}

const PARTS: Record<string, () => Promise<void>> = {
	join: joinPart,
	node: nodePart,
	compare: comparePart,
};

/** Runs the named parts (all by default), in the order join, node, compare. */
export async function run(args: string[] = []): Promise<void> {
	const unknown = args.filter((name) => !(name in PARTS));
	if (unknown.length > 0)
		throw new Error(`Unknown part(s) ${unknown.join(', ')}: use ${Object.keys(PARTS).join(', ')}`);
	const chosen = Object.keys(PARTS).filter((name) => args.length === 0 || args.includes(name));
	for (const [k, name] of chosen.entries()) {
		if (k > 0) print();
		await PARTS[name]();
	}
}

if (require.main === module) {
	run(process.argv.slice(2)).catch((error: unknown) => {
		process.stderr.write(
			`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
		);
		process.exitCode = 1;
	});
}
