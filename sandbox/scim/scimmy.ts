/**
 * The SCIMMY side of the SCIM sandbox: resource declarations and the handlers behind them.
 *
 * SCIMMY is a process-wide singleton: resource declarations, handlers, the service provider
 * configuration and the base path used for `meta.location` are global. Tests start several
 * sandboxes in one process, so:
 * - the User and Group resources are declared once per process, with handlers that hold no data:
 *   each sandbox's scimmy-routers instance has its own `context` function, which hands the
 *   handlers that sandbox's `ScimStore` (and the request's filter literals) as `ctx`;
 * - requests run through SCIMMY one at a time (`runExclusively`), and each first installs its
 *   sandbox's configuration (`applyServiceProviderConfig`), because scimmy-routers sets the global
 *   base path at the start of a request and SCIMMY reads it after the handlers have awaited.
 *   The store is in memory, so a request holds the lock for well under a millisecond.
 */
import { SCIMMY } from 'scimmy-routers';
import { matchFilter, type Literals } from './filter';
import {
	isJsonObject,
	notFound,
	type JsonObject,
	type ScimResource,
	type ScimStore,
} from './store';

/** What the handlers get as `ctx`: the store of the sandbox the request was sent to. */
export interface ScimContext {
	store: ScimStore;
	literals: Literals;
}

type Resource = InstanceType<typeof SCIMMY.Types.Resource>;
type Definition = InstanceType<typeof SCIMMY.Types.SchemaDefinition>;

function isScimContext(value: unknown): value is ScimContext {
	return isJsonObject(value) && value.literals instanceof Map && isJsonObject(value.store);
}

function contextOf(ctx: unknown): ScimContext {
	if (!isScimContext(ctx)) throw new SCIMMY.Types.Error(500, '', 'SCIM sandbox context missing');
	return ctx;
}

/** A plain JSON copy of a SCIMMY schema instance (extension attributes under their URN). */
function plain(instance: unknown): JsonObject {
	const copy: unknown = JSON.parse(JSON.stringify(instance));
	if (!isJsonObject(copy)) throw new SCIMMY.Types.Error(400, 'invalidSyntax', 'Expected an object');
	return copy;
}

/**
 * The resources a list request asks for (all, or those matching `resource.filter`), in the form
 * SCIMMY's ListResponse expects: it takes `totalResults` from the array's length, skips holes,
 * sorts and then pages (RFC 7644 section 3.4.2.4). Two cases are handled here:
 * - a `startIndex` past the last result: ListResponse would return the first page again (SCIMMY
 *   1.3.5), so a client reading until an empty page would loop forever. We return an array of
 *   holes of the right length: no Resources, the real totalResults;
 * - an unsorted page that starts at 1 or after the page size: only that page goes to SCIMMY, at
 *   the front of a sparse array as long as the full result (the form ListResponse documents), so
 *   SCIMMY converts one page of resources instead of all of them (about 0.5 ms each). Other
 *   requests (sortBy, or 1 < startIndex <= count, which ListResponse would slice again) get the
 *   full result, which ListResponse sorts and pages itself.
 */
function listed<T extends JsonObject>(
	resource: Resource,
	all: T[],
	definition: Definition,
	literals: Literals,
): T[] {
	const matched = resource.filter ? matchFilter(resource.filter, all, definition, literals) : all;
	const { startIndex = 1, count, sortBy } = resource.constraints ?? {};
	if (startIndex > matched.length) return new Array<T>(matched.length);
	const wholePage = startIndex === 1 || (count !== undefined && startIndex > count);
	if (sortBy !== undefined || count === undefined || !wholePage) return matched;
	const page = new Array<T>(matched.length);
	matched.slice(startIndex - 1, startIndex - 1 + count).forEach((item, i) => (page[i] = item));
	return page;
}

/** Direct Group memberships by member id, as a User's read-only `groups` (RFC 7643 section 4.1.2). */
function membershipIndex(store: ScimStore): Map<string, JsonObject[]> {
	const index = new Map<string, JsonObject[]>();
	for (const group of store.groups.values()) {
		for (const member of Array.isArray(group.members) ? group.members : []) {
			if (!isJsonObject(member) || typeof member.value !== 'string') continue;
			const groups = index.get(member.value) ?? [];
			groups.push({ value: group.id, display: group.displayName, type: 'direct' });
			index.set(member.value, groups);
		}
	}
	return index;
}

function userView(user: ScimResource, memberships: Map<string, JsonObject[]>): JsonObject {
	const groups = memberships.get(user.id);
	return groups ? { ...user, groups } : user;
}

function userEgress(resource: Resource, ctx: unknown): JsonObject | JsonObject[] {
	const { store, literals } = contextOf(ctx);
	if (resource.id !== undefined) {
		const user = store.users.get(resource.id);
		if (!user) throw notFound('User', resource.id);
		return userView(user, membershipIndex(store));
	}
	const definition = SCIMMY.Schemas.User.definition;
	const memberships = membershipIndex(store);
	const users = listed(resource, [...store.users.values()], definition, literals);
	return users.map((user) => userView(user, memberships));
}

function groupEgress(resource: Resource, ctx: unknown): JsonObject | JsonObject[] {
	const { store, literals } = contextOf(ctx);
	if (resource.id !== undefined) {
		const group = store.groups.get(resource.id);
		if (!group) throw notFound('Group', resource.id);
		return group;
	}
	const definition = SCIMMY.Schemas.Group.definition;
	return listed(resource, [...store.groups.values()], definition, literals);
}

let declared = false;

/**
 * Declares the SCIM User (core schema + optional enterprise extension) and Group resources with
 * SCIMMY, once per process. Must run before the first scimmy-routers instance is built (the
 * routers mount one route per declared resource).
 */
export function declareScimResources(): void {
	if (declared) return;
	declared = true;
	SCIMMY.Resources.declare(SCIMMY.Resources.User, {
		extensions: [{ schema: SCIMMY.Schemas.EnterpriseUser, required: false }],
		egress: userEgress,
		ingress: (resource: Resource, instance: unknown, ctx: unknown) =>
			contextOf(ctx).store.saveUser(resource.id, plain(instance)),
		degress: (resource: Resource, ctx: unknown) => contextOf(ctx).store.deleteUser(resource.id),
	});
	SCIMMY.Resources.declare(SCIMMY.Resources.Group, {
		egress: groupEgress,
		ingress: (resource: Resource, instance: unknown, ctx: unknown) =>
			contextOf(ctx).store.saveGroup(resource.id, plain(instance)),
		degress: (resource: Resource, ctx: unknown) => contextOf(ctx).store.deleteGroup(resource.id),
	});
}

/** What one sandbox advertises in /ServiceProviderConfig. */
export interface ServiceProviderSettings {
	/** The most resources one list response holds (`filter.maxResults`). */
	maxPageSize: number;
	/** Where the Bearer token is documented (authenticationSchemes[].documentationUri). */
	documentationUri: string;
}

/**
 * Installs one sandbox's service provider configuration into SCIMMY's global `Config`: PATCH,
 * filter (with `maxResults` = the page size cap) and sort supported; bulk, ETags and password
 * change not; one OAuth Bearer Token scheme (RFC 7643 section 5).
 */
export function applyServiceProviderConfig(settings: ServiceProviderSettings): void {
	SCIMMY.Config.set({
		patch: true,
		filter: { supported: true, maxResults: settings.maxPageSize },
		sort: true,
		bulk: false,
		etag: false,
		changePassword: false,
		authenticationSchemes: [],
	});
	SCIMMY.Config.set({
		authenticationSchemes: [
			{
				type: 'oauthbearertoken',
				name: 'OAuth Bearer Token',
				description: 'Send "Authorization: Bearer <token>" with every request.',
				specUri: 'https://www.rfc-editor.org/rfc/rfc6750',
				documentationUri: settings.documentationUri,
				primary: true,
			},
		],
	});
}

let queue: Promise<void> = Promise.resolve();

/**
 * Waits until no other SCIMMY request of this process is running, then resolves with the
 * function that lets the next one in. Callers must call it exactly once (on response finish/close).
 */
export function runExclusively(): Promise<() => void> {
	let release: () => void = () => undefined;
	const turn = new Promise<void>((resolve) => {
		release = resolve;
	});
	const ready = queue.then(() => release);
	queue = queue.then(() => turn);
	return ready;
}
