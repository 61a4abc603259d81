/**
 * What the triggers keep and the concurrency guard, on an n8n queue-mode cluster
 * (scripts/lib/n8nInstance.ts): PostgreSQL 17, Redis, a main process, two workers and two webhook
 * processes (as behind a load balancer), this package installed in every process, the examples
 * published as shipped (pointed at the sandboxes).
 *
 * - HiBob Trigger on the webhook processes: the Ping test answered, signed events enqueued by the
 *   webhook process that received them and run by the workers, a forged or missing signature
 *   refused (401, nothing started), one delivery arriving on both webhook processes at the same
 *   moment applied once (one app user, one create done; a second run, if any, is refused by the
 *   app and audited `skipped: exists already`), and a copy sent later dropped by either process.
 * - The guard: two different events for one new hire at the same moment, on the two webhook
 *   processes and run by the two workers while the app holds its writes, both plan the create;
 *   the app keeps one user and the audit records the refused create as `skipped: exists already`.
 *   The HiBob Trigger's remembered deliveries then show n8n's "last writer wins": a re-sent copy
 *   whose key was lost runs again, and changes nothing.
 * - A worker killed (SIGKILL) in the middle of the daily AFAS → MobieTrain-style sync, while the
 *   app is slow to write: what n8n does with the execution (printed), then the next run completes
 *   the plan: everyone planned is in the app once, nobody was removed.
 * - The AFAS Trigger and the HiBob Polling Trigger across two restarts of every n8n process
 *   (PostgreSQL and Redis keep running): what changed while n8n was down is reported by the poll
 *   n8n runs when it starts, on main (no worker or webhook process is running then), and run by a
 *   worker; what was reported before is never reported again.
 *
 * The cluster runs one execution per worker at a time (`N8N_CONCURRENCY_PRODUCTION_LIMIT=1`), so
 * two executions at the same moment run on two workers, and notices a dead worker's job within
 * about 30 s instead of 90 s (Bull lock and stalled-check settings below).
 */
import { randomUUID } from 'node:crypto';
import { startSandboxes, type Sandboxes } from '../../../sandbox';
import type { AfasSandbox } from '../../../sandbox/afas/server';
import type { AppSandbox, Row } from '../../../sandbox/apps/server';
import type { HiBobSandbox } from '../../../sandbox/hibob/server';
import {
	afasTriggerItems,
	auditOf,
	connectorReads,
	dayBefore,
	editAfasRows,
	eventExamples,
	examplePath,
	newAfasRow,
	pointAtSandboxes,
	publishEventExample,
	reconcileSummary,
	runExample,
	sandboxCredentials,
	scheduledExamples,
	settleEvents,
	stepHiBobClock,
	waitForApp,
	waitForPoll,
	withWebhookTrigger,
	type ExampleWorkflow,
} from '../../../scripts/lib/examples';
import type { Execution } from '../../../scripts/lib/n8nApi';
import { N8nInstance } from '../../../scripts/lib/n8nInstance';
import { delay, waitFor } from '../../../scripts/lib/processes';

jest.setTimeout(900_000);

const BOB_EVENTS = 'hrSyncBobDeclEv';
const AFAS_EVENTS = 'hrSyncAfasMobiEv';
const AFAS_DAILY = 'hrSyncAfasMobi01';
const CONNECTOR = 'Mobietrain_Employees';
const BOB_POLL = { id: 'hrSyncQueueBobPol', name: 'HiBob Polling Trigger (queue-mode test)' };
const BOB_POLL_NODE = 'HiBob changes';

/** Test knobs of the cluster, the same on every process. */
const CLUSTER_ENV = {
	// In queue mode this replaces each worker's --concurrency: one execution per worker at a time,
	// so two executions at the same moment run on the two workers.
	N8N_CONCURRENCY_PRODUCTION_LIMIT: '1',
	// Bull's lock on a running job (default 60 s, renewed every 10 s) and its check for jobs whose
	// lock expired (default every 30 s): a killed worker's job is noticed within about 30 s.
	QUEUE_WORKER_LOCK_DURATION: '20000',
	QUEUE_WORKER_LOCK_RENEW_TIME: '5000',
	QUEUE_WORKER_STALLED_INTERVAL: '5000',
};

let sandboxes: Sandboxes;
let cluster: N8nInstance;
let bob: HiBobSandbox;
let afas: AfasSandbox;
let declaree: AppSandbox;
let mobie: AppSandbox;
let bobEvents: ExampleWorkflow;
/** The HiBob Trigger's production URL on each webhook process. */
const hookUrl: Record<string, string> = {};

/** A workflow that only records what the HiBob Polling Trigger reports (every 15 minutes). */
function hiBobPollingWorkflow(): Record<string, unknown> {
	return {
		id: BOB_POLL.id,
		name: BOB_POLL.name,
		active: false,
		nodes: [
			{
				id: randomUUID(),
				name: BOB_POLL_NODE,
				type: 'n8n-nodes-hr-sync.hiBobPollingTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: { pollTimes: { item: [{ mode: 'everyX', value: 15, unit: 'minutes' }] } },
				credentials: { hiBobApi: { id: 'hiBobApi', name: 'HiBob' } },
			},
			{
				id: randomUUID(),
				name: 'Reported',
				type: 'n8n-nodes-base.noOp',
				typeVersion: 1,
				position: [220, 0],
				parameters: {},
			},
		],
		connections: { [BOB_POLL_NODE]: { main: [[{ node: 'Reported', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/** Imports the credentials, the daily AFAS example (Webhook-started) and the event examples. */
async function setUpCluster(): Promise<void> {
	cluster = await N8nInstance.create({
		mode: 'queue',
		workers: 2,
		webhookProcesses: 2,
		env: CLUSTER_ENV,
	});
	const daily = scheduledExamples().find((example) => example.id === AFAS_DAILY)!;
	await cluster.importCredentials(sandboxCredentials(sandboxes));
	await cluster.importWorkflows([
		withWebhookTrigger(pointAtSandboxes(daily, sandboxes), {
			path: examplePath(daily),
			responseMode: 'onReceived',
		}),
		...eventExamples().map((example) => pointAtSandboxes(example, sandboxes)),
		hiBobPollingWorkflow(),
	]);
	await cluster.start();
	await cluster.publish(AFAS_DAILY, [examplePath(daily)]);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
let testStarted = 0;

beforeAll(async () => {
	const started = Date.now();
	sandboxes = await startSandboxes({ fixedPorts: false });
	({ hibob: bob, afas, declaree, mobietrain: mobie } = sandboxes);
	bobEvents = eventExamples().find((example) => example.id === BOB_EVENTS)!;
	await setUpCluster();
	console.log(
		`Queue cluster (main, 2 workers, 2 webhook processes) ready: ${seconds(Date.now() - started)}`,
	);
});

afterAll(async () => {
	await cluster?.stop();
	await sandboxes?.close();
});

beforeEach(() => {
	testStarted = Date.now();
	bob.resetLimits();
	declaree.setWriteLatency(0);
	mobie.setWriteLatency(0);
});

afterEach(() => {
	console.log(`${expect.getState().currentTestName}: ${seconds(Date.now() - testStarted)}`);
});

/** The newest execution id of a workflow, running ones included ('0' before the first). */
async function lastRun(workflowId: string): Promise<string> {
	const [running, listed] = await Promise.all([
		cluster.api.executions({ workflowId, status: 'running' }),
		cluster.api.executions({ workflowId }),
	]);
	return String(Math.max(0, ...[...running, ...listed].map((execution) => Number(execution.id))));
}

const usersOf = (app: AppSandbox, externalId: string) =>
	app.collection('users').filter((user) => user.externalId === externalId);

/** The audit rows of some executions about one person, as `<action> <outcome>`. */
async function auditLines(executions: Execution[], externalId: string): Promise<string[]> {
	const lines: string[] = [];
	for (const execution of executions)
		for (const row of (await auditOf(cluster.api, execution.id)).rows)
			if (row.external_id === externalId)
				lines.push(`${String(row.action)} ${String(row.outcome)}`);
	return lines.sort();
}

/** The statuses of the app's answers to create requests (POST), sorted. */
const createStatuses = (app: AppSandbox) =>
	app
		.audit()
		.filter((entry) => entry.method === 'POST')
		.map((entry) => entry.status)
		.sort();

let hires = 0;
/** A new hire starting today in HiBob, with an e-mail address of their own. */
function hire(): string {
	hires++;
	stepHiBobClock(bob);
	const email = `queue.joiner${hires}.${Date.now()}@acme-hr.example`;
	return bob.addEmployee({
		firstName: 'Queue',
		surname: `Joiner${hires}`,
		email,
		startDate: bob.today(),
	}).id;
}

/** A new hire made while no webhook is registered, so HiBob sends nothing for it by itself. */
async function quietHire(): Promise<string> {
	bob.clearWebhooks();
	const id = hire();
	await bob.registerWebhook({ url: hookUrl.webhook, secret: bob.webhookSecret });
	return id;
}

async function post(url: string, delivery: { rawBody: string; headers: Record<string, string> }) {
	const response = await fetch(url, {
		method: 'POST',
		headers: delivery.headers,
		body: delivery.rawBody,
	});
	return { status: response.status, body: await response.text() };
}

const DUPLICATE = JSON.stringify({ message: 'Duplicate delivery; ignored' });

describe('HiBob Trigger on two webhook processes', () => {
	it('answers HiBob’s Ping test on each webhook process and starts nothing', async () => {
		const before = await lastRun(BOB_EVENTS);
		// Registered through the first webhook process, as HiBob would reach it behind a balancer.
		hookUrl.webhook = (await publishEventExample(cluster, sandboxes, bobEvents))!;
		for (const server of cluster.webhookServers)
			hookUrl[server.name] = hookUrl.webhook.replace(cluster.webhookBaseUrl, server.url);
		expect(Object.keys(hookUrl).sort()).toEqual(['webhook', 'webhook-2']);
		expect(
			bob
				.deliveries()
				.filter((attempt) => attempt.type === 'ping')
				.at(-1),
		).toMatchObject({
			url: hookUrl.webhook,
			status: 200,
		});
		const second = await post(hookUrl['webhook-2'], {
			rawBody: 'Ping test',
			headers: { 'content-type': 'text/plain' },
		});
		expect(second).toEqual({
			status: 200,
			body: JSON.stringify({ message: 'Ping test received' }),
		});
		await delay(1500);
		expect(await lastRun(BOB_EVENTS)).toBe(before);
	});

	it('runs the signed events of a hire on the workers, enqueued by the webhook process that received them', async () => {
		const afterId = await lastRun(BOB_EVENTS);
		declaree.resetAudit();
		const joiner = hire();
		const created = await waitForApp('the joiner in the app', () => usersOf(declaree, joiner)[0]);
		const executions = await settleEvents(cluster, bob, BOB_EVENTS, afterId);
		console.log(
			`Hire → app user ${created.ms} ms; ${executions.length} executions: ${executions
				.map(
					(e) => `${e.id} ${cluster.processThatEnqueued(e.id)} → ${cluster.processThatRan(e.id)}`,
				)
				.join(', ')}`,
		);
		expect(executions.map((execution) => execution.status)).toEqual(
			executions.map(() => 'success'),
		);
		// created, joined, activated
		expect(executions.length).toBe(3);
		for (const execution of executions) {
			expect(cluster.processThatEnqueued(execution.id)).toBe('webhook');
			expect(cluster.processThatRan(execution.id)).toMatch(/^worker-[12]$/);
		}
		expect(usersOf(declaree, joiner)).toHaveLength(1);
		const lines = await auditLines(executions, joiner);
		expect(lines.filter((line) => line.endsWith(' done'))).toEqual(['create done']);
		expect(lines.filter((line) => !line.endsWith(' done'))).toEqual(
			lines.filter((line) => line === 'create skipped: exists already'),
		);
	});

	it('refuses a forged or missing Bob-Signature on either webhook process with 401 and starts nothing', async () => {
		const afterId = await lastRun(BOB_EVENTS);
		const person = declaree.collection('users')[0].externalId as string;
		const event = { type: 'employee.updated', employeeId: person, fieldUpdates: ['root.surname'] };
		const answers = [];
		for (const via of ['webhook', 'webhook-2']) {
			answers.push((await bob.emitWebhook(hookUrl[via], event, { badSignature: true })).status);
			answers.push((await bob.emitWebhook(hookUrl[via], event, { unsigned: true })).status);
		}
		expect(answers).toEqual([401, 401, 401, 401]);
		await delay(1500);
		expect(await lastRun(BOB_EVENTS)).toBe(afterId);
	});

	it('applies one delivery that arrives on both webhook processes at the same moment once: one app user, one create done', async () => {
		const joiner = await quietHire();
		const afterId = await lastRun(BOB_EVENTS);
		// The app holds every write for 3 s: a second run, if any, looks the joiner up before the
		// first one's create is made.
		declaree.setWriteLatency(3000);
		declaree.resetAudit();
		const delivery = bob.buildWebhook({
			type: 'employee.created',
			employeeId: joiner,
			triggeredBy: bob.serviceUserId,
		});
		const answers = await Promise.all([
			post(hookUrl.webhook, delivery),
			post(hookUrl['webhook-2'], delivery),
		]);
		const executions = await settleEvents(cluster, bob, BOB_EVENTS, afterId);
		const lines = await auditLines(executions, joiner);
		console.log(
			`One delivery on both webhook processes at once: answers ${answers.map((a) => `${a.status} ${a.body}`).join(' | ')}; ${executions.length} execution(s) on ${executions.map((e) => cluster.processThatRan(e.id)).join(', ')}; audit: ${lines.join(', ')}`,
		);
		expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
		expect(executions.length).toBeGreaterThanOrEqual(1);
		expect(executions.length).toBeLessThanOrEqual(2);
		expect(executions.map((execution) => execution.status)).toEqual(
			executions.map(() => 'success'),
		);
		expect(usersOf(declaree, joiner)).toHaveLength(1);
		expect(lines).toEqual(
			['create done', ...executions.slice(1).map(() => 'create skipped: exists already')].sort(),
		);
		expect(createStatuses(declaree)).toEqual([201, ...executions.slice(1).map(() => 422)].sort());

		// Both processes remembered the delivery in the workflow's static data (PostgreSQL): a copy
		// sent later is dropped by either of them.
		declaree.setWriteLatency(0);
		const laterId = await lastRun(BOB_EVENTS);
		const copies = [
			await post(hookUrl.webhook, delivery),
			await post(hookUrl['webhook-2'], delivery),
		];
		expect(copies).toEqual([
			{ status: 200, body: DUPLICATE },
			{ status: 200, body: DUPLICATE },
		]);
		await delay(1500);
		expect(await lastRun(BOB_EVENTS)).toBe(laterId);
	});
});

describe('the guard: two executions planning the same joiner at the same moment', () => {
	it('two different events for one new hire, on two webhook processes and two workers, both planning the create: one app user, the second create "skipped: exists already"', async () => {
		const joiner = await quietHire();
		const afterId = await lastRun(BOB_EVENTS);
		declaree.setWriteLatency(3000);
		declaree.resetAudit();
		const deliveries = ['employee.created', 'employee.joined'].map((type) =>
			bob.buildWebhook({ type, employeeId: joiner, triggeredBy: bob.serviceUserId }),
		);
		const answers = await Promise.all([
			post(hookUrl.webhook, deliveries[0]),
			post(hookUrl['webhook-2'], deliveries[1]),
		]);
		expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
		const executions = await settleEvents(cluster, bob, BOB_EVENTS, afterId);
		expect(executions.map((execution) => execution.status)).toEqual(['success', 'success']);
		expect(executions.map((e) => cluster.processThatEnqueued(e.id)).sort()).toEqual([
			'webhook',
			'webhook-2',
		]);
		expect(executions.map((e) => cluster.processThatRan(e.id)).sort()).toEqual([
			'worker-1',
			'worker-2',
		]);
		// At the same moment: each started before the other ended.
		const [a, b] = executions.map((e) => [Date.parse(e.startedAt!), Date.parse(e.stoppedAt!)]);
		expect(a[0] < b[1] && b[0] < a[1]).toBe(true);
		// Both looked the joiner up before either create was made, and planned it.
		expect(
			executions.map(
				(e) => (reconcileSummary(e)?.counts as Record<string, number> | undefined)?.create,
			),
		).toEqual([1, 1]);
		expect(usersOf(declaree, joiner)).toHaveLength(1);
		expect(createStatuses(declaree)).toEqual([201, 422]);
		expect(await auditLines(executions, joiner)).toEqual([
			'create done',
			'create skipped: exists already',
		]);
		const runs = await Promise.all(
			executions.map(async (e) => (await auditOf(cluster.api, e.id)).run),
		);
		expect(runs.map((run) => run?.outcome)).toEqual(['ok', 'ok']);

		// Each webhook process saved the static data it loaded plus its own delivery, the last
		// writer winning: one of the two keys may be lost. Copies sent again are dropped or, when
		// their key was lost, run again and change nothing.
		declaree.setWriteLatency(0);
		declaree.resetAudit();
		const laterId = await lastRun(BOB_EVENTS);
		const copies = [
			await post(hookUrl.webhook, deliveries[0]),
			await post(hookUrl['webhook-2'], deliveries[1]),
		];
		const again = await settleEvents(cluster, bob, BOB_EVENTS, laterId);
		console.log(
			`Two events at once: runs on ${executions.map((e) => cluster.processThatRan(e.id)).join(' and ')} overlapped; copies sent again answered ${copies.map((c) => c.body).join(' | ')}; ${again.length} ran again`,
		);
		expect(copies.map((copy) => copy.status)).toEqual([200, 200]);
		expect(again.length).toBe(copies.filter((copy) => copy.body !== DUPLICATE).length);
		expect(again.map((execution) => execution.status)).toEqual(again.map(() => 'success'));
		expect(await auditLines(again, joiner)).toEqual([]);
		expect(declaree.audit().filter((entry) => entry.status < 400)).toEqual([]);
		expect(usersOf(declaree, joiner)).toHaveLength(1);
	});
});

/** External IDs that occur more than once in an app collection. */
function duplicates(rows: Row[]): string[] {
	const seen = new Set<string>();
	const twice = new Set<string>();
	for (const row of rows) {
		const key = String(row.externalId);
		if (seen.has(key)) twice.add(key);
		seen.add(key);
	}
	return [...twice];
}

describe('a worker killed in the middle of a sync', () => {
	it('loses nothing: the next run completes the plan, everyone planned is in the app once, nobody is removed', async () => {
		const afterId = await lastRun(AFAS_DAILY);
		mobie.resetAudit();
		mobie.setWriteLatency(500);
		expect(mobie.collection('users')).toEqual([]);
		const answer = await cluster.callWebhook(examplePath({ id: AFAS_DAILY }), {});
		expect(answer.status).toBe(200);
		const executionId = await waitFor(
			'the daily sync to start',
			async () => {
				const id = await lastRun(AFAS_DAILY);
				return id !== afterId ? id : undefined;
			},
			{ timeoutMs: 60_000, intervalMs: 200 },
		);
		const worker = await waitFor(
			`a worker to take execution ${executionId}`,
			() => cluster.processThatRan(executionId),
			{ timeoutMs: 60_000, intervalMs: 100 },
		);
		await waitFor(
			'the first invites in the app',
			() => (mobie.collection('users').length >= 100 ? true : undefined),
			{ timeoutMs: 180_000, intervalMs: 20 },
		);
		const killedAt = Date.now();
		await cluster.process(worker).kill();
		const atKill = mobie.collection('users').length;
		// Started again at once, as a container supervisor would.
		const restarted = cluster.process(worker).start();
		const [ended] = await cluster.api.waitForExecutions(AFAS_DAILY, {
			afterId,
			timeoutMs: 180_000,
		});
		const endedMs = Date.now() - killedAt;
		// The queue notices that the job's lock was not renewed and fails the job (n8n allows no
		// retry of a stalled job); the process that enqueued it records the failure.
		const enqueuedBy = cluster.process(cluster.processThatEnqueued(executionId)!);
		await waitFor(
			`${enqueuedBy.name} to record the stalled job of execution ${executionId}`,
			() =>
				enqueuedBy.logSinceStart().includes(`Problem with execution ${executionId}:`)
					? true
					: undefined,
			{ timeoutMs: 180_000, intervalMs: 250 },
		);
		const stalledMs = Date.now() - killedAt;
		await restarted;
		const killed = await cluster.api.execution(executionId);
		const crashedNodes = Object.entries(ended.data?.resultData.runData ?? {})
			.filter(([, runs]) => (runs[0] as { executionStatus?: string }).executionStatus === 'crashed')
			.map(([name]) => name);
		const afterKill = mobie.collection('users');
		console.log(
			[
				`Killed ${worker} (SIGKILL) during execution ${executionId}: ${atKill} users in the app at that moment, ${afterKill.length} afterwards.`,
				`  first status "${ended.status}" after ${seconds(endedMs)} (${ended.data?.resultData.error?.message ?? 'no error'}; node(s) that did not finish: ${crashedNodes.join(', ') || 'none recorded'})`,
				`  the queue failed the stalled job after ${seconds(stalledMs)}; final status "${killed.status}" (${killed.data?.resultData.error?.message ?? 'no error'}); started by: ${cluster.workersThatRan(executionId).join(', ')}`,
			].join('\n'),
		);
		expect(ended.id).toBe(executionId);
		expect(['error', 'crashed']).toContain(killed.status);
		// Not handed to the other worker (nor to the restarted one): no second run wrote anything.
		expect(cluster.workersThatRan(executionId)).toEqual([worker]);
		expect(duplicates(afterKill)).toEqual([]);

		const rerun = await runExample(cluster, { id: AFAS_DAILY });
		expect(rerun.status).toBe('success');
		const counts = reconcileSummary(rerun)?.counts as Record<string, number>;
		const users = mobie.collection('users');
		const { rows, run } = await auditOf(cluster.api, rerun.id);
		console.log(
			`Next run: ${counts.create} created, ${counts.update} updated, ${counts.unchanged} unchanged, ${counts.remove} removed; ${users.length} users in the app; ${seconds(Date.parse(rerun.stoppedAt!) - Date.parse(rerun.startedAt!))}`,
		);
		// The kill came in the middle: the next run had invites left to make.
		expect(counts.create).toBeGreaterThan(0);
		expect(users.length).toBe(afterKill.length + counts.create);
		expect(duplicates(users)).toEqual([]);
		for (const name of ['groups', 'stores']) expect(duplicates(mobie.collection(name))).toEqual([]);
		// Everyone the next run planned to have is in the app once: the users found (unchanged or
		// updated) and those it invited.
		expect(users.length).toBe(counts.create + counts.update + counts.unchanged);
		const invited = rows.filter((row) => row.action === 'create').map((row) => row.external_id);
		expect(invited).toHaveLength(counts.create);
		for (const externalId of invited) expect(usersOf(mobie, String(externalId))).toHaveLength(1);
		// Nobody was removed, by the killed run or the next one.
		expect(counts.remove + counts.deactivate).toBe(0);
		expect(mobie.audit().filter((entry) => entry.method === 'DELETE')).toEqual([]);
		// Every write of the next run was made (people HR gives no e-mail address stay conflicts).
		expect(rows.filter((row) => row.outcome === 'failed')).toEqual([]);
		expect(rows.filter((row) => row.action === 'create' && row.outcome !== 'done')).toEqual([]);
		expect(run).toMatchObject({ failed: 0 });
	});
});

/** The items a HiBob Polling Trigger emitted in an execution, as `<event> <employee id>`. */
const bobPollItems = (execution: Execution) =>
	(execution.data?.resultData.runData[BOB_POLL_NODE]?.[0]?.data?.main?.[0] ?? [])
		.map((item) => `${String(item.json.event)} ${String(item.json.employeeId)}`)
		.sort();

const bobSearches = () =>
	bob.stats().log.filter((entry) => entry.path.startsWith('/v1/people/search')).length;

/** Waits until the HiBob sandbox answered more people searches than `before`. */
async function waitForBobPoll(before: number): Promise<void> {
	await waitFor('a HiBob Polling Trigger poll', () => (bobSearches() > before ? true : undefined), {
		timeoutMs: 120_000,
		intervalMs: 100,
	});
}

/** An AFAS row whose person has an app user, not yet used by this test. */
const usedRows = new Set<string>();
function invitedRow(): Record<string, unknown> {
	const row = afas
		.getRows(CONNECTOR)
		.find(
			(r) =>
				usersOf(mobie, String(r.externalId)).length === 1 && !usedRows.has(String(r.externalId)),
		);
	if (!row) throw new Error('no AFAS row with an app user left');
	usedRows.add(String(row.externalId));
	return row;
}

/** An employed HiBob employee not yet used by this test. */
const usedPeople = new Set<string>();
function employedPerson(): string {
	const person = bob
		.employees()
		.find((e) => !usedPeople.has(e.id) && bob.lifecycle(e.id).lifecycleStatus === 'employed');
	if (!person) throw new Error('no employed HiBob employee left');
	usedPeople.add(person.id);
	return person.id;
}

describe('polling triggers across a restart of every n8n process', () => {
	it('keep their state: what changed while n8n was down is reported once, by the poll main runs at start-up, run by a worker; nothing is reported twice', async () => {
		// HiBob's own deliveries to the HiBob Trigger would only add runs while n8n is down.
		bob.clearWebhooks();
		const today = new Date().toISOString().slice(0, 10);
		const [afasReads, searches] = [connectorReads(afas, CONNECTOR), bobSearches()];
		await cluster.publish(AFAS_EVENTS);
		await cluster.publish(BOB_POLL.id);
		// Publishing polls at once: the state is recorded, nothing is started.
		await waitForPoll(afas, CONNECTOR, afasReads);
		await waitForBobPoll(searches);
		await delay(2000);
		expect([await lastRun(AFAS_EVENTS), await lastRun(BOB_POLL.id)]).toEqual(['0', '0']);

		// Restart 1: changes while every n8n process is down; then main alone.
		let started = Date.now();
		await cluster.stopProcesses();
		const [changed, removed, like] = [invitedRow(), invitedRow(), invitedRow()];
		editAfasRows(afas, CONNECTOR, {
			add: [newAfasRow(like, '990101', today)],
			change: { [String(changed.externalId)]: { lastName: `${String(changed.lastName)}-Restart` } },
			remove: [String(removed.externalId)],
		});
		const joiner = hire();
		const renamed = employedPerson();
		bob.updateEmployee(renamed, { 'root.surname': 'Renamed-While-Down' });
		const [afasReads1, searches1] = [connectorReads(afas, CONNECTOR), bobSearches()];
		await cluster.main.start();
		const enqueued = await waitFor(
			'main to enqueue the runs of its start-up polls',
			() => {
				const ids = [...cluster.main.logSinceStart().matchAll(/Enqueued execution (\d+) \(/g)];
				return ids.length >= 2 ? ids.map((match) => match[1]).sort() : undefined;
			},
			{ timeoutMs: 120_000, intervalMs: 250 },
		);
		// Only main was running: it polled AFAS and HiBob and put the runs on the queue.
		expect(connectorReads(afas, CONNECTOR)).toBeGreaterThan(afasReads1);
		expect(bobSearches()).toBeGreaterThan(searches1);
		expect(cluster.processes.filter((p) => p.service.isRunning).map((p) => p.name)).toEqual([
			'main',
		]);
		await Promise.all(cluster.processes.slice(1).map((p) => p.start()));
		const [afasRun] = await cluster.api.waitForExecutions(AFAS_EVENTS, { timeoutMs: 120_000 });
		const [bobRun] = await cluster.api.waitForExecutions(BOB_POLL.id, { timeoutMs: 120_000 });
		console.log(
			`Restart 1 (${seconds(Date.now() - started)}): AFAS run ${afasRun.id} on ${cluster.processThatRan(afasRun.id)} reported ${afasTriggerItems(afasRun).join(', ')}; HiBob run ${bobRun.id} on ${cluster.processThatRan(bobRun.id)} reported ${bobPollItems(bobRun).join(', ')}`,
		);
		expect([afasRun.id, bobRun.id].sort()).toEqual(enqueued);
		for (const execution of [afasRun, bobRun]) {
			expect(execution.status).toBe('success');
			expect(cluster.processThatEnqueued(execution.id)).toBe('main');
			expect(cluster.processThatRan(execution.id)).toMatch(/^worker-[12]$/);
		}
		expect(afasTriggerItems(afasRun).sort()).toEqual(
			[
				'joiner 990101',
				`change ${String(changed.externalId)}`,
				`leaver ${String(removed.externalId)}`,
			].sort(),
		);
		expect(bobPollItems(bobRun)).toEqual([`change ${renamed}`, `joiner ${joiner}`].sort());
		expect(usersOf(mobie, '990101')).toHaveLength(1);
		expect(usersOf(mobie, String(changed.externalId))[0]?.lastName).toBe(
			`${String(changed.lastName)}-Restart`,
		);
		expect(usersOf(mobie, String(removed.externalId))).toEqual([]);

		// Restart 2: other changes while everything is down; every process started again.
		started = Date.now();
		await cluster.stopProcesses();
		const changedAgain = invitedRow();
		editAfasRows(afas, CONNECTOR, {
			change: { [String(changedAgain.externalId)]: { firstName: 'Restarted' } },
		});
		const leaver = employedPerson();
		bob.terminate(leaver, { terminationDate: dayBefore(bob.today()) });
		const [afasReads2, searches2] = [connectorReads(afas, CONNECTOR), bobSearches()];
		await cluster.start();
		await waitForPoll(afas, CONNECTOR, afasReads2);
		await waitForBobPoll(searches2);
		const [afasRun2] = await cluster.api.waitForExecutions(AFAS_EVENTS, {
			afterId: afasRun.id,
			timeoutMs: 120_000,
		});
		const [bobRun2] = await cluster.api.waitForExecutions(BOB_POLL.id, {
			afterId: bobRun.id,
			timeoutMs: 120_000,
		});
		console.log(
			`Restart 2 (${seconds(Date.now() - started)}): AFAS reported ${afasTriggerItems(afasRun2).join(', ')}; HiBob reported ${bobPollItems(bobRun2).join(', ')}`,
		);
		expect(afasTriggerItems(afasRun2)).toEqual([`change ${String(changedAgain.externalId)}`]);
		expect(bobPollItems(bobRun2)).toEqual([`leaver ${leaver}`]);
		expect(usersOf(mobie, String(changedAgain.externalId))[0]?.firstName).toBe('Restarted');
		// Nothing else was started: no report came twice.
		await delay(3000);
		expect(await lastRun(AFAS_EVENTS)).toBe(afasRun2.id);
		expect(await lastRun(BOB_POLL.id)).toBe(bobRun2.id);
	});
});
