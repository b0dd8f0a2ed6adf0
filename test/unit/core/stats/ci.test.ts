import {describe, expect, it} from 'vitest';
import {medianIntervalSorted, medianRanks} from '../../../../source/core/stats/ci.js';
import {summarize} from '../../../../source/core/stats/stats.js';

// Coverage of [x(k), x(n−k+1)] is P(k ≤ B ≤ n−k) for B ~ Binomial(n, 1/2) = 1 − 2·(C(n,0) + … + C(n,k−1)) / 2ⁿ.
// The intervals below are worked out by hand from the binomial coefficients, not from the code.

describe('the confidence interval of the median', () => {
	it('n = 3: [min, max], coverage 1 − 2·1/8 = 0.75 (too few runs for 0.95)', () => {
		expect(medianRanks(3)).toEqual({lower: 1, upper: 3, level: 0.75});
		expect(medianIntervalSorted([120, 131, 150])).toEqual({lo: 120, hi: 150, level: 0.75});
	});

	it('n = 4: [min, max] at 1 − 2/16 = 0.875', () => {
		expect(medianRanks(4)).toEqual({lower: 1, upper: 4, level: 0.875});
	});

	it('n = 5: [min, max] at 1 − 2/32 = 0.9375', () => {
		expect(medianRanks(5)).toEqual({lower: 1, upper: 5, level: 0.9375});
		expect(medianIntervalSorted([1, 2, 3, 4, 5])).toEqual({lo: 1, hi: 5, level: 0.9375});
	});

	it('n = 6: [min, max] reaches 0.95 (1 − 2/64 = 0.96875); ranks 2..5 would only cover 1 − 2·7/64 = 0.78125', () => {
		expect(medianRanks(6)).toEqual({lower: 1, upper: 6, level: 0.968_75});
	});

	it('n = 10: ranks 2..9 at 1 − 2·(1 + 10)/1024 = 0.978515625 (ranks 3..8: 1 − 2·56/1024 = 0.890625 < 0.95)', () => {
		expect(medianRanks(10)).toEqual({lower: 2, upper: 9, level: 1 - 22 / 1024});
		const values = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
		expect(medianIntervalSorted(values)).toEqual({lo: 11, hi: 18, level: 0.978_515_625});
	});

	it('n = 20: ranks 6..15 at 1 − 2·21700/2²⁰ ≈ 0.9586 (ranks 7..14: 1 − 2·60460/2²⁰ ≈ 0.8847 < 0.95)', () => {
		// C(20, 0..5) = 1, 20, 190, 1140, 4845, 15504: sum 21700; C(20, 6) = 38760.
		const ranks = medianRanks(20)!;
		expect([ranks.lower, ranks.upper]).toEqual([6, 15]);
		expect(ranks.level).toBeCloseTo(1 - (2 * 21_700) / 1_048_576, 12);
		expect(ranks.level).toBeCloseTo(0.958_610_5, 6);
		const values = Array.from({length: 20}, (_, index) => 100 + index * 5);
		const ci = medianIntervalSorted(values)!;
		expect([ci.lo, ci.hi]).toEqual([125, 170]);
	});

	it('none below 3 values', () => {
		expect(medianRanks(2)).toBeNull();
		expect(medianIntervalSorted([1, 2])).toBeNull();
		expect(medianIntervalSorted([])).toBeNull();
	});

	it('always holds the median, narrows as runs grow, and stays exact for many runs', () => {
		let previousWidth = Number.POSITIVE_INFINITY;
		for (const n of [20, 50, 100, 400, 2000]) {
			const ranks = medianRanks(n)!;
			expect(ranks.level).toBeGreaterThanOrEqual(0.95);
			expect(ranks.lower).toBeLessThanOrEqual((n + 1) / 2);
			expect(ranks.upper).toBeGreaterThanOrEqual((n + 1) / 2);
			const width = (ranks.upper - ranks.lower) / n;
			expect(width).toBeLessThan(previousWidth);
			previousWidth = width;
		}

		// n = 100: the textbook ranks 40..61 (coverage 0.9648).
		expect(medianRanks(100)).toMatchObject({lower: 40, upper: 61});
		expect(medianRanks(100)!.level).toBeCloseTo(0.9648, 4);
	});
});

describe('summarize with ci', () => {
	it('adds the interval from 3 values on, only when asked', () => {
		expect(summarize([150, 120, 131], {ci: true})!.ci).toEqual({lo: 120, hi: 150, level: 0.75});
		expect(summarize([150, 120, 131])!.ci).toBeUndefined();
		expect(summarize([150, 120], {ci: true})!.ci).toBeUndefined();
		// Sorted first; nulls left out.
		expect(summarize([19, null, 10, 18, 11, 17, 12, 16, 13, 15, 14], {ci: true})!.ci).toEqual({lo: 11, hi: 18, level: 0.978_515_625});
	});
});
