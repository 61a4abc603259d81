/**
 * AFAS GetConnector paging benchmark: 50,000 rows in pages of 1000 from the AFAS sandbox with
 * 50 ms latency per request, through the node in n8n's in-process engine, one request at a
 * time versus 8 in parallel (AFAS' maximum).
 *
 * Ideal for 8 in parallel: ceil(pages / 8) x latency, the time if the network wait were the only
 * cost. Goal: within 1.3x of it.
 *
 * Also measured: the same parallel fetch with no latency ("processing alone"): what producing,
 * sending, receiving, parsing and turning 50,000 rows into n8n items costs by itself (the
 * sandbox then answers each request before the next is out, hence 1 in flight); and the
 * parallel fetch without a sort ("default sort"): the node first reads the connector's fields
 * (one more request, 50 ms) and sorts on all of them.
 * And the parallel fetch with answers that take 50 ms ± up to 40 ms ("latency 50 ± 40 ms"), as
 * a real server's do: with pages of unequal speed, a window of pages waits for its slowest one.
 * The node pages through a sliding window of 8: a page starts as soon as one finishes. Its CPU
 * work on a page (receiving, parsing, the exactness checks) then overlaps the other pages' waits
 * as long as it takes less than latency / 8 per page; what remains is the last pages' work. The
 * sort (EmployeeNr) is unique, so the node reads no metainfo and every page after the first
 * repeats one row of the page before it (the check that rows did not shift): 50,000 rows in pages
 * of 1000 take 51 requests, the last one holding only that row.
 *
 * Method: the sandbox runs in its own process (afas-sandbox.process.ts; rows stored in sort
 * order, no shuffling, no gzip, each query sorted once and pages served from rows serialised
 * once), so its CPU barely competes with the node. After two warm-up fetches, the parallel and
 * no-latency fetches alternate for several rounds and sequential runs a few times; medians and
 * best runs are printed, with the load average, since the machine may be shared. Garbage from
 * the previous fetch is collected before each timed one, so no fetch pays for another's.
 * CPU columns (medians per fetch): the main thread of this process (the node and n8n's engine)
 * and of the sandbox process.
 *
 * `npm run bench` runs it with the others; alone: `npx tsx scripts/bench/run.ts afas-paging` or
 * `npx tsx scripts/bench/afas-paging.bench.ts`.
 */
import { fork } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { BENCH_CONNECTOR } from './afas-sandbox.process';
import { stats } from './reconcileTiming';

const ROWS = 50_000;
const PAGE_SIZE = 1000;
const LATENCY_MS = 50;
const PARALLEL = 8;
const GOAL_RATIO = 1.3;
/** Timed rounds of (parallel, no latency, jittered latency), and the other runs. */
const ROUNDS = 7;
const SEQUENTIAL_RUNS = 3;
const DEFAULT_SORT_RUNS = 3;
/** Spread of the latency in the jittered fetches: each answer waits 50 ms ± up to this (ms). */
const JITTER_MS = 40;

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** CPU time of this thread (where the node's JavaScript runs; GC helper threads excluded), in ms. */
export function mainThreadCpuMs(): number {
	const { user, system } = (
		process as unknown as { threadCpuUsage(): NodeJS.CpuUsage }
	).threadCpuUsage();
	return (user + system) / 1000;
}

interface SandboxAnswer {
	requests: number;
	maxInFlight: number;
	/** CPU time the sandbox process's main thread has used so far, in ms. */
	cpuMs: number;
}

/** The sandbox process (afas-sandbox.process.ts) as the benches drive it. */
export interface SandboxProcess {
	url: string;
	tokenXml: string;
	command(
		message:
			| { type: 'setLatency'; ms: number; jitterMs?: number }
			| { type: 'changeRows'; every: number; round: number }
			| { type: 'resetRows' }
			| { type: 'resetStats' }
			| { type: 'stats' },
	): Promise<SandboxAnswer>;
	close(): Promise<void>;
}

/** Starts the AFAS sandbox in its own process with `rowCount` rows in BENCH_CONNECTOR. */
export async function startSandboxProcess(rowCount: number): Promise<SandboxProcess> {
	const child = fork(join(__dirname, 'afas-sandbox.process.ts'), [String(rowCount)], {
		execArgv: ['--import', 'tsx'],
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	const next = () =>
		new Promise<Record<string, unknown>>((resolve, reject) => {
			const onExit = (code: number | null) =>
				reject(new Error(`AFAS sandbox process exited with ${String(code)}`));
			child.once('exit', onExit);
			child.once('message', (message) => {
				child.off('exit', onExit);
				resolve(message as Record<string, unknown>);
			});
		});
	const ready = await next();
	return {
		url: String(ready.url),
		tokenXml: String(ready.tokenXml),
		async command(message) {
			const answer = next();
			child.send(message);
			return (await answer) as unknown as SandboxAnswer;
		},
		close: () =>
			new Promise<void>((resolve) => {
				child.once('exit', () => resolve());
				child.send({ type: 'close' });
			}),
	};
}

interface Fetch {
	ms: number;
	requests: number;
	maxInFlight: number;
	nodeCpuMs: number;
	sandboxCpuMs: number;
}

const median = (values: number[]) => stats(values).median;
const ms = (value: number) => `${Math.round(value)} ms`;
const load = () =>
	loadavg()
		.map((value) => value.toFixed(2))
		.join(' ');

function summary(fetches: Fetch[]) {
	return {
		median: median(fetches.map((fetch) => fetch.ms)),
		best: Math.min(...fetches.map((fetch) => fetch.ms)),
		nodeCpu: median(fetches.map((fetch) => fetch.nodeCpuMs)),
		sandboxCpu: median(fetches.map((fetch) => fetch.sandboxCpuMs)),
		requests: Math.max(...fetches.map((fetch) => fetch.requests)),
		maxInFlight: Math.max(...fetches.map((fetch) => fetch.maxInFlight)),
	};
}

export async function run(): Promise<void> {
	// n8n-core writes its settings file on first use: keep the benchmark out of $HOME.
	process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'hr-sync-bench-'));
	const { credentialsFor, runNode } = await import('../../test/helpers/n8n');

	const sandbox = await startSandboxProcess(ROWS);
	try {
		const credentials = credentialsFor('afasApi', {
			connectUsing: 'url',
			url: sandbox.url,
			token: sandbox.tokenXml,
		});

		const fetchAll = async (
			parallel: number,
			latencyMs: number,
			{ sorted = true, jitterMs = 0 } = {},
		): Promise<Fetch> => {
			await sandbox.command({ type: 'setLatency', ms: latencyMs, jitterMs });
			const before = await sandbox.command({ type: 'resetStats' });
			collectGarbage();
			const cpuBefore = mainThreadCpuMs();
			const started = performance.now();
			const result = await runNode({
				type: 'afasGetConnector',
				credentials,
				parameters: {
					resource: 'connector',
					operation: 'getRows',
					connector: { __rl: true, mode: 'id', value: BENCH_CONNECTOR },
					returnAll: true,
					sort: sorted ? { fields: [{ field: 'EmployeeNr', direction: 'asc' }] } : {},
					options: { pageSize: PAGE_SIZE, parallelRequests: parallel },
				},
			});
			const elapsed = performance.now() - started;
			const cpuMs = mainThreadCpuMs() - cpuBefore;
			const items = result.outputs[0] ?? [];
			const rows = items.length;
			// Every employee once, in order (checked after the clock stopped).
			const inOrder = items.every((item, index) => item.json.EmployeeNr === index + 1);
			if (result.error || rows !== ROWS || !inOrder) {
				throw new Error(
					`Benchmark fetch failed: ${rows} rows, ${String(result.error?.message ?? '')}`,
				);
			}
			const after = await sandbox.command({ type: 'stats' });
			return {
				ms: elapsed,
				requests: after.requests,
				maxInFlight: after.maxInFlight,
				nodeCpuMs: cpuMs,
				sandboxCpuMs: after.cpuMs - before.cpuMs,
			};
		};

		const loadAtStart = load();
		// Warm-up: module loading, JIT, the sandbox's sort and serialisation; not measured.
		await fetchAll(PARALLEL, LATENCY_MS);
		await fetchAll(PARALLEL, 0);

		const parallelRuns: Fetch[] = [];
		const processingRuns: Fetch[] = [];
		const jitteredRuns: Fetch[] = [];
		for (let round = 0; round < ROUNDS; round++) {
			parallelRuns.push(await fetchAll(PARALLEL, LATENCY_MS));
			processingRuns.push(await fetchAll(PARALLEL, 0));
			jitteredRuns.push(await fetchAll(PARALLEL, LATENCY_MS, { jitterMs: JITTER_MS }));
		}
		const sequentialRuns: Fetch[] = [];
		for (let count = 0; count < SEQUENTIAL_RUNS; count++)
			sequentialRuns.push(await fetchAll(1, LATENCY_MS));
		const defaultSortRuns: Fetch[] = [];
		for (let count = 0; count < DEFAULT_SORT_RUNS; count++)
			defaultSortRuns.push(await fetchAll(PARALLEL, LATENCY_MS, { sorted: false }));

		const pages = Math.ceil(ROWS / PAGE_SIZE);
		const idealMs = Math.ceil(pages / PARALLEL) * LATENCY_MS;
		const sequential = summary(sequentialRuns);
		const parallel = summary(parallelRuns);
		const processing = summary(processingRuns);
		const defaultSort = summary(defaultSortRuns);
		const jittered = summary(jitteredRuns);
		const ratio = parallel.median / idealMs;
		const bestRatio = parallel.best / idealMs;
		const row = (label: string, result: ReturnType<typeof summary>) =>
			`  ${label.padEnd(34)} median ${ms(result.median).padStart(7)}, best ${ms(result.best).padStart(7)}` +
			`  | CPU node ${ms(result.nodeCpu).padStart(7)}, sandbox ${ms(result.sandboxCpu).padStart(6)}` +
			`  | ${result.requests} requests, max ${result.maxInFlight} in flight`;

		console.log(
			`AFAS paging: ${ROWS.toLocaleString('en-US')} rows, ${pages} pages of ${PAGE_SIZE}, ${LATENCY_MS} ms latency per request`,
		);
		console.log(
			`  ${ROUNDS} rounds of parallel + no-latency + jittered fetches, ${SEQUENTIAL_RUNS} sequential and ${DEFAULT_SORT_RUNS} default-sort fetches; ` +
				`${cpus().length} cores, load average ${loadAtStart} at start, ${load()} at the end`,
		);
		console.log(row('sequential (1 request at a time)', sequential));
		console.log(row(`parallel (${PARALLEL} in flight)`, parallel));
		console.log(row('processing alone (0 ms latency)', processing));
		console.log(row(`latency ${LATENCY_MS} ± ${JITTER_MS} ms (${PARALLEL} in flight)`, jittered));
		console.log(row(`default sort (${PARALLEL} in flight, metainfo)`, defaultSort));
		console.log(
			`  ideal ceil(${pages} pages / ${PARALLEL}) x ${LATENCY_MS} ms: ${ms(idealMs)}; goal: parallel <= ${GOAL_RATIO} x ideal = ${ms(idealMs * GOAL_RATIO)}`,
		);
		console.log(
			`  parallel / ideal: ${ratio.toFixed(2)}x (median), ${bestRatio.toFixed(2)}x (best) -> ` +
				(ratio <= GOAL_RATIO
					? 'goal MET'
					: bestRatio <= GOAL_RATIO
						? 'goal met by the best run only'
						: 'goal NOT met'),
		);
		console.log(
			`  speed-up parallel vs sequential: ${(sequential.median / parallel.median).toFixed(1)}x (medians)`,
		);
		// Sliding window: the node's CPU per page overlaps the other pages' waits while it stays
		// below latency / parallel per page.
		const cpuPerPage = parallel.nodeCpu / parallel.requests;
		console.log(
			`  node CPU per fetch ${ms(parallel.nodeCpu)} = ${cpuPerPage.toFixed(1)} ms per page; a sliding window of ${PARALLEL} hides it while below ` +
				`${LATENCY_MS} / ${PARALLEL} = ${(LATENCY_MS / PARALLEL).toFixed(2)} ms per page`,
		);
		console.log(
			`  latency ${LATENCY_MS} ± ${JITTER_MS} ms / ideal: ${(jittered.median / idealMs).toFixed(2)}x (median); ` +
				`default sort / ideal: ${(defaultSort.median / idealMs).toFixed(2)}x (median; one more request for the fields)`,
		);
	} finally {
		await sandbox.close();
	}
}

if (require.main === module) {
	run().catch((error: unknown) => {
		console.error(error);
		process.exitCode = 1;
	});
}
