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
	readonly reasoning: boolean;
	readonly reference: Reference | null;
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
	readonly models: readonly ModelSpec[];
	/** `models: discover`: ask the server's GET /models for the list. */
	readonly discover: boolean;
};

export type ErrorKind =
	| 'auth'
	| 'not_found'
	| 'rate_limit'
	| 'bad_request'
	| 'server'
	| 'timeout'
	| 'network'
	| 'protocol'
	| 'aborted';

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
	readonly text: string;
	readonly reasoningText: string;
	readonly chunks: readonly ChunkEntry[];
};

export type Stat = {
	readonly mean: number;
	readonly median: number;
	readonly p95: number;
	readonly min: number;
	readonly max: number;
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
};

export type Transcript = {
	readonly schema: 'llmrace/transcript@1';
	readonly tool: {readonly name: string; readonly version: string};
	readonly startedAt: string;
	readonly finishedAt: string;
	readonly region: string | null;
	readonly prompt: string;
	readonly preset: string;
	readonly simulated: boolean;
	readonly settings: RaceSettings;
	readonly aborted: boolean;
	readonly models: readonly ModelResult[];
};

/** A monotonic clock in milliseconds. */
export type Clock = () => number;
