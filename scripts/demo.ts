/**
 * `npm run demo`: the main job, end to end on one machine.
 *
 * 1. Starts the sandbox servers (AFAS, HiBob and the three apps) on their fixed loopback ports.
 * 2. Installs this package into a fresh real n8n (2.40.7) the way n8n's community-node installer
 *    does, and imports credentials that point at the sandboxes plus every example workflow.
 * 3. Runs each example twice with `n8n execute`: the first sync, then a second day on which HR
 *    changed (a name change and a leaver), and prints what each run decided and what the apps got.
 * 4. Starts the n8n editor on http://127.0.0.1:5678 with the workflows in it (skip with --once).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandboxes, type Sandboxes } from '../sandbox';
import { dayBefore, importExamples, reconcileSummary, type ExampleWorkflow } from './lib/examples';
import { packPackage, RealN8n, type ExecutionResult } from './lib/realN8n';

const ROOT = join(__dirname, '..');
const once = process.argv.includes('--once') || process.env.CI === 'true';
const editorPort = Number(process.env.HR_SYNC_N8N_PORT ?? 5678);

function describeRun(execution: ExecutionResult): string {
	const lines: string[] = [];
	for (const node of Object.keys(execution.run?.data.resultData.runData ?? {})) {
		const summary = reconcileSummary(execution, node);
		if (summary) lines.push(`    ${node}: ${String(summary.reason)}`);
	}
	const error = execution.run?.data.resultData.error;
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
	].join('\n');
}

/** A second day in HR: in each system one person changes name and one leaves (yesterday). */
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

async function runAll(n8n: RealN8n, examples: ExampleWorkflow[]): Promise<string | undefined> {
	let asOf: string | undefined;
	for (const example of examples) {
		const execution = await n8n.execute(example.id);
		console.log(`  ${execution.ok ? 'ok    ' : 'FAILED'} ${example.name}`);
		console.log(describeRun(execution));
		if (!execution.ok && !execution.run)
			console.log(execution.stdout.slice(-2000), execution.stderr.slice(-2000));
		const summary = Object.keys(execution.run?.data.resultData.runData ?? {})
			.map((node) => reconcileSummary(execution, node))
			.find(Boolean);
		asOf ??= summary?.asOf as string | undefined;
	}
	return asOf;
}

async function main(): Promise<void> {
	console.log('Starting the sandbox servers…');
	const sandboxes = await startSandboxes({ fixedPorts: true });
	const userFolder = join(ROOT, '.sandbox', 'n8n');
	rmSync(userFolder, { recursive: true, force: true });
	const n8n = new RealN8n(userFolder);
	const stop = async () => {
		await n8n.stop();
		await sandboxes.close();
	};
	process.on('SIGINT', () => void stop().then(() => process.exit(0)));
	process.on('SIGTERM', () => void stop().then(() => process.exit(0)));

	console.log(`Installing this package into n8n (user folder ${userFolder})…`);
	await n8n.installPackage(await packPackage(mkdtempSync(join(tmpdir(), 'hr-sync-pack-'))));
	const examples = await importExamples(n8n, sandboxes);
	console.log(
		`Imported ${examples.length} example workflows: ${examples.map((e) => e.file).join(', ')}\n`,
	);

	console.log('Day 1: first sync (the apps are empty)');
	const asOf = await runAll(n8n, examples);
	console.log(appState(sandboxes));

	console.log('\nDay 2: HR changed');
	for (const change of changeHr(sandboxes, asOf ?? new Date().toISOString().slice(0, 10)))
		console.log(`  ${change}`);
	await runAll(n8n, examples);
	console.log(appState(sandboxes));

	if (once) {
		await stop();
		return;
	}
	console.log(`\nStarting the n8n editor on http://127.0.0.1:${editorPort} …`);
	await n8n.start(editorPort);
	console.log(
		[
			'',
			`n8n is running: open http://127.0.0.1:${editorPort}, create the owner account (it stays on this machine),`,
			'and open the example workflows. Their credentials point at the sandbox servers, which keep running:',
			`  AFAS ${sandboxes.afas.url}   HiBob ${sandboxes.hibob.url}`,
			`  MobieTrain-style ${sandboxes.mobietrain.url}   Declaree-style ${sandboxes.declaree.url}   Oneteam-style ${sandboxes.oneteam.url}`,
			'Press Ctrl-C to stop n8n and the sandboxes.',
		].join('\n'),
	);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(1);
});
