import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { chooseOperation, runPerItem, type OperationTableOf } from '../../shared/execute';
import { missingFieldsHint } from '../helpers/employees';
import { createSession, type HiBobSession } from '../transport';
import * as employee from './employee';
import * as metadata from './metadata';
import * as namedList from './namedList';
import type { HiBobType } from './node.type';

const operations: OperationTableOf<HiBobType, HiBobSession> = {
	employee: { get: employee.get, search: employee.search },
	metadata: { getFields: metadata.getFields },
	namedList: { get: namedList.get, getMany: namedList.getMany },
};

/**
 * Runs the chosen operation once per input item; every output item is paired with its input
 * item. One session per run: it remembers a 401/403 so no further calls go out (HiBob's WAF), and
 * collects fields HiBob left out, reported once as a warning on the output.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const execute = chooseOperation(this, operations);
	const session = createSession();
	const returnData = await runPerItem(this, execute, session);
	if (session.missingFields.size > 0) {
		const message = missingFieldsHint(session.missingFields);
		this.addExecutionHints({ message, type: 'warning', location: 'outputPane' });
		this.logger.warn(`HiBob node "${this.getNode().name}": ${message}`);
	}
	return [returnData];
}
