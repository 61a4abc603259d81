import {
	reconcile,
	ReconcileConfigError,
	type RecordsConfig,
} from '../../nodes/ReconcileUsers/engine';
import { itemFor } from './fixtures';

const config: RecordsConfig = {
	mode: 'records',
	kind: 'community',
	asOf: '2026-04-01',
	hrKey: 'OrgUnit',
	appKey: 'externalId',
	fields: [{ hr: 'OrgUnitDesc', app: 'name' }],
};
const unit = (code: string, name: string) => ({ OrgUnit: code, OrgUnitDesc: name, Level: 2 });
const community = (id: string, externalId: string | null, name: string) => ({
	id,
	externalId,
	name,
	members: 3,
});

describe('records mode (communities, functions, groups)', () => {
	it('creates, updates with changes, leaves equal ones and removes what HR no longer has', () => {
		const hr = [unit('OU1', 'Utrecht'), unit('OU2', 'Zwolle (new)'), unit('ou3 ', 'Den Haag')];
		const app = [
			community('c1', 'OU1', 'Utrecht'),
			community('c2', 'OU2', 'Zwolle'),
			community('c9', 'OU9', 'Closed'),
		];
		const result = reconcile(hr, app, { ...config, rails: { maxRemovalPercent: 100 } });
		expect(itemFor(result, 0)).toMatchObject({
			action: 'unchanged',
			matchedBy: 'key',
			appId: 'c1',
		});
		expect(itemFor(result, 1)).toMatchObject({
			action: 'update',
			payload: { name: 'Zwolle (new)' },
			changes: [{ field: 'name', from: 'Zwolle', to: 'Zwolle (new)' }],
		});
		expect(itemFor(result, 2)).toMatchObject({
			action: 'create',
			payload: { externalId: 'ou3', name: 'Den Haag' },
		});
		expect(itemFor(result, 2, 'app')).toMatchObject({ action: 'remove', appId: 'c9' });
		expect(itemFor(result, 2, 'app').reason).toBe(
			'The community "OU9" is no longer in HR: remove.',
		);
	});

	it('reports duplicate and missing keys as conflicts and holds the app record', () => {
		const hr = [unit('OU1', 'A'), unit('ou1', 'B'), { OrgUnit: null, OrgUnitDesc: 'No code' }];
		const result = reconcile(hr, [community('c1', 'OU1', 'A')], config);
		expect(
			result.conflicts.map((item) => [item.hrIndex, item.appIndex, item.conflict?.code]),
		).toEqual([
			[0, 0, 'duplicateHrKey'],
			[1, 0, 'duplicateHrKey'],
			[2, -1, 'missingKey'],
			[-1, 0, 'claimedByConflict'],
		]);
		expect(result.remove).toHaveLength(0);
	});

	it('leaves app records without a key alone unless opted in, and never touches protected ones', () => {
		const app = [
			community('c1', null, 'Manual'),
			community('c2', 'OU2', 'Keep'),
			community('c3', 'OU3', 'Gone'),
		];
		const result = reconcile([unit('OU9', 'Nine')], app, {
			...config,
			protectedUsers: ['OU2'],
			rails: { maxRemovalPercent: 100, minHrPercent: 0 },
		});
		expect(result.unchanged.map((item) => [item.appIndex, item.action])).toEqual([
			[0, 'ignore'],
			[1, 'ignore'],
		]);
		expect(result.remove.map((item) => item.appId)).toEqual(['c3']);
	});

	it('applies the safety rails to removals', () => {
		const app = Array.from({ length: 10 }, (_, i) => community(`c${i}`, `OU${i}`, 'x'));
		expect(reconcile([], app, config).blocked?.rail).toBe('emptyHr');
		expect(
			reconcile([unit('OU0', 'x')], app, { ...config, rails: { minHrPercent: 0, maxRemovals: 5 } })
				.blocked?.message,
		).toBe(
			'Safety rail: 9 of 10 managed app communities (90%) would be deactivated or removed, more than both "Max Removals" = 5 and "Max Removals (%)" = 5% (a limit of 5 here)',
		);
	});

	it('checks the key and field paths', () => {
		expect(() => reconcile([unit('OU1', 'A')], [], { ...config, hrKey: 'OrgUnitCode' })).toThrow(
			ReconcileConfigError,
		);
		expect(() =>
			reconcile([unit('OU1', 'A')], [community('c1', 'OU1', 'A')], {
				...config,
				fields: [{ hr: 'OrgUnitDesc', app: 'title' }],
			}),
		).toThrow('App field "title" is missing on all 1 App items');
	});

	it('create-only fields are sent on create and never compared', () => {
		const fields = [
			{ hr: 'OrgUnitDesc', app: 'name' },
			{ hr: 'Level', app: 'members', createOnly: true },
		];
		const result = reconcile([unit('OU1', 'A'), unit('OU2', 'B')], [community('c1', 'OU1', 'A')], {
			...config,
			fields,
		});
		expect(itemFor(result, 0).action).toBe('unchanged');
		expect(itemFor(result, 1).payload).toEqual({ externalId: 'OU2', name: 'B', members: 2 });
	});
});
