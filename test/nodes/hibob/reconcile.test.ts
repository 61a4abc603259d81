/**
 * The HiBob triggers' Employee output feeds Reconcile Users (HiBob source preset, Declaree-style
 * target) directly: the items the triggers emit for a joiner and a changed person go, as they
 * are, into the Reconcile Users node in n8n's engine, with the app users of those people.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { callWebhook, createPoller, runNode, type WebhookCallResult } from '../../helpers/n8n';
import {
	startHiBobSandbox,
	type HiBobSandbox,
	type StoredEmployee,
} from '../../../sandbox/hibob/server';
import { POLLING_TYPE, SANDBOX_NOW, TRIGGER_TYPE, hiBobCredentials } from './helpers';

const CREATE = 0;
const UPDATE = 1;
const REMOVE = 2;
const UNCHANGED = 3;
const CONFLICTS = 4;

let sandbox: HiBobSandbox;

beforeEach(async () => {
	sandbox = await startHiBobSandbox({ now: SANDBOX_NOW });
});
afterEach(async () => {
	await sandbox.close();
});

/** A Declaree-style app user for an employee, as the app holds it (`managerId`: app user ID). */
function appUser(employee: StoredEmployee, overrides: IDataObject = {}): IDataObject {
	return {
		id: `app-${employee.id}`,
		externalId: employee.id,
		username: employee.email,
		email: employee.email,
		firstName: employee.firstName,
		lastName: employee.surname,
		enabled: true,
		managerId: employee.work.manager ? `app-${employee.work.manager}` : null,
		...overrides,
	};
}

async function reconcile(hr: IDataObject[], app: IDataObject[]) {
	const result = await runNode({
		type: 'reconcileUsers',
		parameters: { source: 'hibob', target: 'declaree', referenceDate: sandbox.today() },
		inputs: [hr, app],
	});
	expect(result.error?.message).toBeUndefined();
	return result.outputs;
}

const jsonOf = (items: INodeExecutionData[]) => items.map((item) => item.json);

/** A joiner (new hire starting today, reporting to Daan) and Daan, renamed. */
function joinerAndChange() {
	const daan = sandbox.employees().find((e) => e.firstName === 'Daan')!;
	const joiner = sandbox.addEmployee({
		firstName: 'Rosa',
		surname: 'Kuiper',
		email: 'rosa.kuiper@acme-hr.example',
		startDate: sandbox.today(),
		managerId: daan.id,
	});
	sandbox.updateEmployee(daan.id, { surname: 'Bakker-Smit' });
	return { daan, joiner };
}

function expectJoinerAndChangePlan(
	outputs: INodeExecutionData[][],
	joiner: StoredEmployee,
	daan: StoredEmployee,
) {
	expect(jsonOf(outputs[CREATE])).toEqual([
		expect.objectContaining({
			action: 'create',
			payload: {
				externalId: joiner.id,
				username: 'rosa.kuiper@acme-hr.example',
				email: 'rosa.kuiper@acme-hr.example',
				firstName: 'Rosa',
				lastName: 'Kuiper',
				managerId: `app-${daan.id}`,
				enabled: true,
			},
		}),
	]);
	expect(jsonOf(outputs[UPDATE])).toEqual([
		expect.objectContaining({
			action: 'update',
			appId: `app-${daan.id}`,
			payload: { lastName: 'Bakker-Smit' },
		}),
	]);
	expect(outputs[REMOVE]).toEqual([]);
	expect(outputs[CONFLICTS]).toEqual([]);
}

describe('HiBob triggers → Reconcile Users (HiBob preset, Declaree-style)', () => {
	it('the webhook trigger’s Employee items plan a create for a joiner and an update for a changed person', async () => {
		const { daan, joiner } = joinerAndChange();
		const parameters = {
			fetchEmployee: true,
			output: 'employee',
			options: { fetchDelaySeconds: 0 },
		};
		const deliveries: WebhookCallResult[] = [];
		for (const event of [
			{ type: 'employee.created', employeeId: joiner.id },
			{ type: 'employee.updated', employeeId: daan.id, fieldUpdates: ['root.surname'] },
		]) {
			const delivery = sandbox.buildWebhook(event);
			deliveries.push(
				await callWebhook({
					type: TRIGGER_TYPE,
					parameters,
					credentials: hiBobCredentials(sandbox),
					rawBody: delivery.rawBody,
					headers: delivery.headers,
				}),
			);
		}
		const hr = deliveries.flatMap(
			(call) => (call.result.workflowData as INodeExecutionData[][])[0],
		);
		expect(hr.map((item) => item.json.id)).toEqual([joiner.id, daan.id]);
		const outputs = await reconcile(
			hr.map((item) => item.json),
			[appUser(daan)],
		);
		expectJoinerAndChangePlan(outputs, joiner, daan);
	});

	it('the polling trigger’s Employee items plan the same, and a second poll finds nothing', async () => {
		const poller = createPoller({
			type: POLLING_TYPE,
			parameters: { output: 'employee' },
			credentials: hiBobCredentials(sandbox),
		});
		expect(await poller.poll()).toBeNull();
		const { daan, joiner } = joinerAndChange();
		const items = (await poller.poll())![0];
		expect(items.map((item) => item.json.id).sort()).toEqual([daan.id, joiner.id].sort());
		const outputs = await reconcile(
			items.map((item) => item.json),
			[appUser(daan)],
		);
		expectJoinerAndChangePlan(outputs, joiner, daan);
		expect(outputs[UNCHANGED]).toEqual([]);
		expect(await poller.poll()).toBeNull();
	});
});
