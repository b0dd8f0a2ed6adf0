// Where a load step's requests leave (docs/load.md "The client must not be the bottleneck"): the
// open-loop timers, the --max-concurrency queue and the cost reserve run on the thread that sends, so
// the send lag measured there is the real one and nothing the coordinating thread does (token counts,
// summaries, snapshots) can make a send late. The coordinating thread's side is step.ts.
import type {StreamJob} from '../race/streamer.js';
import type {Clock, RunRecord} from '../types.js';
import type {RunMeter} from '../meter/meter.js';
import type {LoadStopReason} from './types.js';

/** Starts a request's preparation; it calls `onWritten` once the request is on the wire (or failed to get there). */
export type Launch = (onWritten: () => void) => void;

/**
 * Requests prepared one at a time on this thread, across every step it runs: the next once the one
 * before is on the wire, or by the next event-loop turn at the latest (a slow connect must not hold
 * back the arrivals after it). So no request's preparation runs between another's t0 and its send.
 */
export function createLauncher(): (launch: Launch) => void {
	const queue: Launch[] = [];
	let launching = false;
	const pump = () => {
		if (launching || queue.length === 0) {
			return;
		}

		const launch = queue.shift()!;
		launching = true;
		let written = false;
		const onWritten = () => {
			if (!written) {
				written = true;
				launching = false;
				pump();
			}
		};

		setImmediate(onWritten);
		launch(onWritten);
	};

	return launch => {
		queue.push(launch);
		pump();
	};
}

/** What every request of one model's step sends: plain data, it crosses to a stamping thread as it is. */
export type LoadStepRequest = {
	/** The request, its prompt untagged; each request's index is its arrival's. */
	readonly job: StreamJob;
	readonly uniquePrompts: boolean;
	/** Each request's unique first line is `${tag}-${index}` (core/load/prompt.ts). */
	readonly tag: string;
	/** Reserved from the run's budget before each send. */
	readonly requestCostUSD: number;
	/** The arrivals, from the step's start (ms). */
	readonly offsetsMs: readonly number[];
	readonly maxConcurrency: number;
};

/** What the thread that sends tells the step's coordinator (times on the coordinator's clock). */
export type StepEvents = {
	/** The step's schedule started at `startMs`. */
	readonly onStart: (startMs: number) => void;
	/** Arrival `index` found --max-concurrency full: it waits for a free slot. */
	readonly onQueued: (index: number) => void;
	/** Arrival `index` is about to be sent at `t0` (again, with a new t0, when it is sent again fresh); `fromQueue`: it waited for a free slot. */
	readonly onSent: (index: number, t0: number, fromQueue: boolean) => void;
	/** Request `index` ended; `meter` recorded it (undefined when it never got a meter). */
	readonly onEnded: (index: number, record: RunRecord, meter: RunMeter | undefined) => void;
	/** The budget refused a send: no arrival after it goes. */
	readonly onCostStop: () => void;
	/** Every arrival that will be sent was, and ended: `arrived` arrivals came before the step ended or was stopped. */
	readonly onSettled: (arrived: number) => void;
};

/** Runs a step's sends somewhere (this thread, or a stamping thread: worker/load-sender.ts). */
export type StepSender = (step: LoadStepRequest, events: StepEvents) => {readonly stop: (reason: LoadStopReason) => void};

/** One request the dispatcher lets out. */
export type DispatchedRequest = {
	readonly index: number;
	readonly signal: AbortSignal;
	/**
	 * Prepared ahead of its arrival: hand this to the request (StreamOptions `gate`), which waits for it
	 * before its t0 and its send. Undefined for a request let out at or after its time.
	 */
	readonly gate: Promise<void> | undefined;
	/** It was prepared ahead and then cancelled before its time (the step stopped): it never arrived, report nothing. */
	readonly cancelled: () => boolean;
	/** Call with the request's t0 (again, with a new one, if it is sent again fresh). */
	readonly onSend: (t0: number) => void;
	/** Call once the request is on the wire (or failed to get there): the next one may be prepared. */
	readonly onWritten: () => void;
	/** Call once the request was handed to its connection at its send (or failed there): the next one due may go. */
	readonly onHanded: () => void;
};

export type DispatchOptions = {
	readonly offsetsMs: readonly number[];
	readonly maxConcurrency: number;
	readonly clock: Clock;
	/** This thread's launcher (`createLauncher`), shared by every step it runs. */
	readonly launch: (launch: Launch) => void;
	/** Reserve the cost of one request before it is sent: false stops the step's arrivals. */
	readonly reserve: () => boolean;
	/** Send and read one request; resolves once it ended (never rejects). */
	readonly send: (request: DispatchedRequest) => Promise<void>;
	/** The schedule starts now (before its first arrival is let out). */
	readonly onStart: (startMs: number) => void;
	readonly onQueued: (index: number) => void;
	readonly onSent: (index: number, t0: number, fromQueue: boolean) => void;
	readonly onCostStop: () => void;
	readonly onSettled: (arrived: number) => void;
};

/**
 * How long before its scheduled time an arrival's request is prepared (built by the SDK and handed to
 * the fetch, which holds it): at its time only its t0 and its send are left to do.
 */
export const prepareAheadMs = 25;

/** A request prepared ahead, held until its time; `handed` is called once its send is over. */
type Held = {readonly release: () => void; readonly cancel: () => void; handed: () => void};

/**
 * One step's arrivals on the thread that sends them: each at its scheduled time whatever the others
 * do, at most `maxConcurrency` in flight, the rest waiting in order (their wait is their queue time).
 * An arrival that finds a free slot `prepareAheadMs` before its time is prepared then (in a callback
 * without any release in it, so no preparation ever runs between another request's t0 and its send)
 * and released at its time; one that did not is prepared at its time if a slot is free by then, else it
 * waits, and is prepared when a slot frees.
 */
export class StepDispatcher {
	startMs = 0;
	private arrived = 0;
	/** Requests handed to the launcher, prepared ahead (each holds a slot), or in flight. */
	private inFlight = 0;
	/** Arrivals prepared ahead and not yet due. */
	private readonly held = new Map<number, Held>();
	/** The next arrival to prepare ahead (never before `arrived`). */
	private nextPrepared = 0;
	private readonly waiting: number[] = [];
	private stopped = false;
	private settled = false;
	private timer: NodeJS.Timeout | undefined;
	/**
	 * One controller per request in flight, all aborted by a cut: a signal shared by a thousand requests
	 * cost each request's listener a walk of all the others (EventTarget checks for duplicates).
	 */
	private readonly controllers = new Set<AbortController>();
	private readonly options: DispatchOptions;

	constructor(options: DispatchOptions) {
		this.options = options;
	}

	/**
	 * The schedule starts `prepareAheadMs` from now, so that its first arrivals are prepared ahead like
	 * every other: at offset 0 every model of a run has one, due together, and each made at its time
	 * would wait for the preparation and send of every one before it (1–1.5 ms each while the thread is
	 * new: the 15th model's first send left ~20 ms late).
	 */
	start(): void {
		this.startMs = this.options.clock() + prepareAheadMs;
		this.options.onStart(this.startMs);
		this.tick();
	}

	/** Arrivals still to come or waiting are never sent; with `cut` the requests in flight are cut too. */
	stop(cut: boolean): void {
		if (!this.stopped) {
			this.stopped = true;
			clearTimeout(this.timer);
			this.waiting.length = 0;
			for (const held of this.held.values()) {
				held.cancel();
			}

			this.held.clear();
		}

		if (cut) {
			for (const controller of this.controllers) {
				controller.abort();
			}
		}

		this.settle();
	}

	/** Let out every arrival that is due, prepare the ones due soon, then sleep until the next of either. */
	private tick(): void {
		const {offsetsMs, clock} = this.options;
		const now = clock() - this.startMs;
		/** Due arrivals prepared ahead: let out one at a time. */
		const due: Held[] = [];
		/** Due arrivals that were not prepared ahead and found a free slot: prepared and sent now. */
		const direct: number[] = [];
		while (!this.stopped && this.arrived < offsetsMs.length && offsetsMs[this.arrived]! <= now) {
			const index = this.arrived++;
			const held = this.held.get(index);
			if (held) {
				this.held.delete(index);
				if (!this.options.reserve()) {
					held.cancel();
					this.options.onCostStop();
					this.stop(false);
					return;
				}

				due.push(held);
			} else if (this.inFlight + direct.length < this.options.maxConcurrency) {
				direct.push(index);
			} else {
				this.waiting.push(index);
				this.options.onQueued(index);
			}
		}

		const next = () => {
			for (const index of direct) {
				if (this.stopped) {
					break;
				}

				this.launch(index, false);
			}

			this.prepareSoon();
			this.sleep();
		};

		if (due.length > 0) {
			this.releaseDue(due, next);
		} else {
			next();
		}
	}

	/**
	 * Let out the arrivals `due`, one at a time, then `after` (the direct sends, the preparation, the timer).
	 * A request's send (its t0, then its socket) comes in the microtasks after its gate opens, and on a
	 * kept-alive socket its write in the ticks right after: the next one goes in a tick queued behind that
	 * write, so each is written before the next one's t0, and nothing else runs between (no socket read, no
	 * timer, no preparation). A request that never reaches its send (its preparation failed) holds the next
	 * one back a turn at most.
	 */
	private releaseDue(due: Held[], after: () => void): void {
		const held = due.shift();
		if (!held) {
			after();
			return;
		}

		let done = false;
		const next = () => {
			if (!done) {
				done = true;
				this.releaseDue(due, after);
			}
		};

		const atTheLatest = setImmediate(next);
		held.handed = () => {
			clearImmediate(atTheLatest);
			process.nextTick(next);
		};
		held.release();
	}

	/** Prepare, in order, the arrivals due within `prepareAheadMs` while a slot is free for each. */
	private prepareSoon(): void {
		const {offsetsMs, clock, maxConcurrency} = this.options;
		const horizon = clock() - this.startMs + prepareAheadMs;
		this.nextPrepared = Math.max(this.nextPrepared, this.arrived);
		while (
			!this.stopped &&
			this.nextPrepared < offsetsMs.length &&
			offsetsMs[this.nextPrepared]! <= horizon &&
			this.inFlight < maxConcurrency &&
			this.waiting.length === 0
		) {
			this.prepare(this.nextPrepared++);
		}
	}

	/** Sleep until the next arrival is due or the next one may be prepared, whichever is first. */
	private sleep(): void {
		const {offsetsMs, clock} = this.options;
		if (this.stopped) {
			return;
		}

		if (this.arrived >= offsetsMs.length) {
			this.settle();
			return;
		}

		clearTimeout(this.timer);
		let at = offsetsMs[this.arrived]!;
		if (this.nextPrepared < offsetsMs.length && this.inFlight < this.options.maxConcurrency && this.waiting.length === 0) {
			at = Math.min(at, offsetsMs[this.nextPrepared]! - prepareAheadMs);
		}

		this.timer = setTimeout(
			() => {
				this.tick();
			},
			Math.max(0, at - (clock() - this.startMs)),
		);
	}

	/** Build arrival `index`'s request now and hold it at the fetch until its time (it holds a slot meanwhile). */
	private prepare(index: number): void {
		this.inFlight++;
		let release!: () => void;
		let cancel!: (reason: Error) => void;
		let cancelled = false;
		const gate = new Promise<void>((resolve, reject) => {
			release = resolve;
			cancel = reject;
		});
		// Cancelled before the request reached its fetch (or never reaching it): not an unhandled rejection.
		gate.catch(() => {});
		const held: Held = {
			release,
			cancel() {
				cancelled = true;
				cancel(new Error('the step stopped before this arrival was due'));
			},
			handed() {},
		};
		this.held.set(index, held);
		this.sendOne(
			index,
			false,
			gate,
			() => cancelled,
			() => {},
			() => {
				held.handed();
			},
		);
	}

	private launch(index: number, fromQueue: boolean): void {
		if (!this.options.reserve()) {
			this.options.onCostStop();
			this.stop(false);
			return;
		}

		this.inFlight++;
		this.options.launch(onWritten => {
			if (this.stopped) {
				// Stopped while it waited for its turn: never sent.
				onWritten();
				this.inFlight--;
				this.settle();
				return;
			}

			this.sendOne(
				index,
				fromQueue,
				undefined,
				() => false,
				onWritten,
				() => {},
			);
		});
	}

	/** Send and read one request (its slot already counted); when it ended, its slot goes to the next waiting. */
	private sendOne(
		index: number,
		fromQueue: boolean,
		gate: Promise<void> | undefined,
		cancelled: () => boolean,
		onWritten: () => void,
		onHanded: () => void,
	): void {
		const controller = new AbortController();
		this.controllers.add(controller);
		void this.options
			.send({
				index,
				signal: controller.signal,
				gate,
				cancelled,
				onSend: t0 => {
					this.options.onSent(index, t0, fromQueue);
				},
				onWritten,
				onHanded,
			})
			.then(() => {
				this.controllers.delete(controller);
				onWritten();
				this.inFlight--;
				if (!this.stopped && this.waiting.length > 0) {
					this.launch(this.waiting.shift()!, true);
				}

				this.settle();
			});
	}

	private settle(): void {
		const allArrived = this.stopped || this.arrived >= this.options.offsetsMs.length;
		if (!this.settled && allArrived && this.waiting.length === 0 && this.inFlight === 0) {
			this.settled = true;
			clearTimeout(this.timer);
			this.options.onSettled(this.arrived);
		}
	}
}
