// When a step ends early (docs/load.md "Stops"): too many errors, too many 429s, or a queue that keeps growing.
import type {LoadStopReason} from './types.js';

/** A step may stop early only once this many of its requests have ended. */
export const stopMinimumEnded = 20;
export const errorShare = 0.1;
export const rateLimitShare = 0.05;
/** Saturated: the median queue of the last window is over this, and over `saturationFactor` × that of the first window. */
export const saturationQueueMs = 1000;
export const saturationFactor = 2;
export const saturationWindowMs = 5000;

/** `errors` when more than 10 % of the ended requests failed, `rate_limit` when more than 5 % were 429; else null. */
export function failureStop(ended: number, failed: number, rateLimited: number): LoadStopReason | null {
	if (ended < stopMinimumEnded) {
		return null;
	}

	if (rateLimited > rateLimitShare * ended) {
		return 'rate_limit';
	}

	return failed > errorShare * ended ? 'errors' : null;
}

const median = (values: number[]): number => {
	values.sort((a, b) => a - b);
	const middle = (values.length - 1) / 2;
	return (values[Math.floor(middle)]! + values[Math.ceil(middle)]!) / 2;
};

/**
 * `saturated`: the median queue time of the last 5 s is over 1 s and over twice that of the step's
 * first 5 s. The first 5 s: the queues of the requests sent then. The last 5 s: the queues of the
 * requests sent in them, and of the arrivals of those 5 s still waiting, counted with the time waited
 * so far (a server that stopped answering sends nothing, yet its queue grows).
 * `scheduledMs` ascending; `sentMs(i)` is when arrival i was sent (from the step's start), null while it
 * waits for a slot, undefined while that is not known yet (the thread that sends has not said: not counted).
 */
export function isSaturated(options: {
	readonly ended: number;
	readonly nowMs: number;
	readonly scheduledMs: readonly number[];
	readonly sentMs: (index: number) => number | null | undefined;
}): boolean {
	const {nowMs, scheduledMs} = options;
	if (options.ended < stopMinimumEnded || nowMs < 2 * saturationWindowMs) {
		return false;
	}

	const first: number[] = [];
	const last: number[] = [];
	const since = nowMs - saturationWindowMs;
	for (let index = 0; index < scheduledMs.length; index++) {
		const at = scheduledMs[index]!;
		if (at > nowMs) {
			break;
		}

		const sent = options.sentMs(index);
		if (sent === undefined) {
			continue;
		}

		if (sent === null) {
			if (at >= since) {
				last.push(nowMs - at);
			}

			continue;
		}

		if (sent < saturationWindowMs) {
			first.push(sent - at);
		}

		if (sent >= since) {
			last.push(sent - at);
		}
	}

	if (last.length === 0) {
		return false;
	}

	const recent = median(last);
	return recent > saturationQueueMs && recent > saturationFactor * (first.length === 0 ? 0 : median(first));
}
