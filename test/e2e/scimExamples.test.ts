/**
 * The SCIM example workflows (AFAS → any SCIM 2.0 app, HiBob → any SCIM 2.0 app) in a real,
 * started n8n (`n8n start`, regular mode, SQLite; one instance for this file), each against a SCIM
 * sandbox app of its own, whose library validates every request against the RFC 7643 schemas. Each example runs
 * through a Webhook trigger added next to its Manual Trigger; what it wrote is read back through
 * SCIM filters (`externalId eq "…"`, `userName eq "…"`, Groups `displayName eq "…"`), and its audit
 * rows from n8n's Data Tables.
 *
 * - AFAS → SCIM: first sync (job groups created before the users; memberships on the next run),
 *   a run that adds the memberships, a run with nothing to do (no writes at all), then a leaver
 *   deactivated (`active: false`) and a mover taken from the old job's group into the new one;
 * - HiBob → SCIM: first sync with department groups, managers and memberships on the next run,
 *   a run with nothing to do;
 * - after every run: the sandbox refused no request, and every operation has an audit row `done`.
 */
import { startSandboxes, type Sandboxes } from '../../sandbox';
import { listItemName } from '../../sandbox/hibob/metadata';
import { ENTERPRISE_USER, type ScimResource, type ScimSandbox } from '../../sandbox/scim/server';
import {
	AUDIT_TABLE,
	auditOf,
	dayBefore,
	reconcileSummary,
	RUNS_TABLE,
	runExample,
	startExamples,
	tableRows,
} from '../../scripts/lib/examples';
import type { Execution } from '../../scripts/lib/n8nApi';
import { N8nInstance } from '../../scripts/lib/n8nInstance';

jest.setTimeout(600_000);

const AFAS_SCIM = 'hrSyncAfasScim01';
const BOB_SCIM = 'hrSyncBobScim01';

let sandboxes: Sandboxes;
let n8n: N8nInstance;

beforeAll(async () => {
	sandboxes = await startSandboxes({ fixedPorts: false });
	n8n = await N8nInstance.create({ mode: 'regular' });
	await startExamples(n8n, sandboxes);
});

afterAll(async () => {
	await n8n?.stop();
	await sandboxes?.close();
});

type Counts = Record<string, number>;
type Json = Record<string, unknown>;

/** Runs an example; throws, with n8n's error, unless the execution succeeded. */
async function runOk(workflowId: string): Promise<{ execution: Execution; counts: Counts }> {
	const execution = await runExample(n8n, { id: workflowId });
	if (execution.status !== 'success')
		throw new Error(
			`${workflowId} ended ${execution.status}: ${JSON.stringify(execution.data?.resultData.error ?? null)}`,
		);
	const summary = reconcileSummary(execution) as { counts: Counts };
	return { execution, counts: summary.counts };
}

/** Actions that write to the app, each one audit row. */
const OPERATIONS = [
	'createFirst',
	'create',
	'update',
	'reactivate',
	'deactivate',
	'remove',
	'groupAdd',
	'groupRemove',
];
const operationCount = (counts: Counts) =>
	OPERATIONS.reduce((total, action) => total + (counts[action] ?? 0), 0);

/**
 * The audit rows of an execution that are operations; checks that there is one per planned
 * operation, all `done`, and that the run row counts them.
 */
async function doneOperations(execution: Execution, counts: Counts): Promise<Json[]> {
	const { rows, run } = await auditOf(n8n.api, execution.id);
	const operations = rows.filter((row) => OPERATIONS.includes(String(row.action)));
	expect(operations).toHaveLength(operationCount(counts));
	expect(operations.filter((row) => row.outcome !== 'done')).toEqual([]);
	expect(run).toMatchObject({
		execution_id: execution.id,
		app: 'SCIM 2.0 app',
		planned: operations.length,
		done: operations.length,
		failed: 0,
	});
	return operations;
}

/** The requests a SCIM app got since the last check, as `METHOD /Type[/id]`; none may be refused. */
function requestsSinceLastCheck(app: ScimSandbox): string[] {
	const { log, rejected } = app.stats();
	expect(rejected).toEqual([]);
	const seen = checkedRequests.get(app) ?? 0;
	checkedRequests.set(app, log.length);
	return log.slice(seen).map((entry) => `${entry.method} ${entry.path}`);
}
const checkedRequests = new Map<ScimSandbox, number>();

/** The writes (every request but GET) a SCIM app got since the last check. */
const writesSinceLastCheck = (app: ScimSandbox) =>
	requestsSinceLastCheck(app).filter((request) => !request.startsWith('GET'));

/** A SCIM list read from a SCIM app with a filter, as any SCIM client would. */
async function scimList(
	app: ScimSandbox,
	type: 'Users' | 'Groups',
	filter: string,
): Promise<ScimResource[]> {
	const url = `${app.url}/${type}?filter=${encodeURIComponent(filter)}`;
	const response = await fetch(url, { headers: { Authorization: `Bearer ${app.token}` } });
	expect(response.status).toBe(200);
	const body = (await response.json()) as { totalResults: number; Resources?: ScimResource[] };
	expect(body.Resources ?? []).toHaveLength(body.totalResults);
	return body.Resources ?? [];
}

/** The one resource a filter finds (fails unless there is exactly one). */
async function scimOne(
	app: ScimSandbox,
	type: 'Users' | 'Groups',
	filter: string,
): Promise<ScimResource> {
	const found = await scimList(app, type, filter);
	expect({ filter, found: found.length }).toEqual({ filter, found: 1 });
	return found[0];
}

/** A SCIM string literal for a filter: a JSON string (RFC 7644, section 3.4.2.2). */
const literal = (value: unknown) => JSON.stringify(String(value));

/** An HR email as Reconcile Users writes it to userName: trimmed, lower case. */
const userNameOf = (email: unknown) => String(email).trim().toLowerCase();

const enterprise = (user: Json) => (user[ENTERPRISE_USER] ?? {}) as Json;
const memberIds = (group: Json) =>
	((group.members as Array<{ value: string }> | undefined) ?? []).map((m) => m.value).sort();

describe('SCIM example workflows in a started n8n', () => {
	describe('AFAS → any SCIM 2.0 app', () => {
		const afasRows = () => sandboxes.afas.getRows('Mobietrain_Employees');
		let app: ScimSandbox;
		let users: ScimResource[];
		let jobName: Map<string, string>;
		/** The day the plans are made for (Reconcile Users' reference date, UTC). */
		let today: string;

		beforeAll(() => {
			app = sandboxes.scim;
		});

		it('first sync: creates the job groups first, then a SCIM User per employee in service', async () => {
			const { execution, counts } = await runOk(AFAS_SCIM);
			today = String(reconcileSummary(execution)!.asOf);
			users = app.getUsers();
			expect(users.length).toBe(counts.create);
			expect(users.length).toBeGreaterThan(1000);
			const byExternalId = new Map(afasRows().map((row) => [String(row.externalId), row]));
			for (const user of users) {
				const row = byExternalId.get(String(user.externalId))!;
				expect(user).toMatchObject({
					userName: userNameOf(row.email),
					name: { givenName: row.firstName, familyName: row.lastName },
					displayName: `${String(row.firstName)} ${String(row.lastName)}`,
					emails: [{ value: userNameOf(row.email), type: 'work', primary: true }],
					active: true,
				});
				expect(enterprise(user)).toEqual({
					employeeNumber: row.externalId,
					...(row.organizationName ? { department: row.organizationName } : {}),
				});
			}
			// One group per job of the people created, named after the job, empty until the next run.
			jobName = new Map(
				users.map((user) => {
					const row = byExternalId.get(String(user.externalId))!;
					return [String(row.functionId), String(row.functionDescription)];
				}),
			);
			const groups = app.getGroups();
			expect(groups.map((g) => [g.externalId, g.displayName]).sort()).toEqual([...jobName].sort());
			expect(counts.createFirst).toBe(groups.length);
			expect(groups.flatMap(memberIds)).toEqual([]);
			// Read back through filters, as any SCIM client would.
			for (const user of users.slice(0, 3)) {
				const found = await scimOne(app, 'Users', `externalId eq ${literal(user.externalId)}`);
				expect(found).toMatchObject({ id: user.id, userName: user.userName, active: true });
				expect((await scimOne(app, 'Users', `userName eq ${literal(user.userName)}`)).id).toBe(
					user.id,
				);
			}
			const [code, name] = [...jobName][0];
			expect((await scimOne(app, 'Groups', `displayName eq ${literal(name)}`)).externalId).toBe(
				code,
			);
			// Groups were created before any user; the sandbox accepted every request.
			const requests = requestsSinceLastCheck(app);
			expect(requests.lastIndexOf('POST /Groups')).toBeLessThan(requests.indexOf('POST /Users'));
			expect(requests.filter((r) => r.startsWith('POST'))).toHaveLength(
				counts.create + counts.createFirst,
			);

			const operations = await doneOperations(execution, counts);
			const ids = new Map(users.map((user) => [String(user.externalId), user.id]));
			const creates = operations.filter((row) => row.action === 'create');
			expect(creates).toHaveLength(users.length);
			for (const row of creates) expect(row.app_id).toBe(ids.get(String(row.external_id)));
			expect(
				operations
					.filter((row) => row.action === 'createFirst')
					.map((row) => [row.record_key, row.display_name])
					.sort(),
			).toEqual([...jobName].map(([code, name]) => [`group ${code}`, name]).sort());
		});

		it('second run: puts everyone into their job’s group, and changes nothing else', async () => {
			const { execution, counts } = await runOk(AFAS_SCIM);
			expect(counts).toMatchObject({ create: 0, update: 0, createFirst: 0, groupRemove: 0 });
			expect(counts.groupAdd).toBeGreaterThanOrEqual(jobName.size);
			const jobOf = new Map(afasRows().map((row) => [String(row.externalId), row.functionId]));
			for (const [code, name] of jobName) {
				const group = await scimOne(app, 'Groups', `displayName eq ${literal(name)}`);
				expect(group.externalId).toBe(code);
				const expected = users
					.filter((user) => jobOf.get(String(user.externalId)) === code)
					.map((user) => user.id)
					.sort();
				expect(memberIds(group)).toEqual(expected);
			}
			expect(
				requestsSinceLastCheck(app)
					.filter((r) => !r.startsWith('GET'))
					.every((r) => r.startsWith('PATCH /Groups/')),
			).toBe(true);
			const operations = await doneOperations(execution, counts);
			expect(new Set(operations.map((row) => row.action))).toEqual(new Set(['groupAdd']));
		});

		it('third run: nothing changed in AFAS, so nothing is written', async () => {
			const { execution, counts } = await runOk(AFAS_SCIM);
			expect(operationCount(counts)).toBe(0);
			expect(counts.unchanged).toBe(users.length);
			expect(writesSinceLastCheck(app)).toEqual([]);
			expect(await doneOperations(execution, counts)).toEqual([]);
		});

		it('a leaver is deactivated (active: false) and keeps the group; a mover changes job group', async () => {
			const rows = afasRows();
			const [leaverUser, moverUser] = users;
			const leaver = rows.find((row) => row.externalId === leaverUser.externalId)!;
			const mover = rows.find((row) => row.externalId === moverUser.externalId)!;
			const [newJob, newJobName] = [...jobName].find(([code]) => code !== mover.functionId)!;
			sandboxes.afas.setRows(
				'Mobietrain_Employees',
				rows.map((row) =>
					row === leaver
						? { ...row, employementEndDate: dayBefore(today) }
						: row === mover
							? { ...row, functionId: newJob, functionDescription: newJobName }
							: row,
				),
			);
			const { execution, counts } = await runOk(AFAS_SCIM);
			expect(counts).toMatchObject({
				create: 0,
				update: 0,
				deactivate: 1,
				remove: 0,
				createFirst: 0,
				groupAdd: 1,
				groupRemove: 1,
			});
			const oldGroup = await scimOne(app, 'Groups', `externalId eq ${literal(mover.functionId)}`);
			const newGroup = await scimOne(app, 'Groups', `displayName eq ${literal(newJobName)}`);
			// In canvas order: the Update output (removals before additions), then Deactivate/Remove.
			expect(writesSinceLastCheck(app)).toEqual([
				`PATCH /Groups/${oldGroup.id}`,
				`PATCH /Groups/${newGroup.id}`,
				`PATCH /Users/${leaverUser.id}`,
			]);

			const deactivated = await scimOne(
				app,
				'Users',
				`userName eq ${literal(leaverUser.userName)}`,
			);
			expect(deactivated).toMatchObject({ id: leaverUser.id, active: false });
			const leaverGroup = await scimOne(
				app,
				'Groups',
				`displayName eq ${literal(jobName.get(String(leaver.functionId)))}`,
			);
			expect(memberIds(leaverGroup)).toContain(leaverUser.id);

			expect(
				await scimList(
					app,
					'Groups',
					`externalId eq ${literal(mover.functionId)} and members.value eq ${literal(moverUser.id)}`,
				),
			).toEqual([]);
			expect(memberIds(oldGroup)).not.toContain(moverUser.id);
			expect(memberIds(oldGroup).length).toBeGreaterThan(0);
			expect(memberIds(newGroup)).toContain(moverUser.id);
			const moved = await scimOne(app, 'Users', `externalId eq ${literal(mover.externalId)}`);
			expect(moved.groups).toEqual([expect.objectContaining({ value: newGroup.id })]);

			const operations = await doneOperations(execution, counts);
			const row = (action: string) => operations.find((r) => r.action === action);
			expect(operations).toHaveLength(3);
			expect(row('deactivate')).toMatchObject({
				external_id: leaverUser.externalId,
				app_id: leaverUser.id,
				changes: 'active: true → false',
			});
			expect(row('groupRemove')).toMatchObject({
				record_key: `group ${String(mover.functionId)}`,
				app_id: oldGroup.id,
				changes: `members removed: [${String(mover.externalId)}]`,
			});
			expect(row('groupAdd')).toMatchObject({
				record_key: `group ${newJob}`,
				display_name: newJobName,
				app_id: newGroup.id,
				changes: `members added: [${String(mover.externalId)}]`,
			});
			// The next run finds the app as planned: nothing more to write.
			const after = await runOk(AFAS_SCIM);
			expect(operationCount(after.counts)).toBe(0);
			expect(writesSinceLastCheck(app)).toEqual([]);
		});
	});

	describe('HiBob → any SCIM 2.0 app', () => {
		let app: ScimSandbox;

		beforeAll(() => {
			app = sandboxes.scimHiBob;
			sandboxes.hibob.resetLimits();
		});

		it('first sync: department groups first, a SCIM User per active employee; managers and memberships on the next run; then nothing to do', async () => {
			const bob = sandboxes.hibob;
			const first = await runOk(BOB_SCIM);
			const users = app.getUsers();
			expect(users.length).toBe(first.counts.create);
			expect(users.length).toBeGreaterThan(10);
			for (const user of users) {
				const employee = bob.employee(String(user.externalId))!;
				expect(user).toMatchObject({
					userName: userNameOf(employee.email),
					name: { givenName: employee.firstName, familyName: employee.surname },
					active: true,
				});
			}
			const departments = new Map(
				users.map((user) => {
					const code = String(bob.employee(String(user.externalId))!.work.department);
					return [code, listItemName('department', code)];
				}),
			);
			expect(
				app
					.getGroups()
					.map((g) => [g.externalId, g.displayName])
					.sort(),
			).toEqual([...departments].sort());
			requestsSinceLastCheck(app);
			await doneOperations(first.execution, first.counts);

			const second = await runOk(BOB_SCIM);
			expect(second.counts).toMatchObject({ create: 0, createFirst: 0, groupRemove: 0 });
			const idOf = new Map(users.map((user) => [String(user.externalId), user.id]));
			let linked = 0;
			for (const user of users) {
				const managerId = bob.employee(String(user.externalId))!.work.manager;
				const found = await scimOne(app, 'Users', `externalId eq ${literal(user.externalId)}`);
				if (managerId && idOf.has(managerId)) {
					expect(enterprise(found).manager).toMatchObject({ value: idOf.get(managerId) });
					linked++;
				}
			}
			expect(linked).toBeGreaterThan(0);
			expect(second.counts.update).toBe(linked);
			for (const [code, name] of departments) {
				const group = await scimOne(app, 'Groups', `displayName eq ${literal(name)}`);
				expect(group.externalId).toBe(code);
				expect(memberIds(group)).toEqual(
					users
						.filter((user) => bob.employee(String(user.externalId))!.work.department === code)
						.map((user) => user.id)
						.sort(),
				);
			}
			requestsSinceLastCheck(app);
			await doneOperations(second.execution, second.counts);

			bob.resetLimits();
			const third = await runOk(BOB_SCIM);
			expect(operationCount(third.counts)).toBe(0);
			expect(third.counts.unchanged).toBe(users.length);
			expect(writesSinceLastCheck(app)).toEqual([]);
			expect(await doneOperations(third.execution, third.counts)).toEqual([]);
		});
	});

	it('never writes a SCIM token into an audit or run row', async () => {
		const everything = JSON.stringify([
			await tableRows(n8n.api, AUDIT_TABLE),
			await tableRows(n8n.api, RUNS_TABLE),
		]);
		expect(everything).toContain('SCIM 2.0 app');
		expect(everything).not.toContain(sandboxes.scim.token);
		expect(everything).not.toContain(sandboxes.scimHiBob.token);
	});
});
