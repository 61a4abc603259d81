/**
 * People mode, config: the settings checked once and turned into what the steps read
 * (presets resolved, defaults filled in, the lead-time and expiry dates computed).
 */
import { addDays, assertIsoDate, minusMonths } from './dates';
import { KEY_LABEL } from './match';
import { resolveSource, resolveTarget } from './presets';
import {
	type LeaverAction,
	type MatchKey,
	type PeopleConfig,
	type Scope,
	type SourceMapping,
	type TargetProfile,
	ReconcileConfigError,
} from './types';
import { normaliseKey } from './values';

/** People-mode settings after resolvePeopleConfig: presets resolved, defaults filled in. */
export interface ResolvedPeopleConfig {
	/** Reference date, `YYYY-MM-DD`. */
	asOf: string;
	/** IANA zone for app timestamps (default UTC). */
	timeZone: string;
	source: SourceMapping;
	target: TargetProfile;
	matchOn: MatchKey[];
	leaverAction: LeaverAction;
	/** Invite lead time in days, and the last start date invited today (`asOf` + lead days). */
	leadDays: number;
	leadLimit: string;
	/** Invitation expiry in months (0: never), and the oldest send date still valid. */
	expiryMonths: number;
	invitationCutoff: string | undefined;
	/** App fields set on create only (the target's own plus the extra ones). */
	createOnly: Set<string>;
	/** Case-folded emails, external IDs and app IDs never to touch. */
	protectedKeys: Set<string>;
	manageUnmanaged: boolean;
	/** Case-folded HR statuses of leavers, and lifecycle statuses of people not started yet. */
	inactiveStatuses: Set<string>;
	preStartStatuses: Set<string>;
	/** Which app users the HR input speaks for. */
	scope: Scope;
	/** Reactivate a deactivated user without external ID matched by email alone. */
	reactivateEmailOnlyMatches: boolean;
}

/** The scope, checked; throws ReconcileConfigError for another value. Shared with records mode. */
export function checkedScope(scope: Scope | undefined): Scope {
	const value = scope ?? 'everyone';
	if (value !== 'everyone' && value !== 'inputOnly') {
		throw new ReconcileConfigError(
			`Scope must be "everyone" or "inputOnly", not "${String(value)}"`,
			'Choose a Scope: Everyone, or Only the People in the HR Input.',
		);
	}
	return value;
}

function wholeNumber(value: number | undefined, fallback: number, name: string): number {
	if (value === undefined || value === null) return fallback;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
		throw new ReconcileConfigError(
			`${name} must be a whole number of 0 or more, not "${String(value)}"`,
			`Fix ${name} in the node's options.`,
		);
	}
	return value;
}

function lowerSet(values: string[] | undefined, fallback: string[]): Set<string> {
	return new Set(
		(values ?? fallback).map((value) => normaliseKey(value)).filter((value) => value !== ''),
	);
}

function checkedMatchOn(config: PeopleConfig, source: SourceMapping): MatchKey[] {
	const matchOn = config.matchOn ?? ['externalId', 'email'];
	if (
		matchOn.length === 0 ||
		matchOn.some((key) => key !== 'externalId' && key !== 'email') ||
		new Set(matchOn).size !== matchOn.length
	) {
		throw new ReconcileConfigError(
			`Match keys must be externalId and/or email, each once (got ${JSON.stringify(matchOn)})`,
			'Choose a "Match On" option.',
		);
	}
	for (const key of matchOn) {
		if (!source.fields[key]) {
			throw new ReconcileConfigError(
				`Matching on ${KEY_LABEL[key]}, but the HR mapping "${source.label}" has no ${key} field`,
				`Map ${key} in the HR fields, or match on the other key.`,
			);
		}
	}
	return matchOn;
}

function checkedLeaverAction(config: PeopleConfig, target: TargetProfile): LeaverAction {
	const leaverAction = config.leaverAction ?? 'deactivate';
	if (leaverAction !== 'deactivate' && leaverAction !== 'remove') {
		throw new ReconcileConfigError(
			`Leaver action must be "deactivate" or "remove", not "${String(leaverAction)}"`,
			'Choose a Leaver Action.',
		);
	}
	if (leaverAction === 'deactivate' && target.status.type === 'none') {
		throw new ReconcileConfigError(
			`The target "${target.label}" has no status field, so leavers cannot be deactivated`,
			'Set Leaver Action to Remove, or map the app status field.',
		);
	}
	return leaverAction;
}

function createOnlyFields(config: PeopleConfig, target: TargetProfile): Set<string> {
	const createOnly = new Set(
		target.fields.filter((field) => field.createOnly).map((field) => field.app),
	);
	for (const name of config.extraCreateOnlyFields ?? []) {
		const trimmed = name.trim();
		if (trimmed === '') continue;
		if (!target.fields.some((field) => field.app === trimmed)) {
			throw new ReconcileConfigError(
				`Create-only field "${trimmed}" is not a field of the ${target.label} target`,
				`Use one of: ${target.fields.map((field) => field.app).join(', ')}.`,
			);
		}
		createOnly.add(trimmed);
	}
	return createOnly;
}

/** Checks the settings; throws ReconcileConfigError naming the setting to fix. */
export function resolvePeopleConfig(config: PeopleConfig): ResolvedPeopleConfig {
	assertIsoDate(config.asOf, 'The reference date');
	const source = resolveSource(config.source);
	const target = resolveTarget(config.target);
	const matchOn = checkedMatchOn(config, source);
	const leaverAction = checkedLeaverAction(config, target);
	const leadDays = wholeNumber(config.inviteLeadDays, 0, 'Invite Lead Time (Days)');
	const expiryMonths = wholeNumber(config.invitationExpiryMonths, 6, 'Invitation Expiry (Months)');
	return {
		asOf: config.asOf,
		timeZone: config.timeZone ?? 'UTC',
		source,
		target,
		matchOn,
		leaverAction,
		leadDays,
		leadLimit: addDays(config.asOf, leadDays),
		expiryMonths,
		invitationCutoff:
			expiryMonths > 0 && target.invitedAtPath ? minusMonths(config.asOf, expiryMonths) : undefined,
		createOnly: createOnlyFields(config, target),
		protectedKeys: lowerSet(config.protectedUsers, []),
		manageUnmanaged: config.manageUnmanaged ?? false,
		inactiveStatuses: lowerSet(config.inactiveStatuses, ['inactive']),
		preStartStatuses: lowerSet(config.preStartLifecycleStatuses, ['hired']),
		scope: checkedScope(config.scope),
		reactivateEmailOnlyMatches: config.reactivateEmailOnlyMatches === true,
	};
}
