import { DEFAULT_RAILS } from '../../nodes/ReconcileUsers/engine';
import { afasRow, mobieUser, plan } from './fixtures';

const ids = (count: number, from = 1) => Array.from({ length: count }, (_, i) => String(from + i));

describe('safety rails', () => {
	it('defaults in the spirit of Okta’s 20 % safeguard', () => {
		expect(DEFAULT_RAILS).toEqual({
			maxRemovals: 100,
			maxRemovalPercent: 20,
			percentFloor: 20,
			minHrPercent: 50,
		});
	});

	it('an empty HR input never removes anyone', () => {
		const result = plan(
			[],
			ids(3).map((id) => mobieUser(id)),
		);
		expect(result.blocked?.rail).toBe('emptyHr');
		expect(result.blocked?.message).toContain('the HR input is empty');
		expect(result.blocked?.message).toContain('3 of 3 managed app users');
		// The plan is still complete, for the Plan output.
		expect(result.remove).toHaveLength(3);
	});

	it('an empty HR input with nothing to remove is fine (nothing to protect)', () => {
		expect(plan([], [mobieUser('x', { externalId: null })]).blocked).toBeNull();
		expect(plan([], []).blocked).toBeNull();
	});

	it('a suspiciously small HR input (below the % of managed app users) removes no one', () => {
		const app = ids(40).map((id) => mobieUser(id));
		const hr = ids(19).map((id) => afasRow(id));
		const blocked = plan(hr, app, { rails: { maxRemovalPercent: 100, maxRemovals: 1000 } });
		expect(blocked.blocked?.rail).toBe('smallHr');
		expect(blocked.blocked?.message).toContain('only 47.5% of the 40 managed app users');
		expect(blocked.blocked?.message).toContain('"Min HR Size (% of App)" = 50%');
		const atLimit = plan(
			ids(20).map((id) => afasRow(id)),
			app,
			{ rails: { maxRemovalPercent: 100, maxRemovals: 1000 } },
		);
		expect(atLimit.blocked).toBeNull();
	});

	it('trips on more removals than the count limit, naming the setting', () => {
		const app = ids(10).map((id) => mobieUser(id));
		const hr = ids(7).map((id) => afasRow(id));
		const result = plan(hr, app, { rails: { maxRemovals: 2, maxRemovalPercent: 100 } });
		expect(result.blocked).toMatchObject({ rail: 'maxRemovals' });
		expect(result.blocked?.message).toBe(
			'Safety rail: 3 app users would be deactivated or removed, more than "Max Removals" = 2',
		);
		expect(plan(hr, app, { rails: { maxRemovals: 3, maxRemovalPercent: 100 } }).blocked).toBeNull();
	});

	it('trips on more than the percentage of managed app users, from the floor on', () => {
		const app = ids(20).map((id) => mobieUser(id));
		const fiveLeavers = plan(
			ids(15).map((id) => afasRow(id)),
			app,
		);
		expect(fiveLeavers.blocked?.rail).toBe('maxRemovalPercent');
		expect(fiveLeavers.blocked?.message).toContain('5 of 20 managed app users (25%)');
		expect(fiveLeavers.blocked?.message).toContain('"Max Removals (%)" = 20%');
		expect(
			plan(
				ids(16).map((id) => afasRow(id)),
				app,
			).blocked,
		).toBeNull();
		// Below the floor the percentage does not apply (one leaver of five is 20 %+).
		const small = ids(5).map((id) => mobieUser(id));
		expect(
			plan(
				ids(3).map((id) => afasRow(id)),
				small,
			).blocked,
		).toBeNull();
	});

	it('counts HR-end-dated leavers and app-only users alike', () => {
		const app = ids(20).map((id) => mobieUser(id));
		const hr = ids(20).map((id, i) =>
			afasRow(id, i < 5 ? { employementEndDate: '2026-01-31' } : {}),
		);
		expect(plan(hr, app).blocked?.rail).toBe('maxRemovalPercent');
	});

	it('does not count expired invitations against the count and percentage limits', () => {
		const app = ids(20).map((id) =>
			mobieUser(id, { status: 'invited', invitedAt: '2025-01-01T00:00:00Z' }),
		);
		const result = plan(
			ids(20).map((id) => afasRow(id)),
			app,
		);
		expect(result.remove).toHaveLength(20);
		expect(result.summary.removals).toBe(0);
		expect(result.blocked).toBeNull();
	});

	it('protected and unmanaged users are not part of the managed base', () => {
		const app = [
			...ids(20).map((id) => mobieUser(id)),
			...ids(10, 100).map((id) => mobieUser(id, { externalId: null })),
		];
		const result = plan(
			ids(16).map((id) => afasRow(id)),
			app,
			{ protectedUsers: ['u1'] },
		);
		expect(result.summary.managedAppUsers).toBe(19);
	});
});
