import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import {
	DEFAULT_RETRY_POLICY,
	getConnectorMetaInfo,
	type AfasConnectorMetaInfo,
	type RetryPolicy,
} from '../transport';

/** State shared by the items of one execution: metainfo is read once per connector. */
export interface ExecutionState {
	metaInfo: Map<string, AfasConnectorMetaInfo>;
}

export type OperationExecute = (
	this: IExecuteFunctions,
	itemIndex: number,
	state: ExecutionState,
) => Promise<INodeExecutionData[]>;

export function readConnectorId(this: IExecuteFunctions, itemIndex: number): string {
	const value = this.getNodeParameter('connector', itemIndex, '', {
		extractValue: true,
	}) as unknown;
	const id = typeof value === 'string' ? value.trim() : '';
	if (!id) {
		throw new NodeOperationError(this.getNode(), 'No connector is set', {
			itemIndex,
			description:
				'Choose a GetConnector from the list, or enter its ID (for example Profit_Employees).',
		});
	}
	return id;
}

export interface RequestOptionValues {
	maxRetries?: number;
	maxRetryWait?: number;
	timeout?: number;
}

export function retryPolicyFrom(options: RequestOptionValues): RetryPolicy {
	const number = (value: unknown, fallback: number, min: number) =>
		typeof value === 'number' && Number.isFinite(value) ? Math.max(min, value) : fallback;
	return {
		maxRetries: Math.floor(number(options.maxRetries, DEFAULT_RETRY_POLICY.maxRetries, 0)),
		maxRetryWaitSeconds: number(options.maxRetryWait, DEFAULT_RETRY_POLICY.maxRetryWaitSeconds, 0),
		timeoutSeconds: number(options.timeout, DEFAULT_RETRY_POLICY.timeoutSeconds, 1),
	};
}

export async function cachedMetaInfo(
	this: IExecuteFunctions,
	state: ExecutionState,
	connectorId: string,
	itemIndex: number,
	retry: RetryPolicy,
): Promise<AfasConnectorMetaInfo> {
	const known = state.metaInfo.get(connectorId);
	if (known) return known;
	const meta = await getConnectorMetaInfo.call(this, connectorId, itemIndex, retry);
	state.metaInfo.set(connectorId, meta);
	return meta;
}
