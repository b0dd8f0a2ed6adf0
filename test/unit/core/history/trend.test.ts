import {describe, expect, it} from 'vitest';
import {differenceIsReal} from '../../../../source/core/stats/photo-finish.js';
import {summarize} from '../../../../source/core/stats/stats.js';
import {baselineDays, baselineRaces, sparkline, trendMetrics, trendOf, type TrendBy} from '../../../../source/core/history/trend.js';
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

/**
 * The trend's changes as docs/history.md words them, worked the plain way: for every point, every earlier
 * point within 7 days (or the 5 races before it), every run of them summarised anew.
 */
function changesWorkedPlainly(runs: readonly TrendRun[], by: TrendBy): Array<[string, string, number, number]> {
	const keyOf = (run: TrendRun) => (by === 'day' ? run.startedAt.slice(0, 10) : run.raceId);
	const keys = [...new Set(runs.map(run => keyOf(run)))];
	const day = (key: string) => Date.parse(`${key}T00:00:00Z`) / 86_400_000;
	const found: Array<[string, string, number, number]> = [];
	for (const [index, key] of keys.entries()) {
		const earlier = keys.slice(0, index);
		const chosen = by === 'day' ? earlier.filter(other => day(key) - day(other) <= baselineDays) : earlier.slice(-baselineRaces);
		const here = runs.filter(run => keyOf(run) === key);
		const before = runs.filter(run => chosen.includes(keyOf(run)));
		for (const metric of trendMetrics) {
			const from = summarize(
				before.map(run => run[metric]),
				{ci: true},
			);
			const to = summarize(
				here.map(run => run[metric]),
				{ci: true},
			);
			if (from && to && from.median !== 0 && differenceIsReal(from, to) === true) {
				found.push([key, metric, from.median, to.median]);
			}
		}
	}

	return found;
}

describe('trendOf over a long, uneven history', () => {
	// 400 races over ~6 months, 0–3 a day with gaps of days, 1–6 runs each, a step up in TTFT at race 150
	// and a step down in tok/s at race 300: the changes found are those worked the plain way.
	let seed = 7;
	const random = () => {
		seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
		return seed / 2_147_483_648;
	};

	const runs: TrendRun[] = [];
	let time = Date.parse('2026-01-01T06:00:00.000Z');
	for (let index = 0; index < 400; index++) {
		time += Math.floor(random() * 3 * 86_400_000 * (random() < 0.1 ? 4 : 0.4));
		const startedAt = new Date(time).toISOString();
		const count = 1 + Math.floor(random() * 6);
		for (let runIndex = 0; runIndex < count; runIndex++) {
			const ttftMs = (index >= 150 ? 180 : 100) + Math.floor(random() * 30);
			const tokensPerSecond = (index >= 300 ? 40 : 70) + Math.floor(random() * 8);
			runs.push({raceId: `race-${index}`, startedAt, ttftMs, ttfaMs: random() < 0.05 ? null : ttftMs + 3, tokensPerSecond});
		}
	}

	for (const by of ['day', 'race'] as const) {
		it(`finds the changes the plain way finds, by ${by}`, () => {
			const plain = changesWorkedPlainly(runs, by);
			expect(plain.length).toBeGreaterThan(0);
			expect(trendOf(runs, by).changes.map(change => [change.at, change.metric, change.from, change.to])).toEqual(plain);
		});
	}
});

describe('sparkline', () => {
	it('scales from the lowest to the highest value and leaves a gap where one is missing', () => {
		expect(sparkline([1, 8, null, 4.5])).toBe('▁█ ▅');
		expect(sparkline([5, 5])).toBe('▄▄');
		expect(sparkline([])).toBe('');
	});
});
