import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	connector: 'getRows' | 'getFields' | 'getAll';
};

export type AfasGetConnectorType = AllEntities<NodeMap>;
