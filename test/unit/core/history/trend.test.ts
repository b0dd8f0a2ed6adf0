import {describe, expect, it} from 'vitest';
import {sparkline, trendOf} from '../../../../source/core/history/trend.js';
import type {TrendRun} from '../../../../source/core/history/types.js';

const run = (raceId: string, startedAt: string, ttftMs: number, tokensPerSecond = 50): TrendRun => ({
	raceId,
	startedAt,
	ttftMs,
	ttfaMs: ttftMs + 5,
	tokensPerSecond,
});

/** `values` as the completed runs of one race. */
const race = (raceId: string, startedAt: string, values: readonly number[], tokensPerSecond = 50) =>
	values.map(value => run(raceId, startedAt, value, tokensPerSecond));

describe('trendOf', () => {
	it('takes the median and its interval per UTC day over every run of the day', () => {
		// 2026-05-01 23:30 in UTC is still the 1st; a race at 00:10 UTC on the 2nd is the 2nd.
		const trend = trendOf(
			[
				...race('a', '2026-05-01T08:00:00.000Z', [100, 140]),
				...race('b', '2026-05-01T23:30:00.000Z', [120]),
				...race('c', '2026-05-02T00:10:00.000Z', [300, 310, 320, 330]),
			],
			'day',
		);
		expect(trend.points.map(point => point.key)).toEqual(['2026-05-01', '2026-05-02']);
		// Day 1: 100 120 140 → median 120, 3 values → [min, max] at level 0.75.
		expect(trend.points[0]).toMatchObject({races: 2, runs: 3, ttftMs: {median: 120, ci: {lo: 100, hi: 140, level: 0.75}}});
		expect(trend.points[0]!.ttfaMs?.median).toBe(125);
		// Day 2: 300 310 320 330 → 315 (the mean of the two middle values).
		expect(trend.points[1]).toMatchObject({races: 1, runs: 4, ttftMs: {median: 315, ci: {lo: 300, hi: 330}}});
	});

	it('names a change beyond both intervals against the previous 7 days, and none within noise', () => {
		const before = [...race('a', '2026-05-01T10:00:00.000Z', [100, 102, 104, 106, 108]), ...race('b', '2026-05-03T10:00:00.000Z', [101, 103, 105, 107, 109])];
		// Baseline: 100…109 → median 104.5; interval of 10 values [x2, x9] = [101, 108].
		// The 5th: 146 148 150 152 154 → 150, interval [146, 154]: +43.5 % → "+44 %".
		const trend = trendOf([...before, ...race('c', '2026-05-05T10:00:00.000Z', [146, 148, 150, 152, 154])], 'day');
		expect(trend.changes).toHaveLength(2);
		expect(trend.changes[0]).toMatchObject({at: '2026-05-05', metric: 'ttftMs', from: 104.5, to: 150});
		expect(trend.changes[0]!.text).toBe('TTFT +44 % against the previous 7 days, beyond both intervals');
		// TTFA (TTFT + 5 here) moved with it; tok/s did not.
		expect(trend.changes.map(change => change.metric)).toEqual(['ttftMs', 'ttfaMs']);
		expect(trend.changes[1]!.text).toBe('TTFA +42 % against the previous 7 days, beyond both intervals');

		const quiet = trendOf([...before, ...race('c', '2026-05-05T10:00:00.000Z', [103, 105, 107])], 'day');
		expect(quiet.changes).toEqual([]);
	});

	it('forgets days more than 7 days back, and judges races against the previous 5 with --by race', () => {
		const old = race('old', '2026-04-01T10:00:00.000Z', [500, 510, 520]);
		const recent = race('new', '2026-05-01T10:00:00.000Z', [100, 101, 102]);
		expect(trendOf([...old, ...recent], 'day').changes).toEqual([]);
		const byRace = trendOf([...old, ...recent], 'race');
		expect(byRace.points.map(point => point.key)).toEqual(['old', 'new']);
		expect(byRace.changes[0]?.text).toBe('TTFT −80 % against the previous 5 races, beyond both intervals');
	});

	it('says nothing with fewer than 3 runs on a side', () => {
		expect(trendOf([...race('a', '2026-05-01T10:00:00.000Z', [100, 100]), ...race('b', '2026-05-02T10:00:00.000Z', [900, 900, 900])], 'day').changes).toEqual(
			[],
		);
	});

	it('names a tok/s drop', () => {
		const trend = trendOf(
			[...race('a', '2026-05-01T10:00:00.000Z', [100, 101, 102], 80), ...race('b', '2026-05-02T10:00:00.000Z', [100, 101, 102], 40)].map((entry, index) => ({
				...entry,
				tokensPerSecond: entry.tokensPerSecond! + (index % 3),
			})),
			'day',
		);
		expect(trend.changes.map(change => change.text)).toEqual(['tok/s −49 % against the previous 7 days, beyond both intervals']);
	});
});

describe('sparkline', () => {
	it('scales from the lowest to the highest value and leaves a gap where one is missing', () => {
		expect(sparkline([1, 8, null, 4.5])).toBe('▁█ ▅');
		expect(sparkline([5, 5])).toBe('▄▄');
		expect(sparkline([])).toBe('');
	});
});
