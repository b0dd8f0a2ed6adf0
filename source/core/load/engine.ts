// The load engine of one thread (docs/load.md): every model it was given runs its steps at once,
// each on its own open-loop schedule; `--sweep` picks each model's next rate from its last steps.
import {performance} from 'node:perf_hooks';
import {streamOnce} from '../http/stream.js';
import type {RunMeter, TokenCounter} from '../meter/meter.js';
import {bracketOf} from '../presets/brackets.js';
import {percentileSorted} from '../stats/stats.js';
import type {BracketBounds, Clock, ModelSpec} from '../types.js';
import {arrivalSchedule} from './arrivals.js';
import {requestPrompt} from './prompt.js';
import type {CostBudget} from './budget.js';
import {stepMeetsSlo} from './slo.js';
import {StepRun} from './step.js';
import {createLauncher, StepDispatcher, type LoadStepRequest, type StepSender} from './dispatch.js';
import {summarizeStep} from './summary.js';
import {nextSweepRate, sweepMaxSteps, sweepResult} from './sweep.js';
import type {LoadModelLive, LoadModelResult, LoadSettings, LoadStep, SimulatedLoad} from './types.js';

export type LoadModelSpec = ModelSpec & {readonly load?: SimulatedLoad | null | undefined};

/** What a load run is, as plain data (a load worker gets it in a message: worker/load-protocol.ts). */
export type LoadRunSpec = {
	readonly models: readonly LoadModelSpec[];
	readonly prompt: string;
	readonly settings: LoadSettings;
	/** The arrivals' seed (the same for every model and thread). */
	readonly seed: number;
	readonly simulated: boolean;
	/** Sent as `seed` to real providers (only when --seed was given; the simulator takes its seed at start). */
	readonly providerSeed?: number | null | undefined;
	readonly brackets: BracketBounds;
	/** Makes each request's unique first line unique across runs and threads (with settings.uniquePrompts). */
	readonly runToken: string;
	readonly idleTimeoutMs?: number | undefined;
	readonly insecure?: boolean | undefined;
};

export type LoadEngineInput = LoadRunSpec & {
	readonly apiKeyOf: (model: ModelSpec) => string | null;
	readonly countTokens: TokenCounter;
	readonly budget: CostBudget;
	/** The estimated cost of one request to the model (prompt × input + max tokens × output); 0 when unknown. */
	readonly requestCostUSD: (model: ModelSpec) => number;
	readonly stream?: typeof streamOnce | undefined;
	readonly clock?: Clock | undefined;
	/** Where the steps' requests are sent (default: this thread, `localSender`). */
	readonly sender?: StepSender | undefined;
	/** Told each send lag (ms) of a request that found a free slot. */
	readonly onSendLag?: ((lagMs: number) => void) | undefined;
};

export type LoadEngine = {
	readonly models: () => LoadModelLive[];
	readonly stop: () => void;
	readonly done: Promise<LoadModelResult[]>;
};

type ModelState = {
	readonly spec: LoadModelSpec;
	readonly number: number;
	step: number;
	rate: number;
	/** The step running now (its counts are not yet in done/failed). */
	current: StepRun | null;
	/** The step shown: the current one, else the last one. */
	shown: StepRun | null;
	durationMs: number | null;
	done: number;
	failed: number;
	state: LoadModelLive['state'];
	stopped: LoadModelLive['stopped'];
	stepPass: boolean | null;
};

/**
 * The steps' sends on this thread (tests, and benchmarks of the engine alone): the same dispatcher a
 * stamping thread runs (worker/stamp-worker.ts), each request recorded with this thread's tokenizer.
 */
export function localSender(input: Pick<LoadEngineInput, 'countTokens' | 'budget' | 'stream'>, clock: Clock): StepSender {
	const launch = createLauncher();
	return (step, events) => {
		const meters: Array<RunMeter | undefined> = [];
		const dispatcher = new StepDispatcher({
			offsetsMs: step.offsetsMs,
			maxConcurrency: step.maxConcurrency,
			clock,
			launch,
			reserve: () => input.budget.trySpend(step.requestCostUSD),
			async send(request) {
				const record = await (input.stream ?? streamOnce)({
					...step.job,
					prompt: requestPrompt(step.job.prompt, step.uniquePrompts, `${step.tag}-${request.index}`),
					index: request.index,
					countTokens: input.countTokens,
					signal: request.signal,
					gate: request.gate,
					clock,
					onSend(t0, meter) {
						meters[request.index] = meter;
						request.onSend(t0);
					},
					onWritten: request.onWritten,
				});
				const meter = meters[request.index];
				meters[request.index] = undefined;
				if (request.cancelled()) {
					// Prepared ahead, and the step stopped before its time: it never arrived.
					return;
				}

				events.onEnded(request.index, record, meter);
			},
			onStart: events.onStart,
			onQueued: events.onQueued,
			onSent: events.onSent,
			onCostStop: events.onCostStop,
			onSettled: events.onSettled,
		});
		dispatcher.start();
		return {
			stop(reason) {
				dispatcher.stop(reason === 'aborted');
			},
		};
	};
}

/** What every request of a model's step sends. */
function stepRequestOf(input: LoadEngineInput, state: ModelState, step: number, offsetsMs: readonly number[]): LoadStepRequest {
	const {spec} = state;
	const {settings} = input;
	return {
		job: {
			model: spec,
			apiKey: input.apiKeyOf(spec),
			prompt: input.prompt,
			maxTokens: settings.maxTokens,
			temperature: settings.temperature,
			seed: input.providerSeed ?? null,
			insecure: input.insecure,
			timeoutMs: settings.timeoutMs,
			idleTimeoutMs: input.idleTimeoutMs ?? Math.min(settings.timeoutMs, 30_000),
			index: 0,
			warmup: false,
		},
		uniquePrompts: settings.uniquePrompts,
		tag: `${input.runToken}-${state.number}-${step}`,
		requestCostUSD: input.requestCostUSD(spec),
		offsetsMs,
		maxConcurrency: settings.maxConcurrency,
	};
}

/** What the live view shows of one model now. */
function liveOf(state: ModelState, stepsAtMost: number, slo: LoadSettings['slo']): LoadModelLive {
	const run = state.shown;
	const counting = state.current;
	const elapsedMs = run ? run.elapsedMs : 0;
	return {
		id: state.spec.id,
		name: state.spec.name,
		step: state.step,
		stepsAtMost,
		rate: state.rate,
		elapsedMs,
		durationMs: state.durationMs,
		inFlight: run?.inFlight ?? 0,
		queued: run?.queued ?? 0,
		done: state.done + (counting ? counting.ended - counting.failed : 0),
		failed: state.failed + (counting?.failed ?? 0),
		recent: run ? run.live.recent(elapsedMs) : {ttftP50Ms: null, ttftP99Ms: null, e2eP50Ms: null, e2eP99Ms: null},
		spark: run ? run.live.spark(elapsedMs) : [],
		sloPass: run ? run.slo(slo) : null,
		state: state.state,
		stopped: counting?.stopped ?? state.stopped,
	};
}

export function startLoadEngine(input: LoadEngineInput): LoadEngine {
	const clock = input.clock ?? (() => performance.now());
	const sendStep = input.sender ?? localSender(input, clock);
	const {settings} = input;
	const stepsAtMost = settings.sweep ? sweepMaxSteps : settings.rates.length;
	let stopping = false;
	const states: ModelState[] = input.models.map((spec, number) => ({
		spec,
		number,
		step: 0,
		rate: settings.rates[0] ?? 0,
		current: null,
		shown: null,
		durationMs: settings.durationMs,
		done: 0,
		failed: 0,
		state: 'waiting',
		stopped: null,
		stepPass: null,
	}));

	const runStep = async (state: ModelState, rate: number, step: number): Promise<LoadStep> => {
		const schedule = arrivalSchedule({rate, arrivals: settings.arrivals, seed: input.seed, durationMs: settings.durationMs, requests: settings.requests});
		const request = stepRequestOf(input, state, step, schedule.offsetsMs);
		const run = new StepRun({
			schedule,
			clock,
			start: events => sendStep(request, events),
			keepText: settings.keepText,
			onSendLag: input.onSendLag,
		});
		state.current = run;
		state.shown = run;
		state.rate = rate;
		state.durationMs = schedule.durationMs;
		const startedAt = new Date().toISOString();
		const outcome = await run.run();
		state.current = null;
		state.done += run.ended - run.failed;
		state.failed += run.failed;
		const summary = summarizeStep(outcome.requests, {rate, durationMs: schedule.durationMs, slo: settings.slo, stopped: outcome.stopped});
		return {
			rate,
			startedAt,
			durationMs: Math.round(schedule.durationMs * 1000) / 1000,
			stopped: outcome.stopped,
			summary,
			sendLagMs: outcome.sendLagMs,
			clientLimited: outcome.clientLimited,
			requests: outcome.requests,
		};
	};

	const runModel = async (state: ModelState): Promise<LoadModelResult> => {
		const steps: LoadStep[] = [];
		const tried: Array<{rate: number; pass: boolean}> = [];
		state.state = 'running';
		for (let step = 0; !stopping; step++) {
			const rate = settings.sweep ? nextSweepRate(settings.rates[0]!, tried) : settings.rates[step];
			if (rate === null || rate === undefined) {
				break;
			}

			state.step = step + 1;
			state.stepPass = null;
			const result = await runStep(state, rate, step);
			steps.push(result);
			if (result.stopped === 'cost' || result.stopped === 'aborted') {
				state.stopped = result.stopped;
				stopping ||= result.stopped === 'cost';
				break;
			}

			tried.push({rate, pass: stepMeetsSlo(result, settings.slo)});
		}

		state.current = null;
		state.state = state.stopped ? 'stopped' : 'done';
		const {spec} = state;
		return {
			id: spec.id,
			name: spec.name,
			provider: spec.provider,
			baseURL: spec.baseURL,
			price: spec.price,
			bracket: bracketOf(spec.price.outputPerM, input.brackets),
			reasoning: spec.reasoning,
			simulatedLoad: spec.load ?? null,
			steps,
			...(settings.sweep ? sweepResult(tried) : {}),
		};
	};

	const done = Promise.all(states.map(async state => runModel(state)));
	return {
		models: () => states.map(state => liveOf(state, stepsAtMost, settings.slo)),
		stop() {
			stopping = true;
			for (const state of states) {
				state.current?.stop('aborted');
			}
		},
		done,
	};
}

/** p99 of send lags so far (null before any). */
export function lagP99(lags: readonly number[]): number | null {
	return lags.length === 0
		? null
		: percentileSorted(
				[...lags].sort((a, b) => a - b),
				99,
			);
}
