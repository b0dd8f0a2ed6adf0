// The UI thread's side of the engine worker: a Race whose snapshots arrive by message.
import {performance} from 'node:perf_hooks';
import type {Worker} from 'node:worker_threads';
import {closeWorker, startWorker} from '../io/workers.js';
import {bracketOf} from '../core/brackets.js';
import type {Race, RaceSnapshot} from '../core/race.js';
import {summarizeRuns} from '../core/transcript.js';
import type {Transcript} from '../core/types.js';
import type {EngineBoot, EngineInput, FromWorker, ToWorker} from './protocol.js';

export type RemoteEngine = {
	readonly start: (input: EngineInput) => Race;
	readonly close: () => Promise<void>;
};

/** The snapshot shown before the worker's first one arrives (and before the engine is ready): every model queued. */
export function queuedSnapshot(input: Pick<EngineInput, 'models' | 'settings'> & {readonly preset: Pick<EngineInput['preset'], 'brackets'>}, startedAt: number): RaceSnapshot {
	return {
		version: 0,
		startedAt,
		finishedAt: null,
		aborted: false,
		models: input.models.map(spec => ({
			spec,
			bracket: bracketOf(spec.price.outputPerM, input.preset.brackets),
			state: 'queued',
			runNumber: 0,
			runCount: input.settings.runs + input.settings.warmup,
			warmup: false,
			t0: null,
			endedAt: null,
			live: null,
			text: '',
			reasoningText: '',
			costSoFarUSD: null,
			place: null,
			lastError: null,
			records: [],
			summary: summarizeRuns([], spec.price),
		})),
	};
}

type Booting = {
	readonly boot: EngineBoot;
	readonly worker: Worker;
	/** The worker's `ready` (its clock's origin), once its tokenizer is loaded and its HTTP stack warm. */
	readonly ready: Promise<{timeOrigin: number}>;
};

function bootWorker(boot: EngineBoot): Booting {
	const worker = startWorker('worker/engine-worker.js', boot);
	const ready = new Promise<{timeOrigin: number}>((resolve, reject) => {
		const onMessage = (message: FromWorker) => {
			if (message.type === 'ready') {
				resolve(message);
			} else if (message.type === 'failed') {
				reject(new Error(message.message));
			}
		};

		worker.once('message', onMessage);
		worker.once('error', reject);
	});
	// A worker started early that no race takes must not fail unhandled.
	ready.catch(() => undefined);
	return {boot, worker, ready};
}

let early: Booting | undefined;

/**
 * Start the engine's worker thread now, before the command has loaded its presets or drawn anything:
 * it boots (the SDK, the tokenizer, the HTTP warm-up) on another core meanwhile, and the next
 * `startEngineWorker` with the same `boot` takes it. Until taken it does not keep the process alive,
 * so a start that ends in a usage error exits as before.
 */
export function startEngineWorkerEarly(boot: EngineBoot): void {
	if (early) {
		return;
	}

	early = bootWorker(boot);
	early.worker.unref();
}

/** The early worker, when its boot is `boot`; else a new one. */
function takeWorker(boot: EngineBoot): Booting {
	const taken = early;
	early = undefined;
	if (taken && taken.boot.frameMs === boot.frameMs) {
		taken.worker.ref();
		return taken;
	}

	void taken?.worker.terminate();
	return bootWorker(boot);
}

/** Boot the engine's worker thread (or take the one started early): it loads the tokenizer and warms its HTTP stack while the rest starts up. */
export async function startEngineWorker(boot: EngineBoot): Promise<RemoteEngine> {
	const {worker, ready: booted} = takeWorker(boot);
	let ready: {timeOrigin: number};
	try {
		ready = await booted;
	} catch (error) {
		await worker.terminate();
		throw error;
	}

	// The worker's performance.now() on this thread: the same monotonic clock, another origin.
	const offset = performance.timeOrigin - ready.timeOrigin;
	const clock = () => performance.now() + offset;
	const listeners = new Map<number, (message: FromWorker) => void>();
	worker.on('message', (message: FromWorker) => {
		if ('id' in message) {
			listeners.get(message.id)?.(message);
		}
	});
	let nextId = 0;
	const send = (message: ToWorker) => {
		worker.postMessage(message);
	};

	return {
		start(input: EngineInput): Race {
			const id = ++nextId;
			let latest = queuedSnapshot(input, clock());
			let resolveDone: (transcript: Transcript) => void = () => {};
			const done = new Promise<Transcript>(resolve => {
				resolveDone = resolve;
			});
			listeners.set(id, message => {
				if (message.type === 'snapshot' || message.type === 'done') {
					latest = message.snapshot;
				}

				if (message.type === 'done') {
					listeners.delete(id);
					resolveDone(message.transcript);
				}
			});
			// No delay before the start: the race screen's first frame was drawn before the engine was even
			// ready (commands/live.ts), and the start is the engine's own t0 to take.
			send({type: 'start', id, input});
			return {
				version: () => latest.version,
				snapshot: () => latest,
				abort() {
					send({type: 'abort', id});
				},
				done,
				clock,
			};
		},
		async close() {
			await closeWorker(worker, {type: 'close'} satisfies ToWorker);
		},
	};
}
