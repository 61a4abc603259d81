/**
 * AFAS GetConnector paging benchmark: 50,000 rows in pages of 1000 from the AFAS sandbox with
 * 50 ms latency per request, through the node in n8n's in-process engine, one request at a
 * time versus 8 in parallel (AFAS' maximum).
 *
 * Ideal for 8 in parallel: ceil(pages / 8) x latency, the time if the network wait were the only
 * cost. Goal: within 1.3x of it. The node requests windows of 8 pages; the 51st page (empty)
 * closes the fetch inside the 7th window, so its floor is the ideal itself.
 *
 * The sandbox runs in its own process (afas-sandbox.process.ts) and is set up to cost little CPU
 * (rows stored in sort order, no shuffling, no gzip), so the numbers show the node's paging, not
 * the sandbox's sorting.
 *
 * Run alone: `npx tsx test/bench/afas-paging.bench.ts`; `npm run bench` runs it with the others.
 */
import { fork } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { BENCH_CONNECTOR } from './afas-sandbox.process';

const ROWS = 50_000;
const PAGE_SIZE = 1000;
const LATENCY_MS = 50;

/** Benchmark output (stdout; the lint config keeps `console` out of the code base). */
function print(line: string): void {
	process.stdout.write(`${line}\n`);
}

interface SandboxProcess {
	url: string;
	tokenXml: string;
	command(message: { type: 'setLatency'; ms: number } | { type: 'resetStats' } | { type: 'stats' }): Promise<{ requests: number; maxInFlight: number }>;
	close(): Promise<void>;
}

async function startSandboxProcess(rowCount: number): Promise<SandboxProcess> {
	const child = fork(join(__dirname, 'afas-sandbox.process.ts'), [String(rowCount)], {
		execArgv: ['--import', 'tsx'],
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	const next = () =>
		new Promise<Record<string, unknown>>((resolve, reject) => {
			const onExit = (code: number | null) => reject(new Error(`AFAS sandbox process exited with ${String(code)}`));
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
			return (await answer) as unknown as { requests: number; maxInFlight: number };
		},
		close: () =>
			new Promise<void>((resolve) => {
				child.once('exit', () => resolve());
				child.send({ type: 'close' });
			}),
	};
}

export async function run(): Promise<void> {
	// n8n-core writes its settings file on first use: keep the benchmark out of $HOME.
	process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'hr-sync-bench-'));
	const { credentialsFor, runNode } = await import('../helpers/n8n');

	const sandbox = await startSandboxProcess(ROWS);
	try {
		await sandbox.command({ type: 'setLatency', ms: LATENCY_MS });
		const credentials = credentialsFor('afasApi', { connectUsing: 'url', url: sandbox.url, token: sandbox.tokenXml });

		const fetchAll = async (parallel: number) => {
			await sandbox.command({ type: 'resetStats' });
			const started = performance.now();
			const result = await runNode({
				type: 'afasGetConnector',
				credentials,
				parameters: {
					resource: 'connector',
					operation: 'getRows',
					connector: { __rl: true, mode: 'id', value: BENCH_CONNECTOR },
					returnAll: true,
					sort: { fields: [{ field: 'EmployeeNr', direction: 'asc' }] },
					options: { pageSize: PAGE_SIZE, parallelRequests: parallel },
				},
			});
			const ms = performance.now() - started;
			const rows = result.outputs[0]?.length ?? 0;
			if (result.error || rows !== ROWS) {
				throw new Error(`Benchmark fetch failed: ${rows} rows, ${String(result.error?.message ?? '')}`);
			}
			const { requests, maxInFlight } = await sandbox.command({ type: 'stats' });
			return { ms, requests, maxInFlight };
		};

		// Warm-up: module loading and JIT, not measured.
		await fetchAll(8);

		const sequential = await fetchAll(1);
		const parallel = await fetchAll(8);
		// The same parallel fetch without latency: what the rows cost to produce, send, parse and
		// turn into n8n items. No amount of parallel paging can go below it.
		await sandbox.command({ type: 'setLatency', ms: 0 });
		const processing = await fetchAll(8);

		const pages = Math.ceil(ROWS / PAGE_SIZE);
		const idealMs = Math.ceil(pages / 8) * LATENCY_MS;
		const ratio = parallel.ms / idealMs;
		const floorMs = Math.max(idealMs, processing.ms);

		print(`AFAS paging: ${ROWS} rows, page size ${PAGE_SIZE}, ${LATENCY_MS} ms latency per request`);
		print(`  sequential (1 request at a time): ${sequential.ms.toFixed(0)} ms, ${sequential.requests} requests`);
		print(
			`  parallel (8 in flight):           ${parallel.ms.toFixed(0)} ms, ${parallel.requests} requests, max ${parallel.maxInFlight} in flight`,
		);
		print(`  ideal ceil(${pages} pages / 8) x ${LATENCY_MS} ms: ${idealMs} ms`);
		print(`  parallel / ideal: ${ratio.toFixed(2)}x (goal <= 1.30x) ${ratio <= 1.3 ? 'OK' : 'ABOVE GOAL'}`);
		print(`  speed-up parallel vs sequential: ${(sequential.ms / parallel.ms).toFixed(1)}x`);
		print(
			`  processing alone (same fetch, 0 ms latency): ${processing.ms.toFixed(0)} ms; ` +
				`parallel / max(ideal, processing): ${(parallel.ms / floorMs).toFixed(2)}x`,
		);
		if (processing.ms > idealMs) {
			print(
				'  note: producing, sending and parsing the rows takes longer than the ideal network wait on this machine,',
			);
			print('  so the ideal cannot be reached here; the last ratio shows how much latency paging still adds.');
		}
	} finally {
		await sandbox.close();
	}
}

if (require.main === module) {
	run().catch((error: unknown) => {
		process.stderr.write(`${String(error instanceof Error ? (error.stack ?? error.message) : error)}\n`);
		process.exitCode = 1;
	});
}
