/**
 * AFAS Trigger benchmark: polls of a GetConnector of 50,000 rows (pages of 1000, 8 in flight,
 * sorted on the unique key EmployeeNr), through the trigger's real PollContext in n8n's
 * in-process engine, with the workflow's static data kept between polls as n8n keeps it (a JSON
 * round trip before and after each poll: test/helpers/n8n.ts createPoller).
 *
 * Measured, with answers of 50 ms (as the paging bench) and of 0 ms (the trigger's own work):
 * - the first poll (the baseline: read, fingerprint every key, store);
 * - a poll with no change (nothing emitted, nothing written);
 * - a poll with 1 % of the rows changed (500 change events, Row output for Reconcile Users);
 * - for reference, the same read through the AFAS GetConnector node (Get Rows).
 * Medians of several polls, with the main thread's CPU time, and the size of the static data
 * (bytes of its JSON) after the polls. Then the snapshot's size for 50,000 keys when watching
 * 8, 13 (MobieTrain's connector) and 33 fields (AFAS' Profit_Employees), computed with the
 * trigger's own helpers on generated rows.
 *
 * `npm run bench` runs it with the others; alone: `npx tsx scripts/bench/run.ts afas-trigger`.
 */
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';

import { groupRows, snapshotOf } from '../../nodes/AfasTrigger/helpers/snapshot';
import { BENCH_CONNECTOR } from './afas-sandbox.process';
import { mainThreadCpuMs, startSandboxProcess } from './afas-paging.bench';
import { stats } from './reconcileTiming';

const ROWS = 50_000;
const PAGE_SIZE = 1000;
const PARALLEL = 8;
/** Every 100th row changes: 1 %. */
const CHANGE_EVERY = 100;
const ROUNDS = 5;

interface Timing {
	ms: number;
	cpuMs: number;
}

const median = (values: number[]) => stats(values).median;
const ms = (value: number) => `${Math.round(value)} ms`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

async function timed<T>(work: () => Promise<T>): Promise<{ value: T } & Timing> {
	const cpuBefore = mainThreadCpuMs();
	const started = performance.now();
	const value = await work();
	return { value, ms: performance.now() - started, cpuMs: mainThreadCpuMs() - cpuBefore };
}

function line(label: string, timings: Timing[]): string {
	const times = timings.map((timing) => timing.ms);
	return (
		`  ${label.padEnd(40)} median ${ms(median(times)).padStart(7)}, best ${ms(Math.min(...times)).padStart(7)}` +
		`  | CPU ${ms(median(timings.map((timing) => timing.cpuMs))).padStart(7)}`
	);
}

/** The snapshot's JSON size for ROWS keys when `fieldCount` fields are watched. */
function snapshotBytes(fieldCount: number): number {
	const fields = Array.from({ length: fieldCount }, (_, index) => `Field${index + 1}`);
	const rows = Array.from({ length: ROWS }, (_, index) => {
		const row: Record<string, string> = { EmployeeId: String(100_000 + index) };
		for (const field of fields) row[field] = `${field}-${index % 997}`;
		return row;
	});
	const settings = { keyFields: ['EmployeeId'], fields, remember: [], several: false };
	const snapshot = snapshotOf(groupRows(rows, settings), settings, {
		population: '{}',
		day: '2026-03-10',
		asOf: '2026-03-10T12:00:00.000Z',
	});
	return Buffer.byteLength(JSON.stringify({ 'node:AFAS Trigger': { snapshot } }));
}

export async function run(): Promise<void> {
	// n8n-core writes its settings file on first use: keep the benchmark out of $HOME.
	process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'hr-sync-bench-'));
	const { createPoller, credentialsFor, runNode } = await import('../../test/helpers/n8n');
	const collectGarbage = runInNewContext('gc') as () => void;
	const sandbox = await startSandboxProcess(ROWS);
	try {
		const credentials = credentialsFor('afasApi', {
			connectUsing: 'url',
			url: sandbox.url,
			token: sandbox.tokenXml,
		});
		const connector = { __rl: true, mode: 'id', value: BENCH_CONNECTOR };
		const options = { pageSize: PAGE_SIZE, parallelRequests: PARALLEL };
		console.log(
			`AFAS Trigger: ${ROWS.toLocaleString('en-US')} rows, pages of ${PAGE_SIZE}, ${PARALLEL} in flight, key EmployeeNr, ` +
				`8 watched fields, start and end date fields, Row output; load average ${loadavg()
					.map((value) => value.toFixed(2))
					.join(' ')} at start`,
		);
		for (const latencyMs of [50, 0]) {
			await sandbox.command({ type: 'setLatency', ms: latencyMs });
			await sandbox.command({ type: 'resetRows' });
			const p = createPoller({
				type: 'afasTrigger',
				parameters: {
					connector,
					keyFields: ['EmployeeNr'],
					startDateField: 'StartDate',
					endDateField: 'EndDate',
					output: 'row',
					options,
				},
				credentials,
			});
			const poll = async (expected: number): Promise<Timing> => {
				collectGarbage();
				const result = await timed(() => p.poll());
				const items = result.value?.[0]?.length ?? 0;
				if (items !== expected)
					throw new Error(`Benchmark poll gave ${items} items, expected ${expected}`);
				return result;
			};
			const baseline = await poll(0);
			await poll(0); // warm-up
			const unchanged: Timing[] = [];
			const changed: Timing[] = [];
			for (let round = 1; round <= ROUNDS; round++) {
				unchanged.push(await poll(0));
				await sandbox.command({ type: 'changeRows', every: CHANGE_EVERY, round });
				changed.push(await poll(ROWS / CHANGE_EVERY));
			}
			const reads: Timing[] = [];
			for (let round = 0; round < 3; round++) {
				collectGarbage();
				const read = await timed(() =>
					runNode({
						type: 'afasGetConnector',
						credentials,
						parameters: {
							resource: 'connector',
							operation: 'getRows',
							connector,
							returnAll: true,
							sort: { fields: [{ field: 'EmployeeNr', direction: 'asc' }] },
							options,
						},
					}),
				);
				if ((read.value.outputs[0] ?? []).length !== ROWS) throw new Error('Benchmark read failed');
				reads.push(read);
			}
			console.log(` answers of ${latencyMs} ms:`);
			console.log(line('first poll (baseline)', [baseline]));
			console.log(line('poll, no change', unchanged));
			console.log(line(`poll, 1 % changed (${ROWS / CHANGE_EVERY} events)`, changed));
			console.log(line('reference: the read alone (Get Rows)', reads));
			const bytes = Buffer.byteLength(JSON.stringify(p.staticData));
			console.log(
				`  static data after the polls: ${bytes.toLocaleString('en-US')} bytes of JSON (${kb(bytes)}), ` +
					`${(bytes / ROWS).toFixed(1)} bytes per key`,
			);
		}
		console.log(`  snapshot size for ${ROWS.toLocaleString('en-US')} keys by watched fields:`);
		for (const fieldCount of [8, 13, 33]) {
			const bytes = snapshotBytes(fieldCount);
			console.log(
				`    ${String(fieldCount).padStart(2)} fields: ${bytes.toLocaleString('en-US')} bytes (${kb(bytes)}), ${(bytes / ROWS).toFixed(1)} per key`,
			);
		}
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
