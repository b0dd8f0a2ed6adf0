// Shared types of the core. No React, no Ink, no I/O here.

export type BracketName = 'ultra-budget' | 'budget' | 'mid' | 'premium';

export const bracketNames: readonly BracketName[] = ['ultra-budget', 'budget', 'mid', 'premium'];

/** Upper bounds (inclusive) of the first three brackets, in USD per million output tokens. */
export type BracketBounds = {
	readonly ultraBudget: number;
	readonly budget: number;
	readonly mid: number;
};

export type Price = {
	readonly inputPerM: number | null;
	readonly outputPerM: number | null;
	/** Where the price comes from (docs/presets.md "Prices"): "preset" or the preset's text, "openrouter /models <date>", "genai-prices <version>". */
	readonly source?: string | null | undefined;
};

export type RegionReference = {
	readonly ttftMs?: number | undefined;
	readonly tokensPerSecond?: number | undefined;
};

export type Reference = {
	readonly source?: string | undefined;
	readonly ttftMs?: number | undefined;
	readonly tokensPerSecond?: number | undefined;
	readonly regions?: Readonly<Record<string, RegionReference>> | undefined;
};

export type ModelSpec = {
	readonly id: string;
	readonly name: string;
	readonly provider: string | null;
	readonly baseURL: string;
	readonly apiKeyEnv: string | null;
	readonly headers: Readonly<Record<string, string>>;
	readonly price: Price;
	/** The price database's provider id to look the model up under (a preset's or model's `prices:`), when named. */
	readonly priceProvider?: string | null | undefined;
	readonly reasoning: boolean;
	readonly reference: Reference | null;
	/** Simulated presets: the model's stated, illustrative behaviour under load (`load:`, docs/load.md). */
	readonly load?: {readonly sequences: number} | null | undefined;
};

export type Preset = {
	readonly name: string;
	readonly description: string | null;
	/** Where the preset came from: a file path, for messages. */
	readonly file: string;
	readonly simulated: boolean;
	/** The preset's own baseURL, apiKeyEnv and headers (models may override them). */
	readonly baseURL: string | null;
	readonly apiKeyEnv: string | null;
	readonly headers: Readonly<Record<string, string>>;
	readonly brackets: BracketBounds;
	/** The price database's provider id named at the top of the preset (`prices:`), when any. */
	readonly priceProvider?: string | null | undefined;
	readonly models: readonly ModelSpec[];
	/** `models: discover`: ask the server's GET /models for the list. */
	readonly discover: boolean;
};

export type ErrorKind = 'auth' | 'not_found' | 'rate_limit' | 'bad_request' | 'server' | 'timeout' | 'network' | 'protocol' | 'aborted';

export type RunError = {
	readonly kind: ErrorKind;
	readonly status: number | null;
	readonly message: string;
	/** Seconds the server asked us to wait (429 Retry-After), when it said. */
	readonly retryAfterSeconds?: number | undefined;
};

export type RunStatus = 'ok' | 'error' | 'timeout' | 'aborted';

/** One text-carrying chunk: [offset from t0 in ms, text] or [offset, text, "r"] for reasoning. */
export type ChunkEntry = readonly [number, string] | readonly [number, string, 'r'];

export type InterChunk = {
	readonly p50: number;
	readonly p95: number;
	readonly p99: number;
	readonly max: number;
};

/** Where the time went (docs/metrics.md "phases"): offsets in ms from t0, from the socket's own events; null when it did not happen. */
export type Phases = {
	readonly dnsMs: number | null;
	readonly connectMs: number | null;
	readonly tlsMs: number | null;
	readonly sentMs: number | null;
	readonly headersMs: number | null;
	/** The request went out on a kept-alive connection (dns, connect and tls are then null). */
	readonly reused: boolean;
};

/** Can the stream be trusted? (docs/metrics.md "flags"). */
export type RunFlag = 'buffered' | 'client-late' | 'stalled' | 'usage-mismatch' | 'truncated';

export const runFlags: readonly RunFlag[] = ['buffered', 'client-late', 'stalled', 'usage-mismatch', 'truncated'];

export type RunRecord = {
	readonly index: number;
	readonly warmup: boolean;
	readonly status: RunStatus;
	readonly error: RunError | null;
	readonly ttftMs: number | null;
	readonly ttfaMs: number | null;
	readonly totalMs: number | null;
	readonly promptTokens: number | null;
	readonly outputTokens: number | null;
	readonly tokenSource: 'usage' | 'estimate' | null;
	readonly reasoningTokens: number | null;
	readonly hiddenReasoning: boolean;
	readonly serverTimings: unknown;
	readonly tokensPerSecond: number | null;
	readonly interChunkMs: InterChunk | null;
	readonly costUSD: number | null;
	readonly finishReason: string | null;
	/** True when the stream was cut at the hard cap because the server ignored max_tokens. */
	readonly truncated: boolean;
	/** Phases of the request that streamed; null when no request went out (or in an older transcript). */
	readonly phases: Phases | null;
	/** Empty when all is well. */
	readonly flags: readonly RunFlag[];
	/**
	 * The worst event-loop delay of the run's own stamping thread while it ran (ms; the basis of
	 * `client-late`); null when no request went out, missing in older transcripts.
	 */
	readonly clientDelayMs?: number | null | undefined;
	/** The model the server says it served (the chunks' `model`), null when it said none. */
	readonly servedModel: string | null;
	/** The request failed before any response byte on a reused kept-alive socket and was sent again once, fresh (its own t0). */
	readonly reconnected: boolean;
	readonly text: string;
	readonly reasoningText: string;
	readonly chunks: readonly ChunkEntry[];
};

/** Distribution-free confidence interval of the median (docs/metrics.md "Is the lead real?"). */
export type ConfidenceInterval = {
	readonly lo: number;
	readonly hi: number;
	/** Its true coverage, e.g. 0.75 for [min, max] of 3 runs. */
	readonly level: number;
};

export type Stat = {
	readonly mean: number;
	readonly median: number;
	readonly p95: number;
	readonly min: number;
	readonly max: number;
	/** With 3 or more values (ttftMs, ttfaMs, tokensPerSecond, totalMs). */
	readonly ci?: ConfidenceInterval | undefined;
};

export type ModelSummary = {
	readonly ok: number;
	readonly failed: number;
	readonly ttftMs: Stat | null;
	readonly ttfaMs: Stat | null;
	readonly tokensPerSecond: Stat | null;
	readonly totalMs: Stat | null;
	readonly outputTokens: Stat | null;
	/** Sum of the cost of the timed runs that completed; null when the output price is unknown. */
	readonly costUSD: number | null;
};

export type ModelResult = {
	readonly id: string;
	readonly name: string;
	readonly provider: string | null;
	readonly baseURL: string;
	readonly price: Price;
	readonly bracket: BracketName | null;
	readonly reasoning: boolean;
	readonly runs: readonly RunRecord[];
	readonly summary: ModelSummary;
};

export type RaceSettings = {
	readonly runs: number;
	readonly warmup: number;
	readonly maxTokens: number;
	readonly temperature: number | null;
	readonly concurrency: number | null;
	readonly timeoutMs: number;
	readonly seed: number | null;
	/** `--unique-prompts`: each request's prompt began with a unique line (docs/load.md); missing when off. */
	readonly uniquePrompts?: boolean | undefined;
};

export type Transcript = {
	readonly schema: 'llmrace/transcript@1';
	/** A random UUID made when the race starts (docs/transcript.md); missing in transcripts written before it existed. */
	readonly id?: string | undefined;
	readonly tool: {readonly name: string; readonly version: string};
	readonly startedAt: string;
	readonly finishedAt: string;
	readonly region: string | null;
	readonly prompt: string;
	readonly preset: string;
	readonly simulated: boolean;
	readonly settings: RaceSettings;
	readonly aborted: boolean;
	/** How far the client itself can be trusted in this race (docs/metrics.md); missing in older transcripts. */
	readonly measurement?: Measurement | null | undefined;
	readonly models: readonly ModelResult[];
};

export type DelayStat = {readonly p50: number; readonly p99: number; readonly max: number};

export type Measurement = {
	/** Event-loop delay of the thread that stamps chunks, sampled during the race (with several: each figure the worst across them). */
	readonly eventLoopDelayMs: DelayStat;
	readonly clock: 'performance.now';
	/** With several stamping threads: each one's delay and the streams it stamped. */
	readonly threads?: ReadonlyArray<{readonly eventLoopDelayMs: DelayStat; readonly streams: number}> | undefined;
};

/** A monotonic clock in milliseconds. */
export type Clock = () => number;
