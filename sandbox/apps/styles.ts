/**
 * The three app styles the apps sandbox speaks, as data: per style its base path and its
 * collections, and per collection its path, its fields and their rules (type, required, unique,
 * enum, reference), what creation adds, and whether rows can be deleted.
 *
 * Groups, stores, communities and functions are referenced from users by their `externalId`
 * (the HR system's key), so one sync run can create a group and then a user in it.
 */

/** The app a sandbox stands in for. */
export type AppStyle = 'mobietrain' | 'declaree' | 'oneteam';

/** A stored row: any fields, and the id the app gave it. */
export type Row = Record<string, unknown> & { id: string };

/** Where a field's value must point: a row of `collection` with that `externalId` or `id`. */
export interface ReferenceRule {
	collection: string;
	by: 'externalId' | 'id';
}

/** How one field of a request body is checked. */
export interface FieldRule {
	required?: boolean;
	type: 'string' | 'boolean' | 'stringArray' | 'nullableString';
	/** Collection whose externalId (or id, for managers) this field must reference. */
	references?: ReferenceRule;
	/** No other row of the collection may have the same value, compared case-insensitively. */
	unique?: boolean;
	enum?: string[];
}

/** One collection of an app: its REST path, fields and lifecycle rules. */
export interface CollectionSpec {
	path: string;
	fields: Record<string, FieldRule>;
	/** Creation endpoint when it differs from POST <path> (MobieTrain invites users). */
	createPath?: string;
	/** Fills in what the app sets on creation; `now` is the app's clock (ISO). */
	onCreate?: (row: Row, now: string) => void;
	/** DELETE removes the row (true) or is not allowed (false). */
	deletable: boolean;
}

/** One app style: the path its API lives under and its collections by name. */
export interface StyleSpec {
	basePath: string;
	collections: Record<string, CollectionSpec>;
}

const reference = (collection: string, by: 'externalId' | 'id' = 'externalId'): ReferenceRule => ({
	collection,
	by,
});

const named: Record<string, FieldRule> = {
	externalId: { type: 'string', required: true, unique: true },
	name: { type: 'string', required: true },
};

/** MobieTrain-style learning app: users are invited into existing groups and stores. */
const MOBIETRAIN: StyleSpec = {
	basePath: '/api/v1',
	collections: {
		groups: { path: '/groups', fields: named, deletable: true },
		stores: { path: '/stores', fields: named, deletable: true },
		users: {
			path: '/users',
			createPath: '/invitations',
			deletable: true,
			fields: {
				externalId: { type: 'string', required: true, unique: true },
				email: { type: 'string', required: true, unique: true },
				firstName: { type: 'string', required: true },
				lastName: { type: 'string', required: true },
				language: { type: 'nullableString' },
				jobDescription: { type: 'nullableString' },
				groups: { type: 'stringArray', references: reference('groups') },
				stores: { type: 'stringArray', references: reference('stores') },
				status: { type: 'string', enum: ['active', 'invited', 'deactivated'] },
			},
			onCreate: (row, now) => {
				row.status = 'invited';
				row.invitedAt = now;
				row.language = row.language ?? 'EN';
				row.groups = row.groups ?? [];
				row.stores = row.stores ?? [];
			},
		},
	},
};

/** Declaree-style expense app: users have a manager and are disabled, never deleted. */
const DECLAREE: StyleSpec = {
	basePath: '/api',
	collections: {
		users: {
			path: '/users',
			deletable: false,
			fields: {
				externalId: { type: 'string', required: true, unique: true },
				username: { type: 'string', required: true, unique: true },
				email: { type: 'string', required: true },
				firstName: { type: 'string', required: true },
				lastName: { type: 'string', required: true },
				enabled: { type: 'boolean' },
				managerId: { type: 'nullableString', references: reference('users', 'id') },
			},
			onCreate: (row) => {
				row.enabled = row.enabled ?? true;
				row.managerId = row.managerId ?? null;
			},
		},
	},
};

/** Oneteam-style communication app: every user is in one community and has one function. */
const ONETEAM: StyleSpec = {
	basePath: '/api',
	collections: {
		communities: { path: '/communities', fields: named, deletable: true },
		functions: { path: '/functions', fields: named, deletable: true },
		users: {
			path: '/users',
			deletable: true,
			fields: {
				externalId: { type: 'string', required: true, unique: true },
				email: { type: 'string', required: true, unique: true },
				firstName: { type: 'string', required: true },
				lastName: { type: 'string', required: true },
				communityId: { type: 'string', required: true, references: reference('communities') },
				functionId: { type: 'string', required: true, references: reference('functions') },
				status: { type: 'string', enum: ['active', 'invited', 'deactivated'] },
			},
			onCreate: (row) => {
				row.status = row.status ?? 'invited';
			},
		},
	},
};

/** Every style by name. */
export const STYLES: Record<AppStyle, StyleSpec> = {
	mobietrain: MOBIETRAIN,
	declaree: DECLAREE,
	oneteam: ONETEAM,
};
