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

export const scopeProperty: INodeProperties = {
	displayName: 'Scope',
	name: 'scope',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Everyone',
			value: 'everyone',
			description:
				'The HR input is the whole population (a scheduled full sync): app users HR does not have are leavers',
		},
		{
			name: 'Only the People in the HR Input',
			value: 'inputOnly',
			description:
				'Event-driven runs (a trigger’s items): only the people (or records) in the HR input are judged; other app users are left alone. Someone deleted in HR arrives as an item with the deletion marker.',
		},
	],
	default: 'everyone',
	description:
		'Which app users the HR input speaks for. With Only the People in the HR Input, the empty and small HR input rails do not apply and Max Removals (%) does not either: Max Removals alone limits a run.',
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
	description:
		'Limits on removals. A run may remove up to the larger of Max Removals and Max Removals (%) of the managed app users, so the limit grows with the company, but never more than half of them for their absence from HR alone (a wrong connector, filter or key). An empty HR input never removes anyone, whatever these say.',
	// Defaults equal the engine's DEFAULT_RAILS (a test checks it); n8n's lint wants literals here.
	options: [
		{
			displayName: 'Max Removals',
			name: 'maxRemovals',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 50,
			description:
				'Deactivations and removals one run may plan, however small the company (expired invitations not counted), as long as HR names the leavers or they are at most half of the managed users. The rail trips only when this and Max Removals (%) are both exceeded.',
		},
		{
			displayName: 'Max Removals (%)',
			name: 'maxRemovalPercent',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 100 },
			default: 5,
			description:
				'Deactivations and removals one run may plan as a percentage of the managed app users (2,500 of 50,000 at 5%). The rail trips only when this and Max Removals are both exceeded. Above 50 it also raises the ceiling on users removed for their absence from HR (50% otherwise); 100 switches the removal rail off.',
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
			displayName: 'When a Safety Rail Trips',
			name: 'onTrip',
			type: 'options',
			options: [
				{
					name: 'Apply Updates, Hold Back Creates and Removals',
					value: 'holdBack',
					description:
						'Send updates and reactivations (people matched to their app user) to their outputs as usual; the creates and removals go to the Plan output instead, with the summary. The node does not fail.',
				},
				{
					name: 'Fail the Node',
					value: 'fail',
					description:
						'Stop with an error that gives the counts and the setting to change; nothing is sent to any output',
				},
				{
					name: 'Send Plan to Output',
					value: 'plan',
					description:
						'Send everything to the Plan output (like a dry run) instead of acting; the node does not fail',
				},
			],
			default: 'fail',
		},
	],
};
