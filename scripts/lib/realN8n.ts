/**
 * A real n8n process (installed from npm by scripts/ensure-n8n.sh) with this package
 * installed the way n8n's community-node installer does it: `npm install <package>` into
 * `<N8N_USER_FOLDER>/.n8n/nodes`. Used by the real-n8n tests and by `npm run demo`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand as run, type CommandResult } from './processes';

export type { CommandResult } from './processes';

export const N8N_VERSION = process.env.HR_SYNC_N8N_VERSION ?? '2.40.7';
/** Where Node 24, n8n and the queue-mode services are installed once (outside the repository). */
export const CACHE = process.env.HR_SYNC_CACHE ?? join(homedir(), '.cache', 'n8n-nodes-hr-sync');
export const N8N_DIR = join(CACHE, `n8n-${N8N_VERSION}`);
/** The n8n CLI entry point, run with `process.execPath` (Node 24). */
export const N8N_BIN = join(N8N_DIR, 'node_modules', 'n8n', 'bin', 'n8n');
export const PACKAGE_ROOT = join(__dirname, '..', '..');

/** A credential as `n8n import:credentials` takes it (data unencrypted). */
export interface CredentialImport {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

/** `npm pack`s the built package (dist/ must be current: `npm run build`) into a temp folder. */
export async function packPackage(destination: string): Promise<string> {
	const result = await run('npm', ['pack', '--silent', '--pack-destination', destination], {
		cwd: PACKAGE_ROOT,
	});
	if (result.code !== 0) throw new Error(`npm pack failed:\n${result.stderr}`);
	const tarball = readdirSync(destination).find((file) => file.endsWith('.tgz'));
	if (!tarball) throw new Error(`npm pack wrote no tarball:\n${result.stdout}`);
	return join(destination, tarball);
}

export interface ExecutionResult {
	ok: boolean;
	/** The IRun JSON n8n printed, when it printed one. */
	run?: {
		status: string;
		data: {
			resultData: {
				error?: { message: string; description?: string };
				runData: Record<
					string,
					Array<{
						data?: { main: Array<Array<{ json: Record<string, unknown> }> | null> };
						error?: { message: string };
					}>
				>;
			};
		};
	};
	stdout: string;
	stderr: string;
}

export class RealN8n {
	readonly userFolder: string;
	readonly env: NodeJS.ProcessEnv;
	private server?: ChildProcess;

	constructor(userFolder?: string, extraEnv: NodeJS.ProcessEnv = {}) {
		this.userFolder = userFolder ?? mkdtempSync(join(tmpdir(), 'hr-sync-n8n-'));
		this.env = {
			...process.env,
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: 'hr-sync-test-encryption-key-0123456789',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_DYNAMIC_BANNERS_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_DISABLED_MODULES: 'mcp-registry',
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			N8N_RUNNERS_TASK_TIMEOUT: '300',
			// The result JSON of `n8n execute` is printed through the logger at level info.
			N8N_LOG_LEVEL: 'info',
			// Each process starts its own JS task broker: keep parallel test runs apart.
			N8N_RUNNERS_BROKER_PORT: String(20000 + Math.floor(Math.random() * 20000)),
			GENERIC_TIMEZONE: 'Europe/Amsterdam',
			// Under Jest NODE_ENV is 'test', which silences n8n's logger (and so the result JSON).
			NODE_ENV: 'production',
			JEST_WORKER_ID: undefined,
			...extraEnv,
		};
	}

	/**
	 * Installs the packed package where n8n's community-node installer puts packages
	 * (`<user folder>/.n8n/nodes`). Like that installer, which drops the package's
	 * peerDependencies before `npm install`, it leaves out the peer `n8n-workflow`
	 * (`--legacy-peer-deps`): n8n puts its own node_modules on NODE_PATH, so the nodes share
	 * n8n's n8n-workflow instead of a second copy (and the install takes 1-2 s instead of 20).
	 */
	async installPackage(tarball: string): Promise<void> {
		const nodesDir = join(this.userFolder, '.n8n', 'nodes');
		mkdirSync(nodesDir, { recursive: true });
		writeFileSync(
			join(nodesDir, 'package.json'),
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }),
		);
		const result = await run(
			'npm',
			['install', '--no-audit', '--no-fund', '--loglevel=error', '--legacy-peer-deps', tarball],
			{ cwd: nodesDir, env: this.env },
		);
		if (result.code !== 0)
			throw new Error(`npm install of ${tarball} into n8n failed:\n${result.stderr}`);
	}

	async n8n(args: string[], timeoutMs = 180_000): Promise<CommandResult> {
		return await run(process.execPath, [N8N_BIN, ...args], { env: this.env, timeoutMs });
	}

	/** `n8n import:credentials`: the ids are kept, so workflows can refer to them. */
	async importCredentials(credentials: CredentialImport[]): Promise<void> {
		const file = join(this.userFolder, `credentials-${Date.now()}.json`);
		writeFileSync(file, JSON.stringify(credentials));
		const result = await this.n8n(['import:credentials', `--input=${file}`]);
		rmSync(file);
		if (result.code !== 0)
			throw new Error(`n8n import:credentials failed:\n${result.stdout}\n${result.stderr}`);
	}

	/** `n8n import:workflow` of one workflow (id kept, imported unpublished). */
	async importWorkflow(workflow: Record<string, unknown>): Promise<void> {
		await this.importWorkflows([workflow]);
	}

	/** Imports several workflows with one `n8n import:workflow` run (each n8n start costs seconds). */
	async importWorkflows(workflows: Array<Record<string, unknown>>): Promise<void> {
		const file = join(this.userFolder, `workflows-${Date.now()}.json`);
		writeFileSync(file, JSON.stringify(workflows));
		const result = await this.n8n(['import:workflow', `--input=${file}`]);
		rmSync(file);
		if (result.code !== 0)
			throw new Error(`n8n import:workflow failed:\n${result.stdout}\n${result.stderr}`);
	}

	/** `n8n execute --id`: the workflow must start with a Manual Trigger. */
	async execute(workflowId: string): Promise<ExecutionResult> {
		const result = await this.n8n(['execute', `--id=${workflowId}`, '--rawOutput']);
		// The result JSON starts at a line "{" and ends at a line "}"; n8n may log more lines after it.
		const lines = result.stdout.split('\n');
		const first = lines.findIndex((line) => line.startsWith('{'));
		let parsed: ExecutionResult['run'];
		for (let last = lines.length - 1; first >= 0 && last > first && !parsed; last--) {
			if (!lines[last].startsWith('}')) continue;
			try {
				parsed = JSON.parse(lines.slice(first, last + 1).join('\n')) as ExecutionResult['run'];
			} catch {
				parsed = undefined;
			}
		}
		return {
			ok: result.code === 0 && parsed?.status === 'success',
			run: parsed,
			stdout: result.stdout,
			stderr: result.stderr,
		};
	}

	/**
	 * Starts the n8n editor/server (for the demo) and resolves once it is ready. Tests use
	 * N8nInstance instead (free ports, logs in files, owner and API key, queue mode).
	 */
	async start(port = 5678): Promise<void> {
		this.server = spawn(process.execPath, [N8N_BIN, 'start'], {
			env: {
				...this.env,
				N8N_PORT: String(port),
				N8N_HOST: '127.0.0.1',
				N8N_LISTEN_ADDRESS: '127.0.0.1',
				N8N_SECURE_COOKIE: 'false',
			},
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const server = this.server;
		await new Promise<void>((resolve, reject) => {
			const onData = (chunk: Buffer) => {
				if (chunk.toString().includes('Editor is now accessible')) resolve();
			};
			server.stdout?.on('data', onData);
			server.stderr?.on('data', onData);
			server.on('exit', (code) => reject(new Error(`n8n start exited with code ${code}`)));
		});
	}

	async stop(): Promise<void> {
		if (!this.server || this.server.exitCode !== null) return;
		const server = this.server;
		await new Promise<void>((resolve) => {
			server.on('exit', () => resolve());
			server.kill('SIGTERM');
		});
	}

	cleanup(): void {
		rmSync(this.userFolder, { recursive: true, force: true });
	}
}

/** Items of a node's first output in an execution result. */
export function outputOf(
	execution: ExecutionResult,
	nodeName: string,
	outputIndex = 0,
): Array<Record<string, unknown>> {
	const runs = execution.run?.data.resultData.runData[nodeName];
	return runs?.[0]?.data?.main?.[outputIndex]?.map((item) => item.json) ?? [];
}
