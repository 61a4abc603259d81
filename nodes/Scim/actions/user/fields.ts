/** The User fields of Create (Using Fields Below) and Update (Using Fields Below). */
import type { INodeProperties } from 'n8n-workflow';

const ENTERPRISE_NOTE =
	'Enterprise extension (urn:ietf:params:scim:schemas:extension:enterprise:2.0:User)';

/** The fields both Create and Update offer, in the alphabetical order n8n lists them. */
const USER_FIELDS: INodeProperties[] = [
	{
		displayName: 'Active',
		name: 'active',
		type: 'boolean',
		default: true,
		description:
			'Whether the user may sign in. Set it off to deactivate a leaver (RFC 7643 "active").',
	},
	{
		displayName: 'Cost Center',
		name: 'costCenter',
		type: 'string',
		default: '',
		description: ENTERPRISE_NOTE,
	},
	{
		displayName: 'Department',
		name: 'department',
		type: 'string',
		default: '',
		description: ENTERPRISE_NOTE,
	},
	{ displayName: 'Display Name', name: 'displayName', type: 'string', default: '' },
	{
		displayName: 'Division',
		name: 'division',
		type: 'string',
		default: '',
		description: ENTERPRISE_NOTE,
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
		description: 'Sent as the one primary work email (emails replaced whole)',
	},
	{
		displayName: 'Employee Number',
		name: 'employeeNumber',
		type: 'string',
		default: '',
		description: ENTERPRISE_NOTE,
	},
	{
		displayName: 'External ID',
		name: 'externalId',
		type: 'string',
		default: '',
		description: 'Your own key for the user, such as the HR employee number',
	},
	{ displayName: 'Family Name', name: 'familyName', type: 'string', default: '' },
	{ displayName: 'Given Name', name: 'givenName', type: 'string', default: '' },
	{
		displayName: 'Manager ID',
		name: 'managerId',
		type: 'string',
		default: '',
		description: `The manager’s SCIM ID in this app (not an HR key). ${ENTERPRISE_NOTE}.`,
	},
	{
		displayName: 'Organization',
		name: 'organization',
		type: 'string',
		default: '',
		description: ENTERPRISE_NOTE,
	},
	{ displayName: 'Title', name: 'title', type: 'string', default: '' },
];

/** The fields of Create: everything but userName, which is its own required parameter. */
export const createFields: INodeProperties[] = USER_FIELDS;

/**
 * The fields of Update: userName too. An emptied text field removes the attribute (userName
 * cannot be removed).
 */
export const updateFields: INodeProperties[] = [
	...USER_FIELDS,
	{
		displayName: 'User Name',
		name: 'userName',
		type: 'string',
		default: '',
		description: 'The unique name the user signs in with, usually the work email',
	},
];
