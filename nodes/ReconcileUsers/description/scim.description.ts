/** The settings of the SCIM 2.0 App Target (shown with that target only). */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/** The App Target option of the SCIM 2.0 preset. */
export const scimTargetOption: INodePropertyOptions = {
	name: 'SCIM 2.0 (Core User + Enterprise Extension)',
	value: 'scim',
	description:
		'Any SCIM 2.0 app: users as the SCIM 2.0 node’s Users → Get Many outputs them; payloads are User resources (create) and PatchOps (update, reactivate, deactivate)',
};

/** Groups From: SCIM Groups named after the HR job and/or organisation. */
export const scimTargetProperties: INodeProperties[] = [
	{
		displayName: 'SCIM Groups From',
		name: 'scimGroupsFrom',
		type: 'multiOptions',
		options: [
			{
				name: 'Job',
				value: 'job',
				description: 'One group per HR job (displayName = the job name, externalId = its code)',
			},
			{
				name: 'Organisation',
				value: 'org',
				description:
					'One group per HR organisation unit (displayName = its name, externalId = its code)',
			},
		],
		default: [],
		description:
			'Manage SCIM Groups named after the HR job and/or organisation: missing groups go to Create First, joins and leaves to the Update output (action groupAdd / groupRemove, a PatchOp for the group). Append the app’s groups (SCIM 2.0 node, Groups → Get Many) to the App input after the users.',
		displayOptions: { show: { target: ['scim'] } },
	},
];
