import { afasRow, allItems, deepFreeze, itemFor, mobieUser, plan } from './fixtures';

describe('matching precedence (default: external ID, then email)', () => {
	it('matches on external ID first and says so', () => {
		const result = plan([afasRow('1')], [mobieUser('1')]);
		expect(itemFor(result, 0)).toMatchObject({
			action: 'unchanged',
			matchedBy: 'externalId',
			appId: 'u1',
		});
	});

	it('falls back to email for an app user without external ID, and stamps the external ID on it', () => {
		const result = plan([afasRow('1')], [mobieUser('1', { externalId: null })]);
		const item = itemFor(result, 0);
		expect(item.matchedBy).toBe('email');
		expect(item.action).toBe('update');
		expect(item.changes).toEqual([{ field: 'externalId', from: null, to: '1' }]);
	});

	it('normalises keys: case, surrounding spaces and Unicode composition', () => {
		const hr = [afasRow('AB-1', { email: ' Rene\u0301@Example.com' })];
		const byExternalId = plan(hr, [mobieUser('ab-1 ', { email: 'other@example.com' })], {
			matchOn: ['externalId'],
		});
		expect(itemFor(byExternalId, 0).matchedBy).toBe('externalId');
		const byEmail = plan(
			hr,
			[mobieUser('zz', { externalId: null, email: 'REN\u00c9@example.com' })],
			{ matchOn: ['email'] },
		);
		expect(itemFor(byEmail, 0).matchedBy).toBe('email');
		// External IDs too: "É" precomposed in the app, e + combining accent in HR.
		const composed = plan([afasRow('Re\u0301-1')], [mobieUser('R\u00c9-1')], {
			matchOn: ['externalId'],
		});
		expect(itemFor(composed, 0).matchedBy).toBe('externalId');
	});

	it('honours another precedence and single keys', () => {
		const app = [mobieUser('1', { externalId: null })];
		expect(itemFor(plan([afasRow('1')], app, { matchOn: ['externalId'] }), 0).action).toBe(
			'create',
		);
		expect(
			itemFor(plan([afasRow('1')], app, { matchOn: ['email', 'externalId'] }), 0).matchedBy,
		).toBe('email');
	});

	it('rejects an invalid precedence as a config error', () => {
		expect(() => plan([], [], { matchOn: [] })).toThrow(/Match keys/);
		expect(() => plan([], [], { matchOn: ['email', 'email'] })).toThrow(/Match keys/);
	});
});

describe('conflicts are reported, never guessed', () => {
	it('duplicate HR external IDs: both records are conflicts and their app user is held, not removed', () => {
		const hr = [afasRow('1'), afasRow('1', { email: 'other@example.com' })];
		const result = plan(hr, [mobieUser('1')]);
		expect(itemFor(result, 0).conflict?.code).toBe('duplicateHrKey');
		expect(itemFor(result, 1).conflict?.code).toBe('duplicateHrKey');
		expect(itemFor(result, 0).reason).toContain('HR items 1, 2');
		expect(itemFor(result, 0, 'app')).toMatchObject({
			action: 'conflict',
			conflict: { code: 'claimedByConflict' },
		});
		expect(result.remove).toHaveLength(0);
		expect(result.create).toHaveLength(0);
	});

	it('duplicate HR emails are conflicts too (one login per email)', () => {
		const result = plan(
			[afasRow('1', { email: 'same@example.com' }), afasRow('2', { email: 'Same@example.com' })],
			[],
		);
		expect(result.conflicts.map((item) => item.conflict?.code)).toEqual([
			'duplicateHrKey',
			'duplicateHrKey',
		]);
		expect(result.create).toHaveLength(0);
	});

	it('duplicate app keys: the app users are conflicts and the person matching them too', () => {
		const app = [mobieUser('1'), mobieUser('1', { id: 'u1-copy', email: 'copy@example.com' })];
		const result = plan([afasRow('1')], app);
		expect(itemFor(result, 0).action).toBe('conflict');
		expect(itemFor(result, 0, 'app').conflict?.code).toBe('duplicateAppKey');
		expect(itemFor(result, 1, 'app').conflict?.code).toBe('duplicateAppKey');
		expect(result.remove).toHaveLength(0);
	});

	it('duplicate app emails with no HR record involved are still conflicts, not leavers', () => {
		const app = [
			mobieUser('8', { email: 'shared@example.com' }),
			mobieUser('9', { email: 'shared@example.com' }),
		];
		const result = plan([afasRow('1')], [mobieUser('1'), ...app]);
		expect(result.conflicts.map((item) => item.appIndex)).toEqual([1, 2]);
		expect(result.remove).toHaveLength(0);
	});

	it('a record without any match key is a conflict', () => {
		const result = plan([afasRow('1'), afasRow('', { email: null })], [mobieUser('1')]);
		expect(itemFor(result, 1)).toMatchObject({
			action: 'conflict',
			conflict: { code: 'missingKey' },
		});
	});

	it('one person matching two app users (external ID → one, email → another)', () => {
		const app = [
			mobieUser('1', { email: 'old@example.com' }),
			mobieUser('x', { externalId: null, email: 'p1@example.com', id: 'ux' }),
		];
		const result = plan([afasRow('1')], app);
		const item = itemFor(result, 0);
		expect(item.conflict?.code).toBe('multipleAppMatches');
		expect(item.reason).toContain('"u1"');
		expect(item.reason).toContain('"ux"');
		expect(
			result.conflicts.filter((entry) => entry.hrIndex < 0).map((entry) => entry.appIndex),
		).toEqual([0, 1]);
		expect(result.remove).toHaveLength(0);
	});

	it('two people matching one app user', () => {
		// Person 2's email is on app user 1 (matched by external ID to person 1).
		const hr = [
			afasRow('1', { email: 'new1@example.com' }),
			afasRow('2', { email: 'p1@example.com' }),
		];
		const result = plan(hr, [mobieUser('1')], { matchOn: ['externalId', 'email'] });
		expect(
			result.conflicts.filter((entry) => entry.hrIndex >= 0).map((entry) => entry.conflict?.code),
		).toEqual(['multipleHrMatches', 'multipleHrMatches']);
		expect(itemFor(result, 0).reason).toContain('HR items 1, 2');
		expect(itemFor(result, 0, 'app').action).toBe('conflict');
	});

	it('an email match with a different external ID on the app user is a conflict', () => {
		const result = plan([afasRow('1')], [mobieUser('99', { email: 'p1@example.com' })]);
		expect(itemFor(result, 0).conflict?.code).toBe('externalIdMismatch');
		expect(itemFor(result, 0, 'app').conflict?.code).toBe('claimedByConflict');
	});

	it('an app user with an unknown status is left alone as a conflict', () => {
		const result = plan([afasRow('1')], [mobieUser('1', { status: 'suspended' })]);
		expect(itemFor(result, 0).conflict?.code).toBe('unknownAppStatus');
		expect(itemFor(result, 0, 'app').reason).toContain('"suspended"');
	});

	it('an unreadable date is a conflict, not a guess', () => {
		const result = plan([afasRow('1', { employementEndDate: '31-03-2026' })], [mobieUser('1')]);
		const item = itemFor(result, 0);
		expect(item.conflict?.code).toBe('invalidDate');
		expect(item.reason).toContain('"31-03-2026"');
		expect(result.remove).toHaveLength(0);
	});
});

describe('plan properties', () => {
	const hr = [
		afasRow('1'),
		afasRow('2', { lastName: 'Moved' }),
		afasRow('3', { employementEndDate: '2025-01-01' }),
		afasRow('4', { employmentStartDate: '2027-01-01' }),
		afasRow('5', { functionId: 'F09', functionDescription: 'New job' }),
		afasRow('6'),
		// Two records of one person, both current and different: which one is right is not guessed.
		afasRow('6', { lastName: 'Other' }),
		afasRow('', { email: null }),
	];
	const app = [
		mobieUser('1'),
		mobieUser('2'),
		mobieUser('3'),
		mobieUser('7'),
		mobieUser('x', { externalId: null, email: 'admin@example.com' }),
		mobieUser('8', { status: 'deactivated' }),
	];

	it('accounts for every input item exactly once (HR items, and app users not matched to one)', () => {
		const result = plan(hr, app, { rails: { maxRemovalPercent: 100 } });
		const items = allItems(result).filter((item) => item.action !== 'createFirst');
		const hrIndexes = items
			.filter((item) => item.hrIndex >= 0)
			.map((item) => item.hrIndex)
			.sort();
		expect(hrIndexes).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
		const matchedApp = new Set(
			items
				.filter((item) => item.hrIndex >= 0 && item.appIndex >= 0 && item.action !== 'conflict')
				.map((item) => item.appIndex),
		);
		const ownApp = items.filter((item) => item.hrIndex < 0).map((item) => item.appIndex);
		expect([...matchedApp, ...ownApp].sort()).toEqual([0, 1, 2, 3, 4, 5]);
		expect(ownApp.filter((index) => matchedApp.has(index))).toEqual([]);
	});

	it('is deterministic, in a stable order, and does not modify its inputs', () => {
		const frozenHr = deepFreeze(hr.map((row) => ({ ...row })));
		const frozenApp = deepFreeze(
			app.map((user) => ({
				...user,
				groups: [...(user.groups as string[])],
				stores: [...(user.stores as string[])],
			})),
		);
		const first = plan(frozenHr, frozenApp, { rails: { maxRemovalPercent: 100 } });
		const second = plan(frozenHr, frozenApp, { rails: { maxRemovalPercent: 100 } });
		expect(second).toEqual(first);
		expect(first.update.map((item) => item.hrIndex)).toEqual([1]);
		expect(first.create.map((item) => item.hrIndex)).toEqual([4]);
		expect(first.conflicts.map((item) => [item.hrIndex, item.appIndex])).toEqual([
			[5, -1],
			[6, -1],
			[7, -1],
		]);
		expect(first.remove.map((item) => [item.hrIndex, item.appIndex])).toEqual([
			[2, 2],
			[-1, 3],
		]);
	});

	it('counts each action in the summary', () => {
		const result = plan(hr, app, { rails: { maxRemovalPercent: 100 } });
		expect(result.summary.counts).toEqual({
			create: 1,
			update: 1,
			reactivate: 0,
			deactivate: 2,
			remove: 0,
			unchanged: 2,
			wait: 1,
			skip: 0,
			ignore: 1,
			conflict: 3,
			createFirst: 1,
		});
		expect(result.summary).toMatchObject({
			hrItems: 8,
			appItems: 6,
			managedAppUsers: 4, // u8 is deactivated already: not in the rails' base
			removals: 2,
			blocked: null,
		});
	});
});
