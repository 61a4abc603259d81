import type { INodeProperties } from 'n8n-workflow';

export const noticeProperty: INodeProperties = {
	displayName:
		'HR (employees, the source of truth) goes into the first input, the app’s current users into the second. The node plans; the nodes after each output act. Parameters are read once for the whole run, so expressions see the first HR item.',
	name: 'notice',
	type: 'notice',
	default: '',
};

export const modeProperty: INodeProperties = {
	displayName: 'Mode',
	name: 'mode',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Records',
			value: 'records',
			description:
				'Communities, functions, groups: match on a key, create / update / remove, no dates',
		},
		{
			name: 'Users',
			value: 'people',
			description:
				'Joiners, movers and leavers: start and end dates, invitations, managers, groups',
		},
	],
	default: 'people',
};

export const dryRunProperty: INodeProperties = {
	displayName: 'Dry Run',
	name: 'dryRun',
	type: 'boolean',
	default: false,
	description:
		'Whether to send the whole plan, a summary item first, to the Plan output only, so that nothing connected to the other outputs writes anything',
};

export const optionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Manage Users Without External ID',
			name: 'manageUnmanaged',
			type: 'boolean',
			default: false,
			description:
				'Whether app users (or records) that carry no external ID and match nobody in HR are treated as leavers. Off: they are admins or service accounts and are never touched.',
		},
		{
			displayName: 'Protected Users',
			name: 'protectedUsers',
			type: 'string',
			typeOptions: { rows: 3 },
			default: '',
			placeholder: 'e.g. admin@example.com, 000123',
			description:
				'Emails, external IDs or app IDs (comma- or line-separated) that are never touched at all',
		},
	],
};

export const railsProperty: INodeProperties = {
	displayName: 'Safety Rails',
	name: 'rails',
	type: 'collection',
	placeholder: 'Add Rail Setting',
	default: {},
	description: 'Limits on removals. An empty HR input never removes anyone, whatever these say.',
	// Defaults equal the engine's DEFAULT_RAILS (a test checks it); n8n's lint wants literals here.
	options: [
		{
			displayName: 'Max Removals',
			name: 'maxRemovals',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 100,
			description:
				'Most deactivations and removals one run may plan (expired invitations not counted)',
		},
		{
			displayName: 'Max Removals (%)',
			name: 'maxRemovalPercent',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 100 },
			default: 20,
			description:
				'Most deactivations and removals as a percentage of the managed app users (Okta’s import safeguard uses 20%)',
		},
		{
			displayName: 'Min HR Size (% of App)',
			name: 'minHrPercent',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 100 },
			default: 50,
			description:
				'An HR input smaller than this percentage of the managed app users is suspicious (a partial read): no one is removed',
		},
		{
			displayName: 'Min Managed Users for %',
			name: 'percentFloor',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 20,
			description:
				'The percentage limit applies from this many managed app users on (small apps would trip it with one leaver)',
		},
		{
			displayName: 'When a Safety Rail Trips',
			name: 'onTrip',
			type: 'options',
			options: [
				{
					name: 'Fail the Node',
					value: 'fail',
					description: 'Stop with an error that gives the counts and the setting to change',
				},
				{
					name: 'Send Plan to Output',
					value: 'plan',
					description: 'Send everything to the Plan output (like a dry run) instead of acting',
				},
			],
			default: 'fail',
		},
	],
};
