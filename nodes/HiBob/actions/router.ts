import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import { missingFieldsHint } from '../helpers/employees';
import { createSession, type HiBobSession } from '../transport';
import * as employee from './employee';
import * as metadata from './metadata';
import * as namedList from './namedList';
import type { HiBobType } from './node.type';

type Operation = (
	this: IExecuteFunctions,
	itemIndex: number,
	session: HiBobSession,
) => Promise<IDataObject[]>;

const operations: {
	[R in HiBobType['resource']]: Record<string, { execute: Operation } | undefined>;
} = {
	employee: { get: employee.get, search: employee.search },
	metadata: { getFields: metadata.getFields },
	namedList: { get: namedList.get, getMany: namedList.getMany },
};

/**
 * Runs the chosen operation once per input item. One session per run: it remembers a 401/403 so
 * no further calls go out (HiBob's WAF), and collects fields HiBob left out, reported once.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as HiBobType['resource'];
	const operation = this.getNodeParameter('operation', 0) as string;
	const run = operations[resource]?.[operation]?.execute;
	if (!run) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of "${resource}" is not supported`,
		);
	}
	const session = createSession();
	const returnData: INodeExecutionData[] = [];

	for (let i = 0; i < items.length; i++) {
		try {
			const results = await run.call(this, i, session);
			returnData.push(...results.map((json) => ({ json, pairedItem: { item: i } })));
		} catch (error) {
			const nodeError =
				error instanceof NodeApiError || error instanceof NodeOperationError
					? error
					: new NodeOperationError(this.getNode(), error as Error, { itemIndex: i });
			if (this.continueOnFail()) {
				returnData.push({
					json: {
						error: nodeError.message,
						...(nodeError.description ? { description: nodeError.description } : {}),
					},
					pairedItem: { item: i },
				});
				continue;
			}
			throw nodeError;
		}
	}

	if (session.missingFields.size > 0) {
		const message = missingFieldsHint(session.missingFields);
		this.addExecutionHints({ message, type: 'warning', location: 'outputPane' });
		this.logger.warn(`HiBob node "${this.getNode().name}": ${message}`);
	}
	return [returnData];
}
