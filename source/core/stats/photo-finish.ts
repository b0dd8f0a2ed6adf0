// Is the lead real? Photo finishes in a ranking, and whether two races really differ. Pure.
import type {SortKey} from './ranking.js';
import type {ConfidenceInterval, ModelSummary, Stat} from '../types.js';

/** The summary metrics that carry a confidence interval. */
export type IntervalMetric = 'ttftMs' | 'ttfaMs' | 'tokensPerSecond' | 'totalMs';

/** The interval metric a leaderboard sort key ranks by; null for keys without one (price, cost, name). */
export function intervalMetricOf(key: SortKey | IntervalMetric): IntervalMetric | null {
	switch (key) {
		case 'ttft': {
			return 'ttftMs';
		}

		case 'ttfa': {
			return 'ttfaMs';
		}

		case 'tps': {
			return 'tokensPerSecond';
		}

		case 'total': {
			return 'totalMs';
		}

		case 'ttftMs':
		case 'ttfaMs':
		case 'tokensPerSecond':
		case 'totalMs': {
			return key;
		}

		default: {
			return null;
		}
	}
}

/** Two closed intervals share at least one point. */
export function intervalsOverlap(a: ConfidenceInterval, b: ConfidenceInterval): boolean {
	return a.lo <= b.hi && b.lo <= a.hi;
}

/**
 * Photo finishes in a ranking: for `models` in their sort order, one boolean per
 * model, true when its interval of the sort `metric` overlaps the interval of the
 * model just above it (shown as `≈`: at this many runs the data cannot separate
 * them). The first model is never a photo finish; nor is a model, or a neighbour,
 * without an interval (fewer than 3 completed runs, or a metric without one such as
 * price, cost or name).
 */
export function photoFinish(models: ReadonlyArray<{readonly summary: ModelSummary}>, metric: SortKey | IntervalMetric): boolean[] {
	const key = intervalMetricOf(metric);
	return models.map((model, index) => {
		if (key === null || index === 0) {
			return false;
		}

		const here = model.summary[key]?.ci;
		const above = models[index - 1]!.summary[key]?.ci;
		return here !== undefined && above !== undefined && intervalsOverlap(here, above);
	});
}

/**
 * Whether the difference between two races' medians of one metric is real: true when
 * each median lies outside the other's interval (b's median outside a's ci AND a's
 * median outside b's ci), false when either falls inside, null when either lacks an
 * interval (fewer than 3 completed runs) — then nothing can be said.
 */
export function differenceIsReal(a: Pick<Stat, 'median' | 'ci'> | null | undefined, b: Pick<Stat, 'median' | 'ci'> | null | undefined): boolean | null {
	if (!a?.ci || !b?.ci) {
		return null;
	}

	const outside = (median: number, ci: ConfidenceInterval) => median < ci.lo || median > ci.hi;
	return outside(b.median, a.ci) && outside(a.median, b.ci);
}
