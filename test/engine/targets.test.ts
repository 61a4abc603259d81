import {
	afasRow,
	bobEmployee,
	declareeUser,
	itemFor,
	mobieUser,
	oneteamUser,
	plan,
} from './fixtures';

describe('MobieTrain: groups from the job, stores from the organisation', () => {
	it('lists each group and store that must exist first, once, before the users that need them', () => {
		const hr = [
			afasRow('1', {
				functionId: 'F10',
				functionDescription: 'Barista',
				organizationId: 'S20',
				organizationName: 'Store Zwolle',
			}),
			afasRow('2', { functionId: 'F10', functionDescription: 'Barista', organizationId: 'S01' }),
			afasRow('3', {
				functionId: 'F11',
				functionDescription: 'Cook',
				organizationId: 'S20',
				organizationName: 'Store Zwolle',
			}),
		];
		const result = plan(hr, [mobieUser('3')]);
		expect(result.createFirst.map((item) => [item.kind, item.payload, item.neededBy])).toEqual([
			['group', { externalId: 'F10', name: 'Barista' }, 2],
			['group', { externalId: 'F11', name: 'Cook' }, 1],
			['store', { externalId: 'S20', name: 'Store Zwolle' }, 2],
		]);
		expect(result.createFirst[0].hrIndex).toBe(0);
		expect(result.create.map((item) => item.payload?.groups)).toEqual([['F10'], ['F10']]);
		expect(itemFor(result, 2).changes.map((change) => change.field)).toEqual([
			'jobDescription',
			'groups',
			'stores',
		]);
	});

	it('does not list groups or stores an app user already belongs to', () => {
		const result = plan([afasRow('1')], [mobieUser('2')], { rails: { maxRemovalPercent: 100 } });
		expect(result.create).toHaveLength(1);
		expect(result.createFirst).toEqual([]);
	});

	it('omits group and store when the connector has no job or organisation', () => {
		const result = plan(
			[
				afasRow('1', {
					functionId: null,
					functionDescription: null,
					organizationId: null,
					organizationName: null,
				}),
			],
			[],
		);
		expect(result.create[0].payload).toMatchObject({
			groups: [],
			stores: [],
			jobDescription: null,
		});
		expect(result.createFirst).toEqual([]);
	});
});

describe('Oneteam: exactly one community and one function per user', () => {
	const oneteam = { target: 'oneteam' as const };

	it('creates users in their community and function, listing new ones first', () => {
		const result = plan(
			[afasRow('1', { organizationId: 'S30', organizationName: 'Den Haag', functionId: 'F01' })],
			[oneteamUser('2')],
			{
				...oneteam,
				rails: { maxRemovalPercent: 100 },
			},
		);
		expect(result.create[0].payload).toEqual({
			externalId: '1',
			email: 'p1@example.com',
			firstName: 'First1',
			lastName: 'Last1',
			communityId: 'S30',
			functionId: 'F01',
		});
		expect(result.createFirst.map((item) => [item.kind, item.payload])).toEqual([
			['community', { externalId: 'S30', name: 'Den Haag' }],
		]);
	});

	it('moves a user to another community', () => {
		const result = plan([afasRow('1', { organizationId: 'S02' })], [oneteamUser('1')], oneteam);
		expect(itemFor(result, 0).changes).toEqual([{ field: 'communityId', from: 'S01', to: 'S02' }]);
	});

	it('reports a person without organisation as a conflict instead of syncing without a community', () => {
		const result = plan([afasRow('1', { organizationId: null })], [], oneteam);
		const item = itemFor(result, 0);
		expect(item.conflict?.code).toBe('missingRequiredField');
		expect(item.reason).toContain('exactly one community and one function');
	});
});

describe('Declaree: username from email, manager from "reports to"', () => {
	const declaree = { source: 'hibob' as const, target: 'declaree' as const };
	const reportsTo = (id: string) => ({
		work: {
			reportsTo: {
				id,
				email: `e${id}@example.com`,
				firstName: 'M',
				surname: 'M',
				displayName: 'M M',
			},
		},
	});

	it('resolves the manager to the manager’s app user ID', () => {
		const result = plan(
			[bobEmployee('1'), bobEmployee('2', reportsTo('1'))],
			[declareeUser('1'), declareeUser('2')],
			declaree,
		);
		const item = itemFor(result, 1);
		expect(item.changes).toEqual([{ field: 'managerId', from: null, to: 'd1' }]);
		expect(item.manager).toMatchObject({ status: 'resolved', appId: 'd1', externalId: '1' });
	});

	it('creates a new manager before the people reporting to them, and links them on the next run', () => {
		const hr = [
			bobEmployee('3', reportsTo('2')),
			bobEmployee('2', reportsTo('1')),
			bobEmployee('1'),
		];
		const result = plan(hr, [], declaree);
		expect(result.create.map((item) => item.hrIndex)).toEqual([2, 1, 0]);
		expect(result.create[0].payload).toEqual({
			externalId: '1',
			username: 'e1@example.com',
			email: 'e1@example.com',
			firstName: 'Bob1',
			lastName: 'Surname1',
			managerId: null,
			enabled: true,
		});
		expect(result.create[1].manager?.status).toBe('createdInThisRun');
		expect(result.create[1].payload).not.toHaveProperty('managerId');

		const nextRun = plan(hr, [declareeUser('1'), declareeUser('2'), declareeUser('3')], declaree);
		expect(itemFor(nextRun, 0).changes).toEqual([{ field: 'managerId', from: null, to: 'd2' }]);
		expect(itemFor(nextRun, 1).changes).toEqual([{ field: 'managerId', from: null, to: 'd1' }]);
	});

	it('reports a manager who is not in scope and leaves the manager field as it is', () => {
		const result = plan(
			[bobEmployee('1', reportsTo('404'))],
			[declareeUser('1', { managerId: 'd9' })],
			declaree,
		);
		const item = itemFor(result, 0);
		expect(item.action).toBe('unchanged');
		expect(item.manager).toEqual({
			status: 'notInScope',
			externalId: '404',
			email: 'e404@example.com',
		});
	});

	it('treats a manager who left as not in scope', () => {
		const hr = [
			bobEmployee('1', { internal: { status: 'Inactive' } }),
			bobEmployee('2', reportsTo('1')),
		];
		const result = plan(hr, [declareeUser('1'), declareeUser('2')], declaree);
		expect(itemFor(result, 1).manager?.status).toBe('notInScope');
	});

	it('clears the manager when HR has none', () => {
		const result = plan([bobEmployee('1')], [declareeUser('1', { managerId: 'd7' })], declaree);
		expect(itemFor(result, 0).changes).toEqual([{ field: 'managerId', from: 'd7', to: null }]);
	});

	it('keeps username and email in step with the HR email', () => {
		const result = plan(
			[bobEmployee('1', { root: { email: 'New@Example.com' } })],
			[declareeUser('1')],
			declaree,
		);
		expect(itemFor(result, 0).payload).toEqual({
			username: 'new@example.com',
			email: 'new@example.com',
		});
	});
});
