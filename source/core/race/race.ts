// Runs many streams: concurrency, runs and warm-up, abort, and a snapshot the UI samples.
// Its parts: race/schedule.ts (the limit on requests in flight, one send at a time), race/streamer.ts
// (where the streams are stamped: this thread, or stamping threads), race/measure.ts (the event-loop delay).
import {setMaxListeners} from 'node:events';
import {performance} from 'node:perf_hooks';
import {bracketOf} from '../presets/brackets.js';
import type {LiveRunView, RunMeter, TokenCounter} from '../meter/meter.js';
import {createLimiter} from './schedule.js';
import {localStreamer, type Streamer} from './streamer.js';
import {requestPrompt, runToken} from '../load/prompt.js';
import {buildTranscript, summarizeRuns} from '../transcript/build.js';
import type {BracketBounds, BracketName, Clock, ModelSpec, ModelSummary, RaceSettings, RunError, RunRecord, Transcript} from '../types.js';

export type ModelState = 'queued' | 'connecting' | 'thinking' | 'streaming' | 'done' | 'error' | 'aborted';

/** What a race is, as plain data (it crosses to the engine's worker thread as it is). */
export type RaceInput = {
	readonly models: readonly ModelSpec[];
	readonly prompt: string;
	readonly settings: RaceSettings;
	readonly preset: {readonly name: string; readonly simulated: boolean; readonly brackets: BracketBounds};
	readonly region: string | null;
	readonly toolVersion: string;
	/** The transcript's id (docs/transcript.md): a random UUID the session makes when the race starts. */
	readonly raceId?: string | undefined;
	/** Longest silence after the first token (default: the whole timeout, at most 30 s). */
	readonly idleTimeoutMs?: number | undefined;
	/** Accept self-signed TLS certificates. */
	readonly insecure?: boolean | undefined;
};

export type RaceOptions = RaceInput & {
	/** Counts tokens on this thread, when no `streamer` is given. */
	readonly countTokens?: TokenCounter | undefined;
	/** Where the streams are stamped (default: this thread). */
	readonly streamer?: Streamer | undefined;
	/** The API key of a model (from its environment variable), or null. */
	readonly apiKeyOf: (model: ModelSpec) => string | null;
	readonly clock?: Clock | undefined;
	/** Called when a model has finished all its runs. */
	readonly onModelDone?: ((model: ModelView) => void) | undefined;
};

export type ModelView = {
	readonly spec: ModelSpec;
	readonly bracket: BracketName | null;
	readonly state: ModelState;
	/** 1-based number of the current (or last) run among all runs, and how many there are in all. */
	readonly runNumber: number;
	readonly runCount: number;
	readonly warmup: boolean;
	/** Clock time of the current run's t0, for the stopwatch; null before the first send. */
	readonly t0: number | null;
	/** Clock time the current run ended; null while it runs. */
	readonly endedAt: number | null;
	readonly live: LiveRunView | null;
	readonly text: string;
	readonly reasoningText: string;
	readonly costSoFarUSD: number | null;
	/** Finishing place (1 = first model to complete its runs), once done. */
	readonly place: number | null;
	readonly lastError: RunError | null;
	readonly records: readonly RunRecord[];
	readonly summary: ModelSummary;
};

export type RaceSnapshot = {
	readonly version: number;
	readonly startedAt: number;
	readonly finishedAt: number | null;
	readonly aborted: boolean;
	readonly models: readonly ModelView[];
	/** The stamping threads' worst event-loop delay within the last second (ms), when they report it. */
	readonly clientLateMs?: number | undefined;
};

export type Race = {
	/** Increases whenever anything visible changed. */
	readonly version: () => number;
	/** The current state, rebuilt only when the version changed or a run is live. */
	readonly snapshot: () => RaceSnapshot;
	readonly abort: () => void;
	readonly done: Promise<Transcript>;
	readonly clock: Clock;
};

type Slot = {
	readonly spec: ModelSpec;
	readonly bracket: BracketName | null;
	state: ModelState;
	runNumber: number;
	warmup: boolean;
	t0: number | null;
	endedAt: number | null;
	meter: RunMeter | null;
	place: number | null;
	lastError: RunError | null;
	records: RunRecord[];
	summary: ModelSummary;
};

/** The per-model runner's view of its race. */
type RaceContext = {
	readonly options: RaceOptions;
	readonly clock: Clock;
	readonly signal: AbortSignal;
	readonly limiter: ReturnType<typeof createLimiter>;
	readonly streamer: Streamer;
	readonly runCount: number;
	readonly uniqueToken: string;
	readonly idleTimeoutMs: number;
	readonly bump: () => void;
	readonly place: () => number;
	readonly viewOf: (slot: Slot, now: number) => ModelView;
};

/** One run of a model; false when the race was stopped before its turn came. */
async function runOnce(race: RaceContext, slot: Slot, index: number): Promise<boolean> {
	const {options, clock} = race;
	const {settings} = options;
	const record = await race.streamer.run(
		{
			model: slot.spec,
			apiKey: options.apiKeyOf(slot.spec),
			prompt: requestPrompt(options.prompt, settings.uniquePrompts === true, `${race.uniqueToken}-${slot.spec.id}-${index}`),
			maxTokens: settings.maxTokens,
			temperature: settings.temperature,
			// The seed steers the simulator itself; real providers get it as the `seed` parameter, when given.
			seed: options.preset.simulated ? null : settings.seed,
			insecure: options.insecure,
			timeoutMs: settings.timeoutMs,
			idleTimeoutMs: race.idleTimeoutMs,
			index,
			warmup: index < settings.warmup,
		},
		{
			signal: race.signal,
			onTurn() {
				slot.runNumber = index + 1;
				slot.warmup = index < settings.warmup;
				slot.state = 'connecting';
				slot.endedAt = null;
				race.bump();
			},
			onSend(t0, meter) {
				slot.t0 = t0;
				slot.meter = meter;
				race.bump();
			},
			onChunk: race.bump,
		},
	);
	if (!record) {
		return false;
	}

	slot.endedAt = clock();
	slot.records.push(record);
	slot.summary = summarizeRuns(slot.records, slot.spec.price);
	slot.lastError = record.error;
	race.bump();
	return true;
}

/** All the runs of one model, each when the limit on requests in flight lets it go; then its place. */
async function runModel(race: RaceContext, slot: Slot): Promise<void> {
	for (let index = 0; index < race.runCount && !race.signal.aborted; index++) {
		await race.limiter.acquire();
		try {
			if (race.signal.aborted || !(await runOnce(race, slot, index))) {
				break;
			}
		} finally {
			race.limiter.release();
		}
	}

	const timed = slot.records.filter(record => !record.warmup);
	if (timed.some(record => record.status === 'ok')) {
		slot.state = 'done';
		slot.place = race.place();
	} else {
		const stopped = race.signal.aborted && (timed.length === 0 || timed.at(-1)!.status === 'aborted');
		slot.state = stopped ? 'aborted' : 'error';
	}

	race.bump();
	race.options.onModelDone?.(race.viewOf(slot, race.clock()));
}

function liveState(slot: Slot, live: LiveRunView | null): ModelState {
	if (slot.state !== 'connecting' && slot.state !== 'thinking' && slot.state !== 'streaming') {
		return slot.state;
	}

	if (slot.endedAt !== null || !live) {
		return 'connecting';
	}

	if (live.ttfaMs !== null) {
		return 'streaming';
	}

	return live.ttftMs === null ? 'connecting' : 'thinking';
}

function viewOf(slot: Slot, now: number, runCount: number): ModelView {
	const live = slot.meter && slot.t0 !== null ? slot.meter.live((slot.endedAt ?? now) - slot.t0) : null;
	const lastRecord = slot.records.at(-1);
	const running = slot.endedAt === null && slot.meter !== null;
	const costSoFarUSD = running
		? live && slot.spec.price.outputPerM !== null
			? (live.tokens * slot.spec.price.outputPerM) / 1e6
			: null
		: (lastRecord?.costUSD ?? null);
	return {
		spec: slot.spec,
		bracket: slot.bracket,
		state: liveState(slot, live),
		runNumber: slot.runNumber,
		runCount,
		warmup: slot.warmup,
		t0: slot.t0,
		endedAt: slot.endedAt,
		live,
		text: slot.meter?.text ?? '',
		reasoningText: slot.meter?.reasoningText ?? '',
		costSoFarUSD,
		place: slot.place,
		lastError: slot.lastError,
		records: [...slot.records],
		summary: slot.summary,
	};
}

function counterOf(options: RaceOptions): TokenCounter {
	if (!options.countTokens) {
		throw new TypeError('startRace needs a streamer or a token counter');
	}

	return options.countTokens;
}

export function startRace(options: RaceOptions): Race {
	const clock = options.clock ?? (() => performance.now());
	const {settings} = options;
	const controller = new AbortController();
	// Every run in flight listens for the race's abort.
	setMaxListeners(0, controller.signal);
	const limiter = createLimiter(settings.concurrency);
	const startedAtDate = new Date();
	const startedAt = clock();
	const runCount = settings.warmup + settings.runs;
	let version = 0;
	let finishedAt: number | null = null;
	let places = 0;
	let cached: RaceSnapshot | undefined;
	const slots: Slot[] = options.models.map(spec => ({
		spec,
		bracket: bracketOf(spec.price.outputPerM, options.preset.brackets),
		state: 'queued',
		runNumber: 0,
		warmup: false,
		t0: null,
		endedAt: null,
		meter: null,
		place: null,
		lastError: null,
		records: [],
		summary: summarizeRuns([], spec.price),
	}));
	const race: RaceContext = {
		options,
		clock,
		signal: controller.signal,
		limiter,
		// Requests go out one at a time, each prepared in an event-loop turn of its own (race/schedule.ts).
		streamer: options.streamer ?? localStreamer(counterOf(options), clock),
		runCount,
		// --unique-prompts: what makes each request's first line unlike any other run's.
		uniqueToken: runToken(),
		idleTimeoutMs: options.idleTimeoutMs ?? Math.min(settings.timeoutMs, 30_000),
		bump() {
			version++;
		},
		place: () => ++places,
		viewOf: (slot, now) => viewOf(slot, now, runCount),
	};

	const snapshot = (): RaceSnapshot => {
		const anyLive = slots.some(slot => slot.meter !== null && slot.endedAt === null);
		if (cached?.version === version && !anyLive) {
			return cached;
		}

		const now = clock();
		const clientLateMs = race.streamer.lateness?.();
		cached = {
			version,
			startedAt,
			finishedAt,
			aborted: controller.signal.aborted,
			models: slots.map(slot => viewOf(slot, now, runCount)),
			...(clientLateMs === undefined ? {} : {clientLateMs}),
		};
		return cached;
	};

	const done = (async (): Promise<Transcript> => {
		await Promise.all(slots.map(async slot => runModel(race, slot)));
		finishedAt = clock();
		const measurement = await race.streamer.measurement();
		race.bump();
		return buildTranscript({
			id: options.raceId,
			toolVersion: options.toolVersion,
			startedAt: startedAtDate,
			finishedAt: new Date(),
			region: options.region,
			prompt: options.prompt,
			preset: options.preset.name,
			simulated: options.preset.simulated,
			settings,
			aborted: controller.signal.aborted,
			measurement,
			models: slots.map(slot => ({spec: slot.spec, bracket: slot.bracket, runs: slot.records})),
		});
	})();

	return {
		version: () => version,
		snapshot,
		abort() {
			if (!controller.signal.aborted) {
				controller.abort();
				limiter.drain();
				race.bump();
			}
		},
		done,
		clock,
	};
}
