// A model's trend across stored races (docs/history.md "Trends"): per UTC day (or per race) the median
// TTFT, TTFA and tok/s of its completed timed runs with the interval of each median (core/stats/ci.ts),
// and each change beyond noise named. Pure.
import {differenceIsReal} from '../stats/photo-finish.js';
import {medianIntervalSorted, medianRanks, minimumCiValues} from '../stats/ci.js';
import {percentileSorted, round} from '../stats/stats.js';
import type {Stat} from '../types.js';
import type {TrendRace, TrendRun} from './types.js';

export type TrendBy = 'day' | 'race';

export const trendMetrics = ['ttftMs', 'ttfaMs', 'tokensPerSecond'] as const;
export type TrendMetric = (typeof trendMetrics)[number];

export const metricLabels: Record<TrendMetric, string> = {ttftMs: 'TTFT', ttfaMs: 'TTFA', tokensPerSecond: 'tok/s'};

/**
 * A point's figure of one metric: the median of its runs and the median's interval (with 3 runs or more), as
 * `summarize` computes them (core/stats/stats.ts). Only these are shown (table, sparkline, JSON) and judged;
 * the mean, p95, min and max are not worked out for a thousand points nobody reads them from.
 */
export type TrendStat = Pick<Stat, 'median' | 'ci'>;

export type TrendPoint = {
	/** The UTC day (YYYY-MM-DD), or the race's id with `--by race`. */
	readonly key: string;
	/** The first race's start in this point. */
	readonly startedAt: string;
	readonly races: number;
	readonly runs: number;
	readonly ttftMs: TrendStat | null;
	readonly ttfaMs: TrendStat | null;
	readonly tokensPerSecond: TrendStat | null;
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

/** The UTC day of an ISO time: its first 10 characters when it is written in UTC (…Z), as stored times are. */
const dayOf = (iso: string) => (iso.length >= 20 && iso[10] === 'T' && iso.endsWith('Z') ? iso.slice(0, 10) : new Date(iso).toISOString().slice(0, 10));

/** A point's runs, as each metric's finite values, sorted. */
type Values = Record<TrendMetric, ArrayLike<number>>;

type Group = {readonly key: string; readonly startedAt: string; readonly races: number; readonly runs: number; readonly values: Values};

const finite = (value: number | null): value is number => value !== null && Number.isFinite(value);

function groupRaces(races: readonly TrendRace[], by: TrendBy): Group[] {
	type Open = {key: string; startedAt: string; races: Set<string>; runs: number; values: Record<TrendMetric, number[]>};
	const groups = new Map<string, Open>();
	const sorted = [...races].sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0));
	for (const race of sorted) {
		const key = by === 'day' ? dayOf(race.startedAt) : race.raceId;
		let group = groups.get(key);
		if (!group) {
			group = {key, startedAt: race.startedAt, races: new Set(), runs: 0, values: {ttftMs: [], ttfaMs: [], tokensPerSecond: []}};
			groups.set(key, group);
		}

		group.races.add(race.raceId);
		group.runs += race.ttftMs.length;
		for (const metric of trendMetrics) {
			const values = group.values[metric];
			for (const value of race[metric]) {
				if (finite(value)) {
					values.push(value);
				}
			}
		}
	}

	return [...groups.values()].map(group => ({...group, races: group.races.size, values: sortedValues(group.values)}));
}

const sortedValues = (values: Record<TrendMetric, number[]>): Values => {
	// A typed array sorts numbers natively (no comparator called per pair): the same order, several times
	// faster for a day's runs; a race's few runs are sorted in place (a typed array costs more to make).
	const sorted = (list: number[]) => (list.length > 16 ? Float64Array.from(list).sort() : list.sort((a, b) => a - b));
	return {ttftMs: sorted(values.ttftMs), ttfaMs: sorted(values.ttfaMs), tokensPerSecond: sorted(values.tokensPerSecond)};
};

/** A point's runs gathered by the store (`history <model>` per day: the database groups them). */
export type TrendGroup = {
	/** The UTC day, or the race's id. */
	readonly key: string;
	/** The first race's start. */
	readonly startedAt: string;
	readonly races: number;
	readonly runs: number;
	readonly ttftMs: ReadonlyArray<number | null>;
	readonly ttfaMs: ReadonlyArray<number | null>;
	readonly tokensPerSecond: ReadonlyArray<number | null>;
};

/**
 * Each gathered point's finite values of one metric, sorted, as views of one typed array: `every` and
 * `filter` with the built-in `Number.isFinite`, `set` and the typed array's own sort run no JavaScript per
 * value, and one buffer for every point spares the garbage collector a thousand small ones — both matter in
 * a short-lived process whose JavaScript is still interpreted (docs/history.md "Cost").
 */
function sortedFinite(lists: ReadonlyArray<ReadonlyArray<number | null>>): Float64Array[] {
	const finiteLists = lists.map(values => (values.every(Number.isFinite) ? values : values.filter(Number.isFinite)) as readonly number[]);
	const all = new Float64Array(finiteLists.reduce((total, values) => total + values.length, 0));
	let offset = 0;
	return finiteLists.map(values => {
		all.set(values, offset);
		const view = all.subarray(offset, offset + values.length).sort();
		offset += values.length;
		return view;
	});
}

/** `trendOf`, from points the store already gathered (in time order, each a UTC day or a race). */
export function trendOfGroups(gathered: readonly TrendGroup[], by: TrendBy): Trend {
	const ttftMs = sortedFinite(gathered.map(group => group.ttftMs));
	const ttfaMs = sortedFinite(gathered.map(group => group.ttfaMs));
	const tokensPerSecond = sortedFinite(gathered.map(group => group.tokensPerSecond));
	return trendOfGrouped(
		gathered.map((group, index) => ({
			key: group.key,
			startedAt: group.startedAt,
			races: group.races,
			runs: group.runs,
			values: {ttftMs: ttftMs[index]!, ttfaMs: ttfaMs[index]!, tokensPerSecond: tokensPerSecond[index]!},
		})),
		by,
	);
}

/** The median and its interval of values already sorted, by the very functions `summarize` uses; null for none. */
function trendStat(sorted: ArrayLike<number>): TrendStat | null {
	if (sorted.length === 0) {
		return null;
	}

	const median = percentileSorted(sorted, 50);
	const ci = medianIntervalSorted(sorted);
	return ci ? {median, ci} : {median};
}

function statsOf(values: Values): Pick<TrendPoint, TrendMetric> {
	return {ttftMs: trendStat(values.ttftMs), ttfaMs: trendStat(values.ttfaMs), tokensPerSecond: trendStat(values.tokensPerSecond)};
}

/**
 * The values at the given ranks (0-based, ascending, repeats allowed) of several sorted lists taken
 * together, found by walking them side by side up to the last rank: no list is merged or copied.
 */
function valuesAtRanks(lists: ReadonlyArray<ArrayLike<number>>, ranks: readonly number[]): number[] {
	const heads = new Array<number>(lists.length).fill(0);
	const found: number[] = [];
	let next = 0;
	for (let rank = 0; next < ranks.length; rank++) {
		let smallest = -1;
		let value = 0;
		for (let index = 0; index < lists.length; index++) {
			const list = lists[index]!;
			const head = heads[index]!;
			if (head < list.length && (smallest === -1 || list[head]! < value)) {
				smallest = index;
				value = list[head]!;
			}
		}

		heads[smallest]!++;
		while (next < ranks.length && ranks[next] === rank) {
			found.push(value);
			next++;
		}
	}

	return found;
}

/**
 * A baseline's median and its interval — all a change is judged by — over several groups' sorted lists:
 * only the values at the ranks those two read are found, and handed to the very functions `summarize` uses
 * (percentileSorted, medianIntervalSorted), so the figures are the ones a sort of every value would give.
 */
function baselineOf(lists: ReadonlyArray<ArrayLike<number>>): Pick<Stat, 'median' | 'ci'> | null {
	const count = lists.reduce((total, list) => total + list.length, 0);
	if (count === 0) {
		return null;
	}

	const middle = 0.5 * (count - 1);
	const interval = medianRanks(count);
	const ranks = [Math.floor(middle), Math.ceil(middle), ...(interval ? [interval.lower - 1, interval.upper - 1] : [])].sort((a, b) => a - b);
	const values = valuesAtRanks(lists, ranks);
	// The sorted values, as far as these two read them.
	const sorted: {length: number; [rank: number]: number} = {length: count};
	for (const [index, rank] of ranks.entries()) {
		sorted[rank] = values[index]!;
	}

	const ci = medianIntervalSorted(sorted);
	return ci ? {median: percentileSorted(sorted, 50), ci} : {median: percentileSorted(sorted, 50)};
}

/** How many values of a sorted list are below `value` (`orEqual`: at most `value`). */
function countBelow(list: ArrayLike<number>, value: number, orEqual: boolean): number {
	let low = 0;
	let high = list.length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (list[middle]! < value || (orEqual && list[middle] === value)) {
			low = middle + 1;
		} else {
			high = middle;
		}
	}

	return low;
}

/**
 * Whether the baseline's median surely lies within the point's interval [lo, hi] — then no change can be
 * named (`differenceIsReal` wants it outside), and the baseline need not be summarised. Exact: the median
 * is between the values at ranks ⌊m⌋ and ⌈m⌉ (m = (n − 1) / 2); when no more than ⌊m⌋ values are below lo
 * and no more than n − 1 − ⌈m⌉ above hi, both are within [lo, hi]. Most points of a steady model end here.
 */
function medianSurelyWithin(lists: ReadonlyArray<ArrayLike<number>>, count: number, lo: number, hi: number): boolean {
	let below = 0;
	let above = 0;
	for (const list of lists) {
		below += countBelow(list, lo, false);
		above += list.length - countBelow(list, hi, true);
	}

	const middle = 0.5 * (count - 1);
	return below <= Math.floor(middle) && above <= count - 1 - Math.ceil(middle);
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
	return trendOfRaces(
		runs.map(run => ({raceId: run.raceId, startedAt: run.startedAt, ttftMs: [run.ttftMs], ttfaMs: [run.ttfaMs], tokensPerSecond: [run.tokensPerSecond]})),
		by,
	);
}

/** `trendOf`, from each race's runs together (as the store keeps them: no run is a record of its own). */
export function trendOfRaces(races: readonly TrendRace[], by: TrendBy): Trend {
	return trendOfGrouped(groupRaces(races, by), by);
}

function trendOfGrouped(groups: readonly Group[], by: TrendBy): Trend {
	const against = by === 'day' ? `the previous ${baselineDays} days` : `the previous ${baselineRaces} races`;
	const points: TrendPoint[] = groups.map(group => ({
		key: group.key,
		startedAt: group.startedAt,
		races: group.races,
		runs: group.runs,
		...statsOf(group.values),
	}));
	const changes: TrendChange[] = [];
	const starts = baselineStarts(groups, by);
	for (const [index, point] of points.entries()) {
		if (starts[index] === index) {
			continue;
		}

		const window = groups.slice(starts[index], index);
		for (const metric of trendMetrics) {
			const to = point[metric];
			const lists = window.map(group => group.values[metric]);
			const count = lists.reduce((total, list) => total + list.length, 0);
			// Without an interval on either side nothing can be said (differenceIsReal: null).
			if (!to?.ci || count < minimumCiValues || medianSurelyWithin(lists, count, to.ci.lo, to.ci.hi)) {
				continue;
			}

			const from = baselineOf(lists);
			if (!from || from.median === 0 || differenceIsReal(from, to) !== true) {
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
