// Hand-built load transcripts and live snapshots (llmrace/load@1, source/core/load/types.ts) for the load
// view's and reports' tests. Summaries are given by the test (worked out by hand), not computed here.
import type {
	LatencyStat,
	LoadModelLive,
	LoadModelResult,
	LoadRequests,
	LoadSettings,
	LoadSnapshot,
	LoadStep,
	LoadSummary,
	LoadTranscript,
} from '../../source/core/load/types.js';

export function latency(p50: number, p90: number, p99: number, extra: Partial<LatencyStat> = {}): LatencyStat {
	return {p50, p90, p99, p999: extra.p999 ?? p99, max: extra.max ?? p99, mean: extra.mean ?? p50};
}

export function summary(rate: number, overrides: Partial<LoadSummary> = {}): LoadSummary {
	return {
		ttftMs: latency(200, 300, 400),
		ttfaMs: latency(200, 300, 400),
		itlMs: latency(10, 12, 15),
		tpotMs: latency(10, 11, 13),
		e2eMs: latency(2000, 2500, 3000),
		queueMs: latency(0, 0, 0),
		tokensPerSecond: {p50: 80, p90: 75, p99: 60, p999: 55, min: 50, mean: 78},
		offeredRate: rate,
		achievedRate: rate,
		completed: 30,
		failed: 0,
		failedByKind: {},
		throughput: rate,
		outputTokensPerSecond: rate * 150,
		maxInFlight: 4,
		goodput: rate,
		sloPass: 1,
		...overrides,
	};
}

/** Requests of a step: one entry per request (scheduled offset, queue, TTFA from the send). */
export function requests(
	rows: ReadonlyArray<{scheduledMs: number; queueMs?: number | null; ttfaMs: number | null; e2eMs?: number | null; ok?: boolean}>,
): LoadRequests {
	return {
		scheduledMs: rows.map(row => row.scheduledMs),
		queueMs: rows.map(row => (row.queueMs === undefined ? 0 : row.queueMs)),
		ttftMs: rows.map(row => row.ttfaMs),
		ttfaMs: rows.map(row => row.ttfaMs),
		e2eMs: rows.map(row => (row.e2eMs === undefined ? (row.ttfaMs === null ? null : row.ttfaMs + 1000) : row.e2eMs)),
		outputTokens: rows.map(row => (row.ttfaMs === null ? null : 100)),
		status: rows.map(row => (row.ok === false ? 'error' : 'ok')),
		errorKind: rows.map(row => (row.ok === false ? 'server' : null)),
		gapsMs: rows.map(() => [10, 10]),
		eventTokens: rows.map(() => [1, 1]),
	};
}

export function step(rate: number, overrides: Partial<LoadSummary> = {}, extra: Partial<LoadStep> = {}): LoadStep {
	return {
		rate,
		startedAt: '2026-05-20T10:00:00.000Z',
		durationMs: 10_000,
		stopped: null,
		summary: summary(rate, overrides),
		sendLagMs: {p50: 0.2, p99: 0.8, max: 1.5},
		clientLimited: false,
		requests: requests([]),
		...extra,
	};
}

export function loadModel(id: string, steps: readonly LoadStep[], extra: Partial<LoadModelResult> = {}): LoadModelResult {
	return {
		id,
		name: extra.name ?? id,
		provider: 'Sim',
		baseURL: 'http://127.0.0.1:1/v1',
		price: {inputPerM: 0.1, outputPerM: 0.4},
		bracket: 'budget',
		reasoning: false,
		simulatedLoad: {sequences: 8},
		steps,
		...extra,
	};
}

export const defaultSettings: LoadSettings = {
	rates: [1, 2, 4],
	arrivals: 'poisson',
	durationMs: 10_000,
	requests: null,
	maxConcurrency: 256,
	slo: [{metric: 'ttfa', percentile: 'p99', op: '<=', bound: 800}],
	sweep: false,
	seed: 7,
	uniquePrompts: true,
	maxTokens: 256,
	temperature: null,
	timeoutMs: 120_000,
	maxCostUSD: null,
	keepText: false,
};

export function loadTranscript(models: readonly LoadModelResult[], overrides: Partial<LoadTranscript> = {}): LoadTranscript {
	return {
		schema: 'llmrace/load@1',
		id: '00000000-0000-4000-8000-000000000001',
		tool: {name: 'llmrace', version: '0.1.0'},
		startedAt: '2026-05-20T10:00:00.000Z',
		finishedAt: '2026-05-20T10:00:30.000Z',
		region: 'us-east',
		prompt: 'Explain recursion in 200 words',
		preset: 'demo',
		simulated: true,
		settings: defaultSettings,
		aborted: false,
		measurement: {
			eventLoopDelayMs: {p50: 0.3, p99: 1.2, max: 3},
			clock: 'performance.now',
			threads: [
				{eventLoopDelayMs: {p50: 0.3, p99: 1.2, max: 3}, streams: 20},
				{eventLoopDelayMs: {p50: 0.2, p99: 0.9, max: 2}, streams: 19},
			],
		},
		models,
		...overrides,
	};
}

export function liveModel(id: string, overrides: Partial<LoadModelLive> = {}): LoadModelLive {
	return {
		id,
		name: id,
		step: 2,
		stepsAtMost: 8,
		rate: 2,
		elapsedMs: 12_000,
		durationMs: 30_000,
		inFlight: 3,
		queued: 0,
		done: 24,
		failed: 1,
		recent: {ttftP50Ms: 230, ttftP99Ms: 810, e2eP50Ms: 1200, e2eP99Ms: 3400},
		spark: [200, 220, 400, 810, 300],
		sloPass: true,
		state: 'running',
		stopped: null,
		...overrides,
	};
}

export function liveSnapshot(models: readonly LoadModelLive[], overrides: Partial<LoadSnapshot> = {}): LoadSnapshot {
	return {
		version: 1,
		elapsedMs: 42_000,
		models,
		client: {threadDelayP99Ms: [0.6, 1.4], sendLagP99Ms: 0.4},
		finished: false,
		...overrides,
	};
}

/**
 * A three-model, three-step run (1, 2, 4 req/s, 10 s each) whose knees differ: "fast" holds the SLO at every
 * rate, "knee" passes 1 and 2 then fails at 4, "slow" fails from the start. Each step has ten requests, one
 * per second, TTFA growing with the rate (so latency over time rises step by step).
 */
export function kneeTranscript(overrides: Partial<LoadTranscript> = {}): LoadTranscript {
	const rates = [1, 2, 4];
	const started = Date.parse('2026-05-20T10:00:00.000Z');
	const make = (id: string, name: string, p99s: readonly number[], extra: Partial<LoadModelResult> = {}) =>
		loadModel(
			id,
			rates.map((rate, index) =>
				step(
					rate,
					{
						ttfaMs: latency(p99s[index]! / 2, p99s[index]! * 0.8, p99s[index]!),
						ttftMs: latency(p99s[index]! / 2, p99s[index]! * 0.8, p99s[index]!),
						sloPass: p99s[index]! <= 800 ? 1 : 0.5,
						goodput: p99s[index]! <= 800 ? rate : rate / 2,
						meetsSlo: p99s[index]! <= 800,
					},
					{
						startedAt: new Date(started + index * 10_000).toISOString(),
						requests: requests(Array.from({length: 10}, (_, request) => ({scheduledMs: request * 1000, ttfaMs: p99s[index]! / 2}))),
					},
				),
			),
			{name, ...extra},
		);
	return loadTranscript(
		[
			make('fast', 'Fast Model', [200, 250, 300]),
			make('knee', 'Knee Model', [300, 600, 2400], {bracket: 'mid'}),
			make('slow', 'Slow Model', [900, 1500, 5000], {bracket: 'premium'}),
		],
		overrides,
	);
}
