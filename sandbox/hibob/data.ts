/**
 * HiBob sandbox data model: field metadata, named lists, seeded employees, lifecycle computed
 * from a settable clock, and the projection of an employee into HiBob's response shape (slash
 * keys for non-null values plus the nested form with nulls, optional humanReadable).
 *
 * Facts come from /work/shared/reference/hibob-api.md (§4.4-4.6, §5, §8, §10). Where the reference
 * marks a value UNVERIFIED (machine casing of lifecycle statuses, humanReadable date format) the
 * sandbox makes it configurable.
 */

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

export interface FieldMetadata {
	id: string;
	name: string;
	category: string;
	categoryDisplayName: string;
	description: string | null;
	historical: boolean;
	/** Root fields have no `root.` prefix here (as on a live tenant). */
	jsonPath: string;
	type: FieldType;
	typeData?: { listId: string };
}

export interface NamedListItem {
	id: string;
	value: string;
	name: string;
	archived: boolean;
	children: NamedListItem[];
}

export interface LeavePeriod {
	from: string;
	/** Last day of the leave (inclusive); null = open-ended. */
	to: string | null;
	/** "Remain active": the access status stays Active during the leave. */
	remainActive: boolean;
	kind?: 'leave' | 'parental leave';
}

/** The raw record the sandbox keeps per employee (what tests read and patch). */
export interface StoredEmployee {
	id: string;
	companyId: number;
	firstName: string;
	surname: string;
	secondName: string | null;
	/** Work email; null for people without one (warehouse staff, contractors). */
	email: string | null;
	creationDateTime: string;
	avatarUrl: string | null;
	work: {
		title: string | null;
		department: string | null;
		siteId: number | null;
		startDate: string;
		manager: string | null;
		employeeIdInCompany: number;
		/** Custom fields, asked for by ID only (`work.custom.field_…`). */
		custom: Record<string, string | null>;
	};
	internal: {
		terminationDate: string | null;
		/** Last working day; before the termination date it means garden leave. */
		lastDayOfWork: string | null;
		terminationReason: string | null;
		probationEndDate: string | null;
		leave: LeavePeriod | null;
	};
	about: { about: string | null; hobbies: string[] };
	employment: { type: string | null; weeklyHours: number | null };
	home: { mobilePhone: string | null; privateEmail: string | null };
	personal: { pronouns: string | null; nationality: string[] };
}

export type LifecycleStatus =
	| 'hired'
	| 'employed'
	| 'garden leave'
	| 'terminated'
	| 'leave'
	| 'parental leave';

export interface LifecycleState {
	status: 'Active' | 'Inactive';
	lifecycleStatus: LifecycleStatus;
}

export const COMPANY_ID = 636192;

export const CUSTOM_COST_CENTRE = 'work.custom.field_1700000001';

// ---------------------------------------------------------------- named lists

function item(id: string, name: string, archived = false): NamedListItem {
	return { id, value: name, name, archived, children: [] };
}

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

export function listItemName(listId: string, id: unknown): string | undefined {
	return NAMED_LISTS[listId]?.find((entry) => entry.id === String(id))?.name;
}

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

/** What HiBob returns when `fields` is left out: basic root fields plus about, employment and work (no custom fields). */
export const DEFAULT_FIELD_IDS = [
	...BASIC_ROOT_FIELDS,
	...FIELDS.filter(
		(f) => ['about', 'employment', 'work'].includes(f.category) && !f.id.includes('.custom.'),
	).map((f) => f.id),
];

// ---------------------------------------------------------------- dates and clock

export function addDays(date: string, days: number): string {
	const d = new Date(`${date}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() + days);
	return d.toISOString().slice(0, 10);
}

/** HiBob's timestamp format: microseconds, no timezone. */
export function bobTimestamp(iso: string): string {
	const d = new Date(iso);
	return `${d.toISOString().slice(0, 19)}.${String(d.getUTCMilliseconds()).padStart(3, '0')}000`;
}

/**
 * Lifecycle from the clock. "today" is the UTC date of the sandbox clock (HiBob uses the site's
 * timezone; the sandbox does not model timezones). A lifecycle entry takes effect on its date.
 */
export function lifecycleOn(employee: StoredEmployee, today: string): LifecycleState {
	const { terminationDate, lastDayOfWork, leave } = employee.internal;
	if (employee.work.startDate > today) return { status: 'Inactive', lifecycleStatus: 'hired' };
	if (terminationDate && terminationDate <= today)
		return { status: 'Inactive', lifecycleStatus: 'terminated' };
	// Garden leave: termination date still ahead, last working day behind. Access stays Active
	// until the termination takes effect (the reference's table is ambiguous on this point).
	if (terminationDate && lastDayOfWork && lastDayOfWork < today)
		return { status: 'Active', lifecycleStatus: 'garden leave' };
	if (leave && leave.from <= today && (leave.to === null || leave.to >= today)) {
		return {
			status: leave.remainActive ? 'Active' : 'Inactive',
			lifecycleStatus: leave.kind ?? 'leave',
		};
	}
	return { status: 'Active', lifecycleStatus: 'employed' };
}

// ---------------------------------------------------------------- seeded employees

/** Small deterministic PRNG (mulberry32) so a seed always gives the same company. */
export function prng(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export function employeeIdFrom(random: () => number): string {
	let digits = '3';
	for (let i = 0; i < 18; i++) digits += Math.floor(random() * 10);
	return digits;
}

const FIRST_NAMES = [
	'Lotte',
	'Bram',
	'Sanne',
	'Thijs',
	'Eva',
	'Ruben',
	'Maya',
	'Oliver',
	'Yael',
	'Amir',
	'Chloe',
	'Liam',
	'Ines',
	'Tom',
	'Zoe',
	'Jesse',
	'Nina',
	'Omar',
	'Lisa',
	'Finn',
];
const SURNAMES = [
	'Vermeulen',
	'Peters',
	'Hendriks',
	'Dekker',
	'Brouwer',
	'Mulder',
	'Walker',
	'Ben-David',
	'Friedman',
	'Clarke',
	'Okafor',
	'Kowalski',
	'Rossi',
	'Nguyen',
	'Schmidt',
];

export interface SeedOptions {
	seed: number;
	today: string;
	nowIso: string;
	employeeCount: number;
	emailDomain?: string;
}

const T = (name: string) => listItemIdByName('title', name)!;
const D = (name: string) => listItemIdByName('department', name)!;
const SITE = { london: 2154020, amsterdam: 2154021, telAviv: 2154022, newYork: 2154023 };

/**
 * A realistic company: a management chain, staff, two future hires (tomorrow and in two weeks),
 * a past termination, a future termination, someone on garden leave, someone on parental leave,
 * two people without a work email, and two people with the same name.
 */
export function seedEmployees(options: SeedOptions): StoredEmployee[] {
	const random = prng(options.seed);
	const domain = options.emailDomain ?? 'acme-hr.example';
	const today = options.today;
	const created = bobTimestamp(options.nowIso);
	let number = 0;
	const make = (input: {
		firstName: string;
		surname: string;
		email?: string | null;
		title: string;
		department: string;
		siteId: number;
		startOffsetDays: number;
		manager?: StoredEmployee;
		terminationOffsetDays?: number;
		lastDayOffsetDays?: number;
		leave?: LeavePeriod;
		mobilePhone?: string | null;
		costCentre?: string | null;
	}): StoredEmployee => {
		number += 1;
		const email =
			input.email === undefined
				? `${input.firstName}.${input.surname}`.toLowerCase().replace(/[^a-z.]/g, '') + `@${domain}`
				: input.email;
		const startDate = addDays(today, input.startOffsetDays);
		return {
			id: employeeIdFrom(random),
			companyId: COMPANY_ID,
			firstName: input.firstName,
			surname: input.surname,
			secondName: null,
			email,
			creationDateTime:
				input.startOffsetDays > 0
					? created
					: bobTimestamp(`${addDays(startDate, -14)}T09:15:27.412Z`),
			avatarUrl: null,
			work: {
				title: T(input.title),
				department: D(input.department),
				siteId: input.siteId,
				startDate,
				manager: input.manager?.id ?? null,
				employeeIdInCompany: number,
				custom: {
					[CUSTOM_COST_CENTRE]:
						input.costCentre === undefined ? `CC-${100 + (number % 7)}` : input.costCentre,
				},
			},
			internal: {
				terminationDate:
					input.terminationOffsetDays === undefined
						? null
						: addDays(today, input.terminationOffsetDays),
				lastDayOfWork:
					input.lastDayOffsetDays === undefined ? null : addDays(today, input.lastDayOffsetDays),
				terminationReason: input.terminationOffsetDays === undefined ? null : '5001',
				probationEndDate: addDays(startDate, 90),
				leave: input.leave ?? null,
			},
			about: { about: null, hobbies: number % 3 === 0 ? ['3001'] : [] },
			employment: { type: '1001', weeklyHours: 40 },
			home: {
				mobilePhone:
					input.mobilePhone === undefined
						? `+31 6 ${String(10000000 + number * 7919).slice(0, 8)}`
						: input.mobilePhone,
				privateEmail: null,
			},
			personal: { pronouns: null, nationality: [] },
		};
	};

	const ceo = make({
		firstName: 'Sophie',
		surname: 'de Vries',
		title: 'Chief Executive Officer',
		department: 'Management',
		siteId: SITE.amsterdam,
		startOffsetDays: -3400,
	});
	const engManager = make({
		firstName: 'Daan',
		surname: 'Bakker',
		title: 'Engineering Manager',
		department: 'Engineering',
		siteId: SITE.amsterdam,
		startOffsetDays: -2100,
		manager: ceo,
	});
	const salesManager = make({
		firstName: 'Noa',
		surname: 'Cohen',
		title: 'Sales Manager',
		department: 'Sales',
		siteId: SITE.telAviv,
		startOffsetDays: -1800,
		manager: ceo,
	});
	const peopleLead = make({
		firstName: 'Emma',
		surname: 'Clarke',
		title: 'HR Business Partner',
		department: 'People',
		siteId: SITE.london,
		startOffsetDays: -1500,
		manager: ceo,
	});
	const opsLead = make({
		firstName: 'Ahmed',
		surname: 'El Idrissi',
		title: 'Finance Controller',
		department: 'Operations',
		siteId: SITE.amsterdam,
		startOffsetDays: -1200,
		manager: ceo,
	});
	const story: StoredEmployee[] = [
		ceo,
		engManager,
		salesManager,
		peopleLead,
		opsLead,
		make({
			firstName: 'Lucas',
			surname: 'Jansen',
			title: 'Software Engineer',
			department: 'Engineering',
			siteId: SITE.amsterdam,
			startOffsetDays: 14,
			manager: engManager,
		}),
		make({
			firstName: 'Mila',
			surname: 'Visser',
			title: 'Account Executive',
			department: 'Sales',
			siteId: SITE.london,
			startOffsetDays: 1,
			manager: salesManager,
		}),
		make({
			firstName: 'Milan',
			surname: 'de Groot',
			title: 'Software Engineer',
			department: 'Engineering',
			siteId: SITE.amsterdam,
			startOffsetDays: -900,
			manager: engManager,
			terminationOffsetDays: -30,
			lastDayOffsetDays: -30,
		}),
		make({
			firstName: 'Julia',
			surname: 'Smit',
			title: 'Account Executive',
			department: 'Sales',
			siteId: SITE.telAviv,
			startOffsetDays: -700,
			manager: salesManager,
			terminationOffsetDays: 10,
		}),
		make({
			firstName: 'Sem',
			surname: 'de Boer',
			title: 'Customer Success Manager',
			department: 'Customer Success',
			siteId: SITE.newYork,
			startOffsetDays: -650,
			manager: salesManager,
			terminationOffsetDays: 25,
			lastDayOffsetDays: -5,
		}),
		make({
			firstName: 'Anna',
			surname: 'Meijer',
			title: 'Product Designer',
			department: 'Engineering',
			siteId: SITE.london,
			startOffsetDays: -500,
			manager: engManager,
			leave: {
				from: addDays(today, -20),
				to: addDays(today, 60),
				remainActive: true,
				kind: 'parental leave',
			},
		}),
		make({
			firstName: 'Fatima',
			surname: 'Ouali',
			email: null,
			title: 'Warehouse Operator',
			department: 'Operations',
			siteId: SITE.amsterdam,
			startOffsetDays: -400,
			manager: opsLead,
			mobilePhone: null,
		}),
		make({
			firstName: 'Kees',
			surname: 'Willems',
			email: null,
			title: 'Warehouse Operator',
			department: 'Operations',
			siteId: SITE.amsterdam,
			startOffsetDays: -380,
			manager: opsLead,
		}),
		make({
			firstName: 'Jan',
			surname: 'de Jong',
			email: `jan.dejong@${domain}`,
			title: 'Software Engineer',
			department: 'Engineering',
			siteId: SITE.amsterdam,
			startOffsetDays: -300,
			manager: engManager,
		}),
		make({
			firstName: 'Jan',
			surname: 'de Jong',
			email: `jan.dejong2@${domain}`,
			title: 'Account Executive',
			department: 'Sales',
			siteId: SITE.london,
			startOffsetDays: -200,
			manager: salesManager,
			costCentre: null,
		}),
	];
	const managers = [engManager, salesManager, peopleLead, opsLead];
	const titlesFor: Record<string, [string, string]> = {
		[engManager.id]: ['Software Engineer', 'Engineering'],
		[salesManager.id]: ['Account Executive', 'Sales'],
		[peopleLead.id]: ['HR Business Partner', 'People'],
		[opsLead.id]: ['Warehouse Operator', 'Operations'],
	};
	const sites = Object.values(SITE);
	const generated: StoredEmployee[] = [];
	for (let i = story.length; i < options.employeeCount; i++) {
		const manager = managers[Math.floor(random() * managers.length)];
		const [title, department] = titlesFor[manager.id];
		generated.push(
			make({
				firstName: FIRST_NAMES[Math.floor(random() * FIRST_NAMES.length)],
				surname: `${SURNAMES[Math.floor(random() * SURNAMES.length)]}`,
				email: undefined,
				title,
				department,
				siteId: sites[Math.floor(random() * sites.length)],
				startOffsetDays: -30 - Math.floor(random() * 2500),
				manager,
			}),
		);
	}
	// Generated names can repeat: give each generated person a unique work email.
	const seen = new Set(story.map((e) => e.email));
	for (const employee of generated) {
		let email = employee.email!;
		for (let n = 2; seen.has(email); n++) email = employee.email!.replace('@', `${n}@`);
		employee.email = email;
		seen.add(email);
	}
	return [...story, ...generated];
}

// ---------------------------------------------------------------- projection

export interface ProjectionContext {
	today: string;
	all: Map<string, StoredEmployee>;
	lifecycleCase: 'lower' | 'title';
	humanReadableDateFormat: 'DD/MM/YYYY' | 'MM/DD/YYYY' | 'ISO';
}

function displayName(e: StoredEmployee): string {
	return `${e.firstName} ${e.surname}`;
}

function reportsToOf(e: StoredEmployee, all: Map<string, StoredEmployee>) {
	const manager = e.work.manager ? all.get(e.work.manager) : undefined;
	if (!manager) return null;
	return {
		id: manager.id,
		firstName: manager.firstName,
		surname: manager.surname,
		email: manager.email,
		displayName: displayName(manager),
	};
}

function titleCase(value: string): string {
	return value.charAt(0).toUpperCase() + value.slice(1);
}

/** The machine value of one field, or undefined for a field the sandbox does not know. */
export function machineValue(e: StoredEmployee, fieldId: string, ctx: ProjectionContext): unknown {
	const lifecycle = lifecycleOn(e, ctx.today);
	switch (fieldId) {
		case 'root.id':
			return e.id;
		case 'root.companyId':
			return e.companyId;
		case 'root.email':
			return e.email;
		case 'root.firstName':
			return e.firstName;
		case 'root.surname':
			return e.surname;
		case 'root.secondName':
			return e.secondName;
		case 'root.displayName':
		case 'root.fullName':
			return displayName(e);
		case 'root.creationDateTime':
			return e.creationDateTime;
		case 'root.avatarUrl':
			return e.avatarUrl;
		case 'about.about':
			return e.about.about;
		case 'about.hobbies':
			return e.about.hobbies;
		case 'employment.type':
			return e.employment.type;
		case 'employment.weeklyHours':
			return e.employment.weeklyHours;
		case 'work.title':
			return e.work.title;
		case 'work.department':
			return e.work.department;
		case 'work.site':
			return e.work.siteId === null ? null : (listItemName('site', e.work.siteId) ?? null);
		case 'work.siteId':
			return e.work.siteId;
		case 'work.startDate':
			return e.work.startDate;
		case 'work.shortStartDate':
			return e.work.startDate.slice(5);
		case 'work.reportsTo':
			return reportsToOf(e, ctx.all);
		case 'work.manager':
			return e.work.manager;
		case 'work.isManager':
			return [...ctx.all.values()].some((other) => other.work.manager === e.id);
		case 'work.employeeIdInCompany':
			return e.work.employeeIdInCompany;
		case 'internal.status':
			return lifecycle.status;
		case 'internal.lifecycleStatus':
			return ctx.lifecycleCase === 'title'
				? titleCase(lifecycle.lifecycleStatus)
				: lifecycle.lifecycleStatus;
		case 'internal.terminationDate':
			return e.internal.terminationDate;
		case 'internal.terminationReason':
			return e.internal.terminationReason;
		case 'internal.probationEndDate':
			return e.internal.probationEndDate;
		case 'employee.lastDayOfWork':
			return e.internal.lastDayOfWork;
		case 'home.mobilePhone':
			return e.home.mobilePhone;
		case 'home.privateEmail':
			return e.home.privateEmail;
		case 'personal.pronouns':
			return e.personal.pronouns;
		case 'personal.nationality':
			return e.personal.nationality;
		default:
			if (fieldId.startsWith('work.custom.') && fieldId in e.work.custom)
				return e.work.custom[fieldId];
			return undefined;
	}
}

function formatDate(date: string, format: ProjectionContext['humanReadableDateFormat']): string {
	const [y, m, d] = date.split('-');
	if (format === 'ISO') return date;
	return format === 'DD/MM/YYYY' ? `${d}/${m}/${y}` : `${m}/${d}/${y}`;
}

/** The humanReadable form of a machine value (only called for non-null values). */
export function humanValue(fieldId: string, value: unknown, ctx: ProjectionContext): unknown {
	const meta = FIELDS_BY_ID.get(fieldId);
	const type = meta?.type ?? 'text';
	switch (type) {
		case 'list':
			if (fieldId === 'internal.lifecycleStatus') return titleCase(String(value).toLowerCase());
			return listItemName(meta!.typeData!.listId, value) ?? String(value);
		case 'multi-list':
			return (value as unknown[]).map((v) => listItemName(meta!.typeData!.listId, v) ?? String(v));
		case 'boolean':
			return value ? 'Yes' : 'No';
		case 'number':
			return String(value);
		case 'date':
			return formatDate(String(value), ctx.humanReadableDateFormat);
		case 'employee':
			return (value as { displayName: string }).displayName;
		case 'employee-reference': {
			const other = ctx.all.get(String(value));
			return other ? displayName(other) : String(value);
		}
		default:
			return value;
	}
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
	let node = target;
	for (const key of path.slice(0, -1)) {
		if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
		node = node[key] as Record<string, unknown>;
	}
	node[path[path.length - 1]] = value;
}

/** Nested key path of a field ID: root fields at the top level, others under their category. */
export function nestedPath(fieldId: string): string[] {
	const parts = fieldId.split('.');
	return parts[0] === 'root' ? parts.slice(1) : parts;
}

/**
 * One employee in HiBob's response shape: slash keys (non-null values only) plus the nested
 * form (nulls kept), and with APPEND a `humanReadable` mirror of the non-null values.
 */
export function projectEmployee(
	e: StoredEmployee,
	fieldIds: string[],
	humanReadable: 'APPEND' | 'REPLACE' | undefined,
	ctx: ProjectionContext,
): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	const human: Record<string, unknown> = {};
	for (const fieldId of fieldIds) {
		const machine = machineValue(e, fieldId, ctx);
		if (machine === undefined) continue;
		const hr = machine === null ? null : humanValue(fieldId, machine, ctx);
		const value = humanReadable === 'REPLACE' ? hr : machine;
		const slash = `/${fieldId.replace(/\./g, '/')}`;
		if (value !== null) out[slash] = { value };
		setPath(out, nestedPath(fieldId), value);
		if (humanReadable === 'APPEND' && hr !== null) setPath(human, nestedPath(fieldId), hr);
	}
	if (humanReadable === 'APPEND') out.humanReadable = human;
	return out;
}
