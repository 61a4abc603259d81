/**
 * `npm run bench`: every performance measurement in one run. Timings are printed, never
 * asserted in tests (timing goals are checked by reading this output).
 * `npm run bench <name> [args]` runs one bench; the arguments after its name go to it (the
 * reconcile bench takes the parts to run: join, node, compare).
 */
import { run as afasPaging } from './afas-paging.bench';
import { run as afasTrigger } from './afas-trigger.bench';
import { run as audit } from './audit.bench';
import { run as e2e } from './e2e.bench';
import { run as reconcile } from './reconcile.bench';

async function main(): Promise<void> {
	const [only, ...args] = process.argv.slice(2);
	const benches: Array<[string, (args: string[]) => Promise<void>]> = [
		['afas-paging', afasPaging],
		['afas-trigger', afasTrigger],
		['reconcile', reconcile],
		['audit', audit],
		['e2e', e2e],
	];
	for (const [name, bench] of benches) {
		if (only && only !== name) continue;
		console.log(`\n=== ${name} ===`);
		await bench(only ? args : []);
	}
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
