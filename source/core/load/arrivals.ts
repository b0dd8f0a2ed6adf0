// Seeded arrival schedules of a load step (docs/load.md "Open loop"): the same offsets for every model.
import {createRandom, hashString} from '../stats/random.js';
import type {LoadArrivals} from './types.js';

/** A step's seed from the run's seed and the rate: every model offered this rate gets the same arrivals. */
function stepSeed(seed: number, rate: number): number {
	return hashString(`${seed}:${rate}`);
}

export type Schedule = {
	/** Offsets of the arrivals from the step's start (ms), ascending; the first is 0. */
	readonly offsetsMs: readonly number[];
	/** The step's scheduled duration (ms): --duration, or with --requests the end of the N-th arrival's gap. */
	readonly durationMs: number;
};

/**
 * The arrivals of one step at `rate` requests per second: `constant` every 1/rate s, `poisson`
 * with exponential gaps of mean 1/rate s (drawn from the seed). The first arrival is at 0. Either
 * `durationMs` (arrivals strictly inside it) or `requests` (exactly that many) bounds the step.
 */
export function arrivalSchedule(options: {
	readonly rate: number;
	readonly arrivals: LoadArrivals;
	readonly seed: number;
	readonly durationMs: number | null;
	readonly requests: number | null;
}): Schedule {
	const meanGapMs = 1000 / options.rate;
	const random = createRandom(stepSeed(options.seed, options.rate));
	// 1 − u is in (0, 1]: the logarithm is finite.
	const gap = options.arrivals === 'constant' ? () => meanGapMs : () => -Math.log(1 - random()) * meanGapMs;
	const offsetsMs: number[] = [];
	if (options.requests !== null) {
		let at = 0;
		for (let index = 0; index < options.requests; index++) {
			offsetsMs.push(options.arrivals === 'constant' ? index * meanGapMs : at);
			at += gap();
		}

		return {offsetsMs, durationMs: options.arrivals === 'constant' ? options.requests * meanGapMs : at};
	}

	const durationMs = options.durationMs ?? 30_000;
	for (let index = 0, at = 0; at < durationMs; index++) {
		offsetsMs.push(at);
		at = options.arrivals === 'constant' ? (index + 1) * meanGapMs : at + gap();
	}

	return {offsetsMs, durationMs};
}
