import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { chooseOperation, runPerItem, type OperationTableOf } from '../../shared/execute';
import { createSession, type ScimSession } from '../transport';
import * as group from './group';
import type { ScimType } from './node.type';
import * as user from './user';

const operations: OperationTableOf<ScimType, ScimSession> = {
	user: {
		create: user.create,
		delete: user.delete,
		get: user.get,
		getAll: user.getAll,
		update: user.update,
	},
	group: {
		addMembers: group.addMembers,
		create: group.create,
		delete: group.delete,
		get: group.get,
		getAll: group.getAll,
		removeMembers: group.removeMembers,
	},
};

/**
 * Runs the chosen operation once per input item; every output item is paired with its input
 * item. One session per run: after a 401 the run stops calling the app (every item would fail).
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const execute = chooseOperation(this, operations);
	return [await runPerItem(this, execute, createSession())];
}
