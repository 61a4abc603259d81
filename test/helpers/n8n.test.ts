import {
	NodeConnectionTypes,
	NodeOperationError,
	type IExecuteFunctions,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { registerNodeType, runNode } from './n8n';

// The harness itself: a probe node proves items, expressions, two inputs and errors flow
// through n8n-core's WorkflowExecute as they do in n8n.
class Probe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Probe',
		name: 'probe',
		group: ['transform'],
		version: 1,
		description: 'probe',
		defaults: { name: 'Probe' },
		inputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Tag', name: 'tag', type: 'string', default: '' },
			{ displayName: 'Fail', name: 'fail', type: 'boolean', default: false },
		],
	};
	async execute(this: IExecuteFunctions) {
		if (this.getNodeParameter('fail', 0))
			throw new NodeOperationError(this.getNode(), 'probe failed');
		const a = this.getInputData(0);
		const b = this.getInputData(1);
		return [
			[
				...a.map((item, i) => ({
					json: { side: 'a', tag: this.getNodeParameter('tag', i), ...item.json },
					pairedItem: { item: i, input: 0 },
				})),
				...b.map((item, i) => ({
					json: { side: 'b', ...item.json },
					pairedItem: { item: i, input: 1 },
				})),
			],
		];
	}
}

beforeAll(() => registerNodeType('test.probe', new Probe()));

describe('in-process n8n harness', () => {
	it('runs a two-input node with expressions evaluated per item', async () => {
		const result = await runNode({
			type: 'test.probe',
			parameters: { tag: '={{ "t-" + $json.n }}' },
			inputs: [[{ n: 1 }, { n: 2 }], [{ m: 3 }]],
		});
		expect(result.status).toBe('success');
		expect(result.outputs[0].map((i) => i.json)).toEqual([
			{ side: 'a', tag: 't-1', n: 1 },
			{ side: 'a', tag: 't-2', n: 2 },
			{ side: 'b', m: 3 },
		]);
	});

	it('reports a node error with its message', async () => {
		const result = await runNode({
			type: 'test.probe',
			parameters: { fail: true },
			inputs: [[{}], [{}]],
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('probe failed');
	});
});
