// The load engine of one thread (docs/load.md): every model it was given runs its steps at once,
// each on its own open-loop schedule; `--sweep` picks each model's next rate from its last steps.
import {performance} from 'node:perf_hooks';
import {streamOnce} from '../http/stream.js';
import type {TokenCounter} from '../meter/meter.js';
import {bracketOf} from '../presets/brackets.js';
import {percentileSorted} from '../stats/stats.js';
import type {BracketBounds, Clock, ModelSpec, RunRecord} from '../types.js';
import {arrivalSchedule} from './arrivals.js';
import {requestPrompt} from './prompt.js';
import type {CostBudget} from './budget.js';
import {stepMeetsSlo} from './slo.js';
import {StepRun, type StepSend} from './step.js';
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

/** One request of a model's step, timed from its send. */
async function sendRequest(input: LoadEngineInput, state: ModelState, step: number, request: StepSend, clock: Clock): Promise<RunRecord> {
	const {spec} = state;
	const {settings} = input;
	return (input.stream ?? streamOnce)({
		model: spec,
		apiKey: input.apiKeyOf(spec),
		prompt: requestPrompt(input.prompt, settings.uniquePrompts, `${input.runToken}-${state.number}-${step}-${request.index}`),
		maxTokens: settings.maxTokens,
		temperature: settings.temperature,
		seed: input.providerSeed ?? null,
		insecure: input.insecure,
		timeoutMs: settings.timeoutMs,
		idleTimeoutMs: input.idleTimeoutMs ?? Math.min(settings.timeoutMs, 30_000),
		index: request.index,
		warmup: false,
		countTokens: input.countTokens,
		signal: request.signal,
		clock,
		onSend: request.onSend,
		onWritten: request.onWritten,
	});
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
		const cost = input.requestCostUSD(state.spec);
		const run = new StepRun({
			schedule,
			maxConcurrency: settings.maxConcurrency,
			clock,
			send: async request => sendRequest(input, state, step, request, clock),
			reserve: () => input.budget.trySpend(cost),
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
