// The load run's shapes (docs/load.md, the `llmrace/load@1` transcript): the contract between the load
// engine (core/load), its outputs (reports, compare, history) and its live view (ui/load). No I/O here.
import type {BracketName, ErrorKind, Measurement, Price, RunStatus, Transcript} from '../types.js';

export type LoadArrivals = 'poisson' | 'constant';

export type SloMetric = 'ttft' | 'ttfa' | 'itl' | 'tpot' | 'e2e' | 'tps';

export type SloPercentile = 'p50' | 'p90' | 'p99' | 'p999';

/** One term of `--slo`: `ttft.p99<=800ms` is {metric: 'ttft', percentile: 'p99', op: '<=', bound: 800}. Bounds in ms (tps: tokens/s). */
export type SloTerm = {
	readonly metric: SloMetric;
	readonly percentile: SloPercentile;
	readonly op: '<=' | '>=';
	readonly bound: number;
};

export type LoadSettings = {
	/** The `--rate` steps in requests per second per model (with --sweep: the first rate tried). */
	readonly rates: readonly number[];
	readonly arrivals: LoadArrivals;
	/** Each step's scheduled duration; null when steps are counted in requests. */
	readonly durationMs: number | null;
	/** `--requests N` arrivals per step; null when steps last `durationMs`. */
	readonly requests: number | null;
	readonly maxConcurrency: number;
	readonly slo: readonly SloTerm[];
	readonly sweep: boolean;
	readonly seed: number | null;
	readonly uniquePrompts: boolean;
	readonly maxTokens: number;
	readonly temperature: number | null;
	readonly timeoutMs: number;
	readonly maxCostUSD: number | null;
	readonly keepText: boolean;
};

/** The requests of one step, columnar: index i is the step's i-th arrival. */
export type LoadRequests = {
	/** Offset of the scheduled send from the step's start. */
	readonly scheduledMs: readonly number[];
	/** Send − scheduled (a request that found a free slot: the client's own send lag); null when never sent (the run was stopped first). */
	readonly queueMs: ReadonlyArray<number | null>;
	/** From the send; null where the request failed before. */
	readonly ttftMs: ReadonlyArray<number | null>;
	readonly ttfaMs: ReadonlyArray<number | null>;
	readonly e2eMs: ReadonlyArray<number | null>;
	readonly outputTokens: ReadonlyArray<number | null>;
	readonly status: readonly RunStatus[];
	readonly errorKind: ReadonlyArray<ErrorKind | null>;
	/** Each request's gaps between text events. */
	readonly gapsMs: ReadonlyArray<readonly number[]>;
	/** The tokens of each text event after the first (so ITL = gap / tokens can be recomputed exactly). */
	readonly eventTokens: ReadonlyArray<readonly number[]>;
	/** Each request's decode speed (docs/metrics.md `tokensPerSecond`); null where it has none. */
	readonly tokensPerSecond?: ReadonlyArray<number | null> | undefined;
	/** Only with --keep-text. */
	readonly text?: ReadonlyArray<string | null> | undefined;
};

/** Percentiles of queue-inclusive latencies (ms). */
export type LatencyStat = {
	readonly p50: number;
	readonly p90: number;
	readonly p99: number;
	readonly p999: number;
	readonly max: number;
	readonly mean: number;
};

/** Decode speed across requests: p99 is the low tail (the speed 99 % of requests reach or exceed). */
export type SpeedStat = {
	readonly p50: number;
	readonly p90: number;
	readonly p99: number;
	readonly p999: number;
	readonly min: number;
	readonly mean: number;
};

export type LoadSummary = {
	readonly ttftMs: LatencyStat | null;
	readonly ttfaMs: LatencyStat | null;
	readonly itlMs: LatencyStat | null;
	readonly tpotMs: LatencyStat | null;
	readonly e2eMs: LatencyStat | null;
	readonly queueMs: LatencyStat | null;
	readonly tokensPerSecond: SpeedStat | null;
	readonly offeredRate: number;
	readonly achievedRate: number;
	readonly completed: number;
	readonly failed: number;
	readonly failedByKind: Readonly<Partial<Record<ErrorKind, number>>>;
	/** Completed requests per second, from the step's start to its last request's end. */
	readonly throughput: number;
	readonly outputTokensPerSecond: number;
	readonly maxInFlight: number;
	/** Requests per second that met every SLO term. */
	readonly goodput: number;
	/** Share (0–1) of the step's requests that met every SLO term. */
	readonly sloPass: number;
	/**
	 * Whether the step met the SLO (core/load/slo.ts `judgeStep`: each term's percentile over its ended
	 * requests, failures counting as the worst value, and the step ran its course). Absent in transcripts
	 * written before llmrace recorded it: read it with `stepMeetsSlo`, which then works it out the same way.
	 */
	readonly meetsSlo?: boolean | undefined;
};

export type LoadStopReason = 'errors' | 'rate_limit' | 'saturated' | 'cost' | 'aborted';

export type LoadStep = {
	readonly rate: number;
	readonly startedAt: string;
	readonly durationMs: number;
	/** Null for a step that ran its course. */
	readonly stopped: LoadStopReason | null;
	readonly summary: LoadSummary;
	/** Send − scheduled for the requests that found a free slot: how late the client itself sent. */
	readonly sendLagMs: {readonly p50: number; readonly p99: number; readonly max: number};
	/** True when sendLagMs.p99 was over 5 ms: the client, not the server, limited this step. */
	readonly clientLimited: boolean;
	readonly requests: LoadRequests;
};

/** The simulator's stated, illustrative load behaviour of a model (a preset's `load:`): modelled, not measured. */
export type SimulatedLoad = {
	/** Concurrent sequences the model serves at its published speed; beyond them requests queue and decode slows. */
	readonly sequences: number;
};

export type LoadModelResult = {
	readonly id: string;
	readonly name: string;
	readonly provider: string | null;
	readonly baseURL: string;
	readonly price: Price;
	readonly bracket: BracketName | null;
	readonly reasoning: boolean;
	/** The simulated model's load behaviour; null for a real server. */
	readonly simulatedLoad: SimulatedLoad | null;
	readonly steps: readonly LoadStep[];
	/** With --sweep: the highest rate meeting the SLO, null when even the first step failed. */
	readonly maxRateMeetingSlo?: number | null | undefined;
	/** With --sweep: the SLO held at every rate tried, so the true maximum is higher. */
	readonly maxRateIsLowerBound?: boolean | undefined;
};

export const loadTranscriptSchema = 'llmrace/load@1';

/**
 * A load run's transcript: the race transcript's header fields as they are (`simulated`: served by the
 * simulator, so every figure's load curve is modelled, not measured), its own settings and models.
 */
export type LoadTranscript = Pick<Transcript, 'tool' | 'startedAt' | 'finishedAt' | 'region' | 'prompt' | 'preset' | 'simulated' | 'aborted'> & {
	readonly schema: typeof loadTranscriptSchema;
	/** A random UUID made when the run starts. */
	readonly id: string;
	readonly settings: LoadSettings;
	readonly measurement: Measurement | null;
	readonly models: readonly LoadModelResult[];
};

/** What the live load view reads of one model, every frame (never per chunk). */
export type LoadModelLive = {
	readonly id: string;
	readonly name: string;
	/** 1-based step number, and the most steps this model may run (8 with --sweep). */
	readonly step: number;
	readonly stepsAtMost: number;
	readonly rate: number;
	readonly elapsedMs: number;
	readonly durationMs: number | null;
	readonly inFlight: number;
	readonly queued: number;
	readonly done: number;
	readonly failed: number;
	/** Over the last 10 s, queue-inclusive; null before any request ended there. */
	readonly recent: {
		readonly ttftP50Ms: number | null;
		readonly ttftP99Ms: number | null;
		readonly e2eP50Ms: number | null;
		readonly e2eP99Ms: number | null;
	};
	/** Latency over time: the p99 TTFT (queue-inclusive) of each second so far of the current step, oldest first. */
	readonly spark: readonly number[];
	/** Whether the requests so far of the current step meet the SLO; null before any ended. */
	readonly sloPass: boolean | null;
	readonly state: 'waiting' | 'running' | 'done' | 'stopped';
	readonly stopped: LoadStopReason | null;
};

export type LoadSnapshot = {
	/** Changes whenever anything the view shows changed. */
	readonly version: number;
	readonly elapsedMs: number;
	readonly models: readonly LoadModelLive[];
	readonly client: {
		/** Each stamping thread's event-loop delay p99 so far. */
		readonly threadDelayP99Ms: readonly number[];
		/** How late requests left against their schedule, p99 so far. */
		readonly sendLagP99Ms: number | null;
	};
	readonly finished: boolean;
};

/** A running load: the view samples `snapshot()` on its own timer; `stop()` ends it, keeping what arrived. */
export type LoadRun = {
	snapshot(): LoadSnapshot;
	stop(): void;
	readonly done: Promise<LoadTranscript>;
};

/** What the live load view and its leaderboard show in their header, besides the run itself. */
export type LoadMeta = {
	readonly prompt: string;
	readonly preset: string;
	readonly region: string | null;
	/** Simulated models: every screen says the load curve is modelled, not measured. */
	readonly simulated: boolean;
	readonly settings: LoadSettings;
	/** Frames per second of the live view (`--max-fps`). */
	readonly maxFps: number;
	/** Where `w` saves (`--save`), when given. */
	readonly savePath: string | null;
};
