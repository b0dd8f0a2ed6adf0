// How late the stamping thread was while each run was in flight (docs/metrics.md `clientDelayMs`, `client-late`).
import {performance} from 'node:perf_hooks';

/** The watch's tick (ms): a late tick is an event loop that was busy (or not scheduled) for that long. */
const tickMs = 10;

export type RunWatch = {
	/** Stop watching; the worst lateness seen while watched (ms, 2 decimals). */
	readonly stop: () => number;
};

type Watched = {worst: number};

const watched = new Set<Watched>();
let timer: NodeJS.Timeout | undefined;
let due = 0;
/** The worst lateness since `takeRecentLateness` was last called. */
let recent = 0;

/** The worst lateness of this thread's watch since the last call (ms): what the live view reports. */
export function takeRecentLateness(): number {
	const worst = recent;
	recent = 0;
	return Math.round(Math.max(0, worst) * 100) / 100;
}

function tick(): void {
	const now = performance.now();
	const late = now - due;
	if (late > recent) {
		recent = late;
	}

	for (const run of watched) {
		if (late > run.worst) {
			run.worst = late;
		}
	}

	schedule(now);
}

function schedule(now: number): void {
	due = now + tickMs;
	timer = setTimeout(tick, tickMs);
	timer.unref();
}

/**
 * Watch this thread's event loop while a run is in flight: one timer for all the runs of the thread,
 * ticking only while some run is watched, nothing on the per-chunk path. A tick that fires late
 * means that every stamp taken in that time could be late by as much.
 */
export function watchRun(): RunWatch {
	const run: Watched = {worst: 0};
	watched.add(run);
	if (!timer) {
		schedule(performance.now());
	}

	return {
		stop() {
			if (watched.delete(run)) {
				// The tick that is due now counts too: a run that ends right after a block saw it.
				const late = performance.now() - due;
				run.worst = Math.max(run.worst, late);
				if (watched.size === 0 && timer) {
					clearTimeout(timer);
					timer = undefined;
				}
			}

			return Math.round(Math.max(0, run.worst) * 100) / 100;
		},
	};
}
