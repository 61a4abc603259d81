/** Builders for engine tests: HR rows and app users in the shapes the presets describe. */
import {
	reconcile,
	type PeopleConfig,
	type Plan,
	type PlanItem,
} from '../../nodes/ReconcileUsers/engine';

export type Row = Record<string, unknown>;

/** A row of MobieTrain's AFAS GetConnector, dates as AFAS sends them (a Z that is not UTC). */
export function afasRow(externalId: string, overrides: Row = {}): Row {
	return {
		email: `p${externalId}@example.com`,
		employerId: 'E01',
		employerName: 'Example BV',
		employementEndDate: null,
		employmentStartDate: '2024-01-01T00:00:00Z',
		externalId,
		firstName: `First${externalId}`,
		functionId: 'F01',
		functionDescription: 'Sales',
		lastName: `Last${externalId}`,
		organizationId: 'S01',
		organizationName: 'Store Utrecht',
		isoCode: 'NL',
		...overrides,
	};
}

/** MobieTrain-style app user matching afasRow(externalId) with nothing to change. */
export function mobieUser(externalId: string, overrides: Row = {}): Row {
	return {
		id: `u${externalId}`,
		externalId,
		email: `p${externalId}@example.com`,
		firstName: `First${externalId}`,
		lastName: `Last${externalId}`,
		language: 'NL',
		jobDescription: 'Sales',
		groups: ['F01'],
		stores: ['S01'],
		status: 'active',
		invitedAt: null,
		...overrides,
	};
}

/** HiBob employee as the HiBob node outputs it with Simplify on (nested form). */
export function bobEmployee(
	id: string,
	overrides: { root?: Row; work?: Row; internal?: Row } = {},
): Row {
	return {
		id,
		email: `e${id}@example.com`,
		firstName: `Bob${id}`,
		surname: `Surname${id}`,
		displayName: `Bob${id} Surname${id}`,
		work: {
			title: 'T01',
			department: 'D01',
			site: 'Amsterdam',
			startDate: '2023-05-01',
			reportsTo: null,
			...overrides.work,
		},
		internal: {
			status: 'Active',
			lifecycleStatus: 'Employed',
			terminationDate: null,
			...overrides.internal,
		},
		...overrides.root,
	};
}

export function declareeUser(externalId: string, overrides: Row = {}): Row {
	return {
		id: `d${externalId}`,
		externalId,
		username: `e${externalId}@example.com`,
		email: `e${externalId}@example.com`,
		firstName: `Bob${externalId}`,
		lastName: `Surname${externalId}`,
		enabled: true,
		managerId: null,
		...overrides,
	};
}

export function oneteamUser(externalId: string, overrides: Row = {}): Row {
	return {
		id: `o${externalId}`,
		externalId,
		email: `p${externalId}@example.com`,
		firstName: `First${externalId}`,
		lastName: `Last${externalId}`,
		communityId: 'S01',
		functionId: 'F01',
		status: 'active',
		...overrides,
	};
}

export const AS_OF = '2026-04-01';

/** The people-mode config the engine tests start from (AFAS MobieTrain-style into MobieTrain). */
export function peopleConfig(config: Partial<PeopleConfig> = {}): PeopleConfig {
	return {
		source: 'afasMobieTrain',
		target: 'mobieTrain',
		asOf: AS_OF,
		timeZone: 'Europe/Amsterdam',
		...config,
	} as PeopleConfig;
}

export function plan(hr: Row[], app: Row[], config: Partial<PeopleConfig> = {}): Plan {
	return reconcile(hr, app, peopleConfig(config));
}

/** Every item of a plan, in output order. */
export function allItems(result: Plan): PlanItem[] {
	return [
		...result.createFirst,
		...result.create,
		...result.update,
		...result.remove,
		...result.unchanged,
		...result.conflicts,
	];
}

/** The item that comes from HR item `index` (or App item `index` when side is 'app'). */
export function itemFor(result: Plan, index: number, side: 'hr' | 'app' = 'hr'): PlanItem {
	const found = allItems(result).filter(
		(item) =>
			item.action !== 'createFirst' &&
			(side === 'hr' ? item.hrIndex === index : item.hrIndex < 0 && item.appIndex === index),
	);
	if (found.length !== 1)
		throw new Error(`expected one item for ${side} ${index}, found ${found.length}`);
	return found[0];
}

export function deepFreeze<T>(value: T): T {
	if (value && typeof value === 'object') {
		for (const child of Object.values(value)) deepFreeze(child);
		Object.freeze(value);
	}
	return value;
}
