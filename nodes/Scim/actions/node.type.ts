import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	user: 'create' | 'delete' | 'get' | 'getAll' | 'update';
	group: 'addMembers' | 'create' | 'delete' | 'get' | 'getAll' | 'removeMembers';
};

export type ScimType = AllEntities<NodeMap>;
