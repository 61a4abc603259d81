import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	employee: 'get' | 'search';
	metadata: 'getFields';
	namedList: 'get' | 'getMany';
};

export type HiBobType = AllEntities<NodeMap>;
