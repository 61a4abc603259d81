/**
 * Generated HR and app data for the Reconcile Users benchmark and the engine's scale tests:
 * N HR rows in the AFAS MobieTrain-style connector shape and the app's users in the
 * MobieTrain-style shape, with 5 % joiners (HR only), 5 % leavers (app only), 10 % movers
 * (job changed) and 2 % ended employments. Deterministic (seeded), no clock. The records are
 * JSON round-tripped, as n8n hands over items that came from an HTTP response.
 */
import { createRng } from '../../sandbox/random';

export interface BenchData {
	hr: Array<Record<string, unknown>>;
	app: Array<Record<string, unknown>>;
	expected: { joiners: number; appOnly: number; movers: number; ended: number };
}

const FIRST = [
	'Jan',
	'Anna',
	'Pieter',
	'Sanne',
	'Mohammed',
	'Lotte',
	'Daan',
	'Émile',
	'Fleur',
	'Sem',
];
const LAST = [
	'de Vries',
	'Jansen',
	'Bakker',
	'Visser',
	'Smit',
	'Meijer',
	'Mulder',
	'de Boer',
	'Bos',
	'Peters',
];
const FUNCTIONS = Array.from({ length: 40 }, (_, i) => ({
	id: `F${String(i).padStart(3, '0')}`,
	name: `Function ${i}`,
}));
const ORGS = Array.from({ length: 120 }, (_, i) => ({
	id: `S${String(i).padStart(3, '0')}`,
	name: `Store ${i}`,
}));

export function generateData(n: number, seed = 42): BenchData {
	const rand = createRng(seed);
	const pick = <T>(list: T[]): T => list[Math.floor(rand() * list.length)];
	const hr: Array<Record<string, unknown>> = [];
	const app: Array<Record<string, unknown>> = [];
	const expected = { joiners: 0, appOnly: 0, movers: 0, ended: 0 };
	for (let i = 0; i < n; i++) {
		const externalId = String(100000 + i);
		const firstName = pick(FIRST);
		const lastName = pick(LAST);
		const email = `${firstName.toLowerCase()}.${i}@example.com`;
		const fn = pick(FUNCTIONS);
		const org = pick(ORGS);
		const roll = rand();
		const row = {
			email,
			employerId: 'E01',
			employerName: 'Example BV',
			employementEndDate: null as string | null,
			employmentStartDate: `20${10 + (i % 15)}-0${1 + (i % 9)}-01T00:00:00Z`,
			externalId,
			firstName,
			functionId: fn.id,
			functionDescription: fn.name,
			lastName,
			organizationId: org.id,
			organizationName: org.name,
			isoCode: 'NL',
		};
		const user = {
			id: `usr_${i}`,
			externalId,
			email,
			firstName,
			lastName,
			language: 'NL',
			jobDescription: fn.name,
			groups: [fn.id],
			stores: [org.id],
			status: 'active',
			invitedAt: null,
		};
		if (roll < 0.05) {
			expected.joiners++;
			hr.push(row);
		} else if (roll < 0.1) {
			expected.appOnly++;
			app.push(user);
		} else {
			if (roll < 0.2) {
				const moved = FUNCTIONS[(FUNCTIONS.indexOf(fn) + 1) % FUNCTIONS.length];
				row.functionId = moved.id;
				row.functionDescription = moved.name;
				expected.movers++;
			} else if (roll < 0.22) {
				row.employementEndDate = '2020-12-31T00:00:00Z';
				expected.ended++;
			}
			hr.push(row);
			app.push(user);
		}
	}
	// As n8n hands them over after an HTTP call: parsed JSON (flat strings, no shared objects).
	return { hr: JSON.parse(JSON.stringify(hr)), app: JSON.parse(JSON.stringify(app)), expected };
}
