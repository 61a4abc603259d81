/**
 * The services an n8n queue-mode cluster needs besides n8n: PostgreSQL 17 (n8n's database) and
 * Redis 7 (the Bull job queue and pub/sub between main, workers and webhook processes). Both run
 * on 127.0.0.1 on free ports with their data in a temporary folder, as child services of this
 * process (see processes.ts), and are installed once by scripts/queue/ensure-queue-deps.sh.
 *
 * n8n's queue-mode set-up: https://docs.n8n.io/hosting/scaling/queue-mode/
 */
import { randomBytes } from 'node:crypto';
import { chownSync, chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from './realN8n';
import { freePorts, runCommand, Service, userIds, waitFor } from './processes';

export interface QueueDeps {
	/** Folder with initdb, pg_ctl and postgres. */
	pgBin: string;
	/** System user PostgreSQL runs as (when this process is root), else undefined. */
	pgUser?: string;
	/** The redis-server binary. */
	redisServer: string;
}

/**
 * Installs PostgreSQL 17 and Redis when missing (apt-get, npm; see the script) and returns where
 * they are. Fast (about 0.1 s) once installed. Throws with the script's output when it fails.
 */
export async function ensureQueueDeps(): Promise<QueueDeps> {
	const script = join(PACKAGE_ROOT, 'scripts', 'queue', 'ensure-queue-deps.sh');
	const result = await runCommand('bash', [script], { timeoutMs: 600_000 });
	if (result.code !== 0)
		throw new Error(`${script} failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
	const values = new Map(
		result.stdout
			.split('\n')
			.map((line) => /^([A-Z_]+)=(.*)$/.exec(line))
			.filter((match): match is RegExpExecArray => match !== null)
			.map((match) => [match[1], match[2]]),
	);
	const pgBin = values.get('PG_BIN');
	const redisServer = values.get('REDIS_SERVER');
	if (!pgBin || !redisServer) throw new Error(`${script} printed no PG_BIN/REDIS_SERVER`);
	return { pgBin, redisServer, pgUser: values.get('PG_USER') || undefined };
}

export interface Postgres {
	host: string;
	port: number;
	user: string;
	password: string;
	database: string;
	service: Service;
}

/** A folder owned by `user` (when given), so PostgreSQL running as that user can write it. */
function ownedFolder(path: string, user?: string): string {
	mkdirSync(path, { recursive: true, mode: 0o700 });
	if (user) {
		const { uid, gid } = userIds(user);
		chownSync(path, uid, gid);
	}
	return path;
}

/**
 * Initialises a database cluster in `<folder>/postgres/pgdata` (superuser `n8n`, a random password,
 * scram-sha-256) and starts PostgreSQL on 127.0.0.1 at a free port, TCP only. Durability is
 * switched off (fsync, synchronous_commit): the data is thrown away after the run. Resolves
 * once it accepts connections; throws with the log tail otherwise. When PostgreSQL runs as
 * another user, `folder` is made traversable (0711) for it.
 */
export async function startPostgres(deps: QueueDeps, folder: string): Promise<Postgres> {
	// The unprivileged user must be able to pass through `folder` (mkdtemp makes it 0700).
	if (deps.pgUser) chmodSync(folder, 0o711);
	const home = ownedFolder(join(folder, 'postgres'), deps.pgUser);
	const password = randomBytes(18).toString('base64url');
	const passwordFile = join(home, 'password');
	writeFileSync(passwordFile, password, { mode: 0o600 });
	if (deps.pgUser) chownSync(passwordFile, userIds(deps.pgUser).uid, userIds(deps.pgUser).gid);
	const dataDir = join(home, 'pgdata');
	const init = await runCommand(
		join(deps.pgBin, 'initdb'),
		['-D', dataDir, '-U', 'n8n', `--pwfile=${passwordFile}`, '--auth=scram-sha-256'],
		{ user: deps.pgUser, cwd: home, env: { ...process.env, LC_ALL: 'C' } },
	);
	if (init.code !== 0) throw new Error(`initdb failed:\n${init.stdout}\n${init.stderr}`);
	const [port] = await freePorts(1);
	const settings = {
		listen_addresses: '127.0.0.1',
		unix_socket_directories: '',
		fsync: 'off',
		synchronous_commit: 'off',
		full_page_writes: 'off',
		max_connections: '200',
	};
	const service = new Service({
		name: 'postgres',
		command: join(deps.pgBin, 'postgres'),
		args: ['-D', dataDir, '-p', String(port), ...Object.entries(settings).flatMap(setting)],
		cwd: home,
		logFile: join(folder, 'postgres.log'),
		user: deps.pgUser,
		stopSignal: 'SIGINT', // "fast" shutdown
	});
	service.start();
	await waitForLog(service, 'database system is ready to accept connections');
	return { host: '127.0.0.1', port, user: 'n8n', password, database: 'postgres', service };
}

const setting = ([name, value]: [string, string]) => ['-c', `${name}=${value}`];

export interface Redis {
	host: string;
	port: number;
	service: Service;
}

/** Starts redis-server on 127.0.0.1 at a free port, without persistence; resolves once ready. */
export async function startRedis(deps: QueueDeps, folder: string): Promise<Redis> {
	const dir = join(folder, 'redis');
	mkdirSync(dir, { recursive: true });
	chmodSync(dir, 0o700);
	const [port] = await freePorts(1);
	const service = new Service({
		name: 'redis',
		command: deps.redisServer,
		args: [
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
		],
		cwd: dir,
		logFile: join(folder, 'redis.log'),
	});
	service.start();
	await waitForLog(service, 'Ready to accept connections');
	return { host: '127.0.0.1', port, service };
}

/**
 * Waits (up to 60 s) until the service's log contains `line`. When it does not come (the service
 * exited, or the time ran out), stops the service and throws with the log tail.
 */
async function waitForLog(service: Service, line: string): Promise<void> {
	try {
		await waitFor(
			`${service.spec.name} ("${line}")`,
			() => {
				if (service.logText().includes(line)) return true;
				if (!service.isRunning)
					throw new Error(`${service.spec.name} exited during start-up:\n${service.tail()}`);
				return undefined;
			},
			{ timeoutMs: 60_000, intervalMs: 100, detail: () => service.tail() },
		);
	} catch (error) {
		await service.stop();
		throw error;
	}
}

/**
 * Starts PostgreSQL and Redis side by side in `folder`; when one fails, stops the other and
 * throws the first error.
 */
export async function startQueueServices(
	deps: QueueDeps,
	folder: string,
): Promise<{ postgres: Postgres; redis: Redis }> {
	const [postgres, redis] = await Promise.allSettled([
		startPostgres(deps, folder),
		startRedis(deps, folder),
	]);
	if (postgres.status === 'fulfilled' && redis.status === 'fulfilled')
		return { postgres: postgres.value, redis: redis.value };
	for (const result of [postgres, redis])
		if (result.status === 'fulfilled') await result.value.service.stop();
	throw [postgres, redis].find((result) => result.status === 'rejected')!.reason;
}
