// The history's shapes (docs/history.md): what the store gives back and what the trend and regions
// computations read. Plain data; the SQL that fills them lives in source/store/.

/** Filters of every history view. */
export type HistoryFilter = {
	/** ISO time: only races started at or after it (`--since 30d`). */
	readonly since: string | null;
	readonly region: string | null;
	/** The machine's label (LLMRACE_HOST or its host name), not a model's base URL. */
	readonly host: string | null;
	readonly preset: string | null;
};

export const noFilter: HistoryFilter = {since: null, region: null, host: null, preset: null};

export type RaceKind = 'race' | 'load';

/** A line of `llmrace history`. */
export type RaceListing = {
	readonly id: string;
	readonly kind: RaceKind;
	readonly startedAt: string;
	readonly finishedAt: string;
	readonly preset: string;
	readonly region: string | null;
	readonly host: string;
	readonly simulated: boolean;
	readonly aborted: boolean;
	/** Model ids, in the race's order. */
	readonly models: readonly string[];
	/** The model with the lowest median TTFT (a load run: at its first step), null when none completed. */
	readonly fastest: {readonly model: string; readonly ttftMs: number} | null;
};

/** A model across races: the same id served from the same base URL host. */
export type ModelKey = {
	readonly id: string;
	readonly baseUrlHost: string;
	readonly name: string;
};

/** One completed timed run of a model, as the trend reads it. */
export type TrendRun = {
	readonly raceId: string;
	readonly startedAt: string;
	readonly ttftMs: number | null;
	readonly ttfaMs: number | null;
	readonly tokensPerSecond: number | null;
};

/** A model's completed timed runs in one race, each metric's values in run order (what the store keeps per race). */
export type TrendRace = {
	readonly raceId: string;
	readonly startedAt: string;
	readonly ttftMs: ReadonlyArray<number | null>;
	readonly ttfaMs: ReadonlyArray<number | null>;
	readonly tokensPerSecond: ReadonlyArray<number | null>;
};
