/**
 * PATCH operations (pure logic): reading them from a workflow's input, building them from fields,
 * and applying them to a resource for Use PUT, as RFC 7644 section 3.5.2 describes.
 */
import {
	applyPatch,
	readPatchOperations,
	type PatchOperation,
} from '../../../nodes/Scim/helpers/patch';
import {
	operationsFromFields,
	resourceToCreate,
	userFromFields,
} from '../../../nodes/Scim/helpers/resources';
import { ENTERPRISE, PATCH_OP, USER } from './helpers';

const user = () => ({
	schemas: [USER, ENTERPRISE],
	id: 'u-1',
	userName: 'anouk@example.test',
	name: { givenName: 'Anouk', familyName: 'de Vries' },
	emails: [
		{ value: 'anouk@example.test', type: 'work', primary: true },
		{ value: 'anouk@home.test', type: 'home' },
	],
	active: true,
	[ENTERPRISE]: { employeeNumber: 'E-1', manager: { value: 'm-1', displayName: 'Boss' } },
	meta: { resourceType: 'User' },
});

describe('readPatchOperations', () => {
	it('reads a PatchOp message, a list and one operation, lower-casing op', () => {
		const op = { op: 'Replace', path: 'active', value: false };
		const expected = [{ op: 'replace', path: 'active', value: false }];
		expect(readPatchOperations({ schemas: [PATCH_OP], Operations: [op] })).toEqual(expected);
		expect(readPatchOperations([op])).toEqual(expected);
		expect(readPatchOperations(op)).toEqual(expected);
	});

	it.each<[unknown, string]>([
		[{ schemas: [PATCH_OP], Operations: [] }, 'No PATCH operations'],
		[[], 'No PATCH operations'],
		[['x'], 'Operation 1 is not an object'],
		[[{ op: 'move', path: 'a' }], 'Operation 1 has op "move": use add, remove or replace'],
		[[{ op: 'remove' }], 'Operation 1 removes without a path'],
		[[{ op: 'add', path: 'title' }], 'Operation 1 (add) has no value'],
		[[{ op: 'replace', value: 'x' }], 'Operation 1 (replace) without a path needs an object'],
		[[{ op: 'replace', path: ' ', value: 1 }], 'Operation 1 has an empty or non-text path'],
	])('refuses %j', (input, message) => {
		expect(() => readPatchOperations(input)).toThrow(message);
	});

	it('drops a value sent with remove (remove is defined by its path alone)', () => {
		expect(readPatchOperations([{ op: 'remove', path: 'title', value: 'x' }])).toEqual([
			{ op: 'remove', path: 'title' },
		]);
	});
});

describe('applyPatch (Use PUT)', () => {
	const apply = (...operations: PatchOperation[]) => applyPatch(user(), operations);

	it('replace: simple value, sub-attribute, multi-valued whole, extension attribute', () => {
		const result = apply(
			{ op: 'replace', path: 'active', value: false },
			{ op: 'replace', path: 'name.familyName', value: 'Jansen' },
			{
				op: 'replace',
				path: 'emails',
				value: [{ value: 'a@example.test', type: 'work', primary: true }],
			},
			{ op: 'replace', path: `${ENTERPRISE}:department`, value: 'HR' },
			{ op: 'replace', path: `${ENTERPRISE}:manager.value`, value: 'm-2' },
		);
		expect(result).toMatchObject({
			active: false,
			name: { givenName: 'Anouk', familyName: 'Jansen' },
			emails: [{ value: 'a@example.test', type: 'work', primary: true }],
			[ENTERPRISE]: {
				employeeNumber: 'E-1',
				department: 'HR',
				manager: { value: 'm-2', displayName: 'Boss' },
			},
		});
	});

	it('replace without a path: attributes, dotted and URN keys, and the extension object', () => {
		const result = apply({
			op: 'replace',
			value: {
				active: false,
				'name.givenName': 'Anna',
				[`${ENTERPRISE}:department`]: 'HR',
				[ENTERPRISE]: { costCenter: 'CC-1' },
			},
		});
		expect(result).toMatchObject({
			active: false,
			name: { givenName: 'Anna', familyName: 'de Vries' },
			[ENTERPRISE]: { employeeNumber: 'E-1', department: 'HR', costCenter: 'CC-1' },
		});
	});

	it('add appends to a multi-valued attribute (a value already there is not doubled) and merges complex ones', () => {
		const result = apply(
			{
				op: 'add',
				path: 'emails',
				value: [
					{ value: 'anouk@home.test', type: 'home' },
					{ value: 'x@other.test', type: 'other' },
				],
			},
			{ op: 'add', path: 'name', value: { middleName: 'J' } },
			{ op: 'add', path: 'title', value: 'Clerk' },
		);
		expect((result.emails as unknown[]).length).toBe(3);
		expect(result.name).toEqual({ givenName: 'Anouk', familyName: 'de Vries', middleName: 'J' });
		expect(result.title).toBe('Clerk');
	});

	it('remove deletes attributes, sub-attributes and extension attributes; null and [] unset', () => {
		const result = apply(
			{ op: 'remove', path: 'name.givenName' },
			{ op: 'remove', path: `${ENTERPRISE}:manager` },
			{ op: 'replace', path: 'active', value: null },
			{ op: 'replace', path: 'emails', value: [] },
			{ op: 'remove', path: 'urn:example:unknown:2.0:User:thing' },
			{ op: 'remove', path: 'addresses.locality' },
		);
		expect(result).not.toHaveProperty('addresses');
		expect(result.name).toEqual({ familyName: 'de Vries' });
		expect(result[ENTERPRISE]).toEqual({ employeeNumber: 'E-1' });
		expect(result).not.toHaveProperty('active');
		expect(result).not.toHaveProperty('emails');
		expect(result).not.toHaveProperty('urn:example:unknown:2.0:User');
	});

	it('matches attribute names ignoring case, and core attributes written with their URN', () => {
		const result = apply(
			{ op: 'replace', path: 'USERNAME', value: 'b@example.test' },
			{ op: 'replace', path: `${USER}:displayName`, value: 'Anouk' },
		);
		expect(result.userName).toBe('b@example.test');
		expect(result).not.toHaveProperty('USERNAME');
		expect(result.displayName).toBe('Anouk');
		expect(result).not.toHaveProperty(USER);
	});

	it('lists a new extension in schemas, and leaves the input untouched', () => {
		const input = { schemas: [USER], userName: 'a@example.test' };
		const result = applyPatch(input, [
			{ op: 'add', path: `${ENTERPRISE}:department`, value: 'HR' },
		]);
		expect(result).toEqual({
			schemas: [USER, ENTERPRISE],
			userName: 'a@example.test',
			[ENTERPRISE]: { department: 'HR' },
		});
		expect(input).toEqual({ schemas: [USER], userName: 'a@example.test' });
	});

	it('refuses value-filter paths', () => {
		expect(() => apply({ op: 'remove', path: 'emails[type eq "home"]' })).toThrow(
			/simple paths only/,
		);
	});
});

describe('resources from input and fields', () => {
	it('resourceToCreate completes schemas with the extensions the resource holds', () => {
		expect(
			resourceToCreate(
				{ id: 'x', meta: {}, userName: 'a', [ENTERPRISE]: { department: 'HR' } },
				'User',
			),
		).toEqual({ schemas: [USER, ENTERPRISE], userName: 'a', [ENTERPRISE]: { department: 'HR' } });
		expect(() => resourceToCreate({ displayName: ' ' }, 'Group')).toThrow(
			'The Group has no displayName',
		);
	});

	it('userFromFields leaves out empty fields', () => {
		expect(userFromFields({ userName: ' a@example.test ', givenName: '', title: 'Clerk' })).toEqual(
			{
				schemas: [USER],
				userName: 'a@example.test',
				title: 'Clerk',
			},
		);
		expect(() => userFromFields({ userName: '' })).toThrow('"User Name" is empty');
	});

	it('operationsFromFields: one replace per field, a remove for emptied ones', () => {
		expect(
			operationsFromFields({ email: 'b@example.test', managerId: '', userName: 'b@example.test' }),
		).toEqual([
			{ op: 'replace', path: 'userName', value: 'b@example.test' },
			{
				op: 'replace',
				path: 'emails',
				value: [{ value: 'b@example.test', type: 'work', primary: true }],
			},
			{ op: 'remove', path: `${ENTERPRISE}:manager` },
		]);
		expect(() => operationsFromFields({})).toThrow('No field to update');
		expect(() => operationsFromFields({ userName: ' ' })).toThrow(
			'a user cannot be without a userName',
		);
	});
});
