/** Shared description pieces, as the nodes declare them. */
import type { INodeProperties } from 'n8n-workflow';

import { AfasGetConnector } from '../../../nodes/AfasGetConnector/AfasGetConnector.node';
import { HiBob } from '../../../nodes/HiBob/HiBob.node';
import { HiBobPollingTrigger } from '../../../nodes/HiBob/HiBobPollingTrigger.node';
import { HiBobTrigger } from '../../../nodes/HiBob/HiBobTrigger.node';
import { SYNC_FIELDS } from '../../../nodes/HiBob/helpers/employees';

function forOperation(properties: INodeProperties[], name: string, operation: string) {
	const found = properties.find(
		(property) =>
			property.name === name && property.displayOptions?.show?.operation?.includes(operation),
	);
	if (!found) throw new Error(`No ${name} for ${operation}`);
	return found;
}

const names = (properties: unknown) => (properties as INodeProperties[]).map((p) => p.name);

describe('AFAS GetConnector', () => {
	const { properties } = new AfasGetConnector().description;

	it('ends every Options collection with the same retry and timeout settings', () => {
		for (const operation of ['getRows', 'getFields', 'getAll']) {
			const options = names(forOperation(properties, 'options', operation).options);
			expect(options.slice(-3)).toEqual(['maxRetries', 'maxRetryWait', 'timeout']);
		}
		expect(names(forOperation(properties, 'options', 'getRows').options)).toEqual([
			'dateOutput',
			'pageSize',
			'parallelRequests',
			'wildcards',
			'maxRetries',
			'maxRetryWait',
			'timeout',
		]);
	});

	it('shows Limit only without Return All, with each operation’s own Return All default', () => {
		expect(forOperation(properties, 'returnAll', 'getRows').default).toBe(false);
		expect(forOperation(properties, 'returnAll', 'getAll').default).toBe(true);
		expect(forOperation(properties, 'limit', 'getRows').displayOptions).toEqual({
			show: { returnAll: [false], resource: ['connector'], operation: ['getRows'] },
		});
	});
});

describe('HiBob', () => {
	it('offers Simplify and Human-Readable Values the same way in the node and the webhook trigger', () => {
		const node = new HiBob().description.properties;
		const trigger = new HiBobTrigger().description.properties;
		const triggerOptions = trigger.find((p) => p.name === 'options')!.options as INodeProperties[];
		for (const name of ['simplify', 'humanReadable']) {
			const inNode = forOperation(node, name, 'get');
			const inTrigger = triggerOptions.find((p) => p.name === name)!;
			expect({ ...inTrigger, displayOptions: undefined }).toEqual({
				...inNode,
				displayOptions: undefined,
			});
			// Employee output always simplifies, so Simplify shows only for Event output.
			const show = name === 'simplify' ? { '/output': ['event'] } : {};
			expect(inTrigger.displayOptions).toEqual({ show: { '/fetchEmployee': [true], ...show } });
		}
		expect(trigger.find((p) => p.name === 'fields')!.displayOptions).toEqual({
			show: { fetchEmployee: [true] },
		});
	});

	it('watches the fields a user sync reads by default (root.id is always read)', () => {
		const fields = new HiBobPollingTrigger().description.properties.find(
			(p) => p.name === 'fields',
		)!;
		expect(fields.default).toEqual(SYNC_FIELDS.filter((field) => field !== 'root.id'));
		const options = new HiBobPollingTrigger().description.properties.find(
			(p) => p.name === 'options',
		)!.options as INodeProperties[];
		expect((options[0].options as Array<{ value: string }>).map((o) => o.value)).toEqual([
			'append',
			'none',
		]);
	});
});
