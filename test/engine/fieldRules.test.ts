/**
 * Field rules of people mode: identity fields are never blanked, values of the same meaning
 * compare equal (so a second run after applying a plan changes nothing), and invisible
 * characters never make a second account.
 */
import { DateTime } from 'luxon';

import {
	reconcile,
	type Plan,
	type SourceMapping,
	type TargetProfile,
} from '../../nodes/ReconcileUsers/engine';
import { allItems, afasRow, itemFor, mobieUser, plan, type Row } from './fixtures';

const AS_OF = '2026-04-01';
const ZONE = 'Europe/Amsterdam';

const source: SourceMapping = {
	name: 'custom',
	label: 'Custom',
	fields: { externalId: { paths: ['id'] }, email: { paths: ['email'] } },
};

/** A custom target with a boolean status, the given fields and the default paths. */
function customTarget(fields: TargetProfile['fields']): TargetProfile {
	return {
		name: 'custom',
		label: 'custom',
		idPath: 'id',
		externalIdPath: 'externalId',
		emailPath: 'email',
		status: { type: 'boolean', path: 'active' },
		fields,
	};
}

describe('a match key or login field is never blanked', () => {
	// Email mapped with compare Email, Required off (the default of a custom row).
	const target = customTarget([{ app: 'email', from: 'email', compare: 'email' }]);
	const appUser = (n: number): Row => ({
		id: `a${n}`,
		externalId: String(n),
		email: `p${n}@example.com`,
		active: true,
	});

	it('an empty email in HR is a conflict, not an update {"email": null}', () => {
		const result = reconcile([{ id: '1', email: null }], [appUser(1)], {
			source,
			target,
			asOf: AS_OF,
		});
		expect(result.update).toHaveLength(0);
		const item = itemFor(result, 0);
		expect(item.action).toBe('conflict');
		expect(item.conflict).toEqual({
			code: 'missingRequiredField',
			hrIndexes: [0],
			appIndexes: [0],
		});
		expect(item.reason).toBe(
			'HR record external ID 1 has no email for the app\'s field "email", which users are matched on or log in with and which is never blanked: fix it in HR.',
		);
	});

	it('50 such people: 50 conflicts and no updates (nothing to trip a rail over)', () => {
		const n = Array.from({ length: 50 }, (_, i) => i + 1);
		const result = reconcile(
			n.map((i) => ({ id: String(i), email: i % 2 ? null : '' })),
			n.map(appUser),
			{ source, target, asOf: AS_OF },
		);
		expect(result.summary.counts).toMatchObject({ conflict: 50, update: 0 });
	});

	it('the external ID field too, and any field marked identity (a username)', () => {
		const withUsername = customTarget([
			{ app: 'externalId', from: 'externalId' },
			{ app: 'login.name', from: 'email', identity: true },
			{ app: 'email', from: 'email', compare: 'email' },
		]);
		const user = { ...appUser(1), login: { name: 'p1@example.com' } };
		const blank = reconcile([{ id: '1', email: '   ' }], [user], {
			source,
			target: withUsername,
			asOf: AS_OF,
		});
		expect(itemFor(blank, 0).reason).toContain('"login.name", which users are matched on');
		// Matched by email, HR sends no external ID: the app's external ID is never blanked.
		const noId = reconcile([{ id: null, email: 'p1@example.com' }], [user], {
			source,
			target: withUsername,
			asOf: AS_OF,
		});
		expect(itemFor(noId, 0).conflict?.code).toBe('missingRequiredField');
		expect(itemFor(noId, 0).reason).toContain('"externalId"');
	});

	it('a joiner without an email is a conflict, not a create without a login', () => {
		const result = reconcile([{ id: '9', email: null }], [], { source, target, asOf: AS_OF });
		expect(result.create).toHaveLength(0);
		expect(itemFor(result, 0).conflict?.code).toBe('missingRequiredField');
	});

	it('a field HR leaves out (not sent at all) is still left as it is', () => {
		const result = reconcile([{ id: '1' }, { id: '2', email: 'p2@example.com' }], [appUser(1)], {
			source,
			target,
			asOf: AS_OF,
		});
		expect(itemFor(result, 0).action).toBe('unchanged');
	});
});

describe('values of the same meaning compare equal', () => {
	const hrSource: SourceMapping = {
		name: 'custom',
		label: 'Custom',
		fields: {
			externalId: { paths: ['id'] },
			email: { paths: ['email'] },
			startDate: { paths: ['start'] },
			jobId: { paths: ['costCentre'] },
			orgName: { paths: ['remote'] },
		},
	};
	const target = customTarget([
		{ app: 'externalId', from: 'externalId' },
		{ app: 'email', from: 'email', compare: 'email' },
		// No compare set: guessed from the HR field (a start date compares as a date).
		{ app: 'startDate', from: 'startDate' },
		{ app: 'costCentre', from: 'jobId', compare: 'number' },
		{ app: 'remote', from: 'orgName', compare: 'boolean' },
	]);
	const config = { source: hrSource, target, asOf: AS_OF, timeZone: ZONE };
	const person = (n: number, start: string): Row => ({
		id: String(n),
		email: `p${n}@example.com`,
		start,
		costCentre: 1004,
		remote: true,
	});

	it('HR "2025-04-01" equals the app\'s "2025-04-01T00:00:00.000Z"; 1004 equals "1004"; true equals "true"', () => {
		const user = {
			id: 'a1',
			externalId: '1',
			email: 'p1@example.com',
			startDate: '2025-04-01T00:00:00.000Z',
			costCentre: '1004',
			remote: 'true',
			active: true,
		};
		const result = reconcile([person(1, '2025-04-01')], [user], config);
		expect(itemFor(result, 0).action).toBe('unchanged');
		const moved = reconcile([person(1, '2025-05-01')], [user], config);
		expect(itemFor(moved, 0).changes).toEqual([
			{ field: 'startDate', from: '2025-04-01T00:00:00.000Z', to: '2025-05-01' },
		]);
	});

	/**
	 * An app that stores what it is sent in its own way: dates as timestamps (midnight UTC,
	 * midnight with an offset, or midnight in Amsterdam as a UTC instant), numbers and booleans
	 * as text.
	 */
	function apply(result: Plan, app: Row[], storeDate: (date: string) => string): Row[] {
		const store = (payload: Row): Row => ({
			...payload,
			...(payload.startDate ? { startDate: storeDate(String(payload.startDate)) } : {}),
			...(payload.costCentre !== undefined ? { costCentre: String(payload.costCentre) } : {}),
			...(payload.remote !== undefined ? { remote: String(payload.remote) } : {}),
		});
		const next = app.map((user) => ({ ...user }));
		for (const item of result.update) Object.assign(next[item.appIndex], store(item.payload!));
		result.create.forEach((item, k) =>
			next.push({ id: `new${k}`, active: true, ...store(item.payload!) }),
		);
		return next;
	}

	it.each([
		['midnight UTC', (date: string) => `${date}T00:00:00.000Z`],
		['midnight with an offset', (date: string) => `${date}T00:00:00+02:00`],
		[
			'midnight in Amsterdam as a UTC instant',
			(date: string) => DateTime.fromISO(date, { zone: ZONE }).toUTC().toISO()!,
		],
	])(
		'a second run after applying the plan is all unchanged (dates stored as %s)',
		(_, storeDate) => {
			const hr = [person(1, '2025-04-01'), person(2, '2026-03-01'), person(3, '2024-10-15')];
			const app: Row[] = [
				{
					id: 'a1',
					externalId: '1',
					email: 'p1@example.com',
					startDate: '2025-01-01',
					costCentre: 999,
					remote: false,
					active: true,
				},
			];
			const first = reconcile(hr, app, config);
			expect(first.summary.counts).toMatchObject({ create: 2, update: 1 });
			expect(first.create[0].payload).toMatchObject({ costCentre: 1004, remote: true });
			const second = reconcile(hr, apply(first, app, storeDate), config);
			expect(allItems(second).map((item) => item.action)).toEqual([
				'unchanged',
				'unchanged',
				'unchanged',
			]);
		},
	);
});

describe('invisible characters never make a second account', () => {
	const ZWSP = '\u200B';
	const NBSP = '\u00A0';

	it('an HR email with a zero-width or no-break space around it matches the app user', () => {
		const hr = [
			afasRow('1', { email: `p1@example.com${ZWSP}` }),
			afasRow('2', { email: `${NBSP}p2@example.com${NBSP}` }),
			afasRow('3', { email: `\uFEFFp3@example.com` }),
		];
		// App users without an external ID: the email is the only key that can find them.
		const app = ['1', '2', '3'].map((id) => mobieUser(id, { externalId: null }));
		const result = plan(hr, app, { matchOn: ['email'] });
		expect(result.create).toHaveLength(0);
		expect(result.conflicts).toHaveLength(0);
		// Matched, and the app user gets its external ID; the email is not changed.
		expect(result.update.map((item) => item.changes.map((change) => change.field))).toEqual([
			['externalId'],
			['externalId'],
			['externalId'],
		]);
	});

	it('a joiner is created with the clean email', () => {
		const result = plan([afasRow('4', { email: `${ZWSP}p4@example.com ` })], []);
		expect(result.create[0].payload).toMatchObject({ email: 'p4@example.com' });
	});

	it('an external ID with a BOM matches; a name with a zero-width space is not a change', () => {
		const result = plan(
			[afasRow('5', { externalId: `\uFEFF5`, firstName: `First${ZWSP}5` })],
			[mobieUser('5')],
		);
		expect(itemFor(result, 0).action).toBe('unchanged');
	});
});
