/**
 * HiBob Polling Trigger against answers that must not be read as people leaving: a partial
 * answer (80 → 1, 80 → 40), values nulled for everyone, the access status gone, and 200 answers
 * that are not the documented shape, on the first poll and later. Real PollContext, static data
 * saved the way n8n saves it, faults from the HiBob sandbox.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { createPoller, NODE_UNDER_TEST } from '../../helpers/n8n';
import { startHiBobSandbox, type HiBobSandbox } from '../../../sandbox/hibob/server';
import { POLLING_TYPE, SANDBOX_NOW, hiBobCredentials, inIdOrder } from './helpers';

let sandbox: HiBobSandbox;

beforeEach(async () => {
	sandbox = await startHiBobSandbox({ now: SANDBOX_NOW, employeeCount: 80 });
});
afterEach(async () => {
	await sandbox.close();
});

const NODE_KEY = `node:${NODE_UNDER_TEST}`;

function poller(parameters: INodeParameters = {}, staticData?: IDataObject) {
	return createPoller({
		type: POLLING_TYPE,
		parameters,
		credentials: hiBobCredentials(sandbox),
		staticData,
	});
}

function events(result: INodeExecutionData[][] | null): IDataObject[] {
	return (result?.[0] ?? []).map((item) => item.json);
}

function snapshotOf(staticData: IDataObject): IDataObject | undefined {
	return (staticData[NODE_KEY] as IDataObject | undefined)?.snapshot as IDataObject | undefined;
}

function searches(): number {
	return sandbox.stats().log.filter((entry) => entry.path === '/v1/people/search').length;
}

/** A poller with a baseline of the whole (80-person) company. */
async function withBaseline(parameters: INodeParameters = {}) {
	const p = poller(parameters);
	expect(await p.poll()).toBeNull();
	const snapshot = snapshotOf(p.staticData)!;
	expect(Object.keys(snapshot.people as IDataObject)).toHaveLength(80);
	return { p, snapshot };
}

describe('HiBob Polling Trigger: a partial answer is not a wave of leavers', () => {
	it.each([
		['80 → 1', { keep: 1 }, 79],
		['80 → 40', { fraction: 0.5 }, 40],
	])(
		'%s: the poll fails with what to check, keeps the snapshot, and the full answer after it emits nothing',
		async (_label, partial, missing) => {
			const { p, snapshot } = await withBaseline();
			sandbox.addFault({ fault: { kind: 'partial', ...partial } });
			const failed = p.poll();
			await expect(failed).rejects.toThrow(
				`HiBob returned ${80 - missing} of the 80 employees of the last poll: ${missing}`,
			);
			await expect(failed).rejects.toThrow('more than "Max Missing Employees (%)" = 20%');
			await expect(failed).rejects.toMatchObject({
				description: expect.stringContaining('Permission groups'),
			});
			expect(snapshotOf(p.staticData)).toEqual(snapshot);

			expect(await p.poll()).toBeNull(); // the 80 are back: no joiners
			expect(searches()).toBe(3);
		},
	);

	it('lets a drop within the share through as leavers (16 of 80 = 20 %)', async () => {
		const { p } = await withBaseline();
		const gone = sandbox.employees().slice(60, 76);
		for (const employee of gone) sandbox.removeEmployee(employee.id);
		const result = events(await p.poll());
		expect(result.map((event) => [event.event, event.employeeId])).toEqual(
			inIdOrder(gone.map((e) => e.id)).map((id) => ['leaver', id]),
		);
		expect(Object.keys(snapshotOf(p.staticData)!.people as IDataObject)).toHaveLength(64);
	});

	it('accepts a larger drop when Max Missing Employees (%) is raised, and reports those people as leavers', async () => {
		const { p } = await withBaseline();
		sandbox.addFault({ fault: { kind: 'partial', fraction: 0.5 } });
		const raised = poller({ options: { maxMissingPercent: 50 } }, p.staticData);
		const result = events(await raised.poll());
		expect(result).toHaveLength(40);
		expect(result.every((event) => event.event === 'leaver')).toBe(true);
		expect(Object.keys(snapshotOf(raised.staticData)!.people as IDataObject)).toHaveLength(40);
	});

	it('refuses a partial answer on the poll that takes a new baseline after the watched fields changed', async () => {
		const { p, snapshot } = await withBaseline();
		sandbox.addFault({ fault: { kind: 'partial', fraction: 0.5 } });
		const widened = poller({ fields: ['root.email', 'work.site'] }, p.staticData);
		await expect(widened.poll()).rejects.toThrow('HiBob returned 40 of the 80 employees');
		expect(snapshotOf(widened.staticData)).toEqual(snapshot);
		expect(await widened.poll()).toBeNull(); // the new baseline, of all 80
		expect(Object.keys(snapshotOf(widened.staticData)!.people as IDataObject)).toHaveLength(80);
	});

	it('refuses a watched field that suddenly has no value for most people, and keeps the snapshot', async () => {
		const { p, snapshot } = await withBaseline();
		sandbox.addFault({ fault: { kind: 'nullFields', fields: ['work.title', 'root.surname'] } });
		const failed = p.poll();
		await expect(failed).rejects.toThrow(
			/HiBob returned no value for root.surname for 80 of the 80/,
		);
		await expect(failed).rejects.toMatchObject({
			description: expect.stringContaining('field categories'),
		});
		expect(snapshotOf(p.staticData)).toEqual(snapshot);
		expect(await p.poll()).toBeNull();
	});

	it('refuses an answer without the access status for anyone, which would hide every leaver', async () => {
		const { p, snapshot } = await withBaseline({ fields: ['root.email', 'work.title'] });
		sandbox.addServiceUser({
			id: 'SERVICE-NO-INTERNAL',
			token: 'no-internal',
			categories: ['work'],
		});
		const blind = createPoller({
			type: POLLING_TYPE,
			parameters: { fields: ['root.email', 'work.title'] },
			credentials: hiBobCredentials({
				...sandbox,
				serviceUserId: 'SERVICE-NO-INTERNAL',
				token: 'no-internal',
			}),
			staticData: p.staticData,
		});
		await expect(blind.poll()).rejects.toThrow('no longer returns internal.status');
		expect(snapshotOf(blind.staticData)).toEqual(snapshot);
	});
});

describe('HiBob Polling Trigger: a 200 of another shape is an error, never an empty company', () => {
	it.each([
		['{}', { json: {} }, 'no "employees" list', 'HiBob answered an empty object {}'],
		[
			'{ employees: null }',
			{ json: { employees: null } },
			'no "employees" list',
			'"employees": null',
		],
		['an empty body', {}, 'no "employees" list', 'an empty body'],
		[
			'a list of strings',
			{ json: { employees: ['x'] } },
			'entry 1 of 1 in "employees" is not an object',
			'Base URL Override',
		],
		['a web page', { html: '<html></html>' }, 'web page instead of JSON', 'Base URL'],
	])(
		'first poll answered with %s: stores no baseline; the next good poll records one and emits nothing',
		async (_label, body, message, detail) => {
			const p = poller();
			sandbox.addFault({ fault: { kind: 'wrongShape', ...body } });
			const failed = p.poll();
			await expect(failed).rejects.toThrow(message);
			await expect(failed).rejects.toMatchObject({
				description: expect.stringContaining(detail),
			});
			expect(p.staticData).toEqual({});
			expect(await p.poll()).toBeNull();
			expect(Object.keys(snapshotOf(p.staticData)!.people as IDataObject)).toHaveLength(80);
			expect(await p.poll()).toBeNull();
		},
	);

	it('a later poll answered with another shape fails and keeps the snapshot', async () => {
		const { p, snapshot } = await withBaseline();
		sandbox.addFault({ fault: { kind: 'wrongShape', json: { employees: {} } } });
		await expect(p.poll()).rejects.toThrow('not the documented shape: no "employees" list');
		expect(snapshotOf(p.staticData)).toEqual(snapshot);
	});

	it('an empty but well-formed first answer records no baseline either', async () => {
		const p = poller();
		sandbox.addFault({ fault: { kind: 'partial', keep: 0 } });
		await expect(p.poll()).rejects.toThrow(
			'HiBob returned no employees, so no baseline was recorded',
		);
		expect(p.staticData).toEqual({});
	});
});
