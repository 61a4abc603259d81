/**
 * SCIM Groups from the HR job and organisation (Groups From): which groups must be created first,
 * and who joins or leaves which group, as PatchOps on the group (`PATCH /Groups/{id}`).
 *
 * - A group stands for one HR code of one kind (a job or an organisation). It is found by its
 *   externalId (= the HR code), else, among the groups without an externalId, by its displayName
 *   (= the HR name; apps that do not keep a group's externalId are found again this way). Names
 *   and codes are compared trimmed and without case. Two groups for one code, or one group for
 *   two codes, are ambiguous: a warning, and that group is left alone.
 * - Only the groups of codes some HR record has are managed; a group whose code no HR record has
 *   any more keeps its members.
 * - Current members: the group's `members` together with the users' own `groups` (direct
 *   memberships only); either may be left out by the app.
 * - Whose memberships are planned: the people in scope with an app user (update, reactivate,
 *   unchanged). Each joins the group of their code and leaves the other groups of that kind
 *   (movers). A kind HR left out of the record (undefined) is left as it is; an empty code leaves
 *   every group of that kind.
 * - Not planned: people created in this run (no SCIM id yet: they join on the next run), members
 *   of a group created in this run (no group id yet: the next run), leavers (a deactivated user
 *   keeps its groups for a reactivation; a deleted user leaves them with it), people in conflict
 *   or protected, and app users this sync does not manage.
 * - A group to create counts in `neededByUpdates` the people with an app user (updated,
 *   reactivated or kept) who join it once it exists: they are what the Update output is for, so
 *   a tripped rail that applies updates and holds back creates and removals still creates the
 *   group; a group only joiners need is held back with their creates. No membership item ever
 *   names a group that is created in the same run.
 *
 * Spec: https://datatracker.ietf.org/doc/html/rfc7643#section-4.2 (Group),
 * https://datatracker.ietf.org/doc/html/rfc7644#section-3.5.2 (PATCH of members).
 */
import type {
	GroupMember,
	GroupRef,
	GroupSource,
	Person,
	PlanItem,
	RawRecord,
	Scope,
} from '../types';
import { ReconcileConfigError } from '../types';
import { normaliseKey, normaliseText } from '../values';
import { groupResource, membersPatchOp } from './scimPayloads';

/** What the group planner reads. */
export interface GroupPlanInput {
	people: Person[];
	sources: GroupSource[];
	/** The Group resources of the App input, and their App item indexes. */
	groups: RawRecord[];
	groupInputIndex: number[];
	/** The user views (their `id` is the SCIM id) and the User resources (their `groups`). */
	users: RawRecord[];
	resources: RawRecord[];
	/** Per HR record: the user (view index) whose memberships are planned, or -1. */
	managedUser: Int32Array;
	/** Per HR record: 1 when a planned user (created, updated or kept) needs its groups. */
	needsGroups: Uint8Array;
	/** The run's Scope: with `inputOnly` the HR input holds only some of the codes HR has. */
	scope: Scope;
}

/** The group planner's result: groups to create, membership changes, warnings. */
export interface GroupPlan {
	createFirst: PlanItem[];
	membership: PlanItem[];
	warnings: string[];
}

/**
 * The most users one membership item (one PatchOp) adds or removes; more give more items for the
 * same group. Apps cap a PATCH: IBM Security Verify at 1,000 values and operations
 * (https://docs.verify.ibm.com/verify/reference/patchgroup); 100 stays well under such caps and
 * under request-size limits.
 */
export const MEMBERS_PER_PATCH = 100;

const MISSING = -1;
const AMBIGUOUS = -2;

const KIND_LABEL: Record<GroupSource, string> = { job: 'job', org: 'organisation' };

/** One HR code of one kind, the group that stands for it, and what changes in it. */
interface GroupWant {
	from: GroupSource;
	code: string;
	name: string;
	/** Index in the groups, MISSING or AMBIGUOUS. */
	group: number;
	members: Set<string>;
	adds: number[];
	removes: number[];
	neededBy: number;
	/** Of `neededBy`: the people with an app user (updated, reactivated or kept), not joiners. */
	neededByUpdates: number;
	firstNeed: number;
}

function codeOf(person: Person, source: GroupSource): string | null | undefined {
	return source === 'job' ? person.jobId : person.orgId;
}

function nameOf(person: Person, source: GroupSource): string | null | undefined {
	return source === 'job' ? person.jobName : person.orgName;
}

/** Every code of each kind some HR record has, in first-seen order, with its first name. */
function collectWants(
	people: Person[],
	sources: GroupSource[],
): { wants: GroupWant[]; byCode: Array<Map<string, GroupWant>> } {
	const wants: GroupWant[] = [];
	const byCode = sources.map((source) => {
		const found = new Map<string, GroupWant>();
		for (const person of people) {
			const code = codeOf(person, source);
			if (!code) continue;
			const key = normaliseKey(code);
			const want = found.get(key);
			const name = nameOf(person, source);
			if (want) {
				if (want.name === want.code && name) want.name = name;
				continue;
			}
			const created: GroupWant = {
				from: source,
				code,
				name: name ?? code,
				group: MISSING,
				members: new Set(),
				adds: [],
				removes: [],
				neededBy: 0,
				neededByUpdates: 0,
				firstNeed: -1,
			};
			found.set(key, created);
			wants.push(created);
		}
		return found;
	});
	return { wants, byCode };
}

function addTo(index: Map<string, number[]>, key: string, g: number): void {
	if (key === '') return;
	const list = index.get(key);
	if (list) list.push(g);
	else index.set(key, [g]);
}

function displayNameOf(group: RawRecord | undefined, fallback: string): string {
	return normaliseText(group?.displayName) ?? fallback;
}

/**
 * The wants of codes that are both a job and an organisation, with a warning each. A group is
 * found by its externalId (the code), so one group cannot stand for both, and creating one for
 * each would leave two groups with that externalId: ambiguous on every later run. Such a code
 * gets no group created and no membership changed.
 */
function sharedCodes(wants: GroupWant[], warnings: string[]): GroupWant[] {
	const byKey = new Map<string, GroupWant[]>();
	for (const want of wants) {
		const key = normaliseKey(want.code);
		const list = byKey.get(key);
		if (list) list.push(want);
		else byKey.set(key, [want]);
	}
	const shared: GroupWant[] = [];
	for (const list of byKey.values()) {
		if (list.length < 2) continue;
		const [job, org] = [list.find((w) => w.from === 'job')!, list.find((w) => w.from === 'org')!];
		warnings.push(
			`The job "${job.name}" and the organisation "${org.name}" have the same code "${job.code}", and a SCIM group is found by its externalId (the code): one group cannot stand for both, and two would be ambiguous. No group is created or changed for ${job.code}; give the job or the organisation another code in HR, or set SCIM Groups From to one of them.`,
		);
		shared.push(...list);
	}
	return shared;
}

/**
 * Finds the group of each code: by externalId, else by displayName among the groups without
 * one. Ambiguities (a code that is both a job and an organisation, two groups for one code, one
 * group for two codes) become warnings and leave the code's group alone.
 */
function resolveGroups(wants: GroupWant[], groups: RawRecord[], warnings: string[]): void {
	const byExternalId = new Map<string, number[]>();
	const byName = new Map<string, number[]>();
	groups.forEach((group, g) => {
		if (typeof group.id !== 'string' || group.id === '') return;
		const ext = normaliseKey(group.externalId);
		if (ext !== '') addTo(byExternalId, ext, g);
		else addTo(byName, normaliseKey(group.displayName), g);
	});
	const claims = new Map<number, GroupWant[]>();
	for (const want of sharedCodes(wants, warnings)) want.group = AMBIGUOUS;
	for (const want of wants) {
		if (want.group === AMBIGUOUS) continue;
		const label = `${KIND_LABEL[want.from]} "${want.name}" (${want.code})`;
		const byCode = byExternalId.get(normaliseKey(want.code));
		const hits = byCode ?? byName.get(normaliseKey(want.name)) ?? [];
		if (hits.length > 1) {
			const how = byCode ? `the externalId "${want.code}"` : `the name "${want.name}"`;
			warnings.push(
				`${hits.length} SCIM groups have ${how} (${label}): its memberships are left alone until the app has one such group.`,
			);
			want.group = AMBIGUOUS;
		} else if (hits.length === 1) {
			want.group = hits[0];
			const list = claims.get(hits[0]);
			if (list) list.push(want);
			else claims.set(hits[0], [want]);
		}
	}
	for (const [g, list] of claims) {
		if (list.length < 2) continue;
		const what = list.map((want) => `${KIND_LABEL[want.from]} ${want.code}`).join(' and ');
		warnings.push(
			`The SCIM group "${displayNameOf(groups[g], String(groups[g].id))}" stands for ${what}: its memberships are left alone; give each code its own group (externalId = the HR code).`,
		);
		for (const want of list) want.group = AMBIGUOUS;
	}
}

/** The SCIM ids in a multi-valued reference list (`members`, `groups`), minus `skipType`. */
function referencedIds(list: unknown, skipType: string): string[] {
	if (!Array.isArray(list)) return [];
	const ids: string[] = [];
	for (const entry of list) {
		if (typeof entry !== 'object' || entry === null) continue;
		const { value, type } = entry as RawRecord;
		if (typeof type === 'string' && type.toLowerCase() === skipType) continue;
		if (typeof value === 'string' && value !== '') ids.push(value);
	}
	return ids;
}

/**
 * Fills each resolved want's current members (the group's `members`, plus the users whose own
 * `groups` name it) and returns, per user id, the wants whose groups the user is in.
 */
function readMemberships(wants: GroupWant[], input: GroupPlanInput): Map<string, GroupWant[]> {
	const byGroupId = new Map<string, GroupWant>();
	for (const want of wants) {
		if (want.group < 0) continue;
		byGroupId.set(input.groups[want.group].id as string, want);
		for (const id of referencedIds(input.groups[want.group].members, 'group')) want.members.add(id);
	}
	input.users.forEach((user, j) => {
		if (typeof user.id !== 'string') return;
		for (const groupId of referencedIds(input.resources[j].groups, 'indirect'))
			byGroupId.get(groupId)?.members.add(user.id);
	});
	const userIn = new Map<string, GroupWant[]>();
	for (const want of byGroupId.values()) {
		for (const id of want.members) {
			const list = userIn.get(id);
			if (list) list.push(want);
			else userIn.set(id, [want]);
		}
	}
	return userIn;
}

/** Who joins and leaves which group, and which missing groups planned users need. */
function planMemberships(
	input: GroupPlanInput,
	byCode: Array<Map<string, GroupWant>>,
	userIn: Map<string, GroupWant[]>,
): void {
	const { people, sources, managedUser, needsGroups, users } = input;
	for (let i = 0; i < people.length; i++) {
		const j = managedUser[i];
		if (j < 0 && needsGroups[i] === 0) continue;
		const userId = j >= 0 ? String(users[j].id) : '';
		for (let s = 0; s < sources.length; s++) {
			const code = codeOf(people[i], sources[s]);
			if (code === undefined) continue;
			const want = code ? byCode[s].get(normaliseKey(code)) : undefined;
			if (want?.group === AMBIGUOUS) continue;
			if (want?.group === MISSING && needsGroups[i] === 1) {
				want.neededBy++;
				if (j >= 0) want.neededByUpdates++;
				if (want.firstNeed < 0) want.firstNeed = i;
			}
			if (j < 0) continue;
			if (want && want.group >= 0 && !want.members.has(userId)) want.adds.push(i);
			for (const other of userIn.get(userId) ?? [])
				if (other.from === sources[s] && other !== want) other.removes.push(i);
		}
	}
}

function groupRef(want: GroupWant, groups: RawRecord[]): GroupRef {
	const group = want.group >= 0 ? groups[want.group] : undefined;
	return {
		id: group ? (group.id as string) : null,
		displayName: displayNameOf(group, want.name),
		externalId: want.code,
		from: want.from,
	};
}

function createFirstItem(want: GroupWant): PlanItem {
	const users = want.neededBy > 1 ? `${want.neededBy} planned users` : '1 planned user';
	return {
		action: 'createFirst',
		kind: 'group',
		reason: `The SCIM group "${want.name}" (${KIND_LABEL[want.from]} ${want.code}) is needed by ${users} and the app has no group with that externalId or name: create it first. Its members are added on the next run, once the app has given it an id.`,
		matchedBy: null,
		hr: null,
		app: null,
		appId: null,
		changes: [],
		payload: groupResource(want.name, want.code),
		hrIndex: want.firstNeed,
		appIndex: -1,
		neededBy: want.neededBy,
		neededByUpdates: want.neededByUpdates,
		group: { id: null, displayName: want.name, externalId: want.code, from: want.from },
	};
}

/** The membership items of one group and direction: one per MEMBERS_PER_PATCH users. */
function membershipItems(
	want: GroupWant,
	change: 'add' | 'remove',
	input: GroupPlanInput,
): PlanItem[] {
	const all = change === 'add' ? want.adds : want.removes;
	const items: PlanItem[] = [];
	for (let start = 0; start < all.length; start += MEMBERS_PER_PATCH)
		items.push(membershipItem(want, change, all.slice(start, start + MEMBERS_PER_PATCH), input));
	return items;
}

function membershipItem(
	want: GroupWant,
	change: 'add' | 'remove',
	hrIndexes: number[],
	input: GroupPlanInput,
): PlanItem {
	const members: GroupMember[] = hrIndexes.map((i) => ({
		appId: String(input.users[input.managedUser[i]].id),
		hrIndex: i,
		externalId: input.people[i].externalId ?? null,
		email: input.people[i].email ?? null,
	}));
	const memberIds = members.map((member) => member.appId);
	const group = groupRef(want, input.groups);
	const kind = KIND_LABEL[want.from];
	const who = members.length > 1 ? `${members.length} people` : '1 person';
	const reason =
		change === 'add'
			? `Add ${who} to the SCIM group "${group.displayName}": their ${kind} in HR is "${want.name}" (${want.code}) and they are not members yet.`
			: `Remove ${who} from the SCIM group "${group.displayName}" (${kind} ${want.code}): their ${kind} in HR is another one now, or none.`;
	return {
		action: change === 'add' ? 'groupAdd' : 'groupRemove',
		reason,
		matchedBy: null,
		hr: null,
		app: input.groups[want.group],
		appId: null,
		changes: [],
		payload: membersPatchOp(change, memberIds),
		hrIndex: hrIndexes[0],
		appIndex: input.groupInputIndex[want.group],
		group,
		groupId: group.id!,
		memberIds,
		members,
	};
}

/**
 * A warning when users this sync manages are in groups with an externalId no HR code has (a job
 * or organisation that is gone, or a group of another tool): those memberships are left alone,
 * because whose group it is cannot be told from the app. In scope `inputOnly` the HR input holds
 * only some people, so such a group may well stand for a job or organisation HR still has (a
 * mover's old one): the warning says so and leaves it to a run in scope `everyone`.
 */
function staleGroupWarning(input: GroupPlanInput, wants: GroupWant[]): string | undefined {
	const codes = new Set(wants.map((want) => normaliseKey(want.code)));
	const stale = new Map<string, RawRecord>();
	for (const group of input.groups) {
		const ext = normaliseKey(group.externalId);
		if (ext !== '' && !codes.has(ext) && typeof group.id === 'string') stale.set(group.id, group);
	}
	if (stale.size === 0) return undefined;
	const managed = new Set<string>();
	for (const j of input.managedUser) if (j >= 0) managed.add(String(input.users[j].id));
	const users = new Set<string>();
	const groups = new Set<string>();
	const note = (userId: string, groupId: string) => {
		users.add(userId);
		groups.add(groupId);
	};
	for (const [id, group] of stale) {
		for (const member of referencedIds(group.members, 'group'))
			if (managed.has(member)) note(member, id);
	}
	input.users.forEach((user, j) => {
		const userId = String(user.id);
		if (!managed.has(userId)) return;
		for (const id of referencedIds(input.resources[j].groups, 'indirect'))
			if (stale.has(id)) note(userId, id);
	});
	if (users.size === 0) return undefined;
	const example = stale.get([...groups][0])!;
	const who = `${users.size} user${users.size > 1 ? 's' : ''} this sync manages ${users.size > 1 ? 'are' : 'is'} in ${groups.size} SCIM group${groups.size > 1 ? 's' : ''}`;
	const eg = `(e.g. "${displayNameOf(example, String(example.id))}", externalId ${JSON.stringify(example.externalId)})`;
	if (input.scope === 'inputOnly')
		return `${who} whose externalId no job or organisation in the HR input has ${eg}: those memberships are left as they are. Scope is "Only the People in the HR Input", so HR may still have that job or organisation (a mover's old one): a run in scope Everyone takes movers out of their old groups.`;
	return `${who} whose externalId no HR job or organisation has ${eg}: those memberships are left as they are. If such a group stood for a job or organisation that is gone, delete it in the app or remove its members.`;
}

/** Refuses a groups list that is plainly missing: users name groups, yet no Group came in. */
function checkGroupsPresent(input: GroupPlanInput, warnings: string[]): void {
	if (input.groups.length > 0 || input.users.length === 0) return;
	const member = input.resources.findIndex(
		(resource) => referencedIds(resource.groups, 'indirect').length > 0,
	);
	if (member >= 0) {
		throw new ReconcileConfigError(
			'SCIM Groups From is on and the app users are members of groups, but the App input holds no SCIM Groups',
			'Append the SCIM 2.0 node’s Groups → Get Many output to the App input, after the users (a Merge node in Append mode), so existing groups are found and not created again.',
		);
	}
	warnings.push(
		'SCIM Groups From is on, but the App input holds no SCIM Groups: every group the people need is listed on Create First. If the app has groups already, append the SCIM 2.0 node’s Groups → Get Many output to the App input, or they are created twice.',
	);
}

/**
 * Plans SCIM groups from the HR job and/or organisation: the groups to create first (once
 * each, jobs before organisations, in first-need order, with `neededBy` and `neededByUpdates`),
 * then the `groupRemove` items of the groups people leave and the `groupAdd` items of the groups
 * people join (removals first; groups in the same order; users in HR order, at most
 * MEMBERS_PER_PATCH per item).
 * @throws ReconcileConfigError when users are members of groups but no Group came in.
 */
export function planScimGroups(input: GroupPlanInput): GroupPlan {
	const warnings: string[] = [];
	checkGroupsPresent(input, warnings);
	const { wants, byCode } = collectWants(input.people, input.sources);
	resolveGroups(wants, input.groups, warnings);
	planMemberships(input, byCode, readMemberships(wants, input));
	const stale = staleGroupWarning(input, wants);
	if (stale) warnings.push(stale);
	const createFirst: PlanItem[] = [];
	const removes: PlanItem[] = [];
	const adds: PlanItem[] = [];
	for (const want of wants) {
		if (want.group === MISSING && want.neededBy > 0) createFirst.push(createFirstItem(want));
		removes.push(...membershipItems(want, 'remove', input));
		adds.push(...membershipItems(want, 'add', input));
	}
	// Leaving before joining: an app with a limit on groups per user takes the moves in order.
	return { createFirst, membership: [...removes, ...adds], warnings };
}
