import { AppKeyIndex } from '../../nodes/ReconcileUsers/engine/keyIndex';

describe('AppKeyIndex (the match index over the app keys)', () => {
	it('finds every key at its first position, and nothing for unknown or empty keys', () => {
		// Enough keys that linear probing has to step over collisions.
		const keys = Array.from({ length: 20_000 }, (_, j) =>
			j % 7 === 0 ? '' : `user.${j}@example.com`,
		);
		const duplicates: string[] = [];
		const index = new AppKeyIndex(keys, (key) => duplicates.push(key));
		expect(duplicates).toEqual([]);
		for (let j = 0; j < keys.length; j++) {
			if (keys[j] !== '') expect(index.get(keys[j])).toBe(j);
		}
		expect(index.get('')).toBeUndefined();
		expect(index.get('user.7@example.com')).toBeUndefined();
		expect(index.get('nobody@example.com')).toBeUndefined();
	});

	it('keeps the first user of a duplicated key and reports each later one', () => {
		const keys = ['a', 'b', 'a', '', 'c', 'a', 'b', ''];
		const duplicates: string[] = [];
		const index = new AppKeyIndex(keys, (key) => duplicates.push(key));
		expect(duplicates).toEqual(['a', 'a', 'b']);
		expect(index.get('a')).toBe(0);
		expect(index.get('b')).toBe(1);
		expect(index.get('c')).toBe(4);
	});

	it('works for an empty app side and for non-Latin keys', () => {
		expect(new AppKeyIndex([], () => undefined).get('a')).toBeUndefined();
		const index = new AppKeyIndex(['zoë@example.com', '山田@example.jp', '😀'], () => undefined);
		expect(index.get('山田@example.jp')).toBe(1);
		expect(index.get('😀')).toBe(2);
		expect(index.get('zoe@example.com')).toBeUndefined();
	});
});
