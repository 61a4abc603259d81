/**
 * The in-memory Users and Groups of one SCIM sandbox. Every sandbox owns one `ScimStore`; the
 * SCIMMY handlers reach it through the request context (see `scimmy.ts`), so two sandboxes in one
 * process never share data.
 *
 * What the library does not enforce is enforced here, as RFC 7643 asks:
 * - `userName` is unique across the service provider and compared case-insensitively
 *   (caseExact false) -> 409 with scimType `uniqueness` (https://www.rfc-editor.org/rfc/rfc7643#section-4.1.1,
 *   https://www.rfc-editor.org/rfc/rfc7644#section-3.3);
 * - `meta.created` / `meta.lastModified` are kept by the server; a write that changes nothing
 *   leaves `lastModified` as it was (https://www.rfc-editor.org/rfc/rfc7643#section-3.1);
 * - references must point at resources that exist: a Group's `members[].value` and the enterprise
 *   extension's `manager.value` are SCIM `id`s (https://www.rfc-editor.org/rfc/rfc7643#section-4.2,
 *   https://www.rfc-editor.org/rfc/rfc7643#section-4.3), so a client that sends an HR key there is
 *   told so (400 `invalidValue`) instead of being silently accepted.
 * Deleting a User drops it from every Group's members and clears managers that pointed at it.
 */
import { randomUUID } from 'node:crypto';
import { SCIMMY } from 'scimmy-routers';

/** URN of the enterprise User extension (RFC 7643 section 4.3). */
export const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** Server-kept metadata; times are ISO 8601 UTC strings. */
export interface ScimMeta {
	resourceType: 'User' | 'Group';
	created: string;
	lastModified: string;
}

/** A stored resource: the attributes as the client sent them (validated by SCIMMY) plus id and meta. */
export type ScimResource = Record<string, unknown> & { id: string; meta: ScimMeta };

/** A plain JSON object. */
export type JsonObject = Record<string, unknown>;

/** True for a plain (non-array, non-null) object. */
export function isJsonObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The 404 SCIM Error for an unknown id. */
export function notFound(resourceType: 'User' | 'Group', id: string | undefined): Error {
	return new SCIMMY.Types.Error(404, '', `${resourceType} ${JSON.stringify(id)} not found`);
}

function invalidValue(detail: string): Error {
	return new SCIMMY.Types.Error(400, 'invalidValue', detail);
}

/** Attributes the server owns: dropped from what a client sends before it is stored. */
function clientAttributes(data: JsonObject): JsonObject {
	const copy: JsonObject = { ...data };
	for (const key of ['id', 'meta', 'schemas', 'groups']) delete copy[key];
	return copy;
}

/** Users and Groups of one sandbox, in insertion order (so paging is stable). */
export class ScimStore {
	readonly users = new Map<string, ScimResource>();
	readonly groups = new Map<string, ScimResource>();

	/** @param now the server clock (ISO 8601 UTC) for meta.created / meta.lastModified */
	constructor(private readonly now: () => string) {}

	/**
	 * Creates (`id` undefined; with `newId` or a random UUID as its id) or replaces the User `id` with `data` (a SCIMMY-validated User).
	 * Throws the SCIM Errors 404 (unknown id), 409 `uniqueness` (userName taken, any case) and
	 * 400 `invalidValue` (manager.value is not a User id).
	 */
	saveUser(id: string | undefined, data: JsonObject, newId?: string): ScimResource {
		const previous = this.existing(this.users, 'User', id);
		this.assertUserNameFree(data.userName, id);
		this.assertManagerKnown(data);
		return this.put(this.users, 'User', previous, data, newId);
	}

	/**
	 * Creates (`id` undefined) or replaces the Group `id` with `data` (a SCIMMY-validated Group).
	 * Members are de-duplicated by value (adding a member twice is a no-op, RFC 7644 section 3.5.2.1);
	 * throws 404 for an unknown id and 400 `invalidValue` for a member that is no User or Group.
	 */
	saveGroup(id: string | undefined, data: JsonObject, newId?: string): ScimResource {
		const previous = this.existing(this.groups, 'Group', id);
		const members = this.knownMembers(data.members);
		const group = { ...data, ...(members ? { members } : {}) };
		return this.put(this.groups, 'Group', previous, group, newId);
	}

	/** Deletes a User (404 when unknown) and every reference to it. */
	deleteUser(id: string | undefined): void {
		if (id === undefined || !this.users.delete(id)) throw notFound('User', id);
		this.dropMember(id);
		for (const user of this.users.values()) {
			const extension = user[ENTERPRISE_USER];
			if (isJsonObject(extension) && isJsonObject(extension.manager)) {
				if (extension.manager.value === id) {
					const rest: JsonObject = { ...extension };
					delete rest.manager;
					this.touch(user, { [ENTERPRISE_USER]: rest });
				}
			}
		}
	}

	/** Deletes a Group (404 when unknown) and its membership in other Groups. */
	deleteGroup(id: string | undefined): void {
		if (id === undefined || !this.groups.delete(id)) throw notFound('Group', id);
		this.dropMember(id);
	}

	/** Removes every User and Group. */
	clear(): void {
		this.users.clear();
		this.groups.clear();
	}

	/** Runs `change`; when it throws, puts every User and Group back as they were and rethrows. */
	atomically<T>(change: () => T): T {
		const users = structuredClone(this.users);
		const groups = structuredClone(this.groups);
		try {
			return change();
		} catch (error) {
			this.replaceAll(this.users, users);
			this.replaceAll(this.groups, groups);
			throw error;
		}
	}

	private replaceAll(map: Map<string, ScimResource>, from: Map<string, ScimResource>): void {
		map.clear();
		for (const [id, resource] of from) map.set(id, resource);
	}

	private existing(
		map: Map<string, ScimResource>,
		resourceType: 'User' | 'Group',
		id: string | undefined,
	): ScimResource | undefined {
		if (id === undefined) return undefined;
		const found = map.get(id);
		if (!found) throw notFound(resourceType, id);
		return found;
	}

	private put(
		map: Map<string, ScimResource>,
		resourceType: 'User' | 'Group',
		previous: ScimResource | undefined,
		data: JsonObject,
		newId: string | undefined,
	): ScimResource {
		const attributes = clientAttributes(data);
		if (previous && JSON.stringify(clientAttributes(previous)) === JSON.stringify(attributes)) {
			return previous;
		}
		const now = this.now();
		const id = previous?.id ?? newId ?? randomUUID();
		if (!previous && map.has(id)) {
			throw new SCIMMY.Types.Error(409, 'uniqueness', `${resourceType} id ${id} exists already`);
		}
		const meta: ScimMeta = {
			resourceType,
			created: previous?.meta.created ?? now,
			lastModified: now,
		};
		const saved: ScimResource = { ...attributes, id, meta };
		map.set(id, saved);
		return saved;
	}

	private touch(resource: ScimResource, changes: JsonObject): void {
		Object.assign(resource, changes);
		resource.meta = { ...resource.meta, lastModified: this.now() };
	}

	private assertUserNameFree(userName: unknown, ownId: string | undefined): void {
		const wanted = String(userName).toLowerCase();
		for (const user of this.users.values()) {
			if (user.id !== ownId && String(user.userName).toLowerCase() === wanted) {
				throw new SCIMMY.Types.Error(
					409,
					'uniqueness',
					`userName ${JSON.stringify(userName)} is already taken by User ${user.id} (userName is compared case-insensitively)`,
				);
			}
		}
	}

	private assertManagerKnown(data: JsonObject): void {
		const extension = data[ENTERPRISE_USER];
		if (!isJsonObject(extension) || !isJsonObject(extension.manager)) return;
		const value = extension.manager.value;
		if (value === undefined || (typeof value === 'string' && this.users.has(value))) return;
		throw invalidValue(
			`manager.value ${JSON.stringify(value)} is not the id of a User here: set it to the manager's SCIM id (create the manager first)`,
		);
	}

	private knownMembers(members: unknown): JsonObject[] | undefined {
		if (!Array.isArray(members)) return undefined;
		const byValue = new Map<unknown, JsonObject>();
		for (const member of members) {
			if (!isJsonObject(member)) continue;
			const value = member.value;
			if (typeof value !== 'string' || !(this.users.has(value) || this.groups.has(value))) {
				throw invalidValue(
					`members.value ${JSON.stringify(value)} is not the id of a User or Group here: use the member's SCIM id`,
				);
			}
			if (!byValue.has(value)) byValue.set(value, member);
		}
		return [...byValue.values()];
	}

	private dropMember(id: string): void {
		for (const group of this.groups.values()) {
			const members = Array.isArray(group.members) ? group.members : [];
			const kept = members.filter((member) => !isJsonObject(member) || member.value !== id);
			if (kept.length !== members.length) this.touch(group, { members: kept });
		}
	}
}
