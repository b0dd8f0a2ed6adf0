// Hand-built races and load runs for the history store's tests: known figures, so medians can be worked by hand.
import {buildTranscript} from '../../source/core/transcript/build.js';
import type {LoadStep, LoadTranscript} from '../../source/core/load/types.js';
import type {Phases, RunRecord, Transcript} from '../../source/core/types.js';
import {modelAt} from './models.js';

export type HandModel = {
	readonly id: string;
	readonly baseURL?: string;
	/** One completed timed run per value. */
	readonly ttftMs: readonly number[];
	readonly tokensPerSecond?: readonly number[];
	readonly phases?: Phases | null;
	/** Failed runs added after the completed ones. */
	readonly failed?: number;
};

export function handRun(index: number, ttftMs: number, tokensPerSecond: number, phases: Phases | null = null): RunRecord {
	return {
		index,
		warmup: false,
		status: 'ok',
		error: null,
		ttftMs,
		ttfaMs: ttftMs + 10,
		totalMs: ttftMs + 1000,
		promptTokens: 12,
		outputTokens: 100,
		tokenSource: 'usage',
		reasoningTokens: null,
		hiddenReasoning: false,
		serverTimings: null,
		tokensPerSecond,
		interChunkMs: {p50: 10, p95: 12, p99: 13, max: 14},
		costUSD: 0.0001,
		finishReason: 'stop',
		truncated: false,
		phases,
		flags: [],
		servedModel: 'served-model',
		reconnected: false,
		text: 'the answer text is never stored',
		reasoningText: '',
		chunks: [[ttftMs, 'the answer text is never stored']],
	};
}

const failedRun = (index: number): RunRecord => ({
	...handRun(index, 0, 0),
	status: 'error',
	error: {kind: 'server', status: 500, message: 'boom'},
	ttftMs: null,
	ttfaMs: null,
	tokensPerSecond: null,
});

export function handRace(options: {
	readonly id?: string;
	readonly startedAt: string;
	readonly region?: string | null;
	readonly preset?: string;
	readonly models: readonly HandModel[];
}): Transcript {
	const started = new Date(options.startedAt);
	return buildTranscript({
		id: options.id,
		toolVersion: '0.1.0',
		startedAt: started,
		finishedAt: new Date(started.getTime() + 5000),
		region: options.region ?? null,
		prompt: 'Explain recursion',
		preset: options.preset ?? 'demo',
		simulated: false,
		settings: {runs: 3, warmup: 0, maxTokens: 512, temperature: null, concurrency: null, timeoutMs: 120_000, seed: null},
		aborted: false,
		measurement: {eventLoopDelayMs: {p50: 0.5, p99: 1, max: 2}, clock: 'performance.now'},
		models: options.models.map(model => ({
			spec: modelAt(model.baseURL ?? 'https://api.example.com/v1', {
				id: model.id,
				name: model.id.toUpperCase(),
				headers: {Authorization: 'Bearer sk-header-secret'},
			}),
			bracket: null,
			runs: [
				...model.ttftMs.map((ttft, index) => handRun(index, ttft, model.tokensPerSecond?.[index] ?? 50, model.phases ?? null)),
				...Array.from({length: model.failed ?? 0}, (_, index) => failedRun(model.ttftMs.length + index)),
			],
		})),
	});
}

function step(rate: number, ttfts: readonly number[]): LoadStep {
	const latency = {p50: ttfts[0]!, p90: ttfts[0]!, p99: ttfts.at(-1)!, p999: ttfts.at(-1)!, max: ttfts.at(-1)!, mean: ttfts[0]!};
	return {
		rate,
		startedAt: '2026-05-21T10:00:00.000Z',
		durationMs: 10_000,
		stopped: null,
		summary: {
			ttftMs: latency,
			ttfaMs: latency,
			itlMs: null,
			tpotMs: null,
			e2eMs: latency,
			queueMs: null,
			tokensPerSecond: null,
			offeredRate: rate,
			achievedRate: rate,
			completed: ttfts.length,
			failed: 1,
			failedByKind: {rate_limit: 1},
			throughput: rate,
			outputTokensPerSecond: rate * 100,
			maxInFlight: 3,
			goodput: rate,
			sloPass: 1,
		},
		sendLagMs: {p50: 0.1, p99: 0.4, max: 0.9},
		clientLimited: false,
		requests: {
			scheduledMs: [...ttfts.map((_, index) => index * 100), 999],
			queueMs: [...ttfts.map(() => 0), null],
			ttftMs: [...ttfts, null],
			ttfaMs: [...ttfts, null],
			e2eMs: [...ttfts.map(ttft => ttft + 900), 50],
			outputTokens: [...ttfts.map(() => 100), null],
			status: [...ttfts.map(() => 'ok' as const), 'error'],
			errorKind: [...ttfts.map(() => null), 'rate_limit'],
			gapsMs: [...ttfts.map(() => [10, 11, 12]), []],
			eventTokens: [...ttfts.map(() => [1, 2, 1]), []],
			tokensPerSecond: [...ttfts.map((_, index) => 80 + index), null],
		},
	};
}

export function handLoad(id = '11111111-2222-4333-8444-555555555555'): LoadTranscript {
	return {
		schema: 'llmrace/load@1',
		id,
		tool: {name: 'llmrace', version: '0.1.0'},
		startedAt: '2026-05-21T10:00:00.000Z',
		finishedAt: '2026-05-21T10:00:20.000Z',
		region: 'eu-west',
		prompt: 'Explain recursion',
		preset: 'demo',
		simulated: true,
		settings: {
			rates: [1, 2],
			arrivals: 'poisson',
			durationMs: 10_000,
			requests: null,
			maxConcurrency: 8,
			slo: [{metric: 'ttft', percentile: 'p99', op: '<=', bound: 800}],
			sweep: false,
			seed: 3,
			uniquePrompts: false,
			maxTokens: 128,
			temperature: null,
			timeoutMs: 60_000,
			maxCostUSD: null,
			keepText: false,
		},
		aborted: false,
		measurement: {eventLoopDelayMs: {p50: 0.5, p99: 1, max: 2}, clock: 'performance.now'},
		models: [
			{
				id: 'step-3.5-flash',
				name: 'Step-3.5-Flash',
				provider: 'StepFun',
				baseURL: 'http://127.0.0.1:41234/v1',
				price: {inputPerM: null, outputPerM: 0.15, source: 'preset'},
				bracket: 'ultra-budget',
				reasoning: false,
				simulatedLoad: {sequences: 4},
				steps: [step(1, [120, 130, 140]), step(2, [150, 170])],
				maxRateMeetingSlo: null,
			},
		],
	};
}
