import {
	reconcile,
	ReconcileConfigError,
	SOURCE_PRESETS,
	type SourceMapping,
	type TargetProfile,
} from '../../nodes/ReconcileUsers/engine';
import { afasRow, bobEmployee, declareeUser, itemFor, mobieUser, plan } from './fixtures';

function configError(run: () => unknown): ReconcileConfigError {
	try {
		run();
	} catch (error) {
		if (error instanceof ReconcileConfigError) return error;
		throw error;
	}
	throw new Error('expected a ReconcileConfigError');
}

describe('source presets', () => {
	it('AFAS Profit_Employees: standard field IDs, prefix + birth name, Mail as work email', () => {
		const row = {
			EmployeeId: '000001005',
			PersonId: 'P1005',
			BSN: '123456782',
			FirstName: 'Anne',
			PrefixBirthName: 'van der',
			BirthName: 'Berg',
			Mail: 'Anne.vdBerg@Example.nl',
			EmploymentStart: '2020-02-01T00:00:00Z',
			EmploymentEnd: null,
			FunctionId: 'F7',
			FunctionDesc: 'Planner',
			OrgUnit: 'OU3',
			OrgUnitDesc: 'Logistics',
		};
		const result = plan([row], [], { source: 'afasProfitEmployees' });
		expect(result.create[0].hr).toMatchObject({
			externalId: '000001005',
			lastName: 'van der Berg',
			email: 'anne.vdberg@example.nl',
			startDate: '2020-02-01',
			jobId: 'F7',
			orgName: 'Logistics',
		});
		// Fields outside the mapping (such as the BSN) never reach the plan.
		expect(JSON.stringify(result)).not.toContain('123456782');
	});

	it('HiBob: nested employee object, reportsTo object, humanReadable names when present', () => {
		const employee = bobEmployee('42', { work: { title: '255490048', department: '209192163' } });
		employee.humanReadable = { work: { title: 'Engineer', department: 'R&D' } };
		const result = plan([employee], [], { source: 'hibob', target: 'mobieTrain' });
		expect(result.create[0].hr).toMatchObject({
			externalId: '42',
			firstName: 'Bob42',
			lastName: 'Surname42',
			jobId: '255490048',
			jobName: 'Engineer',
			orgName: 'R&D',
			status: 'Active',
			startDate: '2023-05-01',
		});
		expect(result.createFirst.map((item) => item.payload)).toEqual([
			{ externalId: '255490048', name: 'Engineer' },
			{ externalId: '209192163', name: 'R&D' },
		]);
	});

	it('HiBob: a field the service user cannot see (missing everywhere) is a warning when optional', () => {
		const employee = bobEmployee('1');
		delete (employee.internal as Record<string, unknown>).lifecycleStatus;
		const result = plan([employee], [declareeUser('1')], { source: 'hibob', target: 'declaree' });
		expect(result.warnings).toEqual([
			'HR field "internal.lifecycleStatus" (lifecycleStatus) is missing on all 1 HR items: it is not synced.',
		]);
		expect(result.summary.warnings).toBe(result.warnings);
	});
});

describe('every mapped path is checked', () => {
	it('a required HR field missing on all items is an error that names it', () => {
		const rows = [afasRow('1'), afasRow('2')].map(({ employmentStartDate: _omit, ...row }) => row);
		const error = configError(() => plan(rows, []));
		expect(error.message).toBe(
			'HR field "employmentStartDate" (startDate) is missing on all 2 HR items',
		);
		expect(error.hint).toContain('AFAS (MobieTrain-style GetConnector)');
	});

	it('names both spellings when the end date is missing in either', () => {
		const rows = [afasRow('1')].map(({ employementEndDate: _omit, ...row }) => row);
		expect(configError(() => plan(rows, [])).message).toContain(
			'"employementEndDate" or "employmentEndDate"',
		);
	});

	it('a field present (even null) on one item is enough', () => {
		const rows = [afasRow('1'), afasRow('2')];
		delete rows[1].employementEndDate;
		expect(() => plan(rows, [])).not.toThrow();
	});

	it('an app field missing on all App items is an error that names it', () => {
		const app = [mobieUser('1')].map(({ groups: _omit, ...user }) => user);
		const error = configError(() => plan([afasRow('1')], app));
		expect(error.message).toBe('App field "groups" is missing on all 1 App items');
	});

	it('an empty HR or App input is not a mapping error (first sync, or the rails decide)', () => {
		expect(() => plan([], [mobieUser('1')])).not.toThrow();
		expect(() => plan([afasRow('1')], [])).not.toThrow();
	});

	it('unknown presets and bad settings are config errors', () => {
		expect(configError(() => plan([], [], { source: 'workday' as never })).message).toContain(
			'Unknown HR source preset',
		);
		expect(configError(() => plan([], [], { target: 'slack' as never })).message).toContain(
			'Unknown app target preset',
		);
		expect(configError(() => plan([], [], { asOf: '2026-02-30' })).message).toContain(
			'not a calendar date',
		);
		expect(configError(() => plan([], [], { inviteLeadDays: -1 })).message).toContain(
			'Invite Lead Time',
		);
		expect(configError(() => plan([], [], { rails: { maxRemovals: -5 } })).message).toContain(
			'maxRemovals',
		);
	});
});

describe('custom mode', () => {
	const source: SourceMapping = {
		name: 'custom',
		label: 'Custom',
		fields: {
			externalId: { paths: ['person.number'] },
			email: { paths: ['contact.work_email'] },
			firstName: { paths: ['person.given'] },
			lastName: { paths: ['person.family'] },
			startDate: { paths: ['contract.from'] },
			endDate: { paths: ['contract.until'] },
			orgName: { paths: ['unit'] },
		},
	};
	const target: TargetProfile = {
		name: 'custom',
		label: 'custom',
		idPath: 'uid',
		externalIdPath: 'attributes.employeeNumber',
		emailPath: 'mail',
		status: { type: 'boolean', path: 'active' },
		fields: [
			{ app: 'attributes.employeeNumber', from: 'externalId' },
			{ app: 'mail', from: 'email', compare: 'email' },
			{ app: 'name.given', from: 'firstName' },
			{ app: 'name.family', from: 'lastName' },
			{ app: 'department', from: 'orgName', createOnly: true },
		],
	};
	const person = (id: string, extra: Record<string, unknown> = {}) => ({
		person: { number: id, given: 'Ada', family: 'Lovelace' },
		contact: { work_email: `ada${id}@example.com` },
		contract: { from: '2020-01-01', until: null },
		unit: 'Research',
		...extra,
	});

	it('reads and writes the builder’s own dot paths', () => {
		const result = reconcile(
			[person('1'), person('2')],
			[
				{
					uid: 'a1',
					attributes: { employeeNumber: '1' },
					mail: 'ada1@example.com',
					name: { given: 'Ada', family: 'Byron' },
					department: 'Other',
					active: true,
				},
			],
			{
				source,
				target,
				asOf: '2026-04-01',
			},
		);
		expect(itemFor(result, 0).payload).toEqual({ name: { family: 'Lovelace' } });
		expect(itemFor(result, 1).payload).toEqual({
			attributes: { employeeNumber: '2' },
			mail: 'ada2@example.com',
			name: { given: 'Ada', family: 'Lovelace' },
			department: 'Research',
		});
	});

	it('a custom path that matches nothing is an error naming that path', () => {
		const wrong = {
			...source,
			fields: { ...source.fields, lastName: { paths: ['person.surname'] } },
		};
		expect(
			configError(() => reconcile([person('1')], [], { source: wrong, target, asOf: '2026-04-01' }))
				.message,
		).toBe('HR field "person.surname" (lastName) is missing on all 1 HR items');
	});

	it('the builder can map other presets’ paths on purpose (SOURCE_PRESETS are plain data)', () => {
		expect(SOURCE_PRESETS.afasMobieTrain.fields.endDate?.paths).toEqual([
			'employementEndDate',
			'employmentEndDate',
		]);
	});
});
