/**
 * Reconcile Users with the SCIM 2.0 target, in n8n's engine, against the SCIM sandbox (scimmy,
 * which checks every request against the RFC 7643 schemas): the App input is the SCIM 2.0 node's
 * Users → Get Many (and Groups → Get Many) output, and the plan's items are fed to the SCIM 2.0
 * node's operations as a workflow wires them: Create First → Groups → Create, Create → Users →
 * Create, Update → Users → Update / Groups → Add Members / Remove Members (by action),
 * Deactivate/Remove → Users → Update / Delete (by action). The sandbox must accept every request,
 * and the runs must converge to a plan with nothing to do.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { runNode } from '../../helpers/n8n';
import { ReconcileUsers } from '../../../nodes/ReconcileUsers/ReconcileUsers.node';
import { startScimSandbox, type ScimSandbox } from '../../../sandbox/scim/server';
import { afasRow, bobEmployee, type Row } from '../../engine/fixtures';
import { scimCredentials } from '../scim/helpers';

const CREATE = 0;
const UPDATE = 1;
const REMOVE = 2;
const UNCHANGED = 3;
const CONFLICTS = 4;
const CREATE_FIRST = 5;
const PLAN = 6;

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

let sandbox: ScimSandbox;

beforeAll(async () => {
	sandbox = await startScimSandbox();
});
afterAll(async () => {
	await sandbox.close();
});
afterEach(() => {
	sandbox.reset();
});

/** Runs the SCIM 2.0 node once per item of `items` (nothing when there are none). */
async function scimNode(parameters: INodeParameters, items: IDataObject[] = [{}]) {
	if (items.length === 0) return [];
	const result = await runNode({
		type: 'scim',
		parameters,
		credentials: scimCredentials(sandbox),
		inputs: [items],
	});
	expect(result.error?.message).toBeUndefined();
	expect(result.status).toBe('success');
	return result.outputs[0].map((item) => item.json);
}

/** The App input: Users → Get Many, then (with groups) Groups → Get Many appended. */
async function appInput(groups: boolean): Promise<IDataObject[]> {
	const users = await scimNode({ resource: 'user', operation: 'getAll' });
	if (!groups) return users;
	return [...users, ...(await scimNode({ resource: 'group', operation: 'getAll' }))];
}

async function reconcile(hr: Row[], parameters: IDataObject, groups: boolean) {
	const result = await runNode({
		type: 'reconcileUsers',
		parameters: { referenceDate: '2026-04-01', target: 'scim', ...parameters },
		inputs: [hr as IDataObject[], await appInput(groups)],
	});
	expect(result.error?.message).toBeUndefined();
	return result.outputs;
}

const jsonOf = (items: INodeExecutionData[], ...actions: string[]) =>
	items.map((item) => item.json).filter((json) => actions.includes(json.action as string));

/** Feeds the plan's items to the SCIM 2.0 node the way a workflow wires the outputs. */
async function apply(outputs: INodeExecutionData[][]): Promise<void> {
	await scimNode(
		{ resource: 'group', operation: 'create', define: 'json', groupJson: '={{ $json.payload }}' },
		jsonOf(outputs[CREATE_FIRST], 'createFirst'),
	);
	await scimNode({ resource: 'user', operation: 'create' }, jsonOf(outputs[CREATE], 'create'));
	const updateUser = { resource: 'user', operation: 'update', userId: '={{ $json.appId }}' };
	await scimNode(updateUser, jsonOf(outputs[UPDATE], 'update', 'reactivate'));
	const members = { groupId: '={{ $json.groupId }}', memberIds: '={{ $json.memberIds }}' };
	await scimNode(
		{ resource: 'group', operation: 'removeMembers', ...members },
		jsonOf(outputs[UPDATE], 'groupRemove'),
	);
	await scimNode(
		{ resource: 'group', operation: 'addMembers', ...members },
		jsonOf(outputs[UPDATE], 'groupAdd'),
	);
	await scimNode(updateUser, jsonOf(outputs[REMOVE], 'deactivate'));
	await scimNode(
		{ resource: 'user', operation: 'delete', userId: '={{ $json.appId }}' },
		jsonOf(outputs[REMOVE], 'remove'),
	);
	expect(sandbox.stats().rejected).toEqual([]);
}

const counts = (outputs: INodeExecutionData[][]) =>
	outputs[PLAN][0].json.counts as Record<string, number>;

/** Nothing left to do: every HR item unchanged, no other output. */
function expectAllUnchanged(outputs: INodeExecutionData[][], people: number) {
	for (const output of [CREATE, UPDATE, REMOVE, CONFLICTS, CREATE_FIRST])
		expect(outputs[output].map((item) => item.json.reason)).toEqual([]);
	expect(outputs[UNCHANGED].filter((item) => item.json.action === 'unchanged')).toHaveLength(
		people,
	);
}

describe('Reconcile Users → SCIM 2.0 node against the SCIM sandbox', () => {
	it('AFAS: a first sync is accepted as planned, and a second reconcile has nothing to do', async () => {
		const hr = [
			afasRow('1'),
			afasRow('2', { email: 'Anouk.deVries@Example.COM', organizationName: 'Finance' }),
			afasRow('3', { employmentStartDate: '2026-05-01T00:00:00Z' }),
		];
		const first = await reconcile(hr, { source: 'afasMobieTrain' }, false);
		expect(counts(first)).toMatchObject({ create: 2, wait: 1 });
		await apply(first);
		const users = sandbox.getUsers();
		expect(users.map((user) => user.userName).sort()).toEqual([
			'anouk.devries@example.com',
			'p1@example.com',
		]);
		expect(users.find((user) => user.externalId === '2')).toMatchObject({
			name: { givenName: 'First2', familyName: 'Last2' },
			emails: [{ value: 'anouk.devries@example.com', type: 'work', primary: true }],
			[ENTERPRISE]: { employeeNumber: '2', department: 'Finance' },
		});

		const second = await reconcile(hr, { source: 'afasMobieTrain' }, false);
		expectAllUnchanged(second, 2);

		// A mover and a leaver, applied, and then nothing left to do again.
		const next = [
			afasRow('1', { lastName: 'Jansen', organizationName: null }),
			afasRow('2', {
				email: 'Anouk.deVries@Example.COM',
				organizationName: 'Finance',
				employementEndDate: '2026-03-31T00:00:00Z',
			}),
			afasRow('3', { employmentStartDate: '2026-05-01T00:00:00Z' }),
		];
		const third = await reconcile(next, { source: 'afasMobieTrain' }, false);
		expect(counts(third)).toMatchObject({ update: 1, deactivate: 1 });
		await apply(third);
		expect(sandbox.getUsers().find((user) => user.externalId === '2')?.active).toBe(false);
		// The cleared organisation was removed (a PatchOp remove), the name replaced.
		expect(sandbox.getUsers().find((user) => user.externalId === '1')).toMatchObject({
			name: { givenName: 'First1', familyName: 'Jansen' },
			displayName: 'First1 Jansen',
			[ENTERPRISE]: { employeeNumber: '1' },
		});
		expect(
			(sandbox.getUsers().find((user) => user.externalId === '1')?.[ENTERPRISE] as IDataObject)
				.department,
		).toBeUndefined();
		const fourth = await reconcile(next, { source: 'afasMobieTrain' }, false);
		expect(counts(fourth)).toMatchObject({ create: 0, update: 0, deactivate: 0, unchanged: 2 });
	});

	it('HiBob with managers and groups: created, linked and joined, then nothing; a mover and a leaver likewise', async () => {
		const work = (title: string, department: string, reportsTo: IDataObject | null = null) => ({
			work: { title, department, reportsTo },
		});
		const boss = { id: '100', email: 'e100@example.com' };
		const hr = [
			bobEmployee('200', work('Engineer', 'Engineering', boss)),
			bobEmployee('100', work('CTO', 'Engineering')),
			bobEmployee('300', work('Engineer', 'Engineering', boss)),
		];
		const parameters = { source: 'hibob', scimGroupsFrom: ['job', 'org'] };
		const first = await reconcile(hr, parameters, true);
		expect(counts(first)).toMatchObject({ createFirst: 3, create: 3 });
		expect(
			first[CREATE].map((item) => item.json.hr && (item.json.hr as IDataObject).externalId),
		).toEqual(['100', '200', '300']);
		await apply(first);
		expect(sandbox.getGroups().map((group) => [group.displayName, group.externalId])).toEqual([
			['Engineer', 'Engineer'],
			['CTO', 'CTO'],
			['Engineering', 'Engineering'],
		]);

		// Managers created in the first run are linked, and everyone joins their groups.
		const second = await reconcile(hr, parameters, true);
		expect(counts(second)).toMatchObject({ update: 2, groupAdd: 3, groupRemove: 0 });
		const adds = second[UPDATE].filter((item) => item.json.action === 'groupAdd');
		expect(adds.map((item) => (item.json.memberIds as string[]).length)).toEqual([2, 1, 3]);
		expect(adds[0].pairedItem).toEqual([
			{ item: 0, input: 0 },
			{ item: 2, input: 0 },
		]);
		await apply(second);
		const bossId = sandbox.getUsers().find((user) => user.externalId === '100')!.id;
		expect(sandbox.getUsers().find((user) => user.externalId === '200')).toMatchObject({
			[ENTERPRISE]: { manager: { value: bossId } },
		});
		expectAllUnchanged(await reconcile(hr, parameters, true), 3);

		// 300 becomes CTO's peer in another job and department; 200 leaves.
		const next = [
			bobEmployee('200', {
				...work('Engineer', 'Engineering', boss),
				internal: { status: 'Inactive', lifecycleStatus: 'Terminated' },
			}),
			bobEmployee('100', work('CTO', 'Engineering')),
			bobEmployee('300', work('Architect', 'Platform', boss)),
		];
		const moved = await reconcile(next, parameters, true);
		expect(counts(moved)).toMatchObject({
			createFirst: 2,
			update: 1,
			deactivate: 1,
			groupRemove: 2,
		});
		await apply(moved);
		const joined = await reconcile(next, parameters, true);
		expect(counts(joined)).toMatchObject({ groupAdd: 2, update: 0 });
		await apply(joined);
		const groupsOf300 = sandbox
			.getGroups()
			.filter((group) =>
				((group.members as IDataObject[] | undefined) ?? []).some(
					(member) => member.value === sandbox.getUsers().find((u) => u.externalId === '300')!.id,
				),
			)
			.map((group) => group.displayName);
		expect(groupsOf300.sort()).toEqual(['Architect', 'Platform']);
		const last = await reconcile(next, parameters, true);
		expect(counts(last)).toMatchObject({
			create: 0,
			update: 0,
			deactivate: 0,
			createFirst: 0,
			unchanged: 3,
		});
		expect(counts(last).groupAdd).toBe(0);
		expect(counts(last).groupRemove).toBe(0);
	});

	it('Leaver Action Remove deletes the user with DELETE /Users/{id}', async () => {
		const hr = [afasRow('1'), afasRow('2')];
		await apply(await reconcile(hr, { source: 'afasMobieTrain' }, false));
		const gone = [afasRow('1'), afasRow('2', { employementEndDate: '2026-03-31T00:00:00Z' })];
		const plan = await reconcile(gone, { source: 'afasMobieTrain', leaverAction: 'remove' }, false);
		expect(plan[REMOVE].map((item) => [item.json.action, item.json.payload])).toEqual([
			['remove', null],
		]);
		await apply(plan);
		expect(sandbox.getUsers().map((user) => user.externalId)).toEqual(['1']);
		expect(sandbox.stats().log.filter((entry) => entry.method === 'DELETE')).toHaveLength(1);
	});
});

describe('Reconcile Users → SCIM 2.0 node: a tripped rail that holds back creates and removals', () => {
	const jobs = { source: 'afasMobieTrain', scimGroupsFrom: ['job'] };
	const hr = Array.from({ length: 10 }, (_, i) => afasRow(String(i + 1)));
	// 1 moves to a job whose group the app does not have; 7-10 leave; 11 joins a new job.
	const next = [
		afasRow('1', { functionId: 'F02', functionDescription: 'Barista' }),
		...hr.slice(1, 6),
		...hr.slice(6).map((row) => ({ ...row, employementEndDate: '2026-03-31T00:00:00Z' })),
		afasRow('11', { functionId: 'F03', functionDescription: 'Cook' }),
	];
	const holdBack = {
		...jobs,
		rails: { maxRemovals: 2, maxRemovalPercent: 10, onTrip: 'holdBack' },
	};

	it('creates the groups updated people need, never adds members to a group that is not there, and converges', async () => {
		await apply(await reconcile(hr, jobs, true));
		await apply(await reconcile(hr, jobs, true));
		expectAllUnchanged(await reconcile(hr, jobs, true), 10);

		const held = await reconcile(next, holdBack, true);
		expect(held[PLAN][0].json).toMatchObject({ blocked: { rail: 'maxRemovals' } });
		expect(held[CREATE]).toEqual([]);
		expect(held[REMOVE]).toEqual([]);
		expect(
			held[CREATE_FIRST].map((item) => [
				item.json.action,
				(item.json.group as IDataObject).externalId,
				item.json.neededBy,
				item.json.neededByUpdates,
			]),
		).toEqual([['createFirst', 'F02', 1, 1]]);
		expect(held[UPDATE].map((item) => [item.json.action, item.json.memberIds])).toEqual([
			['groupRemove', [sandbox.getUsers().find((user) => user.externalId === '1')!.id]],
		]);
		expect(
			held[PLAN].slice(1).map((item) => [item.json.action, item.json.neededByUpdates]),
		).toEqual([
			['createFirst', 0],
			['create', undefined],
			['deactivate', undefined],
			['deactivate', undefined],
			['deactivate', undefined],
			['deactivate', undefined],
		]);
		await apply(held);
		expect(sandbox.getGroups().map((group) => group.externalId)).toEqual(['F01', 'F02']);

		// The rail cleared: the held-back creates and removals, and the mover joins Barista.
		const cleared = await reconcile(next, jobs, true);
		expect(counts(cleared)).toMatchObject({
			createFirst: 1,
			create: 1,
			deactivate: 4,
			groupAdd: 1,
			groupRemove: 0,
		});
		expect(jsonOf(cleared[UPDATE], 'groupAdd')[0].group).toMatchObject({ externalId: 'F02' });
		await apply(cleared);
		const joined = await reconcile(next, jobs, true);
		expect(counts(joined)).toMatchObject({ groupAdd: 1, create: 0, deactivate: 0 });
		await apply(joined);
		// Everyone unchanged, the four deactivated leavers included.
		expectAllUnchanged(await reconcile(next, jobs, true), 11);
	});
});

describe('Reconcile Users description: the SCIM 2.0 target', () => {
	const { properties } = new ReconcileUsers().description;

	it('offers the SCIM 2.0 App Target, and SCIM Groups From with that target only', () => {
		const target = properties.find((property) => property.name === 'target')!;
		expect(target.options?.map((option) => (option as { value: string }).value)).toContain('scim');
		const groupsFrom = properties.find((property) => property.name === 'scimGroupsFrom')!;
		expect(groupsFrom.displayOptions?.show).toEqual({ mode: ['people'], target: ['scim'] });
		expect(groupsFrom.default).toEqual([]);
	});

	it('refuses SCIM Groups From values the engine does not know, naming the setting', async () => {
		const result = await runNode({
			type: 'reconcileUsers',
			parameters: { target: 'scim', scimGroupsFrom: ['team'], referenceDate: '2026-04-01' },
			inputs: [[afasRow('1') as IDataObject], []],
		});
		expect(result.error?.message).toMatch(/Groups From must be "job" and\/or "org"/);
		expect(result.error?.description).toMatch(/SCIM Groups From/);
	});
});
