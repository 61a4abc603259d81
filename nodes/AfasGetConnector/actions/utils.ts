import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import {
	DEFAULT_RETRY_POLICY,
	getConnectorMetaInfo,
	type AfasConnectorMetaInfo,
	type AfasRetryPolicy,
} from '../transport';

/** State shared by the items of one execution: metainfo is read once per connector. */
export interface ExecutionState {
	metaInfo: Map<string, AfasConnectorMetaInfo>;
}

/**
 * The connector ID of item `itemIndex`, from the list, by ID or from an expression.
 * @throws NodeOperationError when no connector is set.
 */
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

/** The retry options as the user set them (Max Retries, Max Retry Wait in s, Timeout in s). */
export interface RequestOptionValues {
	maxRetries?: number;
	maxRetryWait?: number;
	timeout?: number;
}

/** The retry policy from the Options: unset or invalid values give 3 retries, 60 s, 120 s. */
export function retryPolicyFrom(options: RequestOptionValues): AfasRetryPolicy {
	const number = (value: unknown, fallback: number, min: number) =>
		typeof value === 'number' && Number.isFinite(value) ? Math.max(min, value) : fallback;
	return {
		maxRetries: Math.floor(number(options.maxRetries, DEFAULT_RETRY_POLICY.maxRetries, 0)),
		maxRetryWaitSeconds: number(options.maxRetryWait, DEFAULT_RETRY_POLICY.maxRetryWaitSeconds, 0),
		timeoutSeconds: number(options.timeout, DEFAULT_RETRY_POLICY.timeoutSeconds, 1),
	};
}

/**
 * The metainfo of a connector, read from AFAS once per execution.
 * @throws NodeApiError when AFAS cannot be read.
 */
export async function cachedMetaInfo(
	this: IExecuteFunctions,
	state: ExecutionState,
	connectorId: string,
	itemIndex: number,
	retry: AfasRetryPolicy,
): Promise<AfasConnectorMetaInfo> {
	const known = state.metaInfo.get(connectorId);
	if (known) return known;
	const meta = await getConnectorMetaInfo.call(this, connectorId, itemIndex, retry);
	state.metaInfo.set(connectorId, meta);
	return meta;
}
