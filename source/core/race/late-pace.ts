// How a live race slows down while its stamping threads are late (README, measurement): the UI's frames,
// the engine's snapshots and the stamping threads' progress posts all go at most 4 times a second, from
// the first report of lateness over the `client-late` bound until 10 s after the last one. A local server
// that takes the cores takes them again, and every return to the full rate in between cost the stamps.
import {clientLateMs} from '../meter/flags.js';

/** At most this many frames, snapshots and progress posts a second while late. */
export const lateFramesPerSecond = 4;

/** The slow pace holds this long after the last report of lateness. */
export const lateHoldMs = 10_000;

/**
 * A hold: feed it each lateness read (ms) with the time it was read; it says whether to go at the slow pace
 * now, and the last lateness over the bound (what the header shows).
 */
export function createLateHold(): (now: number, lateMs: number) => {readonly slow: boolean; readonly lastLateMs: number} {
	let lastLateMs = 0;
	let until = Number.NEGATIVE_INFINITY;
	return (now, lateMs) => {
		if (lateMs > clientLateMs) {
			lastLateMs = lateMs;
			until = now + lateHoldMs;
		}

		return {slow: now < until, lastLateMs};
	};
}

/** The interval of something paced at `intervalMs`, at the slow pace when `slow`. */
export function pacedMs(intervalMs: number, slow: boolean): number {
	return slow ? Math.max(intervalMs, 1000 / lateFramesPerSecond) : intervalMs;
}
