// Messages between a coordinating thread and its stamping threads (worker/stamp-pool.ts, worker/stamp-worker.ts).
// A job has a kind: `stream` (one request of a race) or `load-step` (one model's step of a load run: the
// thread fires its arrivals itself, docs/stamping-threads.md). Another engine adds its kind here and a
// runner in stamp-worker.ts: the pool, its threads and their delay monitors are shared.
import type {MeterDelta} from '../core/meter/meter.js';
import type {StreamEnding} from '../core/http/stream.js';
import type {StreamJob} from '../core/race/streamer.js';
import type {LoadStepRequest} from '../core/load/dispatch.js';
import type {LoadStopReason} from '../core/load/types.js';
import type {DelayStat} from '../core/types.js';

export type StampBoot = {
	/** How often a thread posts what its streams recorded (ms; a live view's frame); null: every 100 ms (headless). */
	readonly progressMs: number | null;
	/**
	 * Its coordinator's end is elsewhere: this thread was started by another thread than the one it
	 * stamps for (session/engine-boot.ts starts the live engine's first stamping thread beside the
	 * engine's worker), and talks to its coordinator on this port instead of its parent.
	 */
	readonly port?: import('node:worker_threads').MessagePort | undefined;
	/** The build's own start (build/bundle-workers.ts): once warm, write the V8 code cache (worker/stamp-start.ts). */
	readonly writeCodeCache?: boolean | undefined;
};

export type JobInput =
	| {readonly kind: 'stream'; readonly job: StreamJob}
	| {
			readonly kind: 'load-step';
			readonly step: LoadStepRequest;
			/** The run's --max-cost counter (core/load/budget.ts) and its limit. */
			readonly budget: SharedArrayBuffer;
			readonly maxCostUSD: number | null;
	  };

/** What a load step's thread tells its coordinator (times on the thread's clock). See core/load/dispatch.ts `StepEvents`. */
export type LoadStepEvent =
	| {readonly kind: 'start'; readonly startMs: number}
	| {readonly kind: 'queued'; readonly index: number}
	| {readonly kind: 'sent'; readonly index: number; readonly t0: number; readonly fromQueue: boolean}
	| {readonly kind: 'ended'; readonly index: number; readonly ending: StreamEnding; readonly delta: MeterDelta | null}
	| {readonly kind: 'cost'}
	| {readonly kind: 'settled'; readonly arrived: number};

export type ToStamper =
	| {readonly type: 'job'; readonly id: number; readonly input: JobInput}
	| {readonly type: 'abort'; readonly id: number}
	/** Stop a load step: no more arrivals; with `aborted` its requests in flight are cut too. */
	| {readonly type: 'stop-step'; readonly id: number; readonly reason: LoadStopReason}
	/** Start a new measurement: the delay monitor restarts at the next send. */
	| {readonly type: 'measure-start'}
	| {readonly type: 'measure-stop'}
	| {readonly type: 'close'};

export type FromStamper =
	| {readonly type: 'ready'; readonly timeOrigin: number}
	| {readonly type: 'failed'; readonly message: string}
	/** The job's turn to be prepared and sent came. */
	| {readonly type: 'turn'; readonly id: number}
	/** The request that streams is about to go, at t0 (this thread's clock). */
	| {readonly type: 'sent'; readonly id: number; readonly t0: number}
	/**
	 * What the streams recorded since the last post, the thread's worst lateness since then (ms), and its
	 * event-loop delay p99 since the measurement started (ms; 0 before its first send).
	 */
	| {
			readonly type: 'progress';
			readonly deltas: ReadonlyArray<{readonly id: number; readonly delta: MeterDelta}>;
			readonly lateMs: number;
			readonly delayP99Ms: number;
	  }
	/** Events of a load step (job `id`), in the order they happened; the last is `settled`. */
	| {readonly type: 'load'; readonly id: number; readonly events: readonly LoadStepEvent[]}
	/** The job ended: how, and the meter's last delta; null when it was stopped before its turn. */
	| {readonly type: 'done'; readonly id: number; readonly ending: StreamEnding | null; readonly delta: MeterDelta | null}
	| {readonly type: 'measured'; readonly eventLoopDelayMs: DelayStat | null; readonly streams: number};
