import { NodeOperationError, type IExecuteFunctions, type INode } from 'n8n-workflow';

import {
	AFAS_MAX_PARALLEL,
	DEFAULT_RETRY_POLICY,
	clampParallel,
	getConnectorMetaInfo,
	type AfasConnectorMetaInfo,
	type AfasContext,
	type AfasRetryPolicy,
} from '../transport';
import { checkConnectorId } from '../transport/connectorId';
import { AFAS_OPERATORS, isAfasOperator, type FilterGroups } from '../transport/query';

/** State shared by the items of one execution: metainfo is read once per connector. */
export interface ExecutionState {
	metaInfo: Map<string, AfasConnectorMetaInfo>;
}

/**
 * The connector ID of item `itemIndex`, from the list, by ID or from an expression.
 * @throws NodeOperationError when no connector is set, or the ID holds a /, ? or #.
 */
export function readConnectorId(this: IExecuteFunctions, itemIndex: number): string {
	const value = this.getNodeParameter('connector', itemIndex, '', { extractValue: true });
	const checked = checkConnectorId(value);
	if ('id' in checked) return checked.id;
	throw new NodeOperationError(this.getNode(), checked.message, {
		itemIndex,
		description: checked.description,
	});
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

interface ConditionValue {
	field?: unknown;
	operator?: unknown;
	value?: unknown;
}

/**
 * The filter groups of the Filters parameter (common.description.ts `filtersProperty`), as
 * `readConnectorRows` takes them; groups without conditions are dropped.
 * @param raw The parameter's value, expressions resolved.
 * @throws NodeOperationError naming the condition when it has no field or an unknown operator.
 */
export function parseFilterGroups(node: INode, raw: unknown, itemIndex?: number): FilterGroups {
	const value = (raw ?? {}) as {
		groups?: Array<{ conditions?: { condition?: ConditionValue[] } }>;
	};
	const groups: FilterGroups = [];
	(value.groups ?? []).forEach((group, groupIndex) => {
		const conditions = group.conditions?.condition ?? [];
		const parsed = conditions.map((condition, conditionIndex) => {
			const where = `condition ${conditionIndex + 1} of filter group ${groupIndex + 1}`;
			const field = typeof condition.field === 'string' ? condition.field.trim() : '';
			if (!field) {
				throw new NodeOperationError(node, `No field is set in ${where}`, {
					itemIndex,
					description: 'Choose a field for every filter condition, or remove the condition.',
				});
			}
			if (!isAfasOperator(condition.operator)) {
				throw new NodeOperationError(node, `Unknown operator in ${where}`, {
					itemIndex,
					description: `Use one of: ${Object.keys(AFAS_OPERATORS).join(', ')}.`,
				});
			}
			return { field, operator: condition.operator, value: condition.value };
		});
		if (parsed.length > 0) groups.push(parsed);
	});
	return groups;
}

/**
 * The Parallel Requests option as used: 1 to 8 (default 4), with a warning in the log when a
 * higher value was lowered to AFAS' limit.
 */
export function readParallel(this: AfasContext, requested: number | undefined): number {
	const asked = requested ?? 4;
	if (asked > AFAS_MAX_PARALLEL) {
		this.logger.warn(
			`AFAS GetConnector: ${asked} parallel requests asked, lowered to ${AFAS_MAX_PARALLEL} (the most AFAS allows)`,
		);
	}
	return clampParallel(asked);
}
