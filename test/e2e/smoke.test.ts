/**
 * Real-n8n smoke test: the packed package installed where n8n's community-node installer puts
 * it, credentials and a workflow imported with the n8n CLI, executed with `n8n execute`, and the
 * rows that came back compared with what the sandbox serves.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAfasSandbox, type AfasSandbox } from '../sandbox/afas/server';
import { packPackage, RealN8n, outputOf } from './realN8n';

jest.setTimeout(300_000);

let afas: AfasSandbox;
let n8n: RealN8n;

beforeAll(async () => {
	afas = await startAfasSandbox({ employeeCount: 1500 });
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
});

afterAll(async () => {
	await afas?.close();
	n8n?.cleanup();
});

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
	const execution = await n8n.execute('smokeAfasRows01');
	expect(execution.run?.data.resultData.error).toBeUndefined();
	if (!execution.ok) throw new Error(`n8n execute failed:\n${execution.stdout.slice(-3000)}\n${execution.stderr.slice(-3000)}`);

	const rows = outputOf(execution, 'AFAS');
	const expected = afas
		.getRows('Mobietrain_Employees')
		.map((row) => String(row.externalId))
		.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
	expect(rows).toHaveLength(1500);
	expect(rows.map((row) => String(row.externalId))).toEqual(expected);
	// 1500 rows at 400 per page: pages at skip 0..1200, the last one short. Parallel paging may
	// ask for a few pages past the end; every page is sorted, so none repeats or skips a row.
	const pageCalls = afas.stats().log.filter((entry) => entry.path.endsWith('/connectors/Mobietrain_Employees'));
	const skips = pageCalls.map((entry) => Number(entry.query.skip));
	expect(skips).toEqual(expect.arrayContaining([0, 400, 800, 1200]));
	expect(new Set(skips).size).toBe(skips.length);
	expect(pageCalls.every((entry) => entry.query.orderbyfieldids === 'externalId' && entry.query.take === '400')).toBe(true);
	// The token went over the wire, never into n8n's output.
	expect(execution.stdout).not.toContain(afas.tokenData);
	expect(execution.stdout).not.toContain(afas.tokenBase64);
});
