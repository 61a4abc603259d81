/**
 * Profiling aid for Reconcile Users: runs the engine or the node (in WorkflowExecute) many
 * times on the benchmark data, for V8's CPU profiler, and summarises a profile.
 *
 *   node --import tsx --cpu-prof --cpu-prof-dir=/tmp/prof \
 *     scripts/bench/reconcileProfile.ts engine|engine1|node 100000 [runs]
 *   npx tsx scripts/bench/reconcileProfile.ts summary /tmp/prof/<file>.cpuprofile [top]
 *
 * `engine` uses the default two match keys, `engine1` the external ID only. The summary lists
 * the functions with the most self time, and the share of garbage collection.
 */
import { readFileSync } from 'node:fs';

import type { IDataObject } from 'n8n-workflow';

import { reconcile, type PeopleConfig } from '../../nodes/ReconcileUsers/engine';
import { generateData } from './reconcileData';
import { runNodeInN8n } from './reconcileN8n';
import { print } from './reconcileTiming';

const CONFIG: PeopleConfig = {
	asOf: '2026-04-01',
	timeZone: 'Europe/Amsterdam',
	source: 'afasMobieTrain',
	target: 'mobieTrain',
	rails: { maxRemovals: 1_000_000 },
};

async function runMany(what: string, size: number, runs: number): Promise<void> {
	const { hr, app } = generateData(size);
	const config = what === 'engine1' ? { ...CONFIG, matchOn: ['externalId' as const] } : CONFIG;
	for (let i = 0; i < runs; i++) {
		if (what === 'node') {
			await runNodeInN8n({
				type: 'n8n-nodes-hr-sync.reconcileUsers',
				typeVersion: 1,
				parameters: { referenceDate: CONFIG.asOf, rails: { maxRemovals: 1_000_000 } },
				hr: hr as IDataObject[],
				app: app as IDataObject[],
			});
		} else reconcile(hr, app, config);
	}
}

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	hitCount?: number;
}

function summary(file: string, top: number): void {
	const profile = JSON.parse(readFileSync(file, 'utf8')) as {
		nodes: ProfileNode[];
		samples: number[];
		startTime: number;
		endTime: number;
	};
	const interval = (profile.endTime - profile.startTime) / 1000 / profile.samples.length;
	const self = new Map<string, number>();
	let total = 0;
	for (const node of profile.nodes) {
		const hits = node.hitCount ?? 0;
		const { functionName, url, lineNumber } = node.callFrame;
		const where = url ? `${url.split('/').slice(-2).join('/')}:${lineNumber + 1}` : '';
		const name = `${functionName || '(anonymous)'} ${where}`;
		self.set(name, (self.get(name) ?? 0) + hits);
		total += hits;
	}
	print(`${profile.samples.length} samples, ${(total * interval).toFixed(0)} ms`);
	for (const [name, hits] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top))
		print(
			`${(hits * interval).toFixed(1).padStart(8)} ms ${((hits * 100) / total).toFixed(1).padStart(5)} %  ${name}`,
		);
}

async function main(): Promise<void> {
	const [what, arg, extra] = process.argv.slice(2);
	if (what === 'summary') return summary(arg, Number(extra) || 40);
	if (what !== 'engine' && what !== 'engine1' && what !== 'node')
		throw new Error(
			'Usage: reconcileProfile.ts engine|engine1|node <size> [runs] | summary <file>',
		);
	await runMany(what, Number(arg ?? 100_000), Number(extra ?? 20));
}

main().catch((error: unknown) => {
	process.stderr.write(
		`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
	);
	process.exitCode = 1;
});
