/**
 * Rehires: several HR records for one person (AFAS connectors that return one row per
 * employment), and an email given again to a new hire.
 */
import { declareeUser, bobEmployee, afasRow, itemFor, mobieUser, plan } from './fixtures';

const dates = (start: string, end: string | null = null) => ({
	employmentStartDate: `${start}T00:00:00Z`,
	employementEndDate: end ? `${end}T00:00:00Z` : null,
});

describe('one row per employment: the current one speaks for the person', () => {
	const old = afasRow('1', dates('2020-01-01', '2023-06-30'));
	const current = afasRow('1', { ...dates('2025-09-01'), lastName: 'Rehired' });

	it('uses the row current on the reference date and says so; the old row is skipped', () => {
		const result = plan([old, current], [mobieUser('1', { status: 'deactivated' })]);
		const used = itemFor(result, 1);
		expect(used.action).toBe('reactivate');
		expect(used.changes.map((change) => change.field)).toEqual(['status', 'lastName']);
		expect(used.reason).toContain(
			"(2 HR records share this person's key: the one current on 2026-04-01 (from 2025-09-01) is used.)",
		);
		const skipped = itemFor(result, 0);
		expect(skipped).toMatchObject({ action: 'skip', appIndex: -1 });
		expect(skipped.reason).toBe(
			"HR record First1 Last1 (external ID 1) (from 2020-01-01 to 2023-06-30) is skipped: HR item 2 is used for this person (2 HR records share this person's key: the one current on 2026-04-01 (from 2025-09-01) is used).",
		);
		expect(result.conflicts).toHaveLength(0);
	});

	it('in either order, and is updated again on the next days (no endless conflict)', () => {
		const result = plan([current, old], [mobieUser('1', { lastName: 'Rehired' })]);
		expect(itemFor(result, 0).action).toBe('unchanged');
		expect(itemFor(result, 1).action).toBe('skip');
		const moved = plan(
			[afasRow('1', { ...dates('2025-09-01'), lastName: 'Moved' }), old],
			[mobieUser('1', { lastName: 'Rehired' })],
		);
		expect(itemFor(moved, 0).action).toBe('update');
	});

	it('two current rows with different data stay a conflict', () => {
		const result = plan(
			[afasRow('1', dates('2024-01-01')), afasRow('1', { ...dates('2025-01-01'), lastName: 'X' })],
			[mobieUser('1')],
		);
		// The app user they both claim is held too: never removed on a guess.
		expect(result.conflicts.map((item) => item.conflict?.code)).toEqual([
			'duplicateHrKey',
			'duplicateHrKey',
			'claimedByConflict',
		]);
		expect(result.remove).toHaveLength(0);
	});

	it('the same row twice is one person', () => {
		const result = plan([afasRow('1'), afasRow('1')], [mobieUser('1')]);
		expect(itemFor(result, 0).action).toBe('unchanged');
		expect(itemFor(result, 0).reason).toContain('they are identical; the first is used');
		expect(itemFor(result, 1).action).toBe('skip');
	});

	it('every row ended: a leaver, from the last employment', () => {
		const result = plan(
			[old, afasRow('1', { ...dates('2023-09-01', '2025-12-31'), lastName: 'Later' })],
			[mobieUser('1')],
		);
		const used = itemFor(result, 1);
		expect(used.action).toBe('deactivate');
		expect(used.reason).toContain(
			'none is current on 2026-04-01: the last one ended on 2025-12-31',
		);
		expect(itemFor(result, 0).action).toBe('skip');
	});

	describe('between two employments (left, rehired from next month)', () => {
		const next = afasRow('1', { ...dates('2026-05-01'), lastName: 'Back' });

		it('a leaver until the new employment comes within the invite lead time', () => {
			const result = plan([old, next], [mobieUser('1')]);
			const used = itemFor(result, 0);
			expect(used.action).toBe('deactivate');
			expect(used.reason).toContain('until the next one starts on 2026-05-01');
			// Already deactivated: left as it is until then.
			expect(
				itemFor(plan([old, next], [mobieUser('1', { status: 'deactivated' })]), 0).action,
			).toBe('unchanged');
		});

		it('within the invite lead time: the new employment is used (reactivated ahead, like a joiner)', () => {
			const result = plan([old, next], [mobieUser('1', { status: 'deactivated' })], {
				inviteLeadDays: 30,
			});
			const used = itemFor(result, 1);
			expect(used.action).toBe('reactivate');
			expect(used.reason).toContain(
				'the next one (from 2026-05-01, within the invite lead time) is used',
			);
		});

		it('from the new start date on, the new employment is current', () => {
			const result = plan([old, next], [mobieUser('1', { status: 'deactivated' })], {
				asOf: '2026-05-01',
			});
			expect(itemFor(result, 1).action).toBe('reactivate');
		});

		it('two next employments starting the same day with different data: a conflict', () => {
			const other = afasRow('1', { ...dates('2026-05-01'), lastName: 'Other' });
			const result = plan([old, next, other], [mobieUser('1')]);
			expect(result.conflicts.map((item) => [item.hrIndex, item.conflict?.code])).toEqual([
				[0, 'duplicateHrKey'],
				[1, 'duplicateHrKey'],
				[2, 'duplicateHrKey'],
				[-1, 'claimedByConflict'],
			]);
		});
	});

	it('a manager with two employment rows is still found for their reports', () => {
		const manager = (start: string, end: string | null) =>
			bobEmployee('m', {
				work: { startDate: start },
				internal: { terminationDate: end, status: end ? 'Inactive' : 'Active' },
			});
		const report = bobEmployee('r', { work: { reportsTo: { id: 'm' } } });
		const result = plan(
			[manager('2019-01-01', '2022-12-31'), manager('2024-01-01', null), report],
			[declareeUser('m'), declareeUser('r')],
			{ source: 'hibob', target: 'declaree' },
		);
		expect(itemFor(result, 2).manager).toMatchObject({ status: 'resolved', appId: 'dm' });
		expect(itemFor(result, 2).payload).toEqual({ managerId: 'dm' });
	});
});

describe('an email reused for a new hire', () => {
	const newHire = afasRow('2001', { email: 'sam@example.com' });
	const oldUser = mobieUser('x', {
		id: 'u-old',
		externalId: null,
		email: 'sam@example.com',
		status: 'deactivated',
	});

	it('a match by email alone to a deactivated user is a conflict to confirm', () => {
		const result = plan([newHire], [oldUser]);
		const item = itemFor(result, 0);
		expect(item.action).toBe('conflict');
		expect(item.conflict).toEqual({
			code: 'emailReuseOfDeactivatedUser',
			hrIndexes: [0],
			appIndexes: [0],
		});
		expect(item.reason).toBe(
			'First2001 Last2001 (external ID 2001) matches the deactivated app user "u-old" by email alone (it carries no external ID): the email may have been given to a new hire, who would get the old account and its history if it were reactivated. Check whether this is the same person: if so, set the app user\'s external ID to "2001" (or turn on "Reactivate Users Matched by Email Only"); if not, change the old user\'s email so that a new user is created.',
		);
		// Neither reactivated nor created nor removed.
		expect(result.update).toHaveLength(0);
		expect(result.create).toHaveLength(0);
		expect(result.remove).toHaveLength(0);
	});

	it('the builder can opt in: then the old user is reactivated', () => {
		const result = plan([newHire], [oldUser], { reactivateEmailOnlyMatches: true });
		expect(itemFor(result, 0).action).toBe('reactivate');
	});

	it('a match the external ID confirms is a plain rehire', () => {
		const confirmed = mobieUser('2001', {
			email: 'sam@example.com',
			status: 'deactivated',
		});
		const result = plan([newHire], [confirmed], { matchOn: ['email', 'externalId'] });
		expect(itemFor(result, 0).action).toBe('reactivate');
	});

	it('an active user matched by email alone is updated as before (it gets the external ID)', () => {
		const result = plan([newHire], [{ ...oldUser, status: 'active' }]);
		expect(itemFor(result, 0).action).toBe('update');
		expect(itemFor(result, 0).payload).toMatchObject({ externalId: '2001' });
	});

	it('a leaver matched that way stays deactivated, nothing to confirm', () => {
		const result = plan([{ ...newHire, employementEndDate: '2026-01-31T00:00:00Z' }], [oldUser]);
		expect(itemFor(result, 0).action).toBe('unchanged');
	});
});
