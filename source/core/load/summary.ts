// A step's figures from its requests (docs/load.md "Per model and step"): exact percentiles from every
// request, queue-inclusive latencies, goodput and the SLO. Pure: the load transcript's columns in, numbers out.
import {percentileSorted} from '../stats/stats.js';
import type {ErrorKind} from '../types.js';
import {countMeetingSlo, itlsOf, judgeStep, tpotOf} from './slo.js';
import type {LatencyStat, LoadRequests, LoadStopReason, LoadSummary, SloTerm, SpeedStat} from './types.js';

const ascending = (a: number, b: number) => a - b;

/** The values sorted ascending and their mean; null for none. */
function sortedWithMean(values: readonly number[]): {sorted: number[]; mean: number} | null {
	if (values.length === 0) {
		return null;
	}

	const sorted = [...values].sort(ascending);
	let sum = 0;
	for (const value of sorted) {
		sum += value;
	}

	return {sorted, mean: sum / sorted.length};
}

/** p50/p90/p99/p999/max/mean of the values (linear interpolation between closest ranks); null for none. */
export function latencyStat(values: readonly number[]): LatencyStat | null {
	const all = sortedWithMean(values);
	if (!all) {
		return null;
	}

	const {sorted, mean} = all;
	return {
		p50: percentileSorted(sorted, 50),
		p90: percentileSorted(sorted, 90),
		p99: percentileSorted(sorted, 99),
		p999: percentileSorted(sorted, 99.9),
		max: sorted.at(-1)!,
		mean,
	};
}

/** Decode speeds: each percentile is the low tail (p99 = the speed 99 % of requests reach or exceed). */
export function speedStat(values: readonly number[]): SpeedStat | null {
	const all = sortedWithMean(values);
	if (!all) {
		return null;
	}

	const {sorted, mean} = all;
	return {
		p50: percentileSorted(sorted, 50),
		p90: percentileSorted(sorted, 10),
		p99: percentileSorted(sorted, 1),
		p999: percentileSorted(sorted, 0.1),
		min: sorted[0]!,
		mean,
	};
}

/** Most requests in flight at once, from each request's send and end. */
function maxInFlightOf(intervals: ReadonlyArray<readonly [number, number]>): number {
	const events: Array<[number, number]> = [];
	for (const [start, end] of intervals) {
		events.push([start, 1], [end, -1]);
	}

	// Ends before starts at the same instant: a slot freed and taken is not two in flight.
	events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	let current = 0;
	let most = 0;
	for (const [, change] of events) {
		current += change;
		most = Math.max(most, current);
	}

	return most;
}

/** The step's summary, from its requests alone (a reader of the transcript gets the same numbers). */
export function summarizeStep(
	requests: LoadRequests,
	options: {readonly rate: number; readonly durationMs: number; readonly slo: readonly SloTerm[]; readonly stopped: LoadStopReason | null},
): LoadSummary {
	const ttft: number[] = [];
	const ttfa: number[] = [];
	const e2e: number[] = [];
	const queue: number[] = [];
	const itl: number[] = [];
	const tpot: number[] = [];
	const tps: number[] = [];
	const failedByKind: Partial<Record<ErrorKind, number>> = {};
	const intervals: Array<readonly [number, number]> = [];
	let completed = 0;
	let failed = 0;
	let sent = 0;
	let outputTokens = 0;
	let lastEnd = 0;
	for (let index = 0; index < requests.status.length; index++) {
		const queueMs = requests.queueMs[index];
		if (queueMs === null || queueMs === undefined) {
			continue;
		}

		sent++;
		queue.push(queueMs);
		const sendAt = requests.scheduledMs[index]! + queueMs;
		const endAt = sendAt + (requests.e2eMs[index] ?? 0);
		intervals.push([sendAt, endAt]);
		lastEnd = Math.max(lastEnd, endAt);
		outputTokens += requests.outputTokens[index] ?? 0;
		if (requests.status[index] !== 'ok') {
			failed++;
			const kind = requests.errorKind[index] ?? 'aborted';
			failedByKind[kind] = (failedByKind[kind] ?? 0) + 1;
			continue;
		}

		completed++;
		const add = (into: number[], value: number | null | undefined) => {
			if (value !== null && value !== undefined) {
				into.push(queueMs + value);
			}
		};

		add(ttft, requests.ttftMs[index]);
		add(ttfa, requests.ttfaMs[index]);
		add(e2e, requests.e2eMs[index]);
		itl.push(...itlsOf(requests, index));
		const requestTpot = tpotOf(requests, index);
		if (requestTpot !== null) {
			tpot.push(requestTpot);
		}

		const speed = requests.tokensPerSecond?.[index];
		if (speed !== null && speed !== undefined) {
			tps.push(speed);
		}
	}

	// Goodput, the pass share and the step's verdict come from core/load/slo.ts alone.
	const passing = countMeetingSlo(requests, options.slo);
	const spanSeconds = lastEnd / 1000;
	const perSecond = (count: number) => (spanSeconds > 0 ? count / spanSeconds : 0);
	return {
		ttftMs: latencyStat(ttft),
		ttfaMs: latencyStat(ttfa),
		itlMs: latencyStat(itl),
		tpotMs: latencyStat(tpot),
		e2eMs: latencyStat(e2e),
		queueMs: latencyStat(queue),
		tokensPerSecond: speedStat(tps),
		offeredRate: options.rate,
		achievedRate: options.durationMs > 0 ? sent / (options.durationMs / 1000) : 0,
		completed,
		failed,
		failedByKind,
		throughput: perSecond(completed),
		outputTokensPerSecond: perSecond(outputTokens),
		maxInFlight: maxInFlightOf(intervals),
		goodput: perSecond(passing),
		sloPass: sent > 0 ? passing / sent : 0,
		meetsSlo: judgeStep(requests, options.stopped, options.slo),
	};
}
