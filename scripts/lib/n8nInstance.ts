/**
 * A started n8n (2.40.7, installed by scripts/ensure-n8n.sh) for tests, the demo and benches,
 * in regular mode (one `n8n start`, SQLite) or in queue mode (`EXECUTIONS_MODE=queue`: PostgreSQL,
 * Redis, a main process, workers and a webhook process).
 *
 * Queue mode can run several webhook processes (`webhookProcesses: 2`: 'webhook' and 'webhook-2'),
 * as behind a load balancer; each serves every production webhook (`webhookServers`).
 * `stopProcesses()` stops every n8n process while PostgreSQL and Redis keep running, and
 * `start()` starts them again.
 *
 * Every process gets its own user folder with this package installed in `<folder>/.n8n/nodes` by
 * `npm install`, as the README tells users to do on every main, worker and webhook process, and
 * its log in `<folder>/n8n.log`. Ports are free loopback ports. The life cycle:
 *
 *   const n8n = await N8nInstance.create({ mode: 'queue' }); // services up, package installed
 *   await n8n.importCredentials(...); await n8n.importWorkflows(...); // n8n CLI, ids kept
 *   await n8n.start();                                       // processes up, owner, API key
 *   await n8n.publish('workflowId', ['my-path']);            // webhook served
 *   await n8n.callWebhook('my-path', { ... });
 *   await n8n.stop();                                        // everything ends, folders removed
 *
 * Queue mode: https://docs.n8n.io/hosting/scaling/queue-mode/
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOwnerAndApiKey, N8nApi } from './n8nApi';
import { freePorts, Service, waitFor } from './processes';
import { ensureQueueDeps, startQueueServices, type Postgres, type Redis } from './queueServices';
import { N8N_BIN, packPackage, RealN8n, type CredentialImport } from './realN8n';

export type N8nRole = 'main' | 'worker' | 'webhook';

/** The log line each role prints once it serves requests or takes jobs. */
const READY_LINE: Record<N8nRole, string> = {
	main: 'Editor is now accessible via',
	worker: 'n8n worker is now ready',
	webhook: 'Webhook listener waiting for requests.',
};

/** One n8n process (`n8n start`, `n8n worker` or `n8n webhook`) of an instance. */
export class N8nProcess {
	readonly service: Service;
	private logOffset = 0;

	/**
	 * @param installation the user folder (package installed) and base environment
	 * @param port `N8N_PORT` of main and webhook processes, `QUEUE_HEALTH_CHECK_PORT` of workers
	 */
	constructor(
		readonly name: string,
		readonly role: N8nRole,
		readonly installation: RealN8n,
		readonly port: number,
	) {
		this.service = new Service({
			name: `n8n ${name}`,
			command: process.execPath,
			args: [N8N_BIN, role === 'main' ? 'start' : role],
			env: installation.env,
			cwd: installation.userFolder,
			logFile: join(installation.userFolder, 'n8n.log'),
		});
	}

	/** http://127.0.0.1:<port>: the editor and APIs (main), webhooks (webhook), /healthz (worker). */
	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	/** Starts the process and waits until it is ready; throws with the log tail when it is not. */
	async start(timeoutMs = 240_000): Promise<void> {
		this.logOffset = this.service.logText().length;
		this.service.start();
		await this.waitUntilReady(timeoutMs);
	}

	/** Ready: the role's ready line is in the log (since this start) and `/healthz/readiness` is 200. */
	async waitUntilReady(timeoutMs = 240_000): Promise<void> {
		await waitFor(
			`${this.service.spec.name} to be ready`,
			async () => {
				if (!this.service.isRunning)
					throw new Error(
						`${this.service.spec.name} exited during start-up:\n${this.service.tail()}`,
					);
				if (!this.logSinceStart().includes(READY_LINE[this.role])) return undefined;
				const response = await fetch(`${this.url}/healthz/readiness`).catch(() => undefined);
				return response?.ok ? true : undefined;
			},
			{ timeoutMs, intervalMs: 250, detail: () => this.service.tail() },
		);
	}

	/** What the process logged since its last start. */
	logSinceStart(): string {
		return this.service.logText().slice(this.logOffset);
	}

	/** Graceful stop (SIGTERM; SIGKILL after 20 s). */
	async stop(): Promise<void> {
		await this.service.stop();
	}

	/** SIGKILL to the process group: a crash in the middle of whatever it was doing. */
	async kill(): Promise<void> {
		await this.service.kill();
	}

	/** Stops (or, with `kill`, kills) the process and starts it again. */
	async restart(options: { kill?: boolean } = {}): Promise<void> {
		await (options.kill ? this.kill() : this.stop());
		await this.start();
	}
}

export interface N8nInstanceOptions {
	/** 'regular' (default): one `n8n start` on SQLite. 'queue': PostgreSQL, Redis, main, workers. */
	mode?: 'regular' | 'queue';
	/** Queue mode: number of `n8n worker` processes (default 2). */
	workers?: number;
	/** Queue mode: a separate `n8n webhook` process serving production webhooks (default true). */
	webhookProcess?: boolean;
	/**
	 * Queue mode: how many `n8n webhook` processes ('webhook', 'webhook-2', …; default 1, or 0
	 * when `webhookProcess` is false). Each serves every production webhook.
	 */
	webhookProcesses?: number;
	/** The packed package (`packPackage`); packed from dist/ when absent. */
	tarball?: string;
	/** The main process's port (the editor); a free port when absent. */
	mainPort?: number;
	/**
	 * Extra environment for every n8n process (and the CLI). Keep N8N_LOG_LEVEL at info or debug:
	 * the ready checks and `processThatRan` read the processes' logs.
	 */
	env?: NodeJS.ProcessEnv;
}

/** A regular or queue-mode n8n; see the file comment for the life cycle. */
export class N8nInstance {
	readonly processes: N8nProcess[] = [];
	private apiClient?: N8nApi;

	private constructor(
		readonly mode: 'regular' | 'queue',
		/** Temporary folder holding every user folder and service log. */
		readonly root: string,
		readonly postgres?: Postgres,
		readonly redis?: Redis,
	) {}

	/**
	 * Sets an instance up without starting n8n: in queue mode installs (first time) and starts
	 * PostgreSQL and Redis; creates each process's user folder and installs the package there.
	 * Credentials and workflows can then be imported with the CLI. Cleans up when it fails.
	 */
	static async create(options: N8nInstanceOptions = {}): Promise<N8nInstance> {
		const mode = options.mode ?? 'regular';
		const root = mkdtempSync(join(tmpdir(), `hr-sync-n8n-${mode}-`));
		let instance: N8nInstance | undefined;
		try {
			if (mode === 'queue') {
				const { postgres, redis } = await startQueueServices(await ensureQueueDeps(), root);
				instance = new N8nInstance(mode, root, postgres, redis);
			} else {
				instance = new N8nInstance(mode, root);
			}
			await instance.addProcesses(options);
			return instance;
		} catch (error) {
			if (instance) await instance.stop();
			else rmSync(root, { recursive: true, force: true });
			throw error;
		}
	}

	/** The process layout: main (+ workers + webhook in queue mode), ports, package installs. */
	private async addProcesses(options: N8nInstanceOptions): Promise<void> {
		const roles: Array<[string, N8nRole]> = [['main', 'main']];
		if (this.mode === 'queue') {
			for (let i = 1; i <= (options.workers ?? 2); i++) roles.push([`worker-${i}`, 'worker']);
			const webhooks = options.webhookProcesses ?? (options.webhookProcess === false ? 0 : 1);
			for (let i = 1; i <= webhooks; i++)
				roles.push([i === 1 ? 'webhook' : `webhook-${i}`, 'webhook']);
		}
		const ports = await freePorts(roles.length * 2);
		if (options.mainPort !== undefined) ports[0] = options.mainPort;
		// Production webhooks go to the webhook process when there is one, else to main.
		const webhookIndex = Math.max(
			0,
			roles.findIndex(([, role]) => role === 'webhook'),
		);
		const webhookProcess = webhookIndex > 0;
		const shared = { ...this.sharedEnv(`http://127.0.0.1:${ports[2 * webhookIndex]}/`) };
		for (const [index, [name, role]] of roles.entries()) {
			const [port, brokerPort] = [ports[2 * index], ports[2 * index + 1]];
			const folder = join(this.root, name);
			mkdirSync(folder);
			const env = { ...shared, ...roleEnv(role, port, brokerPort, webhookProcess), ...options.env };
			this.processes.push(new N8nProcess(name, role, new RealN8n(folder, env), port));
		}
		const tarball = options.tarball ?? (await this.pack());
		await Promise.all(this.processes.map((p) => p.installation.installPackage(tarball)));
	}

	private async pack(): Promise<string> {
		const folder = join(this.root, 'pack');
		mkdirSync(folder);
		return await packPackage(folder);
	}

	/** Environment every process of this instance shares (database, queue, webhook URL). */
	private sharedEnv(webhookUrl: string): NodeJS.ProcessEnv {
		const env: NodeJS.ProcessEnv = {
			N8N_HOST: '127.0.0.1',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_SECURE_COOKIE: 'false',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
			// The address n8n gives out for production webhooks (e.g. when it registers one with HiBob).
			N8N_WEBHOOK_URL: webhookUrl,
		};
		if (this.mode === 'regular') return env;
		const { postgres, redis } = this;
		return {
			...env,
			EXECUTIONS_MODE: 'queue',
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: postgres!.host,
			DB_POSTGRESDB_PORT: String(postgres!.port),
			DB_POSTGRESDB_USER: postgres!.user,
			DB_POSTGRESDB_PASSWORD: postgres!.password,
			DB_POSTGRESDB_DATABASE: postgres!.database,
			QUEUE_BULL_REDIS_HOST: redis!.host,
			QUEUE_BULL_REDIS_PORT: String(redis!.port),
		};
	}

	/** The main process (editor, REST and public API; triggers and schedules). */
	get main(): N8nProcess {
		return this.processes[0];
	}

	/** A process by name: 'main', 'worker-1', 'worker-2', 'webhook'. */
	process(name: string): N8nProcess {
		const found = this.processes.find((p) => p.name === name);
		if (!found) throw new Error(`no n8n process named ${name}`);
		return found;
	}

	/** The worker processes (queue mode). */
	get workers(): N8nProcess[] {
		return this.processes.filter((p) => p.role === 'worker');
	}

	/** The processes that serve production webhooks: the webhook processes, else main. */
	get webhookServers(): N8nProcess[] {
		const webhooks = this.processes.filter((p) => p.role === 'webhook');
		return webhooks.length > 0 ? webhooks : [this.main];
	}

	/** Base URL of the (first) process that serves production webhooks (`<url>/webhook/<path>`). */
	get webhookBaseUrl(): string {
		return this.webhookServers[0].url;
	}

	/** The public API client; available after `start()`. */
	get api(): N8nApi {
		if (!this.apiClient) throw new Error('n8n is not started: call start() first');
		return this.apiClient;
	}

	/** `n8n import:credentials` (before or after start). */
	async importCredentials(credentials: CredentialImport[]): Promise<void> {
		await this.main.installation.importCredentials(credentials);
	}

	/** `n8n import:workflow` of one workflow, id kept, unpublished. */
	async importWorkflow(workflow: Record<string, unknown>): Promise<void> {
		await this.main.installation.importWorkflows([workflow]);
	}

	/** `n8n import:workflow` of several workflows in one CLI run, ids kept, unpublished. */
	async importWorkflows(workflows: Array<Record<string, unknown>>): Promise<void> {
		await this.main.installation.importWorkflows(workflows);
	}

	/**
	 * Starts main, then the workers and the webhook process together; on the first start also
	 * creates the owner account and an API key (`api`). Throws with the failing process's log tail.
	 */
	async start(): Promise<void> {
		await this.main.start();
		if (!this.apiClient)
			this.apiClient = new N8nApi(this.main.url, await createOwnerAndApiKey(this.main.url));
		await Promise.all(this.processes.slice(1).map((p) => p.start()));
	}

	/**
	 * Publishes a workflow through the public API and, for each of `webhookPaths`, waits until the
	 * webhook process (main in regular mode) serves it.
	 */
	async publish(workflowId: string, webhookPaths: string[] = [], method = 'POST'): Promise<void> {
		await this.api.publishWorkflow(workflowId);
		for (const path of webhookPaths) await this.waitForWebhook(path, method);
	}

	/**
	 * Waits (up to `timeoutMs`, default 60 s) until `path` is a registered production webhook for
	 * `method` on every process that serves production webhooks. Probes with a CORS preflight,
	 * whose `Access-Control-Allow-Methods` lists the methods registered for the path; it starts no
	 * execution.
	 */
	async waitForWebhook(path: string, method = 'POST', timeoutMs = 60_000): Promise<void> {
		for (const server of this.webhookServers)
			await waitFor(
				`webhook ${method} /webhook/${path} on ${server.name} (${server.url})`,
				async () => {
					const response = await fetch(`${server.url}/webhook/${path}`, {
						method: 'OPTIONS',
						headers: { origin: 'http://127.0.0.1' },
					}).catch(() => undefined);
					const allowed = response?.headers.get('access-control-allow-methods') ?? '';
					return allowed.split(/,\s*/).includes(method) ? true : undefined;
				},
				{ timeoutMs, intervalMs: 500 },
			);
	}

	/**
	 * Calls a production webhook (`<webhookBaseUrl>/webhook/<path>`) with a JSON body and returns
	 * the status and the body (parsed when it is JSON).
	 */
	async callWebhook(
		path: string,
		body?: unknown,
		options: { method?: string; headers?: Record<string, string> } = {},
	): Promise<{ status: number; body: unknown; text: string }> {
		const response = await fetch(`${this.webhookBaseUrl}/webhook/${path}`, {
			method: options.method ?? 'POST',
			headers: {
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
				...options.headers,
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		let parsed: unknown = text;
		try {
			parsed = JSON.parse(text);
		} catch {
			// Not JSON: keep the text.
		}
		return { status: response.status, body: parsed, text };
	}

	/**
	 * The process that ran an execution, from the workers' logs ("Worker started execution <id>");
	 * undefined when no worker did (regular mode, or it ran on main).
	 */
	processThatRan(executionId: string): string | undefined {
		const line = new RegExp(`Worker started execution ${executionId} \\(`);
		return this.workers.find((worker) => line.test(worker.service.logText()))?.name;
	}

	/**
	 * Every worker that logged starting an execution, in process order: one normally, two when
	 * the queue handed the execution to a second worker (e.g. after the first one died).
	 */
	workersThatRan(executionId: string): string[] {
		const line = new RegExp(`Worker started execution ${executionId} \\(`);
		return this.workers
			.filter((worker) => line.test(worker.service.logText()))
			.map((worker) => worker.name);
	}

	/**
	 * The process that put an execution on the queue, from its log ("Enqueued execution <id>"):
	 * the webhook process that received a production webhook, or main for a trigger, a poll or a
	 * schedule. Undefined in regular mode.
	 */
	processThatEnqueued(executionId: string): string | undefined {
		const line = new RegExp(`Enqueued execution ${executionId} \\(`);
		return this.processes
			.filter((p) => p.role !== 'worker')
			.find((p) => line.test(p.service.logText()))?.name;
	}

	/**
	 * Stops every n8n process (webhook and workers first, then main) and leaves PostgreSQL and
	 * Redis running: `start()` starts the same processes again on the same database and queue.
	 */
	async stopProcesses(): Promise<void> {
		const [main, ...others] = this.processes;
		await Promise.all(others.map((p) => p.stop()));
		await main?.stop();
	}

	/**
	 * Stops every n8n process (webhook and workers first, then main), then Redis and PostgreSQL,
	 * and removes the folders (kept when HR_SYNC_KEEP_N8N=1, for reading the logs).
	 */
	async stop(): Promise<void> {
		await this.stopProcesses();
		await Promise.all([this.redis?.service.stop(), this.postgres?.service.stop()]);
		if (process.env.HR_SYNC_KEEP_N8N !== '1') rmSync(this.root, { recursive: true, force: true });
	}
}

/** Environment of one process: its ports and role-specific switches. */
function roleEnv(
	role: N8nRole,
	port: number,
	brokerPort: number,
	hasWebhookProcess: boolean,
): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = { N8N_RUNNERS_BROKER_PORT: String(brokerPort) };
	if (role === 'worker')
		return {
			...env,
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(port),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		};
	return {
		...env,
		N8N_PORT: String(port),
		...(role === 'main' && hasWebhookProcess
			? { N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' }
			: {}),
	};
}
