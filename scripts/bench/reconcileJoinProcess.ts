/**
 * One process of the bench's `join` part: the engine and the bare joins at 100,000 per side,
 * alternated (reconcileTiming.ts), the samples sent to the parent over IPC.
 *
 * The parent runs several of these one after the other and pools their samples: on the shared
 * development machine the bare join's time depended on the process (the same code on the same
 * data measured 24 ms of CPU in every round of one process and 41 in every round of the next),
 * which the rounds of a single process cannot average out.
 */
import { reconcile } from '../../nodes/ReconcileUsers/engine';
import { bareJoin, bareJoinTwoKeys } from './reconcileBaseline';
import { Dataset, ENGINE_CONFIG, ENGINE_CONFIG_ONE_KEY, timed } from './reconcileSetup';
import { type Sample, alternate } from './reconcileTiming';

/** The measurement names, in the order they are printed. */
export const JOIN_NAMES = {
	bare: 'bare join (external ID)',
	bareTwoKeys: 'bare join, two keys (for reference)',
	engine: 'engine, external ID then email',
	engineOneKey: 'engine, external ID only',
} as const;

/** Users per side (HR rows, app users) in each join run. */
export const JOIN_SIZE = 100_000;

/** Runs the rounds and returns the samples per measurement name. */
export async function joinRounds(
	rounds: number,
	warmup: number,
): Promise<Record<string, Sample[]>> {
	const data = new Dataset(JOIN_SIZE);
	const series = await alternate(
		[
			timed(JOIN_NAMES.bare, data, ({ hr, app }) => bareJoin(hr, app)),
			timed(JOIN_NAMES.bareTwoKeys, data, ({ hr, app }) => bareJoinTwoKeys(hr, app)),
			timed(JOIN_NAMES.engine, data, ({ hr, app }) => reconcile(hr, app, ENGINE_CONFIG)),
			timed(JOIN_NAMES.engineOneKey, data, ({ hr, app }) =>
				reconcile(hr, app, ENGINE_CONFIG_ONE_KEY),
			),
		],
		rounds,
		warmup,
	);
	return Object.fromEntries(series);
}

if (require.main === module && process.send) {
	const [rounds, warmup] = process.argv.slice(2).map(Number);
	joinRounds(rounds, warmup)
		.then((series) => process.send!(series, undefined, {}, () => process.exit(0)))
		.catch((error: unknown) => {
			process.stderr.write(
				`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
			);
			process.exit(1);
		});
}
