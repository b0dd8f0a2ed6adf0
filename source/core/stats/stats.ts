import {medianIntervalSorted} from './ci.js';
import type {Stat} from '../types.js';

/**
 * The p-th percentile (0–100) of already sorted values, interpolating linearly
 * between the closest ranks: rank = p/100 × (n − 1). The median of an even
 * count is therefore the mean of the two middle values.
 */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
	if (sorted.length === 0) {
		throw new RangeError('percentile of no values');
	}

	const rank = (p / 100) * (sorted.length - 1);
	const lower = Math.floor(rank);
	const upper = Math.ceil(rank);
	const low = sorted[lower]!;
	const high = sorted[upper]!;
	return low + (high - low) * (rank - lower);
}

export function percentile(values: readonly number[], p: number): number {
	return percentileSorted(
		[...values].sort((a, b) => a - b),
		p,
	);
}

/**
 * mean, median, p95, min, max of the values; null when there are none. With `ci`,
 * also the confidence interval of the median (ci.ts) when there are 3 or more values.
 */
export function summarize(values: ReadonlyArray<number | null | undefined>, options: {readonly ci?: boolean} = {}): Stat | null {
	const present = values.filter((value): value is number => typeof value === 'number' && Number.isFinite(value));
	return summarizeSorted(
		present.sort((a, b) => a - b),
		options,
	);
}

/**
 * `summarize` of finite values already sorted ascending: the same figures, without the sort (a history
 * trend merges lists it sorted once: docs/history.md "Cost").
 */
export function summarizeSorted(sorted: ArrayLike<number>, options: {readonly ci?: boolean} = {}): Stat | null {
	if (sorted.length === 0) {
		return null;
	}

	let sum = 0;
	for (let index = 0; index < sorted.length; index++) {
		sum += sorted[index]!;
	}

	const stat: Stat = {
		mean: sum / sorted.length,
		median: percentileSorted(sorted, 50),
		p95: percentileSorted(sorted, 95),
		min: sorted[0]!,
		max: sorted[sorted.length - 1]!,
	};
	const ci = options.ci ? medianIntervalSorted(sorted) : null;
	return ci ? {...stat, ci} : stat;
}

/** Round to a number of decimals for output (not for computation). */
export function round(value: number, decimals: number): number {
	const factor = 10 ** decimals;
	return Math.round(value * factor) / factor;
}
