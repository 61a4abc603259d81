/**
 * The plan's payloads against the app sandboxes (test/sandbox/apps): the node plans, this test
 * applies the plan with plain HTTP calls the way the example workflows do, and a second run must
 * find nothing left to do. A shape the app does not accept shows up as a 422 here.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { runNode } from '../../helpers/n8n';
import { startAppSandbox, type AppSandbox, type AppStyle } from '../../../sandbox/apps/server';
import { afasRow, bobEmployee } from '../../engine/fixtures';

const CREATE = 0;
const UPDATE = 1;
const REMOVE = 2;
const CONFLICTS = 4;
const CREATE_FIRST = 5;
const PLAN = 6;

async function call(
	app: AppSandbox,
	method: string,
	path: string,
	body?: unknown,
): Promise<{ status: number; body: IDataObject }> {
	const response = await fetch(`${app.url}${path}`, {
		method,
		headers: { Authorization: `Bearer ${app.token}`, 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	return { status: response.status, body: text ? (JSON.parse(text) as IDataObject) : {} };
}

async function listUsers(app: AppSandbox): Promise<IDataObject[]> {
	const users: IDataObject[] = [];
	for (let page = 1; ; page++) {
		const { body } = await call(app, 'GET', `/users?page=${page}&pageSize=100`);
		users.push(...(body.data as IDataObject[]));
		if (!body.hasMore) return users;
	}
}

const CREATE_FIRST_PATH: Record<string, string> = {
	group: '/groups',
	store: '/stores',
	community: '/communities',
	function: '/functions',
};

/** Applies a plan the way the example workflows do; returns the HTTP statuses. */
async function apply(
	app: AppSandbox,
	outputs: INodeExecutionData[][],
	style: AppStyle,
): Promise<number[]> {
	const statuses: number[] = [];
	for (const { json } of outputs[CREATE_FIRST])
		statuses.push(
			(await call(app, 'POST', CREATE_FIRST_PATH[json.kind as string], json.payload)).status,
		);
	for (const { json } of outputs[CREATE])
		statuses.push(
			(await call(app, 'POST', style === 'mobietrain' ? '/invitations' : '/users', json.payload))
				.status,
		);
	for (const { json } of outputs[UPDATE])
		statuses.push(
			(await call(app, 'PATCH', `/users/${json.appId as string}`, json.payload)).status,
		);
	for (const { json } of outputs[REMOVE]) {
		const request =
			json.action === 'remove'
				? call(app, 'DELETE', `/users/${json.appId as string}`)
				: call(app, 'PATCH', `/users/${json.appId as string}`, json.payload);
		statuses.push((await request).status);
	}
	return statuses;
}

async function plan(hr: IDataObject[], app: AppSandbox, parameters: IDataObject) {
	const result = await runNode({
		type: 'reconcileUsers',
		parameters: { referenceDate: '2026-04-01', ...parameters },
		inputs: [hr, await listUsers(app)],
	});
	expect(result.error?.message).toBeUndefined();
	return result.outputs;
}

const counts = (outputs: INodeExecutionData[][]) =>
	outputs[PLAN][0].json.counts as Record<string, number>;

describe('plans applied to the app sandboxes converge', () => {
	let app: AppSandbox | undefined;
	afterEach(async () => {
		await app?.close();
		app = undefined;
	});

	it('MobieTrain style: groups and stores first, invitations, moves and leavers; the second run is quiet', async () => {
		app = await startAppSandbox({ style: 'mobietrain', now: () => '2026-04-01T06:00:00.000Z' });
		app.seed('groups', [{ externalId: 'F01', name: 'Sales' }]);
		app.seed('stores', [{ externalId: 'S01', name: 'Store Utrecht' }]);
		app.seed('users', [
			{
				externalId: '2',
				email: 'p2@example.com',
				firstName: 'First2',
				lastName: 'Last2',
				language: 'PT',
				jobDescription: 'Sales',
				groups: ['F01'],
				stores: ['S01'],
				status: 'active',
			},
			{
				externalId: '3',
				email: 'p3@example.com',
				firstName: 'First3',
				lastName: 'Last3',
				language: 'NL',
				jobDescription: 'Sales',
				groups: ['F01'],
				stores: ['S01'],
				status: 'active',
			},
			{
				externalId: '9',
				email: 'p9@example.com',
				firstName: 'Old',
				lastName: 'Invite',
				language: 'NL',
				jobDescription: null,
				groups: [],
				stores: [],
				status: 'invited',
				invitedAt: '2025-06-01T06:00:00.000Z',
			},
			{
				externalId: null,
				email: 'admin@example.com',
				firstName: 'Ad',
				lastName: 'Min',
				language: 'EN',
				jobDescription: null,
				groups: [],
				stores: [],
				status: 'active',
			},
		]);
		const hr = [
			afasRow('1', {
				functionId: 'F02',
				functionDescription: 'Barista',
				organizationId: 'S02',
				organizationName: 'Store Zwolle',
			}),
			afasRow('2', { lastName: 'Changed', isoCode: 'EN' }),
			afasRow('3', { employementEndDate: '2026-03-31T00:00:00Z' }),
		] as IDataObject[];
		const parameters = { leaverAction: 'remove', rails: { maxRemovalPercent: 100 } };

		const first = await plan(hr, app, parameters);
		expect(counts(first)).toMatchObject({
			createFirst: 2,
			create: 1,
			update: 1,
			remove: 2,
			ignore: 1,
		});
		expect((await apply(app, first, 'mobietrain')).every((status) => status < 300)).toBe(true);

		const users = await listUsers(app);
		expect(users.find((user) => user.externalId === '1')).toMatchObject({
			status: 'invited',
			groups: ['F02'],
			stores: ['S02'],
		});
		// The language the user picked in the app is kept (create-only).
		expect(users.find((user) => user.externalId === '2')).toMatchObject({
			lastName: 'Changed',
			language: 'PT',
		});
		expect(users.map((user) => user.externalId).sort()).toEqual(['1', '2', null]);

		const second = await plan(hr, app, parameters);
		expect(counts(second)).toMatchObject({
			createFirst: 0,
			create: 0,
			update: 0,
			remove: 0,
			deactivate: 0,
			conflict: 0,
		});
	});

	it('Declaree style from HiBob: managers linked on the next run, leavers disabled, then quiet', async () => {
		app = await startAppSandbox({ style: 'declaree' });
		app.seed('users', [
			{
				externalId: '3',
				username: 'e3@example.com',
				email: 'e3@example.com',
				firstName: 'Bob3',
				lastName: 'Surname3',
				enabled: true,
				managerId: null,
			},
		]);
		const reportsTo = {
			work: {
				reportsTo: {
					id: '1',
					email: 'e1@example.com',
					firstName: 'Bob1',
					surname: 'Surname1',
					displayName: 'Bob1 Surname1',
				},
			},
		};
		const hr = [
			bobEmployee('2', reportsTo),
			bobEmployee('1'),
			bobEmployee('3', { internal: { status: 'Inactive', lifecycleStatus: 'Terminated' } }),
		] as IDataObject[];
		const parameters = { source: 'hibob', target: 'declaree', rails: { maxRemovalPercent: 100 } };

		const first = await plan(hr, app, parameters);
		expect(
			first[CREATE].map((item) => item.json.appId ?? (item.json.payload as IDataObject).externalId),
		).toEqual(['1', '2']);
		expect((await apply(app, first, 'declaree')).every((status) => status < 300)).toBe(true);

		const second = await plan(hr, app, parameters);
		expect(counts(second)).toMatchObject({ create: 0, update: 1, deactivate: 0 });
		expect((await apply(app, second, 'declaree')).every((status) => status < 300)).toBe(true);
		const users = await listUsers(app);
		const manager = users.find((user) => user.externalId === '1')!;
		expect(users.find((user) => user.externalId === '2')).toMatchObject({ managerId: manager.id });
		expect(users.find((user) => user.externalId === '3')).toMatchObject({ enabled: false });

		const third = await plan(hr, app, parameters);
		expect(counts(third)).toMatchObject({ create: 0, update: 0, deactivate: 0, conflict: 0 });
	});

	it('Oneteam style: communities and functions first, one of each per user; a person without one is a conflict', async () => {
		app = await startAppSandbox({ style: 'oneteam' });
		const hr = [
			afasRow('1'),
			afasRow('2', {
				organizationId: 'S02',
				organizationName: 'Den Haag',
				functionId: 'F07',
				functionDescription: 'Chef',
			}),
			afasRow('3', { functionId: null }),
		] as IDataObject[];
		const first = await plan(hr, app, { target: 'oneteam' });
		expect(first[CONFLICTS].map((item) => (item.json.conflict as IDataObject).code)).toEqual([
			'missingRequiredField',
		]);
		expect((await apply(app, first, 'oneteam')).every((status) => status < 300)).toBe(true);
		expect(
			app
				.collection('communities')
				.map((row) => row.externalId)
				.sort(),
		).toEqual(['S01', 'S02']);
		expect(
			app
				.collection('functions')
				.map((row) => row.externalId)
				.sort(),
		).toEqual(['F01', 'F07']);

		const second = await plan(hr, app, { target: 'oneteam' });
		expect(counts(second)).toMatchObject({ createFirst: 0, create: 0, update: 0, conflict: 1 });
	});
});
