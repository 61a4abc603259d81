import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { createPoller, NODE_UNDER_TEST } from '../../helpers/n8n';
import {
	CUSTOM_COST_CENTRE,
	startHiBobSandbox,
	type HiBobSandbox,
} from '../../../sandbox/hibob/server';
import { POLLING_TYPE, SANDBOX_NOW, TRIGGER_TYPE, hiBobCredentials, inIdOrder } from './helpers';
import { hookContextFor } from './hooks';

// HiBob Polling Trigger: real PollContext, static data persisted between polls the way n8n saves
// it (JSON round trip), the sandbox clock moved between polls.

let sandbox: HiBobSandbox;

beforeEach(async () => {
	sandbox = await startHiBobSandbox({ now: SANDBOX_NOW });
});
afterEach(async () => {
	await sandbox.close();
});

const NODE_KEY = `node:${NODE_UNDER_TEST}`;

function poller(
	parameters: INodeParameters = {},
	options: {
		staticData?: IDataObject;
		mode?: 'trigger' | 'manual';
		credentials?: ReturnType<typeof hiBobCredentials>;
	} = {},
) {
	return createPoller({
		type: POLLING_TYPE,
		parameters,
		credentials: options.credentials ?? hiBobCredentials(sandbox),
		staticData: options.staticData,
		mode: options.mode,
	});
}

function events(result: INodeExecutionData[][] | null): IDataObject[] {
	return (result?.[0] ?? []).map((item) => item.json);
}

function summary(result: INodeExecutionData[][] | null) {
	return events(result).map((event) => ({
		event: event.event,
		reason: event.reason,
		employeeId: event.employeeId,
	}));
}

function snapshotOf(staticData: IDataObject): {
	people: Record<string, IDataObject>;
	asOf: string;
} {
	return (staticData[NODE_KEY] as IDataObject).snapshot as never;
}

describe('HiBob Polling Trigger', () => {
	it('only records a snapshot on the first poll, reading everyone (inactive included) in one search', async () => {
		const p = poller();
		expect(await p.poll()).toBeNull();
		const log = sandbox.stats().log;
		expect(log).toHaveLength(1);
		expect(log[0]).toMatchObject({
			path: '/v1/people/search',
			body: expect.objectContaining({ showInactive: true }),
		});
		expect((log[0].body as IDataObject).fields).toEqual(
			expect.arrayContaining([
				'root.id',
				'internal.status',
				'internal.lifecycleStatus',
				'work.startDate',
				'internal.terminationDate',
			]),
		);
		expect(Object.keys(snapshotOf(p.staticData).people)).toHaveLength(sandbox.employees().length);
	});

	it('reports joiners, changes and leavers across three polls as the clock moves, surviving a restart', async () => {
		const p = poller();
		const people = sandbox.employees();
		const daan = people.find((e) => e.firstName === 'Daan')!;
		const mila = people.find((e) => e.firstName === 'Mila')!; // starts tomorrow
		const julia = people.find((e) => e.firstName === 'Julia')!; // terminated in 10 days
		const kees = people.find((e) => e.firstName === 'Kees')!;

		expect(await p.poll()).toBeNull(); // 1: baseline

		sandbox.updateEmployee(daan.id, { work: { title: '255490055' } });
		const newcomer = sandbox.addEmployee({
			firstName: 'Rosa',
			surname: 'Kuiper',
			startDate: sandbox.today(),
			managerId: daan.id,
		});
		sandbox.advanceDays(1);
		const second = await p.poll(); // 2
		const joiners = [
			{ event: 'joiner', reason: 'became active', employeeId: mila.id },
			{ event: 'joiner', reason: 'new in HiBob', employeeId: newcomer.id },
		];
		expect(summary(second)).toEqual([
			...(BigInt(mila.id) < BigInt(newcomer.id) ? joiners : joiners.reverse()),
			{ event: 'change', reason: 'fields changed', employeeId: daan.id },
		]);
		const milaJoined = events(second).find((event) => event.employeeId === mila.id)!;
		const daanChanged = events(second)[2];
		expect(milaJoined.changes).toEqual(
			expect.arrayContaining([
				{ field: 'internal.status', from: 'Inactive', to: 'Active' },
				{ field: 'internal.lifecycleStatus', from: 'hired', to: 'employed' },
			]),
		);
		expect(daanChanged.changes).toEqual([
			{ field: 'work.title', from: '255490049', to: '255490055' },
		]);
		expect(daanChanged.employee).toMatchObject({
			id: daan.id,
			email: daan.email,
			work: { title: '255490055' },
		});
		expect(daanChanged.active).toBe(true);

		p.restart(); // n8n restarted, or the next poll runs on another queue-mode worker
		sandbox.setNow(`${julia.internal.terminationDate}T06:00:00Z`);
		sandbox.removeEmployee(kees.id);
		const third = await p.poll(); // 3
		const leavers = [
			{ event: 'leaver', reason: 'became inactive', employeeId: julia.id },
			{
				event: 'leaver',
				reason: 'no longer returned by HiBob (deleted, or no longer visible to the service user)',
				employeeId: kees.id,
			},
		];
		expect(summary(third)).toEqual(
			BigInt(julia.id) < BigInt(kees.id) ? leavers : leavers.reverse(),
		);
		const juliaLeft = events(third).find((event) => event.employeeId === julia.id)!;
		const keesGone = events(third).find((event) => event.employeeId === kees.id)!;
		expect(juliaLeft.changes).toEqual(
			expect.arrayContaining([
				{ field: 'internal.lifecycleStatus', from: 'employed', to: 'terminated' },
			]),
		);
		expect(keesGone.employee).toMatchObject({
			id: kees.id,
			firstName: 'Kees',
			work: { title: kees.work.title },
		});

		expect(await p.poll()).toBeNull(); // nothing changed since
	});

	it('reports a manager change, but not a manager’s new name', async () => {
		const p = poller();
		await p.poll();
		const [ceo, daan] = sandbox.employees();
		const report = sandbox.employees().find((e) => e.work.manager === daan.id)!;
		sandbox.updateEmployee(daan.id, { surname: 'Bakker-Smit' });
		sandbox.updateEmployee(report.id, { 'work.manager': ceo.id });
		const changed = events(await p.poll());
		const forReport = changed.find((event) => event.employeeId === report.id)!;
		expect(forReport.changes).toEqual([
			{
				field: 'work.reportsTo',
				from: expect.objectContaining({ id: daan.id }),
				to: expect.objectContaining({ id: ceo.id }),
			},
		]);
		const forDaan = changed.find((event) => event.employeeId === daan.id)!;
		expect((forDaan.changes as Array<{ field: string }>).map((c) => c.field).sort()).toEqual([
			'root.displayName',
			'root.surname',
		]);
		expect(
			changed.filter((event) => event.employeeId !== report.id && event.employeeId !== daan.id),
		).toEqual([]);
	});

	it('watches custom fields given by ID, and appends human-readable values while comparing machine values', async () => {
		const p = poller({
			fields: ['work.title'],
			customFieldIds: CUSTOM_COST_CENTRE,
			options: { humanReadable: 'append' },
		});
		await p.poll();
		const target = sandbox.employees()[4];
		sandbox.updateEmployee(target.id, { [CUSTOM_COST_CENTRE]: 'CC-999' });
		const [changed] = events(await p.poll());
		expect(changed).toMatchObject({
			event: 'change',
			employeeId: target.id,
			changes: [
				{ field: CUSTOM_COST_CENTRE, from: target.work.custom[CUSTOM_COST_CENTRE], to: 'CC-999' },
			],
		});
		expect(changed.employee).toMatchObject({
			work: { title: target.work.title },
			humanReadable: {
				work: { title: expect.any(String), custom: { field_1700000001: 'CC-999' } },
			},
		});
		expect(((changed.employee as IDataObject).humanReadable as IDataObject).work).not.toEqual({
			title: target.work.title,
		});
	});

	it('emits only the kinds chosen under Report', async () => {
		const p = poller({ report: ['leaver'] });
		await p.poll();
		sandbox.updateEmployee(sandbox.employees()[1].id, { work: { title: '255490055' } });
		const julia = sandbox.employees().find((e) => e.firstName === 'Julia')!;
		sandbox.setNow(`${julia.internal.terminationDate}T06:00:00Z`);
		expect(summary(await p.poll())).toEqual([
			expect.objectContaining({ event: 'leaver', employeeId: julia.id }),
		]);
	});

	it('does not read fields the service user can no longer see as cleared', async () => {
		const parameters = { fields: ['root.email', 'home.mobilePhone', 'internal.status'] };
		const first = poller(parameters);
		await first.poll();
		const phoneOwner = sandbox.employees().find((e) => e.home.mobilePhone !== null)!;
		expect(snapshotOf(first.staticData).people[phoneOwner.id]['home.mobilePhone']).toBe(
			phoneOwner.home.mobilePhone,
		);

		sandbox.addServiceUser({
			id: 'SERVICE-NO-HOME',
			token: 'no-home',
			categories: ['work', 'internal'],
		});
		const logger = hookContextFor({
			type: TRIGGER_TYPE,
			parameters: {},
			credentials: {},
			staticData: {},
		}).context.logger;
		const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
		const restricted = poller(parameters, {
			staticData: first.staticData,
			credentials: hiBobCredentials({
				...sandbox,
				serviceUserId: 'SERVICE-NO-HOME',
				token: 'no-home',
			}),
		});
		expect(await restricted.poll()).toBeNull();
		expect(warn).toHaveBeenCalledWith(expect.stringContaining('home.mobilePhone'));
		expect(snapshotOf(restricted.staticData).people[phoneOwner.id]['home.mobilePhone']).toBe(
			phoneOwner.home.mobilePhone,
		);
		warn.mockRestore();
	});

	it('keeps the snapshot and reports nobody when HiBob suddenly returns no one', async () => {
		const p = poller();
		await p.poll();
		const before = snapshotOf(p.staticData);
		for (const employee of sandbox.employees()) sandbox.removeEmployee(employee.id);
		await expect(p.poll()).rejects.toThrow('HiBob returned no employees');
		expect(snapshotOf(p.staticData)).toEqual(before);
	});

	it('keeps the last good snapshot when a poll fails', async () => {
		const p = poller();
		await p.poll();
		const before = snapshotOf(p.staticData);
		const broken = poller(
			{},
			{ staticData: p.staticData, credentials: hiBobCredentials(sandbox, { token: 'revoked' }) },
		);
		await expect(broken.poll()).rejects.toThrow('401 Unauthorized');
		expect(snapshotOf(broken.staticData)).toEqual(before);
	});

	it('starts a new baseline when the watched fields change, instead of reporting everyone', async () => {
		const p = poller({ fields: ['root.email'] });
		await p.poll();
		const widened = poller(
			{ fields: ['root.email', 'work.department'] },
			{ staticData: p.staticData },
		);
		expect(await widened.poll()).toBeNull();
		sandbox.updateEmployee(sandbox.employees()[2].id, { work: { department: '209192165' } });
		expect(summary(await widened.poll())).toEqual([
			expect.objectContaining({ event: 'change', employeeId: sandbox.employees()[2].id }),
		]);
	});

	it('shows one real employee on a manual run without a snapshot, and never saves state in manual mode', async () => {
		const manual = poller({}, { mode: 'manual' });
		const [sample] = events(await manual.poll());
		const first = sandbox.employee(inIdOrder(sandbox.employees().map((e) => e.id))[0])!;
		expect(sample).toMatchObject({
			event: 'sample',
			employeeId: first.id,
			active: sandbox.lifecycle(first.id).status === 'Active',
			employee: expect.objectContaining({ email: first.email }),
		});
		expect(manual.staticData).toEqual({});

		const p = poller();
		await p.poll();
		sandbox.updateEmployee(sandbox.employees()[0].id, { surname: 'Jansen' });
		const manualWithSnapshot = poller({}, { mode: 'manual', staticData: p.staticData });
		expect(summary(await manualWithSnapshot.poll())).toEqual([
			expect.objectContaining({ event: 'change' }),
		]);
		expect(manualWithSnapshot.staticData).toEqual(p.staticData);
	});
});

describe('HiBob Polling Trigger: Employee output (for Reconcile Users)', () => {
	it('emits one item per person by employee ID: the employee with the event under "event", someone gone as { id, deleted: true }', async () => {
		const p = poller({ output: 'employee' });
		const people = sandbox.employees();
		const daan = people.find((e) => e.firstName === 'Daan')!;
		const mila = people.find((e) => e.firstName === 'Mila')!; // starts tomorrow
		const kees = people.find((e) => e.firstName === 'Kees')!;
		expect(await p.poll()).toBeNull();

		sandbox.updateEmployee(daan.id, { work: { title: '255490055' } });
		const newcomer = sandbox.addEmployee({
			firstName: 'Rosa',
			surname: 'Kuiper',
			startDate: sandbox.today(),
			managerId: daan.id,
		});
		sandbox.removeEmployee(kees.id);
		sandbox.advanceDays(1);
		const result = events(await p.poll());
		expect(result.map((item) => item.id)).toEqual(
			inIdOrder([daan.id, mila.id, newcomer.id, kees.id]),
		);
		const byId = new Map(result.map((item) => [item.id, item]));
		expect(byId.get(daan.id)).toEqual({
			id: daan.id,
			email: daan.email,
			firstName: 'Daan',
			surname: daan.surname,
			displayName: `Daan ${daan.surname}`,
			work: expect.objectContaining({
				title: '255490055',
				startDate: daan.work.startDate,
				reportsTo: expect.objectContaining({ id: daan.work.manager }),
			}),
			internal: { status: 'Active', lifecycleStatus: 'employed', terminationDate: null },
			event: {
				type: 'change',
				reason: 'fields changed',
				active: true,
				changes: [{ field: 'work.title', from: '255490049', to: '255490055' }],
				detectedAt: expect.any(String),
			},
		});
		expect(byId.get(mila.id)).toMatchObject({
			internal: { status: 'Active' },
			event: { type: 'joiner', reason: 'became active' },
		});
		expect(byId.get(newcomer.id)).toMatchObject({
			firstName: 'Rosa',
			event: { type: 'joiner', reason: 'new in HiBob' },
		});
		expect(byId.get(kees.id)).toEqual({
			id: kees.id,
			deleted: true,
			event: {
				type: 'leaver',
				reason: 'no longer returned by HiBob (deleted, or no longer visible to the service user)',
				active: false,
				changes: [],
				detectedAt: expect.any(String),
				lastKnown: expect.objectContaining({ id: kees.id, firstName: 'Kees' }),
			},
		});
	});

	it('collapses several changes of one person in one poll into one item with the latest state', async () => {
		const p = poller({ output: 'employee' });
		await p.poll();
		const julia = sandbox.employees().find((e) => e.firstName === 'Julia')!;
		sandbox.updateEmployee(julia.id, { work: { title: '255490055' } });
		sandbox.updateEmployee(julia.id, { surname: 'de Graaf' });
		sandbox.setNow(`${julia.internal.terminationDate}T06:00:00Z`);
		const result = events(await p.poll());
		expect(result.filter((item) => item.id === julia.id)).toEqual([
			expect.objectContaining({
				surname: 'de Graaf',
				work: expect.objectContaining({ title: '255490055' }),
				internal: expect.objectContaining({ status: 'Inactive' }),
				event: expect.objectContaining({
					type: 'leaver',
					reason: 'became inactive',
					changes: expect.arrayContaining([
						{ field: 'work.title', from: julia.work.title, to: '255490055' },
						{ field: 'root.surname', from: julia.surname, to: 'de Graaf' },
					]),
				}),
			}),
		]);
	});

	it('reads what Reconcile Users needs whatever is watched, and keeps the baseline when Output changes', async () => {
		const watching = { fields: ['work.title'] };
		const p = poller(watching);
		await p.poll();
		const target = sandbox.employees()[3];
		sandbox.updateEmployee(target.id, { work: { title: '255490055' } });
		const asEmployees = poller({ ...watching, output: 'employee' }, { staticData: p.staticData });
		const [item] = events(await asEmployees.poll());
		expect(item).toMatchObject({
			id: target.id,
			email: target.email,
			firstName: target.firstName,
			surname: target.surname,
			work: { title: '255490055', startDate: target.work.startDate },
			internal: { status: 'Active' },
			event: { type: 'change', changes: [{ field: 'work.title' }] },
		});
		// Only the watched fields are compared and kept.
		const kept = snapshotOf(asEmployees.staticData).people[target.id];
		expect(Object.keys(kept).sort()).toEqual([
			'internal.lifecycleStatus',
			'internal.status',
			'internal.terminationDate',
			'work.startDate',
			'work.title',
		]);
	});

	it('shows one real employee in the Employee shape on a manual run without a snapshot', async () => {
		const [sample] = events(await poller({ output: 'employee' }, { mode: 'manual' }).poll());
		const first = inIdOrder(sandbox.employees().map((e) => e.id))[0];
		expect(sample).toMatchObject({
			id: first,
			event: { type: 'sample', reason: 'manual run without a stored snapshot' },
		});
	});

	it('lists events of each kind by employee ID even when HiBob’s order changes on every call', async () => {
		sandbox.setSearchOrder('shuffled');
		const p = poller();
		await p.poll();
		const people = sandbox.employees().filter((e) => sandbox.lifecycle(e.id).status === 'Active');
		const changed = people.slice(5, 12);
		const removed = people.slice(20, 23);
		for (const employee of changed)
			sandbox.updateEmployee(employee.id, { work: { title: '255490055' } });
		for (const employee of removed) sandbox.removeEmployee(employee.id);
		const result = events(await p.poll());
		expect(result.map((event) => [event.event, event.employeeId])).toEqual([
			...inIdOrder(changed.map((e) => e.id)).map((id) => ['change', id]),
			...inIdOrder(removed.map((e) => e.id)).map((id) => ['leaver', id]),
		]);
	});
});
