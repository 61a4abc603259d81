/**
 * The sandbox company's metadata: its employee fields (`GET /v1/company/people/fields`) and its
 * named lists (`GET /v1/company/named-lists`), the lists whose item IDs list fields hold.
 * Field metadata: https://apidocs.hibob.com/docs/fields-metadata
 * Named lists: https://apidocs.hibob.com/docs/how-to-work-with-lists-public-api
 */
import { CUSTOM_COST_CENTRE } from './model';

export type FieldType =
	| 'text'
	| 'number'
	| 'date'
	| 'short-date'
	| 'timestamp'
	| 'boolean'
	| 'list'
	| 'multi-list'
	| 'employee'
	| 'employee-reference';

/** One entry of `GET /v1/company/people/fields`. */
export interface FieldMetadata {
	/** Field ID in dot form, e.g. `work.title`. */
	id: string;
	name: string;
	category: string;
	categoryDisplayName: string;
	description: string | null;
	historical: boolean;
	/** Root fields have no `root.` prefix here (as on a live tenant). */
	jsonPath: string;
	type: FieldType;
	/** For list fields: the named list whose item IDs the field holds. */
	typeData?: { listId: string };
}

/** One item of a named list (`value` and `name` are the same text). */
export interface NamedListItem {
	id: string;
	value: string;
	name: string;
	archived: boolean;
	children: NamedListItem[];
}

// ---------------------------------------------------------------- named lists

function item(id: string, name: string, archived = false): NamedListItem {
	return { id, value: name, name, archived, children: [] };
}

/** The company's named lists by name; names are case-sensitive, as on HiBob. */
export const NAMED_LISTS: Record<string, NamedListItem[]> = {
	title: [
		item('255490048', 'Chief Executive Officer'),
		item('255490049', 'Engineering Manager'),
		item('255490050', 'Software Engineer'),
		item('255490051', 'Sales Manager'),
		item('255490052', 'Account Executive'),
		item('255490053', 'HR Business Partner'),
		item('255490054', 'Warehouse Operator'),
		item('255490055', 'Finance Controller'),
		item('255490056', 'Customer Success Manager'),
		item('255490057', 'Product Designer'),
		item('255490058', 'Office Manager', true),
	],
	department: [
		item('209192160', 'Management'),
		item('209192161', 'Engineering'),
		item('209192162', 'Sales'),
		item('209192163', 'Account Receivables'),
		item('209192164', 'People'),
		item('209192165', 'Operations'),
		item('209192166', 'Customer Success'),
	],
	site: [
		item('2154020', 'London'),
		item('2154021', 'Amsterdam'),
		item('2154022', 'Tel Aviv'),
		item('2154023', 'New York'),
	],
	employmentType: [
		item('1001', 'Full-time'),
		item('1002', 'Part-time'),
		item('1003', 'Contractor'),
	],
	hobbies: [
		item('3001', 'Cycling'),
		item('3002', 'Chess'),
		item('3003', 'Cooking'),
		item('3004', 'Hiking'),
	],
	nationality: [
		item('4001', 'Dutch'),
		item('4002', 'British'),
		item('4003', 'Israeli'),
		item('4004', 'American'),
	],
	// The list name is lowercase on a live tenant and list names are case-sensitive.
	terminationreason: [
		item('5001', 'Resignation'),
		item('5002', 'End of contract'),
		item('5003', 'Dismissal'),
	],
	status: [item('Active', 'Active'), item('Inactive', 'Inactive')],
	lifecycleStatus: [
		item('hired', 'Hired'),
		item('employed', 'Employed'),
		item('garden leave', 'Garden leave'),
		item('terminated', 'Terminated'),
		item('leave', 'Leave'),
		item('parental leave', 'Parental leave'),
	],
};

/** The name of a list item by its ID, undefined when the list or the item is unknown. */
export function listItemName(listId: string, id: unknown): string | undefined {
	return NAMED_LISTS[listId]?.find((entry) => entry.id === String(id))?.name;
}

/** The ID of a list item by its name (any case), undefined when the list or the item is unknown. */
export function listItemIdByName(listId: string, name: string): string | undefined {
	return NAMED_LISTS[listId]?.find((entry) => entry.name.toLowerCase() === name.toLowerCase())?.id;
}

// ---------------------------------------------------------------- field metadata

const CATEGORY_NAMES: Record<string, string> = {
	root: 'Basic info',
	about: 'About',
	employment: 'Employment',
	work: 'Work',
	internal: 'Lifecycle',
	employee: 'Employee',
	home: 'Home',
	personal: 'Personal',
};

function field(
	id: string,
	name: string,
	type: FieldType,
	extra: Partial<FieldMetadata> = {},
): FieldMetadata {
	const [category, ...rest] = id.split('.');
	return {
		id,
		name,
		category,
		categoryDisplayName: CATEGORY_NAMES[category] ?? category,
		description: null,
		historical: false,
		jsonPath: category === 'root' ? rest.join('.') : id,
		type,
		...extra,
	};
}

/** The company's employee fields, as `GET /v1/company/people/fields` lists them. */
export const FIELDS: FieldMetadata[] = [
	field('root.id', 'Employee ID', 'text'),
	field('root.companyId', 'Company ID', 'number'),
	field('root.email', 'Email', 'text'),
	field('root.firstName', 'First name', 'text'),
	field('root.surname', 'Last name', 'text'),
	field('root.secondName', 'Middle name', 'text'),
	field('root.displayName', 'Display name', 'text'),
	field('root.fullName', 'Full name', 'text'),
	field('root.creationDateTime', 'Creation date and time', 'timestamp'),
	field('root.avatarUrl', 'Avatar URL', 'text'),
	field('about.about', 'About me', 'text'),
	field('about.hobbies', 'Hobbies', 'multi-list', { typeData: { listId: 'hobbies' } }),
	field('employment.type', 'Employment type', 'list', {
		typeData: { listId: 'employmentType' },
		historical: true,
	}),
	field('employment.weeklyHours', 'Weekly hours', 'number', { historical: true }),
	field('work.title', 'Job title', 'list', { typeData: { listId: 'title' }, historical: true }),
	field('work.department', 'Department', 'list', {
		typeData: { listId: 'department' },
		historical: true,
	}),
	field('work.site', 'Site', 'text', {
		description: 'Read-only; the writable field is work.siteId',
	}),
	field('work.siteId', 'Site ID', 'list', { typeData: { listId: 'site' }, historical: true }),
	field('work.startDate', 'Start date', 'date'),
	field('work.shortStartDate', 'Start date (month-day)', 'short-date'),
	field('work.reportsTo', 'Reports to', 'employee', { historical: true }),
	field('work.manager', 'Manager', 'employee-reference'),
	field('work.isManager', 'Is manager', 'boolean'),
	field('work.employeeIdInCompany', 'Employee number', 'number'),
	field(CUSTOM_COST_CENTRE, 'Cost centre', 'text', { description: 'Custom field' }),
	field('internal.status', 'Status', 'list', { typeData: { listId: 'status' }, historical: true }),
	field('internal.lifecycleStatus', 'Lifecycle status', 'list', {
		typeData: { listId: 'lifecycleStatus' },
	}),
	field('internal.terminationDate', 'Termination date', 'date'),
	field('internal.terminationReason', 'Termination reason', 'list', {
		typeData: { listId: 'terminationreason' },
	}),
	field('internal.probationEndDate', 'Probation end date', 'date'),
	field('employee.lastDayOfWork', 'Last day of work', 'date'),
	field('home.mobilePhone', 'Mobile phone', 'text'),
	field('home.privateEmail', 'Private email', 'text'),
	field('personal.pronouns', 'Pronouns', 'text'),
	field('personal.nationality', 'Nationality', 'multi-list', {
		typeData: { listId: 'nationality' },
	}),
];

export const FIELDS_BY_ID = new Map(FIELDS.map((f) => [f.id, f]));

const BASIC_ROOT_FIELDS = [
	'root.id',
	'root.companyId',
	'root.email',
	'root.firstName',
	'root.surname',
	'root.displayName',
	'root.secondName',
	'root.creationDateTime',
	'root.avatarUrl',
];

/**
 * What HiBob returns when `fields` is left out: the basic root fields plus the about, employment
 * and work categories (no custom fields).
 */
export const DEFAULT_FIELD_IDS = [
	...BASIC_ROOT_FIELDS,
	...FIELDS.filter(
		(f) => ['about', 'employment', 'work'].includes(f.category) && !f.id.includes('.custom.'),
	).map((f) => f.id),
];
