import {describe, expect, it} from 'vitest';
import {arrivalSchedule} from '../../../../source/core/load/arrivals.js';

const gapsOf = (offsets: readonly number[]) => offsets.slice(1).map((at, index) => at - offsets[index]!);

describe('arrival schedules', () => {
	it('poisson: exponential gaps whose mean and spread match the rate, for a seed', () => {
		const {offsetsMs} = arrivalSchedule({rate: 10, arrivals: 'poisson', seed: 7, durationMs: null, requests: 20_000});
		const gaps = gapsOf(offsetsMs);
		const mean = gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length;
		const sd = Math.sqrt(gaps.reduce((sum, gap) => sum + (gap - mean) ** 2, 0) / gaps.length);
		// An exponential distribution: mean = sd = 1/rate (100 ms); 20,000 draws put both within a few %.
		expect(mean).toBeGreaterThan(97);
		expect(mean).toBeLessThan(103);
		expect(sd / mean).toBeGreaterThan(0.95);
		expect(sd / mean).toBeLessThan(1.05);
		// Memoryless: about e^-1 of the gaps are longer than the mean.
		const longer = gaps.filter(gap => gap > 100).length / gaps.length;
		expect(longer).toBeGreaterThan(0.35);
		expect(longer).toBeLessThan(0.39);
	});

	it('is the same for the same seed and rate (every model gets the same arrivals), another for another seed', () => {
		const a = arrivalSchedule({rate: 2, arrivals: 'poisson', seed: 1, durationMs: 30_000, requests: null});
		const b = arrivalSchedule({rate: 2, arrivals: 'poisson', seed: 1, durationMs: 30_000, requests: null});
		const c = arrivalSchedule({rate: 2, arrivals: 'poisson', seed: 2, durationMs: 30_000, requests: null});
		expect(a).toEqual(b);
		expect(c.offsetsMs).not.toEqual(a.offsetsMs);
		expect(a.offsetsMs[0]).toBe(0);
		expect(a.offsetsMs.every(at => at < 30_000)).toBe(true);
	});

	it('constant: exactly every 1/rate s, inside the duration', () => {
		const {offsetsMs, durationMs} = arrivalSchedule({rate: 4, arrivals: 'constant', seed: 3, durationMs: 2000, requests: null});
		expect(offsetsMs).toEqual([0, 250, 500, 750, 1000, 1250, 1500, 1750]);
		expect(durationMs).toBe(2000);
	});

	it('--requests N: exactly N arrivals, the step lasting N gaps', () => {
		const constant = arrivalSchedule({rate: 5, arrivals: 'constant', seed: 3, durationMs: null, requests: 3});
		expect(constant).toEqual({offsetsMs: [0, 200, 400], durationMs: 600});
		const poisson = arrivalSchedule({rate: 5, arrivals: 'poisson', seed: 3, durationMs: null, requests: 50});
		expect(poisson.offsetsMs).toHaveLength(50);
		expect(poisson.durationMs).toBeGreaterThan(poisson.offsetsMs.at(-1)!);
	});
});
