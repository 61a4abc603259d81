/**
 * People mode: joiners, movers and leavers from HR into an app's users.
 *
 * A pipeline of named steps, each one linear pass (hash indexes, no nested scans), each
 * reading what the steps before it returned:
 * 1. config     (peopleConfig.ts): settings checked, presets resolved, dates computed;
 * 2. normalise  (normalise.ts): both sides read once, keys trimmed, NFC, case-folded,
 *                invisible characters dropped; deletion markers noted;
 * 3. match      (match.ts): pair people with app users per key, several records of one person
 *                resolved by the lifecycle rules (employments.ts), ambiguities as conflicts;
 * 4. classify   (classify.ts): where each person stands on the reference date;
 * 5. build items (items.ts): one item per person, then one per app user nobody matched (in
 *                scope "Only the People in the HR Input": left alone); fields compared by
 *                kind (compare.ts);
 * 6. order      (createFirst.ts, managers.ts): what must exist first, managers created first;
 * 7. rails      (plan.ts): removals counted from the finished items, limits checked;
 * 8. SCIM form  (targets/scimPlan.ts, SCIM target only): SCIM payloads, groups from job and
 *    organisation.
 */
import {
	classifyPeople,
	readInvitationDates,
	undatedInvitationWarning,
	type Classification,
} from './classify';
import { listCreateFirst } from './createFirst';
import { appOnlyItems, itemContext, personItems } from './items';
import { managerFirst, resolveManagers } from './managers';
import { matchPeople } from './match';
import { DEACTIVATED, normaliseApp, normaliseHr } from './normalise';
import { resolvePeopleConfig } from './peopleConfig';
import { type PeopleRun, isManagedAppUser } from './peopleRun';
import { PlanBuckets, checkRails, countRemovals, finishPlan, resolveRails } from './plan';
import { scimAppInput } from './targets/scim';
import { finishScimPlan } from './targets/scimPlan';
import { refuseTriggerInputRemovals } from './triggerInput';
import type { PeopleConfig, Plan, PlanItem, RawRecord } from './types';
import { PathReaders } from './values';

/** Steps 1-3 (config, normalise, match): the per-call context every later step reads. */
export function preparePeopleRun(
	hrItems: RawRecord[],
	appItems: RawRecord[],
	config: PeopleConfig,
): PeopleRun {
	const cfg = resolvePeopleConfig(config);
	const scim = scimAppInput(cfg.target, appItems, config.groupsFrom);
	const users = scim ? scim.users : appItems;
	const readers = new PathReaders();
	const hr = normaliseHr(hrItems, cfg.source, readers);
	const app = normaliseApp(users, cfg.target, cfg.createOnly, cfg.protectedKeys, readers);
	const matching = matchPeople(hr, app, cfg.matchOn, cfg);
	const invitations = readInvitationDates(cfg, app, users);
	return { cfg, appItems: users, scim, hr, app, matching, invitations, readers };
}

/**
 * The app users this sync manages and could still take away (the base of the percentage
 * rails): managed users that are not deactivated already, and the deactivated ones this run
 * removes (Leaver Action Remove). Apps whose users cannot be deleted (Declaree-style, Leaver
 * Action Deactivate) keep every former employee deactivated: counted, they would raise the
 * removal limit year by year and make the HR input look too small.
 */
function countManaged(run: PeopleRun, removals: readonly PlanItem[]): number {
	const { status } = run.app;
	let managed = 0;
	for (let j = 0; j < run.appItems.length; j++)
		if (status[j] !== DEACTIVATED && isManagedAppUser(run, j)) managed++;
	for (const { appIndex } of removals)
		if (appIndex >= 0 && status[appIndex] === DEACTIVATED && isManagedAppUser(run, appIndex))
			managed++;
	return managed;
}

function warningsOf(run: PeopleRun, classes: Classification[]): string[] {
	const undated = undatedInvitationWarning(run, classes);
	return undated === undefined ? [...run.hr.warnings] : [...run.hr.warnings, undated];
}

/**
 * Plans people mode: HR records and app users in, a plan out. Pure: the same input gives the
 * same plan in the same order. Throws ReconcileConfigError for settings that cannot work.
 */
export function reconcilePeople(
	hrItems: RawRecord[],
	appItems: RawRecord[],
	config: PeopleConfig,
): Plan {
	const run = preparePeopleRun(hrItems, appItems, config); // 1-3
	const classes = classifyPeople(run); // 4
	// 5: the items, sorted into the plan's outputs.
	const ctx = itemContext(run, classes, resolveManagers(run, classes));
	const outputs = new PlanBuckets();
	personItems(ctx, outputs);
	appOnlyItems(ctx, outputs);
	refuseTriggerInputRemovals(hrItems, run.cfg.scope, outputs.remove, 'user');
	// 6: what must exist first; managers created before their reports.
	const { people } = run.hr;
	const kinds = run.cfg.target.createFirst ?? [];
	const createFirst = listCreateFirst(kinds, people, outputs, run.appItems, run.readers);
	const creates = ctx.needsManager
		? managerFirst(outputs.create, people, run.matching.hrKeys)
		: outputs.create;
	// 7: the rails, from the finished items.
	const managed = countManaged(run, outputs.remove);
	const removals = countRemovals(outputs.remove);
	const blocked = checkRails(
		resolveRails(config.rails),
		{ hrItems: hrItems.length - run.hr.deletedCount, managed, ...removals },
		{ person: 'person', people: 'people', app: 'app users' },
		run.cfg.scope,
	);
	const summary = {
		asOf: run.cfg.asOf,
		mode: 'people' as const,
		scope: run.cfg.scope,
		hrItems: hrItems.length,
		appItems: appItems.length,
		managedAppUsers: managed,
		removals: removals.hrRemovals,
	};
	const warnings = warningsOf(run, classes);
	const plan = finishPlan(outputs, createFirst, creates, summary, blocked, warnings);
	return run.scim ? finishScimPlan(run, classes, plan) : plan; // 8
}
