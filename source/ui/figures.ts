// What a live model shows: stopwatch, thinking time, state words. Pure, from a snapshot and the clock.
import {formatMs} from '../core/format.js';
import type {ModelView} from '../core/race.js';

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

export function stateLabel(model: ModelView): string {
	const run = model.runCount > 1 ? ` · ${model.warmup ? 'warm-up' : 'run'} ${model.runNumber}/${model.runCount}` : '';
	return `${model.state}${run}`;
}

export function thinkingLabel(ms: number | null): string {
	return ms === null ? '' : `think ${formatMs(ms)}`;
}
