// Messages between the UI thread and the engine worker.
import type {RaceInput, RaceSnapshot} from '../core/race/race.js';
import type {Transcript} from '../core/types.js';

/** What the worker needs to boot (it loads the race's modules while its stamping threads boot and warm their HTTP stack). */
export type EngineBoot = {
	/** How often the worker posts a snapshot while a race runs. */
	readonly frameMs: number;
	/** Ports to stamping threads started beside this worker for it (session/engine-boot.ts), already booting. */
	readonly stampPorts?: ReadonlyArray<import('node:worker_threads').MessagePort> | undefined;
};

export type EngineInput = RaceInput & {
	/** API keys by environment variable name (only those the models use). */
	readonly keys: Readonly<Record<string, string>>;
};

export type ToWorker =
	| {readonly type: 'start'; readonly id: number; readonly input: EngineInput}
	| {readonly type: 'abort'; readonly id: number}
	| {readonly type: 'close'};

export type FromWorker =
	| {readonly type: 'ready'; readonly timeOrigin: number}
	| {readonly type: 'snapshot'; readonly id: number; readonly snapshot: RaceSnapshot}
	| {readonly type: 'done'; readonly id: number; readonly snapshot: RaceSnapshot; readonly transcript: Transcript}
	| {readonly type: 'failed'; readonly message: string};
