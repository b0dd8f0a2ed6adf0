// What the live display reads of a run in flight: the view's shape and the rolling tok/s over the last second.

export type LiveRunView = {
	/** Offsets from t0 (ms). */
	readonly ttftMs: number | null;
	readonly ttfaMs: number | null;
	/** Tokens so far, estimated with the tokenizer unless the server already reported usage. */
	readonly tokens: number;
	readonly tokensEstimated: boolean;
	/**
	 * Tokens per second over the last 1000 ms, or over the time since the first token while the
	 * stream is younger than that (the first token opens the window, as it does for decode speed).
	 */
	readonly rollingTokensPerSecond: number;
	readonly textLength: number;
	/**
	 * How long the stream has been silent since its last text chunk, when that silence is a stall
	 * (at least max(1000 ms, 10 × the median gap so far)); null otherwise. Missing in views not made by a meter.
	 */
	readonly stalledMs?: number | null | undefined;
};

/** Window of the live rolling tok/s. */
export const rollingWindowMs = 1000;

/**
 * Tokens per second over the `rollingWindowMs` before `nowOffsetMs` (from the first token while the stream is younger):
 * `arrivals` are the text chunks' offsets from t0, `arrivalTokens` their token counts.
 */
export function rollingTokensPerSecond(arrivals: readonly number[], arrivalTokens: readonly number[], nowOffsetMs: number): number {
	const first = arrivals[0];
	let rolling = 0;
	if (first !== undefined) {
		// The window opens 1000 ms ago, or at the first token while the stream is younger: the first
		// chunk's tokens mark the start (as in decode speed), the ones after it are counted.
		const windowStart = Math.max(nowOffsetMs - rollingWindowMs, first);
		const coveredMs = nowOffsetMs - windowStart;
		let tokens = 0;
		for (let index = arrivals.length - 1; index >= 0; index--) {
			if (arrivals[index]! <= windowStart) {
				break;
			}

			tokens += arrivalTokens[index]!;
		}

		rolling = coveredMs > 0 ? tokens / (coveredMs / 1000) : 0;
	}

	return rolling;
}
