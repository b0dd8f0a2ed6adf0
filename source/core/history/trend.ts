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

/** A point's runs, as each metric's values (in run order). */
type Values = Record<TrendMetric, Array<number | null>>;

type Group = {readonly key: string; readonly startedAt: string; readonly races: Set<string>; readonly values: Values; runs: number};

function groupRuns(runs: readonly TrendRun[], by: TrendBy): Group[] {
	const groups = new Map<string, Group>();
	const sorted = [...runs].sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0));
	// A race's runs share its start: its day is worked out once, not once per run.
	let lastStart: string | undefined;
	let lastDay = '';
	for (const run of sorted) {
		if (by === 'day' && run.startedAt !== lastStart) {
			lastStart = run.startedAt;
			lastDay = dayOf(new Date(run.startedAt).toISOString());
		}

		const key = by === 'day' ? lastDay : run.raceId;
		let group = groups.get(key);
		if (!group) {
			group = {key, startedAt: run.startedAt, races: new Set(), values: {ttftMs: [], ttfaMs: [], tokensPerSecond: []}, runs: 0};
			groups.set(key, group);
		}

		group.races.add(run.raceId);
		group.runs++;
		for (const metric of trendMetrics) {
			group.values[metric].push(run[metric]);
		}
	}

	return [...groups.values()];
}

function statsOf(values: Values): Pick<TrendPoint, TrendMetric> {
	return {
		ttftMs: summarize(values.ttftMs, {ci: true}),
		ttfaMs: summarize(values.ttfaMs, {ci: true}),
		tokensPerSecond: summarize(values.tokensPerSecond, {ci: true}),
	};
}

/** The values of several groups together. */
function valuesOf(groups: readonly Group[]): Values {
	const of = (metric: TrendMetric) => {
		const all: Array<number | null> = [];
		for (const group of groups) {
			for (const value of group.values[metric]) {
				all.push(value);
			}
		}

		return all;
	};

	return {ttftMs: of('ttftMs'), ttfaMs: of('ttfaMs'), tokensPerSecond: of('tokensPerSecond')};
}

const daysBetween = (later: string, earlier: string) => (Date.parse(`${later}T00:00:00Z`) - Date.parse(`${earlier}T00:00:00Z`)) / 86_400_000;

/**
 * Where each point's baseline starts: the groups from there to the point are the previous 7 days' (by day)
 * or the previous 5 races' (by race). The groups are in time order, so a baseline is the run of groups just
 * before its point, and its start only moves forward (one pass, not every earlier group for every point).
 */
function baselineStarts(groups: readonly Group[], by: TrendBy): number[] {
	if (by === 'race') {
		return groups.map((_group, index) => Math.max(0, index - baselineRaces));
	}

	const starts: number[] = [];
	let start = 0;
	for (const here of groups) {
		while (daysBetween(here.key, groups[start]!.key) > baselineDays) {
			start++;
		}

		starts.push(start);
	}

	return starts;
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
		runs: group.runs,
		...statsOf(group.values),
	}));
	const changes: TrendChange[] = [];
	const starts = baselineStarts(groups, by);
	for (const [index, point] of points.entries()) {
		if (starts[index] === index) {
			continue;
		}

		const before = statsOf(valuesOf(groups.slice(starts[index], index)));
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
