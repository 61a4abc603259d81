/**
 * The HiBob sandbox's data generator: a seeded, realistic company (the same seed and clock always
 * give the same people and IDs) and the records of employees added later.
 */
import { createRng } from '../random';
import { addDays, bobTimestamp } from './dates';
import { listItemIdByName } from './metadata';
import { COMPANY_ID, CUSTOM_COST_CENTRE, type LeavePeriod, type StoredEmployee } from './model';

/** A HiBob-style employee ID: 19 digits starting with 3. */
export function employeeIdFrom(random: () => number): string {
	let digits = '3';
	for (let i = 0; i < 18; i++) digits += Math.floor(random() * 10);
	return digits;
}

const DEFAULT_EMAIL_DOMAIN = 'acme-hr.example';

/** `first.surname@domain` in lowercase, letters and dots only (`Jan de Jong` → `jan.dejong@…`). */
function workEmail(firstName: string, surname: string, domain = DEFAULT_EMAIL_DOMAIN): string {
	return `${firstName}.${surname}`.toLowerCase().replace(/[^a-z.]/g, '') + `@${domain}`;
}

/** The item ID of a named-list entry the generator relies on; throws when the list lacks it. */
function listItemId(listId: string, name: string): string {
	const id = listItemIdByName(listId, name);
	if (id === undefined) throw new Error(`Named list "${listId}" has no item "${name}"`);
	return id;
}

const SITES = { london: 2154020, amsterdam: 2154021, telAviv: 2154022, newYork: 2154023 };

type Role = 'ceo' | 'engineering' | 'sales' | 'people' | 'operations';

/** One person of the seeded company, with dates as day offsets from the clock's date. */
interface PersonSketch {
	/** Set for managers, so that others can report to them. */
	role?: Role;
	reportsTo?: Role;
	firstName: string;
	surname: string;
	/** Part before the @; null = no work email; left out = derived from the name. */
	emailLocalPart?: string | null;
	title: string;
	department: string;
	site: keyof typeof SITES;
	startOffsetDays: number;
	terminationOffsetDays?: number;
	lastDayOffsetDays?: number;
	leave?: { fromOffsetDays: number; toOffsetDays: number; kind: LeavePeriod['kind'] };
	/** null = no mobile phone; left out = a generated number. */
	mobilePhone?: null;
	/** null = no cost centre; left out = one of CC-100 … CC-106. */
	costCentre?: null;
}

/**
 * The people every seeded company has: a management chain, two future hires (tomorrow and in two
 * weeks), a past termination, a future termination, someone on garden leave, someone on parental
 * leave (remaining active), two people without a work email, and two people with the same name.
 */
const STORY: PersonSketch[] = [
	{
		role: 'ceo',
		firstName: 'Sophie',
		surname: 'de Vries',
		title: 'Chief Executive Officer',
		department: 'Management',
		site: 'amsterdam',
		startOffsetDays: -3400,
	},
	{
		role: 'engineering',
		reportsTo: 'ceo',
		firstName: 'Daan',
		surname: 'Bakker',
		title: 'Engineering Manager',
		department: 'Engineering',
		site: 'amsterdam',
		startOffsetDays: -2100,
	},
	{
		role: 'sales',
		reportsTo: 'ceo',
		firstName: 'Noa',
		surname: 'Cohen',
		title: 'Sales Manager',
		department: 'Sales',
		site: 'telAviv',
		startOffsetDays: -1800,
	},
	{
		role: 'people',
		reportsTo: 'ceo',
		firstName: 'Emma',
		surname: 'Clarke',
		title: 'HR Business Partner',
		department: 'People',
		site: 'london',
		startOffsetDays: -1500,
	},
	{
		role: 'operations',
		reportsTo: 'ceo',
		firstName: 'Ahmed',
		surname: 'El Idrissi',
		title: 'Finance Controller',
		department: 'Operations',
		site: 'amsterdam',
		startOffsetDays: -1200,
	},
	{
		reportsTo: 'engineering',
		firstName: 'Lucas',
		surname: 'Jansen',
		title: 'Software Engineer',
		department: 'Engineering',
		site: 'amsterdam',
		startOffsetDays: 14,
	},
	{
		reportsTo: 'sales',
		firstName: 'Mila',
		surname: 'Visser',
		title: 'Account Executive',
		department: 'Sales',
		site: 'london',
		startOffsetDays: 1,
	},
	{
		reportsTo: 'engineering',
		firstName: 'Milan',
		surname: 'de Groot',
		title: 'Software Engineer',
		department: 'Engineering',
		site: 'amsterdam',
		startOffsetDays: -900,
		terminationOffsetDays: -30,
		lastDayOffsetDays: -30,
	},
	{
		reportsTo: 'sales',
		firstName: 'Julia',
		surname: 'Smit',
		title: 'Account Executive',
		department: 'Sales',
		site: 'telAviv',
		startOffsetDays: -700,
		terminationOffsetDays: 10,
	},
	{
		reportsTo: 'sales',
		firstName: 'Sem',
		surname: 'de Boer',
		title: 'Customer Success Manager',
		department: 'Customer Success',
		site: 'newYork',
		startOffsetDays: -650,
		terminationOffsetDays: 25,
		lastDayOffsetDays: -5,
	},
	{
		reportsTo: 'engineering',
		firstName: 'Anna',
		surname: 'Meijer',
		title: 'Product Designer',
		department: 'Engineering',
		site: 'london',
		startOffsetDays: -500,
		leave: { fromOffsetDays: -20, toOffsetDays: 60, kind: 'parental leave' },
	},
	{
		reportsTo: 'operations',
		firstName: 'Fatima',
		surname: 'Ouali',
		emailLocalPart: null,
		title: 'Warehouse Operator',
		department: 'Operations',
		site: 'amsterdam',
		startOffsetDays: -400,
		mobilePhone: null,
	},
	{
		reportsTo: 'operations',
		firstName: 'Kees',
		surname: 'Willems',
		emailLocalPart: null,
		title: 'Warehouse Operator',
		department: 'Operations',
		site: 'amsterdam',
		startOffsetDays: -380,
	},
	{
		reportsTo: 'engineering',
		firstName: 'Jan',
		surname: 'de Jong',
		emailLocalPart: 'jan.dejong',
		title: 'Software Engineer',
		department: 'Engineering',
		site: 'amsterdam',
		startOffsetDays: -300,
	},
	{
		reportsTo: 'sales',
		firstName: 'Jan',
		surname: 'de Jong',
		emailLocalPart: 'jan.dejong2',
		title: 'Account Executive',
		department: 'Sales',
		site: 'london',
		startOffsetDays: -200,
		costCentre: null,
	},
];

/** The teams generated staff join: their manager's role, and the title and department they get. */
const TEAMS: Array<{ manager: Role; title: string; department: string }> = [
	{ manager: 'engineering', title: 'Software Engineer', department: 'Engineering' },
	{ manager: 'sales', title: 'Account Executive', department: 'Sales' },
	{ manager: 'people', title: 'HR Business Partner', department: 'People' },
	{ manager: 'operations', title: 'Warehouse Operator', department: 'Operations' },
];

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
	/** The clock's date (YYYY-MM-DD): every sketch's offsets count from it. */
	today: string;
	/** The clock's instant (ISO 8601): the creation time of future hires. */
	nowIso: string;
	/** People in the company: the story's 15, then generated staff up to this number. */
	employeeCount: number;
	emailDomain?: string;
}

/** Turns sketches into records, numbering them (`work.employeeIdInCompany`) in order. */
class EmployeeMaker {
	private number = 0;
	private readonly byRole = new Map<Role, StoredEmployee>();

	constructor(
		private readonly options: SeedOptions,
		private readonly random: () => number,
	) {}

	get domain(): string {
		return this.options.emailDomain ?? DEFAULT_EMAIL_DOMAIN;
	}

	/** The manager with this role; throws when the story has not made them yet. */
	withRole(role: Role): StoredEmployee {
		const manager = this.byRole.get(role);
		if (!manager) throw new Error(`The seeded company has no "${role}" manager yet`);
		return manager;
	}

	make(sketch: PersonSketch): StoredEmployee {
		this.number += 1;
		const { today } = this.options;
		const startDate = addDays(today, sketch.startOffsetDays);
		const employee: StoredEmployee = {
			id: employeeIdFrom(this.random),
			companyId: COMPANY_ID,
			firstName: sketch.firstName,
			surname: sketch.surname,
			secondName: null,
			email: this.emailOf(sketch),
			creationDateTime:
				sketch.startOffsetDays > 0
					? bobTimestamp(this.options.nowIso)
					: bobTimestamp(`${addDays(startDate, -14)}T09:15:27.412Z`),
			avatarUrl: null,
			work: {
				title: listItemId('title', sketch.title),
				department: listItemId('department', sketch.department),
				siteId: SITES[sketch.site],
				startDate,
				manager: sketch.reportsTo ? this.withRole(sketch.reportsTo).id : null,
				employeeIdInCompany: this.number,
				custom: {
					[CUSTOM_COST_CENTRE]: sketch.costCentre === null ? null : `CC-${100 + (this.number % 7)}`,
				},
			},
			internal: this.lifecycleOf(sketch, startDate),
			about: { about: null, hobbies: this.number % 3 === 0 ? ['3001'] : [] },
			employment: { type: '1001', weeklyHours: 40 },
			home: {
				mobilePhone:
					sketch.mobilePhone === null
						? null
						: `+31 6 ${String(10000000 + this.number * 7919).slice(0, 8)}`,
				privateEmail: null,
			},
			personal: { pronouns: null, nationality: [] },
		};
		if (sketch.role) this.byRole.set(sketch.role, employee);
		return employee;
	}

	private emailOf(sketch: PersonSketch): string | null {
		if (sketch.emailLocalPart === null) return null;
		if (sketch.emailLocalPart === undefined)
			return workEmail(sketch.firstName, sketch.surname, this.domain);
		return `${sketch.emailLocalPart}@${this.domain}`;
	}

	private lifecycleOf(sketch: PersonSketch, startDate: string): StoredEmployee['internal'] {
		const { today } = this.options;
		const offset = (days: number | undefined) => (days === undefined ? null : addDays(today, days));
		const leave = sketch.leave;
		return {
			terminationDate: offset(sketch.terminationOffsetDays),
			lastDayOfWork: offset(sketch.lastDayOffsetDays),
			terminationReason: sketch.terminationOffsetDays === undefined ? null : '5001',
			probationEndDate: addDays(startDate, 90),
			leave: leave
				? {
						from: addDays(today, leave.fromOffsetDays),
						to: addDays(today, leave.toOffsetDays),
						remainActive: true,
						kind: leave.kind,
					}
				: null,
		};
	}
}

/** `email`, or `email` with 2, 3, … before the @ when `taken` has it already; adds it to `taken`. */
function unclaimedEmail(email: string, taken: Set<string | null>): string {
	let candidate = email;
	for (let n = 2; taken.has(candidate); n++) candidate = email.replace('@', `${n}@`);
	taken.add(candidate);
	return candidate;
}

/** Random staff in the managers' teams, each with a unique work email. */
function generatedStaff(
	maker: EmployeeMaker,
	random: () => number,
	count: number,
	taken: Set<string | null>,
): StoredEmployee[] {
	const pick = <T>(values: T[]): T => values[Math.floor(random() * values.length)];
	const sites = Object.keys(SITES) as Array<keyof typeof SITES>;
	const staff: StoredEmployee[] = [];
	for (let i = 0; i < count; i++) {
		const team = pick(TEAMS);
		const firstName = pick(FIRST_NAMES);
		const surname = pick(SURNAMES);
		const site = pick(sites);
		const startOffsetDays = -30 - Math.floor(random() * 2500);
		const email = unclaimedEmail(workEmail(firstName, surname, maker.domain), taken);
		staff.push(
			maker.make({
				reportsTo: team.manager,
				firstName,
				surname,
				emailLocalPart: email.slice(0, email.indexOf('@')),
				title: team.title,
				department: team.department,
				site,
				startOffsetDays,
			}),
		);
	}
	return staff;
}

/** The seeded company: the story's people, then generated staff up to `employeeCount`. */
export function seedEmployees(options: SeedOptions): StoredEmployee[] {
	const random = createRng(options.seed);
	const maker = new EmployeeMaker(options, random);
	const story = STORY.map((sketch) => maker.make(sketch));
	const taken = new Set(story.map((employee) => employee.email));
	const count = Math.max(0, options.employeeCount - story.length);
	return [...story, ...generatedStaff(maker, random, count, taken)];
}

/** What `addEmployee` takes: a new hire's name, start date (YYYY-MM-DD) and optional details. */
export interface NewEmployee {
	firstName: string;
	surname: string;
	/** Left out: derived from the name (`first.surname@acme-hr.example`); null: no work email. */
	email?: string | null;
	startDate: string;
	/** Named-list item ID of the `title` list. */
	title?: string | null;
	/** Named-list item ID of the `department` list. */
	department?: string | null;
	siteId?: number | null;
	managerId?: string | null;
	/** Left out: a new random ID. */
	id?: string;
	custom?: Record<string, string | null>;
}

/** The record of an employee added after seeding, created at `nowIso`. */
export function newEmployeeRecord(
	input: NewEmployee,
	id: string,
	employeeIdInCompany: number,
	nowIso: string,
): StoredEmployee {
	return {
		id,
		companyId: COMPANY_ID,
		firstName: input.firstName,
		surname: input.surname,
		secondName: null,
		email: input.email === undefined ? workEmail(input.firstName, input.surname) : input.email,
		creationDateTime: bobTimestamp(nowIso),
		avatarUrl: null,
		work: {
			title: input.title ?? null,
			department: input.department ?? null,
			siteId: input.siteId ?? null,
			startDate: input.startDate,
			manager: input.managerId ?? null,
			employeeIdInCompany,
			custom: input.custom ?? {},
		},
		internal: {
			terminationDate: null,
			lastDayOfWork: null,
			terminationReason: null,
			probationEndDate: addDays(input.startDate, 90),
			leave: null,
		},
		about: { about: null, hobbies: [] },
		employment: { type: '1001', weeklyHours: 40 },
		home: { mobilePhone: null, privateEmail: null },
		personal: { pronouns: null, nationality: [] },
	};
}
