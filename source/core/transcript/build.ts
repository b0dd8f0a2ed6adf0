// The transcript (docs/transcript.md): built from a race, summarized per model.
import {costOf} from '../presets/brackets.js';
import {round, summarize} from '../stats/stats.js';
import type {BracketName, ChunkEntry, DelayStat, Measurement, ModelResult, ModelSpec, ModelSummary, Price, RunRecord, Stat, Transcript} from '../types.js';

export const transcriptSchema = 'llmrace/transcript@1';

/** The timing metrics carry the interval of their median (docs/metrics.md "Is the lead real?"). */
const withCi = {ci: true} as const;

/** Statistics over the timed runs that completed; warm-up and failed runs are left out. */
export function summarizeRuns(runs: readonly RunRecord[], price: Price): ModelSummary {
	const timed = runs.filter(run => !run.warmup);
	const ok = timed.filter(run => run.status === 'ok');
	let costUSD: number | null = null;
	if (price.outputPerM !== null) {
		costUSD = 0;
		for (const run of ok) {
			costUSD += run.costUSD ?? costOf(price, run.outputTokens, run.promptTokens) ?? 0;
		}
	}

	return {
		ok: ok.length,
		failed: timed.length - ok.length,
		ttftMs: summarize(
			ok.map(run => run.ttftMs),
			withCi,
		),
		ttfaMs: summarize(
			ok.map(run => run.ttfaMs),
			withCi,
		),
		tokensPerSecond: summarize(
			ok.map(run => run.tokensPerSecond),
			withCi,
		),
		totalMs: summarize(
			ok.map(run => run.totalMs),
			withCi,
		),
		outputTokens: summarize(ok.map(run => run.outputTokens)),
		costUSD,
	};
}

/** The mean cost of one completed timed run (what leaderboards call "run cost"); null without a price or a completed run. */
export function runCostUSD(summary: ModelSummary): number | null {
	return summary.ok > 0 && summary.costUSD !== null ? summary.costUSD / summary.ok : null;
}

const ms = (value: number | null): number | null => (value === null ? null : round(value, 2));

/** Costs are tiny: keep ten significant digits rather than a fixed number of decimals. */
const usd = (value: number | null): number | null => (value === null ? null : Number(value.toPrecision(10)));

function roundStat(stat: Stat | null, decimals: number): Stat | null {
	if (!stat) {
		return null;
	}

	const rounded: Stat = {
		mean: round(stat.mean, decimals),
		median: round(stat.median, decimals),
		p95: round(stat.p95, decimals),
		min: round(stat.min, decimals),
		max: round(stat.max, decimals),
	};
	return stat.ci ? {...rounded, ci: {lo: round(stat.ci.lo, decimals), hi: round(stat.ci.hi, decimals), level: round(stat.ci.level, 4)}} : rounded;
}

function roundRun(run: RunRecord): RunRecord {
	return {
		index: run.index,
		warmup: run.warmup,
		status: run.status,
		error: run.error,
		ttftMs: ms(run.ttftMs),
		ttfaMs: ms(run.ttfaMs),
		totalMs: ms(run.totalMs),
		promptTokens: run.promptTokens,
		outputTokens: run.outputTokens,
		tokenSource: run.tokenSource,
		reasoningTokens: run.reasoningTokens,
		hiddenReasoning: run.hiddenReasoning,
		serverTimings: run.serverTimings ?? null,
		tokensPerSecond: run.tokensPerSecond === null ? null : round(run.tokensPerSecond, 2),
		interChunkMs: run.interChunkMs && {
			p50: round(run.interChunkMs.p50, 2),
			p95: round(run.interChunkMs.p95, 2),
			p99: round(run.interChunkMs.p99, 2),
			max: round(run.interChunkMs.max, 2),
		},
		costUSD: usd(run.costUSD),
		finishReason: run.finishReason,
		truncated: run.truncated,
		phases: run.phases && {
			dnsMs: ms(run.phases.dnsMs),
			connectMs: ms(run.phases.connectMs),
			tlsMs: ms(run.phases.tlsMs),
			sentMs: ms(run.phases.sentMs),
			headersMs: ms(run.phases.headersMs),
			reused: run.phases.reused,
		},
		flags: run.flags,
		clientDelayMs: run.clientDelayMs ?? null,
		servedModel: run.servedModel,
		reconnected: run.reconnected,
		text: run.text,
		reasoningText: run.reasoningText,
		chunks: run.chunks.map((chunk): ChunkEntry => (chunk.length === 3 ? [round(chunk[0], 2), chunk[1], 'r'] : [round(chunk[0], 2), chunk[1]])),
	};
}

export function roundSummary(summary: ModelSummary): ModelSummary {
	return {
		ok: summary.ok,
		failed: summary.failed,
		ttftMs: roundStat(summary.ttftMs, 2),
		ttfaMs: roundStat(summary.ttfaMs, 2),
		tokensPerSecond: roundStat(summary.tokensPerSecond, 2),
		totalMs: roundStat(summary.totalMs, 2),
		outputTokens: roundStat(summary.outputTokens, 2),
		costUSD: usd(summary.costUSD),
	};
}

const roundDelay = ({p50, p99, max}: DelayStat): DelayStat => ({p50: round(p50, 2), p99: round(p99, 2), max: round(max, 2)});

function roundMeasurement(measurement: Measurement): Measurement {
	return {
		eventLoopDelayMs: roundDelay(measurement.eventLoopDelayMs),
		clock: measurement.clock,
		...(measurement.threads
			? {threads: measurement.threads.map(thread => ({eventLoopDelayMs: roundDelay(thread.eventLoopDelayMs), streams: thread.streams}))}
			: {}),
	};
}

/**
 * What a transcript is built from: its fields as they are, but times as dates and each model as its spec and
 * runs. `measurement`: the stamping thread's event-loop delay during the race (null when it took no sample);
 * left out when not given.
 */
export type TranscriptInput = Pick<Transcript, 'region' | 'prompt' | 'preset' | 'simulated' | 'settings' | 'aborted' | 'measurement'> & {
	/** The race's id, made when it starts (a random UUID from the session: the core makes no randomness of its own). */
	readonly id?: string | undefined;
	readonly toolVersion: string;
	readonly startedAt: Date;
	readonly finishedAt: Date;
	readonly models: ReadonlyArray<{readonly spec: ModelSpec; readonly bracket: BracketName | null; readonly runs: readonly RunRecord[]}>;
};

export function buildTranscript(input: TranscriptInput): Transcript {
	return {
		schema: transcriptSchema,
		...(input.id === undefined ? {} : {id: input.id}),
		tool: {name: 'llmrace', version: input.toolVersion},
		startedAt: input.startedAt.toISOString(),
		finishedAt: input.finishedAt.toISOString(),
		region: input.region,
		prompt: input.prompt,
		preset: input.preset,
		simulated: input.simulated,
		settings: input.settings,
		aborted: input.aborted,
		...(input.measurement === undefined ? {} : {measurement: input.measurement && roundMeasurement(input.measurement)}),
		models: input.models.map(
			(model): ModelResult => ({
				id: model.spec.id,
				name: model.spec.name,
				provider: model.spec.provider,
				baseURL: model.spec.baseURL,
				price: {inputPerM: model.spec.price.inputPerM, outputPerM: model.spec.price.outputPerM, source: model.spec.price.source ?? null},
				bracket: model.bracket,
				reasoning: model.spec.reasoning,
				runs: model.runs.map(run => roundRun(run)),
				summary: roundSummary(summarizeRuns(model.runs, model.spec.price)),
			}),
		),
	};
}

/** What JSON.stringify leaves raw although a terminal acts on it: C1 controls (0x9B CSI, 0x9D OSC…) and bidi overrides. */
const rawInJson = /[\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** Pretty JSON whose every control character is a `\u` escape (JSON.parse gives the exact text back), so `cat` of it is inert. */
export function toJsonText(value: unknown): string {
	return `${JSON.stringify(value, null, 2).replaceAll(rawInJson, character => `\\u${character.codePointAt(0)!.toString(16).padStart(4, '0')}`)}\n`;
}

/** The transcript as pretty JSON. */
export function transcriptToJson(transcript: Transcript): string {
	return toJsonText(transcript);
}
