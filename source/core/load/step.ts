// One step of one model, on the coordinating thread (docs/load.md "Open loop", "Steps", "Stops"): the
// sends happen where the StepSender runs them (dispatch.ts: the open-loop timers and the
// --max-concurrency queue live there, on the thread that sends); here each request's figures are kept
// as it ends, with its queue time, and the early stops are decided.
import type {RunMeter} from '../meter/meter.js';
import {percentileSorted} from '../stats/stats.js';
import type {Clock, ErrorKind, RunRecord, RunStatus} from '../types.js';
import type {Schedule} from './arrivals.js';
import type {StepEvents} from './dispatch.js';
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

export type StepOptions = {
	readonly schedule: Schedule;
	readonly clock: Clock;
	/** Start the step's sends (a StepSender bound to this step's request); returns how to stop them. */
	readonly start: (events: StepEvents) => {readonly stop: (reason: LoadStopReason) => void};
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

/**
 * A step in progress, as the coordinating thread sees it: `run()` starts its sends and resolves once
 * every arrival was sent and ended (or the step was stopped).
 */
export class StepRun {
	readonly live = new LiveWindow();
	startMs = 0;
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

	/** When each arrival was sent (this thread's clock). */
	private readonly sendAt: number[] = [];
	private sent = 0;
	/** Send lags of the arrivals that found a free slot (set once they end). */
	private readonly lags: number[] = [];
	private readonly fromSlot: boolean[] = [];
	/** Arrivals the sender said wait for a free slot (until they are sent). */
	private readonly waiting = new Set<number>();
	/** How many arrivals came, once the sender settled (null before). */
	private arrived: number | null = null;
	private rateLimited = 0;
	private handle: {readonly stop: (reason: LoadStopReason) => void} | undefined;
	private saturationTimer: NodeJS.Timeout | undefined;
	private resolve: () => void = () => {};
	private finishedAt: number | null = null;
	private liveSlo: {ended: number; at: number; pass: boolean | null} | undefined;

	constructor(options: StepOptions) {
		this.options = options;
	}

	/** Arrivals due by now (every one that came, once the step settled). */
	get arrivedNow(): number {
		if (this.arrived !== null) {
			return this.arrived;
		}

		const {offsetsMs} = this.options.schedule;
		const now = this.options.clock() - this.startMs;
		let low = 0;
		let high = offsetsMs.length;
		while (low < high) {
			const middle = (low + high) >> 1;
			if (offsetsMs[middle]! <= now) {
				low = middle + 1;
			} else {
				high = middle;
			}
		}

		return Math.max(low, this.sent);
	}

	/** Sent and not yet ended. */
	get inFlight(): number {
		return this.sent - this.ended;
	}

	/** Arrived and waiting for a free slot (as the thread that sends last said). */
	get queued(): number {
		return this.stopped || this.arrived !== null ? 0 : this.waiting.size;
	}

	/** From the step's start to now, or to its end once it ended (0 before its schedule starts). */
	get elapsedMs(): number {
		return Math.max(0, (this.finishedAt ?? this.options.clock()) - this.startMs);
	}

	async run(): Promise<StepOutcome> {
		this.startMs = this.options.clock();
		const finished = new Promise<void>(resolve => {
			this.resolve = resolve;
		});
		this.saturationTimer = setInterval(() => {
			this.checkSaturation();
		}, saturationCheckMs);
		this.saturationTimer.unref?.();
		this.handle = this.options.start({
			onStart: startMs => {
				this.startMs = startMs;
			},
			onQueued: index => {
				this.waiting.add(index);
			},
			onSent: (index, t0, fromQueue) => {
				this.waiting.delete(index);
				if (this.sendAt[index] === undefined) {
					this.sent++;
				}

				this.sendAt[index] = t0;
				this.fromSlot[index] = !fromQueue;
			},
			onEnded: (index, record, meter) => {
				this.complete(index, record, meter);
			},
			onCostStop: () => {
				this.stopped ??= 'cost';
			},
			onSettled: arrived => {
				this.arrived = arrived;
				clearInterval(this.saturationTimer);
				this.finishedAt ??= this.options.clock();
				this.resolve();
			},
		});
		if (this.stopped) {
			this.handle.stop(this.stopped);
		}

		await finished;
		return this.outcome();
	}

	/**
	 * Whether the requests ended so far meet the SLO (null before any ended), for the live view. It
	 * sorts every request's figures, so it is worked out again only when requests have ended since,
	 * and at most every `liveSloEveryMs`: the live view asks each frame.
	 */
	slo(terms: readonly SloTerm[]): boolean | null {
		if (this.ended === 0) {
			return null;
		}

		const now = this.options.clock();
		if (this.liveSlo && (this.liveSlo.ended === this.ended || now - this.liveSlo.at < liveSloEveryMs)) {
			return this.liveSlo.pass;
		}

		const pass = requestsMeetSlo(this.requestsOf(this.arrivedNow), terms);
		this.liveSlo = {ended: this.ended, at: now, pass};
		return pass;
	}

	/** Stop the step: arrivals still to come or waiting are never sent; with `aborted` the requests in flight are cut too. */
	stop(reason: LoadStopReason): void {
		if (this.stopped && this.stopped !== 'cost') {
			return;
		}

		this.stopped ??= reason;
		clearInterval(this.saturationTimer);
		this.handle?.stop(reason);
	}

	private complete(index: number, record: RunRecord, meter: RunMeter | undefined): void {
		const {columns} = this;
		const scheduledAt = this.startMs + this.options.schedule.offsetsMs[index]!;
		const sendAt = this.sendAt[index] ?? this.options.clock();
		if (this.sendAt[index] === undefined) {
			// Ended without a send (stopped first): it never counted as sent.
			this.sent++;
			this.sendAt[index] = sendAt;
		}

		const queueMs = round3(Math.max(0, sendAt - scheduledAt));
		this.ended++;
		columns.queueMs[index] = queueMs;
		columns.ttftMs[index] = record.ttftMs === null ? null : round3(record.ttftMs);
		columns.ttfaMs[index] = record.ttfaMs === null ? null : round3(record.ttfaMs);
		columns.e2eMs[index] = record.totalMs === null ? null : round3(record.totalMs);
		columns.outputTokens[index] = record.outputTokens;
		columns.status[index] = record.status;
		columns.errorKind[index] = record.error?.kind ?? null;
		columns.tokensPerSecond[index] = record.tokensPerSecond === null ? null : round3(record.tokensPerSecond);
		const {gaps, tokens} = timelineOf(meter);
		columns.gapsMs[index] = gaps;
		columns.eventTokens[index] = tokens;
		if (this.options.keepText) {
			columns.text[index] = record.reasoningText + record.text;
		}

		if (this.fromSlot[index]) {
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
		}
	}

	private checkSaturation(): void {
		const saturated = isSaturated({
			ended: this.ended,
			nowMs: this.elapsedMs,
			scheduledMs: this.options.schedule.offsetsMs,
			// An arrival the sender has not reported on yet is not counted: the coordinator may be behind it.
			sentMs: index => {
				const sent = this.sendAt[index];
				return sent === undefined ? (this.waiting.has(index) ? null : undefined) : sent - this.startMs;
			},
		});
		if (saturated) {
			this.stop('saturated');
		}
	}

	/** The columns of the first `count` arrivals (those not ended yet as aborted, without figures). */
	private requestsOf(count: number): LoadRequests {
		const {columns} = this;
		const fill = <T>(column: T[], empty: T): T[] => Array.from({length: count}, (_, index) => column[index] ?? empty);
		return {
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
	}

	private outcome(): StepOutcome {
		const lags = this.lags.filter(lag => lag !== undefined).sort((a, b) => a - b);
		const sendLagMs =
			lags.length === 0
				? {p50: 0, p99: 0, max: 0}
				: {p50: round3(percentileSorted(lags, 50)), p99: round3(percentileSorted(lags, 99)), max: round3(lags.at(-1)!)};
		return {stopped: this.stopped, requests: this.requestsOf(this.arrived ?? 0), sendLagMs, clientLimited: sendLagMs.p99 > clientLimitedLagMs};
	}
}
