import { updateDisplayOptions, type IDisplayOptions, type INodeProperties } from 'n8n-workflow';

import { scimTargetOption, scimTargetProperties } from './scim.description';

/** Every property of Users mode is shown in that mode only. */
const PEOPLE_MODE: IDisplayOptions = { show: { mode: ['people'] } };

/** Logical HR fields, as the custom source and the custom target name them. */
const personFieldOptions = [
	{ name: 'Email', value: 'email', description: 'Work email (matched case-insensitively)' },
	{
		name: 'End Date',
		value: 'endDate',
		description: 'Last working day; the day after it the person is a leaver',
	},
	{ name: 'External ID', value: 'externalId', description: 'The HR employee ID' },
	{ name: 'First Name', value: 'firstName' },
	{
		name: 'Job ID',
		value: 'jobId',
		description: 'Job / function code: user group (MobieTrain) or function (Oneteam)',
	},
	{ name: 'Job Name', value: 'jobName', description: 'Job / function description' },
	{ name: 'Language', value: 'language', description: 'Two-letter language code' },
	{ name: 'Last Name', value: 'lastName' },
	{
		name: 'Lifecycle Status',
		value: 'lifecycleStatus',
		description: 'HiBob lifecycle status (Hired = not started yet)',
	},
	{ name: 'Manager Email', value: 'managerEmail' },
	{ name: 'Manager External ID', value: 'managerExternalId' },
	{
		name: 'Organisation ID',
		value: 'orgId',
		description: 'Organisation unit code: store (MobieTrain) or community (Oneteam)',
	},
	{ name: 'Organisation Name', value: 'orgName' },
	{ name: 'Start Date', value: 'startDate', description: 'First working day' },
	{ name: 'Status', value: 'status', description: 'HR status such as Active / Inactive' },
];

/** What a custom app field can be filled from: an HR field or a value the engine derives. */
const targetSourceOptions = [
	...personFieldOptions,
	{ name: 'Job ID as a List', value: 'jobIdList', description: '[job ID], for group lists' },
	{
		name: 'Manager’s App User ID',
		value: 'managerAppId',
		description: 'The app user ID of the person’s manager',
	},
	{
		name: 'Organisation ID as a List',
		value: 'orgIdList',
		description: '[organisation ID], for store lists',
	},
].sort((a, b) => a.name.localeCompare(b.name));

const hrPathPlaceholders: Record<string, string> = {
	externalId: 'e.g. employeeId',
	email: 'e.g. work.email',
	firstName: 'e.g. firstName',
	lastName: 'e.g. lastName',
	language: 'e.g. isoCode',
	startDate: 'e.g. employment.startDate',
	endDate: 'e.g. employment.endDate',
	status: 'e.g. status',
	lifecycleStatus: 'e.g. lifecycle',
	jobId: 'e.g. job.code',
	jobName: 'e.g. job.name',
	orgId: 'e.g. department.code',
	orgName: 'e.g. department.name',
	managerExternalId: 'e.g. manager.id',
	managerEmail: 'e.g. manager.email',
};

/** How a custom app field is compared (engine CompareAs; `auto`: guessed from the HR field). */
export const compareAsOptions = [
	{
		name: 'Automatic (From the HR Field)',
		value: 'auto',
		description: 'Start and end dates as dates, emails as emails, ID lists as lists, else text',
	},
	{
		name: 'Boolean',
		value: 'boolean',
		description: 'True equals "true", 1 and "yes"; sent as true or false',
	},
	{
		name: 'Date',
		value: 'date',
		description:
			'The calendar day: 2025-04-01 equals 2025-04-01T00:00:00.000Z and midnight of that day in the workflow’s time zone',
	},
	{
		name: 'Date and Time',
		value: 'dateTime',
		description:
			'The same instant; values without an offset are read in the workflow’s time zone, a value without a time as a date',
	},
	{ name: 'Email (Case-Insensitive)', value: 'email' },
	{ name: 'List (Order-Insensitive)', value: 'set' },
	{ name: 'Number', value: 'number', description: '1004 equals "1004"; sent as a number' },
	{
		name: 'Text',
		value: 'text',
		description: 'Trimmed; invisible characters and Unicode composition do not count',
	},
];

/** The status values of a custom target whose status field holds values (not a flag). */
const statusValueProperties: INodeProperties[] = [
	{
		displayName: 'Active Value',
		name: 'statusActive',
		type: 'string',
		default: 'active',
	},
	{
		displayName: 'Invited Value',
		name: 'statusInvited',
		type: 'string',
		default: 'invited',
		description:
			'Status of a user whose invitation is pending; leave empty if the app has no invitations',
	},
	{
		displayName: 'Deactivated Value',
		name: 'statusDeactivated',
		type: 'string',
		default: 'deactivated',
	},
	{
		displayName: 'Invited At Field',
		name: 'appInvitedAtField',
		type: 'string',
		default: '',
		placeholder: 'e.g. invitedAt',
		description: 'Path of the date the pending invitation was sent; needed for invitation expiry',
	},
];

/** Where a custom app target keeps each part of its users. */
const customTargetProperties: INodeProperties[] = [
	{
		displayName: 'App User ID Field',
		name: 'appIdField',
		type: 'string',
		default: 'id',
		description: 'Path of the app’s own user ID in the App items',
	},
	{
		displayName: 'App External ID Field',
		name: 'appExternalIdField',
		type: 'string',
		default: 'externalId',
		description: 'Path of the HR employee ID stored on the app user',
	},
	{
		displayName: 'App Email Field',
		name: 'appEmailField',
		type: 'string',
		default: 'email',
	},
	{
		displayName: 'App Status',
		name: 'appStatusType',
		type: 'options',
		options: [
			{ name: 'Enabled Flag (True/False)', value: 'boolean' },
			{ name: 'No Status Field', value: 'none', description: 'Leavers can only be removed' },
			{
				name: 'Status Values',
				value: 'enum',
				description: 'A field with values for active, invited and deactivated',
			},
		],
		default: 'enum',
	},
	...updateDisplayOptions({ show: { appStatusType: ['enum', 'boolean'] } }, [
		{
			displayName: 'App Status Field',
			name: 'appStatusField',
			type: 'string',
			default: 'status',
		},
	]),
	...updateDisplayOptions({ show: { appStatusType: ['enum'] } }, statusValueProperties),
	{
		displayName: 'App Fields',
		name: 'appFields',
		type: 'fixedCollection',
		placeholder: 'Add App Field',
		typeOptions: { multipleValues: true },
		default: {},
		description: 'The app user fields this sync manages, each filled from an HR field',
		options: [
			{
				displayName: 'Field',
				name: 'field',
				values: [
					{
						displayName: 'App Field',
						name: 'app',
						type: 'string',
						default: '',
						placeholder: 'e.g. department',
						description: 'Path of the field in the app user and in the payload',
					},
					{
						displayName: 'Compare As',
						name: 'compare',
						type: 'options',
						options: compareAsOptions,
						default: 'auto',
						description:
							'The kind of value, so that values of the same meaning are equal and a second run finds nothing to change',
					},
					{
						displayName: 'Create Only',
						name: 'createOnly',
						type: 'boolean',
						default: false,
						description:
							'Whether to set the field on create only and never overwrite it (the user may change it in the app)',
					},
					{
						displayName: 'From',
						name: 'from',
						type: 'options',
						options: targetSourceOptions,
						default: 'firstName',
						description: 'The HR field (or derived value) the app field is filled from',
					},
					{
						displayName: 'Required',
						name: 'required',
						type: 'boolean',
						default: false,
						description: 'Whether an empty HR value is a conflict instead of a create or update',
					},
					{
						displayName: 'Used to Match or Log In',
						name: 'identity',
						type: 'boolean',
						default: false,
						description:
							'Whether the field identifies the user (a username, a login name): never blanked, an empty HR value is a conflict. The fields at the App External ID Field and App Email Field paths always are.',
					},
				],
			},
		],
	},
];

export const peopleProperties: INodeProperties[] = updateDisplayOptions(PEOPLE_MODE, [
	{
		displayName: 'HR Source',
		name: 'source',
		type: 'options',
		options: [
			{
				name: 'AFAS (MobieTrain-Style GetConnector)',
				value: 'afasMobieTrain',
				description:
					'Fields externalId, email, firstName, lastName, employmentStartDate, employementEndDate (either spelling), functionId/Description, organizationId/Name, isoCode',
			},
			{
				name: 'AFAS (Profit_Employees)',
				value: 'afasProfitEmployees',
				description:
					'Standard connector: EmployeeId, Mail, FirstName, PrefixBirthName + BirthName, EmploymentStart/End, FunctionId/Desc, OrgUnit/Desc',
			},
			{ name: 'Custom', value: 'custom', description: 'Name the path of each field yourself' },
			{
				name: 'HiBob',
				value: 'hibob',
				description:
					'Employees as the HiBob node outputs them (Simplify on): ID, email, firstName, surname, work.*, internal.*',
			},
		],
		default: 'afasMobieTrain',
		description: 'Where the HR fields are in the items of the HR input',
	},
	...updateDisplayOptions({ show: { source: ['custom'] } }, [
		{
			displayName: 'HR Field Paths',
			name: 'hrFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			description:
				'Dot path of each field in the HR items. A path that is missing on every item stops the run with an error naming it.',
			options: [
				...personFieldOptions.map((field) => ({
					displayName: field.name,
					name: field.value,
					type: 'string' as const,
					default: '',
					placeholder: hrPathPlaceholders[field.value],
					description:
						field.description ?? `Path of the ${field.name.toLowerCase()} in the HR items`,
				})),
				{
					displayName: 'Deletion Marker',
					name: 'deleted',
					type: 'string' as const,
					default: 'deleted',
					description:
						'Path of the flag that is true on an item for someone deleted in HR (such an item carries only the key): a leaver, never a person with empty fields',
				},
			].sort((a, b) => a.displayName.localeCompare(b.displayName)),
		},
	]),
	{
		displayName: 'App Target',
		name: 'target',
		type: 'options',
		options: [
			{ name: 'Custom', value: 'custom', description: 'Describe the app user fields yourself' },
			{
				name: 'Declaree-Style',
				value: 'declaree',
				description:
					'Users with username = email, enabled flag and managerId (the manager’s app user ID)',
			},
			{
				name: 'MobieTrain-Style',
				value: 'mobieTrain',
				description:
					'Invitations, user groups from the job and stores from the organisation; language set on invite only',
			},
			{
				name: 'Oneteam-Style',
				value: 'oneteam',
				description: 'Exactly one community (organisation) and one function (job) per user',
			},
			scimTargetOption,
		],
		default: 'mobieTrain',
		description: 'The shape of the app users on the App input, and of the payloads to send the app',
	},
	...updateDisplayOptions({ show: { target: ['custom'] } }, customTargetProperties),
	...scimTargetProperties,
	{
		displayName: 'Match On',
		name: 'matchOn',
		type: 'options',
		options: [
			{ name: 'Email Only', value: 'email' },
			{ name: 'Email, Then External ID', value: 'emailThenExternalId' },
			{ name: 'External ID Only', value: 'externalId' },
			{ name: 'External ID, Then Email', value: 'externalIdThenEmail' },
		],
		default: 'externalIdThenEmail',
		description:
			'Keys that pair an HR person with an app user, in order: the first key that finds a user wins. Keys are compared trimmed, case-folded and Unicode-normalised. A person whose keys point at different users is a conflict.',
	},
	{
		displayName: 'Leaver Action',
		name: 'leaverAction',
		type: 'options',
		options: [
			{
				name: 'Deactivate',
				value: 'deactivate',
				description: 'Set the app user inactive (can be reactivated)',
			},
			{
				name: 'Remove',
				value: 'remove',
				description: 'Delete the app user (MobieTrain removes leavers)',
			},
		],
		default: 'deactivate',
		description:
			'What happens to the app user of someone who left. Pending invitations of leavers are always withdrawn.',
	},
	{
		displayName: 'Reference Date',
		name: 'referenceDate',
		type: 'string',
		default: '',
		placeholder: 'e.g. 2026-04-01',
		description:
			'The day the lifecycle rules are evaluated for (YYYY-MM-DD). Empty means today in the workflow’s time zone; set it to simulate the plan "as of" another day.',
	},
	{
		displayName: 'Invite Lead Time (Days)',
		name: 'inviteLeadDays',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description:
			'Invite people this many days before their start date. 0 invites them on their start date.',
	},
	{
		displayName: 'Invitation Expiry (Months)',
		name: 'invitationExpiryMonths',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 6,
		description:
			'A pending invitation older than this is withdrawn, and the person is invited again on a later run. 0 = never.',
	},
]);

export const peopleOptions: INodeProperties = {
	displayName: 'User Options',
	name: 'peopleOptions',
	type: 'collection',
	placeholder: 'Add Option',
	displayOptions: PEOPLE_MODE,
	default: {},
	options: [
		{
			displayName: 'Extra Create-Only Fields',
			name: 'createOnlyFields',
			type: 'string',
			default: '',
			placeholder: 'e.g. language, jobDescription',
			description:
				'App fields, comma-separated, that are set on create and never overwritten, on top of the target’s own (MobieTrain: language)',
		},
		{
			displayName: 'Inactive Status Values',
			name: 'inactiveStatuses',
			type: 'string',
			default: 'Inactive',
			description:
				'HR status values, comma-separated, that make someone a leaver (case-insensitive)',
		},
		{
			displayName: 'Not-Started Lifecycle Values',
			name: 'preStartLifecycleStatuses',
			type: 'string',
			default: 'Hired',
			description:
				'Lifecycle statuses, comma-separated, of people who have not started yet; HiBob marks them Inactive, but they are joiners, not leavers',
		},
		{
			displayName: 'Reactivate Users Matched by Email Only',
			name: 'reactivateEmailOnlyMatches',
			type: 'boolean',
			default: false,
			description:
				'Whether a deactivated app user without external ID that matches a person by email alone is reactivated for them. Off: such a match is a conflict to confirm, because the email may have been given to a new hire, who would inherit the old account.',
		},
	],
};
