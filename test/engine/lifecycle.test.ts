import { referenceDate } from '../../nodes/ReconcileUsers/engine';
import { AS_OF, afasRow, bobEmployee, declareeUser, itemFor, mobieUser, plan } from './fixtures';

describe('joiners: start date and invite lead time', () => {
	it('invites someone who starts today (the start date is the reference date)', () => {
		const result = plan([afasRow('1', { employmentStartDate: '2026-04-01T00:00:00Z' })], []);
		expect(itemFor(result, 0).action).toBe('create');
		expect(itemFor(result, 0).reason).toContain('started on 2026-04-01');
	});

	it('does not create someone who starts tomorrow (lead time 0)', () => {
		const result = plan([afasRow('1', { employmentStartDate: '2026-04-02T00:00:00Z' })], []);
		const item = itemFor(result, 0);
		expect(item.action).toBe('wait');
		expect(item.reason).toContain('starts on 2026-04-02');
		expect(result.create).toHaveLength(0);
	});

	it('invites exactly `lead time` days ahead, not a day earlier', () => {
		const atEdge = plan([afasRow('1', { employmentStartDate: '2026-04-15' })], [], {
			inviteLeadDays: 14,
		});
		expect(itemFor(atEdge, 0).action).toBe('create');
		expect(itemFor(atEdge, 0).reason).toContain('within the 14-day invite lead time');
		const beyond = plan([afasRow('1', { employmentStartDate: '2026-04-16' })], [], {
			inviteLeadDays: 14,
		});
		expect(itemFor(beyond, 0).action).toBe('wait');
		expect(itemFor(beyond, 0).reason).toContain('invited from 2026-04-02');
	});

	it('leaves alone an invited person whose start date moved back into the future', () => {
		const invited = mobieUser('1', {
			status: 'invited',
			invitedAt: '2026-03-20T08:00:00Z',
			lastName: 'Old',
		});
		const result = plan([afasRow('1', { employmentStartDate: '2026-06-01' })], [invited]);
		const item = itemFor(result, 0);
		expect(item.action).toBe('wait');
		expect(item.reason).toContain('left alone');
		expect(item.payload).toBeNull();
		expect(result.remove).toHaveLength(0);
		expect(result.update).toHaveLength(0);
	});

	it('creates with the full target payload (MobieTrain invitation)', () => {
		const result = plan([afasRow('7', { email: ' P7@Example.com ', isoCode: 'EN' })], []);
		expect(result.create[0].payload).toEqual({
			externalId: '7',
			email: 'p7@example.com',
			firstName: 'First7',
			lastName: 'Last7',
			language: 'EN',
			jobDescription: 'Sales',
			groups: ['F01'],
			stores: ['S01'],
		});
		expect(result.create[0].hr).toMatchObject({
			externalId: '7',
			email: 'p7@example.com',
			startDate: '2024-01-01',
			endDate: null,
		});
	});
});

describe('leavers: end date and HR status', () => {
	it('keeps someone whose end date is today (the end date is still a working day)', () => {
		const result = plan(
			[afasRow('1', { employementEndDate: '2026-04-01T00:00:00Z' })],
			[mobieUser('1')],
		);
		expect(itemFor(result, 0).action).toBe('unchanged');
	});

	it('deactivates someone whose end date was yesterday (default leaver action)', () => {
		const result = plan(
			[afasRow('1', { employementEndDate: '2026-03-31T00:00:00Z' })],
			[mobieUser('1')],
		);
		const item = itemFor(result, 0);
		expect(item.action).toBe('deactivate');
		expect(item.reason).toContain('end date 2026-03-31 is before the reference date 2026-04-01');
		expect(item.payload).toEqual({ status: 'deactivated' });
		expect(item.changes).toEqual([{ field: 'status', from: 'active', to: 'deactivated' }]);
	});

	it('accepts the correct spelling employmentEndDate too', () => {
		const row = afasRow('1');
		delete row.employementEndDate;
		row.employmentEndDate = '2026-03-15';
		expect(itemFor(plan([row], [mobieUser('1')]), 0).action).toBe('deactivate');
	});

	it('removes instead when the leaver action is remove (MobieTrain removes leavers)', () => {
		const result = plan([afasRow('1', { employementEndDate: '2026-03-31' })], [mobieUser('1')], {
			leaverAction: 'remove',
		});
		expect(itemFor(result, 0)).toMatchObject({ action: 'remove', appId: 'u1', payload: null });
	});

	it('withdraws the pending invitation of a leaver, whatever the leaver action', () => {
		const invited = mobieUser('1', { status: 'invited', invitedAt: '2026-03-01T08:00:00Z' });
		const result = plan([afasRow('1', { employementEndDate: '2026-03-20' })], [invited]);
		expect(itemFor(result, 0).action).toBe('remove');
		expect(itemFor(result, 0).reason).toContain('withdraw the invitation');
	});

	it('leaves an already deactivated leaver as it is', () => {
		const result = plan(
			[afasRow('1', { employementEndDate: '2025-12-31' })],
			[mobieUser('1', { status: 'deactivated' })],
		);
		expect(itemFor(result, 0).action).toBe('unchanged');
		expect(itemFor(result, 0).reason).toContain('already deactivated');
	});

	it('skips a leaver who has no app user', () => {
		const result = plan([afasRow('1', { employementEndDate: '2025-12-31' })], []);
		expect(itemFor(result, 0).action).toBe('skip');
		expect(result.create).toHaveLength(0);
	});

	it('treats an Inactive HiBob status as a leaver (Declaree: enabled false)', () => {
		const result = plan(
			[bobEmployee('1', { internal: { status: 'Inactive', lifecycleStatus: 'Terminated' } })],
			[declareeUser('1')],
			{
				source: 'hibob',
				target: 'declaree',
			},
		);
		const item = itemFor(result, 0);
		expect(item.action).toBe('deactivate');
		expect(item.reason).toContain('HR status is Inactive (Terminated)');
		expect(item.payload).toEqual({ enabled: false });
	});

	it('does not treat a HiBob hire who has not started (Inactive, Hired) as a leaver', () => {
		const hire = bobEmployee('2', {
			work: { startDate: '2026-04-01' },
			internal: { status: 'Inactive', lifecycleStatus: 'Hired' },
		});
		const future = bobEmployee('3', {
			work: { startDate: '2026-05-01' },
			internal: { status: 'Inactive', lifecycleStatus: null },
		});
		const result = plan([hire, future], [], { source: 'hibob', target: 'declaree' });
		expect(itemFor(result, 0).action).toBe('create');
		expect(itemFor(result, 1).action).toBe('wait');
	});

	it('a future termination date keeps the person active until then', () => {
		const result = plan(
			[bobEmployee('1', { internal: { terminationDate: '2026-04-30' } })],
			[declareeUser('1')],
			{ source: 'hibob', target: 'declaree' },
		);
		expect(itemFor(result, 0).action).toBe('unchanged');
	});
});

describe('app users no longer in HR', () => {
	it('applies the leaver action to a managed app user that HR no longer has', () => {
		const result = plan([afasRow('1')], [mobieUser('1'), mobieUser('2')]);
		const item = itemFor(result, 1, 'app');
		expect(item).toMatchObject({
			action: 'deactivate',
			appId: 'u2',
			hr: null,
			payload: { status: 'deactivated' },
		});
		expect(item.reason).toContain('External ID "2"');
	});

	it('never touches app users without external ID and without HR match (admins, service accounts)', () => {
		const admin = mobieUser('x', { externalId: null, email: 'admin@example.com', id: 'admin' });
		const result = plan([afasRow('1')], [mobieUser('1'), admin]);
		expect(itemFor(result, 1, 'app').action).toBe('ignore');
		expect(result.remove).toHaveLength(0);
	});

	it('manages them when the builder opts in', () => {
		const admin = mobieUser('x', { externalId: '', email: 'admin@example.com', id: 'admin' });
		const result = plan([afasRow('1')], [mobieUser('1'), admin], { manageUnmanaged: true });
		expect(itemFor(result, 1, 'app').action).toBe('deactivate');
	});

	it('never touches protected users, by email, external ID or app ID, even when HR says they left', () => {
		const hr = [afasRow('1', { employementEndDate: '2025-01-01' }), afasRow('2')];
		const app = [
			mobieUser('1'),
			mobieUser('2', { lastName: 'Changed' }),
			mobieUser('3'),
			mobieUser('4'),
		];
		const result = plan(hr, app, { protectedUsers: ['P1@example.com', '2', 'u3'] });
		expect(itemFor(result, 0).action).toBe('ignore');
		expect(itemFor(result, 1).action).toBe('ignore');
		expect(itemFor(result, 2, 'app').action).toBe('ignore');
		expect(itemFor(result, 3, 'app').action).toBe('deactivate');
		expect(result.update).toHaveLength(0);
	});
});

describe('invitations expire after the configured age (MobieTrain: 6 months)', () => {
	const invitedOn = (date: string) =>
		mobieUser('1', { status: 'invited', invitedAt: `${date}T09:00:00Z` });

	it('keeps an invitation of exactly 6 months, expires one a day older', () => {
		expect(itemFor(plan([afasRow('1')], [invitedOn('2025-10-01')]), 0).action).toBe('unchanged');
		const expired = itemFor(plan([afasRow('1')], [invitedOn('2025-09-30')]), 0);
		expect(expired.action).toBe('remove');
		expect(expired.reason).toContain('pending since 2025-09-30');
		expect(expired.reason).toContain('sent again on a later run');
	});

	it('reads invitedAt in the workflow time zone', () => {
		// 23:30 UTC on 30 September is 1 October in Amsterdam: exactly 6 months, not expired.
		const app = [mobieUser('1', { status: 'invited', invitedAt: '2025-09-30T23:30:00Z' })];
		expect(itemFor(plan([afasRow('1')], app), 0).action).toBe('unchanged');
		expect(itemFor(plan([afasRow('1')], app, { timeZone: 'UTC' }), 0).action).toBe('remove');
	});

	it('invites the person again on the next run, once the invitation is gone', () => {
		const first = plan([afasRow('1')], [invitedOn('2025-01-15')]);
		expect(itemFor(first, 0).action).toBe('remove');
		const next = plan([afasRow('1')], []);
		expect(itemFor(next, 0).action).toBe('create');
	});

	it('never expires when the age is 0', () => {
		expect(
			itemFor(plan([afasRow('1')], [invitedOn('2020-01-01')], { invitationExpiryMonths: 0 }), 0)
				.action,
		).toBe('unchanged');
	});

	it('uses the configured age', () => {
		expect(
			itemFor(plan([afasRow('1')], [invitedOn('2026-02-15')], { invitationExpiryMonths: 1 }), 0)
				.action,
		).toBe('remove');
		expect(
			itemFor(plan([afasRow('1')], [invitedOn('2026-03-01')], { invitationExpiryMonths: 1 }), 0)
				.action,
		).toBe('unchanged');
	});
});

describe('movers: updates with field-level changes', () => {
	it('lists each changed managed field with from and to, and a payload of just those', () => {
		const hr = [
			afasRow('1', {
				lastName: 'Jansen-de Vries',
				functionId: 'F02',
				functionDescription: 'Manager',
			}),
		];
		const result = plan(hr, [mobieUser('1')]);
		const item = itemFor(result, 0);
		expect(item.action).toBe('update');
		expect(item.matchedBy).toBe('externalId');
		expect(item.changes).toEqual([
			{ field: 'lastName', from: 'Last1', to: 'Jansen-de Vries' },
			{ field: 'jobDescription', from: 'Sales', to: 'Manager' },
			{ field: 'groups', from: ['F01'], to: ['F02'] },
		]);
		expect(item.payload).toEqual({
			lastName: 'Jansen-de Vries',
			jobDescription: 'Manager',
			groups: ['F02'],
		});
		expect(item.reason).toBe(
			'Matched by external ID; 3 managed fields differ: lastName, jobDescription, groups.',
		);
	});

	it('never overwrites a create-only field (the language a MobieTrain user picked)', () => {
		const result = plan([afasRow('1', { isoCode: 'EN' })], [mobieUser('1', { language: 'PT' })]);
		expect(itemFor(result, 0).action).toBe('unchanged');
	});

	it('extra create-only fields are respected, unknown ones are a config error', () => {
		const hr = [afasRow('1', { functionDescription: 'Renamed' })];
		expect(itemFor(plan(hr, [mobieUser('1')]), 0).action).toBe('update');
		expect(
			itemFor(plan(hr, [mobieUser('1')], { extraCreateOnlyFields: ['jobDescription'] }), 0).action,
		).toBe('unchanged');
		expect(() => plan(hr, [mobieUser('1')], { extraCreateOnlyFields: ['nickname'] })).toThrow(
			/Create-only field "nickname" is not a field/,
		);
	});

	it('does not clear a field that is missing from one HR item (HiBob permission gaps)', () => {
		const partial = bobEmployee('1');
		delete partial.firstName;
		const result = plan(
			[partial, bobEmployee('2')],
			[declareeUser('1', { firstName: 'Kept' }), declareeUser('2')],
			{ source: 'hibob', target: 'declaree' },
		);
		expect(itemFor(result, 0).action).toBe('unchanged');
	});

	it('does clear a field that HR sends as null', () => {
		const result = plan([afasRow('1', { functionDescription: null })], [mobieUser('1')]);
		expect(itemFor(result, 0).changes).toEqual([
			{ field: 'jobDescription', from: 'Sales', to: null },
		]);
	});

	it('reports an empty required field as a conflict instead of clearing it', () => {
		const result = plan([afasRow('1', { lastName: '  ' })], [mobieUser('1')]);
		const item = itemFor(result, 0);
		expect(item.action).toBe('conflict');
		expect(item.conflict?.code).toBe('missingRequiredField');
		expect(item.reason).toContain('"lastName"');
		expect(result.remove).toHaveLength(0);
	});

	it('ignores case in email differences and whitespace in names', () => {
		const result = plan(
			[afasRow('1', { email: 'P1@EXAMPLE.com', firstName: ' First1 ' })],
			[mobieUser('1')],
		);
		expect(itemFor(result, 0).action).toBe('unchanged');
	});
});

describe('rehires', () => {
	it('reactivates a former leaver who is back in HR instead of creating a duplicate', () => {
		const result = plan(
			[afasRow('1', { employmentStartDate: '2026-03-01', lastName: 'Rehired' })],
			[mobieUser('1', { status: 'deactivated' })],
		);
		expect(result.create).toHaveLength(0);
		const item = itemFor(result, 0);
		expect(item.action).toBe('reactivate');
		expect(item.changes).toEqual([
			{ field: 'status', from: 'deactivated', to: 'active' },
			{ field: 'lastName', from: 'Last1', to: 'Rehired' },
		]);
		expect(item.payload).toEqual({ status: 'active', lastName: 'Rehired' });
	});

	it('reactivates a Declaree user by enabling it', () => {
		const result = plan([bobEmployee('1')], [declareeUser('1', { enabled: false })], {
			source: 'hibob',
			target: 'declaree',
		});
		expect(itemFor(result, 0)).toMatchObject({ action: 'reactivate', payload: { enabled: true } });
	});

	it('waits with reactivation until a rehire’s future start date', () => {
		const result = plan(
			[afasRow('1', { employmentStartDate: '2026-05-01' })],
			[mobieUser('1', { status: 'deactivated' })],
		);
		expect(itemFor(result, 0).action).toBe('wait');
	});
});

describe('time zones', () => {
	it('a run at 23:30 UTC on 31 March treats an end date of 31 March as past in Amsterdam, not in UTC', () => {
		const instant = new Date('2026-03-31T23:30:00Z');
		const hr = [afasRow('1', { employementEndDate: '2026-03-31T00:00:00Z' })];
		const amsterdam = plan(hr, [mobieUser('1')], {
			asOf: referenceDate(instant, 'Europe/Amsterdam'),
		});
		const utc = plan(hr, [mobieUser('1')], {
			asOf: referenceDate(instant, 'UTC'),
			timeZone: 'UTC',
		});
		expect(itemFor(amsterdam, 0).action).toBe('deactivate');
		expect(itemFor(utc, 0).action).toBe('unchanged');
	});

	it('an AFAS start date with a fake Z is not shifted by the time zone', () => {
		const hr = [afasRow('1', { employmentStartDate: '2026-04-01T00:00:00Z' })];
		expect(itemFor(plan(hr, [], { timeZone: 'America/New_York' }), 0).action).toBe('create');
	});

	it('the reference date is the calendar day the run is for', () => {
		expect(plan([], []).summary.asOf).toBe(AS_OF);
	});
});
