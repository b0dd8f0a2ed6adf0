// `--slo` terms (docs/load.md "The SLO"): parsing, and the one place that says whether a request or a
// step meets them (and so what goodput counts): the engine's sweep, the live view, the leaderboards, the
// plain table, `--json`, the reports and compare all take their verdict from here.
import {percentileSorted} from '../stats/stats.js';
import type {LoadRequests, LoadStep, LoadStopReason, SloMetric, SloPercentile, SloTerm} from './types.js';

export const sloMetrics: readonly SloMetric[] = ['ttft', 'ttfa', 'itl', 'tpot', 'e2e', 'tps'];
export const sloPercentiles: readonly SloPercentile[] = ['p50', 'p90', 'p99', 'p999'];

/** Past ~800 ms users leave (docs/metrics.md, TTFT feel). */
export const defaultSlo = 'ttfa.p99<=800ms';

/** The percentile (0–100) a term names. For tps it is the low tail: p99 is the speed 99 % reach or exceed. */
export function percentileOf(percentile: SloPercentile): number {
	return percentile === 'p999' ? 99.9 : Number(percentile.slice(1));
}

export class SloError extends Error {
	override name = 'SloError';
}

const termPattern = /^([a-z0-9]+)\.(p\d+)\s*(<=|>=)\s*(\d+(?:\.\d+)?|\.\d+)\s*(ms|s)?$/i;

/** A duration bound: bare numbers and `ms` are milliseconds, `s` seconds. */
function boundMs(value: number, unit: string | undefined): number {
	return unit?.toLowerCase() === 's' ? value * 1000 : value;
}

/** Parse `ttft.p99<=800ms,tps.p50>=30,e2e.p99<=10s`. Throws SloError naming the bad term and what was expected. */
export function parseSlo(text: string): SloTerm[] {
	const parts = text
		.split(',')
		.map(part => part.trim())
		.filter(Boolean);
	if (parts.length === 0) {
		throw new SloError(`"${text}" names no term (expected e.g. ${defaultSlo})`);
	}

	return parts.map(part => {
		const match = termPattern.exec(part);
		if (!match) {
			throw new SloError(`"${part}" is not a term of metric.percentile<=bound or >=bound (e.g. ttft.p99<=800ms, tps.p50>=30)`);
		}

		const metric = match[1]!.toLowerCase() as SloMetric;
		const percentile = match[2]!.toLowerCase() as SloPercentile;
		const op = match[3] as '<=' | '>=';
		const value = Number(match[4]);
		const unit = match[5];
		if (!sloMetrics.includes(metric)) {
			throw new SloError(`"${part}": unknown metric ${metric} (valid: ${sloMetrics.join(', ')})`);
		}

		if (!sloPercentiles.includes(percentile)) {
			throw new SloError(`"${part}": unknown percentile ${percentile} (valid: ${sloPercentiles.join(', ')})`);
		}

		if (metric === 'tps') {
			if (op !== '>=' || unit !== undefined) {
				throw new SloError(`"${part}": tps takes a lower bound in tokens/s (e.g. tps.p50>=30)`);
			}

			return {metric, percentile, op, bound: value};
		}

		if (op !== '<=') {
			throw new SloError(`"${part}": ${metric} takes an upper bound (e.g. ${metric}.${percentile}<=800ms)`);
		}

		return {metric, percentile, op, bound: boundMs(value, unit)};
	});
}

/** `ttfa.p99<=800ms`: a term as it was written (bounds in ms, or s when whole seconds of 10 s and up). */
export function formatSloTerm(term: SloTerm): string {
	if (term.metric === 'tps') {
		return `tps.${term.percentile}>=${term.bound}`;
	}

	const bound = term.bound >= 10_000 && term.bound % 1000 === 0 ? `${term.bound / 1000}s` : `${term.bound}ms`;
	return `${term.metric}.${term.percentile}<=${bound}`;
}

/** The terms as `--slo` takes them; "none" for none. */
export function formatSlo(terms: readonly SloTerm[]): string {
	return terms.length === 0 ? 'none' : terms.map(term => formatSloTerm(term)).join(',');
}

/** Whether one value meets a term's bound. */
export function meetsBound(term: SloTerm, value: number): boolean {
	return term.op === '<=' ? value <= term.bound : value >= term.bound;
}

const ascending = (a: number, b: number) => a - b;

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

/** Request i's figures for an SLO metric (latencies queue-inclusive); null when it has none (e.g. tps of one token). */
function figuresOf(requests: LoadRequests, index: number, metric: SloMetric): number[] | null {
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

/** The percentile a term names, of these sorted values (tps: the low tail). */
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
 * Whether a step's requests so far meet the SLO: each term's percentile over every ended request within
 * its bound, a failed request counting as the worst value (failures cannot make a step pass, however
 * fast the successes were). Null before any request ended. The live view's SLO status.
 */
export function requestsMeetSlo(requests: LoadRequests, slo: readonly SloTerm[]): boolean | null {
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

/**
 * How many of the step's sent requests met every SLO term (`requestMeetsSlo`): goodput counts these,
 * and `sloPass` is their share of the sent.
 */
export function countMeetingSlo(requests: LoadRequests, slo: readonly SloTerm[]): number {
	let passing = 0;
	for (let index = 0; index < requests.status.length; index++) {
		if (ended(requests, index) && requestMeetsSlo(requests, index, slo)) {
			passing++;
		}
	}

	return passing;
}

/**
 * The verdict on a finished step (docs/load.md "The SLO"): its requests meet the SLO (`requestsMeetSlo`) and it
 * ran its course. A step stopped early, for whatever reason (even Ctrl-C), did not hold its rate for its
 * duration and does not meet it. Recorded as the summary's `meetsSlo`; `--sweep` decides on it.
 */
export function judgeStep(requests: LoadRequests, stopped: LoadStopReason | null, slo: readonly SloTerm[]): boolean {
	return stopped === null && requestsMeetSlo(requests, slo) === true;
}

/**
 * Whether a step met the SLO: the verdict its summary recorded, or, for a transcript written before
 * llmrace recorded it, the same verdict worked out from its requests.
 */
export function stepMeetsSlo(step: Pick<LoadStep, 'requests' | 'stopped' | 'summary'>, slo: readonly SloTerm[]): boolean {
	return step.summary.meetsSlo ?? judgeStep(step.requests, step.stopped, slo);
}

/**
 * The highest rate at which a model met the SLO: the sweep's `maxRateMeetingSlo` when it swept (the
 * sweep decided on `stepMeetsSlo` too), else the highest rate of a step that met it; null when none did.
 */
export function rateMeetingSlo(
	model: {readonly steps: ReadonlyArray<Pick<LoadStep, 'rate' | 'requests' | 'stopped' | 'summary'>>; readonly maxRateMeetingSlo?: number | null | undefined},
	slo: readonly SloTerm[],
): number | null {
	if (model.maxRateMeetingSlo !== undefined) {
		return model.maxRateMeetingSlo;
	}

	const passing = model.steps.filter(step => stepMeetsSlo(step, slo)).map(step => step.rate);
	return passing.length === 0 ? null : Math.max(...passing);
}
