// A step's figures from its requests (docs/load.md "Per model and step"): exact percentiles from every
// request, queue-inclusive latencies, goodput and the SLO. Pure: the load transcript's columns in, numbers out.
import {percentileSorted} from '../stats/stats.js';
import type {ErrorKind} from '../types.js';
import {meetsBound, percentileOf} from './slo.js';
import type {LatencyStat, LoadRequests, LoadSummary, SloTerm, SpeedStat} from './types.js';

const ascending = (a: number, b: number) => a - b;

/** p50/p90/p99/p999/max/mean of the values (linear interpolation between closest ranks); null for none. */
export function latencyStat(values: readonly number[]): LatencyStat | null {
	if (values.length === 0) {
		return null;
	}

	const sorted = [...values].sort(ascending);
	let sum = 0;
	for (const value of sorted) {
		sum += value;
	}

	return {
		p50: percentileSorted(sorted, 50),
		p90: percentileSorted(sorted, 90),
		p99: percentileSorted(sorted, 99),
		p999: percentileSorted(sorted, 99.9),
		max: sorted.at(-1)!,
		mean: sum / sorted.length,
	};
}

/** Decode speeds: each percentile is the low tail (p99 = the speed 99 % of requests reach or exceed). */
export function speedStat(values: readonly number[]): SpeedStat | null {
	if (values.length === 0) {
		return null;
	}

	const sorted = [...values].sort(ascending);
	let sum = 0;
	for (const value of sorted) {
		sum += value;
	}

	return {
		p50: percentileSorted(sorted, 50),
		p90: percentileSorted(sorted, 10),
		p99: percentileSorted(sorted, 1),
		p999: percentileSorted(sorted, 0.1),
		min: sorted[0]!,
		mean: sum / sorted.length,
	};
}

/** Whether request i was sent and ended (ok or failed); arrivals never sent (the run stopped first) are neither. */
export function ended(requests: LoadRequests, index: number): boolean {
	return requests.queueMs[index] !== null && requests.queueMs[index] !== undefined;
}

/** Request i's ITLs: each gap between text events divided by that event's tokens. */
export function itlsOf(requests: LoadRequests, index: number): number[] {
	const gaps = requests.gapsMs[index] ?? [];
	const tokens = requests.eventTokens[index] ?? [];
	return gaps.map((gap, k) => gap / Math.max(1, tokens[k] ?? 1));
}

/** Request i's TPOT: (e2e − TTFT) / (tokens − 1), from the send; null under 2 tokens. */
export function tpotOf(requests: LoadRequests, index: number): number | null {
	const e2e = requests.e2eMs[index];
	const ttft = requests.ttftMs[index];
	const tokens = requests.outputTokens[index];
	if (e2e === null || e2e === undefined || ttft === null || ttft === undefined || tokens === null || tokens === undefined || tokens < 2) {
		return null;
	}

	return (e2e - ttft) / (tokens - 1);
}

/** Request i's figure for an SLO metric (latencies queue-inclusive); null when it has none (e.g. tps of one token). */
function figuresOf(requests: LoadRequests, index: number, metric: SloTerm['metric']): number[] | null {
	const queue = requests.queueMs[index] ?? 0;
	const plus = (value: number | null | undefined) => (value === null || value === undefined ? null : [queue + value]);
	switch (metric) {
		case 'ttft': {
			return plus(requests.ttftMs[index]);
		}

		case 'ttfa': {
			return plus(requests.ttfaMs[index]);
		}

		case 'e2e': {
			return plus(requests.e2eMs[index]);
		}

		case 'tpot': {
			const tpot = tpotOf(requests, index);
			return tpot === null ? null : [tpot];
		}

		case 'itl': {
			const itls = itlsOf(requests, index);
			return itls.length === 0 ? null : itls;
		}

		case 'tps': {
			const tps = requests.tokensPerSecond?.[index];
			return tps === null || tps === undefined ? null : [tps];
		}
	}
}

/** The percentile a term names, of these values (tps: the low tail). */
function termValue(term: SloTerm, sorted: readonly number[]): number {
	const p = percentileOf(term.percentile);
	return percentileSorted(sorted, term.metric === 'tps' ? 100 - p : p);
}

/**
 * Whether request i met every SLO term: each of its own figures within each bound (its ITLs at the
 * term's percentile of them). A request that failed never meets it; a figure it cannot have (the
 * decode speed of a one-token answer) does not fail it.
 */
export function requestMeetsSlo(requests: LoadRequests, index: number, slo: readonly SloTerm[]): boolean {
	if (requests.status[index] !== 'ok') {
		return false;
	}

	for (const term of slo) {
		const figures = figuresOf(requests, index, term.metric);
		if (figures === null) {
			continue;
		}

		const value = figures.length === 1 ? figures[0]! : termValue(term, [...figures].sort(ascending));
		if (!meetsBound(term, value)) {
			return false;
		}
	}

	return true;
}

/**
 * Whether the step's requests meet the SLO: each term's percentile over every ended request, a
 * failed request counting as the worst value (so failures cannot make a step pass). Null before any ended.
 */
export function stepMeetsSlo(requests: LoadRequests, slo: readonly SloTerm[]): boolean | null {
	const indexes: number[] = [];
	for (let index = 0; index < requests.status.length; index++) {
		if (ended(requests, index)) {
			indexes.push(index);
		}
	}

	if (indexes.length === 0) {
		return null;
	}

	for (const term of slo) {
		const worst = term.metric === 'tps' ? 0 : Number.POSITIVE_INFINITY;
		const values: number[] = [];
		for (const index of indexes) {
			if (requests.status[index] !== 'ok') {
				values.push(worst);
				continue;
			}

			const figures = figuresOf(requests, index, term.metric);
			if (figures) {
				values.push(...figures);
			}
		}

		if (values.length > 0 && !meetsBound(term, termValue(term, values.sort(ascending)))) {
			return false;
		}
	}

	return true;
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
	options: {readonly rate: number; readonly durationMs: number; readonly slo: readonly SloTerm[]},
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
	let passing = 0;
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

		if (requestMeetsSlo(requests, index, options.slo)) {
			passing++;
		}
	}

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
	};
}
