/**
 * The audit trail at the size of a large company's first sync: the AFAS → MobieTrain example in
 * a started n8n (regular mode, SQLite) against an AFAS sandbox big enough for about 10,000
 * operations, into an empty app. Prints the run's time per node (where the time goes), the audit
 * rows written per second, and what a row costs in n8n's database (n8n's own size figure for
 * Data Tables, before and after).
 *
 * Two runs: the example as shipped (the audit rows inserted by the table's name: one bulk insert,
 * after the run's check that no other table's name contains it), and the same with the insert
 * referring to the table by ID through an expression (`$('Audit table').first().json.id`), which
 * makes n8n's Data table node insert row by row.
 */
import { startSandboxes } from '../../sandbox';
import { startAfasSandbox } from '../../sandbox/afas/server';
import {
	auditOf,
	exampleVariant,
	loadExamples,
	startExamples,
	runExample,
	AUDIT_TABLE,
} from '../lib/examples';
import { OWNER, type Execution } from '../lib/n8nApi';
import { N8nInstance } from '../lib/n8nInstance';

/** AFAS employees; with the sandbox's mix of starters, leavers and conflicts about 10,000 creates. */
const EMPLOYEES = Number(process.env.HR_SYNC_AUDIT_BENCH_EMPLOYEES ?? 11_500);
const BY_ID = { id: 'hrSyncMobiById1', name: 'AFAS → MobieTrain (audit insert by table ID)' };

/** n8n's figure for the bytes all Data Tables take (`GET /rest/data-tables-global/limits`). */
async function dataTableBytes(baseUrl: string): Promise<number> {
	const login = await fetch(`${baseUrl}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
	});
	const cookie = login.headers
		.getSetCookie()
		.map((value) => value.split(';')[0])
		.join('; ');
	const response = await fetch(`${baseUrl}/rest/data-tables-global/limits`, {
		headers: { cookie },
	});
	const body = (await response.json()) as { data?: { totalBytes?: number } };
	return body.data?.totalBytes ?? Number.NaN;
}

/** Milliseconds per node of an execution (all runs of a node added up), largest first. */
function nodeTimes(execution: Execution): Array<[string, number]> {
	const runData = execution.data?.resultData.runData ?? {};
	return Object.entries(runData)
		.map(([node, runs]) => {
			const total = (runs as Array<{ executionTime?: number }>).reduce(
				(sum, run) => sum + (run.executionTime ?? 0),
				0,
			);
			return [node, total] as [string, number];
		})
		.sort((a, b) => b[1] - a[1]);
}

const ms = (value: number) => `${Math.round(value).toLocaleString('en')} ms`;

async function measure(
	n8n: N8nInstance,
	workflowId: string,
	label: string,
): Promise<{ rows: number; bytes: number }> {
	const before = await dataTableBytes(n8n.main.url);
	const execution = await runExample(n8n, { id: workflowId }, 1_800_000);
	if (execution.status !== 'success')
		throw new Error(`${label} failed: ${JSON.stringify(execution.data?.resultData.error)}`);
	const { rows, run } = await auditOf(n8n.api, execution.id);
	// n8n caches its size figure for 5 s.
	await new Promise((resolve) => setTimeout(resolve, 5_500));
	const bytes = (await dataTableBytes(n8n.main.url)) - before;
	const wall = Date.parse(execution.stoppedAt!) - Date.parse(execution.startedAt!);
	const times = new Map(nodeTimes(execution));
	const auditMs = (times.get('Sync Audit') ?? 0) + (times.get('Write audit rows') ?? 0);
	console.log(
		`\n${label}: ${rows.length.toLocaleString('en')} audit rows (${String(run?.counts)})`,
	);
	console.log(`  whole run ${ms(wall)}; per node:`);
	for (const [node, time] of times)
		if (time >= 1) console.log(`    ${node.padEnd(34)} ${ms(time)}`);
	console.log(
		`  audit rows per second (Sync Audit + Write audit rows): ${Math.round((rows.length / auditMs) * 1000).toLocaleString('en')}`,
	);
	console.log(
		`  Data Tables grew by ${bytes.toLocaleString('en')} bytes: about ${Math.round(bytes / (rows.length + 1))} bytes a row (n8n's figure, SQLite)`,
	);
	return { rows: rows.length, bytes };
}

export async function run(): Promise<void> {
	const afas = await startAfasSandbox({ employeeCount: EMPLOYEES });
	const sandboxes = await startSandboxes({ fixedPorts: false });
	// The examples' AFAS credential points at the big sandbox instead of the 1,200-person one.
	Object.assign(sandboxes.afas, { url: afas.url, tokenXml: afas.tokenXml });
	const n8n = await N8nInstance.create({ mode: 'regular' });
	try {
		const shipped = loadExamples().find((e) => e.id === 'hrSyncAfasMobi01')!;
		const byId = exampleVariant(shipped, sandboxes, BY_ID, (node) => {
			if (node.name === 'Write audit rows')
				node.parameters = {
					...(node.parameters as object),
					dataTableId: { __rl: true, mode: 'id', value: "={{ $('Audit table').first().json.id }}" },
					options: {},
				};
		});
		await startExamples(n8n, sandboxes, [byId]);
		console.log(`AFAS sandbox with ${EMPLOYEES.toLocaleString('en')} employees; empty app.`);
		await measure(
			n8n,
			shipped.id,
			`As shipped (insert by the table's name ${AUDIT_TABLE}: one bulk insert)`,
		);
		for (const collection of ['users', 'groups', 'stores'])
			sandboxes.mobietrain.seed(collection, []);
		await measure(n8n, BY_ID.id, 'Insert by table ID from an expression (row by row)');
	} finally {
		await n8n.stop();
		await sandboxes.close();
		await afas.close();
	}
}

if (require.main === module)
	run().catch((error: unknown) => {
		console.error(error);
		process.exitCode = 1;
	});
