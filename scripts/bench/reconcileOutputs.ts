/**
 * Proof that a change to Reconcile Users leaves its outputs as they were: runs the node in
 * n8n-core's WorkflowExecute on the benchmark's data and on a messier variant of it, in a set
 * of configurations that reach every output route (routed, dry run, held back by a rail,
 * records mode, the MobieTrain-, Declaree- and Oneteam-style targets), and fingerprints every
 * output item.
 *
 * The fingerprint of an item is a hash of its canonical form: every value with its type
 * (undefined and -0 kept), object keys in their order, whether an object or array is frozen,
 * its prototype, and which objects are the same object (shared between items, or taken over
 * from the input items): so a change in content, key order, mutability or sharing shows.
 *
 *   npx tsx scripts/bench/reconcileOutputs.ts save /tmp/outputs-before.json
 *   (change the code)
 *   npx tsx scripts/bench/reconcileOutputs.ts check /tmp/outputs-before.json
 *
 * `check` names the first item that differs per case and exits with 1 when any does.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { createRng } from '../../sandbox/random';
import { generateData } from './reconcileData';
import { runNodeInN8n } from './reconcileN8n';
import { print } from './reconcileTiming';

type Row = Record<string, unknown>;

/** Changes one HR row in one of a few ways that reach the engine's less common paths. */
function messHr(rows: Row[], i: number, roll: number): void {
	const row = rows[i];
	if (roll < 0.005) row.email = `  ${String(row.email).toUpperCase()} `;
	else if (roll < 0.01) row.firstName = 'E\u0301mile';
	else if (roll < 0.012) row.employmentStartDate = '2026-05-01T00:00:00Z';
	else if (roll < 0.014) {
		row.functionId = `F9${i % 3}`;
		row.functionDescription = `New function ${i % 3}`;
	} else if (roll < 0.015) row.email = null;
	else if (roll < 0.016 && i > 0) row.externalId = rows[i - 1].externalId;
	else if (roll < 0.017) row.employmentStartDate = 'not a date';
	else if (roll < 0.018) row.lastName = `${String(row.lastName)}\u200b`;
	else if (roll < 0.019) row.employementEndDate = '2026-04-01T00:00:00Z';
}

/** Changes one app user in one of a few ways: statuses, invitations, missing or shared keys. */
function messApp(users: Row[], j: number, roll: number): void {
	const user = users[j];
	if (roll < 0.01) user.status = 'deactivated';
	else if (roll < 0.015) {
		user.status = 'invited';
		user.invitedAt = '2025-01-15T10:00:00Z';
	} else if (roll < 0.02) {
		user.status = 'invited';
		user.invitedAt = '2026-03-01T10:00:00Z';
	} else if (roll < 0.022) user.externalId = '';
	else if (roll < 0.023) user.status = 'suspended';
	else if (roll < 0.024 && j > 0) user.email = users[j - 1].email;
	else if (roll < 0.025) user.groups = [];
}

/** The benchmark data with about 2 % of each side changed (deterministic). */
export function messyData(n: number): { hr: Row[]; app: Row[] } {
	const { hr, app } = generateData(n, 7);
	const rand = createRng(99);
	for (let i = 0; i < hr.length; i++) messHr(hr, i, rand());
	for (let j = 0; j < app.length; j++) messApp(app, j, rand());
	return { hr, app };
}

function declareeUsers(app: Row[]): Row[] {
	return app.map((user) => ({
		id: user.id,
		externalId: user.externalId,
		username: user.email,
		email: user.email,
		firstName: user.firstName,
		lastName: user.lastName,
		enabled: user.status !== 'deactivated',
		managerId: null,
	}));
}

function oneteamUsers(app: Row[]): Row[] {
	return app.map((user) => ({
		id: user.id,
		externalId: user.externalId,
		email: user.email,
		firstName: user.firstName,
		lastName: user.lastName,
		communityId: (user.stores as string[])[0] ?? null,
		functionId: (user.groups as string[])[0] ?? null,
		status: user.status,
	}));
}

interface Case {
	name: string;
	hr: Row[];
	app: Row[];
	parameters: IDataObject;
}

const BASE = { referenceDate: '2026-04-01', rails: { maxRemovals: 1_000_000 } };

function cases(size: number): Case[] {
	const clean = generateData(size);
	const messy = messyData(size);
	const list: Case[] = [{ name: 'bench data', ...clean, parameters: BASE }];
	if (size > 20_000) return list;
	list.push(
		{ name: 'messy', ...messy, parameters: BASE },
		{ name: 'messy, dry run', ...messy, parameters: { ...BASE, dryRun: true } },
		{
			name: 'messy, rail tripped, hold back',
			...messy,
			parameters: { referenceDate: '2026-04-01', rails: { maxRemovals: 10, onTrip: 'holdBack' } },
		},
		{
			name: 'messy, email then external ID, remove, lead time, protected',
			...messy,
			parameters: {
				...BASE,
				matchOn: 'emailThenExternalId',
				leaverAction: 'remove',
				inviteLeadDays: 45,
				options: {
					protectedUsers: `${String(messy.app[3].email)}, ${String(messy.hr[5].externalId)}`,
				},
			},
		},
		{
			name: 'messy, Declaree-style',
			hr: messy.hr,
			app: declareeUsers(messy.app),
			parameters: { ...BASE, target: 'declaree' },
		},
		{
			name: 'messy, Oneteam-style',
			hr: messy.hr,
			app: oneteamUsers(messy.app),
			parameters: { ...BASE, target: 'oneteam', matchOn: 'externalId' },
		},
		{
			name: 'messy, records mode',
			...messy,
			parameters: {
				...BASE,
				mode: 'records',
				recordKind: 'user',
				hrKeyField: 'externalId',
				appKeyField: 'externalId',
				recordFields: {
					field: [
						{ hr: 'email', app: 'email' },
						{ hr: 'firstName', app: 'firstName' },
						{ hr: 'functionDescription', app: 'jobDescription' },
					],
				},
			},
		},
	);
	return list;
}

/** Canonical text of a value; objects seen before (in the output or the input) by their path. */
class Canonical {
	private readonly seen = new Map<object, string>();

	/** Notes every object of the input items, so that sharing with the input shows. */
	noteInput(value: unknown, path: string): void {
		if (value === null || typeof value !== 'object' || this.seen.has(value)) return;
		this.seen.set(value, path);
		for (const [key, child] of Object.entries(value)) this.noteInput(child, `${path}.${key}`);
	}

	of(value: unknown, path: string): string {
		switch (typeof value) {
			case 'undefined':
				return 'u';
			case 'boolean':
				return value ? 'T' : 'F';
			case 'number':
				return Object.is(value, -0) ? 'd-0' : `d${value}`;
			case 'string':
				return JSON.stringify(value);
			case 'object':
				return value === null ? 'n' : this.object(value, path);
			default:
				return `?${typeof value}:${String(value)}`;
		}
	}

	private object(value: object, path: string): string {
		const earlier = this.seen.get(value);
		if (earlier !== undefined) return `@${earlier}`;
		this.seen.set(value, path);
		const frozen = Object.isFrozen(value) ? 'F' : '';
		if (Array.isArray(value))
			return `${frozen}[${value.map((entry, i) => this.of(entry, `${path}.${i}`)).join(',')}]`;
		const proto = Object.getPrototypeOf(value) as object | null;
		const kind =
			proto === Object.prototype ? '' : proto === null ? 'N' : `<${proto.constructor.name}>`;
		const entries = Object.keys(value).map(
			(key) =>
				`${JSON.stringify(key)}:${this.of((value as Record<string, unknown>)[key], `${path}.${key}`)}`,
		);
		return `${kind}${frozen}{${entries.join(',')}}`;
	}
}

interface Fingerprint {
	counts: number[];
	hash: string;
	/** Per output, a short hash per item (to name the first item that differs). */
	items: string[][];
}

function fingerprint(c: Case, outputs: INodeExecutionData[][]): Fingerprint {
	const canonical = new Canonical();
	c.hr.forEach((row, i) => canonical.noteInput(row, `hr${i}`));
	c.app.forEach((user, j) => canonical.noteInput(user, `app${j}`));
	const whole = createHash('sha256');
	const items = outputs.map((list, o) =>
		list.map((item, k) => {
			const text = canonical.of(item, `out${o}.${k}`);
			whole.update(text);
			return createHash('sha1').update(text).digest('hex').slice(0, 16);
		}),
	);
	return { counts: outputs.map((list) => list.length), hash: whole.digest('hex'), items };
}

async function fingerprints(): Promise<Record<string, Fingerprint>> {
	const result: Record<string, Fingerprint> = {};
	for (const size of [20_000, 100_000]) {
		for (const c of cases(size)) {
			const name = `${size.toLocaleString('en-US')}: ${c.name}`;
			const run = await runNodeInN8n({
				type: 'n8n-nodes-hr-sync.reconcileUsers',
				typeVersion: 1,
				parameters: c.parameters,
				hr: c.hr as IDataObject[],
				app: c.app as IDataObject[],
			});
			result[name] = fingerprint(c, run.outputs);
			print(`  ${name}: outputs [${result[name].counts.join(', ')}] ${result[name].hash}`);
		}
	}
	return result;
}

function firstDifference(before: Fingerprint, after: Fingerprint): string {
	for (let o = 0; o < Math.max(before.items.length, after.items.length); o++) {
		const a = before.items[o] ?? [];
		const b = after.items[o] ?? [];
		for (let k = 0; k < Math.max(a.length, b.length); k++)
			if (a[k] !== b[k]) return `output ${o}, item ${k}`;
	}
	return 'the order of the items';
}

async function main(): Promise<void> {
	const [command, file] = process.argv.slice(2);
	if ((command !== 'save' && command !== 'check') || !file)
		throw new Error('Usage: reconcileOutputs.ts save|check <file>');
	const now = await fingerprints();
	if (command === 'save') {
		writeFileSync(file, JSON.stringify(now));
		print(`saved ${Object.keys(now).length} cases to ${file}`);
		return;
	}
	const before = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Fingerprint>;
	let differ = 0;
	for (const name of new Set([...Object.keys(before), ...Object.keys(now)])) {
		const a = before[name];
		const b = now[name];
		if (a && b && a.hash === b.hash) continue;
		differ++;
		print(`  DIFFERS ${name}: ${a && b ? firstDifference(a, b) : 'case missing on one side'}`);
	}
	print(differ === 0 ? 'outputs identical in every case' : `${differ} case(s) differ`);
	if (differ > 0) process.exitCode = 1;
}

if (require.main === module) {
	main().catch((error: unknown) => {
		process.stderr.write(
			`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
		);
		process.exitCode = 1;
	});
}
