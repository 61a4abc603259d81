import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	user: 'create' | 'delete' | 'get' | 'getAll' | 'update';
	group: 'addMembers' | 'create' | 'delete' | 'get' | 'getAll' | 'removeMembers';
};

/** Every resource and operation of the SCIM 2.0 node. */
export type ScimType = AllEntities<NodeMap>;
