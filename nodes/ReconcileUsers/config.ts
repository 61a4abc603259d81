/**
 * Node parameters → engine config. Read once, at item index 0: the node works on the whole
 * dataset, so parameter expressions see the first HR item.
 */
import { DateTime } from 'luxon';
import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';
import {
	PERSON_FIELDS,
	referenceDate,
	type CompareAs,
	type MatchKey,
	type ReconcileConfig,
	type GroupSource,
	type SafetyRails,
	type Scope,
	type SourceMapping,
	type SourcePresetName,
	type TargetField,
	type TargetPresetName,
	type TargetProfile,
	type TargetValueSource,
} from './engine';
import { splitList } from '../shared/lists';

/**
 * What the node does when a safety rail trips: fail (nothing is output), send the whole plan
 * to the Plan output, or apply the updates and hold back the creates and removals.
 */
export type OnRailTrip = 'fail' | 'plan' | 'holdBack';

export interface NodeSettings {
	config: ReconcileConfig;
	dryRun: boolean;
	onRailTrip: OnRailTrip;
}

const MATCH_ON: Record<string, MatchKey[]> = {
	externalIdThenEmail: ['externalId', 'email'],
	emailThenExternalId: ['email', 'externalId'],
	externalId: ['externalId'],
	email: ['email'],
};

function text(value: unknown): string {
	return value === undefined || value === null ? '' : String(value).trim();
}

/** The reference date: as given (the calendar date written in it), or today in the workflow's time zone. */
function readReferenceDate(ctx: IExecuteFunctions, raw: unknown, timeZone: string): string {
	if (DateTime.isDateTime(raw)) return raw.toISODate() ?? '';
	const given = text(raw);
	if (given === '') return referenceDate(new Date(), timeZone);
	const date = given.slice(0, 10);
	if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || (given.length > 10 && !/^[T ]/.test(given.slice(10)))) {
		throw new NodeOperationError(ctx.getNode(), `Reference Date "${given}" is not a date`, {
			description:
				'Write it as YYYY-MM-DD (for example 2026-04-01), or leave it empty for today in the workflow’s time zone.',
			itemIndex: 0,
		});
	}
	return date;
}

function readRails(ctx: IExecuteFunctions): { rails: SafetyRails; onRailTrip: OnRailTrip } {
	const raw = ctx.getNodeParameter('rails', 0, {}) as IDataObject;
	const rails: SafetyRails = {};
	for (const name of ['maxRemovals', 'maxRemovalPercent', 'minHrPercent'] as const) {
		if (raw[name] !== undefined && raw[name] !== '') rails[name] = Number(raw[name]);
	}
	const onRailTrip = raw.onTrip === 'plan' || raw.onTrip === 'holdBack' ? raw.onTrip : 'fail';
	return { rails, onRailTrip };
}

/** A row's Compare As: the engine's kind, or undefined for Automatic (and rows saved without it). */
function compareOf(value: unknown): CompareAs | undefined {
	return value === undefined || value === 'auto' ? undefined : (value as CompareAs);
}

function readCustomSource(ctx: IExecuteFunctions): SourceMapping {
	const paths = ctx.getNodeParameter('hrFields', 0, {}) as IDataObject;
	const fields: SourceMapping['fields'] = {};
	for (const field of PERSON_FIELDS) {
		const path = text(paths[field]);
		if (path) fields[field] = { paths: [path] };
	}
	const deletedPath = text(paths.deleted);
	if (!fields.externalId && !fields.email) {
		throw new NodeOperationError(
			ctx.getNode(),
			'The custom HR mapping has neither an external ID nor an email path',
			{
				description:
					'Under "HR Field Paths", add at least External ID or Email: people are matched on them.',
				itemIndex: 0,
			},
		);
	}
	return {
		name: 'custom',
		label: 'Custom HR mapping',
		fields,
		...(deletedPath ? { deletedPath } : {}),
	};
}

function readCustomTarget(ctx: IExecuteFunctions): TargetProfile {
	const get = (name: string, fallback: string) =>
		text(ctx.getNodeParameter(name, 0, fallback)) || fallback;
	const statusType = ctx.getNodeParameter('appStatusType', 0, 'enum') as
		| 'enum'
		| 'boolean'
		| 'none';
	const statusPath = get('appStatusField', 'status');
	const invited = text(ctx.getNodeParameter('statusInvited', 0, 'invited'));
	const invitedAtPath = text(ctx.getNodeParameter('appInvitedAtField', 0, ''));
	const rows = ((ctx.getNodeParameter('appFields', 0, {}) as IDataObject).field ??
		[]) as IDataObject[];
	const fields: TargetField[] = rows
		.filter((row) => text(row.app) !== '')
		.map((row) => ({
			app: text(row.app),
			from: (row.from as TargetValueSource) ?? 'firstName',
			compare: compareOf(row.compare),
			createOnly: row.createOnly === true,
			required: row.required === true,
			identity: row.identity === true,
		}));
	if (fields.length === 0) {
		throw new NodeOperationError(ctx.getNode(), 'The custom app target has no fields', {
			description:
				'Under "App Fields", add the app user fields this sync manages (at least the external ID and email).',
			itemIndex: 0,
		});
	}
	return {
		name: 'custom',
		label: 'custom',
		idPath: get('appIdField', 'id'),
		externalIdPath: get('appExternalIdField', 'externalId'),
		emailPath: get('appEmailField', 'email'),
		status:
			statusType === 'none'
				? { type: 'none' }
				: statusType === 'boolean'
					? { type: 'boolean', path: statusPath }
					: {
							type: 'enum',
							path: statusPath,
							active: get('statusActive', 'active'),
							invited: invited || undefined,
							deactivated: get('statusDeactivated', 'deactivated'),
						},
		invitedAtPath: statusType === 'enum' && invitedAtPath ? invitedAtPath : undefined,
		fields,
	};
}

export function readSettings(ctx: IExecuteFunctions): NodeSettings {
	const mode = ctx.getNodeParameter('mode', 0, 'people') as 'people' | 'records';
	const dryRun = ctx.getNodeParameter('dryRun', 0, false) as boolean;
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const { rails, onRailTrip } = readRails(ctx);
	const timeZone = ctx.getTimezone();
	const common = {
		timeZone,
		protectedUsers: splitList(options.protectedUsers),
		manageUnmanaged: options.manageUnmanaged === true,
		rails,
		scope: ctx.getNodeParameter('scope', 0, 'everyone') as Scope,
	};

	if (mode === 'records') {
		const rows = ((ctx.getNodeParameter('recordFields', 0, {}) as IDataObject).field ??
			[]) as IDataObject[];
		return {
			dryRun,
			onRailTrip,
			config: {
				...common,
				mode: 'records',
				asOf: referenceDate(new Date(), timeZone),
				kind: text(ctx.getNodeParameter('recordKind', 0, 'record')) || 'record',
				hrKey: text(ctx.getNodeParameter('hrKeyField', 0, '')),
				appKey: text(ctx.getNodeParameter('appKeyField', 0, 'externalId')),
				appId: text(ctx.getNodeParameter('recordIdField', 0, 'id')) || 'id',
				fields: rows.map((row) => ({
					hr: text(row.hr),
					app: text(row.app),
					createOnly: row.createOnly === true,
					compare: compareOf(row.compare),
				})),
				deletedPath: text(ctx.getNodeParameter('recordDeletedField', 0, 'deleted')) || undefined,
				leaverAction: ctx.getNodeParameter('recordRemovalAction', 0, 'remove') as
					| 'remove'
					| 'deactivate',
			},
		};
	}

	const sourceName = ctx.getNodeParameter('source', 0, 'afasMobieTrain') as
		| SourcePresetName
		| 'custom';
	const targetName = ctx.getNodeParameter('target', 0, 'mobieTrain') as TargetPresetName | 'custom';
	const peopleOptions = ctx.getNodeParameter('peopleOptions', 0, {}) as IDataObject;
	const matchOn =
		MATCH_ON[ctx.getNodeParameter('matchOn', 0, 'externalIdThenEmail') as string] ??
		MATCH_ON.externalIdThenEmail;
	return {
		dryRun,
		onRailTrip,
		config: {
			...common,
			mode: 'people',
			asOf: readReferenceDate(ctx, ctx.getNodeParameter('referenceDate', 0, ''), timeZone),
			source: sourceName === 'custom' ? readCustomSource(ctx) : sourceName,
			target: targetName === 'custom' ? readCustomTarget(ctx) : targetName,
			matchOn,
			leaverAction: ctx.getNodeParameter('leaverAction', 0, 'deactivate') as
				| 'deactivate'
				| 'remove',
			inviteLeadDays: ctx.getNodeParameter('inviteLeadDays', 0, 0) as number,
			invitationExpiryMonths: ctx.getNodeParameter('invitationExpiryMonths', 0, 6) as number,
			extraCreateOnlyFields: splitList(peopleOptions.createOnlyFields),
			inactiveStatuses:
				peopleOptions.inactiveStatuses === undefined
					? undefined
					: splitList(peopleOptions.inactiveStatuses),
			preStartLifecycleStatuses:
				peopleOptions.preStartLifecycleStatuses === undefined
					? undefined
					: splitList(peopleOptions.preStartLifecycleStatuses),
			reactivateEmailOnlyMatches: peopleOptions.reactivateEmailOnlyMatches === true,
			groupsFrom:
				targetName === 'scim'
					? (ctx.getNodeParameter('scimGroupsFrom', 0, []) as GroupSource[])
					: undefined,
		},
	};
}
