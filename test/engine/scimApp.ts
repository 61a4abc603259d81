/**
 * Engine-test helpers for the SCIM 2.0 target: SCIM User resources in the shape a SCIM list
 * returns them, and an in-memory SCIM app that applies a plan the way the SCIM 2.0 node would
 * (Create → POST, PatchOps → PATCH with the node's own PATCH application, remove → DELETE) and
 * lists its users and groups again, sorted by id like Get Many.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Plan, PlanItem } from '../../nodes/ReconcileUsers/engine';
import { applyPatch, readPatchOperations } from '../../nodes/Scim/helpers/patch';
import type { Row } from './fixtures';

export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const META_TIME = '2026-03-01T08:00:00.000Z';

/**
 * A SCIM User resource for `id`, with the attributes given (undefined ones left out, as SCIM apps
 * leave out unassigned attributes); the enterprise extension only when one of its attributes is.
 */
export function scimUser(
	id: string,
	attributes: {
		externalId?: string;
		userName?: string;
		givenName?: string;
		familyName?: string;
		displayName?: string;
		email?: string;
		active?: boolean;
		employeeNumber?: string;
		department?: string;
		manager?: string;
		groups?: Array<{ value: string; display?: string; type?: string }>;
		extra?: Row;
	},
): Row {
	const user: Row = { schemas: [USER], id };
	const a = attributes;
	if (a.externalId !== undefined) user.externalId = a.externalId;
	user.meta = { resourceType: 'User', created: META_TIME, lastModified: META_TIME };
	if (a.userName !== undefined) user.userName = a.userName;
	if (a.givenName !== undefined || a.familyName !== undefined)
		user.name = { givenName: a.givenName, familyName: a.familyName };
	if (a.displayName !== undefined) user.displayName = a.displayName;
	if (a.email !== undefined) user.emails = [{ value: a.email, type: 'work', primary: true }];
	user.active = a.active ?? true;
	if (a.groups) user.groups = a.groups;
	const enterprise: Row = {};
	if (a.employeeNumber !== undefined) enterprise.employeeNumber = a.employeeNumber;
	if (a.department !== undefined) enterprise.department = a.department;
	if (a.manager !== undefined) enterprise.manager = { value: a.manager };
	if (Object.keys(enterprise).length > 0) {
		(user.schemas as string[]).push(ENTERPRISE);
		user[ENTERPRISE] = enterprise;
	}
	return { ...user, ...a.extra };
}

/** The SCIM user that matches afasRow(externalId) (MobieTrain-style AFAS row) exactly. */
export function scimUserForAfas(externalId: string, overrides: Row = {}): Row {
	return {
		...scimUser(`s${externalId}`, {
			externalId,
			userName: `p${externalId}@example.com`,
			givenName: `First${externalId}`,
			familyName: `Last${externalId}`,
			displayName: `First${externalId} Last${externalId}`,
			email: `p${externalId}@example.com`,
			employeeNumber: externalId,
			department: 'Store Utrecht',
		}),
		...overrides,
	};
}

/** A SCIM Group resource. */
export function scimGroup(
	id: string,
	displayName: string,
	externalId: string | undefined,
	memberIds: string[] = [],
): Row {
	const group: Row = { schemas: [GROUP], id, displayName };
	if (externalId !== undefined) group.externalId = externalId;
	if (memberIds.length > 0) group.members = memberIds.map((value) => ({ value }));
	group.meta = { resourceType: 'Group', created: META_TIME, lastModified: META_TIME };
	return group;
}

/** Every operation of every PatchOp payload of a plan's Update and Deactivate/Remove outputs. */
export function allOperations(result: Plan): Array<{ op: string; path?: string; value?: unknown }> {
	return [...result.update, ...result.remove].flatMap((item) =>
		item.payload ? readPatchOperations(item.payload) : [],
	);
}

function memberFilterId(path: string): string {
	const match = /^members\[value eq (".*")\]$/.exec(path);
	if (!match) throw new Error(`unexpected member path ${path}`);
	return JSON.parse(match[1]) as string;
}

/**
 * An in-memory SCIM app: users and groups by id. `apply` runs a plan's outputs in the order a
 * workflow does (Create First, Create, Update, Deactivate/Remove); `list` is what Users → Get Many
 * followed by Groups → Get Many would give (users with their direct `groups`, then the groups).
 */
export class MemoryScimApp {
	readonly users = new Map<string, IDataObject>();
	readonly groups = new Map<string, IDataObject>();
	private next = 1;

	constructor(users: Row[] = [], groups: Row[] = []) {
		for (const user of users) this.users.set(user.id as string, structuredClone(user) as never);
		for (const group of groups)
			this.groups.set(group.id as string, structuredClone(group) as never);
	}

	private newId(prefix: string): string {
		return `${prefix}-${String(this.next++).padStart(4, '0')}`;
	}

	/** Users (with `groups` from the groups' members), then groups; each sorted by id. */
	list(options: { groups?: boolean } = {}): Row[] {
		const byId = (a: IDataObject, b: IDataObject) => String(a.id).localeCompare(String(b.id));
		const users = [...this.users.values()].sort(byId).map((user) => {
			const groups = [...this.groups.values()]
				.filter((group) =>
					((group.members as IDataObject[] | undefined) ?? []).some((m) => m.value === user.id),
				)
				.map((group) => ({ value: group.id, display: group.displayName, type: 'direct' }));
			const copy = structuredClone(user) as Row;
			delete copy.groups;
			return groups.length > 0 ? { ...copy, groups } : copy;
		});
		if (options.groups === false) return users;
		return [...users, ...[...this.groups.values()].sort(byId).map((g) => structuredClone(g))];
	}

	private patchGroup(item: PlanItem): void {
		const group = this.groups.get(item.groupId!)!;
		let members = ((group.members as IDataObject[] | undefined) ?? []).map((m) => m.value);
		for (const operation of readPatchOperations(item.payload)) {
			if (operation.op === 'add') {
				for (const { value } of operation.value as Array<{ value: string }>)
					if (!members.includes(value)) members.push(value);
			} else if (operation.op === 'remove') {
				const id = memberFilterId(operation.path!);
				members = members.filter((member) => member !== id);
			} else throw new Error(`unexpected group operation ${operation.op}`);
		}
		if (members.length > 0) group.members = members.map((value) => ({ value }));
		else delete group.members;
	}

	private patchUser(item: PlanItem): void {
		const user = this.users.get(item.appId!);
		if (!user) throw new Error(`no user ${item.appId}`);
		this.users.set(item.appId!, applyPatch(user, readPatchOperations(item.payload)));
	}

	/** Applies a plan's Create First, Create, Update and Deactivate/Remove outputs. */
	apply(result: Plan): void {
		for (const item of result.createFirst) {
			const id = this.newId('g');
			this.groups.set(id, {
				...(item.payload as IDataObject),
				id,
				meta: { resourceType: 'Group' },
			});
		}
		for (const item of result.create) {
			const id = this.newId('u');
			this.users.set(id, { ...(item.payload as IDataObject), id, meta: { resourceType: 'User' } });
		}
		for (const item of result.update) {
			if (item.action === 'groupAdd' || item.action === 'groupRemove') this.patchGroup(item);
			else this.patchUser(item);
		}
		for (const item of result.remove) {
			if (item.action === 'remove') {
				this.users.delete(item.appId!);
				for (const group of this.groups.values()) {
					const members = (group.members as IDataObject[] | undefined) ?? [];
					const left = members.filter((m) => m.value !== item.appId);
					if (left.length > 0) group.members = left;
					else delete group.members;
				}
			} else this.patchUser(item);
		}
	}
}
