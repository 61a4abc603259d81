/**
 * Shared set-up for the AFAS GetConnector tests: the sandbox on loopback, credentials for it and
 * a `run` that executes the node inside n8n's engine (test/helpers/n8n.ts).
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { credentialsFor, runNode, type NodeRunResult } from '../../helpers/n8n';
import type { AfasSandbox } from '../../../sandbox/afas/server';

export const NODE_TYPE = 'afasGetConnector';

export function afasCredentials(
	sandbox: Pick<AfasSandbox, 'url' | 'tokenXml'>,
	overrides: IDataObject = {},
) {
	return credentialsFor('afasApi', {
		connectUsing: 'url',
		url: sandbox.url,
		token: sandbox.tokenXml,
		...overrides,
	} as never);
}

export function connectorById(id: string) {
	return { __rl: true, mode: 'id', value: id };
}

export interface RunOptions {
	parameters: INodeParameters;
	credentials?: ReturnType<typeof afasCredentials>;
	inputs?: IDataObject[][];
	continueOnFail?: boolean;
}

export async function run(sandbox: AfasSandbox, options: RunOptions): Promise<NodeRunResult> {
	return await runNode({
		type: NODE_TYPE,
		parameters: { resource: 'connector', ...options.parameters },
		credentials: options.credentials ?? afasCredentials(sandbox),
		inputs: options.inputs,
		settings: options.continueOnFail ? { onError: 'continueRegularOutput' } : undefined,
	});
}

export function rowsParameters(connector: string, extra: INodeParameters = {}): INodeParameters {
	return { operation: 'getRows', connector: connectorById(connector), returnAll: true, ...extra };
}

export function jsonOf(result: NodeRunResult): IDataObject[] {
	return (result.outputs[0] ?? []).map((item) => item.json);
}

/** Everything a user or a log could see of a run, as one string, to look for secrets in. */
export function visibleText(result: NodeRunResult): string {
	return JSON.stringify({ error: result.error, runData: result.runData, outputs: result.outputs });
}

/** A server that answers every request with one status and body: for 400 and 403, which the sandbox has no switch for. */
export async function startStatusServer(
	status: number,
	body = '',
): Promise<{ url: string; hits(): number; close(): Promise<void> }> {
	let hits = 0;
	const server: Server = createServer((req, res) => {
		hits++;
		req.resume();
		res.writeHead(status, {
			'Content-Type': 'application/json; charset=utf-8',
			'Content-Length': String(Buffer.byteLength(body)),
		});
		res.end(body);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/ProfitRestServices`,
		hits: () => hits,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
