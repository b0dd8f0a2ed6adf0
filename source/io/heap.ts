// Collect garbage before a race, never during one.
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';

let collect: (() => void) | undefined;

/**
 * One full garbage collection, now. Loading the tokenizer's tables leaves ~20 MB of young
 * objects; left alone, the first scavenge of the race copies them all: measured 24–36 ms
 * with the thread stopped (stamps and all), and a 12 ms mark-compact right after. Collected
 * here, before the first t0, they are in the old generation and the race's scavenges copy
 * only the race's own survivors. (`gc` is V8's, exposed to a fresh context only.)
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
