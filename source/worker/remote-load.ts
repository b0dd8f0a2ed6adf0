// The UI thread's side of a load run (docs/load.md): one load worker coordinates the run on its
// stamping threads; its live figures are the snapshot the view samples on its own timer; the transcript at the end.
import {randomUUID} from 'node:crypto';
import {performance} from 'node:perf_hooks';
import process from 'node:process';
import {costBudget} from '../core/load/budget.js';
import {lagP99} from '../core/load/engine.js';
import {buildLoadTranscript} from '../core/load/transcript.js';
import type {LoadModelLive, LoadRun, LoadSnapshot, LoadTranscript} from '../core/load/types.js';
import {closeWorker, startReadyWorker} from '../runtime/workers.js';
import {yieldToStamping} from '../runtime/priority.js';
import type {FromLoadWorker, LoadWorkerBoot, LoadWorkerStart, ToLoadWorker} from './load-protocol.js';
import {threadsFor} from './stamp-pool.js';

export type LoadStartInput = Omit<LoadWorkerStart, 'models' | 'budget' | 'runToken'> & {
	readonly models: LoadWorkerStart['models'];
	readonly region: string | null;
	readonly preset: string;
	readonly toolVersion: string;
	/** Stamping threads (default: the engine's rule, at most one per model; LLMRACE_LOAD_THREADS overrides). */
	readonly threads?: number | undefined;
};

/**
 * How many stamping threads a load run gets: the engine's rule (`threadsFor`, docs/stamping-threads.md)
 * for every model's --max-concurrency in flight, at most one per model (a model's step runs on one thread).
 */
export function loadThreadCount(
	models: number,
	maxConcurrency: number,
	requested: number | undefined,
	env: NodeJS.ProcessEnv = process.env,
	cores?: number,
): number {
	const fromEnv = Number(env['LLMRACE_LOAD_THREADS']);
	const wanted = requested ?? (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : threadsFor(models * maxConcurrency, cores));
	return Math.max(1, Math.min(models, wanted));
}

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

/** Boot the load worker (its stamping threads warm, its tokenizer loaded), then start the run on it. */
export async function startLoad(input: LoadStartInput): Promise<LoadRun> {
	const boot: LoadWorkerBoot = {
		threads: loadThreadCount(input.models.length, input.settings.maxConcurrency, input.threads),
		progressMs: input.frameMs,
	};
	const {worker} = await startReadyWorker<Extract<FromLoadWorker, {type: 'ready'}>>('worker/load-worker.js', boot);
	// The stamping threads were started by the load worker before this: they keep their priority.
	await yieldToStamping();
	const budget = costBudget(input.maxCostUSD);
	const id = randomUUID();
	const startedAt = new Date().toISOString();
	const t0 = performance.now();
	const lags: number[] = [];
	let live: readonly LoadModelLive[] = [];
	let threadDelayP99Ms: readonly number[] = [];
	let version = 0;
	let stopped = false;
	let finished = false;
	const done = new Promise<LoadTranscript>((resolve, reject) => {
		worker.on('error', reject);
		worker.on('message', (message: FromLoadWorker) => {
			if (message.type === 'live') {
				live = message.models;
				threadDelayP99Ms = message.threadDelayP99Ms;
				lags.push(...message.lags);
				version++;
			} else if (message.type === 'done') {
				live = message.live;
				lags.push(...message.lags);
				threadDelayP99Ms = message.measurement?.threads?.map(thread => thread.eventLoopDelayMs.p99) ?? threadDelayP99Ms;
				void closeWorker(worker, {type: 'close'} satisfies ToLoadWorker);
				resolve(
					buildLoadTranscript({
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
						threads: message.measurement?.threads ?? [],
						models: [...message.models],
					}),
				);
			}
		});
	});
	void done.then(
		() => {
			finished = true;
			version++;
		},
		() => undefined,
	);
	worker.postMessage({
		type: 'start',
		input: {...input, budget: budget.memory, runToken: randomUUID().slice(0, 8)},
	} satisfies ToLoadWorker);

	return {
		snapshot(): LoadSnapshot {
			return {
				version,
				elapsedMs: performance.now() - t0,
				models: input.models.map((model, index) => live[index] ?? waitingLive(model, input.settings)),
				client: {threadDelayP99Ms: [...threadDelayP99Ms], sendLagP99Ms: lagP99(lags)},
				finished,
			};
		},
		stop() {
			if (!stopped && !finished) {
				stopped = true;
				worker.postMessage({type: 'stop'} satisfies ToLoadWorker);
			}
		},
		done,
	};
}
