/**
 * People mode with the SCIM 2.0 target, the last step: the finished plan in SCIM form.
 * - payloads become SCIM requests: create → a User resource, update / reactivate / deactivate →
 *   a PatchOp, remove → none (DELETE); `changes` name the SCIM attribute paths;
 * - plan items point at the App input again: `app` is the User resource as it came in (the
 *   engine compared its flat view) and `appIndex` its App item index;
 * - with Groups From: the groups to create on the Create First output, and `groupAdd` /
 *   `groupRemove` items after the updates on the Update output (scimGroups.ts).
 */
import type { Classification } from '../classify';
import type { PeopleRun } from '../peopleRun';
import type { Change, Plan, PlanItem } from '../types';
import type { ScimAppInput } from './scim';
import { planScimGroups, type GroupPlan } from './scimGroups';
import { scimPath, userPatchOp, userResource } from './scimPayloads';

/** The payload of a finished item in SCIM form (see the top of this file). */
function scimPayload(item: PlanItem): PlanItem['payload'] {
	switch (item.action) {
		case 'create':
			return item.payload ? userResource(item.payload) : null;
		case 'update':
		case 'reactivate':
		case 'deactivate':
			return item.changes.length > 0 ? userPatchOp(item.changes) : null;
		default:
			return item.payload;
	}
}

function renamed(changes: Change[]): Change[] {
	if (changes.length === 0) return changes;
	return changes.map((change) => ({ ...change, field: scimPath(change.field) }));
}

/** Points an item at the App input: the resource as it came in, its App item index. */
function pointAtInput(item: PlanItem, scim: ScimAppInput): void {
	if (item.appIndex >= 0) {
		item.app = scim.resources[item.appIndex];
		item.appIndex = scim.userInputIndex[item.appIndex];
	}
	const appIndexes = item.conflict?.appIndexes;
	if (appIndexes) item.conflict!.appIndexes = appIndexes.map((j) => scim.userInputIndex[j]);
}

/** Whose memberships the group planner plans, and who needs groups, from the finished items. */
function groupPlanOf(run: PeopleRun, classes: Classification[], plan: Plan): GroupPlan {
	const scim = run.scim!;
	const n = run.hr.people.length;
	const managedUser = new Int32Array(n).fill(-1);
	const needsGroups = new Uint8Array(n);
	for (const item of plan.create) needsGroups[item.hrIndex] = 1;
	for (const list of [plan.update, plan.unchanged]) {
		for (const item of list) {
			const i = item.hrIndex;
			if (i < 0 || item.appIndex < 0 || classes[i].kind !== 'inScope') continue;
			if (item.action !== 'update' && item.action !== 'reactivate' && item.action !== 'unchanged')
				continue;
			managedUser[i] = item.appIndex;
			needsGroups[i] = 1;
		}
	}
	return planScimGroups({
		people: run.hr.people,
		sources: scim.groupsFrom,
		groups: scim.groups,
		groupInputIndex: scim.groupInputIndex,
		users: scim.users,
		resources: scim.resources,
		managedUser,
		needsGroups,
		scope: run.cfg.scope,
	});
}

/**
 * The plan in SCIM form (see the top of this file). Reads the plan's items before it changes
 * them: call once, on a plan of a SCIM run.
 * @throws ReconcileConfigError when Groups From is on and the groups list is plainly missing.
 */
export function finishScimPlan(run: PeopleRun, classes: Classification[], plan: Plan): Plan {
	const scim = run.scim!;
	const groups = scim.groupsFrom.length > 0 ? groupPlanOf(run, classes, plan) : undefined;
	const lists = [plan.create, plan.update, plan.remove, plan.unchanged, plan.conflicts];
	for (const list of lists) {
		for (const item of list) {
			item.payload = scimPayload(item);
			item.changes = renamed(item.changes);
			pointAtInput(item, scim);
		}
	}
	if (!groups) return plan;
	const counts = { ...plan.summary.counts };
	counts.createFirst += groups.createFirst.length;
	counts.groupAdd = groups.membership.filter((item) => item.action === 'groupAdd').length;
	counts.groupRemove = groups.membership.length - counts.groupAdd;
	const warnings = [...plan.warnings, ...groups.warnings];
	return {
		...plan,
		createFirst: [...plan.createFirst, ...groups.createFirst],
		update: [...plan.update, ...groups.membership],
		summary: { ...plan.summary, counts, warnings },
		warnings,
	};
}
