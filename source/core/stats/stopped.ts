// A model stopped by Ctrl-C before it completed a run still has figures: the TTFT, tok/s and tokens
// its stopped run got to. Every place that shows a model's figures (the leaderboard, the plain table,
// the reports) and sorts by them takes them from here, so they agree (docs/metrics.md).
import type {ModelSummary, RunRecord} from '../types.js';

type WithRuns = {readonly summary: ModelSummary; readonly runs?: readonly RunRecord[]};

/** The run a model was stopped in (Ctrl-C, SIGINT), when it completed none; else null. */
export function stoppedRun(model: WithRuns): RunRecord | null {
	if (model.summary.ok > 0 || !model.runs) {
		return null;
	}

	const last = model.runs.filter(run => !run.warmup).at(-1) ?? model.runs.at(-1);
	return last?.status === 'aborted' ? last : null;
}

/** The figures a stopped run has; its total is not one (the stream did not end). */
export type ShownMetric = 'ttftMs' | 'ttfaMs' | 'tokensPerSecond' | 'outputTokens';

/** A model's figure as shown: the median over its completed timed runs, else its stopped run's own; null when neither has it. */
export function shownFigure(model: WithRuns, metric: ShownMetric): number | null {
	const median = model.summary[metric]?.median;
	if (median !== undefined) {
		return median;
	}

	return stoppedRun(model)?.[metric] ?? null;
}
