/**
 * What the Reconcile Users benchmark parts share: the data each run gets a fresh copy of, the
 * node's parameters and the engine config they amount to, and contestants timing a function.
 */
import type { PeopleConfig } from '../../nodes/ReconcileUsers/engine';
import { generateData } from './reconcileData';
import { type Contestant, startClock } from './reconcileTiming';

type Row = Record<string, unknown>;

const AS_OF = '2026-04-01';

/** The node's parameters: the defaults, the generated leavers expected (rail out of the way). */
export const NODE_PARAMETERS = { referenceDate: AS_OF, rails: { maxRemovals: 1_000_000 } };

/** What the node hands the engine for NODE_PARAMETERS (config.ts, every setting at its default). */
export const ENGINE_CONFIG: PeopleConfig = {
	mode: 'people',
	asOf: AS_OF,
	timeZone: 'Europe/Amsterdam',
	protectedUsers: [],
	manageUnmanaged: false,
	rails: { maxRemovals: 1_000_000 },
	scope: 'everyone',
	source: 'afasMobieTrain',
	target: 'mobieTrain',
	matchOn: ['externalId', 'email'],
	leaverAction: 'deactivate',
	inviteLeadDays: 0,
	invitationExpiryMonths: 6,
	extraCreateOnlyFields: [],
	reactivateEmailOnlyMatches: false,
};

/** The same with the external ID as the only match key. */
export const ENGINE_CONFIG_ONE_KEY: PeopleConfig = { ...ENGINE_CONFIG, matchOn: ['externalId'] };

/** Generated HR rows and app users, as plain objects. */
export interface Data {
	hr: Row[];
	app: Row[];
}

/**
 * The generated data kept as JSON text: `fresh()` parses a new copy, as n8n hands every
 * execution freshly parsed items (no run finds string hashes or other caches warmed by the
 * run before it).
 */
export class Dataset {
	private readonly hrText: string;
	private readonly appText: string;

	constructor(readonly size: number) {
		const { hr, app } = generateData(size);
		this.hrText = JSON.stringify(hr);
		this.appText = JSON.stringify(app);
	}

	fresh(): Data {
		return { hr: JSON.parse(this.hrText) as Row[], app: JSON.parse(this.appText) as Row[] };
	}
}

/** A contestant timing `fn` on a fresh copy of the data. */
export function timed(name: string, data: Dataset, fn: (input: Data) => unknown): Contestant<Data> {
	return {
		name,
		prepare: () => data.fresh(),
		run: (input) => {
			const clock = startClock();
			fn(input);
			return { [name]: clock.stop() };
		},
	};
}
