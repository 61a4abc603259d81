/**
 * `npm run demo`: the main job, end to end on one machine.
 *
 * 1. Starts the sandbox servers (AFAS, HiBob, the three apps and two SCIM 2.0 apps) on their
 *    fixed loopback ports.
 * 2. Starts a real n8n (2.40.7) with this package installed the way n8n's community-node
 *    installer does, credentials that point at the sandboxes, and every example workflow, each
 *    with a Webhook trigger next to its Manual Trigger so it can be started from here (the
 *    examples keep their audit trail in n8n Data Tables, which only a started n8n can write).
 * 3. Runs each example twice: the first sync, then a second day on which HR changed (a name
 *    change, a move and a leaver). Of the two SCIM examples only AFAS → any SCIM 2.0 app runs,
 *    after the others (HiBob → any SCIM 2.0 app is there to try). After each day it prints what each
 *    Reconcile Users node decided, what the apps now hold, and the rows the run wrote to the
 *    audit table.
 * 4. Then the event-driven examples: it publishes them (the HiBob sandbox registers the HiBob
 *    Trigger's URL; the AFAS Trigger polls every minute here instead of every 15 minutes), makes
 *    a hire, a change and a leaver happen in HiBob and in AFAS, and shows each reaching the app
 *    and the audit rows of the runs they started.
 * 5. Leaves n8n running with the workflows in it (skip with --once): the editor is on
 *    http://127.0.0.1:5678 (HR_SYNC_N8N_PORT), the audit table under Overview → Data tables.
 */
import { startSandboxes, type Sandboxes } from '../sandbox';
import {
	afasTriggerItems,
	auditOf,
	connectorReads,
	dayBefore,
	editAfasRows,
	eventExampleVariant,
	eventExamples,
	newAfasRow,
	pointAtSandboxes,
	publishEventExample,
	reconcileSummary,
	runExample,
	settleEvents,
	startExamples,
	stepHiBobClock,
	waitForApp,
	waitForPoll,
	type ExampleWorkflow,
} from './lib/examples';
import type { Execution } from './lib/n8nApi';
import { OWNER } from './lib/n8nApi';
import { N8nInstance } from './lib/n8nInstance';

const once = process.argv.includes('--once') || process.env.CI === 'true';
const editorPort = Number(process.env.HR_SYNC_N8N_PORT ?? 5678);
/** Audit rows printed per run; the rest are counted (all of them are in the table). */
const ROWS_SHOWN = 8;
/** The SCIM example the demo runs (the other one, HiBob → any SCIM 2.0 app, is left to try). */
const SCIM_EXAMPLE = 'hrSyncAfasScim01';

/** Whether an example writes to the SCIM app (it has SCIM 2.0 nodes). */
const writesToScim = (example: ExampleWorkflow) =>
	example.json.nodes.some((node) => node.type === 'n8n-nodes-hr-sync.scim');

function describeRun(execution: Execution): string {
	const lines: string[] = [];
	for (const node of Object.keys(execution.data?.resultData.runData ?? {})) {
		const summary = reconcileSummary(execution, node);
		if (summary) lines.push(`    ${node}: ${String(summary.reason)}`);
	}
	const error = execution.data?.resultData.error;
	if (error)
		lines.push(`    failed: ${error.message}${error.description ? ` (${error.description})` : ''}`);
	return lines.join('\n');
}

function appState(sandboxes: Sandboxes): string {
	const count = (rows: Array<Record<string, unknown>>, key: string) => {
		const counts = new Map<string, number>();
		for (const row of rows) counts.set(String(row[key]), (counts.get(String(row[key])) ?? 0) + 1);
		return [...counts].map(([value, n]) => `${n} ${value}`).join(', ');
	};
	const mobietrain = sandboxes.mobietrain;
	const declaree = sandboxes.declaree;
	const oneteam = sandboxes.oneteam;
	return [
		`    MobieTrain-style: ${mobietrain.collection('users').length} users (${count(mobietrain.collection('users'), 'status')}), ${mobietrain.collection('groups').length} groups, ${mobietrain.collection('stores').length} stores`,
		`    Declaree-style:   ${declaree.collection('users').length} users (${count(declaree.collection('users'), 'enabled').replace('true', 'enabled').replace('false', 'disabled')}), ${declaree.collection('users').filter((u) => u.managerId).length} with a manager`,
		`    Oneteam-style:    ${oneteam.collection('users').length} users, ${oneteam.collection('communities').length} communities, ${oneteam.collection('functions').length} functions`,
		...scimState(sandboxes),
	].join('\n');
}

/** What the SCIM app holds: users (active or not), and each group with its number of members. */
function scimState(sandboxes: Sandboxes): string[] {
	const users = sandboxes.scim.getUsers();
	const groups = sandboxes.scim.getGroups();
	const active = users.filter((user) => user.active === true).length;
	const members = (group: Record<string, unknown>) =>
		Array.isArray(group.members) ? group.members.length : 0;
	const listed = groups
		.map((group) => `${String(group.displayName)} (${members(group)})`)
		.join(', ');
	return [
		`    SCIM 2.0 app:     ${users.length} users (${active} active, ${users.length - active} inactive), ${groups.length} groups, ${groups.reduce((n, g) => n + members(g), 0)} memberships`,
		...(groups.length > 0 ? [`      groups (members): ${listed}`] : []),
	];
}

/** One audit row on one line: action, who, outcome, and what changed or what the app said. */
function auditLine(row: Record<string, unknown>): string {
	const who = [row.display_name, row.external_id ?? row.record_key].filter(Boolean).join(' ');
	const detail = [row.http_status, row.message ?? row.changes].filter(Boolean).join(' ');
	return `      ${String(row.action).padEnd(11)} ${who.slice(0, 34).padEnd(34)} ${String(row.outcome).padEnd(15)} ${detail.slice(0, 70)}`;
}

/** The run row and the audit rows an execution wrote, as read back from n8n's Data Tables. */
async function printAudit(n8n: N8nInstance, execution: Execution): Promise<void> {
	const { rows, run } = await auditOf(n8n.api, execution.id);
	if (run)
		console.log(
			`    Audit: ${String(run.outcome)}; ${String(run.counts)} (hr_sync_runs, execution ${execution.id})`,
		);
	for (const row of rows.slice(0, ROWS_SHOWN)) console.log(auditLine(row));
	if (rows.length > ROWS_SHOWN)
		console.log(`      … and ${rows.length - ROWS_SHOWN} more rows in hr_sync_audit`);
}

/** A second day in HR: in each system one person changes name or moves and one leaves (yesterday). */
function changeHr(sandboxes: Sandboxes, today: string): string[] {
	const yesterday = dayBefore(today);
	const changes: string[] = [];
	const invited = new Set(
		sandboxes.mobietrain.collection('users').map((u) => String(u.externalId)),
	);
	const rows = sandboxes.afas.getRows('Mobietrain_Employees');
	const [renamed, leaver] = rows.filter((row) => invited.has(String(row.externalId)));
	sandboxes.afas.setRows(
		'Mobietrain_Employees',
		rows.map((row) =>
			row === renamed
				? { ...row, lastName: `${row.lastName}-Visser` }
				: row === leaver
					? { ...row, employementEndDate: yesterday }
					: row,
		),
	);
	changes.push(
		`AFAS: ${renamed.firstName} ${renamed.lastName} is now ${renamed.lastName}-Visser; ${leaver.firstName} ${leaver.lastName} left on ${yesterday}`,
	);
	const users = sandboxes.afas.getRows('Oneteam_Users');
	const mover = users.find((row) => row.id === renamed.externalId) ?? users[0];
	const functions = sandboxes.afas.getRows('Oneteam_Functions').map((f) => f.id);
	const newFunction = functions.find((f) => f !== mover.functionId);
	sandboxes.afas.setRows(
		'Oneteam_Users',
		users.map((row) => (row === mover ? { ...row, functionId: newFunction } : row)),
	);
	changes.push(
		`AFAS: ${mover.firstName} ${mover.lastName} moved from function ${String(mover.functionId)} to ${String(newFunction)}`,
	);
	const enabled = sandboxes.declaree.collection('users').find((u) => u.enabled === true);
	if (enabled) {
		sandboxes.hibob.terminate(String(enabled.externalId), { terminationDate: yesterday });
		changes.push(
			`HiBob: ${String(enabled.firstName)} ${String(enabled.lastName)} was terminated on ${yesterday}`,
		);
	}
	sandboxes.hibob.resetLimits();
	return changes;
}

const BOB_EVENTS = 'hrSyncBobDeclEv';
const AFAS_EVENTS = 'hrSyncAfasMobiEv';
const CONNECTOR = 'Mobietrain_Employees';

/**
 * The event-driven examples as the demo imports them: pointed at the sandboxes; the AFAS one
 * polls every minute instead of every 15 minutes, so the demo does not wait a quarter of an hour.
 */
function demoEventWorkflows(sandboxes: Sandboxes): Array<ExampleWorkflow['json']> {
	return eventExamples().map((example) =>
		example.id !== AFAS_EVENTS
			? pointAtSandboxes(example, sandboxes)
			: eventExampleVariant(
					example,
					sandboxes,
					{ id: example.id, name: `${example.name} (every minute in the demo)` },
					(node) => {
						if (node.type === 'n8n-nodes-hr-sync.afasTrigger')
							node.parameters = {
								...(node.parameters as object),
								pollTimes: { item: [{ mode: 'everyMinute' }] },
							};
					},
				),
	);
}

/** The audit rows of some executions, one line each, at most ROWS_SHOWN. */
async function printEventAudit(n8n: N8nInstance, executions: Execution[]): Promise<void> {
	const rows = [];
	for (const execution of executions) rows.push(...(await auditOf(n8n.api, execution.id)).rows);
	const runs = executions.length === 1 ? 'this run' : `these ${executions.length} runs`;
	console.log(`    Audit of ${runs} (hr_sync_audit):`);
	for (const row of rows.slice(0, ROWS_SHOWN)) console.log(auditLine(row));
	if (rows.length > ROWS_SHOWN) console.log(`      … and ${rows.length - ROWS_SHOWN} more rows`);
}

/** HiBob → Declaree-style on every change: a hire, a change and a leaver made in the HiBob sandbox. */
async function hiBobEvents(n8n: N8nInstance, sandboxes: Sandboxes, json: ExampleWorkflow['json']) {
	const bob = sandboxes.hibob;
	const app = sandboxes.declaree;
	const user = (id: string) => app.collection('users').find((u) => u.externalId === id);
	const afterId = await n8n.api.lastExecutionId(BOB_EVENTS);
	const url = await publishEventExample(n8n, sandboxes, { id: BOB_EVENTS, json });
	console.log(`  ok     ${json.name}`);
	console.log(`    published; the HiBob sandbox registered ${url} after its Ping test`);
	bob.resetLimits();

	stepHiBobClock(bob);
	let since = Date.now();
	const email = `noor.deboer.${since}@acme-hr.example`;
	const hire = bob.addEmployee({
		firstName: 'Noor',
		surname: 'de Boer',
		email,
		startDate: bob.today(),
	});
	const joined = await waitForApp('the hire in the app', () => user(hire.id), { since });
	console.log(
		`    hire    Noor de Boer starts today (HiBob ${hire.id}): in the app after ${joined.ms} ms (${joined.value.id}, enabled ${String(joined.value.enabled)})`,
	);
	const [mover, leaver] = app
		.collection('users')
		.filter(
			(u) =>
				u.enabled === true && bob.lifecycle(String(u.externalId)).lifecycleStatus === 'employed',
		)
		.map((u) => String(u.externalId));
	const surname = `${String(user(mover)!.lastName)}-Jansen`;
	stepHiBobClock(bob);
	since = Date.now();
	bob.updateEmployee(mover, { 'root.surname': surname });
	const moved = await waitForApp(
		'the change in the app',
		() => (user(mover)?.lastName === surname ? true : undefined),
		{ since },
	);
	console.log(
		`    change  ${String(user(mover)!.firstName)} is now ${surname}: in the app after ${moved.ms} ms`,
	);
	stepHiBobClock(bob);
	since = Date.now();
	bob.terminate(leaver, { terminationDate: dayBefore(bob.today()) });
	const left = await waitForApp(
		'the leaver in the app',
		() => (user(leaver)?.enabled === false ? true : undefined),
		{ since },
	);
	console.log(
		`    leaver  ${String(user(leaver)!.firstName)} ${String(user(leaver)!.lastName)} was terminated yesterday: deactivated after ${left.ms} ms`,
	);
	const executions = await settleEvents(n8n, bob, BOB_EVENTS, afterId);
	console.log(
		`    ${executions.length} runs: HiBob sends several events for one change (a hire: created, joined, activated); the app's unique external ID lets only one create through`,
	);
	await printEventAudit(n8n, executions);
}

/** AFAS → MobieTrain-style, polling: a hire, a change and a leaver made in the AFAS sandbox. */
async function afasEvents(n8n: N8nInstance, sandboxes: Sandboxes, json: ExampleWorkflow['json']) {
	const afas = sandboxes.afas;
	const app = sandboxes.mobietrain;
	const user = (id: unknown) => app.collection('users').find((u) => u.externalId === String(id));
	const reads = connectorReads(afas, CONNECTOR);
	await publishEventExample(n8n, sandboxes, { id: AFAS_EVENTS, json });
	await waitForPoll(afas, CONNECTOR, reads);
	console.log(`  ok     ${json.name}`);
	console.log(`    published; the first poll recorded the state of ${CONNECTOR}`);
	// People day 2 left alone (it changed the first ones).
	const [changed, removed, like] = afas
		.getRows(CONNECTOR)
		.filter((row) => user(row.externalId))
		.slice(10);
	const hire = newAfasRow(like, '990101', new Date().toISOString().slice(0, 10));
	const afterId = await n8n.api.lastExecutionId(AFAS_EVENTS);
	const since = Date.now();
	editAfasRows(afas, CONNECTOR, {
		add: [hire],
		change: { [String(changed.externalId)]: { lastName: `${String(changed.lastName)}-Visser` } },
		remove: [String(removed.externalId)],
	});
	console.log(
		`    in AFAS: ${String(hire.firstName)} ${String(hire.lastName)} (${String(hire.externalId)}) starts today; ${String(changed.firstName)} ${String(changed.lastName)} is now ${String(changed.lastName)}-Visser; ${String(removed.firstName)} ${String(removed.lastName)} is no longer in the connector`,
	);
	console.log('    waiting for the next poll (every minute)…');
	const [execution] = await n8n.api.waitForExecutions(AFAS_EVENTS, { afterId, timeoutMs: 150_000 });
	console.log(
		`    the poll reported ${afasTriggerItems(execution).join(', ')}; the app had them ${Date.now() - since} ms after the change: ${user(hire.externalId) ? 'invited' : 'NOT invited'}, ${user(changed.externalId)?.lastName === `${String(changed.lastName)}-Visser` ? 'renamed' : 'NOT renamed'}, ${user(removed.externalId) ? 'NOT removed' : 'removed'}`,
	);
	await printEventAudit(n8n, [execution]);
}

/** Runs every example once; prints decisions and audit rows; returns the plans' reference date. */
async function runAll(n8n: N8nInstance, examples: ExampleWorkflow[]): Promise<string | undefined> {
	let asOf: string | undefined;
	for (const example of examples) {
		const execution = await runExample(n8n, example);
		console.log(`  ${execution.status === 'success' ? 'ok    ' : 'FAILED'} ${example.name}`);
		console.log(describeRun(execution));
		await printAudit(n8n, execution);
		const summary = Object.keys(execution.data?.resultData.runData ?? {})
			.map((node) => reconcileSummary(execution, node))
			.find(Boolean);
		asOf ??= summary?.asOf as string | undefined;
	}
	return asOf;
}

async function main(): Promise<void> {
	console.log('Starting the sandbox servers…');
	const sandboxes = await startSandboxes({ fixedPorts: true });
	console.log('Installing this package into n8n and starting it…');
	const n8n = await N8nInstance.create({ mode: 'regular', mainPort: editorPort });
	const stop = async () => {
		await n8n.stop();
		await sandboxes.close();
	};
	process.on('SIGINT', () => void stop().then(() => process.exit(0)));
	process.on('SIGTERM', () => void stop().then(() => process.exit(0)));

	const events = demoEventWorkflows(sandboxes);
	const imported = await startExamples(n8n, sandboxes, [], { unpublished: events });
	console.log(
		`Imported and published ${imported.length} example workflows: ${imported.map((e) => e.file).join(', ')}\n`,
	);
	const examples = [
		...imported.filter((example) => !writesToScim(example)),
		...imported.filter((example) => example.id === SCIM_EXAMPLE),
	];

	console.log('Day 1: first sync (the apps are empty)');
	const asOf = await runAll(n8n, examples);
	console.log(appState(sandboxes));

	console.log('\nDay 2: HR changed');
	for (const change of changeHr(sandboxes, asOf ?? new Date().toISOString().slice(0, 10)))
		console.log(`  ${change}`);
	await runAll(n8n, examples);
	console.log(appState(sandboxes));

	console.log('\nEvents: HR changes reach the apps without waiting for the next scheduled run');
	await hiBobEvents(n8n, sandboxes, events.find((json) => json.id === BOB_EVENTS)!);
	await afasEvents(n8n, sandboxes, events.find((json) => json.id === AFAS_EVENTS)!);
	console.log(appState(sandboxes));

	if (once) {
		await stop();
		return;
	}
	console.log(
		[
			'',
			`n8n is running: open ${n8n.main.url} and log in as ${OWNER.email} / ${OWNER.password} (this machine only).`,
			'The example workflows are there (started by webhook here; their schedules are off), and the audit',
			'under Overview → Data tables: hr_sync_audit (one row per operation) and hr_sync_runs (one per run).',
			'The event-driven examples stay published: a change made through the HiBob control API (README, HiBob,',
			'"Try it against the sandbox") reaches the Declaree-style app within seconds; AFAS is polled every minute.',
			'The sandbox servers keep running:',
			`  AFAS ${sandboxes.afas.url}   HiBob ${sandboxes.hibob.url}`,
			`  MobieTrain-style ${sandboxes.mobietrain.url}   Declaree-style ${sandboxes.declaree.url}   Oneteam-style ${sandboxes.oneteam.url}`,
			`  SCIM 2.0 apps ${sandboxes.scim.url} (AFAS example)   ${sandboxes.scimHiBob.url} (HiBob example)`,
			'Press Ctrl-C to stop n8n and the sandboxes.',
		].join('\n'),
	);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
