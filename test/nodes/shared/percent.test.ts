import { percentText } from '../../../nodes/shared/percent';

describe('percentText', () => {
	it('gives one decimal, and more where one would round onto a whole number the share is not', () => {
		expect(percentText(8, 30)).toBe('26.7%');
		expect(percentText(60, 1000)).toBe('6%');
		expect(percentText(10_001, 50_000)).toBe('20.002%');
		expect(percentText(2_499, 50_000)).toBe('4.998%');
		expect(percentText(3, 0)).toBe('0%');
	});
});
