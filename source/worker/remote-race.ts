// The UI thread's side of the engine worker: a Race whose snapshots arrive by message.
import {performance} from 'node:perf_hooks';
import type {Worker} from 'node:worker_threads';
import {closeWorker, startReadyWorker} from '../runtime/workers.js';
import {bracketOf} from '../core/presets/brackets.js';
import type {Race, RaceSnapshot} from '../core/race/race.js';
import {summarizeRuns} from '../core/transcript/build.js';
import type {Transcript} from '../core/types.js';
import type {EngineBoot, EngineInput, FromWorker, ToWorker} from './protocol.js';

export type RemoteEngine = {
	readonly start: (input: EngineInput) => Race;
	readonly close: () => Promise<void>;
};

/** The snapshot shown before the worker's first one arrives (and before the engine is ready): every model queued. */
export function queuedSnapshot(
	input: Pick<EngineInput, 'models' | 'settings'> & {readonly preset: Pick<EngineInput['preset'], 'brackets'>},
	startedAt: number,
): RaceSnapshot {
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

export type EngineThread = {readonly worker: Worker; readonly ready: Extract<FromWorker, {type: 'ready'}>};

/** Boot the engine's worker thread, which starts its own stamping thread (session/engine-boot.ts starts that one beside it instead). */
export async function startEngineWorker(boot: EngineBoot): Promise<RemoteEngine> {
	return engineOfThread(await startReadyWorker<EngineThread['ready']>('worker/engine-worker.js', boot));
}

/** The engine on a worker thread already started (session/engine-boot.ts starts it before this module loads). */
export function engineOfThread({worker, ready}: EngineThread): RemoteEngine {
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
			// No delay before the start: on the live path the race screen's first frame (header, queued
			// panels) was drawn before the engine was even ready (session/live.ts), and Ink loaded after it.
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
