/**
 * End to end at a company's size: the AFAS → MobieTrain-style example as shipped, in a started
 * n8n 2.40.7 with this package, against an AFAS sandbox with 10,000 and 50,000 generated
 * employees and an empty MobieTrain-style app sandbox. Per size and mode (regular: one
 * `n8n start` on SQLite; queue: main, two workers and a webhook process on PostgreSQL and
 * Redis) three runs: the first sync, a day without changes, and a day with 1 % movers (new job
 * and organisation) and 1 % leavers. Prints per run the wall time (webhook call to the end of the
 * execution), the execution's own time and the time per part of the workflow, from n8n's event
 * log (the example keeps no execution data of successful runs), and the audit's own count of what
 * was done. Then, in queue mode, whether spreading writes over several executions (so over both
 * workers) makes them faster.
 *
 *   npm run bench -- e2e                     # everything: about 25 minutes on 2 cores
 *   npm run bench -- e2e 10000 regular       # one size and mode: about 2 minutes
 *   npm run bench -- e2e 50000 queue
 *   npm run bench -- e2e spread              # only the spreading measurement (queue mode)
 */
import { loadavg } from 'node:os';
import { loadExamples } from '../lib/examples';
import { N8nInstance } from '../lib/n8nInstance';
import { peakMemory, ScaleSetup, type NodeTime, type ScaleRun } from '../lib/scaleRun';
import { startAppSandbox, type AppSandbox } from '../../sandbox/apps/server';
import { waitFor } from '../lib/processes';

type Mode = 'regular' | 'queue';

/** The parts of the example a run's time is split into, by node name. */
const PARTS: Array<[part: string, belongs: (node: string) => boolean]> = [
	['AFAS fetch', (node) => node === 'Get AFAS employees'],
	['app read', (node) => node === 'Get MobieTrain users' || node === 'All users, counted'],
	['Reconcile', (node) => node === 'Reconcile Users'],
	[
		'writes',
		(node) =>
			/^(Create group or store|Invite user|Update user|Remove user and invitation)(:|$)/.test(node),
	],
	[
		'audit',
		(node) =>
			/^(Audit table|Runs table|Sync Audit|Write audit rows|Write run report|Forget audit rows|Email the report|Tables named like|Another table with that name|Stop: rename)/.test(
				node,
			),
	],
];
/** This package's nodes in the example. */
const PACKAGE_NODES = new Set(['Get AFAS employees', 'Reconcile Users', 'Sync Audit']);

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
const count = (value: number) => value.toLocaleString('en');
const pad = (text: string, width: number) => text.padStart(width);

/** Time per part of the workflow and the rest of the execution ("other": between nodes). */
function parts(run: ScaleRun): Record<string, number> {
	const sums: Record<string, number> = Object.fromEntries(PARTS.map(([part]) => [part, 0]));
	let inParts = 0;
	for (const { node, ms } of run.nodes) {
		const part = PARTS.find(([, belongs]) => belongs(node))?.[0];
		if (part) sums[part] += ms;
		inParts += ms;
	}
	return { ...sums, other: Math.max(0, run.executionMs - inParts) };
}

const HEADER = ['wall', 'execution', ...PARTS.map(([part]) => part), 'other'];

function printRun(label: string, run: ScaleRun): void {
	const split = parts(run);
	const cells = [run.wallMs, run.executionMs, ...PARTS.map(([part]) => split[part]), split.other];
	console.log(`  ${label.padEnd(26)}${cells.map((ms) => pad(seconds(ms), 11)).join('')}`);
	const [largest] = Object.entries(split).sort((a, b) => b[1] - a[1]);
	const packageMs = run.nodes
		.filter((time: NodeTime) => PACKAGE_NODES.has(time.node))
		.reduce((sum, time) => sum + time.ms, 0);
	const share = (ms: number) => `${Math.round((ms / Math.max(run.executionMs, 1)) * 100)} %`;
	console.log(
		`    ${run.status}; largest part: ${largest[0]} (${share(largest[1])}); this package's nodes ${seconds(packageMs)} (${share(packageMs)})`,
	);
	const slowest = [...run.nodes].sort((a, b) => b.ms - a.ms).slice(0, 4);
	console.log(
		`    slowest nodes: ${slowest.map((time) => `${time.node} ${seconds(time.ms)}`).join(', ')}`,
	);
	const report = run.report;
	console.log(
		`    audit: ${report ? `${String(report.outcome)}; ${String(report.counts)}` : 'no run report'}`,
	);
}

/** The three daily situations at one size and mode. */
async function measure(employees: number, mode: Mode): Promise<void> {
	const started = Date.now();
	const setup = await ScaleSetup.start({ employees, mode });
	try {
		console.log(
			`\n${mode} mode, ${count(employees)} employees (set up in ${seconds(Date.now() - started)}; load average ${loadavg()[0].toFixed(1)})`,
		);
		console.log(`  ${'run'.padEnd(26)}${HEADER.map((title) => pad(title, 11)).join('')}`);
		const first = await setup.run();
		printRun('first sync', first);
		console.log(`    app: ${count(setup.app.collection('users').length)} users`);
		printRun('no change', await setup.run());
		const changed = setup.hrChanges({ movers: 0.01, leavers: 0.01 });
		printRun(
			`${count(changed.movers)} movers, ${count(changed.leavers)} leavers`,
			await setup.run(),
		);
		const kept = await setup.n8n.api.executions({ workflowId: setup.workflow.id });
		console.log(`  executions n8n kept: ${kept.length} (successful runs keep no data)`);
		const peaks = Object.entries(peakMemory(setup.n8n)).map(
			([name, bytes]) => `${name} ${(bytes / 2 ** 30).toFixed(2)} GiB`,
		);
		if (peaks.length > 0) console.log(`  peak memory (resident): ${peaks.join(', ')}`);
	} finally {
		await setup.stop();
	}
}

/**
 * A workflow that invites `count` people from `from` on, sent in its webhook body, with the
 * example's own Invite user node (same request, pacing and error handling).
 */
function inviteWorkflow(appUrl: string) {
	const example = loadExamples().find((e) => e.id === 'hrSyncAfasMobi01')!.json;
	const invite = structuredClone(example.nodes.find((node) => node.name === 'Invite user')!);
	const id = 'hrSyncBenchInv1';
	const node = (name: string, type: string, typeVersion: number, parameters: object) => ({
		id: `${id}-${name}`,
		name,
		type,
		typeVersion,
		position: [0, 0],
		parameters,
	});
	const jsCode = `const { from, count, tag } = $json.body;
return Array.from({ length: count }, (_, i) => ({ json: { payload: {
  externalId: tag + (from + i), email: tag + (from + i) + '@bench.example.com',
  firstName: 'Bench', lastName: String(from + i), groups: [], stores: [] } } }));`;
	return {
		id,
		name: 'Bench: invite a range of people',
		active: false,
		settings: { executionOrder: 'v1', saveDataSuccessExecution: 'none' },
		nodes: [
			{
				...node('Start', 'n8n-nodes-base.webhook', 2.1, {
					httpMethod: 'POST',
					path: 'hr-sync-bench/invite',
					responseMode: 'onReceived',
					options: {},
				}),
				webhookId: '6f1de0a4-5d9e-4c39-9a51-3c0d3f1b7a01',
			},
			node('Settings', 'n8n-nodes-base.set', 3.4, {
				assignments: {
					assignments: [{ id: 'appUrl', name: 'appUrl', value: appUrl, type: 'string' }],
				},
				includeOtherFields: true,
				options: {},
			}),
			node('Invitations', 'n8n-nodes-base.code', 2, { jsCode }),
			{ ...invite, position: [0, 0] },
		],
		connections: {
			Start: { main: [[{ node: 'Settings', type: 'main', index: 0 }]] },
			Settings: { main: [[{ node: 'Invitations', type: 'main', index: 0 }]] },
			Invitations: { main: [[{ node: 'Invite user', type: 'main', index: 0 }]] },
		},
		webhookPaths: ['hr-sync-bench/invite'],
	};
}

/**
 * n8n runs one execution on one worker, so a write node's items are never spread. Spreading needs
 * several executions (for example a sub-workflow per batch, started through a webhook). This
 * measures what that would gain: `total` invitations in one execution, then the same number in
 * `parts` executions started at once, with one and with two workers.
 */
async function spread(total: number, parts: number): Promise<void> {
	console.log(
		`\nSpreading writes over workers (queue mode): ${count(total)} invitations with the example's Invite user node`,
	);
	for (const workers of [1, 2]) {
		const app = await startAppSandbox({ style: 'mobietrain' });
		const n8n = await N8nInstance.create({ mode: 'queue', workers });
		try {
			const workflow = inviteWorkflow(app.url);
			await n8n.importCredentials([
				{
					id: 'mobieTrainApi',
					name: 'MobieTrain API',
					type: 'httpHeaderAuth',
					data: { name: 'Authorization', value: `Bearer ${app.token}` },
				},
			]);
			await n8n.importWorkflow(workflow);
			await n8n.start();
			await n8n.publish(workflow.id, workflow.webhookPaths);
			// A first small run starts what n8n starts lazily (task runner, connections).
			await invite(n8n, app, { total: 50, executions: 2, tag: `w${workers}warm-` });
			for (const executions of [1, parts]) {
				const tag = `w${workers}e${executions}-`;
				const before = workerRuns(n8n);
				const ms = await invite(n8n, app, { total, executions, tag });
				const ran = workerRuns(n8n).map((runs, index) => runs - before[index]);
				console.log(
					`  ${workers} worker${workers > 1 ? 's' : ''}, ${executions} execution${executions > 1 ? 's' : ''} at once: ${seconds(ms)} (${Math.round((total / ms) * 1000)} invitations a second; executions per worker: ${ran.join(', ')})`,
				);
			}
		} finally {
			await n8n.stop();
			await app.close();
		}
	}
}

/** How many executions each worker has started, from its log ("Worker started execution <id>"). */
function workerRuns(n8n: N8nInstance): number[] {
	return n8n.workers.map(
		(worker) => worker.service.logText().split('Worker started execution').length - 1,
	);
}

/**
 * Invites `total` people (externalIds `<tag><n>`) in `executions` executions of the invite
 * workflow started at once; resolves with the time until the app has them all (ms).
 */
async function invite(
	n8n: N8nInstance,
	app: AppSandbox,
	{ total, executions, tag }: { total: number; executions: number; tag: string },
): Promise<number> {
	const size = Math.ceil(total / executions);
	const started = Date.now();
	await Promise.all(
		Array.from({ length: executions }, (_, index) =>
			n8n.callWebhook('hr-sync-bench/invite', {
				from: index * size,
				count: Math.min(size, total - index * size),
				tag,
			}),
		),
	);
	await waitFor(
		`${count(total)} invitations`,
		() =>
			app.collection('users').filter((user) => String(user.externalId).startsWith(tag)).length >=
				total || undefined,
		{ timeoutMs: 1_800_000, intervalMs: 250 },
	);
	return Date.now() - started;
}

/** Reads `npm run bench -- e2e [sizes] [modes]` (e.g. `10000,50000 regular,queue`, or `spread`). */
function selection(args: string[]): { sizes: number[]; modes: Mode[]; spread: boolean } {
	const sizes = args.find((arg) => /^\d[\d,]*$/.test(arg));
	const modes = args.find((arg) => /^(regular|queue)(,(regular|queue))*$/.test(arg));
	const onlySpread = args.includes('spread');
	return {
		sizes: onlySpread ? [] : sizes ? sizes.split(',').map(Number) : [10_000, 50_000],
		modes: modes ? (modes.split(',') as Mode[]) : ['regular', 'queue'],
		spread: onlySpread || (!sizes && !modes),
	};
}

/**
 * Runs the end-to-end bench and prints its tables: `args` may name sizes (`10000,50000`), modes
 * (`regular,queue`) and `spread`; none runs every size in both modes and the spread.
 */
export async function run(args: string[] = process.argv.slice(3)): Promise<void> {
	const chosen = selection(args);
	console.log(
		'The AFAS → MobieTrain-style example as shipped, in a started n8n 2.40.7 (times from its event log).',
	);
	console.log(
		'Parts: AFAS fetch (Get AFAS employees), app read (the paged read and its count check), Reconcile (Reconcile Users), writes (the write nodes with their retries), audit (name check, tables, Sync Audit, inserts), other (n8n between nodes).',
	);
	for (const mode of chosen.modes) for (const size of chosen.sizes) await measure(size, mode);
	if (chosen.spread) await spread(8_600, 4);
}

if (require.main === module)
	run().catch((error: unknown) => {
		console.error(error);
		process.exitCode = 1;
	});
