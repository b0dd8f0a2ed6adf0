// Is the lead real? The distribution-free confidence interval of a median (docs/metrics.md "ci"). Pure, exact.
import type {ConfidenceInterval} from '../types.js';

/** The coverage we aim for. */
export const targetLevel = 0.95;

/** Fewest values that get an interval. */
export const minimumCiValues = 3;

/** Digits of `level` kept from the exact fraction (the transcript rounds further). */
const levelDigits = 15n;

type MedianRanks = {readonly lower: number; readonly upper: number; readonly level: number};

/**
 * The ranks by count, each worked out once: the exact sums cost O(n) BigInt steps, and a history trend asks
 * for the same few hundred counts thousands of times (docs/history.md "Cost").
 */
const knownRanks = new Map<number, MedianRanks>();

/**
 * The ranks of the interval and its exact coverage, for `n` values.
 *
 * With the values sorted, x(k) ≤ median ≤ x(n−k+1) covers the true median with
 * probability P(k ≤ B ≤ n−k), B ~ Binomial(n, 1/2), whatever the distribution
 * (continuous). That is 1 − 2·P(B ≤ k−1). The narrowest symmetric pair is the
 * largest k whose coverage is still ≥ 0.95; when even k = 1 ([min, max]) falls
 * short, it is k = 1 with its true coverage (1 − 2/2ⁿ: 0.75 for 3 values).
 * Sums are exact (BigInt binomial coefficients), so the answer is deterministic.
 */
export function medianRanks(n: number): MedianRanks | null {
	if (!Number.isInteger(n) || n < minimumCiValues) {
		return null;
	}

	let ranks = knownRanks.get(n);
	if (!ranks) {
		ranks = computeRanks(n);
		knownRanks.set(n, ranks);
	}

	return ranks;
}

function computeRanks(n: number): MedianRanks {
	const total = 2n ** BigInt(n);
	const big = BigInt(n);
	// coverage(k) ≥ 0.95 ⇔ 20 · (2ⁿ − 2·tail(k)) ≥ 19 · 2ⁿ, tail(k) = Σ_{i<k} C(n, i).
	const meets = (tail: bigint) => 20n * (total - 2n * tail) >= 19n * total;
	let coefficient = 1n; // C(n, 0)
	let tail = 1n; // tail(1) = C(n, 0)
	let k = 1;
	// Try k + 1 while it keeps both ranks on their sides of the median and still meets the target.
	while (k + 1 <= n - k) {
		coefficient = (coefficient * (big - BigInt(k - 1))) / BigInt(k); // C(n, k)
		const next = tail + coefficient;
		if (!meets(next)) {
			break;
		}

		tail = next;
		k++;
	}

	const covered = total - 2n * tail;
	const scale = 10n ** levelDigits;
	const level = Number((covered * scale) / total) / Number(scale);
	return {lower: k, upper: n - k + 1, level};
}

/** The interval of the median of already sorted values; null with fewer than 3. */
export function medianIntervalSorted(sorted: ArrayLike<number>): ConfidenceInterval | null {
	const ranks = medianRanks(sorted.length);
	if (!ranks) {
		return null;
	}

	return {lo: sorted[ranks.lower - 1]!, hi: sorted[ranks.upper - 1]!, level: ranks.level};
}
