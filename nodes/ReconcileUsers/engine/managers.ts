/**
 * People mode, managers: each person's manager as an app user id (for targets with a
 * manager field, such as Declaree's `managerId`), and the order of creates so that a manager
 * created in this run comes before the people reporting to them.
 */
import type { Classification } from './classify';
import type { HrKeyLookup } from './match';
import type { PeopleRun } from './peopleRun';
import type { ManagerLink, Person, PlanItem } from './types';
import { normaliseKey } from './values';

/** The manager's external ID as a match key ('' when none). */
function managerKey(person: Person): string {
	return person.managerExternalId ? normaliseKey(person.managerExternalId) : '';
}

/** The HR record of the manager: by external ID first, then by email (-1: none). */
function managerRecord(extKey: string, email: string | null | undefined, hrKeys: HrKeyLookup) {
	let manager = extKey !== '' ? hrKeys.recordWith('externalId', extKey) : -1;
	if (manager < 0 && email) manager = hrKeys.recordWith('email', email);
	return manager;
}

/**
 * Person i's manager: `none` (HR names none, or the person is their own manager), `resolved`
 * (the manager's app user id), `createdInThisRun` (the manager is created in this run: linked
 * on the next run) or `notInScope` (not in HR, or a leaver, conflict, protected or not started).
 */
export function resolveManager(run: PeopleRun, classes: Classification[], i: number): ManagerLink {
	const person = run.hr.people[i];
	const ext = person.managerExternalId;
	const email = person.managerEmail;
	if (ext === undefined && email === undefined) return { status: 'none' };
	const extKey = managerKey(person);
	if (extKey === '' && !email) return { status: 'none', externalId: null, email: null };
	const manager = managerRecord(extKey, email, run.matching.hrKeys);
	const reference = { externalId: ext ?? null, email: email ?? null };
	if (manager === i) return { status: 'none', ...reference };
	if (manager < 0 || classes[manager].kind !== 'inScope')
		return { status: 'notInScope', ...reference };
	const j = run.matching.candidate[manager];
	if (j < 0) return { status: 'createdInThisRun', ...reference };
	return { status: 'resolved', ...reference, appId: run.app.ids[j] };
}

/**
 * The manager of every person in scope (the only ones whose items carry one), or an empty
 * list when the target has no manager field.
 */
export function resolveManagers(
	run: PeopleRun,
	classes: Classification[],
): Array<ManagerLink | undefined> {
	if (!run.cfg.target.fields.some((field) => field.from === 'managerAppId')) return [];
	return classes.map((classification, i) =>
		classification.kind === 'inScope' ? resolveManager(run, classes, i) : undefined,
	);
}

/**
 * Orders creates so that a manager created in this run comes before the people reporting to
 * them; otherwise the order is kept (stable). A reporting cycle is cut where it closes.
 */
export function managerFirst(
	creates: PlanItem[],
	people: Person[],
	hrKeys: HrKeyLookup,
): PlanItem[] {
	if (creates.length < 2) return creates;
	const position = new Map<number, number>();
	creates.forEach((planItem, index) => position.set(planItem.hrIndex, index));
	const managerOf = (index: number): number => {
		const person = people[creates[index].hrIndex];
		const manager = managerRecord(managerKey(person), person.managerEmail, hrKeys);
		const at = manager >= 0 ? position.get(manager) : undefined;
		return at === undefined || at === index ? -1 : at;
	};
	const depth = new Int32Array(creates.length).fill(-1);
	for (let start = 0; start < creates.length; start++) {
		if (depth[start] >= 0) continue;
		// Walk up the manager chain iteratively; a cycle is cut where it closes.
		const chain: number[] = [];
		const onChain = new Set<number>();
		let current = start;
		while (current >= 0 && depth[current] < 0 && !onChain.has(current)) {
			chain.push(current);
			onChain.add(current);
			current = managerOf(current);
		}
		let base = current >= 0 && depth[current] >= 0 ? depth[current] + 1 : 0;
		for (let k = chain.length - 1; k >= 0; k--) depth[chain[k]] = base++;
	}
	const buckets: PlanItem[][] = [];
	creates.forEach((planItem, index) => (buckets[depth[index]] ??= []).push(planItem));
	return buckets.flat();
}
