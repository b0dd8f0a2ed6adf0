// What the live load view shows of a model's current step (docs/load.md "Live view"), kept as requests end.
import {percentileSorted} from '../stats/stats.js';

/** The live figures cover the requests that ended in the last 10 s. */
export const liveWindowMs = 10_000;

const ascending = (a: number, b: number) => a - b;

const p = (sorted: readonly number[], percentile: number) => (sorted.length === 0 ? null : percentileSorted(sorted, percentile));

/** The ended requests of one step, for the live view: recent p50/p99 and a p99 per second (the sparkline). */
export class LiveWindow {
	private readonly endsMs: number[] = [];
	private readonly ttftMs: number[] = [];
	private readonly e2eMs: number[] = [];
	/** Queue-inclusive TTFTs by the second (of the step) the request ended in. */
	private readonly seconds: number[][] = [];
	/** p99 of each second already over (they do not change). */
	private readonly sparkDone: number[] = [];

	/** A request ended `endMs` after the step's start; TTFT and e2e queue-inclusive (null when it failed first). */
	add(endMs: number, ttftMs: number | null, e2eMs: number | null): void {
		this.endsMs.push(endMs);
		this.ttftMs.push(ttftMs ?? Number.NaN);
		this.e2eMs.push(e2eMs ?? Number.NaN);
		if (ttftMs !== null) {
			const second = Math.max(0, Math.floor(endMs / 1000));
			while (this.seconds.length <= second) {
				this.seconds.push([]);
			}

			this.seconds[second]!.push(ttftMs);
		}
	}

	recent(nowMs: number): {ttftP50Ms: number | null; ttftP99Ms: number | null; e2eP50Ms: number | null; e2eP99Ms: number | null} {
		const ttft: number[] = [];
		const e2e: number[] = [];
		for (let index = this.endsMs.length - 1; index >= 0 && this.endsMs[index]! >= nowMs - liveWindowMs; index--) {
			if (!Number.isNaN(this.ttftMs[index]!)) {
				ttft.push(this.ttftMs[index]!);
			}

			if (!Number.isNaN(this.e2eMs[index]!)) {
				e2e.push(this.e2eMs[index]!);
			}
		}

		ttft.sort(ascending);
		e2e.sort(ascending);
		return {ttftP50Ms: p(ttft, 50), ttftP99Ms: p(ttft, 99), e2eP50Ms: p(e2e, 50), e2eP99Ms: p(e2e, 99)};
	}

	/** The p99 TTFT of each second so far, oldest first (a second without a request repeats the one before). */
	spark(nowMs: number): number[] {
		const current = Math.floor(nowMs / 1000);
		for (let second = this.sparkDone.length; second < current && second < this.seconds.length; second++) {
			const values = [...this.seconds[second]!].sort(ascending);
			this.sparkDone.push(values.length === 0 ? (this.sparkDone.at(-1) ?? 0) : percentileSorted(values, 99));
		}

		const open = [...(this.seconds[current] ?? [])].sort(ascending);
		return open.length === 0 ? [...this.sparkDone] : [...this.sparkDone, percentileSorted(open, 99)];
	}
}
