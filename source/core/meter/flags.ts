// The run flags a meter raises (SPEC §2 "flags"): their thresholds, the stall test, the gaps between text chunks.
import {percentileSorted} from '../stats/stats.js';
import type {InterChunk, RunFlag} from '../types.js';

/** A gap of at least this long, and of 10 × the run's median gap, is a stall. */
export const stallFloorMs = 1000;

export const stallMedianFactor = 10;

/** `buffered` needs at least this many text chunks, arriving in fewer than one socket read per `bufferedChunksPerRead`. */
export const bufferedMinimumChunks = 20;

export const bufferedChunksPerRead = 10;

/** `usage-mismatch`: usage differs from the count of what was streamed by more than this share of the count. */
export const usageMismatchShare = 0.5;

/** The gap that makes a stall for a run whose median gap is `medianGapMs`. */
export function stallThresholdMs(medianGapMs: number): number {
	return Math.max(stallFloorMs, stallMedianFactor * medianGapMs);
}

/**
 * What makes a run's figures doubtful (SPEC §2 "flags"), in the order of `runFlags`: from its socket reads,
 * its text chunks, the gaps between them, whether usage disagrees with what was streamed, and whether it was cut.
 */
export function flagsOf(socketReads: number, textChunks: number, interChunkMs: InterChunk | null, usageMismatch: boolean, truncated: boolean): RunFlag[] {
	const flags: RunFlag[] = [];
	// A caller that never counts reads (socketReads 0) cannot tell: no flag.
	if (socketReads > 0 && textChunks >= bufferedMinimumChunks && socketReads * bufferedChunksPerRead < textChunks) {
		flags.push('buffered');
	}

	if (interChunkMs && interChunkMs.max >= stallThresholdMs(interChunkMs.p50)) {
		flags.push('stalled');
	}

	if (usageMismatch) {
		flags.push('usage-mismatch');
	}

	if (truncated) {
		flags.push('truncated');
	}

	return flags;
}

/** The gaps between consecutive arrivals, sorted. */
export function gapsOf(arrivals: readonly number[]): number[] {
	const gaps: number[] = [];
	for (let index = 1; index < arrivals.length; index++) {
		gaps.push(arrivals[index]! - arrivals[index - 1]!);
	}

	return gaps.sort((a, b) => a - b);
}

/** p50/p95/p99/max of the gaps between consecutive arrivals; null with fewer than two. */
export function interChunkGaps(arrivals: readonly number[]): InterChunk | null {
	if (arrivals.length < 2) {
		return null;
	}

	const gaps = gapsOf(arrivals);
	return {
		p50: percentileSorted(gaps, 50),
		p95: percentileSorted(gaps, 95),
		p99: percentileSorted(gaps, 99),
		max: gaps.at(-1)!,
	};
}
