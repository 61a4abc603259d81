/**
 * Timing for the Reconcile Users benchmark: repeated, alternated runs with the heap collected
 * before each one, and their median and spread.
 *
 * Each run is timed three ways: wall clock (`performance.now()`), CPU time of the main thread
 * (`process.threadCpuUsage()`: where the JavaScript runs), and CPU time of the whole process
 * (`process.cpuUsage()`: adds V8's parallel GC and compiler threads). On a shared machine the
 * wall time swings with the load; the main thread's CPU time much less, so it is the figure
 * the goals are read on.
 */
import { loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
/** A full garbage collection (V8's `gc()`, exposed at run time). */
export const collectGarbage = runInNewContext('gc') as () => void;

/** One timed run, in ms. */
export interface Sample {
	wall: number;
	cpu: number;
	processCpu: number;
}

/** CPU time of this thread in ms (Node >= 23.9; the benchmark runs on Node 24). */
function threadCpuMs(): number {
	const usage = (
		process as unknown as { threadCpuUsage(): { user: number; system: number } }
	).threadCpuUsage();
	return (usage.user + usage.system) / 1000;
}

/** CPU time of the whole process in ms (all threads: main, GC, compiler). */
function processCpuMs(): number {
	const usage = process.cpuUsage();
	return (usage.user + usage.system) / 1000;
}

/** A running clock: `stop()` gives the sample since `startClock()`. */
export interface Clock {
	stop(): Sample;
}

/** Starts a clock that measures wall, main-thread CPU and process CPU time, all in ms. */
export function startClock(): Clock {
	const cpu = threadCpuMs();
	const processCpu = processCpuMs();
	const wall = performance.now();
	return {
		stop: () => ({
			wall: performance.now() - wall,
			cpu: threadCpuMs() - cpu,
			processCpu: processCpuMs() - processCpu,
		}),
	};
}

/** Median, quartiles and range of a list of ms values. */
export interface Stats {
	n: number;
	median: number;
	q1: number;
	q3: number;
	min: number;
	max: number;
}

/** The `q` quantile (0..1) of sorted values, interpolated linearly. */
function quantile(sorted: number[], q: number): number {
	const at = (sorted.length - 1) * q;
	const low = Math.floor(at);
	const high = Math.ceil(at);
	return sorted[low] + (sorted[high] - sorted[low]) * (at - low);
}

/** Median, quartiles and range of `values` (ms; any order, not changed). */
export function stats(values: number[]): Stats {
	const sorted = [...values].sort((a, b) => a - b);
	return {
		n: sorted.length,
		median: quantile(sorted, 0.5),
		q1: quantile(sorted, 0.25),
		q3: quantile(sorted, 0.75),
		min: sorted[0],
		max: sorted[sorted.length - 1],
	};
}

/** The samples of one named measurement, one per round. */
export type Series = Map<string, Sample[]>;

/**
 * Something to time: `prepare` (not timed) makes the run's input, then one run gives one
 * sample per measurement it names.
 */
export interface Contestant<T = unknown> {
	name: string;
	prepare?: () => T;
	run: (input: T) => Promise<Record<string, Sample>> | Record<string, Sample>;
}

async function runOnce<T>(contestant: Contestant<T>): Promise<Record<string, Sample>> {
	const input = contestant.prepare ? contestant.prepare() : (undefined as T);
	collectGarbage();
	return await contestant.run(input);
}

/**
 * Runs every contestant `warmup` times, then `rounds` rounds in which each runs once, the
 * order rotating from round to round (so no contestant always follows the same one). Each run
 * gets its input prepared, then a full garbage collection, then the timed run: no run pays
 * for the garbage of another or of its own preparation. Returns the samples per measurement.
 */
export async function alternate(
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	contestants: Array<Contestant<any>>,
	rounds: number,
	warmup: number,
): Promise<Series> {
	for (let i = 0; i < warmup; i++) for (const contestant of contestants) await runOnce(contestant);
	const series: Series = new Map();
	for (let round = 0; round < rounds; round++) {
		for (let k = 0; k < contestants.length; k++) {
			const measured = await runOnce(contestants[(round + k) % contestants.length]);
			for (const [name, sample] of Object.entries(measured)) {
				const list = series.get(name);
				if (list) list.push(sample);
				else series.set(name, [sample]);
			}
		}
	}
	return series;
}

/** One line of benchmark output on stdout (an empty line by default). */
export function print(line = ''): void {
	process.stdout.write(`${line}\n`);
}

/** A ms value for the tables: whole with thousands separators from 100 up, else one decimal. */
export const ms = (value: number) =>
	value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1);

/** `41.2 (39.8-47.0)`: the median, then the range. */
function spread(s: Stats): string {
	return `${ms(s.median)} (${ms(s.min)}-${ms(s.max)})`;
}

/** One table row: wall, main-thread CPU and process CPU of a measurement, medians and ranges. */
export function row(label: string, samples: Sample[], width = 34): string {
	const wall = stats(samples.map((s) => s.wall));
	const cpu = stats(samples.map((s) => s.cpu));
	const processCpu = stats(samples.map((s) => s.processCpu));
	return `    ${label.padEnd(width)} ${spread(wall).padStart(22)} ${spread(cpu).padStart(22)} ${ms(processCpu.median).padStart(9)}`;
}

/** The column headings above `row` lines of the same label `width`. */
export function header(width = 34): string {
	return `    ${''.padEnd(width)} ${'wall ms: median (range)'.padStart(22)} ${'CPU ms: median (range)'.padStart(22)} ${'proc CPU'.padStart(9)}`;
}

/** A ratio of two measurements from their medians, wall and CPU. */
export interface Ratio {
	wall: number;
	cpu: number;
	/** The interquartile range of the per-round CPU ratios (how steady the ratio is). */
	cpuRounds: Stats;
}

/**
 * How many times `over` takes `under`: the ratio of their medians (wall, CPU), and the spread
 * of the per-round CPU ratios. Both lists hold one sample per round, in the same rounds.
 */
export function ratio(over: Sample[], under: Sample[]): Ratio {
	const perRound = over.map((sample, i) => sample.cpu / under[i].cpu);
	return {
		wall: stats(over.map((s) => s.wall)).median / stats(under.map((s) => s.wall)).median,
		cpu: stats(over.map((s) => s.cpu)).median / stats(under.map((s) => s.cpu)).median,
		cpuRounds: stats(perRound),
	};
}

/** `1.91x wall, 1.88x CPU (per-round CPU ratio: median 1.90, IQR 1.85-1.95)`. */
export function describeRatio(r: Ratio): string {
	const rounds = r.cpuRounds;
	return `${r.wall.toFixed(2)}x wall, ${r.cpu.toFixed(2)}x CPU (per-round CPU ratio: median ${rounds.median.toFixed(2)}, IQR ${rounds.q1.toFixed(2)}-${rounds.q3.toFixed(2)})`;
}

/** `load average 1.52 1.40 1.33 (1, 5, 15 min)`: the machine's load while the bench ran. */
export function loadLine(): string {
	const [one, five, fifteen] = loadavg().map((value) => value.toFixed(2));
	return `load average ${one} ${five} ${fifteen} (1, 5, 15 min)`;
}
