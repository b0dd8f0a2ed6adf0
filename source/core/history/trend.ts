// A model's trend across stored races (docs/history.md "Trends"): per UTC day (or per race) the median
// TTFT, TTFA and tok/s of its completed timed runs with the interval of each median (core/stats/ci.ts),
// and each change beyond noise named. Pure.
import {differenceIsReal} from '../stats/photo-finish.js';
import {round, summarize} from '../stats/stats.js';
import type {Stat} from '../types.js';
import type {TrendRun} from './types.js';

export type TrendBy = 'day' | 'race';

export const trendMetrics = ['ttftMs', 'ttfaMs', 'tokensPerSecond'] as const;
export type TrendMetric = (typeof trendMetrics)[number];

export const metricLabels: Record<TrendMetric, string> = {ttftMs: 'TTFT', ttfaMs: 'TTFA', tokensPerSecond: 'tok/s'};

export type TrendPoint = {
	/** The UTC day (YYYY-MM-DD), or the race's id with `--by race`. */
	readonly key: string;
	/** The first race's start in this point. */
	readonly startedAt: string;
	readonly races: number;
	readonly runs: number;
	readonly ttftMs: Stat | null;
	readonly ttfaMs: Stat | null;
	readonly tokensPerSecond: Stat | null;
};

export type TrendChange = {
	/** The point where it changed (its key). */
	readonly at: string;
	readonly metric: TrendMetric;
	/** The median before (the baseline's) and at the point. */
	readonly from: number;
	readonly to: number;
	readonly percent: number;
	/** What the point is compared with: "the previous 7 days" or "the previous 5 races". */
	readonly against: string;
	/** The sentence: "TTFT +42 % against the previous 7 days, beyond both intervals". */
	readonly text: string;
};

export type Trend = {
	readonly by: TrendBy;
	readonly points: readonly TrendPoint[];
	readonly changes: readonly TrendChange[];
};

/** Days before a point that make its baseline (by day), races before it (by race). */
export const baselineDays = 7;
export const baselineRaces = 5;

const dayOf = (iso: string) => iso.slice(0, 10);

type Group = {readonly key: string; readonly startedAt: string; readonly races: Set<string>; readonly runs: TrendRun[]};

function groupRuns(runs: readonly TrendRun[], by: TrendBy): Group[] {
	const groups = new Map<string, Group>();
	const sorted = [...runs].sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0));
	for (const run of sorted) {
		const key = by === 'day' ? dayOf(new Date(run.startedAt).toISOString()) : run.raceId;
		let group = groups.get(key);
		if (!group) {
			group = {key, startedAt: run.startedAt, races: new Set(), runs: []};
			groups.set(key, group);
		}

		group.races.add(run.raceId);
		group.runs.push(run);
	}

	return [...groups.values()];
}

function statsOf(runs: readonly TrendRun[]): Pick<TrendPoint, TrendMetric> {
	return {
		ttftMs: summarize(
			runs.map(run => run.ttftMs),
			{ci: true},
		),
		ttfaMs: summarize(
			runs.map(run => run.ttfaMs),
			{ci: true},
		),
		tokensPerSecond: summarize(
			runs.map(run => run.tokensPerSecond),
			{ci: true},
		),
	};
}

const daysBetween = (later: string, earlier: string) => (Date.parse(`${later}T00:00:00Z`) - Date.parse(`${earlier}T00:00:00Z`)) / 86_400_000;

/** The runs a point is judged against: the previous 7 days' (by day) or the previous 5 races' (by race). */
function baselineOf(groups: readonly Group[], index: number, by: TrendBy): TrendRun[] {
	const here = groups[index]!;
	const before = groups.slice(0, index);
	const chosen = by === 'day' ? before.filter(group => daysBetween(here.key, group.key) <= baselineDays) : before.slice(-baselineRaces);
	return chosen.flatMap(group => group.runs);
}

function signed(percent: number): string {
	const shown = round(percent, 0);
	return `${shown > 0 ? '+' : shown < 0 ? '−' : '±'}${Math.abs(shown)} %`;
}

/**
 * The trend of one model's runs. A change is named where a point's median and its baseline's median each
 * lie outside the other's interval (core/stats/photo-finish.ts `differenceIsReal`): both need 3 or more runs.
 */
export function trendOf(runs: readonly TrendRun[], by: TrendBy): Trend {
	const groups = groupRuns(runs, by);
	const against = by === 'day' ? `the previous ${baselineDays} days` : `the previous ${baselineRaces} races`;
	const points: TrendPoint[] = groups.map(group => ({
		key: group.key,
		startedAt: group.startedAt,
		races: group.races.size,
		runs: group.runs.length,
		...statsOf(group.runs),
	}));
	const changes: TrendChange[] = [];
	for (const [index, point] of points.entries()) {
		const baseline = baselineOf(groups, index, by);
		if (baseline.length === 0) {
			continue;
		}

		const before = statsOf(baseline);
		for (const metric of trendMetrics) {
			const from = before[metric];
			const to = point[metric];
			if (!from || !to || from.median === 0 || differenceIsReal(from, to) !== true) {
				continue;
			}

			const percent = ((to.median - from.median) / from.median) * 100;
			changes.push({
				at: point.key,
				metric,
				from: from.median,
				to: to.median,
				percent,
				against,
				text: `${metricLabels[metric]} ${signed(percent)} against ${against}, beyond both intervals`,
			});
		}
	}

	return {by, points, changes};
}

const bars = '▁▂▃▄▅▆▇█';

/** One character per value, scaled between the smallest and the largest; a gap where a value is missing. */
export function sparkline(values: ReadonlyArray<number | null>): string {
	const present = values.filter((value): value is number => value !== null && Number.isFinite(value));
	if (present.length === 0) {
		return '';
	}

	const low = Math.min(...present);
	const span = Math.max(...present) - low;
	return values
		.map(value => (value === null || !Number.isFinite(value) ? ' ' : bars[span === 0 ? 3 : Math.round(((value - low) / span) * (bars.length - 1))]!))
		.join('');
}
