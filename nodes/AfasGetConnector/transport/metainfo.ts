/**
 * AFAS' metainfo endpoints: which GetConnectors the token may use (`GET /metainfo`,
 * https://docs.afas.help/apidoc/en/Organisaties%20en%20personen#get-/MetaInfo) and the fields of
 * one (`GET /metainfo/get/{id}`: id, label, dataType, length, ...,
 * https://docs.afas.help/profit/en/get-connector#metainfo-request).
 */
import type { IDataObject } from 'n8n-workflow';

import { unexpectedShape } from './errors';
import { afasGet, type AfasContext, type AfasRetryPolicy } from './request';

export interface AfasConnectorSummary {
	id: string;
	description: string;
}

export interface AfasFieldInfo extends IDataObject {
	id: string;
	dataType: string;
	label: string;
}

export interface AfasConnectorMetaInfo {
	name: string;
	description: string;
	fields: AfasFieldInfo[];
}

/**
 * `GET /metainfo`: the GetConnectors this token may use.
 * @throws NodeApiError when AFAS fails or answers something else than a connector list.
 */
export async function listGetConnectors(
	this: AfasContext,
	itemIndex?: number,
	retry?: AfasRetryPolicy,
): Promise<AfasConnectorSummary[]> {
	const what = 'the connector list (metainfo)';
	const body = (await afasGet.call(this, {
		path: '/metainfo',
		what,
		itemIndex,
		retry,
	})) as IDataObject;
	if (!body || typeof body !== 'object') throw unexpectedShape(this.getNode(), what, itemIndex);
	const list = body.getConnectors ?? [];
	if (!Array.isArray(list)) throw unexpectedShape(this.getNode(), what, itemIndex);
	return (list as IDataObject[])
		.filter((entry) => entry && typeof entry.id === 'string')
		.map((entry) => ({
			id: entry.id as string,
			description: typeof entry.description === 'string' ? entry.description : '',
		}));
}

/**
 * `GET /metainfo/get/{id}`: the fields of one GetConnector, in AFAS' order; a field without a
 * type counts as `string`, one without a label is labelled with its ID.
 * @throws NodeApiError when AFAS fails or answers without a field list.
 */
export async function getConnectorMetaInfo(
	this: AfasContext,
	connectorId: string,
	itemIndex?: number,
	retry?: AfasRetryPolicy,
): Promise<AfasConnectorMetaInfo> {
	const what = `the fields of connector '${connectorId}' (metainfo)`;
	const body = (await afasGet.call(this, {
		path: `/metainfo/get/${encodeURIComponent(connectorId)}`,
		what,
		connectorId,
		itemIndex,
		retry,
	})) as IDataObject;
	if (!body || typeof body !== 'object' || !Array.isArray(body.fields))
		throw unexpectedShape(this.getNode(), what, itemIndex);
	const fields = (body.fields as IDataObject[])
		.filter((field) => field && typeof field.id === 'string')
		.map((field) => ({
			...field,
			id: field.id as string,
			dataType: typeof field.dataType === 'string' ? field.dataType : 'string',
			label: typeof field.label === 'string' ? field.label : (field.id as string),
		}));
	return {
		name: typeof body.name === 'string' ? body.name : connectorId,
		description: typeof body.description === 'string' ? body.description : '',
		fields,
	};
}
