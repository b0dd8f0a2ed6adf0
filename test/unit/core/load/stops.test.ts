import {describe, expect, it} from 'vitest';
import {failureStop, isSaturated} from '../../../../source/core/load/stops.js';
import {costBudget} from '../../../../source/core/load/budget.js';

describe('early stops', () => {
	it('errors over 10 %, 429s over 5 %, only once 20 requests ended', () => {
		expect(failureStop(19, 19, 19)).toBeNull();
		expect(failureStop(20, 2, 0)).toBeNull();
		expect(failureStop(20, 3, 0)).toBe('errors');
		expect(failureStop(20, 1, 1)).toBeNull();
		expect(failureStop(20, 2, 2)).toBe('rate_limit');
	});

	it('saturated: the last 5 s queue over 1 s and over twice the first 5 s', () => {
		// One arrival every 100 ms; each waits 50 ms × its second: the queue keeps growing.
		const scheduledMs = Array.from({length: 120}, (_, index) => index * 100);
		const growing = (index: number) => Math.floor(scheduledMs[index]! / 1000) * 250;
		expect(isSaturated({ended: 100, nowMs: 12_000, scheduledMs, queueMs: growing})).toBe(true);
		expect(isSaturated({ended: 19, nowMs: 12_000, scheduledMs, queueMs: growing})).toBe(false);
		// A steady 1.5 s queue from the start is long, but not growing.
		expect(isSaturated({ended: 100, nowMs: 12_000, scheduledMs, queueMs: () => 1500})).toBe(false);
		// Requests still waiting count with the time waited so far.
		expect(isSaturated({ended: 100, nowMs: 12_000, scheduledMs, queueMs: index => (scheduledMs[index]! < 5000 ? 0 : null)})).toBe(true);
	});

	it('the cost budget never reserves past its limit, across copies over one memory', () => {
		const budget = costBudget(0.001);
		const other = costBudget(0.001, budget.memory);
		expect([budget.trySpend(0.0004), other.trySpend(0.0004), budget.trySpend(0.0004)]).toEqual([true, true, false]);
		expect(other.spentUSD()).toBeCloseTo(0.0008, 12);
	});
});
