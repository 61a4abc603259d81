/**
 * Tests in a real n8n process (installed from npm): the packed package installed where n8n's
 * community-node installer puts it, credentials and workflows imported with the n8n CLI and
 * executed with `n8n execute`. One n8n install serves every test here (it takes a while).
 *
 * - a smoke test per node family: the rows / employees that came back equal what the sandbox serves;
 * - every shipped example workflow, run against the sandbox apps: first sync, an idempotent second
 *   run, and a run after HR changed.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAfasSandbox, type AfasSandbox } from '../../sandbox/afas/server';
import { startSandboxes, type Sandboxes } from '../../sandbox';
import { dayBefore, importExamples, reconcileSummary } from '../../scripts/lib/examples';
import { packPackage, RealN8n, outputOf, type ExecutionResult } from '../../scripts/lib/realN8n';

jest.setTimeout(600_000);

let afas: AfasSandbox;
let sandboxes: Sandboxes;
let n8n: RealN8n;

beforeAll(async () => {
	afas = await startAfasSandbox({ employeeCount: 1500 });
	sandboxes = await startSandboxes({ fixedPorts: false });
	n8n = new RealN8n();
	await n8n.installPackage(await packPackage(mkdtempSync(join(tmpdir(), 'hr-sync-pack-'))));
	await n8n.importCredentials([
		{
			id: 'afasSandbox01',
			name: 'AFAS sandbox',
			type: 'afasApi',
			data: { connectUsing: 'url', url: afas.url, token: afas.tokenXml },
		},
	]);
	await importExamples(n8n, sandboxes);
});

afterAll(async () => {
	await afas?.close();
	await sandboxes?.close();
	n8n?.cleanup();
});

async function executeOk(workflowId: string): Promise<ExecutionResult> {
	const execution = await n8n.execute(workflowId);
	if (!execution.ok) {
		const error = execution.run?.data.resultData.error;
		throw new Error(
			`n8n execute ${workflowId} failed: ${error ? JSON.stringify(error) : ''}\n${execution.stdout.slice(-3000)}\n${execution.stderr.slice(-2000)}`,
		);
	}
	return execution;
}

function manualTrigger() {
	return {
		id: '11111111-1111-4111-8111-111111111111',
		name: 'Run',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
}

it('AFAS GetConnector in a real n8n returns every row of the connector, in sort order', async () => {
	await n8n.importWorkflow({
		id: 'smokeAfasRows01',
		name: 'Smoke: AFAS rows',
		nodes: [
			manualTrigger(),
			{
				id: '22222222-2222-4222-8222-222222222222',
				name: 'AFAS',
				type: 'n8n-nodes-hr-sync.afasGetConnector',
				typeVersion: 1,
				position: [220, 0],
				parameters: {
					resource: 'connector',
					operation: 'getRows',
					connector: { __rl: true, mode: 'id', value: 'Mobietrain_Employees' },
					returnAll: true,
					sort: { fields: [{ field: 'externalId', direction: 'asc' }] },
					options: { pageSize: 400 },
				},
				credentials: { afasApi: { id: 'afasSandbox01', name: 'AFAS sandbox' } },
			},
		],
		connections: { Run: { main: [[{ node: 'AFAS', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		active: false,
	});
	afas.resetStats();
	const execution = await executeOk('smokeAfasRows01');

	const rows = outputOf(execution, 'AFAS');
	const expected = afas
		.getRows('Mobietrain_Employees')
		.map((row) => String(row.externalId))
		.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
	expect(rows).toHaveLength(1500);
	expect(rows.map((row) => String(row.externalId))).toEqual(expected);
	// 1500 rows at 400 per page: pages 1-4, the last one short; every page after the first also
	// asks for the last row of the one before it (skip 399, take 401). Parallel paging may ask for
	// a few pages past the end. externalId is unique, so the sort stays as chosen.
	const pageCalls = afas
		.stats()
		.log.filter((entry) => entry.path.endsWith('/connectors/Mobietrain_Employees'));
	const skips = pageCalls.map((entry) => Number(entry.query.skip));
	expect(skips).toEqual(expect.arrayContaining([0, 399, 799, 1199]));
	expect(new Set(skips).size).toBe(skips.length);
	expect(
		pageCalls.every(
			(entry) =>
				entry.query.orderbyfieldids === 'externalId' &&
				entry.query.take === (entry.query.skip === '0' ? '400' : '401'),
		),
	).toBe(true);
	// The token went over the wire, never into n8n's output.
	expect(execution.stdout).not.toContain(afas.tokenData);
	expect(execution.stdout).not.toContain(afas.tokenBase64);
});

it('HiBob node in a real n8n returns every employee the service user may see, inactive ones included', async () => {
	await n8n.importWorkflow({
		id: 'smokeHiBobSrch1',
		name: 'Smoke: HiBob search',
		nodes: [
			manualTrigger(),
			{
				id: '33333333-3333-4333-8333-333333333333',
				name: 'HiBob',
				type: 'n8n-nodes-hr-sync.hiBob',
				typeVersion: 1,
				position: [220, 0],
				parameters: { resource: 'employee', operation: 'search', showInactive: true, options: {} },
				credentials: { hiBobApi: { id: 'hiBobApi', name: 'HiBob' } },
			},
		],
		connections: { Run: { main: [[{ node: 'HiBob', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		active: false,
	});
	const execution = await executeOk('smokeHiBobSrch1');
	const employees = outputOf(execution, 'HiBob');
	const expected = sandboxes.hibob.employees();
	expect(employees.map((e) => e.id).sort()).toEqual(expected.map((e) => e.id).sort());
	const sample = expected.find((e) => e.email !== null)!;
	expect(employees.find((e) => e.id === sample.id)).toMatchObject({
		email: sample.email,
		firstName: sample.firstName,
		surname: sample.surname,
	});
	expect(execution.stdout).not.toContain(sandboxes.hibob.token);
});

/** AFAS dates as the sandbox serves them ('2024-03-01T00:00:00Z', a local date) → '2024-03-01'. */
const day = (value: unknown) => (typeof value === 'string' ? value.slice(0, 10) : null);

describe('example workflows against the sandbox apps', () => {
	it('AFAS → MobieTrain: invites everyone in service into existing groups and stores, is idempotent, then updates and removes', async () => {
		const app = sandboxes.mobietrain;
		// A group that exists already without members (its people left): Reconcile Users lists it
		// again, the app answers 422 "already taken", and the workflow carries on.
		const preExisting = String(sandboxes.afas.getRows('Mobietrain_Employees')[0].functionId);
		app.seed('groups', [{ externalId: preExisting, name: 'Created by hand' }]);
		const first = await executeOk('hrSyncAfasMobi01');
		const summary = reconcileSummary(first) as { asOf: string; counts: Record<string, number> };
		const today = summary.asOf;
		const rows = sandboxes.afas.getRows('Mobietrain_Employees');
		const byExternalId = new Map(rows.map((row) => [String(row.externalId), row]));
		const users = app.collection('users');

		expect(users.length).toBe(summary.counts.create);
		expect(users.length).toBeGreaterThan(100);
		for (const user of users) {
			const row = byExternalId.get(String(user.externalId))!;
			expect(row).toBeDefined();
			// Nobody before their start date, nobody after their end date (which is still a working day).
			expect(day(row.employmentStartDate)! <= today).toBe(true);
			expect(row.employementEndDate === null || day(row.employementEndDate)! >= today).toBe(true);
			expect(user).toMatchObject({
				status: 'invited',
				firstName: row.firstName,
				lastName: row.lastName,
				groups: [row.functionId],
				stores: [row.organizationId],
			});
		}
		// Everyone in service with an e-mail address nobody else has was invited.
		const emailCount = new Map<string, number>();
		for (const row of rows)
			if (row.email)
				emailCount.set(
					String(row.email).toLowerCase(),
					(emailCount.get(String(row.email).toLowerCase()) ?? 0) + 1,
				);
		const invited = new Set(users.map((user) => String(user.externalId)));
		const missed = rows.filter(
			(row) =>
				row.email &&
				emailCount.get(String(row.email).toLowerCase()) === 1 &&
				day(row.employmentStartDate)! <= today &&
				(row.employementEndDate === null || day(row.employementEndDate)! >= today) &&
				!invited.has(String(row.externalId)),
		);
		expect(missed).toEqual([]);
		// Groups and stores were created first, once each.
		expect(
			app
				.collection('groups')
				.map((g) => g.externalId)
				.sort(),
		).toEqual([...new Set(users.map((u) => (u.groups as string[])[0]))].sort());
		expect(
			app
				.audit()
				.filter((entry) => entry.status >= 400)
				.map((entry) => `${entry.method} ${entry.path} ${entry.status}`),
		).toEqual([`POST ${new URL(app.url).pathname}/groups 422`]);

		const second = reconcileSummary(await executeOk('hrSyncAfasMobi01')) as {
			counts: Record<string, number>;
		};
		expect(second.counts).toMatchObject({
			create: 0,
			update: 0,
			remove: 0,
			createFirst: 0,
			unchanged: users.length,
		});

		// HR changes: one person renamed, one leaves (end date yesterday).
		const [renamed, leaver] = users
			.slice(0, 2)
			.map((user) => byExternalId.get(String(user.externalId))!);
		const yesterday = dayBefore(today);
		sandboxes.afas.setRows(
			'Mobietrain_Employees',
			rows.map((row) =>
				row === renamed
					? { ...row, lastName: `${row.lastName}-Jansen` }
					: row === leaver
						? { ...row, employementEndDate: yesterday }
						: row,
			),
		);
		app.resetAudit();
		const third = await executeOk('hrSyncAfasMobi01');
		expect((reconcileSummary(third) as { counts: Record<string, number> }).counts).toMatchObject({
			create: 0,
			update: 1,
			remove: 1,
		});
		expect(app.collection('users').find((u) => u.externalId === renamed.externalId)?.lastName).toBe(
			`${renamed.lastName}-Jansen`,
		);
		expect(app.collection('users').some((u) => u.externalId === leaver.externalId)).toBe(false);
		expect(
			app
				.audit()
				.map((entry) => `${entry.method} ${entry.status}`)
				.sort(),
		).toEqual(['DELETE 204', 'PATCH 200']);
	});

	it('HiBob → Declaree: creates active employees, links managers on the next run, deactivates a leaver', async () => {
		const app = sandboxes.declaree;
		const bob = sandboxes.hibob;
		const first = reconcileSummary(await executeOk('hrSyncBobDecl01')) as {
			asOf: string;
			counts: Record<string, number>;
		};
		const users = app.collection('users');
		expect(users.length).toBe(first.counts.create);
		expect(users.length).toBeGreaterThan(10);
		for (const user of users) {
			const employee = bob.employee(String(user.externalId))!;
			expect(user).toMatchObject({
				username: employee.email,
				email: employee.email,
				firstName: employee.firstName,
				lastName: employee.surname,
				enabled: true,
			});
		}

		// Managers created in the same run are linked by the next run; after that nothing changes.
		await executeOk('hrSyncBobDecl01');
		const appIdOf = new Map(app.collection('users').map((u) => [String(u.externalId), u.id]));
		for (const user of app.collection('users')) {
			const managerBobId = bob.employee(String(user.externalId))!.work.manager;
			if (managerBobId && appIdOf.has(managerBobId))
				expect(user.managerId).toBe(appIdOf.get(managerBobId));
		}
		expect(app.collection('users').filter((u) => u.managerId !== null).length).toBeGreaterThan(0);
		const third = reconcileSummary(await executeOk('hrSyncBobDecl01')) as {
			counts: Record<string, number>;
		};
		expect(third.counts).toMatchObject({ create: 0, update: 0, deactivate: 0 });

		// A leaver: terminated with a date in the past.
		const leaver = app.collection('users').find((u) => u.managerId !== null)!;
		const yesterday = dayBefore(first.asOf);
		bob.terminate(String(leaver.externalId), { terminationDate: yesterday });
		bob.resetLimits();
		const fourth = reconcileSummary(await executeOk('hrSyncBobDecl01')) as {
			counts: Record<string, number>;
		};
		expect(fourth.counts).toMatchObject({ create: 0, deactivate: 1 });
		expect(app.collection('users').find((u) => u.id === leaver.id)?.enabled).toBe(false);
		expect(app.audit().filter((entry) => entry.status >= 400)).toEqual([]);
	});

	it('AFAS → Oneteam: communities and functions from their own connectors first, then users with exactly one of each', async () => {
		const app = sandboxes.oneteam;
		const first = await executeOk('hrSyncAfasOnet01');
		expect(
			app
				.collection('communities')
				.map((c) => c.externalId)
				.sort(),
		).toEqual(
			sandboxes.afas
				.getRows('Oneteam_Communities')
				.map((r) => r.id)
				.sort(),
		);
		expect(
			app
				.collection('functions')
				.map((f) => f.externalId)
				.sort(),
		).toEqual(
			sandboxes.afas
				.getRows('Oneteam_Functions')
				.map((r) => r.id)
				.sort(),
		);
		const users = app.collection('users');
		const created = (
			reconcileSummary(first, 'Reconcile users') as { counts: Record<string, number> }
		).counts.create;
		expect(users.length).toBe(created);
		const afasUsers = new Map(
			sandboxes.afas.getRows('Oneteam_Users').map((row) => [String(row.id), row]),
		);
		for (const user of users) {
			const row = afasUsers.get(String(user.externalId))!;
			expect(user).toMatchObject({
				communityId: row.communityId,
				functionId: row.functionId,
				status: 'invited',
			});
		}
		expect(app.audit().filter((entry) => entry.status >= 400)).toEqual([]);

		const second = await executeOk('hrSyncAfasOnet01');
		for (const node of ['Reconcile communities', 'Reconcile functions', 'Reconcile users']) {
			expect(
				(reconcileSummary(second, node) as { counts: Record<string, number> }).counts,
			).toMatchObject({ create: 0, update: 0, remove: 0 });
		}
	});
});
