import { DEFAULT_RAILS } from '../../nodes/ReconcileUsers/engine';
import { afasRow, mobieUser, plan } from './fixtures';

const ids = (count: number, from = 1) => Array.from({ length: count }, (_, i) => String(from + i));

describe('safety rails', () => {
	it('defaults that scale: 50 removals, or 5 % of the managed users, whichever is larger', () => {
		expect(DEFAULT_RAILS).toEqual({ maxRemovals: 50, maxRemovalPercent: 5, minHrPercent: 50 });
		expect(Object.isFrozen(DEFAULT_RAILS)).toBe(true);
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

	it('trips only when the removals exceed both the count and the percentage', () => {
		const app = ids(10).map((id) => mobieUser(id));
		const hr = ids(7).map((id) => afasRow(id));
		const result = plan(hr, app, { rails: { maxRemovals: 2, maxRemovalPercent: 20 } });
		expect(result.blocked).toMatchObject({ rail: 'maxRemovals' });
		expect(result.blocked?.message).toBe(
			'Safety rail: 3 of 10 managed app users (30%) would be deactivated or removed, more than both "Max Removals" = 2 and "Max Removals (%)" = 20% (a limit of 2 here)',
		);
		expect(result.blocked?.detail).toContain('the larger of Max Removals and Max Removals (%)');
		// Within either limit: no trip.
		expect(plan(hr, app, { rails: { maxRemovals: 3, maxRemovalPercent: 20 } }).blocked).toBeNull();
		expect(plan(hr, app, { rails: { maxRemovals: 2, maxRemovalPercent: 30 } }).blocked).toBeNull();
		// 0 % leaves the count alone; 100 % switches the removal rail off.
		expect(plan(hr, app, { rails: { maxRemovals: 2, maxRemovalPercent: 0 } }).blocked?.rail).toBe(
			'maxRemovals',
		);
		expect(plan(hr, app, { rails: { maxRemovals: 0, maxRemovalPercent: 100 } }).blocked).toBeNull();
	});

	it('counts HR-end-dated leavers and app-only users alike', () => {
		const app = ids(20).map((id) => mobieUser(id));
		const rails = { maxRemovals: 3 };
		const ended = ids(20).map((id, i) =>
			afasRow(id, i < 5 ? { employementEndDate: '2026-01-31' } : {}),
		);
		expect(plan(ended, app, { rails }).blocked?.message).toContain('5 of 20 managed app users');
		const gone = ids(15).map((id) => afasRow(id));
		expect(plan(gone, app, { rails }).blocked?.message).toContain('5 of 20 managed app users');
	});

	it('ignores a former setting that is not a rail any more (percentFloor)', () => {
		const app = ids(10).map((id) => mobieUser(id));
		const rails = { percentFloor: 1000 } as unknown as Record<string, number>;
		expect(
			plan(
				ids(9).map((id) => afasRow(id)),
				app,
				{ rails },
			).blocked,
		).toBeNull();
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

describe('safety rail defaults scale with the company', () => {
	/** `managed` users in HR and the app; the first `leavers` have an end date, `renames` moved. */
	function day(managed: number, leavers: number, renames = 0) {
		const hr = ids(managed).map((id, i) =>
			afasRow(
				id,
				i < leavers
					? { employementEndDate: '2026-03-31' }
					: i < leavers + renames
						? { lastName: `Renamed${id}` }
						: {},
			),
		);
		return plan(
			hr,
			ids(managed).map((id) => mobieUser(id)),
		);
	}

	it('10 managed users: a small company’s leavers never trip it, a broken HR read does', () => {
		expect(day(10, 10).blocked).toBeNull();
		expect(day(10, 10).remove).toHaveLength(10);
		const app = ids(10).map((id) => mobieUser(id));
		expect(plan([], app).blocked?.rail).toBe('emptyHr');
		expect(
			plan(
				ids(4).map((id) => afasRow(id)),
				app,
			).blocked?.rail,
		).toBe('smallHr');
	});

	it('40 managed users: HR naming other people (a wrong connector or key) trips it, a 20-person department leaving does not', () => {
		const app = ids(40).map((id) => mobieUser(id));
		const others = plan(
			ids(40, 1000).map((id) => afasRow(id)),
			app,
		);
		expect(others.blocked?.rail).toBe('maxRemovals');
		expect(others.blocked?.message).toBe(
			'Safety rail: 40 of 40 managed app users (100%) are not in the HR input and would be deactivated or removed, more than 50% of them',
		);
		const half = plan(
			[...ids(20).map((id) => afasRow(id)), ...ids(20, 1000).map((id) => afasRow(id))],
			app,
		);
		expect(half.blocked).toBeNull();
		expect(half.summary.removals).toBe(20);
		const overHalf = plan(
			[...ids(19).map((id) => afasRow(id)), ...ids(21, 1000).map((id) => afasRow(id))],
			app,
		);
		expect(overHalf.blocked?.rail).toBe('maxRemovals');
	});

	it('the majority ceiling follows Max Removals (%) above 50 and is off at 100', () => {
		const app = ids(40).map((id) => mobieUser(id));
		const hr = ids(40, 1000).map((id) => afasRow(id));
		expect(plan(hr, app, { rails: { maxRemovalPercent: 100 } }).blocked).toBeNull();
		const raised = plan(
			[...ids(12).map((id) => afasRow(id)), ...ids(28, 1000).map((id) => afasRow(id))],
			app,
			{ rails: { maxRemovalPercent: 75 } },
		);
		expect(raised.blocked).toBeNull();
		expect(raised.summary.removals).toBe(28);
	});

	it('1,000 managed users: the limit is the count, 50 (5 %)', () => {
		expect(day(1000, 50).blocked).toBeNull();
		const over = day(1000, 51);
		expect(over.blocked?.rail).toBe('maxRemovals');
		expect(over.blocked?.message).toContain('(a limit of 50 here)');
	});

	it('50,000 managed users: a 1 % leaver day (500) passes with its 500 renames; over 5 % trips', () => {
		const normal = day(50_000, 500, 500);
		expect(normal.blocked).toBeNull();
		expect(normal.summary.counts).toMatchObject({ deactivate: 500, update: 500 });
		const over = day(50_000, 2_501);
		expect(over.blocked?.message).toBe(
			'Safety rail: 2,501 of 50,000 managed app users (5.002%) would be deactivated or removed, more than both "Max Removals" = 50 and "Max Removals (%)" = 5% (a limit of 2,500 here)',
		);
		expect(day(50_000, 2_500).blocked).toBeNull();
	});
});

describe('users already deactivated are not part of the managed base', () => {
	// A Declaree-style app (users cannot be deleted) keeps every former employee deactivated.
	const active = (n: number) => ids(n).map((id) => mobieUser(id));
	const former = (n: number) => ids(n, 5000).map((id) => mobieUser(id, { status: 'deactivated' }));

	it('one leaver of 100 does not trip Min HR Size because 300 former employees are deactivated', () => {
		const hr = ids(100)
			.slice(1)
			.map((id) => afasRow(id));
		const result = plan(hr, [...active(100), ...former(300)]);
		expect(result.blocked).toBeNull();
		expect(result.summary.managedAppUsers).toBe(100);
		expect(result.remove.map((item) => item.appId)).toEqual(['u1']);
	});

	it('the removal limit does not grow with the deactivated users', () => {
		// 1,000 active: a connector filter drops 60 (6 %); 3,000 deactivated would make it 1.5 %.
		const hr = ids(1000)
			.slice(60)
			.map((id) => afasRow(id));
		const result = plan(hr, [...active(1000), ...former(3000)]);
		expect(result.blocked?.rail).toBe('maxRemovals');
		expect(result.blocked?.message).toContain('60 of 1,000 managed app users (6%)');
	});

	it('deactivated users that Leaver Action Remove deletes count in the base, once', () => {
		// Only former employees in the app; Remove would delete 60: 60 of 60, not "of 0".
		const result = plan(
			ids(10, 100).map((id) => afasRow(id)),
			former(60),
			{ leaverAction: 'remove', rails: { minHrPercent: 0 } },
		);
		expect(result.summary.managedAppUsers).toBe(60);
		expect(result.blocked?.message).toContain('60 of 60 managed app users (100%)');
	});
});
