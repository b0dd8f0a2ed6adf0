// What a live model shows: stopwatch, thinking time, state words. Pure, from a snapshot and the clock.
import {formatMs} from '../../core/text/format.js';
import type {ModelView} from '../../core/race/race.js';

/** TTFT so far: frozen once the first token arrived, ticking before that while the run is live. */
export function stopwatchMs(model: ModelView, now: number): {ms: number | null; frozen: boolean} {
	if (model.live?.ttftMs !== null && model.live?.ttftMs !== undefined) {
		return {ms: model.live.ttftMs, frozen: true};
	}

	if (model.t0 !== null && model.endedAt === null) {
		return {ms: now - model.t0, frozen: false};
	}

	return {ms: null, frozen: true};
}

/** Thinking time of a reasoning run: from the first token to the first answer token (ticking while thinking). */
export function thinkingMs(model: ModelView, now: number): number | null {
	const live = model.live;
	if (!live || live.ttftMs === null || model.t0 === null) {
		return null;
	}

	if (live.ttfaMs !== null) {
		return live.ttfaMs > live.ttftMs ? live.ttfaMs - live.ttftMs : null;
	}

	const end = model.endedAt ?? now;
	return model.reasoningText ? end - model.t0 - live.ttftMs : null;
}

/**
 * The tok/s a model shows: rolling (tokens in the last second) while its run streams,
 * the median decode speed of its completed runs after; null before any token.
 */
export function shownRate(model: ModelView): {readonly value: number; readonly live: boolean} | null {
	if (model.live && model.live.tokens > 0 && model.endedAt === null) {
		return {value: model.live.rollingTokensPerSecond, live: true};
	}

	const median = model.summary.tokensPerSecond?.median;
	return median === undefined ? null : {value: median, live: false};
}

/** As text: a whole number while live, one decimal once measured. */
export function formatShownRate(rate: ReturnType<typeof shownRate>): string {
	if (!rate) {
		return '—';
	}

	return rate.live ? rate.value.toFixed(0) : rate.value.toFixed(1);
}

/** How long the live stream has been stalled (docs/metrics.md `stalled`), while it lasts; null when it streams or ended. */
export function stalledMs(model: ModelView): number | null {
	const stalled = model.live?.stalledMs;
	return stalled === null || stalled === undefined || model.endedAt !== null ? null : stalled;
}

/** "stalled 1.4 s" (whole seconds from 10 s: at most 13 cells up to 999 s). */
export function stallLabel(ms: number): string {
	const seconds = ms / 1000;
	return `stalled ${seconds < 9.95 ? seconds.toFixed(1) : Math.round(seconds)} s`;
}

/** The state word of a panel, or `stalled 1.4 s` while the stream is stalled. */
export function stateLabel(model: ModelView): string {
	const stalled = stalledMs(model);
	const run = model.runCount > 1 ? ` · ${model.warmup ? 'warm-up' : 'run'} ${model.runNumber}/${model.runCount}` : '';
	return `${stalled === null ? model.state : stallLabel(stalled)}${run}`;
}

export function thinkingLabel(ms: number | null): string {
	return ms === null ? '' : `think ${formatMs(ms)}`;
}
