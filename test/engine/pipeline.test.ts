/**
 * The people pipeline's steps tested one by one (classify, managers, item lists, rails
 * counting), on contexts built by the real earlier steps.
 */
import {
	classifyPeople,
	classifyPerson,
	undatedInvitationWarning,
} from '../../nodes/ReconcileUsers/engine/classify';
import { resolveManager, managerFirst } from '../../nodes/ReconcileUsers/engine/managers';
import { preparePeopleRun } from '../../nodes/ReconcileUsers/engine/people';
import {
	countRemovals,
	PlanBuckets,
	sortIntoOutputs,
	checkRails,
	DEFAULT_RAILS,
} from '../../nodes/ReconcileUsers/engine/plan';
import { appOnlyItems, itemContext, personItems } from '../../nodes/ReconcileUsers/engine/items';
import type { PlanItem } from '../../nodes/ReconcileUsers/engine';
import { afasRow, bobEmployee, mobieUser, peopleConfig, type Row } from './fixtures';

const run = (hr: Row[], app: Row[], config = {}) => preparePeopleRun(hr, app, peopleConfig(config));

describe('classify: a tagged classification per person', () => {
	const hr = [
		afasRow('1'),
		afasRow('2', { employementEndDate: '2026-03-31' }),
		afasRow('3', { employmentStartDate: '2026-05-01' }),
		afasRow('4'),
		afasRow('5'),
		afasRow('5', { email: 'other@example.com' }),
		afasRow('6', { employementEndDate: '2026-01-31' }),
	];
	const app = [
		mobieUser('1'),
		mobieUser('4', { status: 'invited', invitedAt: '2025-09-30T08:00:00Z' }),
		mobieUser('6', { status: 'invited', invitedAt: '2025-01-01T08:00:00Z' }),
	];
	const classes = classifyPeople(run(hr, app));

	it('gives each kind its data: the leaver’s reason, the invitation’s date, the conflict', () => {
		expect(classes[0]).toEqual({ kind: 'inScope' });
		expect(classes[1]).toEqual({
			kind: 'leaver',
			reason: 'end date 2026-03-31 is before the reference date 2026-04-01',
		});
		expect(classes[2]).toEqual({ kind: 'wait' });
		expect(classes[3]).toEqual({ kind: 'expiredInvitation', invitedOn: '2025-09-30' });
		expect(classes[4]).toMatchObject({ kind: 'conflict', conflict: { code: 'duplicateHrKey' } });
		expect(classes[5]).toMatchObject({ kind: 'conflict', conflict: { code: 'duplicateHrKey' } });
	});

	it('decides in order: a leaver’s old invitation is a leaver, not an expiry', () => {
		expect(classes[6].kind).toBe('leaver');
	});

	it('protection comes before leaving', () => {
		const protectedRun = run([afasRow('1', { employementEndDate: '2025-01-01' })], [], {
			protectedUsers: ['p1@example.com'],
		});
		expect(classifyPerson(protectedRun, 0)).toEqual({ kind: 'protected' });
	});

	it('an inactive HiBob hire who has not started is not a leaver; a terminated one is', () => {
		const bob = run(
			[
				bobEmployee('1', { internal: { status: 'Inactive', lifecycleStatus: 'HIRED' } }),
				bobEmployee('2', { internal: { status: 'inactive', lifecycleStatus: 'Terminated' } }),
			],
			[],
			{ source: 'hibob', target: 'declaree' },
		);
		expect(classifyPerson(bob, 0)).toEqual({ kind: 'inScope' });
		expect(classifyPerson(bob, 1)).toEqual({
			kind: 'leaver',
			reason: 'HR status is inactive (Terminated)',
		});
	});
});

describe('undated invitations', () => {
	const undated = { status: 'invited', invitedAt: 'soon' };

	it('are counted where expiry applies: employed people and managed app-only users', () => {
		const hr = [afasRow('1'), afasRow('2', { employementEndDate: '2026-01-01' }), afasRow('3')];
		const app = [
			mobieUser('1', undated),
			mobieUser('2', undated),
			mobieUser('3', undated),
			mobieUser('9', undated),
			mobieUser('x', { ...undated, externalId: null, email: 'admin@example.com' }),
		];
		const context = run(hr, app, { protectedUsers: ['3'] });
		// Person 1 (employed) and app user 9 (managed, no longer in HR); not the leaver's (2), the
		// protected person's (3) or the unmanaged admin's.
		expect(undatedInvitationWarning(context, classifyPeople(context))).toBe(
			'2 pending invitations have no readable "invitedAt": they never expire.',
		);
	});

	it('give no warning when expiry is off', () => {
		const context = run([afasRow('1')], [mobieUser('1', undated)], { invitationExpiryMonths: 0 });
		expect(undatedInvitationWarning(context, classifyPeople(context))).toBeUndefined();
	});
});

describe('managers', () => {
	const declaree = { source: 'hibob' as const, target: 'declaree' as const };
	const reportsTo = (id: string) => ({ work: { reportsTo: { id, email: `e${id}@example.com` } } });

	it('resolve to the manager’s app user, or say why not', () => {
		const hr = [
			bobEmployee('1'),
			bobEmployee('2', reportsTo('1')),
			bobEmployee('3', reportsTo('4')),
			bobEmployee('4'),
			bobEmployee('5', reportsTo('404')),
			bobEmployee('6', reportsTo('6')),
		];
		const app = [
			{
				id: 'd1',
				externalId: '1',
				username: 'e1@example.com',
				email: 'e1@example.com',
				firstName: 'Bob1',
				lastName: 'Surname1',
				enabled: true,
				managerId: null,
			},
		];
		const context = run(hr, app, declaree);
		const classes = classifyPeople(context);
		expect(resolveManager(context, classes, 0)).toEqual({
			status: 'none',
			externalId: null,
			email: null,
		});
		expect(resolveManager(context, classes, 1)).toMatchObject({ status: 'resolved', appId: 'd1' });
		expect(resolveManager(context, classes, 2)).toMatchObject({
			status: 'createdInThisRun',
			externalId: '4',
		});
		expect(resolveManager(context, classes, 4)).toMatchObject({
			status: 'notInScope',
			externalId: '404',
		});
		expect(resolveManager(context, classes, 5)).toMatchObject({ status: 'none', externalId: '6' });
	});

	it('created in this run come first; the rest keep their order, and a cycle is cut', () => {
		const hr = [
			bobEmployee('1', reportsTo('3')),
			bobEmployee('2'),
			bobEmployee('3', reportsTo('4')),
			bobEmployee('4'),
			bobEmployee('5', reportsTo('6')),
			bobEmployee('6', reportsTo('5')),
		];
		const context = run(hr, [], declaree);
		const creates = hr.map((_, i) => ({ hrIndex: i }) as PlanItem);
		const order = managerFirst(creates, context.hr.people, context.matching.hrKeys);
		expect(order.map((item) => item.hrIndex)).toEqual([1, 3, 5, 2, 4, 0]);
	});
});

describe('item lists and rails counted from the finished items', () => {
	it('one item per HR record in HR order, then the app users nobody matched', () => {
		const context = run(
			[afasRow('1'), afasRow('2', { employementEndDate: '2026-01-01' }), afasRow('3')],
			[mobieUser('1'), mobieUser('2'), mobieUser('7')],
		);
		const classes = classifyPeople(context);
		const ctx = itemContext(context, classes, []);
		const people: PlanItem[] = [];
		personItems(ctx, people);
		expect(people.map((item) => [item.hrIndex, item.action])).toEqual([
			[0, 'unchanged'],
			[1, 'deactivate'],
			[2, 'create'],
		]);
		const appOnly: PlanItem[] = [];
		appOnlyItems(ctx, appOnly);
		expect(appOnly.map((item) => [item.appIndex, item.action])).toEqual([[2, 'deactivate']]);
	});

	it('expired invitations are removals, but not HR removals', () => {
		const context = run(
			[afasRow('1'), afasRow('2', { employementEndDate: '2026-01-01' })],
			[mobieUser('1', { status: 'invited', invitedAt: '2025-01-01' }), mobieUser('2')],
		);
		const ctx = itemContext(context, classifyPeople(context), []);
		const outputs = new PlanBuckets();
		personItems(ctx, outputs);
		appOnlyItems(ctx, outputs);
		expect(outputs.remove.map((item) => item.action)).toEqual(['remove', 'deactivate']);
		expect(outputs.remove[0].expiredInvitation).toEqual({ invitedOn: '2025-01-01' });
		expect(countRemovals(outputs.remove)).toEqual({
			hrRemovals: 1,
			allRemovals: 2,
			absentRemovals: 0,
		});
	});

	it('the rails see what the items say', () => {
		const removal = (expired: boolean) =>
			({
				action: 'remove',
				...(expired ? { expiredInvitation: { invitedOn: '2025-01-01' } } : {}),
			}) as PlanItem;
		const items = [removal(false), removal(true), removal(true)];
		const counts = countRemovals(items);
		const rails = { ...DEFAULT_RAILS, maxRemovals: 1 };
		const noun = { person: 'person', people: 'people', app: 'app users' };
		const everyone = 'everyone' as const;
		expect(checkRails(rails, { hrItems: 10, managed: 10, ...counts }, noun, everyone)).toBeNull();
		expect(
			checkRails(
				rails,
				{ hrItems: 10, managed: 10, ...countRemovals([...items, removal(false)]) },
				noun,
				everyone,
			)?.rail,
		).toBe('maxRemovals');
		expect(checkRails(rails, { hrItems: 0, managed: 10, ...counts }, noun, everyone)?.rail).toBe(
			'emptyHr',
		);
	});

	it('outputs sort each action to its list and count it', () => {
		const items = [
			'create',
			'update',
			'reactivate',
			'deactivate',
			'remove',
			'wait',
			'skip',
			'conflict',
		].map((action) => ({ action }) as PlanItem);
		const outputs = sortIntoOutputs(items.slice(0, 4), items.slice(4));
		expect(outputs.update.map((item) => item.action)).toEqual(['update', 'reactivate']);
		expect(outputs.remove.map((item) => item.action)).toEqual(['deactivate', 'remove']);
		expect(outputs.unchanged.map((item) => item.action)).toEqual(['wait', 'skip']);
		expect(outputs.counts).toMatchObject({ create: 1, reactivate: 1, remove: 1, conflict: 1 });
	});
});

describe('match', () => {
	it('leaves its arguments alone and returns the app conflicts as a new map', () => {
		const context = run(
			[afasRow('1'), afasRow('1', { email: 'b@example.com' })],
			[mobieUser('1'), mobieUser('2', { email: 'p2@example.com' }), mobieUser('2')],
		);
		expect(context.app.conflicts.size).toBe(0);
		expect([...context.matching.appConflicts.keys()].sort()).toEqual([0, 1, 2]);
		expect(context.matching.appConflicts.get(0)?.code).toBe('claimedByConflict');
		expect(context.matching.appConflicts.get(1)?.code).toBe('duplicateAppKey');
	});

	it('finds the HR record holding a key: matched, HR-only, duplicated, or on the other key', () => {
		const context = run(
			[afasRow('1'), afasRow('2'), afasRow('3'), afasRow('3', { email: 'x@example.com' })],
			[mobieUser('1')],
			{ matchOn: ['externalId'] },
		);
		const { hrKeys } = context.matching;
		expect(hrKeys.recordWith('externalId', '1')).toBe(0);
		expect(hrKeys.recordWith('externalId', '2')).toBe(1);
		expect(hrKeys.recordWith('externalId', '3')).toBe(-1);
		expect(hrKeys.recordWith('externalId', '404')).toBe(-1);
		expect(hrKeys.recordWith('email', 'p2@example.com')).toBe(1);
		expect(hrKeys.recordWith('email', 'p3@example.com')).toBe(2);
		expect(hrKeys.recordWith('email', 'nobody@example.com')).toBe(-1);
	});
});
