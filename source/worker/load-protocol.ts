// Messages between the UI thread and the load worker, which coordinates a load run on its stamping
// threads (docs/load.md "The client must not be the bottleneck", docs/stamping-threads.md).
import type {LoadRunSpec} from '../core/load/engine.js';
import type {LoadModelLive, LoadModelResult} from '../core/load/types.js';
import type {Measurement} from '../core/types.js';

/** The load worker's `workerData`: its stamping threads, started (and warm) before it says ready. */
export type LoadWorkerBoot = {
	readonly threads: number;
	/** How often each stamping thread reports its event-loop delay (ms). */
	readonly progressMs: number;
};

export type LoadWorkerStart = LoadRunSpec & {
	/** API keys by environment variable name (only those the models use). */
	readonly keys: Readonly<Record<string, string>>;
	/** The estimated cost of one request per model id. */
	readonly requestCostUSD: Readonly<Record<string, number>>;
	/** The shared --max-cost counter (core/load/budget.ts). */
	readonly budget: SharedArrayBuffer;
	readonly maxCostUSD: number | null;
	/** How often the worker posts its models' live figures (ms): on a timer, never per chunk. */
	readonly frameMs: number;
};

export type ToLoadWorker = {readonly type: 'start'; readonly input: LoadWorkerStart} | {readonly type: 'stop'} | {readonly type: 'close'};

export type FromLoadWorker =
	| {readonly type: 'ready'}
	| {readonly type: 'failed'; readonly message: string}
	| {
			readonly type: 'live';
			readonly models: readonly LoadModelLive[];
			/** Each stamping thread's event-loop delay p99 so far (ms). */
			readonly threadDelayP99Ms: readonly number[];
			/** Send lags (ms) since the last message. */
			readonly lags: readonly number[];
	  }
	| {
			readonly type: 'done';
			readonly models: readonly LoadModelResult[];
			readonly live: readonly LoadModelLive[];
			readonly lags: readonly number[];
			/** The stamping threads' event-loop delay and streams (null when nothing was sent). */
			readonly measurement: Measurement | null;
	  };
