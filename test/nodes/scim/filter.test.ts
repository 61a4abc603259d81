/**
 * Filter strings (pure logic): values are JSON strings in the filter grammar of RFC 7644 section
 * 3.4.2.2, so the node escapes them as JSON; attribute names must be attribute paths.
 */
import { equalsFilter, filterString, isAttributePath } from '../../../nodes/Scim/helpers/filter';

describe('filter values', () => {
	it.each([
		['plain@example.test', '"plain@example.test"'],
		['o"brien', '"o\\"brien"'],
		['back\\slash', '"back\\\\slash"'],
		['\\"', '"\\\\\\""'],
		['tab\there\nnew line', '"tab\\there\\nnew line"'],
		['\u0001', '"\\u0001"'],
		['Zoë Ñúñez 日本', '"Zoë Ñúñez 日本"'],
		['', '""'],
	])('%j is written as %s and reads back as itself', (value, literal) => {
		expect(filterString(value)).toBe(literal);
		expect(JSON.parse(filterString(value))).toBe(value);
	});

	it('builds attribute eq value, trimming the attribute', () => {
		expect(equalsFilter(' userName ', 'a"b\\c')).toBe('userName eq "a\\"b\\\\c"');
	});
});

describe('attribute paths', () => {
	it.each([
		'userName',
		'emails.value',
		'name.familyName',
		'members.$ref',
		'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber',
		'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value',
		'x-custom_1',
	])('%s is one', (path) => {
		expect(isAttributePath(path)).toBe(true);
	});

	it.each([
		'',
		'user name',
		'userName eq "x" or userName',
		'emails[type eq "work"].value',
		'name.given.name',
		'1abc',
		'"userName"',
	])('%j is not, and the filter builder refuses it', (path) => {
		expect(isAttributePath(path)).toBe(false);
		expect(() => equalsFilter(path, 'v')).toThrow(/is not a SCIM attribute name/);
	});
});
