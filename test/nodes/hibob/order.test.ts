/**
 * Pure logic of the HiBob nodes (no HTTP): the employee ID order and the share of people or
 * values a poll may lose.
 */
import { compareEmployeeIds, sortByEmployeeId } from '../../../nodes/HiBob/helpers/order';
import { allowedLoss, refuseIncompleteAnswer } from '../../../nodes/HiBob/helpers/completeness';

describe('employee ID order', () => {
	it('puts numeric IDs in numeric order, beyond 2^53 too, then other IDs in plain string order', () => {
		const ids = [
			'b-2',
			'3648615268428731566',
			'10',
			'9',
			'A-1',
			'3002665903328529925',
			'9007199254740993',
			'9007199254740992',
			'a-1',
		];
		expect([...ids].sort(compareEmployeeIds)).toEqual([
			'9',
			'10',
			'9007199254740992',
			'9007199254740993',
			'3002665903328529925',
			'3648615268428731566',
			'A-1',
			'a-1',
			'b-2',
		]);
	});

	it('is a total order: every input order gives the same result, leading zeros included', () => {
		const ids = ['007', '7', '70', '0', '00', 'x', '7a', '10'];
		const expected = ['0', '00', '007', '7', '10', '70', '7a', 'x'];
		let seed = 11;
		for (let round = 0; round < 50; round++) {
			const shuffled = [...ids].sort(() => {
				seed = (seed * 16807) % 2147483647;
				return (seed % 3) - 1;
			});
			expect(shuffled.sort(compareEmployeeIds)).toEqual(expected);
		}
	});

	it('sorts employees by id (numbers accepted) and puts those without one last', () => {
		const sorted = sortByEmployeeId([{ id: '20' }, { name: 'no id' }, { id: 3 }, { id: '100' }]);
		expect(sorted).toEqual([{ id: 3 }, { id: '20' }, { id: '100' }, { name: 'no id' }]);
	});
});

describe('the share a poll may lose', () => {
	const snapshot = (count: number, values: Record<string, unknown> = {}) =>
		Object.fromEntries(
			Array.from({ length: count }, (_, i) => [
				String(i + 1),
				{ 'internal.status': 'Active', ...values },
			]),
		);
	const answer = (ids: number[], extra: Record<string, unknown> = {}) =>
		ids.map((id) => ({ id: String(id), internal: { status: 'Active' }, ...extra }));

	it('always allows one person, whatever the size and share', () => {
		expect(allowedLoss(3, 20)).toBe(1);
		expect(allowedLoss(80, 20)).toBe(16);
		expect(allowedLoss(80, 0)).toBe(1);
		expect(refuseIncompleteAnswer(snapshot(3), answer([1, 2]), [], 20)).toBeUndefined();
		expect(refuseIncompleteAnswer(snapshot(3), answer([1]), [], 20)?.message).toContain(
			'HiBob returned 1 of the 3 employees',
		);
	});

	it('refuses an empty answer after a non-empty snapshot even at 100 %, and nothing else then', () => {
		expect(refuseIncompleteAnswer(snapshot(5), [], [], 100)?.message).toContain(
			'HiBob returned no employees, after 5',
		);
		expect(refuseIncompleteAnswer(snapshot(5), answer([1]), [], 100)).toBeUndefined();
		expect(refuseIncompleteAnswer({}, [], [], 20)).toBeUndefined();
	});

	it('counts only values that were there and came back null, not fields left out', () => {
		const before = snapshot(10, { 'work.title': 'T1' });
		const fields = ['work.title'];
		const nulled = answer([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], { work: { title: null } });
		expect(refuseIncompleteAnswer(before, nulled, fields, 20)?.message).toContain(
			'no value for work.title for 10 of the 10 employees who had one',
		);
		const leftOut = answer([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
		expect(refuseIncompleteAnswer(before, leftOut, fields, 20)).toBeUndefined();
		const twoCleared = [
			...answer([1, 2], { work: { title: null } }),
			...answer([3, 4, 5, 6, 7, 8, 9, 10], { work: { title: 'T1' } }),
		];
		expect(refuseIncompleteAnswer(before, twoCleared, fields, 20)).toBeUndefined();
	});
});
