/**
 * Scope "Only the People in the HR Input" (event-driven runs) and the deletion marker. The
 * whole-population rules are tested elsewhere and stay as they are.
 */
import {
	reconcile,
	type PeopleConfig,
	type PlanItem,
	type RecordsConfig,
	type SourceMapping,
} from '../../nodes/ReconcileUsers/engine';
import {
	afasRow,
	allItems,
	bobEmployee,
	declareeUser,
	itemFor,
	mobieUser,
	plan,
	type Row,
} from './fixtures';

const inputOnly: Partial<PeopleConfig> = { scope: 'inputOnly' };
const hibob: Partial<PeopleConfig> = { source: 'hibob', target: 'declaree' };
const staff = (count: number) => Array.from({ length: count }, (_, i) => mobieUser(String(i + 1)));

describe('scope: only the people in the HR input', () => {
	it('app users no HR item matches are left alone, not leavers', () => {
		const result = plan([afasRow('1')], staff(3), inputOnly);
		expect(result.remove).toHaveLength(0);
		expect(itemFor(result, 1, 'app')).toMatchObject({ action: 'ignore', appId: 'u2' });
		expect(itemFor(result, 1, 'app').reason).toBe(
			'App user "u2" matches no one in the HR input, and Scope is "Only the People in the HR Input": left alone, not a leaver.',
		);
		expect(result.summary).toMatchObject({ scope: 'inputOnly', blocked: null });
		// The same input in scope Everyone: the two others are leavers (and trip no rail).
		expect(plan([afasRow('1')], staff(3), { rails: { minHrPercent: 0 } }).remove).toHaveLength(2);
	});

	it('each HR item is still judged by every lifecycle rule', () => {
		const hr = [
			afasRow('1', { employementEndDate: '2026-03-15T00:00:00Z' }),
			afasRow('2', { employmentStartDate: '2026-09-01T00:00:00Z' }),
			afasRow('3', { lastName: 'Moved' }),
			afasRow('4'),
		];
		const result = plan(hr, staff(3), inputOnly);
		expect([0, 1, 2, 3].map((i) => itemFor(result, i).action)).toEqual([
			'deactivate',
			'wait',
			'update',
			'create',
		]);
	});

	it('a person deleted in HR arrives as the key and the marker: a leaver', () => {
		const deleted = { id: '2', deleted: true, event: { type: 'employee.deleted' } };
		const result = plan([deleted], [declareeUser('1'), declareeUser('2')], {
			...hibob,
			...inputOnly,
		});
		const item = itemFor(result, 0);
		expect(item).toMatchObject({ action: 'deactivate', appId: 'd2', payload: { enabled: false } });
		expect(item.reason).toBe('external ID 2 has left (deleted in HR): deactivate.');
		expect(itemFor(result, 0, 'app').action).toBe('ignore');
		// The marker as text, from an expression, counts too; with Leaver Action Remove: removed.
		const removed = plan([{ id: '2', deleted: 'true' }], [declareeUser('2')], {
			...hibob,
			...inputOnly,
			leaverAction: 'remove',
		});
		expect(itemFor(removed, 0).action).toBe('remove');
	});

	it('a deleted person without an app user is skipped; one without a key is a conflict', () => {
		const result = plan([{ id: '9', deleted: true }, { deleted: true }], [], {
			...hibob,
			...inputOnly,
		});
		expect(itemFor(result, 0).action).toBe('skip');
		expect(itemFor(result, 1).conflict?.code).toBe('missingKey');
	});

	it('a deletion marker keyed on a field the HR Source does not read says which key to use', () => {
		// An AFAS Trigger keyed on another field: its leaver item carries only that field.
		const gone = { employeeNumber: '2', deleted: true, event: { type: 'leaver' } };
		const result = plan([gone], staff(2), inputOnly);
		expect(result.remove).toEqual([]);
		const item = itemFor(result, 0);
		expect(item.conflict?.code).toBe('missingKey');
		expect(item.reason).toContain(
			"so the deleted person's app user cannot be found and keeps its access",
		);
		expect(item.reason).toContain('for a trigger, its key field');
		// Keyed on the field the preset reads, the same leaver is removed.
		const keyed = plan([{ externalId: '2', deleted: true }], staff(2), {
			...inputOnly,
			leaverAction: 'remove',
		});
		expect(keyed.remove.map((removal) => removal.appId)).toEqual(['u2']);
	});

	it('the empty and small HR input rails do not apply; Max Removals does, as a count', () => {
		const app = staff(200);
		const leavers = ['1', '2', '3'].map((id) => afasRow(id, { employementEndDate: '2026-01-31' }));
		expect(plan(leavers, app, inputOnly).blocked).toBeNull();
		const result = plan(leavers, app, { ...inputOnly, rails: { maxRemovals: 2 } });
		expect(result.blocked).toMatchObject({ rail: 'maxRemovals' });
		expect(result.blocked?.message).toBe(
			'Safety rail: 3 app users would be deactivated or removed, more than "Max Removals" = 2',
		);
		expect(result.blocked?.detail).toContain('Max Removals (%) does not apply');
	});

	it('an empty HR input plans nothing', () => {
		const result = plan([], staff(5), inputOnly);
		expect(result.blocked).toBeNull();
		expect(result.summary.counts).toMatchObject({ ignore: 5, deactivate: 0, remove: 0, create: 0 });
	});

	it('an app user claimed by an HR item in conflict is still reported', () => {
		const result = plan(
			[afasRow('1'), afasRow('1', { lastName: 'Other' })],
			[...staff(2), mobieUser('9', { email: 'p9@example.com' })],
			inputOnly,
		);
		expect(itemFor(result, 0, 'app').conflict?.code).toBe('claimedByConflict');
		expect(itemFor(result, 1, 'app').action).toBe('ignore');
	});

	/** An item as the writes see it, without the App item position (the lists differ). */
	const asWritten = (item: PlanItem) => ({ ...item, appIndex: undefined, conflict: undefined });

	it('the App input may be the whole list or only the users found for those people: the same plan', () => {
		const whole = [
			...staff(50),
			mobieUser('60', { status: 'deactivated' }),
			mobieUser('70', { status: 'invited', invitedAt: '2025-01-01T08:00:00Z' }),
			mobieUser('x', { externalId: null, email: 'reuse@example.com', status: 'deactivated' }),
		];
		const hr = [
			afasRow('3', { lastName: 'Moved', functionId: 'F02', functionDescription: 'Lead' }),
			afasRow('7', { employementEndDate: '2026-02-28' }),
			{ externalId: '12', deleted: true },
			afasRow('60'),
			afasRow('70'),
			afasRow('80'),
			afasRow('81', { email: 'reuse@example.com' }),
			afasRow('82', { employmentStartDate: '2026-06-01T00:00:00Z' }),
		];
		// What an app lookup by external ID and by email returns for these people.
		const keys = new Set(hr.flatMap((row) => [row.externalId, row.email]));
		const found = whole.filter((user) => keys.has(user.externalId) || keys.has(user.email));
		expect(found.length).toBeLessThan(whole.length);
		const a = plan(hr, whole, inputOnly);
		const b = plan(hr, found, inputOnly);
		const people = (result: typeof a) =>
			allItems(result)
				.filter((item) => item.hrIndex >= 0 && item.action !== 'createFirst')
				.sort((x, y) => x.hrIndex - y.hrIndex)
				.map(asWritten);
		expect(people(b)).toEqual(people(a));
		expect(people(a).map((item) => item.action)).toEqual([
			'update',
			'deactivate',
			'deactivate',
			'reactivate',
			// An invitation pending longer than the expiry age: withdrawn, sent again later.
			'remove',
			'create',
			'conflict',
			'wait',
		]);
		// The app users outside the input are all left alone, in both.
		for (const result of [a, b])
			expect(
				allItems(result)
					.filter((item) => item.hrIndex < 0)
					.every((item) => item.action === 'ignore'),
			).toBe(true);
	});

	it('Declaree-style: the same plan for both App inputs, managers included', () => {
		const whole = [declareeUser('1'), declareeUser('2'), declareeUser('3')];
		const hr = [
			bobEmployee('2', { work: { reportsTo: { id: '1' } }, root: { surname: 'Moved' } }),
			bobEmployee('1'),
		];
		const found = whole.slice(0, 2);
		const people = (app: Row[]) =>
			allItems(plan(hr, app, { ...hibob, ...inputOnly }))
				.filter((item) => item.hrIndex >= 0)
				.map(asWritten);
		expect(people(found)).toEqual(people(whole));
		expect(people(whole)[0].payload).toEqual({ lastName: 'Moved', managerId: 'd1' });
	});
});

describe('the deletion marker in scope everyone', () => {
	it('an item with the marker is a leaver, not a person with empty fields', () => {
		const hr = [afasRow('1'), afasRow('2'), { externalId: '3', deleted: true }];
		const result = plan(hr, staff(3));
		expect(itemFor(result, 2)).toMatchObject({ action: 'deactivate', appId: 'u3' });
		expect(result.conflicts).toHaveLength(0);
		expect(result.update).toHaveLength(0);
	});

	it('the mapping checks skip it: an input of deletions only is not a mapping error', () => {
		expect(() =>
			plan([{ id: '2', deleted: true }], [declareeUser('2')], { ...hibob, ...inputOnly }),
		).not.toThrow();
		// In scope Everyone the HR input then holds nobody: the empty-HR rail holds the removal.
		expect(plan([{ id: '2', deleted: true }], [declareeUser('2')], hibob).blocked?.rail).toBe(
			'emptyHr',
		);
	});

	it('deleted, and an ended employment of the same person: deleted; still employed: a conflict', () => {
		const ended = afasRow('1', { employementEndDate: '2025-12-31T00:00:00Z' });
		const deleted = { externalId: '1', deleted: true };
		const gone = plan([ended, deleted], staff(1), { rails: { minHrPercent: 0 } });
		expect(itemFor(gone, 1).action).toBe('deactivate');
		expect(itemFor(gone, 0).action).toBe('skip');
		const unclear = plan([afasRow('1'), deleted], staff(1));
		expect(unclear.conflicts.map((item) => item.conflict?.code)).toContain('duplicateHrKey');
		expect(unclear.remove).toHaveLength(0);
	});

	it('the marker path is configurable per mapping (default "deleted")', () => {
		const source: SourceMapping = {
			name: 'custom',
			label: 'Custom',
			fields: { externalId: { paths: ['nr'] }, email: { paths: ['mail'] } },
			deletedPath: 'meta.removed',
		};
		const config = { source, target: 'declaree' as const, asOf: '2026-04-01' };
		const result = reconcile(
			[
				{ nr: '1', meta: { removed: true } },
				{ nr: '2', mail: 'e2@example.com', deleted: true, meta: { removed: false } },
			],
			[declareeUser('1'), declareeUser('2')],
			{ ...config, scope: 'inputOnly' },
		);
		expect(itemFor(result, 0).action).toBe('deactivate');
		expect(itemFor(result, 1).action).not.toBe('deactivate');
	});
});

describe('records mode: scope and the deletion marker', () => {
	const config: RecordsConfig = {
		mode: 'records',
		kind: 'community',
		hrKey: 'id',
		appKey: 'externalId',
		fields: [{ hr: 'name', app: 'name' }],
		asOf: '2026-04-01',
		scope: 'inputOnly',
	};
	const app = [
		{ id: 'c1', externalId: 'OU1', name: 'One' },
		{ id: 'c2', externalId: 'OU2', name: 'Two' },
	];

	it('records no HR item names are left alone; a deleted record is removed', () => {
		const result = reconcile([{ id: 'OU2', deleted: true }], app, config);
		expect(result.remove.map((item) => [item.hrIndex, item.appId, item.action])).toEqual([
			[0, 'c2', 'remove'],
		]);
		expect(itemFor(result, 0, 'app')).toMatchObject({ action: 'ignore' });
		expect(result.summary.scope).toBe('inputOnly');
	});

	it('a deleted record not in the app is skipped; everyone scope still removes the absent', () => {
		expect(itemFor(reconcile([{ id: 'OU9', deleted: true }], app, config), 0).action).toBe('skip');
		const everyone = reconcile([{ id: 'OU1', name: 'One' }], app, {
			...config,
			scope: 'everyone',
			rails: { minHrPercent: 0 },
		});
		expect(everyone.remove.map((item) => item.appId)).toEqual(['c2']);
	});

	it('compares fields by kind when one is set', () => {
		const dated = { ...config, fields: [{ hr: 'since', app: 'since', compare: 'date' as const }] };
		const result = reconcile(
			[{ id: 'OU1', since: '2024-01-01' }],
			[{ id: 'c1', externalId: 'OU1', since: '2024-01-01T00:00:00.000Z' }],
			dated,
		);
		expect(itemFor(result, 0).action).toBe('unchanged');
		const untyped = reconcile(
			[{ id: 'OU1', since: '2024-01-01' }],
			[{ id: 'c1', externalId: 'OU1', since: '2024-01-01T00:00:00.000Z' }],
			{ ...dated, fields: [{ hr: 'since', app: 'since' }] },
		);
		expect(itemFor(untyped, 0).action).toBe('update');
	});
});

describe('a trigger’s items in scope Everyone (a builder forgot to set Scope)', () => {
	const hibobEvent = (id: string) => ({
		...bobEmployee(id),
		event: { type: 'employee.updated', triggeredAt: '2026-03-02T08:00:00.123456' },
	});
	const afasEvent = (id: string) => ({
		...afasRow(id),
		event: { type: 'change', key: id, detectedAt: '2026-03-11T07:15:02.114Z' },
	});

	it('is refused when it would remove app users the trigger does not name, even where no rail would trip', () => {
		// Two events in an app of three users: 2 of 3 passes "Min HR Size (% of App)" and one
		// removal passes Max Removals, so without the check the third user would be deactivated.
		const app = [declareeUser('1'), declareeUser('2'), declareeUser('3')];
		const run = () => plan([hibobEvent('1'), hibobEvent('2')], app, hibob);
		expect(run).toThrow(
			'The HR input is a trigger\'s output (2 items with "event", e.g. "employee.updated"), but Scope is "Everyone": 1 app user the trigger does not name would be deactivated or removed',
		);
		const error = (() => {
			try {
				run();
			} catch (caught) {
				return caught as { hint: string };
			}
			return undefined;
		})();
		expect(error?.hint).toContain('Set Scope to "Only the People in the HR Input"');
		// The same items in scope Only the People in the HR Input: nobody else is touched.
		expect(
			plan([hibobEvent('1'), hibobEvent('2')], app, { ...hibob, ...inputOnly }).remove,
		).toEqual([]);
		// An AFAS Trigger poll (Row output) and a deletion marker are trigger items too.
		const afas = [afasEvent('1'), { externalId: '2', deleted: true, event: afasEvent('2').event }];
		expect(() => plan(afas, staff(3))).toThrow('but Scope is "Everyone"');
	});

	it('with an App input of only those people’s users (the other documented wiring) it plans', () => {
		const result = plan([hibobEvent('1'), hibobEvent('2')], [declareeUser('2')], hibob);
		expect(result.create.map((item) => item.hr?.externalId)).toEqual(['1']);
		expect(result.remove).toEqual([]);
		// A deletion marker removes the person it names, as in scope inputOnly.
		const gone = { id: '2', deleted: true, event: hibobEvent('2').event };
		expect(plan([gone], [declareeUser('2')], hibob).remove.map((item) => item.appId)).toEqual([
			'd2',
		]);
	});

	it('a whole-population read is not a trigger’s output: items without that event object are planned', () => {
		const mixed = [afasRow('1'), afasEvent('2'), afasRow('3', { event: 'hired' })];
		expect(plan(mixed, staff(3)).summary.blocked).toBeNull();
		expect(plan([afasRow('1', { event: { type: 'x' } })], [mobieUser('1')]).unchanged).toHaveLength(
			1,
		);
	});

	it('records mode refuses it the same way', () => {
		const config: RecordsConfig = {
			mode: 'records',
			kind: 'community',
			hrKey: 'id',
			appKey: 'externalId',
			fields: [{ hr: 'name', app: 'name' }],
			asOf: '2026-04-01',
		};
		const items = [{ id: 'OU1', name: 'One', event: { type: 'change', detectedAt: 'x' } }];
		const app = [
			{ id: 'c1', externalId: 'OU1', name: 'One' },
			{ id: 'c2', externalId: 'OU2', name: 'Two' },
		];
		expect(() => reconcile(items, app, config)).toThrow(
			'but Scope is "Everyone": 1 app record the trigger does not name would be deactivated or removed',
		);
		expect(reconcile(items, app, { ...config, scope: 'inputOnly' }).remove).toEqual([]);
		expect(reconcile(items, [app[0]], config).unchanged).toHaveLength(1);
	});
});

describe('a trigger’s Event output wired into Reconcile Users', () => {
	const fix = 'set the trigger\'s Output to "Employee (for Reconcile Users)"';
	const hintOf = (run: () => unknown): string => {
		try {
			run();
		} catch (error) {
			return (error as { hint: string }).hint;
		}
		return 'no error';
	};

	it('the missing-field error says which Output to choose (HiBob envelope, polling and AFAS event items)', () => {
		const envelope = {
			companyId: 1,
			type: 'employee.updated',
			triggeredBy: 'system',
			triggeredAt: '2026-03-02T08:00:00.123456',
			version: 'v2',
			data: { employeeId: '2' },
		};
		expect(
			hintOf(() => plan([envelope], [declareeUser('2')], { ...hibob, ...inputOnly })),
		).toContain(fix);
		const afasEvent = {
			event: 'change',
			key: '2',
			row: afasRow('2'),
			changes: [{ field: 'lastName', to: 'Last2' }],
			datesReached: [],
			detectedAt: '2026-03-11T07:15:02.114Z',
		};
		const afasHint = hintOf(() => plan([afasEvent], staff(2), inputOnly));
		expect(afasHint).toContain('or "Row (for Reconcile Users)" (AFAS Trigger)');
		// Not the advice for one item that wraps a list of records ("changes" is not one).
		expect(afasHint).not.toContain('Split Out');
		const records: RecordsConfig = {
			mode: 'records',
			kind: 'community',
			hrKey: 'id',
			appKey: 'externalId',
			fields: [{ hr: 'name', app: 'name' }],
			asOf: '2026-04-01',
			scope: 'inputOnly',
		};
		expect(hintOf(() => reconcile([afasEvent], [], records))).toContain(fix);
	});

	it('other items missing a field get the usual hint only', () => {
		const hint = hintOf(() => plan([{ nr: '1' }], staff(1), inputOnly));
		expect(hint).toContain('Check the HR Source setting');
		expect(hint).not.toContain(fix);
	});
});
