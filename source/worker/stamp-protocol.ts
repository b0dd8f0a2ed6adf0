// Messages between a coordinating thread and its stamping threads (worker/stamp-pool.ts, worker/stamp-worker.ts).
// A job has a kind; today there is one, `stream` (one request of a race). Another engine adds its kind here
// and a runner in stamp-worker.ts: the pool, its threads, their send gate and their delay monitors are shared.
import type {MeterDelta} from '../core/meter/meter.js';
import type {StreamEnding} from '../core/http/stream.js';
import type {StreamJob} from '../core/race/streamer.js';
import type {DelayStat} from '../core/types.js';

export type StampBoot = {
	/** How often a thread posts what its streams recorded (ms); null: only at each stream's end. */
	readonly progressMs: number | null;
};

export type JobInput = {readonly kind: 'stream'; readonly job: StreamJob};

export type ToStamper =
	| {readonly type: 'job'; readonly id: number; readonly input: JobInput}
	| {readonly type: 'abort'; readonly id: number}
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
	/** What the streams recorded since the last post, and the thread's worst lateness since then (ms). */
	| {readonly type: 'progress'; readonly deltas: ReadonlyArray<{readonly id: number; readonly delta: MeterDelta}>; readonly lateMs: number}
	/** The job ended: how, and the meter's last delta; null when it was stopped before its turn. */
	| {readonly type: 'done'; readonly id: number; readonly ending: StreamEnding | null; readonly delta: MeterDelta | null}
	| {readonly type: 'measured'; readonly eventLoopDelayMs: DelayStat | null; readonly streams: number};
