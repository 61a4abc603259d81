/**
 * Shared set-up for the SCIM 2.0 node tests: a credential pointing at a SCIM sandbox, a `run` that
 * executes the node inside n8n's engine, seed users, and a ledger of the requests the sandbox
 * refused (every suite ends by asserting there were none it did not expect).
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { credentialsFor, runNode, type NodeRunResult } from '../../helpers/n8n';
import type { ScimLogEntry, ScimSandbox } from '../../../sandbox/scim/server';

export const NODE_TYPE = 'scim';
export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** The credential the tests use, named "scimApi (test)" by the engine helper. */
export function scimCredentials(
	sandbox: Pick<ScimSandbox, 'url' | 'token'>,
	overrides: IDataObject = {},
) {
	return credentialsFor('scimApi', {
		baseUrl: sandbox.url,
		authentication: 'bearer',
		token: sandbox.token,
		...overrides,
	} as never);
}

export interface RunOptions {
	credentials?: ReturnType<typeof scimCredentials>;
	inputs?: IDataObject[][];
	continueOnFail?: boolean;
}

/** Runs the SCIM 2.0 node once with `parameters` (one empty input item unless `inputs`). */
export async function run(
	sandbox: Pick<ScimSandbox, 'url' | 'token'>,
	parameters: INodeParameters,
	options: RunOptions = {},
): Promise<NodeRunResult> {
	return await runNode({
		type: NODE_TYPE,
		parameters,
		credentials: options.credentials ?? scimCredentials(sandbox),
		inputs: options.inputs,
		settings: options.continueOnFail ? { onError: 'continueRegularOutput' } : undefined,
	});
}

export function jsonOf(result: NodeRunResult): IDataObject[] {
	return (result.outputs[0] ?? []).map((item) => item.json);
}

/** `n` users named user001@example.test, ... with externalId E-1, ... */
export function seedUsers(n: number, extra: (i: number) => IDataObject = () => ({})) {
	return Array.from({ length: n }, (_, i) => ({
		userName: `user${String(i + 1).padStart(3, '0')}@example.test`,
		externalId: `E-${i + 1}`,
		active: true,
		...extra(i),
	}));
}

/** Requests the sandbox refused, minus the ones a test declared it causes on purpose. */
export class RejectionLedger {
	readonly unexpected: ScimLogEntry[] = [];
	private allowed: Array<{ status: number; method: string }> = [];

	/** The current test sends one request the sandbox must refuse with `status`. */
	allow(status: number, method: string): void {
		this.allowed.push({ status, method });
	}

	/** Moves the sandbox's refusals of the test that just ran into the ledger. */
	collect(sandbox: ScimSandbox): void {
		const allowed = [...this.allowed];
		for (const entry of sandbox.stats().rejected) {
			const index = allowed.findIndex(
				(a) => a.status === entry.status && a.method === entry.method,
			);
			if (index >= 0) allowed.splice(index, 1);
			else this.unexpected.push(entry);
		}
		this.allowed = [];
	}
}
