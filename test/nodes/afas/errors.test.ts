/**
 * Tokens, HTTP errors, retries and all-or-nothing paging, through n8n's engine against the AFAS
 * sandbox. No secret may show up in an error or an output item.
 */
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';

import { ACCEPTED_TOKEN_FORMS } from '../../../credentials/common/afas';
import {
	startAfasSandbox,
	type AfasFieldMeta,
	type AfasSandbox,
} from '../../../sandbox/afas/server';
import {
	afasCredentials,
	jsonOf,
	run,
	rowsParameters,
	startStatusServer,
	visibleText,
} from './helpers';

const PAGED = 'Paged_Test';
const FIELDS: AfasFieldMeta[] = [
	{ id: 'Nr', dataType: 'int', label: 'Number' },
	{ id: 'Name', dataType: 'string', label: 'Name' },
];
const ROW_COUNT = 50;
const PAGE_SIZE = 10;

let sandbox: AfasSandbox;

beforeAll(async () => {
	sandbox = await startAfasSandbox({ employeeCount: 20 });
	sandbox.setRows(
		PAGED,
		Array.from({ length: ROW_COUNT }, (_, index) => ({
			Nr: index + 1,
			Name: `Person ${index + 1}`,
		})),
		FIELDS,
	);
});

afterAll(async () => {
	await sandbox.close();
});

beforeEach(() => {
	sandbox.clearFaults();
	sandbox.resetStats();
});

function pagedParameters(options: Record<string, unknown> = {}) {
	return rowsParameters(PAGED, {
		sort: { fields: [{ field: 'Nr', direction: 'asc' }] },
		options: { pageSize: PAGE_SIZE, parallelRequests: 2, ...options },
	});
}

function pagedRequests() {
	return sandbox.stats().log.filter((entry) => entry.path.endsWith(`/connectors/${PAGED}`));
}

/** Where page `page` (1-based) starts: every page after the first repeats the last row before it. */
function skipOf(page: number): number {
	return page === 1 ? 0 : (page - 1) * PAGE_SIZE - 1;
}

/** Not retried: no request was sent twice, and no more pages than were in flight at once. */
function expectNoRetries(parallel: number) {
	const requests = sandbox.stats().log.map((entry) => `${entry.path}?${entry.query.skip}`);
	expect(new Set(requests).size).toBe(requests.length);
	expect(pagedRequests().length).toBeLessThanOrEqual(parallel);
}

function expectNoSecrets(text: string) {
	expect(text).not.toContain(sandbox.tokenData);
	expect(text).not.toContain(sandbox.tokenBase64);
	expect(text).not.toContain(sandbox.tokenData.slice(0, 24));
}

function expectAllRows(rows: Array<Record<string, unknown>>) {
	expect(rows.map((row) => row.Nr)).toEqual(
		Array.from({ length: ROW_COUNT }, (_, index) => index + 1),
	);
}

describe('token forms', () => {
	it.each([
		['the full XML', () => sandbox.tokenXml],
		['the data part alone', () => sandbox.tokenData],
		['base64', () => sandbox.tokenBase64],
		[
			'XML with line breaks',
			() => sandbox.tokenXml.replace('<data>', '\n  <data>').replace('</token>', '\n</token>'),
		],
	])('accepts %s', async (_label, token) => {
		const result = await run(sandbox, {
			parameters: pagedParameters(),
			credentials: afasCredentials(sandbox, { token: token() }),
		});
		expect(result.error).toBeUndefined();
		expectAllRows(jsonOf(result));
		expectNoSecrets(JSON.stringify(jsonOf(result)));
	});

	it('sends the token base64-encoded, the only form Profit 6 and later accept', async () => {
		// The sandbox answers 500 to a plain-XML Authorization header, as AFAS does.
		const result = await run(sandbox, {
			parameters: pagedParameters(),
			credentials: afasCredentials(sandbox, { token: sandbox.tokenXml }),
		});
		expect(result.status).toBe('success');
		expect(pagedRequests().every((request) => request.status === 200)).toBe(true);
	});

	it('refuses a token in no accepted form before sending anything, without repeating it', async () => {
		const badToken = `${sandbox.tokenData.slice(0, 30)}!!${sandbox.tokenData.slice(32)}`;
		const result = await run(sandbox, {
			parameters: pagedParameters(),
			credentials: afasCredentials(sandbox, { token: badToken }),
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toContain(ACCEPTED_TOKEN_FORMS);
		expect(result.error?.description).toMatch(/credential/);
		expect(result.outputs[0] ?? []).toHaveLength(0);
		expect(sandbox.stats().requests).toBe(0);
		const text = visibleText(result);
		expect(text).not.toContain(badToken);
		expect(text).not.toContain(badToken.slice(0, 24));
	});

	it('reports a well-formed token AFAS does not know as 401 with what to check', async () => {
		const otherToken = 'ABCDEF0123456789'.repeat(4);
		const result = await run(sandbox, {
			parameters: pagedParameters(),
			credentials: afasCredentials(sandbox, { token: otherToken }),
		});
		expect(result.error?.message).toBe(
			`AFAS answered 401 Unauthorized on page 1 (rows 1-10) of connector '${PAGED}'`,
		);
		expect(result.error?.description).toMatch(/App Connector/);
		expect(result.error?.description).toMatch(/environment/);
		expect(visibleText(result)).not.toContain(otherToken);
		expectNoRetries(2);
	});
});

describe('connector IDs', () => {
	it.each(['Profit_Employees/rows', 'Profit_Employees?skip=0', 'Profit#1'])(
		'refuses %s before sending anything, saying what to enter',
		async (connector) => {
			const result = await run(sandbox, { parameters: rowsParameters(connector) });
			expect(result.status).toBe('error');
			expect(result.error?.message).toBe(`The connector ID '${connector}' holds a /, ? or #`);
			expect(result.error?.description).toMatch(/GetConnector ID alone/);
			expect(result.outputs[0] ?? []).toHaveLength(0);
			expect(sandbox.stats().requests).toBe(0);
		},
	);

	it('names the missing connector', async () => {
		const result = await run(sandbox, { parameters: rowsParameters('  ') });
		expect(result.error?.message).toBe('No connector is set');
		expect(sandbox.stats().requests).toBe(0);
	});
});

describe('HTTP errors are not retried', () => {
	it('401 for a connector that is not in the App Connector', async () => {
		const result = await run(sandbox, {
			parameters: rowsParameters('Not_In_App_Connector', {
				sort: { fields: [{ field: 'X', direction: 'asc' }] },
			}),
		});
		expect(result.error?.message).toContain('401 Unauthorized');
		expect(result.error?.description).toContain(
			"Check that 'Not_In_App_Connector' is added to the App Connector",
		);
		expectNoRetries(4);
		expectNoSecrets(visibleText(result));
	});

	it('404 for a wrong API server URL', async () => {
		const result = await run(sandbox, {
			parameters: pagedParameters(),
			credentials: afasCredentials(sandbox, {
				url: sandbox.url.replace('ProfitRestServices', 'ProfitRest'),
			}),
		});
		expect(result.error?.message).toContain('404 Not Found');
		expect(result.error?.description).toMatch(/API server URL/);
		expectNoRetries(2);
	});

	it.each([
		[403, /IP restriction/],
		[400, /filter values/],
	])('%i', async (status, hint) => {
		const server = await startStatusServer(status);
		try {
			const result = await run(sandbox, {
				parameters: rowsParameters(PAGED, {
					sort: { fields: [{ field: 'Nr', direction: 'asc' }] },
					options: { parallelRequests: 1 },
				}),
				credentials: afasCredentials({ url: server.url, tokenXml: sandbox.tokenXml }),
			});
			expect(result.error?.message).toContain(String(status));
			expect(result.error?.description).toMatch(hint);
			expect(server.hits()).toBe(1);
			expectNoSecrets(visibleText(result));
		} finally {
			await server.close();
		}
	});

	it("500 with AFAS' message and log reference", async () => {
		sandbox.addFault({
			fault: { kind: 'status500', externalMessage: 'This GetConnector (definition) is blocked' },
			connectorId: PAGED,
		});
		const result = await run(sandbox, { parameters: pagedParameters({ parallelRequests: 1 }) });
		expect(result.error?.message).toContain('This GetConnector (definition) is blocked');
		expect(result.error?.description).toMatch(/untick "Blocked"/);
		expect(result.error?.description).toMatch(/AFAS log reference: [0-9A-F]{32}\./);
		expect(pagedRequests()).toHaveLength(1);
	});

	it('500 "Invalid Index field" says to rename the field with a dot', async () => {
		sandbox.addFault({
			fault: { kind: 'status500', externalMessage: 'General message: Invalid Index field' },
			connectorId: PAGED,
		});
		const result = await run(sandbox, { parameters: pagedParameters({ parallelRequests: 1 }) });
		expect(result.error?.message).toContain('Invalid Index field');
		expect(result.error?.description).toMatch(/dot .*rename the field in the GetConnector/);
	});
});

describe('retries', () => {
	it('waits for Retry-After on 503 and then returns every row', async () => {
		sandbox.addFault({
			fault: { kind: 'status503', retryAfterSeconds: 1 },
			connectorId: PAGED,
			skip: skipOf(3),
		});
		const result = await run(sandbox, { parameters: pagedParameters() });
		expect(result.error).toBeUndefined();
		expectAllRows(jsonOf(result));
		const page3 = pagedRequests().filter((request) => request.query.skip === String(skipOf(3)));
		expect(page3.map((request) => request.status)).toEqual([503, 200]);
	});

	it('does not retry a page past the end, nor wait out its Retry-After', async () => {
		// 50 rows in pages of 10: page 6 (skip 49) holds only its overlap row and ends the list;
		// pages 7 and 8 were already asked for.
		sandbox.addFault({
			fault: { kind: 'status503', retryAfterSeconds: 1 },
			connectorId: PAGED,
			skip: skipOf(7),
		});
		const result = await run(sandbox, { parameters: pagedParameters({ parallelRequests: 8 }) });
		expect(result.error).toBeUndefined();
		expectAllRows(jsonOf(result));
		await new Promise((resolve) => setTimeout(resolve, 1500));
		const page7 = pagedRequests().filter((request) => request.query.skip === String(skipOf(7)));
		expect(page7.map((request) => request.status)).toEqual([503]);
	});

	it('fails at once when AFAS announces a longer outage than the node waits', async () => {
		sandbox.addFault({
			fault: { kind: 'status503', retryAfterSeconds: 7200 },
			connectorId: PAGED,
			skip: 0,
		});
		const result = await run(sandbox, { parameters: pagedParameters({ parallelRequests: 1 }) });
		expect(result.error?.message).toContain('503 Service Unavailable');
		expect(result.error?.description).toContain('retry after 7200 seconds');
		expect(result.error?.description).toContain('afasstatus.nl');
		expect(pagedRequests()).toHaveLength(1);
		expect(result.outputs[0] ?? []).toHaveLength(0);
	});

	it('retries a reset connection and a truncated body', async () => {
		sandbox.addFault({ fault: { kind: 'reset' }, connectorId: PAGED, skip: skipOf(2) });
		sandbox.addFault({ fault: { kind: 'truncated' }, connectorId: PAGED, skip: skipOf(4) });
		const result = await run(sandbox, { parameters: pagedParameters() });
		expect(result.error).toBeUndefined();
		expectAllRows(jsonOf(result));
		const requestsAt = (skip: number) =>
			pagedRequests().filter((request) => request.query.skip === String(skip));
		expect(requestsAt(skipOf(2))).toHaveLength(2);
		expect(requestsAt(skipOf(4))).toHaveLength(2);
	});

	it('gives up after Max Retries with a clear error and no rows', async () => {
		sandbox.addFault({
			fault: { kind: 'truncated' },
			connectorId: PAGED,
			skip: skipOf(4),
			times: 10,
		});
		const result = await run(sandbox, { parameters: pagedParameters({ maxRetries: 1 }) });
		expect(result.error?.message).toBe(
			`AFAS sent an incomplete or unreadable response for page 4 (rows 31-40) of connector '${PAGED}'`,
		);
		expect(result.error?.description).toMatch(/cut off.*No rows were output.*lower the page size/);
		expect(result.outputs[0] ?? []).toHaveLength(0);
		expect(
			pagedRequests().filter((request) => request.query.skip === String(skipOf(4))),
		).toHaveLength(2);
	});

	it('times out a request that takes longer than the timeout and says so', async () => {
		sandbox.setLatency(2500);
		try {
			const result = await run(sandbox, {
				parameters: pagedParameters({ timeout: 1, maxRetries: 0 }),
			});
			expect(result.error?.message).toBe(
				`Could not get page 1 (rows 1-10) of connector '${PAGED}' from AFAS: the request timed out`,
			);
			expectNoSecrets(visibleText(result));
		} finally {
			sandbox.setLatency(0);
		}
	});

	it('times out a server that drips its answer a byte at a time, however long it keeps going', async () => {
		// n8n's own timeout only counts silence on the socket: a byte every 100 ms would hold the
		// request until the server stops. The whole answer would take about 6 s.
		const body = JSON.stringify({ rows: [{ Nr: 1, Name: 'Person 1' }] }).padEnd(60, ' ');
		const server = createHttpServer((req, res) => {
			req.resume();
			res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
			let sent = 0;
			const timer = setInterval(() => {
				if (sent === body.length) {
					clearInterval(timer);
					res.end();
					return;
				}
				res.write(body[sent++]);
			}, 100);
			res.on('close', () => clearInterval(timer));
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		try {
			const result = await run(sandbox, {
				parameters: pagedParameters({ timeout: 1, maxRetries: 0 }),
				credentials: afasCredentials({
					url: `http://127.0.0.1:${port}/ProfitRestServices`,
					tokenXml: sandbox.tokenXml,
				}),
			});
			expect(result.error?.message).toBe(
				`Could not get page 1 (rows 1-10) of connector '${PAGED}' from AFAS: the request timed out`,
			);
			expect(result.outputs[0] ?? []).toHaveLength(0);
			expectNoSecrets(visibleText(result));
		} finally {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	});

	it('retries a gzip body that cannot be unpacked, then says so and where to look', async () => {
		let hits = 0;
		const server = createHttpServer((req, res) => {
			hits++;
			req.resume();
			res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
			res.end(Buffer.from('{"rows":[] but not gzip}'));
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		try {
			const result = await run(sandbox, {
				parameters: pagedParameters({ maxRetries: 1, parallelRequests: 1 }),
				credentials: afasCredentials({
					url: `http://127.0.0.1:${port}/ProfitRestServices`,
					tokenXml: sandbox.tokenXml,
				}),
			});
			expect(result.error?.message).toBe(
				`Could not get page 1 (rows 1-10) of connector '${PAGED}' from AFAS: its compressed answer could not be unpacked, also after 2 attempts`,
			);
			expect(result.error?.description).toMatch(/No rows were output.*Z_DATA_ERROR/);
			expect(result.error?.description).toMatch(/no proxy or gateway.*changes compressed answers/);
			expect(result.outputs[0] ?? []).toHaveLength(0);
			expect(hits).toBe(2);
		} finally {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	});

	it.each([
		['null', '{"rows":[{"Nr":1,"Name":"a"},null]}'],
		['a list', '{"rows":[[1,"a"]]}'],
		['string', '{"rows":["Nr"]}'],
	])('fails with advice, not a TypeError, on a row sent as %s', async (got, body) => {
		sandbox.addFault({ fault: { kind: 'body', body }, connectorId: PAGED });
		const result = await run(sandbox, { parameters: pagedParameters({ parallelRequests: 1 }) });
		expect(result.error?.message).toMatch(
			new RegExp(`^AFAS answered page 1 .* with row \\d as ${got}, not as an object of fields$`),
		);
		expect(result.error?.description).toMatch(/No rows were output.*API server URL/);
		expect(result.outputs[0] ?? []).toHaveLength(0);
	});

	it('fails on a 200 that carries AFAS error fields, instead of reading it as the last page', async () => {
		const body = JSON.stringify({
			externalMessage: 'Er is een onverwachte fout opgetreden',
			profitLogReference: 'ABC123',
			rows: [],
		});
		sandbox.addFault({ fault: { kind: 'body', body }, connectorId: PAGED, skip: skipOf(3) });
		const result = await run(sandbox, { parameters: pagedParameters({ parallelRequests: 1 }) });
		expect(result.error?.message).toMatch(
			/^AFAS answered page 3 .* with an error, although with status 200: Er is een onverwachte fout opgetreden$/,
		);
		expect(result.error?.description).toMatch(/No rows were output\. AFAS log reference: ABC123\./);
		expect(result.outputs[0] ?? []).toHaveLength(0);
	});

	it('reports a server that cannot be reached, without the token', async () => {
		const closedPort = await new Promise<number>((resolve) => {
			const probe = createServer();
			probe.listen(0, '127.0.0.1', () => {
				const { port } = probe.address() as { port: number };
				probe.close(() => resolve(port));
			});
		});
		const result = await run(sandbox, {
			parameters: pagedParameters({ maxRetries: 1 }),
			credentials: afasCredentials({
				url: `http://127.0.0.1:${closedPort}/ProfitRestServices`,
				tokenXml: sandbox.tokenXml,
			}),
		});
		expect(result.error?.message).toMatch(/connection was refused, also after 2 attempts/);
		expectNoSecrets(visibleText(result));
	});
});

describe('a failure on any page fails the whole fetch', () => {
	it('outputs no rows when a middle page fails', async () => {
		sandbox.addFault({ fault: { kind: 'status500' }, connectorId: PAGED, skip: skipOf(3) });
		const result = await run(sandbox, { parameters: pagedParameters() });
		expect(result.status).toBe('error');
		expect(result.error?.message).toContain('page 3 (rows 21-30)');
		expect(result.error?.message).toContain('An unexpected error has occurred.');
		expect(result.outputs[0] ?? []).toHaveLength(0);
	});

	it('starts no page after a failed one', async () => {
		sandbox.addFault({ fault: { kind: 'status500' }, connectorId: PAGED, skip: skipOf(3) });
		const result = await run(sandbox, { parameters: pagedParameters({ parallelRequests: 1 }) });
		expect(result.status).toBe('error');
		expect(pagedRequests().map((request) => Number(request.query.skip))).toEqual([
			skipOf(1),
			skipOf(2),
			skipOf(3),
		]);
	});

	it('outputs no rows when a middle page keeps resetting', async () => {
		sandbox.addFault({ fault: { kind: 'reset' }, connectorId: PAGED, skip: skipOf(4), times: 5 });
		const result = await run(sandbox, { parameters: pagedParameters({ maxRetries: 1 }) });
		expect(result.error?.message).toMatch(/page 4 \(rows 31-40\).*connection was reset/);
		expect(result.outputs[0] ?? []).toHaveLength(0);
		expectNoSecrets(visibleText(result));
	});

	it('with Continue On Fail gives one error item for the failed input item and the rows of the others', async () => {
		sandbox.addFault({
			fault: { kind: 'status500', externalMessage: 'Out of memory' },
			connectorId: PAGED,
			skip: skipOf(3),
		});
		const result = await run(sandbox, {
			continueOnFail: true,
			inputs: [[{ n: 0 }, { n: 1 }, { n: 2 }]],
			parameters: pagedParameters({ parallelRequests: 1 }),
		});
		expect(result.status).toBe('success');
		const items = result.outputs[0]!;
		const pairedTo = (input: number) =>
			items.filter((item) => (item.pairedItem as { item: number }).item === input);
		// The fault fires once: on the first input item's third page.
		expect(pairedTo(0)).toHaveLength(1);
		expect(pairedTo(0)[0]!.json).toMatchObject({
			error: expect.stringContaining('Out of memory'),
			description: expect.stringContaining('Lower the page size'),
			httpCode: '500',
			profitLogReference: expect.stringMatching(/^[0-9A-F]{32}$/),
		});
		expectAllRows(pairedTo(1).map((item) => item.json));
		expectAllRows(pairedTo(2).map((item) => item.json));
		expectNoSecrets(visibleText(result));
	});
});
