/**
 * Helpers for node descriptions, shared by every node of the package.
 */
import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

/**
 * `show` and `hide` merged condition by condition: a condition both have takes the values of
 * `update`; the other keys of the display options are copied, `update`'s winning.
 */
export function mergeDisplayOptions(
	base: IDisplayOptions | undefined,
	update: IDisplayOptions,
): IDisplayOptions {
	const merged: IDisplayOptions = { ...base, ...update };
	if (base?.show || update.show) merged.show = { ...base?.show, ...update.show };
	if (base?.hide || update.hide) merged.hide = { ...base?.hide, ...update.hide };
	return merged;
}

/**
 * Adds display conditions to every property of a group, keeping each property's own: the
 * same contract as `updateDisplayOptions` in n8n's built-in nodes (n8n-nodes-base
 * `utils/utilities.ts`, used by the Discord v2 node), without its lodash dependency.
 * Returns new property objects; the given ones are not changed.
 *
 * @example updateDisplayOptions({ show: { mode: ['people'] } }, [sourceProperty, targetProperty])
 */
export function updateDisplayOptions(
	displayOptions: IDisplayOptions,
	properties: INodeProperties[],
): INodeProperties[] {
	return properties.map((property) => ({
		...property,
		displayOptions: mergeDisplayOptions(property.displayOptions, displayOptions),
	}));
}
