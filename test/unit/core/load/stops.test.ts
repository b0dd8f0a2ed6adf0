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
		// One arrival every 100 ms, served at two thirds of that: arrival a is sent at 1.5 a, so the queue keeps growing.
		const scheduledMs = Array.from({length: 120}, (_, index) => index * 100);
		const at = (index: number) => scheduledMs[index]!;
		const growing = (nowMs: number) => (index: number) => (1.5 * at(index) <= nowMs ? 1.5 * at(index) : null);
		expect(isSaturated({ended: 50, nowMs: 12_000, scheduledMs, sentMs: growing(12_000)})).toBe(true);
		expect(isSaturated({ended: 19, nowMs: 12_000, scheduledMs, sentMs: growing(12_000)})).toBe(false);
		// Not before 10 s: there is no last 5 s apart from the first.
		expect(isSaturated({ended: 50, nowMs: 9000, scheduledMs, sentMs: growing(9000)})).toBe(false);
		// A steady 1.5 s queue from the start is long, but not growing.
		const steady = (index: number) => (at(index) + 1500 <= 12_000 ? at(index) + 1500 : null);
		expect(isSaturated({ended: 50, nowMs: 12_000, scheduledMs, sentMs: steady})).toBe(false);
		// A server that stopped answering after 5 s: nothing sent since, the waiting arrivals count with the time waited.
		expect(isSaturated({ended: 50, nowMs: 12_000, scheduledMs, sentMs: index => (at(index) < 5000 ? at(index) : null)})).toBe(true);
		// The same, but the thread that sends has not said yet what became of those arrivals (its coordinator is
		// behind it): not known to wait, not counted.
		expect(isSaturated({ended: 50, nowMs: 12_000, scheduledMs, sentMs: index => (at(index) < 5000 ? at(index) : undefined)})).toBe(false);
	});

	it('the cost budget never reserves past its limit, across copies over one memory', () => {
		const budget = costBudget(0.001);
		const other = costBudget(0.001, budget.memory);
		expect([budget.trySpend(0.0004), other.trySpend(0.0004), budget.trySpend(0.0004)]).toEqual([true, true, false]);
		expect(other.spentUSD()).toBeCloseTo(0.0008, 12);
	});
});
