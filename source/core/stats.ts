import type {Stat} from './types.js';

/**
 * The p-th percentile (0–100) of already sorted values, interpolating linearly
 * between the closest ranks: rank = p/100 × (n − 1). The median of an even
 * count is therefore the mean of the two middle values.
 */
export function percentileSorted(sorted: readonly number[], p: number): number {
	if (sorted.length === 0) {
		throw new RangeError('percentile of no values');
	}

	const rank = (p / 100) * (sorted.length - 1);
	const lower = Math.floor(rank);
	const upper = Math.ceil(rank);
	const low = sorted[lower]!;
	const high = sorted[upper]!;
	return low + ((high - low) * (rank - lower));
}

export function percentile(values: readonly number[], p: number): number {
	return percentileSorted([...values].sort((a, b) => a - b), p);
}

/** mean, median, p95, min, max of the values; null when there are none. */
export function summarize(values: ReadonlyArray<number | null | undefined>): Stat | null {
	const present = values.filter((value): value is number => typeof value === 'number' && Number.isFinite(value));
	if (present.length === 0) {
		return null;
	}

	const sorted = present.sort((a, b) => a - b);
	const sum = sorted.reduce((total, value) => total + value, 0);
	return {
		mean: sum / sorted.length,
		median: percentileSorted(sorted, 50),
		p95: percentileSorted(sorted, 95),
		min: sorted[0]!,
		max: sorted.at(-1)!,
	};
}

/** Round to a number of decimals for output (not for computation). */
export function round(value: number, decimals: number): number {
	const factor = 10 ** decimals;
	return Math.round(value * factor) / factor;
}
