/**
 * The baseline the reconcile engine is measured against: a bare hash join of the generated HR
 * rows (AFAS MobieTrain-style) and app users (MobieTrain-style), written the plain efficient
 * way, that decides the same create / update / unchanged / remove split on clean data without
 * anything else the engine does (no conflicts, no lifecycle dates, no statuses, no payloads,
 * no reasons, no Unicode-aware normalising).
 */

type Row = Record<string, unknown>;

/** One result per person or removed user: the least a plan can hold. */
export interface JoinResult {
	hr: Row | null;
	app: Row | null;
	changes: Array<{ field: string; from: unknown; to: unknown }>;
}

/** The bare join's results, by the plan output they stand for. */
export interface Joined {
	create: JoinResult[];
	update: JoinResult[];
	unchanged: JoinResult[];
	remove: JoinResult[];
}

/** What `bareJoin` does, in words, for the bench output. */
export const BARE_JOIN_DESCRIPTION = [
	'bare join: index the app users in one Map, key → position, the key being the external ID as',
	'a trimmed lower-cased string; for each HR row look its key up: not found → a create result;',
	'found → compare six fields with === (email, firstName, lastName, functionDescription vs',
	'jobDescription, functionId vs groups[0], organizationId vs stores[0]) → an update result',
	'with the list of changes, or an unchanged result; mark the user matched (Uint8Array); then a',
	'remove result per app user no row matched. One small object { hr, app, changes } per result.',
];

const NO_CHANGES: JoinResult['changes'] = [];

const keyOf = (value: unknown) => String(value).trim().toLowerCase();

/** The six fields the MobieTrain-style target manages (language is create-only), compared with ===. */
function changesOf(person: Row, user: Row): JoinResult['changes'] {
	const changes: JoinResult['changes'] = [];
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
	return changes.length ? changes : NO_CHANGES;
}

function settle(hr: Row[], app: Row[], find: (person: Row) => number | undefined): Joined {
	const joined: Joined = { create: [], update: [], unchanged: [], remove: [] };
	const matched = new Uint8Array(app.length);
	for (const person of hr) {
		const j = find(person);
		if (j === undefined) {
			joined.create.push({ hr: person, app: null, changes: NO_CHANGES });
			continue;
		}
		matched[j] = 1;
		const user = app[j];
		const changes = changesOf(person, user);
		(changes.length ? joined.update : joined.unchanged).push({ hr: person, app: user, changes });
	}
	for (let j = 0; j < app.length; j++)
		if (matched[j] === 0) joined.remove.push({ hr: null, app: app[j], changes: NO_CHANGES });
	return joined;
}

/** The baseline: a hash join on the external ID. */
export function bareJoin(hr: Row[], app: Row[]): Joined {
	const byExternalId = new Map<string, number>();
	for (let j = 0; j < app.length; j++) byExternalId.set(keyOf(app[j].externalId), j);
	return settle(hr, app, (person) => byExternalId.get(keyOf(person.externalId)));
}

/**
 * The same join on two keys, as the engine's default: the external ID first, the email
 * (lower-cased) when the external ID finds nobody. For reference: the cost of the second key.
 */
export function bareJoinTwoKeys(hr: Row[], app: Row[]): Joined {
	const byExternalId = new Map<string, number>();
	const byEmail = new Map<string, number>();
	for (let j = 0; j < app.length; j++) {
		byExternalId.set(keyOf(app[j].externalId), j);
		byEmail.set(keyOf(app[j].email), j);
	}
	return settle(
		hr,
		app,
		(person) => byExternalId.get(keyOf(person.externalId)) ?? byEmail.get(keyOf(person.email)),
	);
}
