import {describe, expect, it} from 'vitest';
import {bracketOf, costOf, defaultBrackets} from '../../../../source/core/presets/brackets.js';
import {percentile, summarize} from '../../../../source/core/stats/stats.js';

describe('statistics', () => {
	it('interpolates linearly between closest ranks', () => {
		expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
		expect(percentile([10, 20, 30], 50)).toBe(20);
		expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBeCloseTo(9.55, 10);
		expect(percentile([7], 99)).toBe(7);
	});

	it('summarizes mean, median, p95, min and max; null without values', () => {
		expect(summarize([4, 1, 3, 2])).toMatchObject({mean: 2.5, median: 2.5, min: 1, max: 4});
		expect(summarize([4, 1, 3, 2])!.p95).toBeCloseTo(3.85, 10);
		expect(summarize([null, undefined])).toBeNull();
		expect(summarize([5, null])).toEqual({mean: 5, median: 5, p95: 5, min: 5, max: 5});
	});
});

describe('price brackets', () => {
	it('are inclusive at the top', () => {
		expect(bracketOf(0.01)).toBe('ultra-budget');
		expect(bracketOf(0.15)).toBe('ultra-budget');
		expect(bracketOf(0.150_001)).toBe('budget');
		expect(bracketOf(0.3)).toBe('budget');
		expect(bracketOf(0.31)).toBe('mid');
		expect(bracketOf(0.8)).toBe('mid');
		expect(bracketOf(0.81)).toBe('premium');
		expect(bracketOf(null)).toBeNull();
	});

	it('follow a preset override', () => {
		expect(bracketOf(0.2, {...defaultBrackets, ultraBudget: 0.2})).toBe('ultra-budget');
	});

	it('cost counts input only when both its price and count are known', () => {
		expect(costOf({inputPerM: null, outputPerM: 0.15}, 151, 14)).toBeCloseTo(0.000_022_65, 12);
		expect(costOf({inputPerM: 1, outputPerM: 2}, 100, 50)).toBeCloseTo(0.000_25, 12);
		expect(costOf({inputPerM: 1, outputPerM: null}, 100, 50)).toBeNull();
	});
});
