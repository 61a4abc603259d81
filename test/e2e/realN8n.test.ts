/**
 * Tests in a real n8n process (installed from npm): the packed package installed where n8n's
 * community-node installer puts it, credentials and workflows imported with the n8n CLI and
 * executed with `n8n execute`. One n8n install serves every test here (it takes a while).
 *
 * A smoke test per node family: the rows / employees that came back equal what the sandbox
 * serves. (The example workflows keep an audit trail in Data Tables, which `n8n execute` cannot
 * write: they run in a started n8n, test/e2e/examples.test.ts.)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAfasSandbox, type AfasSandbox } from '../../sandbox/afas/server';
import { startSandboxes, type Sandboxes } from '../../sandbox';
import { sandboxCredentials } from '../../scripts/lib/examples';
import { packPackage, RealN8n, outputOf, type ExecutionResult } from '../../scripts/lib/realN8n';

jest.setTimeout(600_000);

let afas: AfasSandbox;
let sandboxes: Sandboxes;
let n8n: RealN8n;

beforeAll(async () => {
	afas = await startAfasSandbox({ employeeCount: 1500 });
	sandboxes = await startSandboxes({ fixedPorts: false });
	n8n = new RealN8n();
	await n8n.installPackage(await packPackage(mkdtempSync(join(tmpdir(), 'hr-sync-pack-'))));
	await n8n.importCredentials([
		{
			id: 'afasSandbox01',
			name: 'AFAS sandbox',
			type: 'afasApi',
			data: { connectUsing: 'url', url: afas.url, token: afas.tokenXml },
		},
	]);
	await n8n.importCredentials(sandboxCredentials(sandboxes));
});

afterAll(async () => {
	await afas?.close();
	await sandboxes?.close();
	n8n?.cleanup();
});

async function executeOk(workflowId: string): Promise<ExecutionResult> {
	const execution = await n8n.execute(workflowId);
	if (!execution.ok) {
		const error = execution.run?.data.resultData.error;
		throw new Error(
			`n8n execute ${workflowId} failed: ${error ? JSON.stringify(error) : ''}\n${execution.stdout.slice(-3000)}\n${execution.stderr.slice(-2000)}`,
		);
	}
	return execution;
}

function manualTrigger() {
	return {
		id: '11111111-1111-4111-8111-111111111111',
		name: 'Run',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
}

it('AFAS GetConnector in a real n8n returns every row of the connector, in sort order', async () => {
	await n8n.importWorkflow({
		id: 'smokeAfasRows01',
		name: 'Smoke: AFAS rows',
		nodes: [
			manualTrigger(),
			{
				id: '22222222-2222-4222-8222-222222222222',
				name: 'AFAS',
				type: 'n8n-nodes-hr-sync.afasGetConnector',
				typeVersion: 1,
				position: [220, 0],
				parameters: {
					resource: 'connector',
					operation: 'getRows',
					connector: { __rl: true, mode: 'id', value: 'Mobietrain_Employees' },
					returnAll: true,
					sort: { fields: [{ field: 'externalId', direction: 'asc' }] },
					options: { pageSize: 400 },
				},
				credentials: { afasApi: { id: 'afasSandbox01', name: 'AFAS sandbox' } },
			},
		],
		connections: { Run: { main: [[{ node: 'AFAS', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		active: false,
	});
	afas.resetStats();
	const execution = await executeOk('smokeAfasRows01');

	const rows = outputOf(execution, 'AFAS');
	const expected = afas
		.getRows('Mobietrain_Employees')
		.map((row) => String(row.externalId))
		.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
	expect(rows).toHaveLength(1500);
	expect(rows.map((row) => String(row.externalId))).toEqual(expected);
	// 1500 rows at 400 per page: pages 1-4, the last one short; every page after the first also
	// asks for the last row of the one before it (skip 399, take 401). Parallel paging may ask for
	// a few pages past the end. externalId is unique, so the sort stays as chosen.
	const pageCalls = afas
		.stats()
		.log.filter((entry) => entry.path.endsWith('/connectors/Mobietrain_Employees'));
	const skips = pageCalls.map((entry) => Number(entry.query.skip));
	expect(skips).toEqual(expect.arrayContaining([0, 399, 799, 1199]));
	expect(new Set(skips).size).toBe(skips.length);
	expect(
		pageCalls.every(
			(entry) =>
				entry.query.orderbyfieldids === 'externalId' &&
				entry.query.take === (entry.query.skip === '0' ? '400' : '401'),
		),
	).toBe(true);
	// The token went over the wire, never into n8n's output.
	expect(execution.stdout).not.toContain(afas.tokenData);
	expect(execution.stdout).not.toContain(afas.tokenBase64);
});

it('HiBob node in a real n8n returns every employee the service user may see, inactive ones included', async () => {
	await n8n.importWorkflow({
		id: 'smokeHiBobSrch1',
		name: 'Smoke: HiBob search',
		nodes: [
			manualTrigger(),
			{
				id: '33333333-3333-4333-8333-333333333333',
				name: 'HiBob',
				type: 'n8n-nodes-hr-sync.hiBob',
				typeVersion: 1,
				position: [220, 0],
				parameters: { resource: 'employee', operation: 'search', showInactive: true, options: {} },
				credentials: { hiBobApi: { id: 'hiBobApi', name: 'HiBob' } },
			},
		],
		connections: { Run: { main: [[{ node: 'HiBob', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		active: false,
	});
	const execution = await executeOk('smokeHiBobSrch1');
	const employees = outputOf(execution, 'HiBob');
	const expected = sandboxes.hibob.employees();
	expect(employees.map((e) => e.id).sort()).toEqual(expected.map((e) => e.id).sort());
	const sample = expected.find((e) => e.email !== null)!;
	expect(employees.find((e) => e.id === sample.id)).toMatchObject({
		email: sample.email,
		firstName: sample.firstName,
		surname: sample.surname,
	});
	expect(execution.stdout).not.toContain(sandboxes.hibob.token);
});
