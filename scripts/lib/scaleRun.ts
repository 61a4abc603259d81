/**
 * The AFAS → MobieTrain-style example at a company's size in a started n8n (regular or queue
 * mode): an AFAS sandbox with `employees` generated people, an empty MobieTrain-style app sandbox,
 * the example imported as shipped (successful runs keep no execution data) with a Webhook trigger
 * next to its Manual Trigger, and published. Used by the end-to-end bench.
 *
 *   const setup = await ScaleSetup.start({ employees: 10_000, mode: 'regular' });
 *   const first = await setup.run();          // the first sync
 *   setup.hrChanges({ movers: 0.01, leavers: 0.01 });
 *   const daily = await setup.run();
 *   await setup.stop();
 *
 * A run is timed from n8n's event log (`<user folder>/.n8n/n8nEventLog*.log`, one per process):
 * n8n writes `n8n.workflow.started`, `n8n.node.started`, `n8n.node.finished` and
 * `n8n.workflow.success` / `failed` / `crashed` there with millisecond timestamps, whether or not
 * the execution's data is saved. That is how the time per node is known without keeping the
 * execution (tens of megabytes at 50,000 people).
 * Event log: https://docs.n8n.io/log-streaming/
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_PORTS } from '../../sandbox';
import { startAfasSandbox, type AfasSandbox } from '../../sandbox/afas/server';
import { startAppSandbox, type AppSandbox } from '../../sandbox/apps/server';
import {
	dayBefore,
	examplePath,
	loadExamples,
	RUNS_TABLE,
	tableRows,
	withWebhookTrigger,
	type ExampleWorkflow,
} from './examples';
import { N8nInstance, type N8nInstanceOptions } from './n8nInstance';
import { waitFor } from './processes';

/** The example this module runs. */
export const MOBIETRAIN_EXAMPLE = 'hrSyncAfasMobi01';
const CONNECTOR = 'Mobietrain_Employees';

/** What a scale run sets up: how many employees, which n8n mode, and variations. */
export interface ScaleSetupOptions {
	/** AFAS employees (generated; about 86 % are invited on a first sync). */
	employees: number;
	mode: 'regular' | 'queue';
	/** Queue mode: worker processes (default 2). */
	workers?: number;
	/** Requests per second the app allows before 429 (0 = unlimited, the default). */
	appRateLimitPerSecond?: number;
	/** Changes the example's JSON before it is imported (e.g. a variant of a write setting). */
	transform?: (workflow: ExampleWorkflow['json']) => ExampleWorkflow['json'];
	/** Extra workflows to import and publish (e.g. a sub-workflow a variant calls). */
	extraWorkflows?: Array<ExampleWorkflow['json'] & { webhookPaths?: string[] }>;
	/** Extra environment for every n8n process. */
	env?: N8nInstanceOptions['env'];
}

/** One node's time in a run: the sum over its runs (a retried write node runs twice). */
export interface NodeTime {
	node: string;
	ms: number;
	runs: number;
}

/** One finished run, as n8n's event log and the audit tables tell it. */
export interface ScaleRun {
	executionId: string;
	status: 'success' | 'failed' | 'crashed';
	/** Webhook call until n8n logged the end of the execution (ms). */
	wallMs: number;
	/** The execution's own start to end (ms), n8n's start-up and queueing aside. */
	executionMs: number;
	/** Time per node, in the order the nodes first started. */
	nodes: NodeTime[];
	/** The run's row in hr_sync_runs (the audit's run report), when it wrote one. */
	report?: Record<string, unknown>;
}

/** One line of n8n's event log, as far as it is read here. */
interface LoggedEvent {
	ts: string;
	eventName: string;
	payload?: { executionId?: string; workflowId?: string; nodeName?: string };
}

const END_EVENTS: Record<string, ScaleRun['status']> = {
	'n8n.workflow.success': 'success',
	'n8n.workflow.failed': 'failed',
	'n8n.workflow.crashed': 'crashed',
};

/**
 * The MobieTrain example at scale: an AFAS sandbox with generated employees, an app sandbox and
 * a started n8n (regular or queue mode) with the example imported and published.
 */
export class ScaleSetup {
	private constructor(
		readonly options: ScaleSetupOptions,
		readonly afas: AfasSandbox,
		readonly app: AppSandbox,
		readonly n8n: N8nInstance,
		readonly workflow: ExampleWorkflow['json'],
	) {}

	/** Starts the sandboxes and n8n, imports and publishes the example; cleans up when it fails. */
	static async start(options: ScaleSetupOptions): Promise<ScaleSetup> {
		const afas = await startAfasSandbox({ employeeCount: options.employees });
		const app = await startAppSandbox({
			style: 'mobietrain',
			rateLimitPerSecond: options.appRateLimitPerSecond ?? 0,
		});
		let n8n: N8nInstance | undefined;
		try {
			n8n = await N8nInstance.create({
				mode: options.mode,
				workers: options.workers,
				env: options.env,
			});
			const workflow = exampleFor(app, options);
			await n8n.importCredentials(scaleCredentials(afas, app));
			await n8n.importWorkflows([workflow, ...(options.extraWorkflows ?? [])]);
			await n8n.start();
			await n8n.publish(workflow.id, [examplePath(workflow)]);
			for (const extra of options.extraWorkflows ?? [])
				await n8n.publish(extra.id, extra.webhookPaths ?? []);
			return new ScaleSetup(options, afas, app, n8n, workflow);
		} catch (error) {
			await n8n?.stop();
			await app.close();
			await afas.close();
			throw error;
		}
	}

	/** Every event n8n's processes have logged so far, oldest file first. */
	events(): LoggedEvent[] {
		const events: LoggedEvent[] = [];
		for (const process of this.n8n.processes) {
			const folder = join(process.installation.userFolder, '.n8n');
			if (!existsSync(folder)) continue;
			// n8nEventLog.log is the current file, n8nEventLog-<n>.log older ones (higher n, older).
			const age = (file: string) => Number(/-(\d+)\.log$/.exec(file)?.[1] ?? 0);
			const files = readdirSync(folder)
				.filter((file) => /^n8nEventLog.*\.log$/.test(file))
				.sort((a, b) => age(b) - age(a));
			for (const file of files)
				for (const line of readFileSync(join(folder, file), 'utf8').split('\n')) {
					if (!line.startsWith('{')) continue;
					try {
						events.push(JSON.parse(line) as LoggedEvent);
					} catch {
						// A line being written: read on the next look.
					}
				}
		}
		return events;
	}

	/**
	 * Runs the example once through its webhook and waits (up to `timeoutMs`) until n8n has
	 * logged the end of the execution; then reads the run's report from the audit tables.
	 */
	async run(timeoutMs = 1_800_000): Promise<ScaleRun> {
		const known = new Set(this.executionIds());
		const started = Date.now();
		const response = await this.n8n.callWebhook(examplePath(this.workflow), {});
		if (response.status !== 200)
			throw new Error(`the webhook answered ${response.status}: ${response.text}`);
		const ended = await waitFor(
			`the run of ${this.workflow.id} to end`,
			() => {
				const end = this.events().find(
					(event) =>
						event.eventName in END_EVENTS &&
						event.payload?.workflowId === this.workflow.id &&
						!known.has(event.payload.executionId ?? ''),
				);
				return end;
			},
			{ timeoutMs, intervalMs: 250, detail: () => this.n8n.main.service.tail() },
		);
		const wallMs = Date.now() - started;
		const executionId = ended.payload!.executionId!;
		const ofRun = this.events().filter((event) => event.payload?.executionId === executionId);
		const begin = ofRun.find((event) => event.eventName === 'n8n.workflow.started');
		const reports = await tableRows(this.n8n.api, RUNS_TABLE, executionId).catch(() => []);
		return {
			executionId,
			status: END_EVENTS[ended.eventName],
			wallMs,
			executionMs: Date.parse(ended.ts) - Date.parse(begin?.ts ?? ended.ts),
			nodes: nodeTimes(ofRun),
			report: reports[0],
		};
	}

	/** The ids of the executions of the example n8n has logged a start of. */
	private executionIds(): string[] {
		return this.events()
			.filter((event) => event.payload?.workflowId === this.workflow.id)
			.map((event) => event.payload?.executionId ?? '');
	}

	/**
	 * HR changes for a daily run: `movers` (a fraction of all employees, picked among those in
	 * service, evenly over the company) move to the next function and organisation, `leavers`
	 * (a fraction) left yesterday. Returns how many of each were changed.
	 */
	hrChanges(fractions: { movers: number; leavers: number }): { movers: number; leavers: number } {
		const rows = this.afas.getRows(CONNECTOR);
		const today = this.afas.today;
		const day = (value: unknown) => String(value).slice(0, 10);
		const inService = rows.filter(
			(row) =>
				day(row.employmentStartDate) <= today &&
				(row.employementEndDate === null || day(row.employementEndDate) >= today),
		);
		const moverCount = Math.round(rows.length * fractions.movers);
		const leaverCount = Math.round(rows.length * fractions.leavers);
		const functions = new Map(rows.map((row) => [row.functionId, row.functionDescription]));
		const organizations = new Map(rows.map((row) => [row.organizationId, row.organizationName]));
		const functionIds = [...functions.keys()];
		const organizationIds = [...organizations.keys()];
		const stride = Math.max(1, Math.floor(inService.length / (moverCount + leaverCount + 1)));
		const picked = inService.filter((_, index) => index % stride === stride - 1);
		const movers = picked.slice(0, moverCount);
		const leavers = picked.slice(moverCount, moverCount + leaverCount);
		const next = <T>(list: T[], value: T) => list[(list.indexOf(value) + 1) % list.length];
		for (const row of movers) {
			const functionId = next(functionIds, row.functionId);
			const organizationId = next(organizationIds, row.organizationId);
			Object.assign(row, {
				functionId,
				functionDescription: functions.get(functionId),
				organizationId,
				organizationName: organizations.get(organizationId),
			});
		}
		for (const row of leavers) row.employementEndDate = `${dayBefore(today)}T00:00:00Z`;
		this.afas.setRows(CONNECTOR, rows);
		return { movers: movers.length, leavers: leavers.length };
	}

	/** Stops n8n and the sandboxes. */
	async stop(): Promise<void> {
		await this.n8n.stop();
		await this.app.close();
		await this.afas.close();
	}
}

/**
 * The most memory each n8n process has held so far (its peak resident set, Linux `VmHWM`, in
 * bytes): per process name, the largest of the processes in its process group (n8n and its task
 * runners). Empty where /proc is not available.
 */
export function peakMemory(n8n: N8nInstance): Record<string, number> {
	const peaks: Record<string, number> = {};
	if (!existsSync('/proc/self/status')) return peaks;
	const groups = new Map(n8n.processes.map((p) => [p.service.processGroup, p.name]));
	for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
		try {
			// /proc/<pid>/stat: "pid (comm) state ppid pgrp ..."; comm may hold spaces.
			const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
			const group = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
			const name = groups.get(group);
			if (!name) continue;
			const status = readFileSync(`/proc/${pid}/status`, 'utf8');
			const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
			peaks[name] = Math.max(peaks[name] ?? 0, kb * 1024);
		} catch {
			// The process ended meanwhile.
		}
	}
	return peaks;
}

/** The example pointed at the app sandbox, with its Webhook trigger, settings as shipped. */
function exampleFor(app: AppSandbox, options: ScaleSetupOptions): ExampleWorkflow['json'] {
	const example = loadExamples().find((e) => e.id === MOBIETRAIN_EXAMPLE)!;
	const shippedUrl = `http://127.0.0.1:${DEFAULT_PORTS.mobietrain}/api/v1`;
	const json = JSON.parse(
		JSON.stringify(example.json).split(shippedUrl).join(app.url),
	) as ExampleWorkflow['json'];
	const started = withWebhookTrigger(json, {
		path: examplePath(json),
		responseMode: 'onReceived',
		shippedSettings: true,
	});
	return options.transform ? options.transform(started) : started;
}

/** The example's two credentials, pointing at the sandboxes. */
function scaleCredentials(afas: AfasSandbox, app: AppSandbox) {
	return [
		{
			id: 'afasProfitApi',
			name: 'AFAS Profit',
			type: 'afasApi',
			data: { connectUsing: 'url', url: afas.url, token: afas.tokenXml },
		},
		{
			id: 'mobieTrainApi',
			name: 'MobieTrain API',
			type: 'httpHeaderAuth',
			data: { name: 'Authorization', value: `Bearer ${app.token}` },
		},
	];
}

/** Time per node from one execution's events: each `node.started` paired with its `node.finished`. */
export function nodeTimes(events: LoggedEvent[]): NodeTime[] {
	const times = new Map<string, NodeTime>();
	const open = new Map<string, number>();
	for (const event of events) {
		const node = event.payload?.nodeName;
		if (!node) continue;
		if (event.eventName === 'n8n.node.started') open.set(node, Date.parse(event.ts));
		if (event.eventName !== 'n8n.node.finished') continue;
		const time = times.get(node) ?? { node, ms: 0, runs: 0 };
		time.ms += Date.parse(event.ts) - (open.get(node) ?? Date.parse(event.ts));
		time.runs++;
		times.set(node, time);
	}
	return [...times.values()];
}
