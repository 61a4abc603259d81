/**
 * The shipped example workflows in a real, started n8n (`n8n start`, regular mode, SQLite; one
 * instance for this file), against the sandbox servers. Each example runs through a Webhook
 * trigger added next to its Manual Trigger; its audit rows are read back from n8n's Data Tables
 * through the public API.
 *
 * - every example: first sync, an idempotent second run, a run after HR changed (rename, move,
 *   leaver), with one audit row per operation and one run row;
 * - failed writes (the app answers 500 for one person and 422 for another) do not stop the other
 *   writes, are recorded with status and message, and the next run makes exactly those writes;
 * - a dry run records the whole plan as skipped and leaves the app as it was;
 * - no token appears in any audit or run row;
 * - an app list whose count does not match the total the app reports fails the run before
 *   Reconcile Users.
 */
import { startSandboxes, type Sandboxes } from '../../sandbox';
import type { AppSandbox } from '../../sandbox/apps/server';
import {
	AUDIT_TABLE,
	auditOf,
	dayBefore,
	exampleVariant,
	loadExamples,
	reconcileSummary,
	RUNS_TABLE,
	runExample,
	runExampleOk,
	startExamples,
	tableRows,
	type ExampleWorkflow,
} from '../../scripts/lib/examples';
import type { Execution } from '../../scripts/lib/n8nApi';
import { N8nInstance } from '../../scripts/lib/n8nInstance';

jest.setTimeout(900_000);

const DRY_RUN = { id: 'hrSyncMobiDry01', name: 'AFAS → MobieTrain-style app (dry run)' };

let sandboxes: Sandboxes;
let n8n: N8nInstance;
let examples: ExampleWorkflow[];

const example = (id: string) => examples.find((e) => e.id === id)!;

beforeAll(async () => {
	sandboxes = await startSandboxes({ fixedPorts: false });
	n8n = await N8nInstance.create({ mode: 'regular' });
	const mobietrain = loadExamples().find((e) => e.id === 'hrSyncAfasMobi01')!;
	const dryRun = exampleVariant(mobietrain, sandboxes, DRY_RUN, (node) => {
		if (node.type === 'n8n-nodes-hr-sync.reconcileUsers')
			node.parameters = { ...(node.parameters as object), dryRun: true };
	});
	examples = await startExamples(n8n, sandboxes, [dryRun]);
});

afterAll(async () => {
	await n8n?.stop();
	await sandboxes?.close();
});

type Counts = Record<string, number>;
const countsOf = (execution: Execution, node = 'Reconcile Users') =>
	(reconcileSummary(execution, node) as { counts: Counts }).counts;

/** Operations a plan sends to the app (what Sync Audit records one row each for). */
const OPERATIONS = ['create', 'update', 'reactivate', 'deactivate', 'remove', 'createFirst'];
const operationCount = (counts: Counts) =>
	OPERATIONS.reduce((total, action) => total + (counts[action] ?? 0), 0);

/** Audit rows of an execution, by outcome. */
async function audit(execution: Execution) {
	const { rows, run } = await auditOf(n8n.api, execution.id);
	const operations = rows.filter((row) => OPERATIONS.includes(String(row.action)));
	const by = (outcome: string) => operations.filter((row) => row.outcome === outcome);
	return { rows, run: run!, operations, by };
}

/** Every row an execution's run wrote names it, and the run row's counts add up. */
function expectConsistent(
	{ rows, run, operations }: Awaited<ReturnType<typeof audit>>,
	execution: Execution,
	workflowName: string,
) {
	expect(run).toMatchObject({ execution_id: execution.id, workflow: workflowName });
	for (const row of rows)
		expect(row).toMatchObject({ execution_id: execution.id, workflow: workflowName });
	const count = (outcome: string) => operations.filter((row) => row.outcome === outcome).length;
	expect({ planned: run.planned, done: run.done, failed: run.failed }).toEqual({
		planned: operations.length,
		done: count('done'),
		failed: count('failed'),
	});
	expect(run.conflicts).toBe(rows.filter((row) => row.action === 'conflict').length);
}

/** AFAS dates as the sandbox serves them ('2024-03-01T00:00:00Z', a local date) → '2024-03-01'. */
const day = (value: unknown) => (typeof value === 'string' ? value.slice(0, 10) : null);

/** MobieTrain-style rows of AFAS that a first sync on `today` invites (in service, e-mail of their own). */
function invitees(today: string): Array<Record<string, unknown>> {
	const rows = sandboxes.afas.getRows('Mobietrain_Employees');
	const emailCount = new Map<string, number>();
	for (const row of rows)
		if (row.email) {
			const email = String(row.email).toLowerCase();
			emailCount.set(email, (emailCount.get(email) ?? 0) + 1);
		}
	return rows.filter(
		(row) =>
			row.email &&
			emailCount.get(String(row.email).toLowerCase()) === 1 &&
			day(row.employmentStartDate)! <= today &&
			(row.employementEndDate === null || day(row.employementEndDate)! >= today),
	);
}

function emptyApp(app: AppSandbox): void {
	for (const collection of ['users', 'groups', 'stores']) app.seed(collection, []);
	app.resetAudit();
}

describe('example workflows in a started n8n', () => {
	it('AFAS → MobieTrain: invites everyone in service into existing groups and stores, is idempotent, then updates and removes; one audit row per operation', async () => {
		const app = sandboxes.mobietrain;
		const name = example('hrSyncAfasMobi01').name;
		// A group that exists already without members (its people left): Reconcile Users lists it
		// again, the app answers 422 "already taken", the audit records it as existing already
		// (harmless, not a failure), and the run goes on.
		const preExisting = String(sandboxes.afas.getRows('Mobietrain_Employees')[0].functionId);
		app.seed('groups', [{ externalId: preExisting, name: 'Created by hand' }]);
		const first = await runExampleOk(n8n, 'hrSyncAfasMobi01');
		const summary = reconcileSummary(first) as { asOf: string; counts: Counts };
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
		const invited = new Set(users.map((user) => String(user.externalId)));
		expect(invitees(today).filter((row) => !invited.has(String(row.externalId)))).toEqual([]);
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

		// The audit: one row per planned operation, done, except the group that existed already.
		const firstAudit = await audit(first);
		expectConsistent(firstAudit, first, name);
		expect(firstAudit.operations).toHaveLength(operationCount(summary.counts));
		expect(firstAudit.by('failed')).toEqual([]);
		expect(firstAudit.by('skipped: exists already')).toEqual([
			expect.objectContaining({
				action: 'createFirst',
				record_key: `group ${preExisting}`,
				http_status: 422,
				message: expect.stringMatching(/already taken/),
			}),
		]);
		expect(firstAudit.by('done')).toHaveLength(firstAudit.operations.length - 1);
		const inviteRows = firstAudit.operations.filter((row) => row.action === 'create');
		expect(new Set(inviteRows.map((row) => row.external_id))).toEqual(invited);
		const appIds = new Map(users.map((user) => [String(user.externalId), user.id]));
		for (const row of inviteRows) expect(row.app_id).toBe(appIds.get(String(row.external_id)));
		expect(firstAudit.rows.filter((row) => row.action === 'conflict')).toHaveLength(
			summary.counts.conflict,
		);
		expect(firstAudit.run).toMatchObject({
			outcome: 'needs attention',
			hr_system: 'AFAS',
			failed: 0,
		});

		const second = await runExampleOk(n8n, 'hrSyncAfasMobi01');
		expect(countsOf(second)).toMatchObject({
			create: 0,
			update: 0,
			remove: 0,
			createFirst: 0,
			unchanged: users.length,
		});
		const secondAudit = await audit(second);
		expect(secondAudit.operations).toEqual([]);
		expect(secondAudit.run).toMatchObject({ outcome: 'needs attention', planned: 0, failed: 0 });

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
		const third = await runExampleOk(n8n, 'hrSyncAfasMobi01');
		expect(countsOf(third)).toMatchObject({ create: 0, update: 1, remove: 1 });
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
		const thirdAudit = await audit(third);
		expectConsistent(thirdAudit, third, name);
		expect(
			thirdAudit.operations.map((row) => ({
				action: row.action,
				external_id: row.external_id,
				outcome: row.outcome,
				changes: row.changes,
			})),
		).toEqual([
			{
				action: 'update',
				external_id: String(renamed.externalId),
				outcome: 'done',
				changes: `lastName: ${String(renamed.lastName)} → ${String(renamed.lastName)}-Jansen`,
			},
			{ action: 'remove', external_id: String(leaver.externalId), outcome: 'done', changes: null },
		]);
	});

	it('HiBob → Declaree: creates active employees, links managers on the next run, deactivates a leaver; one audit row per operation, done', async () => {
		const app = sandboxes.declaree;
		const bob = sandboxes.hibob;
		const first = await runExampleOk(n8n, 'hrSyncBobDecl01');
		const counts = countsOf(first);
		const asOf = (reconcileSummary(first) as { asOf: string }).asOf;
		const users = app.collection('users');
		expect(users.length).toBe(counts.create);
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
		const firstAudit = await audit(first);
		expectConsistent(firstAudit, first, example('hrSyncBobDecl01').name);
		expect(firstAudit.operations).toHaveLength(operationCount(counts));
		expect(firstAudit.by('done')).toHaveLength(firstAudit.operations.length);
		expect(firstAudit.run).toMatchObject({ hr_system: 'HiBob', app: 'Declaree-style app' });

		// Managers created in the same run are linked by the next run; after that nothing changes.
		const second = await runExampleOk(n8n, 'hrSyncBobDecl01');
		const appIdOf = new Map(app.collection('users').map((u) => [String(u.externalId), u.id]));
		for (const user of app.collection('users')) {
			const managerBobId = bob.employee(String(user.externalId))!.work.manager;
			if (managerBobId && appIdOf.has(managerBobId))
				expect(user.managerId).toBe(appIdOf.get(managerBobId));
		}
		expect(app.collection('users').filter((u) => u.managerId !== null).length).toBeGreaterThan(0);
		const links = (await audit(second)).operations;
		expect(links.length).toBeGreaterThan(0);
		expect(links.every((row) => row.action === 'update' && row.outcome === 'done')).toBe(true);
		expect(String(links[0].changes)).toMatch(/^managerId: \(empty\) → use_\d+$/);
		const third = await runExampleOk(n8n, 'hrSyncBobDecl01');
		expect(countsOf(third)).toMatchObject({ create: 0, update: 0, deactivate: 0 });

		// A leaver: terminated with a date in the past.
		const leaver = app.collection('users').find((u) => u.managerId !== null)!;
		bob.terminate(String(leaver.externalId), { terminationDate: dayBefore(asOf) });
		bob.resetLimits();
		const fourth = await runExampleOk(n8n, 'hrSyncBobDecl01');
		expect(countsOf(fourth)).toMatchObject({ create: 0, deactivate: 1 });
		expect(app.collection('users').find((u) => u.id === leaver.id)?.enabled).toBe(false);
		expect(app.audit().filter((entry) => entry.status >= 400)).toEqual([]);
		expect((await audit(fourth)).operations).toEqual([
			expect.objectContaining({
				action: 'deactivate',
				external_id: String(leaver.externalId),
				app_id: leaver.id,
				changes: 'enabled: true → false',
				outcome: 'done',
			}),
		]);
	});

	it('AFAS → Oneteam: communities and functions from their own connectors first, then users with exactly one of each; every step in one audit', async () => {
		const app = sandboxes.oneteam;
		const first = await runExampleOk(n8n, 'hrSyncAfasOnet01');
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
		const userCounts = countsOf(first, 'Reconcile users');
		expect(users.length).toBe(userCounts.create);
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

		const firstAudit = await audit(first);
		expectConsistent(firstAudit, first, example('hrSyncAfasOnet01').name);
		const steps = ['Reconcile communities', 'Reconcile functions', 'Reconcile users'];
		expect(
			steps.map((step) => firstAudit.operations.filter((row) => row.step === step).length),
		).toEqual([
			countsOf(first, steps[0]).create,
			countsOf(first, steps[1]).create,
			userCounts.create,
		]);
		expect(firstAudit.by('done')).toHaveLength(firstAudit.operations.length);
		expect(
			firstAudit.operations
				.filter((row) => row.step === steps[0])
				.map((row) => row.record_key)
				.sort(),
		).toEqual(
			sandboxes.afas
				.getRows('Oneteam_Communities')
				.map((r) => String(r.id))
				.sort(),
		);
		// The users step plans communities and functions to create first too; steps one and two
		// make them, so that output has nothing connected and its items are left out, visibly.
		expect(String(firstAudit.run.summary)).toContain(
			`Not recorded: ${userCounts.createFirst} planned on the Create First output of Reconcile users`,
		);

		const second = await runExampleOk(n8n, 'hrSyncAfasOnet01');
		for (const node of steps)
			expect(countsOf(second, node)).toMatchObject({ create: 0, update: 0, remove: 0 });
		expect((await audit(second)).operations).toEqual([]);
	});

	it('records failed writes with the app’s status and message, makes every other write, and the next healthy run makes exactly the missing ones', async () => {
		const app = sandboxes.mobietrain;
		// The example's reference date: today in its time zone, UTC.
		const [crashing, refused] = invitees(new Date().toISOString().slice(0, 10)).slice(5, 7);
		emptyApp(app);
		app.addWriteFault({ person: String(crashing.externalId), status: 500 });
		app.addWriteFault({
			person: String(refused.email),
			status: 422,
			message: 'Validation failed: this e-mail domain is not allowed',
		});
		const failing = await runExampleOk(n8n, 'hrSyncAfasMobi01');
		const failingAudit = await audit(failing);
		expectConsistent(failingAudit, failing, example('hrSyncAfasMobi01').name);
		expect(
			failingAudit
				.by('failed')
				.map((row) => [row.external_id, row.http_status, row.message])
				.sort((a, b) => Number(b[1]) - Number(a[1])),
		).toEqual([
			[
				String(crashing.externalId),
				500,
				'Internal server error: the request could not be completed',
			],
			[String(refused.externalId), 422, 'Validation failed: this e-mail domain is not allowed'],
		]);
		expect(failingAudit.by('done')).toHaveLength(failingAudit.operations.length - 2);
		expect(failingAudit.operations).toHaveLength(operationCount(countsOf(failing)));
		expect(failingAudit.run).toMatchObject({ outcome: 'failed', failed: 2 });
		// The execution is tagged with the outcome (n8n's custom execution data).
		const tagged = (await n8n.api.execution(failing.id)) as Execution & {
			customData?: Record<string, string>;
		};
		expect(tagged.customData).toEqual({
			hr_sync_outcome: 'failed',
			hr_sync_done: String(failingAudit.run.done),
			hr_sync_failed: '2',
			hr_sync_attention: String(failingAudit.run.attention),
		});
		expect(JSON.parse(String(failingAudit.run.counts_json)).create).toMatchObject({
			failed: 2,
			done: countsOf(failing).create - 2,
		});
		expect(String(failingAudit.run.failed_people).split('\n')).toHaveLength(2);
		expect(app.collection('users')).toHaveLength(countsOf(failing).create - 2);

		// Still failing: the same two writes are tried again, and the report says so.
		app.resetAudit();
		const again = await runExampleOk(n8n, 'hrSyncAfasMobi01');
		expect(countsOf(again).create).toBe(2);
		expect(
			app
				.audit()
				.map((entry) => entry.status)
				.sort(),
		).toEqual([422, 500]);
		const repeats = String((await audit(again)).run.repeat_failures).split('\n');
		expect(repeats).toHaveLength(2);
		for (const person of [crashing, refused])
			expect(repeats).toContainEqual(
				expect.stringMatching(
					new RegExp(`\\(${String(person.externalId)}\\): failed 2 runs in a row$`),
				),
			);

		// The app is healthy again: exactly the two missing invitations are sent.
		app.clearWriteFaults();
		app.resetAudit();
		const healthy = await runExampleOk(n8n, 'hrSyncAfasMobi01');
		expect(
			app
				.audit()
				.map((entry) => `${entry.method} ${entry.path} ${entry.status}`)
				.sort(),
		).toEqual([
			`POST ${new URL(app.url).pathname}/invitations 201`,
			`POST ${new URL(app.url).pathname}/invitations 201`,
		]);
		const healed = await audit(healthy);
		expect(
			healed.operations.map((row) => `${row.action} ${row.external_id} ${row.outcome}`).sort(),
		).toEqual([crashing, refused].map((row) => `create ${String(row.externalId)} done`).sort());
		expect(healed.run).toMatchObject({ failed: 0, repeat_failures: null });
	});

	it('in a dry run records the whole plan as "skipped: dry run" and leaves the app unchanged', async () => {
		const app = sandboxes.mobietrain;
		emptyApp(app);
		const execution = await runExampleOk(n8n, DRY_RUN.id);
		const summary = reconcileSummary(execution) as { dryRun: boolean; counts: Counts };
		expect(summary.dryRun).toBe(true);
		const { operations, run, by } = await audit(execution);
		expect(operations.length).toBe(operationCount(summary.counts));
		expect(operations.length).toBeGreaterThan(1000);
		expect(by('skipped: dry run')).toHaveLength(operations.length);
		expect(run).toMatchObject({ dry_run: true, done: 0, failed: 0, planned: operations.length });
		expect(app.audit()).toEqual([]);
		expect(app.collection('users')).toEqual([]);
	});

	it('never writes a token into an audit or run row', async () => {
		const secrets = [
			sandboxes.mobietrain.token,
			sandboxes.declaree.token,
			sandboxes.oneteam.token,
			sandboxes.afas.tokenData,
			sandboxes.afas.tokenBase64,
			sandboxes.hibob.token,
		];
		const everything = JSON.stringify([
			await tableRows(n8n.api, AUDIT_TABLE),
			await tableRows(n8n.api, RUNS_TABLE),
		]);
		expect(everything.length).toBeGreaterThan(100_000);
		for (const secret of secrets) expect(everything).not.toContain(secret);
	});

	it('fails the run before Reconcile Users when the app list has fewer users than the app reports', async () => {
		const app = sandboxes.declaree;
		app.resetAudit();
		app.setListTotalOffset(1);
		try {
			const execution = await runExample(n8n, { id: 'hrSyncBobDecl01' });
			expect(execution.status).toBe('error');
			const error = execution.data!.resultData.error!;
			const users = app.collection('users').length;
			expect(error.message).toContain(
				`Read ${users} users from the app, but the app reports ${users + 1}`,
			);
			const runData = execution.data!.resultData.runData;
			expect(runData['All users, counted'][0].error).toBeDefined();
			expect(runData['Reconcile Users']).toBeUndefined();
			expect(app.audit()).toEqual([]);
		} finally {
			app.setListTotalOffset(0);
		}
	});
});
