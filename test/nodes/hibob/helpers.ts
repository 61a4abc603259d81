/**
 * Shared set-up for the HiBob tests: the HiBob sandbox on loopback, a credential pointing at it
 * through the Base URL Override, and a `run` that executes the HiBob node inside n8n's engine.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { credentialsFor, runNode, type NodeRunResult } from '../../helpers/n8n';
import type { HiBobSandbox } from '../../../sandbox/hibob/server';

export const NODE_TYPE = 'hiBob';
export const TRIGGER_TYPE = 'hiBobTrigger';
export const POLLING_TYPE = 'hiBobPollingTrigger';

/** A fixed clock so seeded lifecycles are the same on every run. */
export const SANDBOX_NOW = '2026-03-02T08:00:00.000Z';

export function hiBobCredentials(
	sandbox: Pick<HiBobSandbox, 'url' | 'serviceUserId' | 'token' | 'webhookSecret'>,
	overrides: IDataObject = {},
) {
	return credentialsFor('hiBobApi', {
		serviceUserId: sandbox.serviceUserId,
		token: sandbox.token,
		environment: 'production',
		baseUrlOverride: sandbox.url,
		webhookSecret: sandbox.webhookSecret,
		...overrides,
	} as never);
}

export interface RunOptions {
	credentials?: ReturnType<typeof hiBobCredentials>;
	inputs?: IDataObject[][];
	continueOnFail?: boolean;
}

export async function run(
	sandbox: HiBobSandbox,
	parameters: INodeParameters,
	options: RunOptions = {},
): Promise<NodeRunResult> {
	return await runNode({
		type: NODE_TYPE,
		parameters,
		credentials: options.credentials ?? hiBobCredentials(sandbox),
		inputs: options.inputs,
		settings: options.continueOnFail ? { onError: 'continueRegularOutput' } : undefined,
	});
}

export function jsonOf(result: NodeRunResult): IDataObject[] {
	return (result.outputs[0] ?? []).map((item) => item.json);
}

/** The search requests the sandbox received (bodies as sent). */
export function searchBodies(sandbox: HiBobSandbox): IDataObject[] {
	return sandbox
		.stats()
		.log.filter((entry) => entry.path === '/v1/people/search')
		.map((entry) => entry.body as IDataObject);
}

/**
 * IDs in the order the HiBob nodes output them: numeric IDs by their value (BigInt: HiBob's IDs
 * have 19 digits), written here independently of the node's comparator.
 */
export function inIdOrder(ids: string[]): string[] {
	return [...ids].sort((a, b) => {
		const x = BigInt(a);
		const y = BigInt(b);
		return x < y ? -1 : x > y ? 1 : 0;
	});
}
