/**
 * Starts a real n8n with this package installed, prints where everything is and how long each
 * step took, and keeps it running until Ctrl-C (or stops at once with --once, for timing).
 *
 *   bash scripts/node24.sh bash -c 'npm run build && tsx scripts/queue/cluster.ts --queue'
 *
 * Options: --queue (PostgreSQL, Redis, main, two workers, a webhook process; default: regular
 * mode), --workers=N, --once.
 */
import { N8nInstance } from '../lib/n8nInstance';
import { OWNER } from '../lib/n8nApi';

function option(name: string): string | undefined {
	const arg = process.argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
	return arg === undefined ? undefined : (arg.split('=')[1] ?? '');
}

async function timed<T>(label: string, step: () => Promise<T>): Promise<T> {
	const started = Date.now();
	const result = await step();
	console.log(`  ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
	return result;
}

async function main(): Promise<void> {
	const mode = option('queue') !== undefined ? 'queue' : 'regular';
	const workers = Number(option('workers') ?? 2);
	const started = Date.now();
	console.log(`Starting n8n in ${mode} mode…`);
	const n8n = await timed('services and package installs', () =>
		N8nInstance.create({ mode, workers }),
	);
	const stop = async () => {
		await n8n.stop();
		process.exit(0);
	};
	process.on('SIGINT', () => void stop());
	process.on('SIGTERM', () => void stop());
	await timed('n8n processes ready (owner, API key)', () => n8n.start());
	console.log(`  total: ${((Date.now() - started) / 1000).toFixed(1)} s`);
	for (const p of n8n.processes)
		console.log(`  ${p.name.padEnd(9)} ${p.url}  log ${p.service.spec.logFile}`);
	if (n8n.postgres) console.log(`  postgres  127.0.0.1:${n8n.postgres.port}`);
	if (n8n.redis) console.log(`  redis     127.0.0.1:${n8n.redis.port}`);
	if (option('once') !== undefined) {
		await timed('stop', () => n8n.stop());
		return;
	}
	console.log(
		`\nEditor: ${n8n.main.url} (${OWNER.email} / ${OWNER.password}); production webhooks: ${n8n.webhookBaseUrl}/webhook/…\nPress Ctrl-C to stop.`,
	);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
