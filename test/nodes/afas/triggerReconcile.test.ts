/**
 * The AFAS Trigger's Row output feeds Reconcile Users directly: the items of one poll (a joiner,
 * a changed person and a person removed from the connector) go, as they are, into Reconcile Users
 * (source AFAS (MobieTrain-style GetConnector), scope Only the People in the HR Input) with the
 * app users of those people and some others, in n8n's engine.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { createPoller, runNode } from '../../helpers/n8n';
import {
	MOBIETRAIN_FIELDS,
	startAfasSandbox,
	type AfasFieldMeta,
	type AfasSandbox,
} from '../../../sandbox/afas/server';
import { afasRow, mobieUser } from '../../engine/fixtures';
import { afasCredentials, connectorById } from './helpers';

const CREATE = 0;
const UPDATE = 1;
const REMOVE = 2;
const CONFLICTS = 4;

const CONNECTOR = 'Trigger_Mobietrain';
const FIELDS: AfasFieldMeta[] = MOBIETRAIN_FIELDS.map(([id, dataType]) => ({
	id,
	dataType,
	label: id,
}));

let sandbox: AfasSandbox;

beforeAll(async () => {
	sandbox = await startAfasSandbox({ employeeCount: 10 });
});
afterAll(async () => {
	await sandbox.close();
});

const jsonOf = (items: INodeExecutionData[] = []) => items.map((item) => item.json);

describe('AFAS Trigger → Reconcile Users (scope: only the people in the HR input)', () => {
	it('plans a create for the joiner, an update for the change and the leaver action for the removed row, and leaves everyone else alone', async () => {
		const rows = Array.from({ length: 30 }, (_, index) => afasRow(String(index + 1)));
		sandbox.setRows(CONNECTOR, rows, FIELDS);
		const p = createPoller({
			type: 'afasTrigger',
			parameters: {
				connector: connectorById(CONNECTOR),
				keyFields: ['externalId'],
				startDateField: 'employmentStartDate',
				endDateField: 'employementEndDate',
				output: 'row',
			},
			credentials: afasCredentials(sandbox),
		});
		expect(await p.poll()).toBeNull();

		sandbox.setRows(
			CONNECTOR,
			[
				...rows
					.filter((row) => row.externalId !== '3')
					.map((row) => (row.externalId === '2' ? { ...row, lastName: 'Moved' } : row)),
				afasRow('31'),
			],
			FIELDS,
		);
		const hr = ((await p.poll())?.[0] ?? []).map((item) => item.json);
		expect(hr.map((item) => [item.externalId, item.deleted ?? false])).toEqual([
			['2', false],
			['3', true],
			['31', false],
		]);

		const app = ['1', '2', '3', '4'].map((id) => mobieUser(id)) as IDataObject[];
		const result = await runNode({
			type: 'reconcileUsers',
			parameters: {
				source: 'afasMobieTrain',
				target: 'mobieTrain',
				scope: 'inputOnly',
				referenceDate: '2026-04-01',
			},
			inputs: [hr, app],
		});
		expect(result.error?.message).toBeUndefined();
		expect(jsonOf(result.outputs[CREATE])).toEqual([
			expect.objectContaining({
				action: 'create',
				payload: expect.objectContaining({ externalId: '31', email: 'p31@example.com' }),
			}),
		]);
		expect(jsonOf(result.outputs[UPDATE])).toEqual([
			expect.objectContaining({ action: 'update', appId: 'u2', payload: { lastName: 'Moved' } }),
		]);
		expect(jsonOf(result.outputs[REMOVE])).toEqual([
			expect.objectContaining({ action: 'deactivate', appId: 'u3' }),
		]);
		expect(jsonOf(result.outputs[CONFLICTS])).toEqual([]);
	});
});
