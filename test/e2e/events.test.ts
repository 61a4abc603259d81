/**
 * The event-driven examples in a real, started n8n (`n8n start`, regular mode, SQLite), published
 * as shipped (pointed at the sandboxes), against the sandbox servers:
 *
 * HiBob → Declaree-style, on every change (`hibob-to-declaree-events.json`), after one run of
 * the scheduled HiBob example (the nightly safety net) filled the app:
 * - the HiBob sandbox registers the production URL (HiBob's Ping test answered, nothing started);
 * - a joiner, a change and a leaver made in the HiBob sandbox each reach the app (polled, bounded
 *   wait); the joiner's several events (created, joined, activated) give one user;
 * - a delivery sent twice is applied once; a forged or missing signature is answered 401 and
 *   starts nothing;
 * - two identical deliveries for one joiner at the same moment, while the app is slow to write so
 *   both runs plan the create: exactly one app user, and the audit records the second create as
 *   `skipped: exists already` with the app's answer;
 * - measured (printed, not asserted): event-to-app time over 20 events.
 *
 * AFAS → MobieTrain-style, every 15 minutes (`afas-to-mobietrain-events.json`), here polling every
 * minute, after one run of the daily AFAS example filled the app: publishing runs the first poll
 * at once (n8n polls when it activates a workflow), which records the state and starts nothing;
 * the next scheduled poll (within a minute) picks up a new row, a changed row and a removed row.
 *
 * Both triggers after n8n is stopped and started again (the same database): a HiBob event sent
 * while n8n was down arrives (HiBob keeps retrying) and an old delivery sent again is dropped;
 * AFAS rows changed while n8n was down are reported by the poll n8n runs when it starts, and the
 * changes reported before the restart are not reported again.
 */
import { startSandboxes, type Sandboxes } from '../../sandbox';
import type { AppSandbox } from '../../sandbox/apps/server';
import type { HiBobSandbox } from '../../sandbox/hibob/server';
import {
	afasTriggerItems,
	auditOf,
	connectorReads,
	dayBefore,
	editAfasRows,
	eventExampleVariant,
	eventExamples,
	hiBobWebhookPath,
	newAfasRow,
	publishEventExample,
	runExample,
	settleEvents,
	startExamples,
	stepHiBobClock,
	waitForApp,
	waitForPoll,
	type ExampleWorkflow,
} from '../../scripts/lib/examples';
import type { Execution } from '../../scripts/lib/n8nApi';
import { N8nInstance } from '../../scripts/lib/n8nInstance';

jest.setTimeout(900_000);

const BOB_EVENTS = 'hrSyncBobDeclEv';
/** The AFAS event example polling every minute (the shipped one polls every 15 minutes). */
const AFAS_EVENTS = { id: 'hrSyncAfasMobiE1', name: 'AFAS → MobieTrain-style app, every minute' };
const CONNECTOR = 'Mobietrain_Employees';

let sandboxes: Sandboxes;
let n8n: N8nInstance;
let bob: HiBobSandbox;
let app: AppSandbox;
let bobEvents: ExampleWorkflow;
let webhookUrl: string;
/** Execution ids of the Ping test check, for "nothing started". */
let registeredAfter: string;
let afasEvents: ExampleWorkflow['json'];

const usersOf = (externalId: string) =>
	app.collection('users').filter((user) => user.externalId === externalId);
const userOf = (externalId: string) => usersOf(externalId)[0];

/**
 * The newest execution id of an event workflow (default the HiBob one), running ones included
 * ('0' before the first; the public API lists running executions only when asked for them).
 */
async function lastEventRun(workflowId = BOB_EVENTS): Promise<string> {
	const [running, listed] = await Promise.all([
		n8n.api.executions({ workflowId, status: 'running' }),
		n8n.api.executions({ workflowId }),
	]);
	return String(Math.max(0, ...[...running, ...listed].map((execution) => Number(execution.id))));
}

/** The audit rows of some executions about one person. */
async function auditRowsFor(executions: Execution[], externalId: string) {
	const rows = [];
	for (const execution of executions)
		rows.push(
			...(await auditOf(n8n.api, execution.id)).rows.filter(
				(row) => row.external_id === externalId,
			),
		);
	return rows;
}

/** The successful writes the app received about one app user or external ID. */
const writesAbout = (externalId: string) => {
	const ids = new Set(usersOf(externalId).map((user) => user.id));
	return app
		.audit()
		.filter(
			(entry) =>
				entry.status < 400 &&
				(ids.has(String(entry.id)) ||
					(entry.body as Record<string, unknown> | undefined)?.externalId === externalId),
		);
};

/** A new hire starting today, with an e-mail address of their own. */
let hires = 0;
function hire(): { id: string; email: string; surname: string } {
	hires++;
	stepHiBobClock(bob);
	const surname = `Eventhire${hires}`;
	const email = `joiner${hires}.${Date.now()}@acme-hr.example`;
	const employee = bob.addEmployee({ firstName: 'Noor', surname, email, startDate: bob.today() });
	return { id: employee.id, email, surname };
}

/** An enabled app user whose HiBob employee is employed, not yet used by another test. */
const used = new Set<string>();
function activePerson(): string {
	const user = app
		.collection('users')
		.find(
			(u) =>
				u.enabled === true &&
				!used.has(String(u.externalId)) &&
				bob.lifecycle(String(u.externalId)).lifecycleStatus === 'employed',
		);
	if (!user) throw new Error('no enabled, employed person left in the Declaree-style app');
	used.add(String(user.externalId));
	return String(user.externalId);
}

function rename(externalId: string, surname: string): void {
	stepHiBobClock(bob);
	bob.updateEmployee(externalId, { 'root.surname': surname });
}

function terminateYesterday(externalId: string): void {
	stepHiBobClock(bob);
	bob.terminate(externalId, { terminationDate: dayBefore(bob.today()) });
}

async function post(url: string, rawBody: string, headers: Record<string, string>) {
	const response = await fetch(url, { method: 'POST', headers, body: rawBody });
	return { status: response.status, body: await response.text() };
}

beforeAll(async () => {
	sandboxes = await startSandboxes({ fixedPorts: false });
	bob = sandboxes.hibob;
	app = sandboxes.declaree;
	n8n = await N8nInstance.create({ mode: 'regular' });
	const afasShipped = eventExamples().find((example) => example.id === 'hrSyncAfasMobiEv')!;
	afasEvents = eventExampleVariant(afasShipped, sandboxes, AFAS_EVENTS, (node) => {
		if (node.type === 'n8n-nodes-hr-sync.afasTrigger')
			node.parameters = {
				...(node.parameters as object),
				pollTimes: { item: [{ mode: 'everyMinute' }] },
			};
	});
	await startExamples(n8n, sandboxes, [], { events: true, unpublished: [afasEvents] });
	// The nightly full sync fills the app first; events keep it current from then on.
	const nightly = await runExample(n8n, { id: 'hrSyncBobDecl01' });
	if (nightly.status !== 'success')
		throw new Error(`the nightly HiBob run ended ${nightly.status}`);
	bobEvents = eventExamples().find((example) => example.id === BOB_EVENTS)!;
	registeredAfter = await lastEventRun();
	webhookUrl = (await publishEventExample(n8n, sandboxes, bobEvents))!;
});

afterAll(async () => {
	await n8n?.stop();
	await sandboxes?.close();
});

beforeEach(() => {
	bob.resetLimits();
	app.setWriteLatency(0);
});

describe('HiBob → Declaree-style app, on every change, in a started n8n', () => {
	it('is registered with the HiBob sandbox: the Ping test is answered and starts nothing', async () => {
		expect(bob.webhooks().map((hook) => hook.url)).toEqual([webhookUrl]);
		const pings = bob.deliveries().filter((attempt) => attempt.type === 'ping');
		expect(pings.at(-1)).toMatchObject({ url: webhookUrl, status: 200 });
		expect(await lastEventRun()).toBe(registeredAfter);
		expect(app.collection('users').length).toBeGreaterThan(10);
	});

	it('brings a joiner, a change and a leaver made in HiBob into the app within seconds; the joiner’s several events give one user', async () => {
		const afterId = await lastEventRun();
		app.resetAudit();

		const joiner = hire();
		const created = await waitForApp('the joiner in the app', () => userOf(joiner.id));
		expect(created.value).toMatchObject({
			username: joiner.email,
			email: joiner.email,
			firstName: 'Noor',
			lastName: joiner.surname,
			enabled: true,
		});

		const mover = activePerson();
		rename(mover, 'Bakker-Event');
		const renamed = await waitForApp('the change in the app', () =>
			userOf(mover)?.lastName === 'Bakker-Event' ? true : undefined,
		);

		const leaver = activePerson();
		terminateYesterday(leaver);
		const deactivated = await waitForApp('the leaver deactivated in the app', () =>
			userOf(leaver)?.enabled === false ? true : undefined,
		);
		console.log(
			`HiBob event to app: joiner ${created.ms} ms, change ${renamed.ms} ms, leaver ${deactivated.ms} ms`,
		);

		const executions = await settleEvents(n8n, bob, BOB_EVENTS, afterId);
		expect(executions.map((execution) => execution.status)).toEqual(
			executions.map(() => 'success'),
		);
		// created, joined, activated; updated; updated (termination date), left, inactivated
		expect(executions.length).toBe(7);
		expect(usersOf(joiner.id)).toHaveLength(1);
		expect(writesAbout(joiner.id).filter((entry) => entry.method === 'POST')).toHaveLength(1);
		const joinerRows = await auditRowsFor(executions, joiner.id);
		expect(joinerRows.filter((row) => row.outcome === 'done').map((row) => row.action)).toEqual([
			'create',
		]);
		// Other runs for the joiner either found the user (unchanged: no row) or had their create
		// refused by the app (the external ID is unique there).
		for (const row of joinerRows.filter((r) => r.outcome !== 'done'))
			expect(row).toMatchObject({ action: 'create', outcome: 'skipped: exists already' });
		const moverRows = await auditRowsFor(executions, mover);
		expect(moverRows).toEqual([
			expect.objectContaining({
				action: 'update',
				outcome: 'done',
				changes: expect.stringMatching(/^lastName: .+ → Bakker-Event$/),
			}),
		]);
		const leaverRows = await auditRowsFor(executions, leaver);
		expect(leaverRows.filter((row) => row.outcome === 'done').length).toBeGreaterThanOrEqual(1);
		expect(leaverRows.every((row) => row.action === 'deactivate' && row.outcome === 'done')).toBe(
			true,
		);
		// Nobody else was touched.
		const touched = new Set(
			app
				.audit()
				.filter((entry) => entry.status < 400)
				.map((entry) => String(entry.id)),
		);
		expect([...touched].sort()).toEqual(
			[joiner.id, mover, leaver].map((externalId) => String(userOf(externalId)!.id)).sort(),
		);
	});

	it('applies a delivery sent twice once', async () => {
		bob.clearWebhooks();
		const joiner = hire();
		await bob.registerWebhook({ url: webhookUrl, secret: bob.webhookSecret });
		const afterId = await lastEventRun();
		app.resetAudit();
		const second = await bob.emitWebhook(
			webhookUrl,
			{ type: 'employee.created', employeeId: joiner.id, triggeredBy: bob.serviceUserId },
			{ duplicate: true },
		);
		expect(second.status).toBe(200);
		await waitForApp('the joiner in the app', () => userOf(joiner.id));
		const executions = await settleEvents(n8n, bob, BOB_EVENTS, afterId);
		console.log(
			`Duplicate delivery: ${executions.length} execution(s); the trigger answered the copy "${second.body}"`,
		);
		expect(usersOf(joiner.id)).toHaveLength(1);
		expect(writesAbout(joiner.id)).toEqual([
			expect.objectContaining({ method: 'POST', status: 201 }),
		]);
	});

	it('answers a forged or missing Bob-Signature with 401 and starts nothing', async () => {
		const afterId = await lastEventRun();
		const person = activePerson();
		stepHiBobClock(bob);
		const event = { type: 'employee.updated', employeeId: person, fieldUpdates: ['root.surname'] };
		const forged = await bob.emitWebhook(webhookUrl, event, { badSignature: true });
		const unsigned = await bob.emitWebhook(webhookUrl, event, { unsigned: true });
		expect([forged.status, unsigned.status]).toEqual([401, 401]);
		expect(JSON.parse(forged.body)).toEqual({ message: 'Missing or invalid Bob-Signature' });
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect(await lastEventRun()).toBe(afterId);
	});

	it('two identical deliveries for one joiner at the same moment: one app user, the second create recorded as "skipped: exists already"', async () => {
		bob.clearWebhooks();
		const joiner = hire();
		await bob.registerWebhook({ url: webhookUrl, secret: bob.webhookSecret });
		const afterId = await lastEventRun();
		// Slow writes: both runs look the joiner up before either create is made.
		app.setWriteLatency(3000);
		app.resetAudit();
		const delivery = bob.buildWebhook({
			type: 'employee.created',
			employeeId: joiner.id,
			triggeredBy: bob.serviceUserId,
		});
		const answers = await Promise.all([
			post(webhookUrl, delivery.rawBody, delivery.headers),
			post(webhookUrl, delivery.rawBody, delivery.headers),
		]);
		expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
		const executions = await settleEvents(n8n, bob, BOB_EVENTS, afterId);
		expect(executions).toHaveLength(2);
		expect(usersOf(joiner.id)).toHaveLength(1);
		const creates = app
			.audit()
			.filter((entry) => entry.method === 'POST')
			.map((entry) => entry.status)
			.sort();
		expect(creates).toEqual([201, 422]);
		const rows = await auditRowsFor(executions, joiner.id);
		expect(rows.map((row) => `${row.action} ${row.outcome}`).sort()).toEqual([
			'create done',
			'create skipped: exists already',
		]);
		expect(rows.find((row) => row.outcome !== 'done')).toMatchObject({
			http_status: 422,
			message: expect.stringContaining(`externalId "${joiner.id}" is already taken`),
		});
		const runs = await Promise.all(
			executions.map(async (execution) => (await auditOf(n8n.api, execution.id)).run!),
		);
		expect(runs.map((run) => run.outcome).sort()).toEqual(['ok', 'ok']);
		expect(runs.map((run) => run.failed)).toEqual([0, 0]);
	});

	it('measures the time from HiBob sending an event to the app showing it, over 20 events', async () => {
		const times: Array<{ kind: string; ms: number }> = [];
		const afterId = await lastEventRun();
		for (let i = 0; i < 20; i++) {
			bob.resetLimits();
			const kind = ['joiner', 'change', 'leaver', 'change'][i % 4];
			const since = Date.now();
			if (kind === 'joiner') {
				const joiner = hire();
				times.push({ kind, ms: (await waitForApp(kind, () => userOf(joiner.id), { since })).ms });
			} else if (kind === 'change') {
				const person = activePerson();
				const surname = `Changed${i}`;
				rename(person, surname);
				const changed = () => (userOf(person)?.lastName === surname ? true : undefined);
				times.push({ kind, ms: (await waitForApp(kind, changed, { since })).ms });
			} else {
				const person = activePerson();
				terminateYesterday(person);
				const gone = () => (userOf(person)?.enabled === false ? true : undefined);
				times.push({ kind, ms: (await waitForApp(kind, gone, { since })).ms });
			}
		}
		const executions = await settleEvents(n8n, bob, BOB_EVENTS, afterId);
		expect(executions.filter((execution) => execution.status !== 'success')).toEqual([]);
		const sorted = times.map((t) => t.ms).sort((a, b) => a - b);
		const median = (sorted[9] + sorted[10]) / 2;
		const byKind = ['joiner', 'change', 'leaver']
			.map((kind) => {
				const own = times.filter((t) => t.kind === kind).map((t) => t.ms);
				return `${kind}s ${own.length} (median ${own.sort((a, b) => a - b)[Math.floor(own.length / 2)]} ms)`;
			})
			.join(', ');
		console.log(
			[
				`Event to app (HiBob sandbox → n8n HiBob Trigger with a 2 s Fetch Delay → Declaree-style app), ${times.length} events:`,
				`  median ${median} ms, worst ${sorted.at(-1)} ms, best ${sorted[0]} ms; ${byKind}`,
				`  ${executions.length} executions`,
			].join('\n'),
		);
		expect(times).toHaveLength(20);
	});
});

const connectorReadsNow = () => connectorReads(sandboxes.afas, CONNECTOR);
const emitted = (execution: Execution) => afasTriggerItems(execution);

const mobie = () => sandboxes.mobietrain;
const mobieUser = (externalId: string) =>
	mobie()
		.collection('users')
		.find((user) => user.externalId === externalId);

/** An AFAS row whose person has an app user, not yet used by another test. */
const usedRows = new Set<string>();
function invitedRow(): Record<string, unknown> {
	const row = sandboxes.afas
		.getRows(CONNECTOR)
		.find((r) => mobieUser(String(r.externalId)) && !usedRows.has(String(r.externalId)));
	if (!row) throw new Error('no AFAS row with an app user left');
	usedRows.add(String(row.externalId));
	return row;
}

const today = () => new Date().toISOString().slice(0, 10);
const newRow = (like: Record<string, unknown>, externalId: string) =>
	newAfasRow(like, externalId, today());
const editRows = (edit: Parameters<typeof editAfasRows>[2]) =>
	editAfasRows(sandboxes.afas, CONNECTOR, edit);

describe('AFAS → MobieTrain-style app, polling, in a started n8n', () => {
	it('records the state in the first poll, then picks up a new row, a changed row and a removed row in the next scheduled poll (every minute)', async () => {
		const daily = await runExample(n8n, { id: 'hrSyncAfasMobi01' });
		expect(daily.status).toBe('success');
		const inApp = mobie().collection('users').length;
		expect(inApp).toBeGreaterThan(100);

		const readsBefore = connectorReadsNow();
		await publishEventExample(n8n, sandboxes, { id: AFAS_EVENTS.id, json: afasEvents });
		await waitForPoll(sandboxes.afas, CONNECTOR, readsBefore);
		expect(await lastEventRun(AFAS_EVENTS.id)).toBe('0');

		const [changed, removed, like] = [invitedRow(), invitedRow(), invitedRow()];
		const joiner = newRow(like, '990001');
		const removedUser = mobieUser(String(removed.externalId))!;
		mobie().resetAudit();
		const since = Date.now();
		editRows({
			add: [joiner],
			change: { [String(changed.externalId)]: { lastName: `${String(changed.lastName)}-Poll` } },
			remove: [String(removed.externalId)],
		});
		const [execution] = await n8n.api.waitForExecutions(AFAS_EVENTS.id, { timeoutMs: 150_000 });
		console.log(
			`AFAS Trigger (every minute): the next poll brought the changes into the app ${Date.now() - since} ms after they were made`,
		);
		expect(execution.status).toBe('success');
		expect(emitted(execution).sort()).toEqual(
			[
				`change ${String(changed.externalId)}`,
				`leaver ${String(removed.externalId)}`,
				'joiner 990001',
			].sort(),
		);
		expect(mobieUser('990001')).toMatchObject({
			status: 'invited',
			email: joiner.email,
			lastName: 'Nieuw990001',
			groups: [like.functionId],
			stores: [like.organizationId],
		});
		expect(mobieUser(String(changed.externalId))?.lastName).toBe(
			`${String(changed.lastName)}-Poll`,
		);
		expect(
			mobie()
				.collection('users')
				.some((user) => user.id === removedUser.id),
		).toBe(false);
		expect(mobie().collection('users')).toHaveLength(inApp);

		const { rows, run } = await auditOf(n8n.api, execution.id);
		expect(
			rows
				.map(
					(row) =>
						`${String(row.action)} ${String(row.external_id ?? row.record_key)} ${String(row.outcome)}`,
				)
				.sort(),
		).toEqual(
			[
				`createFirst group ${String(like.functionId)} skipped: exists already`,
				`createFirst store ${String(like.organizationId)} skipped: exists already`,
				'create 990001 done',
				`update ${String(changed.externalId)} done`,
				`remove ${String(removed.externalId)} done`,
			].sort(),
		);
		expect(run).toMatchObject({ outcome: 'ok', failed: 0, done: 3 });
	});
});

describe('after n8n is stopped and started again', () => {
	it('both triggers keep their state: what happened while n8n was down arrives, nothing old is replayed', async () => {
		// A change delivered and applied before the restart, kept to be sent again afterwards.
		bob.clearWebhooks();
		const beforeId = await lastEventRun();
		const before = activePerson();
		stepHiBobClock(bob);
		bob.updateEmployee(before, { 'root.surname': 'Before-Restart' });
		const old = bob.buildWebhook({
			type: 'employee.updated',
			employeeId: before,
			triggeredBy: bob.serviceUserId,
			fieldUpdates: ['root.surname'],
		});
		const firstAnswer = await post(webhookUrl, old.rawBody, old.headers);
		expect(firstAnswer.status).toBe(200);
		await waitForApp('the change before the restart', () =>
			userOf(before)?.lastName === 'Before-Restart' ? true : undefined,
		);
		await settleEvents(n8n, bob, BOB_EVENTS, beforeId);

		const afasBefore = await lastEventRun(AFAS_EVENTS.id);

		await n8n.main.stop();
		// While n8n is down: an AFAS row added and one changed…
		const [changed, like] = [invitedRow(), invitedRow()];
		editRows({
			add: [newRow(like, '990002')],
			change: { [String(changed.externalId)]: { firstName: 'Restart' } },
		});
		// …and a change in HiBob whose event HiBob retries (here every 2 s, for two minutes).
		const during = activePerson();
		stepHiBobClock(bob);
		bob.updateEmployee(during, { 'root.surname': 'While-Down' });
		const retried = bob.emitWebhook(
			webhookUrl,
			{
				type: 'employee.updated',
				employeeId: during,
				triggeredBy: bob.serviceUserId,
				fieldUpdates: ['root.surname'],
			},
			{ retries: 60, retryDelaysMs: Array<number>(60).fill(2000) },
		);
		await n8n.main.start();
		await n8n.waitForWebhook(hiBobWebhookPath(bobEvents));
		expect((await retried).status).toBe(200);
		await waitForApp('the change made while n8n was down', () =>
			userOf(during)?.lastName === 'While-Down' ? true : undefined,
		);

		// n8n polls when it activates the workflow at start-up: the AFAS rows arrive at once.
		const [afasRun] = await n8n.api.waitForExecutions(AFAS_EVENTS.id, {
			afterId: afasBefore,
			timeoutMs: 60_000,
		});
		expect(emitted(afasRun).sort()).toEqual(
			[`change ${String(changed.externalId)}`, 'joiner 990002'].sort(),
		);
		expect(mobieUser('990002')).toMatchObject({ status: 'invited' });
		expect(mobieUser(String(changed.externalId))?.firstName).toBe('Restart');

		await settleEvents(n8n, bob, BOB_EVENTS, beforeId);
		const afterId = await lastEventRun();
		app.resetAudit();
		const replay = await post(webhookUrl, old.rawBody, old.headers);
		expect(replay).toEqual({
			status: 200,
			body: JSON.stringify({ message: 'Duplicate delivery; ignored' }),
		});
		await new Promise((resolve) => setTimeout(resolve, 1500));
		expect(await lastEventRun()).toBe(afterId);
		expect(app.audit()).toEqual([]);
		await bob.registerWebhook({ url: webhookUrl, secret: bob.webhookSecret });
	});
});
