import { splitList } from '../../../nodes/shared/lists';

describe('splitList', () => {
	it('splits text on new lines, commas and semicolons, trimmed, without empty values', () => {
		expect(splitList(' a, b;c\n\n d ,, ')).toEqual(['a', 'b', 'c', 'd']);
	});

	it('splits the values of an array (from an expression) by the same rule, nested arrays too', () => {
		expect(splitList(['a, b', ['c', ['d;e']], 7, null])).toEqual(['a', 'b', 'c', 'd', 'e', '7']);
		expect(splitList(['a', 'b'])).toEqual(splitList('a, b'));
	});

	it('keeps order and repeats, and gives nothing for nothing', () => {
		expect(splitList('b, a, b')).toEqual(['b', 'a', 'b']);
		expect(splitList(undefined)).toEqual([]);
		expect(splitList(null)).toEqual([]);
		expect(splitList('')).toEqual([]);
	});
});
