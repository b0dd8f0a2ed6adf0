// Collect garbage before a race, never during one.
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';

let collect: (() => void) | undefined;

/**
 * One full garbage collection, now: after the warm-up, before any t0. Loading the tokenizer's
 * tables leaves ~20 MB of young objects; left alone, the first race's first scavenge copies
 * them all: measured 24–36 ms with the thread stopped (stamps and all), and a 12 ms
 * mark-compact right after. Collected first, the race's scavenges copy only the race's own
 * survivors. Not repeated before later races: measured in the engine bench, races that each
 * followed a full collection used 0.071–0.099 CPU s per 1k tokens, 0.055–0.063 without.
 * (`gc` is V8's, exposed to a fresh context only.)
 */
export function settleHeap(): void {
	try {
		if (!collect) {
			const exposed = (globalThis as {gc?: () => void}).gc;
			if (exposed) {
				collect = exposed;
			} else {
				setFlagsFromString('--expose-gc');
				collect = runInNewContext('gc') as () => void;
				setFlagsFromString('--no-expose-gc');
			}
		}

		collect();
	} catch {
		// A runtime without V8's gc: the race's first scavenge pays instead.
	}
}
