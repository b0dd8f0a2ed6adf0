// The stamping threads of a coordinating thread, and a race's Streamer on them. The coordinator (the
// main thread headless, the engine's worker live) counts tokens, builds snapshots and summaries; the
// stamping threads only stamp (worker/stamp-worker.ts). See docs/stamping-threads.md.
import {availableParallelism} from 'node:os';
import {performance} from 'node:perf_hooks';
import type {MessagePort, Worker} from 'node:worker_threads';
import {RunMeter, type TokenCounter} from '../core/meter/meter.js';
import {measurementOfThreads} from '../core/race/measure.js';
import type {StreamJob, Streamer} from '../core/race/streamer.js';
import type {LoadStopReason} from '../core/load/types.js';
import type {Measurement} from '../core/types.js';
import {closeByPort, closeWorker, readyOn, startReadyWorker} from '../runtime/workers.js';
import type {FromStamper, JobInput, StampBoot, ToStamper} from './stamp-protocol.js';

/** Streams one stamping thread takes before the engine adds another (while there are cores for it). */
export const streamsPerThread = 128;

/**
 * The engine's rule: one stamping thread per 128 streams in flight (rounded up), at least one, and
 * at most one fewer than the cores: one core is left to the race's own thread (tokens, snapshots,
 * records) and to whatever else runs beside it (the UI, a local server). Measured on 2 cores against
 * a paced server on the same machine, 256 × 200 tok/s: two stamping threads put 3–4 busy threads on
 * 2 cores and the TTFT error max went from 116 ms (one thread) to 543 ms (`npm run bench -- scale`).
 */
export function threadsFor(streams: number, cores = availableParallelism()): number {
	return Math.max(1, Math.min(Math.ceil(streams / streamsPerThread), cores - 1));
}

/** What a job's owner hears from the thread that runs it. */
export type JobListener = (
	message:
		| Exclude<FromStamper, {type: 'ready' | 'failed' | 'progress' | 'measured'}>
		| {type: 'progress'; delta: NonNullable<Extract<FromStamper, {type: 'done'}>['delta']>},
) => void;

type Thread = {
	/** The thread, or the port to a thread another thread started (session/engine-boot.ts). */
	readonly worker: Worker | MessagePort;
	/** Add to this thread's clock to read the coordinator's. */
	readonly offsetMs: number;
	active: number;
	/** The worst lateness it reported in its last progress post, and when that came (this thread's clock). */
	lateMs: number;
	lateAt: number;
	/** Its event-loop delay p99 in the measurement so far (ms), as its last progress post said. */
	delayP99Ms: number;
};

/** A thread's report of lateness counts for this long. */
const latenessWindowMs = 1000;

export type StampPool = {
	/** Threads running now. */
	readonly size: () => number;
	/** Start threads until there are `count` (each warm before it takes a job). */
	readonly grow: (count: number) => Promise<void>;
	/** The worst lateness any thread reported within the last second (ms; 0 when none). */
	readonly lateness: () => number;
	/** Each thread's event-loop delay p99 in the measurement so far (ms), as it last said. */
	readonly delays: () => number[];
	/**
	 * Run a job on the least busy thread; returns how to stop it (`stopStep` for a load step). The
	 * thread's clock is offset by `offsetMs` from this one's.
	 */
	readonly submit: (
		input: JobInput,
		listener: JobListener,
	) => {readonly abort: () => void; readonly stopStep: (reason: LoadStopReason) => void; readonly offsetMs: number};
	/** Each thread's event-loop delay and streams since `startMeasuring` (the threads that stamped some). */
	readonly startMeasuring: () => void;
	readonly stopMeasuring: () => Promise<Measurement | null>;
	readonly close: () => Promise<void>;
};

async function startThread(boot: StampBoot, onMessage: (thread: Thread, message: FromStamper) => void, port?: MessagePort): Promise<Thread> {
	type Ready = Extract<FromStamper, {type: 'ready'}>;
	const {worker, ready} = port ? {worker: port, ready: await readyOn<Ready>(port)} : await startReadyWorker<Ready>('worker/stamp-start.js', boot);
	const thread: Thread = {worker, offsetMs: ready.timeOrigin - performance.timeOrigin, active: 0, lateMs: 0, lateAt: 0, delayP99Ms: 0};
	worker.on('message', (message: FromStamper) => {
		onMessage(thread, message);
	});
	return thread;
}

/**
 * Start a pool of `threads` stamping threads (more with `grow`). `started`: ports to stamping threads
 * another thread started for this pool (booted with this pool's `boot`); they count among `threads`.
 */
export async function startStampPool(boot: StampBoot, threads = 1, started: readonly MessagePort[] = []): Promise<StampPool> {
	const pool: Thread[] = [];
	const listeners = new Map<number, JobListener>();
	const measured: Array<(message: Extract<FromStamper, {type: 'measured'}>) => void> = [];
	let nextId = 0;
	const onMessage = (thread: Thread, message: FromStamper) => {
		switch (message.type) {
			case 'progress': {
				thread.lateMs = message.lateMs;
				thread.lateAt = performance.now();
				thread.delayP99Ms = message.delayP99Ms;
				for (const {id, delta} of message.deltas) {
					listeners.get(id)?.({type: 'progress', delta});
				}

				break;
			}

			case 'measured': {
				measured.shift()?.(message);
				break;
			}

			case 'load': {
				const listener = listeners.get(message.id);
				if (message.events.some(event => event.kind === 'settled')) {
					thread.active--;
					listeners.delete(message.id);
				}

				listener?.(message);
				break;
			}

			case 'turn':
			case 'sent':
			case 'done': {
				if (message.type === 'done') {
					thread.active--;
				}

				const listener = listeners.get(message.id);
				if (message.type === 'done') {
					listeners.delete(message.id);
				}

				listener?.(message);
				break;
			}

			default:
		}
	};

	const grow = async (count: number) => {
		const more = Math.max(0, count - pool.length);
		pool.push(...(await Promise.all(Array.from({length: more}, async () => startThread(boot, onMessage)))));
	};

	pool.push(...(await Promise.all(started.map(async port => startThread(boot, onMessage, port)))));
	await grow(threads);
	const send = (thread: Thread, message: ToStamper) => {
		thread.worker.postMessage(message);
	};

	return {
		size: () => pool.length,
		delays: () => pool.map(thread => thread.delayP99Ms),
		grow,
		lateness() {
			const now = performance.now();
			return Math.max(0, ...pool.map(thread => (now - thread.lateAt <= latenessWindowMs ? thread.lateMs : 0)));
		},
		submit(input, listener) {
			const thread = pool.reduce((best, candidate) => (candidate.active < best.active ? candidate : best));
			const id = ++nextId;
			thread.active++;
			listeners.set(id, listener);
			send(thread, {type: 'job', id, input});
			return {
				abort() {
					send(thread, {type: 'abort', id});
				},
				stopStep(reason) {
					send(thread, {type: 'stop-step', id, reason});
				},
				offsetMs: thread.offsetMs,
			};
		},
		startMeasuring() {
			for (const thread of pool) {
				send(thread, {type: 'measure-start'});
			}
		},
		async stopMeasuring() {
			// Each thread answers in order: one 'measured' per thread.
			const answers = await Promise.all(
				pool.map(
					async thread =>
						new Promise<Extract<FromStamper, {type: 'measured'}>>(resolve => {
							measured.push(resolve);
							send(thread, {type: 'measure-stop'});
						}),
				),
			);
			const threads = answers.flatMap(answer =>
				answer.eventLoopDelayMs && answer.streams > 0 ? [{eventLoopDelayMs: answer.eventLoopDelayMs, streams: answer.streams}] : [],
			);
			return measurementOfThreads(threads);
		},
		async close() {
			const close = {type: 'close'} satisfies ToStamper;
			await Promise.all(pool.map(async ({worker}) => ('terminate' in worker ? closeWorker(worker, close) : closeByPort(worker, close))));
		},
	};
}

/**
 * A race's Streamer on the pool: each stream goes to the least busy thread; this thread keeps a
 * mirror of its meter (for the live view) and makes its record with the tokenizer, which
 * `loadCounter` loads once no run of the race is waiting for its first token, or as soon as a run
 * ended (its record needs it). The load costs a few hundred ms of CPU, this thread's and V8's helper
 * threads': while first tokens are due it competes with the stamps (256 streams' TTFT errors were
 * ~15–35 % higher, docs/stamping-threads.md).
 */
export function poolStreamer(pool: StampPool, loadCounter: () => Promise<TokenCounter>): Streamer {
	// The records' module (it brings the SDK's errors): loaded here, not when the pool's module is,
	// so that the stamping threads are started before this thread spends time on it (session/engine-boot.ts).
	const records = import('../core/http/stream.js');
	records.catch(() => undefined);
	let counter: TokenCounter | undefined;
	let loading: Promise<TokenCounter> | undefined;
	const load = async () => {
		loading ??= loadCounter().then(loaded => {
			counter = loaded;
			return loaded;
		});
		return loading;
	};

	/** Runs started that have had no token yet (nor ended). */
	let awaitingFirstToken = 0;
	pool.startMeasuring();
	return {
		async run(job: StreamJob, hooks) {
			awaitingFirstToken++;
			let awaiting = true;
			const firstTokenOrEnd = () => {
				if (awaiting) {
					awaiting = false;
					awaitingFirstToken--;
					if (awaitingFirstToken === 0) {
						void load();
					}
				}
			};

			const mirror = new RunMeter(counter);
			const ended = await new Promise<Extract<FromStamper, {type: 'done'}>>(resolve => {
				const {abort, offsetMs} = pool.submit({kind: 'stream', job}, message => {
					switch (message.type) {
						case 'turn': {
							hooks.onTurn();
							break;
						}

						case 'sent': {
							hooks.onSend(message.t0 + offsetMs, mirror);
							break;
						}

						case 'progress': {
							if (message.delta.firstTokenAt !== null || message.delta.firstToolAt !== null) {
								firstTokenOrEnd();
							}

							mirror.applyDelta(message.delta);
							hooks.onChunk();
							break;
						}

						case 'done': {
							firstTokenOrEnd();
							hooks.signal.removeEventListener('abort', abort);
							resolve(message);
							break;
						}
					}
				});
				hooks.signal.addEventListener('abort', abort, {once: true});
			});
			if (!ended.ending) {
				return null;
			}

			mirror.setCounter(await load());
			if (ended.delta) {
				mirror.applyDelta(ended.delta);
			}

			return (await records).recordOf(ended.ending, job, mirror);
		},
		measurement: async () => pool.stopMeasuring(),
		lateness: () => pool.lateness(),
	};
}
