/**
 * Seeded fixture data for the AFAS sandbox: one set of generated people, served through several
 * GetConnectors the way real tenants build them:
 *
 * - `Mobietrain_Employees`: MobieTrain's custom connector, exactly the field table of their help
 *   article "AFAS (User Invitation and Sync)"
 *   (https://intercom-help.eu/mobietrain/en/articles/311061), including the
 *   `employementEndDate` spelling.
 * - `Oneteam_Communities`, `Oneteam_Functions`, `Oneteam_Users`: the three connectors Oneteam asks
 *   customers to build (https://help.oneteam.io/en/articles/5463467-afas-get-connectors); every
 *   user has exactly one community and one function, and both exist in the other two connectors.
 * - `Profit_Employees`: AFAS' standard employee connector, with its field ids.
 * - `Medewerkers_indienst`: a Dutch-aliased custom connector like the one in AFAS' own
 *   employee-to-Active-Directory how-to, with a fixed "in service today" filter and a boolean
 *   column.
 *
 * The same person has the same employee number, name, e-mail, org unit and function in every
 * connector. The data carries the awkward cases real tenants have: future starters, leavers
 * (end date in the past, today, in the future), null e-mails, shared e-mails (a store mailbox
 * used by two employees), e-mails in mixed case or with a trailing space, leading-zero ids,
 * diacritics, a value containing `,` and `;`, and more rows than one page of 1000.
 *
 * Deterministic for (seed, employeeCount, today). With employeeCount >= 9 every awkward case is
 * guaranteed (planted at fixed positions); employee number '000123' exists when count >= 123.
 */
import { createRng } from '../random';
import type { AfasDataType } from './query';

/** One field of a GetConnector as `/metainfo/get/{id}` describes it. */
export interface AfasFieldMeta {
	/** Column name in rows, filterfieldids and orderbyfieldids. */
	id: string;
	/** Internal Profit field code (`U001`, ...). Generated here, not AFAS' real codes. */
	fieldId?: string;
	dataType: AfasDataType;
	label: string;
	length?: number;
	controlType?: number;
	decimals?: number;
	decimalsFieldId?: string;
}

/** A fixture connector: its id, description, fields and rows in served form. */
export interface AfasConnectorFixture {
	id: string;
	description: string;
	fields: AfasFieldMeta[];
	rows: Array<Record<string, unknown>>;
}

/** The ids of the fixture connectors, in the order `/metainfo` lists them. */
export const AFAS_CONNECTOR_IDS = {
	mobietrainEmployees: 'Mobietrain_Employees',
	oneteamCommunities: 'Oneteam_Communities',
	oneteamFunctions: 'Oneteam_Functions',
	oneteamUsers: 'Oneteam_Users',
	profitEmployees: 'Profit_Employees',
	medewerkersInDienst: 'Medewerkers_indienst',
} as const;

/** MobieTrain's custom-connector field table from its help article, in its order and spelling. */
export const MOBIETRAIN_FIELDS: ReadonlyArray<readonly [string, AfasDataType]> = [
	['email', 'string'],
	['employerId', 'string'],
	['employerName', 'string'],
	['employementEndDate', 'date'],
	['employmentStartDate', 'date'],
	['externalId', 'string'],
	['firstName', 'string'],
	['functionId', 'string'],
	['functionDescription', 'string'],
	['lastName', 'string'],
	['organizationId', 'string'],
	['organizationName', 'string'],
	['isoCode', 'string'],
];

/** Fisher-Yates shuffle of a copy, driven by `random`. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
	const copy = [...items];
	for (let index = copy.length - 1; index > 0; index--) {
		const other = Math.floor(random() * (index + 1));
		[copy[index], copy[other]] = [copy[other], copy[index]];
	}
	return copy;
}

/** Today's date in Amsterdam (AFAS' time zone), as YYYY-MM-DD. */
export function amsterdamToday(now: Date = new Date()): string {
	return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(now);
}

/** `date` (YYYY-MM-DD) plus `days` calendar days (negative: earlier), as YYYY-MM-DD. */
function addDays(date: string, days: number): string {
	const [year, month, day] = date.split('-').map(Number);
	return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** A local date as AFAS serialises it: midnight with the fake `Z` (Amsterdam time, not UTC). */
const afasDate = (date: string | null): string | null =>
	date === null ? null : `${date}T00:00:00Z`;

const EMPLOYERS = [
	{ id: '01', name: 'Voorbeeld Retail B.V.' },
	{ id: '02', name: 'Voorbeeld Logistiek B.V.' },
];

/** Org units: MobieTrain's stores and Oneteam's communities. '080' belongs to employer 02. */
const ORG_UNITS = [
	{ id: '010', name: 'Amsterdam Centrum', employerId: '01' },
	{ id: '020', name: 'Rotterdam Zuid', employerId: '01' },
	{ id: '030', name: 'Utrecht Hoog Catharijne', employerId: '01' },
	{ id: '040', name: "'s-Hertogenbosch Markt", employerId: '01' },
	{ id: '050', name: 'Eindhoven Strijp', employerId: '01' },
	{ id: '060', name: 'Groningen Vismarkt', employerId: '01' },
	{ id: '070', name: 'Maastricht Vrijthof', employerId: '01' },
	{ id: '080', name: 'Distributiecentrum Tilburg', employerId: '02' },
	{ id: '090', name: 'Hoofdkantoor', employerId: '01' },
	{ id: '100', name: 'Düsseldorf Königsallee', employerId: '01' },
	{ id: '110', name: 'Kraków Główny', employerId: '01' },
];

/** Job functions (Oneteam's functions); one name holds `,` and `;`. */
const FUNCTIONS = [
	{ id: 'F01', name: 'Verkoopmedewerker' },
	{ id: 'F02', name: 'Filiaalmanager' },
	{ id: 'F03', name: 'Magazijnmedewerker' },
	{ id: 'F04', name: 'Kassamedewerker' },
	{ id: 'F05', name: 'Regiomanager' },
	{ id: 'F06', name: 'HR-adviseur' },
	{ id: 'F07', name: 'Chauffeur' },
	// Separators inside a value: the compact filter syntax cannot match it, filterjson can.
	{ id: 'F08', name: 'Medewerker klantenservice, 1e lijn; NL' },
	{ id: 'F09', name: 'Teamleider logistiek' },
	{ id: 'F10', name: 'Stagiair(e)' },
];

const FIRST_NAMES = [
	['Jan', 'M'],
	['Sanne', 'V'],
	['Daan', 'M'],
	['Emma', 'V'],
	['Lucas', 'M'],
	['Julia', 'V'],
	['Sem', 'M'],
	['Mila', 'V'],
	['Noah', 'M'],
	['Tess', 'V'],
	['Finn', 'M'],
	['Zoë', 'V'],
	['Liam', 'M'],
	['Saar', 'V'],
	['Mohammed', 'M'],
	['Fatima', 'V'],
	['Ömer', 'M'],
	['Élise', 'V'],
	['Jörg', 'M'],
	['Agnieszka', 'V'],
	['Łukasz', 'M'],
	['Renée', 'V'],
	['Søren', 'M'],
	['Anaïs', 'V'],
	['Björn', 'M'],
	['Chloë', 'V'],
	['Kees', 'M'],
	['Ingrid', 'V'],
	['François', 'M'],
	['Małgorzata', 'V'],
	['José', 'M'],
	['Sam', 'O'],
] as const;

const LAST_NAMES: ReadonlyArray<readonly [string | null, string]> = [
	[null, 'Jansen'],
	['de', 'Vries'],
	['van den', 'Berg'],
	['van', 'Dijk'],
	[null, 'Bakker'],
	[null, 'Visser'],
	[null, 'Smit'],
	['de', 'Boer'],
	[null, 'Mulder'],
	['de', 'Groot'],
	[null, 'Bos'],
	[null, 'Vos'],
	[null, 'Peters'],
	[null, 'Hendriks'],
	['van', 'Leeuwen'],
	[null, 'Dekker'],
	[null, 'Brouwer'],
	['de', 'Wit'],
	[null, 'Dijkstra'],
	[null, 'Müller'],
	[null, 'Strauß'],
	[null, 'Wójcik'],
	[null, 'Kowalczyk'],
	[null, 'Öztürk'],
	[null, 'Yılmaz'],
	[null, 'Núñez'],
	[null, 'Lefèvre'],
	[null, 'Dvořák'],
	['ter', 'Horst'],
	[null, "O'Brien"],
	[null, 'El Amrani'],
	['van der', 'Meer'],
];

const CITIES = [
	'Amsterdam',
	'Rotterdam',
	'Utrecht',
	'Den Haag',
	'Eindhoven',
	'Groningen',
	'Maastricht',
	'Tilburg',
	"'s-Hertogenbosch",
];
const STREETS = [
	'Kerkstraat',
	'Dorpsstraat',
	'Stationsweg',
	'Molenweg',
	'Schoolstraat',
	'Julianastraat',
	'Beukenlaan',
];
const LANGUAGES: ReadonlyArray<readonly [string | null, number]> = [
	['NL', 0.7],
	['EN', 0.1],
	['DE', 0.05],
	['PL', 0.05],
	['FR', 0.03],
	[null, 0.07],
];

/** One generated employee, before it is shaped into any connector's rows. Dates are YYYY-MM-DD. */
export interface GeneratedPerson {
	employeeId: string;
	personId: string;
	userId: string | null;
	firstName: string;
	initials: string;
	prefix: string | null;
	birthName: string;
	/** Prefix and birth name together, as custom connectors usually deliver the last name. */
	lastName: string;
	gender: string;
	email: string | null;
	dateOfBirth: string;
	mobile: string | null;
	phone: string | null;
	street: string;
	houseNumber: number;
	addNumber: string | null;
	zipCode: string;
	city: string;
	bsn: string;
	employerId: string;
	orgUnitId: string;
	functionId: string;
	startDate: string;
	endDate: string | null;
	hoursPerWeek: number;
	fte: number;
	permanent: boolean;
	isoCode: string | null;
	blocked: boolean;
}

/** Strips diacritics and anything that cannot be in the local part of an address. */
function mailSlug(text: string): string {
	return text
		.replace(/ł/g, 'l')
		.replace(/Ł/g, 'L')
		.replace(/ß/g, 'ss')
		.replace(/ø/g, 'o')
		.replace(/ı/g, 'i')
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '');
}

/** A nine-digit number that passes the Dutch BSN "elfproef", so validators accept it. */
function fakeBsn(random: () => number): string {
	for (;;) {
		const digits = Array.from({ length: 8 }, (_, index) =>
			index === 0 ? 1 + Math.floor(random() * 6) : Math.floor(random() * 10),
		);
		const sum = digits.reduce((total, digit, index) => total + digit * (9 - index), 0);
		const last = sum % 11;
		if (last <= 9) return [...digits, last].join('');
	}
}

function pick<T>(items: readonly T[], random: () => number): T {
	return items[Math.floor(random() * items.length)];
}

function weighted<T>(options: ReadonlyArray<readonly [T, number]>, random: () => number): T {
	let roll = random();
	for (const [value, weight] of options) {
		if ((roll -= weight) < 0) return value;
	}
	return options[options.length - 1][0];
}

const between = (random: () => number, min: number, max: number) =>
	min + Math.floor(random() * (max - min + 1));

/** What the generator works from: the seed, how many people, and the date data is relative to. */
export interface GenerationOptions {
	seed: number;
	employeeCount: number;
	/** YYYY-MM-DD. */
	today: string;
}

/**
 * Start and end of employment relative to `today` (YYYY-MM-DD): 3% future starters, 8%
 * leavers with an end date in the past, 1% leaving today, 3% leaving within 90 days.
 */
function employmentDates(
	random: () => number,
	today: string,
): { startDate: string; endDate: string | null } {
	const startRoll = random();
	const startDate =
		startRoll < 0.03
			? addDays(today, between(random, 1, 60))
			: addDays(today, -between(random, 30, 6000));
	let endDate: string | null = null;
	const endRoll = random();
	if (endRoll < 0.08 && startDate < today) {
		const daysEmployed = Math.round((Date.parse(today) - Date.parse(startDate)) / 86400000);
		endDate = addDays(startDate, between(random, 1, Math.max(1, daysEmployed - 1)));
	} else if (endRoll < 0.09 && startDate <= today) endDate = today;
	else if (endRoll < 0.12)
		endDate = addDays(startDate > today ? startDate : today, between(random, 1, 90));
	return { startDate, endDate };
}

/**
 * A work e-mail 'first.last@voorbeeld.nl' (numbered from the second person with the same name,
 * counted in `usedMail`), or one of the awkward cases: none (3%), the store's shared mailbox
 * (0.5%), mixed case (1.5%), a trailing space (0.5%).
 */
function generatedEmail(
	random: () => number,
	person: { firstName: string; lastName: string; orgUnitId: string },
	usedMail: Map<string, number>,
): string | null {
	const { firstName, lastName } = person;
	const base = `${mailSlug(firstName)}.${mailSlug(lastName)}`;
	const seen = usedMail.get(base) ?? 0;
	usedMail.set(base, seen + 1);
	const email = `${base}${seen ? seen + 1 : ''}@voorbeeld.nl`;
	const mailRoll = random();
	if (mailRoll < 0.03) return null;
	if (mailRoll < 0.035) return `filiaal${person.orgUnitId}@voorbeeld.nl`;
	if (mailRoll < 0.05)
		return `${firstName}.${lastName.replace(/ /g, '')}${seen ? seen + 1 : ''}@Voorbeeld.nl`;
	if (mailRoll < 0.055) return `${email} `;
	return email;
}

/** The person with employee number `index + 1`; draws from `random` in a fixed order. */
function generatedPerson(
	random: () => number,
	index: number,
	options: GenerationOptions,
	usedMail: Map<string, number>,
): GeneratedPerson {
	const [firstName, gender] = pick(FIRST_NAMES, random);
	const [prefix, birthName] = pick(LAST_NAMES, random);
	const lastName = prefix ? `${prefix} ${birthName}` : birthName;
	const orgUnit = pick(ORG_UNITS, random);
	const functionId =
		orgUnit.id === '080' ? pick(['F03', 'F07', 'F09'], random) : pick(FUNCTIONS, random).id;
	const { startDate, endDate } = employmentDates(random, options.today);
	const email = generatedEmail(random, { firstName, lastName, orgUnitId: orgUnit.id }, usedMail);
	const hoursPerWeek = pick([40, 36, 32, 24, 22.5, 16, 8], random);
	const employeeNumber = index + 1;
	return {
		employeeId: String(employeeNumber).padStart(6, '0'),
		personId: String(100000 + employeeNumber * 7),
		userId:
			random() < 0.4
				? `${options.seed}.${mailSlug(firstName).slice(0, 1)}${mailSlug(birthName)}${employeeNumber}`
				: null,
		firstName,
		initials: `${firstName.slice(0, 1)}.`,
		prefix,
		birthName,
		lastName,
		gender,
		email,
		dateOfBirth: addDays(options.today, -between(random, 16 * 365, 66 * 365)),
		mobile: random() < 0.8 ? `06${String(between(random, 10000000, 99999999))}` : null,
		phone:
			random() < 0.3 ? `0${between(random, 10, 79)}-${between(random, 1000000, 9999999)}` : null,
		street: pick(STREETS, random),
		houseNumber: between(random, 1, 250),
		addNumber: random() < 0.15 ? pick(['A', 'B', 'bis', '-1', 'hs'], random) : null,
		zipCode: `${between(random, 1000, 9999)} ${String.fromCharCode(65 + between(random, 0, 25))}${String.fromCharCode(65 + between(random, 0, 25))}`,
		city: pick(CITIES, random),
		bsn: fakeBsn(random),
		employerId: orgUnit.employerId,
		orgUnitId: orgUnit.id,
		functionId,
		startDate,
		endDate,
		hoursPerWeek,
		fte: Math.round((hoursPerWeek / 40) * 10000) / 10000,
		permanent: random() < 0.7,
		isoCode: weighted(LANGUAGES, random),
		blocked: random() < 0.02,
	};
}

/**
 * `employeeCount` people, employee numbers 1 up, the same for the same options (see the module
 * comment for the awkward cases they include).
 */
export function generatePeople(options: GenerationOptions): GeneratedPerson[] {
	const random = createRng(options.seed);
	const usedMail = new Map<string, number>();
	const people: GeneratedPerson[] = [];
	for (let index = 0; index < options.employeeCount; index++) {
		people.push(generatedPerson(random, index, options, usedMail));
	}
	plantAwkwardCases(people, options.today);
	return people;
}

/** Guarantees each awkward case at least once, whatever the seed (positions spread over the set). */
function plantAwkwardCases(people: GeneratedPerson[], today: string): void {
	const count = people.length;
	if (count < 9) return;
	const at = (slot: number) => people[Math.floor((count * (slot + 0.5)) / 9)];
	Object.assign(at(0), { startDate: addDays(today, 14), endDate: null });
	Object.assign(at(1), { startDate: addDays(today, -900), endDate: addDays(today, -30) });
	Object.assign(at(2), { startDate: addDays(today, -400), endDate: today });
	Object.assign(at(3), { startDate: addDays(today, -400), endDate: addDays(today, 45) });
	Object.assign(at(4), { email: null });
	const shared = at(5);
	shared.email = `filiaal${shared.orgUnitId}@voorbeeld.nl`;
	Object.assign(at(6), {
		email: shared.email,
		orgUnitId: shared.orgUnitId,
		employerId: shared.employerId,
	});
	Object.assign(at(7), {
		firstName: 'Łukasz',
		initials: 'Ł.',
		prefix: null,
		birthName: 'Wójcik',
		lastName: 'Wójcik',
		email: 'lukasz.wojcik.planted@voorbeeld.nl',
		isoCode: 'PL',
	});
	Object.assign(at(8), { functionId: 'F08', orgUnitId: '090', employerId: '01' });
}

interface FieldSpec {
	id: string;
	dataType: AfasDataType;
	label: string;
	length?: number;
}

/** Fills the metainfo keys AFAS always sends, in AFAS' key order. */
export function completeFieldMeta(
	fields: ReadonlyArray<Partial<AfasFieldMeta> & { id: string; dataType: AfasDataType }>,
): AfasFieldMeta[] {
	return fields.map((field, index) => ({
		id: field.id,
		fieldId: field.fieldId ?? `U${String(index + 1).padStart(3, '0')}`,
		dataType: field.dataType,
		label: field.label ?? field.id,
		length: field.length ?? defaultLength(field.dataType),
		// No published enumeration; 1 (edit box) and 23 (remarks/blob) are the values seen.
		controlType: field.controlType ?? (field.dataType === 'blob' ? 23 : 1),
		decimals: field.decimals ?? (field.dataType === 'decimal' ? 2 : 0),
		decimalsFieldId: field.decimalsFieldId ?? '',
	}));
}

function defaultLength(dataType: AfasDataType): number {
	const lengths: Record<AfasDataType, number> = {
		string: 255,
		int: 9,
		decimal: 12,
		date: 0,
		boolean: 1,
		blob: 0,
	};
	return lengths[dataType];
}

const spec = (id: string, dataType: AfasDataType, label: string, length?: number): FieldSpec => ({
	id,
	dataType,
	label,
	length,
});

/** The name of the entry with `id`; throws when there is none (a fixture bug). */
function nameOf(entries: ReadonlyArray<{ id: string; name: string }>, id: string): string {
	const entry = entries.find((candidate) => candidate.id === id);
	if (!entry) throw new Error(`AFAS sandbox fixture: no entry '${id}'`);
	return entry.name;
}
const orgName = (id: string) => nameOf(ORG_UNITS, id);
const functionName = (id: string) => nameOf(FUNCTIONS, id);
const employerName = (id: string) => nameOf(EMPLOYERS, id);

/** MobieTrain's connector: one row per person, the help article's columns. */
function mobietrainEmployees(people: readonly GeneratedPerson[]): AfasConnectorFixture {
	return {
		id: AFAS_CONNECTOR_IDS.mobietrainEmployees,
		description: 'MobieTrain medewerkers',
		fields: completeFieldMeta(
			MOBIETRAIN_FIELDS.map(([id, dataType]) => ({ id, dataType, label: id })),
		),
		rows: people.map((person) => ({
			email: person.email,
			employerId: person.employerId,
			employerName: employerName(person.employerId),
			employementEndDate: afasDate(person.endDate),
			employmentStartDate: afasDate(person.startDate),
			externalId: person.employeeId,
			firstName: person.firstName,
			functionId: person.functionId,
			functionDescription: functionName(person.functionId),
			lastName: person.lastName,
			organizationId: person.orgUnitId,
			organizationName: orgName(person.orgUnitId),
			isoCode: person.isoCode,
		})),
	};
}

/** Oneteam's communities: the organisational units. */
function oneteamCommunities(): AfasConnectorFixture {
	return {
		id: AFAS_CONNECTOR_IDS.oneteamCommunities,
		description: 'Oneteam communities (organisatorische eenheden)',
		fields: completeFieldMeta([
			spec('id', 'string', 'Organisatorische eenheid', 15),
			spec('name', 'string', 'Omschrijving', 80),
		]),
		rows: ORG_UNITS.map((unit) => ({ id: unit.id, name: unit.name })),
	};
}

/** Oneteam's functions. */
function oneteamFunctions(): AfasConnectorFixture {
	return {
		id: AFAS_CONNECTOR_IDS.oneteamFunctions,
		description: 'Oneteam functies',
		fields: completeFieldMeta([
			spec('id', 'string', 'Functie', 15),
			spec('name', 'string', 'Omschrijving', 80),
		]),
		rows: FUNCTIONS.map((fn) => ({ id: fn.id, name: fn.name })),
	};
}

/** Oneteam's users: one row per person, with community and function ids. */
function oneteamUsers(people: readonly GeneratedPerson[]): AfasConnectorFixture {
	return {
		id: AFAS_CONNECTOR_IDS.oneteamUsers,
		description: 'Oneteam gebruikers',
		fields: completeFieldMeta([
			spec('id', 'string', 'Medewerker', 15),
			spec('email', 'string', 'E-mail werk', 255),
			spec('firstName', 'string', 'Roepnaam', 50),
			spec('lastName', 'string', 'Achternaam', 80),
			spec('dateOfBirth', 'date', 'Geboortedatum'),
			spec('phone', 'string', 'Mobiel werk', 30),
			spec('language', 'string', 'Taal (ISO 639-1)', 2),
			spec('invitationDate', 'date', 'Uitnodigingsdatum'),
			spec('outOfServiceDate', 'date', 'Datum uit dienst'),
			spec('communityId', 'string', 'Organisatorische eenheid', 15),
			spec('functionId', 'string', 'Functie', 15),
		]),
		rows: people.map((person) => ({
			id: person.employeeId,
			email: person.email,
			firstName: person.firstName,
			lastName: person.lastName,
			dateOfBirth: afasDate(person.dateOfBirth),
			phone: person.mobile,
			language: person.isoCode === null ? null : person.isoCode.toLowerCase(),
			invitationDate: afasDate(addDays(person.startDate, -7)),
			outOfServiceDate: afasDate(person.endDate),
			communityId: person.orgUnitId,
			functionId: person.functionId,
		})),
	};
}

/** The fields of AFAS' standard employee connector, in its order. */
const PROFIT_EMPLOYEE_FIELDS: FieldSpec[] = [
	spec('EmployeeId', 'string', 'Employee', 15),
	spec('PersonId', 'string', 'Person', 15),
	spec('EmployerId', 'string', 'Employer', 15),
	spec('BSN', 'string', 'Social security number', 9),
	spec('BirthName', 'string', 'Birth name', 80),
	spec('Initials', 'string', 'Initials', 15),
	spec('PrefixBirthName', 'string', 'Prefix', 15),
	spec('DateOfBirth', 'date', 'Date of birth'),
	spec('Gender', 'string', 'Gender', 1),
	spec('MaritalStatus', 'string', 'Marital status', 1),
	spec('PrefixPartner', 'string', 'Prefix partner', 15),
	spec('BirthNamePartner', 'string', 'Birth name partner', 80),
	spec('NameUse', 'string', 'Name use', 1),
	spec('Mobile', 'string', 'Mobile (private)', 30),
	spec('Phone', 'string', 'Phone (private)', 30),
	spec('Street', 'string', 'Street', 80),
	spec('HouseNumber', 'int', 'House number', 9),
	spec('AddNumber', 'string', 'Addition to house number', 30),
	spec('ZIPCode', 'string', 'ZIP code', 20),
	spec('City', 'string', 'City', 50),
	spec('Country', 'string', 'Country', 3),
	spec('EmploymentStart', 'date', 'Employment start date'),
	spec('EmploymentEnd', 'date', 'Employment end date'),
	spec('HourPerWeek', 'decimal', 'Hours per week', 5),
	spec('EmploymentType', 'string', 'Employment type', 2),
	spec('EmploymentTypeDesc', 'string', 'Employment type description', 50),
	spec('FTE', 'decimal', 'FTE', 6),
	spec('OrgUnit', 'string', 'Organisational unit', 15),
	spec('OrgUnitDesc', 'string', 'Organisational unit description', 80),
	spec('FunctionId', 'string', 'Job', 15),
	spec('FunctionDesc', 'string', 'Job description', 80),
	spec('DateDeceased', 'date', 'Date of death'),
	spec('Mail', 'string', 'E-mail (work)', 255),
	spec('FirstName', 'string', 'Usual name', 50),
];

/** AFAS' standard employee connector: one row per person, English field ids. */
function profitEmployees(people: readonly GeneratedPerson[]): AfasConnectorFixture {
	return {
		id: AFAS_CONNECTOR_IDS.profitEmployees,
		description: 'Employee data',
		fields: completeFieldMeta(PROFIT_EMPLOYEE_FIELDS).map((field) =>
			field.id === 'FTE' ? { ...field, decimals: 4 } : field,
		),
		rows: people.map((person) => ({
			EmployeeId: person.employeeId,
			PersonId: person.personId,
			EmployerId: person.employerId,
			BSN: person.bsn,
			BirthName: person.birthName,
			Initials: person.initials,
			PrefixBirthName: person.prefix,
			DateOfBirth: afasDate(person.dateOfBirth),
			Gender: person.gender,
			MaritalStatus: null,
			PrefixPartner: null,
			BirthNamePartner: null,
			NameUse: '0',
			Mobile: person.mobile,
			Phone: person.phone,
			Street: person.street,
			HouseNumber: person.houseNumber,
			AddNumber: person.addNumber,
			ZIPCode: person.zipCode,
			City: person.city,
			Country: 'NL',
			EmploymentStart: afasDate(person.startDate),
			EmploymentEnd: afasDate(person.endDate),
			HourPerWeek: person.hoursPerWeek,
			EmploymentType: person.permanent ? 'V' : 'T',
			EmploymentTypeDesc: person.permanent ? 'Vast' : 'Tijdelijk',
			FTE: person.fte,
			OrgUnit: person.orgUnitId,
			OrgUnitDesc: orgName(person.orgUnitId),
			FunctionId: person.functionId,
			FunctionDesc: functionName(person.functionId),
			DateDeceased: null,
			Mail: person.email,
			FirstName: person.firstName,
		})),
	};
}

/** A Dutch-aliased custom connector with a fixed filter: the people in service on `today`. */
function medewerkersInDienst(
	people: readonly GeneratedPerson[],
	today: string,
): AfasConnectorFixture {
	// Fixed filter of the connector definition: in service today (started, not yet left).
	const inService = people.filter(
		(person) => person.startDate <= today && (person.endDate === null || person.endDate >= today),
	);
	return {
		id: AFAS_CONNECTOR_IDS.medewerkersInDienst,
		description: 'Medewerkers in dienst',
		fields: completeFieldMeta([
			spec('Medewerker', 'string', 'Medewerker', 15),
			spec('Geblokkeerd', 'boolean', 'Geblokkeerd'),
			spec('EmailWork', 'string', 'E-mail werk', 255),
			spec('UserId', 'string', 'Gebruiker', 50),
			spec('PersonId', 'string', 'Persoon', 15),
			spec('EmploymentStartDate', 'date', 'Begindatum contract'),
			spec('EmploymentEndDate', 'date', 'Einddatum contract'),
		]),
		rows: inService.map((person) => ({
			Medewerker: person.employeeId,
			Geblokkeerd: person.blocked,
			EmailWork: person.email,
			UserId: person.userId,
			PersonId: person.personId,
			EmploymentStartDate: afasDate(person.startDate),
			EmploymentEndDate: afasDate(person.endDate),
		})),
	};
}

/** All fixture connectors for one set of people, rows in serialised (served) form. */
export function buildConnectors(
	people: readonly GeneratedPerson[],
	today: string,
): AfasConnectorFixture[] {
	return [
		mobietrainEmployees(people),
		oneteamCommunities(),
		oneteamFunctions(),
		oneteamUsers(people),
		profitEmployees(people),
		medewerkersInDienst(people, today),
	];
}
