/**
 * Source presets (where the HR fields are) and target presets (what the app user looks like
 * and what to send it).
 *
 * ## App user shapes (what the App input must carry, one item per app user)
 *
 * MobieTrain-style (`mobieTrain`):
 *   { id, externalId, email, firstName, lastName, language, jobDescription,
 *     groups: string[], stores: string[], status: 'active' | 'invited' | 'deactivated', invitedAt }
 *   `groups` / `stores` hold the groups' and stores' external IDs (the HR job and organisation
 *   codes); `invitedAt` is an ISO date-time, set while the invitation is pending.
 *   Create (POST /invitations): { externalId, email, firstName, lastName, language, jobDescription, groups, stores }
 *   Update (PATCH /users/{id}): the changed fields only, plus `status: 'active'` on reactivation.
 *   Deactivate: { status: 'deactivated' }. Remove (DELETE /users/{id}): no body.
 *   Create first: groups { externalId: functionId, name: functionDescription },
 *                 stores { externalId: organizationId, name: organizationName }.
 *
 * Declaree-style (`declaree`):
 *   { id, externalId, username, email, firstName, lastName, enabled: boolean, managerId: string | null }
 *   `username` is the email; `managerId` is the app user id of the manager.
 *   Create (POST /users): { externalId, username, email, firstName, lastName, managerId?, enabled: true }
 *   Update: changed fields; reactivate adds `enabled: true`. Deactivate: { enabled: false }.
 *
 * Oneteam-style (`oneteam`):
 *   { id, externalId, email, firstName, lastName, communityId, functionId, status: 'active' | 'invited' | 'deactivated' }
 *   `communityId` / `functionId` are the community's and function's external IDs (HR
 *   organisation and job codes): exactly one each per user.
 *   Create (POST /users): { externalId, email, firstName, lastName, communityId, functionId }
 *   Update: changed fields; reactivate adds `status: 'active'`. Deactivate: { status: 'deactivated' }.
 *   Create first: communities { externalId: orgId, name: orgName }, functions { externalId: jobId, name: jobName }.
 *
 * SCIM 2.0 (`scim`): SCIM User resources as a SCIM list returns them; create = a User resource,
 *   update / reactivate / deactivate = PatchOp messages; groups from job and organisation. See
 *   targets/scim.ts.
 */
import {
	ReconcileConfigError,
	type SourceMapping,
	type SourcePresetName,
	type TargetPresetName,
	type TargetProfile,
} from './types';
import { SCIM_TARGET } from './targets/scim';

export const SOURCE_PRESETS: Record<SourcePresetName, SourceMapping> = {
	/**
	 * The GetConnector MobieTrain hands its AFAS customers for its user sync. Required: email,
	 * employ(e)mentEndDate, employmentStartDate, externalId, firstName, lastName; the rest
	 * (isoCode, functionId/Description, organizationId/Name) optional.
	 */
	afasMobieTrain: {
		name: 'afasMobieTrain',
		label: 'AFAS (MobieTrain-style GetConnector)',
		fields: {
			externalId: { paths: ['externalId'] },
			email: { paths: ['email'] },
			firstName: { paths: ['firstName'] },
			lastName: { paths: ['lastName'] },
			startDate: { paths: ['employmentStartDate'] },
			// The connector spells it "employementEndDate"; accept the correct spelling too.
			endDate: { paths: ['employementEndDate', 'employmentEndDate'] },
			language: { paths: ['isoCode'], optional: true },
			jobId: { paths: ['functionId'], optional: true },
			jobName: { paths: ['functionDescription'], optional: true },
			orgId: { paths: ['organizationId'], optional: true },
			orgName: { paths: ['organizationName'], optional: true },
		},
	},
	/**
	 * AFAS's standard GetConnector Profit_Employees. `Mail` is the work e-mail. The last name is
	 * the birth name with its prefix; the name-use convention (NameUse: partner names) is not
	 * applied, because AFAS does not document its code values.
	 */
	afasProfitEmployees: {
		name: 'afasProfitEmployees',
		label: 'AFAS (Profit_Employees)',
		fields: {
			externalId: { paths: ['EmployeeId'] },
			email: { paths: ['Mail'] },
			firstName: { paths: ['FirstName'] },
			lastName: { paths: ['BirthName'], prefixPath: 'PrefixBirthName' },
			startDate: { paths: ['EmploymentStart'] },
			endDate: { paths: ['EmploymentEnd'] },
			jobId: { paths: ['FunctionId'], optional: true },
			jobName: { paths: ['FunctionDesc'], optional: true },
			orgId: { paths: ['OrgUnit'], optional: true },
			orgName: { paths: ['OrgUnitDesc'], optional: true },
		},
	},
	/**
	 * HiBob employees as the HiBob node outputs them (the nested object of People Search,
	 * https://apidocs.hibob.com/reference/post_people-search). Fields a service user may not be
	 * allowed to read are optional: HiBob leaves them out silently, and a missing field never
	 * clears anything.
	 */
	hibob: {
		name: 'hibob',
		label: 'HiBob',
		fields: {
			externalId: { paths: ['id'] },
			email: { paths: ['email'] },
			firstName: { paths: ['firstName'] },
			lastName: { paths: ['surname'] },
			startDate: { paths: ['work.startDate'] },
			status: { paths: ['internal.status'] },
			endDate: { paths: ['internal.terminationDate'], optional: true },
			lifecycleStatus: { paths: ['internal.lifecycleStatus'], optional: true },
			// work.title / work.department are list item IDs unless humanReadable was requested.
			jobId: { paths: ['work.title'], optional: true },
			jobName: { paths: ['humanReadable.work.title', 'work.title'], optional: true },
			orgId: { paths: ['work.department'], optional: true },
			orgName: { paths: ['humanReadable.work.department', 'work.department'], optional: true },
			// reportsTo is an object {id, email, …}; in case a tenant returns it in another form, the
			// ID falls back to work.manager (the manager's employee ID).
			managerExternalId: { paths: ['work.reportsTo.id', 'work.manager'], optional: true },
			managerEmail: { paths: ['work.reportsTo.email'], optional: true },
		},
		// The HiBob triggers' "Employee" output marks an employee deleted in HiBob this way.
		deletedPath: 'deleted',
	},
};

const activeInvitedDeactivated = {
	type: 'enum' as const,
	path: 'status',
	active: 'active',
	invited: 'invited',
	deactivated: 'deactivated',
};

const ONETEAM_ONE_EACH = 'Oneteam needs exactly one community and one function per user';

export const TARGET_PRESETS: Record<TargetPresetName, TargetProfile> = {
	mobieTrain: {
		name: 'mobieTrain',
		label: 'MobieTrain-style',
		idPath: 'id',
		externalIdPath: 'externalId',
		emailPath: 'email',
		status: activeInvitedDeactivated,
		invitedAtPath: 'invitedAt',
		fields: [
			{ app: 'externalId', from: 'externalId', required: true },
			{ app: 'email', from: 'email', compare: 'email', required: true },
			{ app: 'firstName', from: 'firstName', required: true },
			{ app: 'lastName', from: 'lastName', required: true },
			// MobieTrain keeps a language the user picked in the app: set on invitation only.
			{ app: 'language', from: 'language', createOnly: true },
			{ app: 'jobDescription', from: 'jobName' },
			{ app: 'groups', from: 'jobIdList', compare: 'set' },
			{ app: 'stores', from: 'orgIdList', compare: 'set' },
		],
		createFirst: [
			{ kind: 'group', appField: 'groups', keyFrom: 'jobId', nameFrom: 'jobName' },
			{ kind: 'store', appField: 'stores', keyFrom: 'orgId', nameFrom: 'orgName' },
		],
	},
	declaree: {
		name: 'declaree',
		label: 'Declaree-style',
		idPath: 'id',
		externalIdPath: 'externalId',
		emailPath: 'email',
		// Declaree's HiBob sync: enabled when the HR internal status is Active.
		status: { type: 'boolean', path: 'enabled' },
		fields: [
			{ app: 'externalId', from: 'externalId', required: true },
			// The login: never blanked.
			{ app: 'username', from: 'email', compare: 'email', required: true, identity: true },
			{ app: 'email', from: 'email', compare: 'email', required: true },
			{ app: 'firstName', from: 'firstName', required: true },
			{ app: 'lastName', from: 'lastName', required: true },
			{ app: 'managerId', from: 'managerAppId' },
		],
		createDefaults: { enabled: true },
	},
	oneteam: {
		name: 'oneteam',
		label: 'Oneteam-style',
		idPath: 'id',
		externalIdPath: 'externalId',
		emailPath: 'email',
		status: activeInvitedDeactivated,
		fields: [
			{ app: 'externalId', from: 'externalId', required: true },
			{ app: 'email', from: 'email', compare: 'email', required: true },
			{ app: 'firstName', from: 'firstName', required: true },
			{ app: 'lastName', from: 'lastName', required: true },
			// Oneteam's AFAS sync allows exactly one community and one function per user.
			{
				app: 'communityId',
				from: 'orgId',
				required: true,
				requiredNote: ONETEAM_ONE_EACH,
			},
			{ app: 'functionId', from: 'jobId', required: true, requiredNote: ONETEAM_ONE_EACH },
		],
		createFirst: [
			{ kind: 'community', appField: 'communityId', keyFrom: 'orgId', nameFrom: 'orgName' },
			{ kind: 'function', appField: 'functionId', keyFrom: 'jobId', nameFrom: 'jobName' },
		],
	},
	scim: SCIM_TARGET,
};

export function resolveSource(source: SourcePresetName | SourceMapping): SourceMapping {
	if (typeof source !== 'string') return source;
	const preset = SOURCE_PRESETS[source];
	if (!preset) {
		throw new ReconcileConfigError(
			`Unknown HR source preset "${source}"`,
			`Use one of: ${Object.keys(SOURCE_PRESETS).join(', ')}, or a custom mapping.`,
		);
	}
	return preset;
}

export function resolveTarget(target: TargetPresetName | TargetProfile): TargetProfile {
	if (typeof target !== 'string') return target;
	const preset = TARGET_PRESETS[target];
	if (!preset) {
		throw new ReconcileConfigError(
			`Unknown app target preset "${target}"`,
			`Use one of: ${Object.keys(TARGET_PRESETS).join(', ')}, or a custom target.`,
		);
	}
	return preset;
}
