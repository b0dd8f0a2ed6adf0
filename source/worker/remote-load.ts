// The UI thread's side of a load run (docs/load.md): the models spread over load workers, their live
// figures merged into one snapshot that the view samples on its own timer, the transcript at the end.
import {randomUUID} from 'node:crypto';
import {availableParallelism} from 'node:os';
import {performance} from 'node:perf_hooks';
import {costBudget} from '../core/load/budget.js';
import {lagP99} from '../core/load/engine.js';
import {buildLoadTranscript} from '../core/load/transcript.js';
import type {LoadModelLive, LoadModelResult, LoadRun, LoadSnapshot, LoadTranscript} from '../core/load/types.js';
import type {DelayStat} from '../core/types.js';
import {closeWorker, startReadyWorker} from '../runtime/workers.js';
import type {FromLoadWorker, LoadWorkerStart, ToLoadWorker} from './load-protocol.js';

export type LoadStartInput = Omit<LoadWorkerStart, 'models' | 'budget' | 'runToken'> & {
	readonly models: LoadWorkerStart['models'];
	readonly region: string | null;
	readonly preset: string;
	readonly toolVersion: string;
	/** Load threads (default: one per spare core, at most one per model and at most 4; LLMRACE_LOAD_THREADS overrides). */
	readonly threads?: number | undefined;
};

/** How many load workers to start: spread the models when one thread is not enough. */
export function loadThreadCount(models: number, requested: number | undefined, env: NodeJS.ProcessEnv = process.env): number {
	const fromEnv = Number(env['LLMRACE_LOAD_THREADS']);
	const wanted = requested ?? (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : Math.min(4, Math.max(1, availableParallelism() - 1)));
	return Math.max(1, Math.min(models, wanted));
}

type WorkerSide = {
	readonly models: readonly number[];
	live: readonly LoadModelLive[];
	delayP99Ms: number;
	result?: {readonly models: readonly LoadModelResult[]; readonly eventLoopDelayMs: DelayStat; readonly streams: number};
	readonly post: (message: ToLoadWorker) => void;
	readonly close: () => Promise<void>;
};

/** A model whose first step has not started (or whose worker has not reported yet). */
function waitingLive(model: LoadStartInput['models'][number], settings: LoadStartInput['settings']): LoadModelLive {
	return {
		id: model.id,
		name: model.name,
		step: 0,
		stepsAtMost: settings.sweep ? 8 : settings.rates.length,
		rate: settings.rates[0] ?? 0,
		elapsedMs: 0,
		durationMs: settings.durationMs,
		inFlight: 0,
		queued: 0,
		done: 0,
		failed: 0,
		recent: {ttftP50Ms: null, ttftP99Ms: null, e2eP50Ms: null, e2eP99Ms: null},
		spark: [],
		sloPass: null,
		state: 'waiting',
		stopped: null,
	};
}

/** Boot the load workers (each loads the tokenizer and warms its HTTP stack), then start the run on all of them. */
export async function startLoad(input: LoadStartInput): Promise<LoadRun> {
	const count = loadThreadCount(input.models.length, input.threads);
	const booted = await Promise.all(
		Array.from({length: count}, async () => startReadyWorker<Extract<FromLoadWorker, {type: 'ready'}>>('worker/load-worker.js', null)),
	);
	const budget = costBudget(input.maxCostUSD);
	const runToken = randomUUID().slice(0, 8);
	const id = randomUUID();
	const startedAt = new Date().toISOString();
	const t0 = performance.now();
	const lags: number[] = [];
	let version = 0;
	let stopped = false;
	const sides: WorkerSide[] = booted.map(({worker}, thread) => {
		const models = input.models.map((_, index) => index).filter(index => index % count === thread);
		return {
			models,
			live: [],
			delayP99Ms: 0,
			post(message) {
				worker.postMessage(message);
			},
			close: async () => closeWorker(worker, {type: 'close'} satisfies ToLoadWorker),
		};
	});
	const done = new Promise<LoadTranscript>((resolve, reject) => {
		let remaining = sides.length;
		for (const [thread, side] of sides.entries()) {
			const {worker} = booted[thread]!;
			worker.on('error', reject);
			worker.on('message', (message: FromLoadWorker) => {
				if (message.type === 'live' || message.type === 'done') {
					side.live = message.type === 'live' ? message.models : message.live;
					lags.push(...message.lags);
					version++;
				}

				if (message.type === 'live') {
					side.delayP99Ms = message.delayP99Ms;
				} else if (message.type === 'done') {
					side.result = {models: message.models, eventLoopDelayMs: message.eventLoopDelayMs, streams: message.streams};
					side.delayP99Ms = message.eventLoopDelayMs.p99;
					void side.close();
					if (--remaining === 0) {
						resolve(finish());
					}
				}
			});
		}
	});

	const finish = (): LoadTranscript => {
		const models: LoadModelResult[] = [];
		for (const side of sides) {
			for (const [position, index] of side.models.entries()) {
				models[index] = side.result!.models[position]!;
			}
		}

		return buildLoadTranscript({
			id,
			toolVersion: input.toolVersion,
			startedAt,
			finishedAt: new Date().toISOString(),
			region: input.region,
			prompt: input.prompt,
			preset: input.preset,
			simulated: input.simulated,
			settings: input.settings,
			aborted: stopped,
			threads: sides.map(side => ({eventLoopDelayMs: side.result!.eventLoopDelayMs, streams: side.result!.streams})),
			models,
		});
	};

	let finished = false;
	void done.then(
		() => {
			finished = true;
			version++;
		},
		() => undefined,
	);
	for (const side of sides) {
		side.post({
			type: 'start',
			input: {...input, models: side.models.map(index => input.models[index]!), budget: budget.memory, runToken: `${runToken}${side.models[0]}`},
		});
	}

	return {
		snapshot(): LoadSnapshot {
			const models: LoadModelLive[] = input.models.map(model => waitingLive(model, input.settings));
			for (const side of sides) {
				for (const [position, index] of side.models.entries()) {
					const live = side.live[position];
					if (live) {
						models[index] = live;
					}
				}
			}

			return {
				version,
				elapsedMs: performance.now() - t0,
				models,
				client: {threadDelayP99Ms: sides.map(side => side.delayP99Ms), sendLagP99Ms: lagP99(lags)},
				finished,
			};
		},
		stop() {
			if (!stopped && !finished) {
				stopped = true;
				for (const side of sides) {
					side.post({type: 'stop'});
				}
			}
		},
		done,
	};
}
