// One step of one model (docs/load.md "Open loop", "Steps", "Stops"): arrivals sent at their scheduled
// time whatever the others do, at most --max-concurrency in flight, the rest waiting in order.
import {setMaxListeners} from 'node:events';
import type {RunMeter} from '../meter/meter.js';
import {percentileSorted} from '../stats/stats.js';
import type {Clock, ErrorKind, RunRecord, RunStatus} from '../types.js';
import type {Schedule} from './arrivals.js';
import {LiveWindow} from './live.js';
import {failureStop, isSaturated} from './stops.js';
import {requestsMeetSlo} from './slo.js';
import type {LoadRequests, LoadStopReason, SloTerm} from './types.js';

/** How often a step checks whether its queue keeps growing (ms). */
const saturationCheckMs = 500;

/** The live SLO status is worked out again at most this often (ms). */
const liveSloEveryMs = 500;

/** Over this p99 send lag the client itself limited the step (docs/load.md). */
export const clientLimitedLagMs = 5;

export type StepSend = {
	readonly index: number;
	readonly signal: AbortSignal;
	/** Call with the request's t0 (again, with a new one, if it is sent again fresh) and its meter. */
	readonly onSend: (t0: number, meter: RunMeter) => void;
	/** Call once the request is on the wire (or failed to get there): the next one may be prepared. */
	readonly onWritten: () => void;
};

export type StepOptions = {
	readonly schedule: Schedule;
	readonly maxConcurrency: number;
	readonly clock: Clock;
	/** Send request `index`; never rejects (a failed request is a record). */
	readonly send: (request: StepSend) => Promise<RunRecord>;
	/** Reserve the cost of one request before it is sent: false stops the step (`cost`). */
	readonly reserve: () => boolean;
	readonly keepText: boolean;
	/** Told each send lag (ms) of a request that found a free slot. */
	readonly onSendLag?: ((lagMs: number) => void) | undefined;
};

export type StepOutcome = {
	readonly stopped: LoadStopReason | null;
	readonly requests: LoadRequests;
	readonly sendLagMs: {readonly p50: number; readonly p99: number; readonly max: number};
	readonly clientLimited: boolean;
};

type Columns = {
	queueMs: Array<number | null>;
	ttftMs: Array<number | null>;
	ttfaMs: Array<number | null>;
	e2eMs: Array<number | null>;
	outputTokens: Array<number | null>;
	status: RunStatus[];
	errorKind: Array<ErrorKind | null>;
	gapsMs: number[][];
	eventTokens: number[][];
	tokensPerSecond: Array<number | null>;
	text: Array<string | null>;
};

const round3 = (value: number) => Math.round(value * 1000) / 1000;

/** One signal for every request of the step (each adds a listener: as many as are in flight). */
function abortController(): AbortController {
	const controller = new AbortController();
	setMaxListeners(0, controller.signal);
	return controller;
}

/** Gaps between text events and the tokens of each event after the first, from a request's meter. */
function timelineOf(meter: RunMeter | undefined): {gaps: number[]; tokens: number[]} {
	if (!meter) {
		return {gaps: [], tokens: []};
	}

	const {offsetsMs, tokens} = meter.eventTimeline();
	const gaps: number[] = [];
	for (let index = 1; index < offsetsMs.length; index++) {
		gaps.push(round3(offsetsMs[index]! - offsetsMs[index - 1]!));
	}

	return {gaps, tokens: tokens.slice(1)};
}

/** A step in progress: `run()` resolves once every arrival was sent and ended (or the step was stopped). */
export class StepRun {
	readonly live = new LiveWindow();
	startMs = 0;
	inFlight = 0;
	ended = 0;
	failed = 0;
	stopped: LoadStopReason | null = null;

	private readonly options: StepOptions;
	private readonly columns: Columns = {
		queueMs: [],
		ttftMs: [],
		ttfaMs: [],
		e2eMs: [],
		outputTokens: [],
		status: [],
		errorKind: [],
		gapsMs: [],
		eventTokens: [],
		tokensPerSecond: [],
		text: [],
	};

	private readonly sendAt: number[] = [];
	private readonly meters: Array<RunMeter | undefined> = [];
	private readonly lags: number[] = [];
	private readonly waiting: number[] = [];
	/** Requests to send, one at a time: the next is prepared once the one before is on the wire, or a turn later. */
	private readonly launches: number[] = [];
	private launching = false;
	private arrived = 0;
	private rateLimited = 0;
	private readonly controller = abortController();
	private timer: NodeJS.Timeout | undefined;
	private saturationTimer: NodeJS.Timeout | undefined;
	private resolve: () => void = () => {};
	private finishedAt: number | null = null;
	private liveSlo: {ended: number; at: number; pass: boolean | null} | undefined;

	constructor(options: StepOptions) {
		this.options = options;
	}

	get queued(): number {
		return this.waiting.length;
	}

	/** From the step's start to now, or to its end once it ended. */
	get elapsedMs(): number {
		return (this.finishedAt ?? this.options.clock()) - this.startMs;
	}

	async run(): Promise<StepOutcome> {
		this.startMs = this.options.clock();
		const finished = new Promise<void>(resolve => {
			this.resolve = resolve;
		});
		this.tick();
		this.saturationTimer = setInterval(() => {
			this.checkSaturation();
		}, saturationCheckMs);
		this.saturationTimer.unref?.();
		await finished;
		return this.outcome();
	}

	/**
	 * Whether the requests ended so far meet the SLO (null before any ended), for the live view. It
	 * sorts every request's figures, so on the thread that sends it is worked out again only when
	 * requests have ended since, and at most every `liveSloEveryMs`: the live view asks each frame.
	 */
	slo(terms: readonly SloTerm[]): boolean | null {
		if (this.ended === 0) {
			return null;
		}

		const now = this.options.clock();
		if (this.liveSlo && (this.liveSlo.ended === this.ended || now - this.liveSlo.at < liveSloEveryMs)) {
			return this.liveSlo.pass;
		}

		const pass = this.sloNow(terms);
		this.liveSlo = {ended: this.ended, at: now, pass};
		return pass;
	}

	private sloNow(terms: readonly SloTerm[]): boolean | null {
		const {columns} = this;
		const count = this.arrived;
		const take = <T>(column: T[], empty: T): T[] => Array.from({length: count}, (_, index) => column[index] ?? empty);
		return requestsMeetSlo(
			{
				scheduledMs: this.options.schedule.offsetsMs.slice(0, count),
				queueMs: take(columns.queueMs, null),
				ttftMs: take(columns.ttftMs, null),
				ttfaMs: take(columns.ttfaMs, null),
				e2eMs: take(columns.e2eMs, null),
				outputTokens: take(columns.outputTokens, null),
				status: take<RunStatus>(columns.status, 'aborted'),
				errorKind: take(columns.errorKind, null),
				gapsMs: take(columns.gapsMs, []),
				eventTokens: take(columns.eventTokens, []),
				tokensPerSecond: take(columns.tokensPerSecond, null),
			},
			terms,
		);
	}

	/** Stop the step: arrivals still waiting are never sent; with `aborted` the requests in flight are cut too. */
	stop(reason: LoadStopReason): void {
		if (this.stopped) {
			return;
		}

		this.stopped = reason;
		clearTimeout(this.timer);
		clearInterval(this.saturationTimer);
		this.waiting.length = 0;
		// Counted in flight when they were queued to be sent; they never will be.
		this.inFlight -= this.launches.length;
		this.launches.length = 0;
		if (reason === 'aborted') {
			this.controller.abort();
		}

		this.settle();
	}

	/** Send every arrival that is due, then sleep until the next one. */
	private tick(): void {
		const {offsetsMs} = this.options.schedule;
		const now = this.options.clock() - this.startMs;
		while (!this.stopped && this.arrived < offsetsMs.length && offsetsMs[this.arrived]! <= now) {
			this.arrive(this.arrived++);
		}

		if (!this.stopped && this.arrived < offsetsMs.length) {
			this.timer = setTimeout(
				() => {
					this.tick();
				},
				Math.max(0, offsetsMs[this.arrived]! - (this.options.clock() - this.startMs)),
			);
		} else {
			clearInterval(this.saturationTimer);
			this.settle();
		}
	}

	private arrive(index: number): void {
		const {columns} = this;
		columns.queueMs[index] = null;
		columns.status[index] = 'aborted';
		if (this.inFlight < this.options.maxConcurrency) {
			this.launch(index, false);
		} else {
			this.waiting.push(index);
		}
	}

	private launch(index: number, fromQueue: boolean): void {
		if (!this.options.reserve()) {
			this.stop('cost');
			return;
		}

		this.inFlight++;
		if (!fromQueue) {
			this.lags[index] = 0;
		}

		this.launches.push(index);
		this.pump();
	}

	private pump(): void {
		if (this.launching || this.launches.length === 0) {
			return;
		}

		const index = this.launches.shift()!;
		this.launching = true;
		let written = false;
		const onWritten = () => {
			if (!written) {
				written = true;
				this.launching = false;
				this.pump();
			}
		};
		// A slow connect must not hold back the arrivals after it: the next request goes by the next
		// event-loop turn at the latest (its preparation still never runs in this one's t0-to-send turn).
		setImmediate(onWritten);

		void this.options
			.send({
				index,
				signal: this.controller.signal,
				onSend: (t0, meter) => {
					this.sendAt[index] = t0;
					this.meters[index] = meter;
				},
				onWritten,
			})
			.then(record => {
				onWritten();
				this.complete(index, record);
			});
	}

	private complete(index: number, record: RunRecord): void {
		const {columns} = this;
		const scheduledAt = this.startMs + this.options.schedule.offsetsMs[index]!;
		const sendAt = this.sendAt[index] ?? this.options.clock();
		const queueMs = round3(Math.max(0, sendAt - scheduledAt));
		this.inFlight--;
		this.ended++;
		columns.queueMs[index] = queueMs;
		columns.ttftMs[index] = record.ttftMs === null ? null : round3(record.ttftMs);
		columns.ttfaMs[index] = record.ttfaMs === null ? null : round3(record.ttfaMs);
		columns.e2eMs[index] = record.totalMs === null ? null : round3(record.totalMs);
		columns.outputTokens[index] = record.outputTokens;
		columns.status[index] = record.status;
		columns.errorKind[index] = record.error?.kind ?? null;
		columns.tokensPerSecond[index] = record.tokensPerSecond === null ? null : round3(record.tokensPerSecond);
		const {gaps, tokens} = timelineOf(this.meters[index]);
		columns.gapsMs[index] = gaps;
		columns.eventTokens[index] = tokens;
		this.meters[index] = undefined;
		if (this.options.keepText) {
			columns.text[index] = record.reasoningText + record.text;
		}

		if (this.lags[index] !== undefined) {
			this.lags[index] = queueMs;
			this.options.onSendLag?.(queueMs);
		}

		if (record.status !== 'ok') {
			this.failed++;
			if (record.error?.kind === 'rate_limit') {
				this.rateLimited++;
			}
		}

		const endMs = sendAt + (record.totalMs ?? 0) - this.startMs;
		const plus = (value: number | null) => (value === null ? null : queueMs + value);
		this.live.add(endMs, record.status === 'ok' ? plus(record.ttftMs) : null, record.status === 'ok' ? plus(record.totalMs) : null);
		const stop = failureStop(this.ended, this.failed, this.rateLimited);
		if (stop) {
			this.stop(stop);
		} else if (!this.stopped && this.waiting.length > 0) {
			this.launch(this.waiting.shift()!, true);
		}

		this.settle();
	}

	private checkSaturation(): void {
		const {offsetsMs} = this.options.schedule;
		const saturated = isSaturated({
			ended: this.ended,
			nowMs: this.elapsedMs,
			scheduledMs: offsetsMs.slice(0, this.arrived),
			sentMs: index => {
				const sent = this.sendAt[index];
				return sent === undefined ? null : sent - this.startMs;
			},
		});
		if (saturated) {
			this.stop('saturated');
		}
	}

	/** Resolve once nothing is due, waiting, being sent or in flight. */
	private settle(): void {
		const allArrived = this.stopped !== null || this.arrived >= this.options.schedule.offsetsMs.length;
		if (allArrived && this.waiting.length === 0 && this.launches.length === 0 && this.inFlight === 0) {
			clearTimeout(this.timer);
			clearInterval(this.saturationTimer);
			this.finishedAt ??= this.options.clock();
			this.resolve();
		}
	}

	private outcome(): StepOutcome {
		const {columns} = this;
		const count = this.arrived;
		const lags = this.lags.filter(lag => lag !== undefined).sort((a, b) => a - b);
		const sendLagMs =
			lags.length === 0
				? {p50: 0, p99: 0, max: 0}
				: {p50: round3(percentileSorted(lags, 50)), p99: round3(percentileSorted(lags, 99)), max: round3(lags.at(-1)!)};
		const fill = <T>(column: T[], empty: T): T[] => Array.from({length: count}, (_, index) => column[index] ?? empty);
		const requests: LoadRequests = {
			scheduledMs: this.options.schedule.offsetsMs.slice(0, count).map(value => round3(value)),
			queueMs: fill(columns.queueMs, null),
			ttftMs: fill(columns.ttftMs, null),
			ttfaMs: fill(columns.ttfaMs, null),
			e2eMs: fill(columns.e2eMs, null),
			outputTokens: fill(columns.outputTokens, null),
			status: fill<RunStatus>(columns.status, 'aborted'),
			errorKind: fill(columns.errorKind, null),
			gapsMs: fill(columns.gapsMs, []),
			eventTokens: fill(columns.eventTokens, []),
			tokensPerSecond: fill(columns.tokensPerSecond, null),
			...(this.options.keepText ? {text: fill(columns.text, null)} : {}),
		};
		return {stopped: this.stopped, requests, sendLagMs, clientLimited: sendLagMs.p99 > clientLimitedLagMs};
	}
}
