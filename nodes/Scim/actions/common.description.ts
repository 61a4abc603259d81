/** Description pieces shared by the SCIM 2.0 node's User and Group operations. */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { optionsCollection, returnAllOrLimit } from '../../shared/properties';
import { ENTERPRISE_USER } from '../helpers/resources';

/** The SCIM id parameter of a User or Group (`userId` / `groupId`). */
export function idProperty(resourceType: 'User' | 'Group'): INodeProperties {
	const lower = resourceType.toLowerCase();
	return {
		displayName: `${resourceType} ID`,
		name: `${lower}Id`,
		type: 'string',
		default: '',
		required: true,
		placeholder: resourceType === 'User' ? 'e.g. {{ $json.appId }}' : 'e.g. {{ $json.id }}',
		description: `The ${lower}’s SCIM ID (the ID the app gave it), not its ${resourceType === 'User' ? 'userName or external ID' : 'display name'}`,
	};
}

/** Attributes the filter builder offers for Users. */
const USER_FILTER_ATTRIBUTES: INodePropertyOptions[] = [
	{ name: 'Display Name', value: 'displayName' },
	{ name: 'Email', value: 'emails.value' },
	{ name: 'Employee Number (Enterprise)', value: `${ENTERPRISE_USER}:employeeNumber` },
	{ name: 'External ID', value: 'externalId' },
	{ name: 'User Name', value: 'userName' },
	{ name: 'Other…', value: 'custom' },
];

/** Attributes the filter builder offers for Groups. */
const GROUP_FILTER_ATTRIBUTES: INodePropertyOptions[] = [
	{ name: 'Display Name', value: 'displayName' },
	{ name: 'External ID', value: 'externalId' },
	{ name: 'Member (User ID)', value: 'members.value' },
	{ name: 'Other…', value: 'custom' },
];

/** The filter builder's attribute (User options; Group options swapped in by listProperties). */
const filterAttributeProperty: INodeProperties = {
	displayName: 'Attribute',
	name: 'filterAttribute',
	type: 'options',
	options: USER_FILTER_ATTRIBUTES,
	default: 'userName',
	displayOptions: { show: { filterType: ['equals'] } },
};

/** The Options of Get Many: attributes to return or leave out, and the page size. */
function listOptions(user: boolean): INodeProperties {
	return optionsCollection([
		{
			displayName: 'Attributes',
			name: 'attributes',
			type: 'string',
			default: '',
			placeholder: 'userName,active,emails',
			description:
				'Only these attributes (comma-separated), plus the ID, which is always returned. Empty: the app’s default set.',
		},
		{
			displayName: 'Excluded Attributes',
			name: 'excludedAttributes',
			type: 'string',
			default: '',
			placeholder: user ? 'groups' : 'members',
			description: `Attributes to leave out (comma-separated), such as ${user ? 'groups' : 'members of large groups'}`,
		},
		{
			displayName: 'Page Size',
			name: 'pageSize',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 100,
			description:
				'How many resources to ask for per request ("count"). The app may return fewer; the node then reads more pages.',
		},
	]);
}

/**
 * The Get Many parameters of Users or Groups: Return All / Limit, the filter (none, an "attribute
 * equals value" builder that quotes the value, or a raw SCIM filter) and the list options.
 */
export function listProperties(resourceType: 'User' | 'Group'): INodeProperties[] {
	const user = resourceType === 'User';
	return [
		...returnAllOrLimit(true),
		{
			displayName: 'Filter',
			name: 'filterType',
			type: 'options',
			options: [
				{ name: 'None', value: 'none', description: `Every ${resourceType.toLowerCase()}` },
				{
					name: 'Attribute Equals Value',
					value: 'equals',
					description: 'Build "attribute eq value"; the value is quoted and escaped for you',
				},
				{ name: 'SCIM Filter', value: 'raw', description: 'Write the filter yourself' },
			],
			default: 'none',
		},
		user
			? filterAttributeProperty
			: { ...filterAttributeProperty, options: GROUP_FILTER_ATTRIBUTES, default: 'displayName' },
		{
			displayName: 'Attribute Name',
			name: 'filterCustomAttribute',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'nickName',
			description:
				'A SCIM attribute path: a name, optionally with one sub-attribute (name.familyName) or a schema URN before it (urn:…:User:department)',
			displayOptions: { show: { filterType: ['equals'], filterAttribute: ['custom'] } },
		},
		{
			displayName: 'Value',
			name: 'filterValue',
			type: 'string',
			default: '',
			placeholder: user ? 'jane@example.com' : 'Finance',
			description:
				'Compared as text. Quotes and backslashes are escaped; most attributes (userName, emails, displayName) ignore case.',
			displayOptions: { show: { filterType: ['equals'] } },
		},
		{
			displayName: 'SCIM Filter',
			name: 'filter',
			type: 'string',
			default: '',
			required: true,
			placeholder: user
				? 'userName eq "jane@example.com" and active eq true'
				: 'displayName sw "Team "',
			description:
				'A filter as in RFC 7644, section 3.4.2.2, sent as written. String values are JSON strings: write \\" for a quote and \\\\ for a backslash. Which operators work depends on the app.',
			displayOptions: { show: { filterType: ['raw'] } },
		},
		listOptions(user),
	];
}
