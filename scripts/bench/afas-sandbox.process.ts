/**
 * The AFAS sandbox in its own process, for the paging and trigger benchmarks: the sandbox's CPU
 * work (sorting once per query, then writing pages) then does not compete with the node under
 * measurement for one event loop. Controlled over the fork IPC channel; every answer carries
 * the request counters and the CPU time the sandbox's main thread has used. `changeRows` gives
 * every `every`-th row a new last name (`Changed<round>`), `resetRows` puts the rows back.
 */
import { startAfasSandbox, type AfasFieldMeta } from '../../sandbox/afas/server';

export const BENCH_CONNECTOR = 'Bench_Employees';

const FIELDS: AfasFieldMeta[] = [
	{ id: 'EmployeeNr', dataType: 'int', label: 'Employee number' },
	{ id: 'ExternalId', dataType: 'string', label: 'External id' },
	{ id: 'FirstName', dataType: 'string', label: 'First name' },
	{ id: 'LastName', dataType: 'string', label: 'Last name' },
	{ id: 'Email', dataType: 'string', label: 'Email' },
	{ id: 'OrgUnit', dataType: 'string', label: 'Org unit' },
	{ id: 'FunctionId', dataType: 'string', label: 'Function' },
	{ id: 'StartDate', dataType: 'date', label: 'Start date' },
	{ id: 'EndDate', dataType: 'date', label: 'End date' },
];

function rows(count: number): Array<Record<string, unknown>> {
	return Array.from({ length: count }, (_, index) => ({
		EmployeeNr: index + 1,
		ExternalId: `E${String(index + 1).padStart(6, '0')}`,
		FirstName: `First${index % 997}`,
		LastName: `Last${index % 991}`,
		Email: `person${index + 1}@example.com`,
		OrgUnit: `OU${index % 40}`,
		FunctionId: `F${index % 25}`,
		StartDate: '2020-01-01',
		EndDate: index % 10 === 0 ? '2030-06-30' : null,
	}));
}

type Command =
	| { type: 'setLatency'; ms: number; jitterMs?: number }
	| { type: 'changeRows'; every: number; round: number }
	| { type: 'resetRows' }
	| { type: 'resetStats' }
	| { type: 'stats' }
	| { type: 'close' };

async function main(): Promise<void> {
	const rowCount = Number(process.argv[2] ?? 50_000);
	// Rows stored in sort order and no shuffling or gzip: the sandbox's share stays small.
	const sandbox = await startAfasSandbox({ employeeCount: 10, unstableOrder: false, gzip: false });
	const original = rows(rowCount);
	sandbox.setRows(BENCH_CONNECTOR, original, FIELDS);
	const send = (message: unknown) => process.send?.(message);
	process.on('message', (command: Command) => {
		if (command.type === 'setLatency') sandbox.setLatency(command.ms, command.jitterMs ?? 0);
		if (command.type === 'resetStats') sandbox.resetStats();
		if (command.type === 'resetRows') sandbox.setRows(BENCH_CONNECTOR, original, FIELDS);
		if (command.type === 'changeRows') {
			const changed = original.map((row, index) =>
				index % command.every === 0 ? { ...row, LastName: `Changed${command.round}` } : row,
			);
			sandbox.setRows(BENCH_CONNECTOR, changed, FIELDS);
		}
		if (command.type === 'close') {
			void sandbox.close().then(() => process.exit(0));
			return;
		}
		const { requests, maxInFlight } = sandbox.stats();
		// CPU time of this process's main thread so far (ms): the bench takes differences per fetch.
		const { user, system } = (
			process as unknown as { threadCpuUsage(): NodeJS.CpuUsage }
		).threadCpuUsage();
		send({ type: 'ack', requests, maxInFlight, cpuMs: (user + system) / 1000 });
	});
	send({ type: 'ready', url: sandbox.url, tokenXml: sandbox.tokenXml });
}

if (require.main === module) void main();
