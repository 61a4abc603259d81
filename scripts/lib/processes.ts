/**
 * Child processes for the real-n8n driver: one-shot commands (`npm`, the n8n CLI, `initdb`) and
 * long-running services (n8n, PostgreSQL, Redis). A service runs in its own process group with
 * its output appended to a log file, and never outlives the process that started it: it is killed
 * with its group on `stop()`/`kill()`, when this process exits, and (through `setpriv
 * --pdeathsig`) when this process dies without a chance to clean up.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
	closeSync,
	existsSync,
	mkdtempSync,
	openSync,
	readFileSync,
	rmSync,
	statSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CommandResult {
	code: number | null;
	stdout: string;
	stderr: string;
}

export interface CommandOptions {
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	/** Killed (SIGKILL) after this many ms; default 180 000. */
	timeoutMs?: number;
	/** Run as this system user (needs root; see `asUser`). */
	user?: string;
}

const SETPRIV = '/usr/bin/setpriv';

/** A system user's numeric uid and gid (`id -u`, `id -g`); throws when the user does not exist. */
export function userIds(user: string): { uid: number; gid: number } {
	const id = (flag: string) =>
		Number(execFileSync('id', [flag, user], { encoding: 'utf8' }).trim());
	return { uid: id('-u'), gid: id('-g') };
}

/**
 * The command line that runs `command` as `user` (when given) and delivers `deathSignal` to it
 * when this process dies (util-linux `setpriv`). Without setpriv, and with neither option, the
 * command runs as is; a user without setpriv is an error.
 */
export function wrapCommand(
	command: string,
	args: string[],
	options: { user?: string; deathSignal?: NodeJS.Signals } = {},
): { command: string; args: string[] } {
	if (!existsSync(SETPRIV)) {
		if (options.user) throw new Error(`running as ${options.user} needs ${SETPRIV} (util-linux)`);
		return { command, args };
	}
	const prefix: string[] = [];
	if (options.user) {
		const { uid, gid } = userIds(options.user);
		prefix.push(`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups');
	}
	if (options.deathSignal) prefix.push(`--pdeathsig=${options.deathSignal}`);
	if (prefix.length === 0) return { command, args };
	return { command: SETPRIV, args: [...prefix, '--', command, ...args] };
}

/**
 * Runs a command to completion and returns its exit code and output. Output goes to files, not
 * pipes: n8n ends with process.exit(), which drops whatever is still queued for a pipe (a large
 * result JSON arrives cut off), while writes to a file are synchronous.
 */
export function runCommand(
	command: string,
	args: string[],
	options: CommandOptions = {},
): Promise<CommandResult> {
	const folder = mkdtempSync(join(tmpdir(), 'hr-sync-cmd-'));
	const outFile = join(folder, 'stdout');
	const errFile = join(folder, 'stderr');
	const out = openSync(outFile, 'w');
	const err = openSync(errFile, 'w');
	const wrapped = wrapCommand(command, args, { user: options.user, deathSignal: 'SIGKILL' });
	return new Promise<CommandResult>((resolve, reject) => {
		const child = spawn(wrapped.command, wrapped.args, {
			cwd: options.cwd,
			env: options.env ?? process.env,
			stdio: ['ignore', out, err],
		});
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`${command} ${args.join(' ')} timed out after ${options.timeoutMs} ms`));
		}, options.timeoutMs ?? 180_000);
		child.on('error', reject);
		child.on('close', (code) => {
			clearTimeout(timer);
			resolve({
				code,
				stdout: readFileSync(outFile, 'utf8'),
				stderr: readFileSync(errFile, 'utf8'),
			});
		});
	}).finally(() => {
		closeSync(out);
		closeSync(err);
		rmSync(folder, { recursive: true, force: true });
	});
}

/** The last `lines` lines of a text file ('' when it does not exist). */
export function tailFile(file: string, lines = 40): string {
	if (!existsSync(file)) return '';
	const text = readFileSync(file, 'utf8');
	return text
		.split('\n')
		.slice(-lines - 1)
		.join('\n');
}

/**
 * Ports below Linux's ephemeral range (32768-60999 by default), where outgoing connections never
 * take a port: a port handed out here may be bound by the process it is for a minute later (after
 * a package install, after main has started), and a port from the ephemeral range could meanwhile
 * be the local end of any connection this machine opens. Each process starts in a block of its own
 * (by process id), so parallel test workers rarely try the same ports.
 */
const PORT_RANGE = { first: 20_000, last: 32_767 };
const PORT_BLOCK = 20;
const handedOut = new Set<number>();

function canListen(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const server = createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/**
 * `count` free TCP ports on 127.0.0.1, distinct from each other and from every port this process
 * handed out before, from 20000-32767 (outside the ephemeral range). Throws when the range has no
 * `count` free ports.
 */
export async function freePorts(count: number): Promise<number[]> {
	const size = PORT_RANGE.last - PORT_RANGE.first + 1;
	const blocks = Math.floor(size / PORT_BLOCK);
	const start = (process.pid % blocks) * PORT_BLOCK;
	const ports: number[] = [];
	for (let step = 0; step < size && ports.length < count; step++) {
		const port = PORT_RANGE.first + ((start + step) % size);
		if (handedOut.has(port) || !(await canListen(port))) continue;
		handedOut.add(port);
		ports.push(port);
	}
	if (ports.length < count)
		throw new Error(`No ${count} free ports in ${PORT_RANGE.first}-${PORT_RANGE.last}`);
	return ports;
}

/** Resolves after `ms` milliseconds. */
export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Calls `probe` every `intervalMs` (default 250) until it returns something other than undefined,
 * and returns that. Throws `Timed out waiting for <what>` (plus `detail()`, e.g. a log tail)
 * after `timeoutMs`; an error thrown by `probe` ends the wait at once.
 */
export async function waitFor<T>(
	what: string,
	probe: () => Promise<T | undefined> | T | undefined,
	options: { timeoutMs: number; intervalMs?: number; detail?: () => string },
): Promise<T> {
	const deadline = Date.now() + options.timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) {
			const detail = options.detail?.() ?? '';
			throw new Error(
				`Timed out after ${options.timeoutMs} ms waiting for ${what}${detail ? `\n${detail}` : ''}`,
			);
		}
		await delay(options.intervalMs ?? 250);
	}
}

export interface ServiceSpec {
	/** Name used in messages ('postgres', 'n8n worker-1'). */
	name: string;
	command: string;
	args: string[];
	env?: NodeJS.ProcessEnv;
	cwd?: string;
	/** stdout and stderr are appended here (the file survives restarts). */
	logFile: string;
	/** Run as this system user (root only: PostgreSQL refuses to run as root). */
	user?: string;
	/** Signal for a graceful stop; default SIGTERM. */
	stopSignal?: NodeJS.Signals;
}

/** Services still running, killed with their process group when this process exits. */
const running = new Set<Service>();
let exitHookInstalled = false;

function installExitHook(): void {
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	process.once('exit', () => {
		for (const service of running) service.signal('SIGKILL');
	});
}

/** A long-running process (n8n, PostgreSQL, Redis) in its own process group; see the file comment. */
export class Service {
	private child?: ChildProcess;
	private exit?: Promise<number | null>;
	/** Process group id of the last start, until the group has been cleaned up. */
	private group?: number;

	constructor(readonly spec: ServiceSpec) {}

	/** The process group of the last start (the leader's pid), while it is running. */
	get processGroup(): number | undefined {
		return this.group;
	}

	/** True from `start()` until the process has exited. */
	get isRunning(): boolean {
		return this.child !== undefined && this.child.exitCode === null && !this.child.signalCode;
	}

	/** Resolves with the exit code (null after a signal) once the current process exits. */
	get exited(): Promise<number | null> {
		return this.exit ?? Promise.resolve(null);
	}

	/** Spawns the process; its output is appended to `spec.logFile`. Throws when already running. */
	start(): void {
		if (this.isRunning) throw new Error(`${this.spec.name} is already running`);
		installExitHook();
		const { command, args } = wrapCommand(this.spec.command, this.spec.args, {
			user: this.spec.user,
			deathSignal: this.spec.stopSignal ?? 'SIGTERM',
		});
		const log = openSync(this.spec.logFile, 'a');
		const child = spawn(command, args, {
			cwd: this.spec.cwd,
			env: this.spec.env ?? process.env,
			stdio: ['ignore', log, log],
			detached: true,
		});
		closeSync(log);
		this.child = child;
		this.group = child.pid;
		running.add(this);
		this.exit = new Promise((resolve) => {
			child.once('error', () => resolve(null));
			child.once('exit', (code) => {
				running.delete(this);
				resolve(code);
			});
		});
	}

	/**
	 * Sends `signal` to the process group of the last start (children such as n8n's task runners
	 * too, even after the leader has exited).
	 */
	signal(signal: NodeJS.Signals): void {
		if (!this.group) return;
		try {
			process.kill(-this.group, signal);
		} catch {
			// Already gone.
		}
	}

	/** Graceful stop (`stopSignal`), then SIGKILL to the group after `timeoutMs` (default 20 s). */
	async stop(timeoutMs = 20_000): Promise<void> {
		if (this.isRunning) {
			this.signal(this.spec.stopSignal ?? 'SIGTERM');
			const timer = setTimeout(() => this.signal('SIGKILL'), timeoutMs);
			await this.exited;
			clearTimeout(timer);
		}
		this.cleanUpGroup();
	}

	/** SIGKILL to what is left of the group once its leader has exited, then forget the group. */
	private cleanUpGroup(): void {
		this.signal('SIGKILL');
		this.group = undefined;
	}

	/** Kills the process group at once (SIGKILL), as a crash or an OOM kill would. */
	async kill(): Promise<void> {
		if (this.isRunning) {
			this.signal('SIGKILL');
			await this.exited;
		}
		this.cleanUpGroup();
	}

	/** The last lines of the log file. */
	tail(lines = 40): string {
		return tailFile(this.spec.logFile, lines);
	}

	/** The whole log file ('' before the first start). */
	logText(): string {
		return existsSync(this.spec.logFile) && statSync(this.spec.logFile).isFile()
			? readFileSync(this.spec.logFile, 'utf8')
			: '';
	}
}
