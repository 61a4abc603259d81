import type { INodeProperties } from 'n8n-workflow';

export const noticeProperty: INodeProperties = {
	displayName:
		'Plan input: the Plan output of Reconcile Users, through the Data table nodes that create the audit tables. Write Results input: both outputs (success and error) of every node that writes to the app (its Settings → On Error: Continue (using error output)). Place the nodes on the Plan output below the write nodes: n8n runs them top to bottom.',
	name: 'notice',
	type: 'notice',
	default: '',
};

export const properties: INodeProperties[] = [
	noticeProperty,
	{
		displayName: 'HR System',
		name: 'hrSystem',
		type: 'string',
		default: '',
		placeholder: 'AFAS',
		description: 'Name of the HR system, written into every audit row (column hr_system)',
	},
	{
		displayName: 'App',
		name: 'app',
		type: 'string',
		default: '',
		placeholder: 'MobieTrain',
		description: 'Name of the app the users are synced into, written into every audit row',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Tag Execution',
				name: 'tagExecution',
				type: 'boolean',
				default: true,
				description:
					'Whether to save the outcome and counts as the execution’s custom data (hr_sync_outcome, hr_sync_done, hr_sync_failed, hr_sync_attention), as the Execution Data node does, so the executions list can be filtered by them',
			},
		],
	},
];
