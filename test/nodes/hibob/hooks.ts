/**
 * A real n8n-core HookContext for the HiBob Trigger's webhook lifecycle methods (checkExists /
 * create / delete). The shared harness has no way to build one, so this
 * builds the workflow, node and the few members of additionalData the context reads.
 */
import { HookContext } from 'n8n-core';
import {
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INode,
	type INodeParameters,
	type INodeTypes,
	type IWebhookData,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { PACKAGE_NAME, nodeTypeRegistry } from '../../helpers/n8n';

const nodeTypes: INodeTypes = {
	getByName(type: string) {
		const nodeType = nodeTypeRegistry().get(type);
		if (!nodeType) throw new Error(`Unknown node type ${type}`);
		return nodeType;
	},
	getByNameAndVersion(type: string, version?: number) {
		return NodeHelpers.getVersionedNodeType(this.getByName(type), version);
	},
	getKnownTypes() {
		return {};
	},
};

export function hookContextFor(options: {
	type: string;
	parameters: INodeParameters;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	staticData: IDataObject;
	webhookId?: string;
}): { context: HookContext; workflow: Workflow } {
	const node: INode = {
		id: 'under-test',
		name: 'HiBob Trigger',
		type: `${PACKAGE_NAME}.${options.type}`,
		typeVersion: 1,
		position: [0, 0],
		parameters: options.parameters,
		webhookId: options.webhookId ?? 'hibob-hook-id',
		credentials: Object.fromEntries(
			Object.keys(options.credentials).map((type) => [type, { id: `${type}-id`, name: type }]),
		),
	};
	const workflow = new Workflow({
		id: 'wf-hooks',
		name: 'hooks',
		nodes: [node],
		connections: {},
		nodeTypes,
		active: true,
		staticData: options.staticData,
		settings: { executionOrder: 'v1' },
	});
	const additionalData = {
		credentialsHelper: {
			isCredentialUsableByNode: () => true,
			getDecrypted: async (_data: unknown, _nodeCredentials: unknown, type: string) =>
				options.credentials[type],
			getParentTypes: () => [],
		},
		webhookBaseUrl: 'https://n8n.example.com/webhook',
		webhookTestBaseUrl: 'https://n8n.example.com/webhook-test',
		webhookWaitingBaseUrl: 'https://n8n.example.com/webhook-waiting',
		formWaitingBaseUrl: 'https://n8n.example.com/form-waiting',
		instanceBaseUrl: 'https://n8n.example.com/',
		variables: {},
	} as unknown as IWorkflowExecuteAdditionalData;
	const webhookData = {
		httpMethod: 'POST',
		node: node.name,
		path: 'webhook',
		webhookDescription: { name: 'default', httpMethod: 'POST', path: 'webhook' },
		workflowId: workflow.id,
		workflowExecuteAdditionalData: additionalData,
	} as unknown as IWebhookData;
	const context = new HookContext(
		workflow,
		workflow.getNode(node.name)!,
		additionalData,
		'trigger',
		'activate',
		webhookData,
	);
	return { context, workflow };
}
