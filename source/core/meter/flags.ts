// The run flags a meter raises (docs/metrics.md "flags"): their thresholds, the stall test, the gaps between text chunks.
import {percentileSorted} from '../stats/stats.js';
import type {InterChunk, RunFlag} from '../types.js';

/** A gap of at least this long, and of 10 × the run's median gap, is a stall. */
export const stallFloorMs = 1000;

export const stallMedianFactor = 10;

/** `buffered` needs at least this many text chunks… */
export const bufferedMinimumChunks = 20;

/** …a read carrying at least this many text chunks is a burst… */
export const burstChunks = 5;

/** …and at least this share of the text chunks arrived in bursts. */
export const bufferedBurstShare = 0.5;

/** `client-late`: the run's own stamping thread was late by more than this while it ran (ms). */
export const clientLateMs = 20;

/** `usage-mismatch`: usage differs from the count of what was streamed by more than this share of the count. */
export const usageMismatchShare = 0.5;

/** The gap that makes a stall for a run whose median gap is `medianGapMs`. */
export function stallThresholdMs(medianGapMs: number): number {
	return Math.max(stallFloorMs, stallMedianFactor * medianGapMs);
}

/**
 * The text chunks that arrived in bursts: in a socket read that brought `burstChunks` or more of them.
 * Every chunk of one read carries that read's stamp (http/stream-body.ts), and two reads never share
 * one, so the reads are the runs of equal offsets in `arrivals`.
 */
export function chunksInBursts(arrivals: readonly number[]): number {
	let inBursts = 0;
	let start = 0;
	for (let index = 1; index <= arrivals.length; index++) {
		if (index === arrivals.length || arrivals[index] !== arrivals[start]) {
			const size = index - start;
			if (size >= burstChunks) {
				inBursts += size;
			}

			start = index;
		}
	}

	return inBursts;
}

/**
 * `buffered`: at least 20 text chunks, half of them or more in reads of 5 or more. A direct stream
 * brings its chunks one or two a read, however fast, as long as its stamping thread is on time; a
 * buffer brings them in the bursts it flushes (200 one-token events in ~12 reads, or 30 events of
 * 10–40 tokens in 3–4 reads). A run whose thread was late (`client-late`) is never `buffered`: the
 * chunks waited in its own socket, not in a proxy.
 */
export function isBuffered(arrivals: readonly number[], clientLate: boolean): boolean {
	return !clientLate && arrivals.length >= bufferedMinimumChunks && chunksInBursts(arrivals) >= bufferedBurstShare * arrivals.length;
}

export type FlagInputs = {
	/** Offsets from t0 of the text chunks, one per chunk, each the stamp of the read that brought it. */
	readonly arrivals: readonly number[];
	readonly interChunkMs: InterChunk | null;
	readonly usageMismatch: boolean;
	readonly truncated: boolean;
	/** The worst delay of the run's own stamping thread while it ran; null when not watched. */
	readonly clientDelayMs: number | null;
};

/** What makes a run's figures doubtful (docs/metrics.md "flags"), in the order of `runFlags`. */
export function flagsOf({arrivals, interChunkMs, usageMismatch, truncated, clientDelayMs}: FlagInputs): RunFlag[] {
	const flags: RunFlag[] = [];
	const clientLate = clientDelayMs !== null && clientDelayMs > clientLateMs;
	if (isBuffered(arrivals, clientLate)) {
		flags.push('buffered');
	}

	if (clientLate) {
		flags.push('client-late');
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
