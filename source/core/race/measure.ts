// The stamping thread's event-loop delay while a race runs (docs/metrics.md "measurement").
import {monitorEventLoopDelay} from 'node:perf_hooks';
import type {DelayStat, Measurement} from '../types.js';

/** Sampling interval of the event-loop delay monitor (ms): coarse enough to cost nothing, fine enough for a race. */
const delayResolutionMs = 10;

/**
 * The monitor records the time between its timer's turns, which includes the resolution itself
 * (an idle loop reads ~10.1 ms): the delay is what lies beyond it, in ms to 2 decimals.
 */
const delayMs = (ns: number) => Math.round(Math.max(0, ns / 1e6 - delayResolutionMs) * 100) / 100;

/**
 * The stamping thread's event-loop delay (docs/metrics.md "measurement"): every stamp taken on this thread
 * can be late by that much. Enabled at the race's first t0, read and disabled once at its end;
 * nothing on the per-chunk path.
 */
export function createDelayMonitor() {
	const histogram = monitorEventLoopDelay({resolution: delayResolutionMs});
	let started = false;
	/** The delay so far; null before a sample. */
	const read = (): DelayStat | null =>
		!started || histogram.count === 0 ? null : {p50: delayMs(histogram.percentile(50)), p99: delayMs(histogram.percentile(99)), max: delayMs(histogram.max)};
	return {
		start(): void {
			if (!started) {
				started = true;
				histogram.enable();
			}
		},
		read,
		/** The delay while the race ran; null when it never started or took no sample. */
		stop(): Measurement | null {
			if (!started) {
				return null;
			}

			histogram.disable();
			const eventLoopDelayMs = read();
			return eventLoopDelayMs && {eventLoopDelayMs, clock: 'performance.now'};
		},
	};
}

/** Several stamping threads' delays as one measurement: each figure the worst across them, and each thread's own. */
export function measurementOfThreads(threads: NonNullable<Measurement['threads']>): Measurement | null {
	if (threads.length === 0) {
		return null;
	}

	const worst = (key: keyof DelayStat) => Math.max(...threads.map(thread => thread.eventLoopDelayMs[key]));
	return {eventLoopDelayMs: {p50: worst('p50'), p99: worst('p99'), max: worst('max')}, clock: 'performance.now', threads};
}
