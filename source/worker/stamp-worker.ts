// A stamping thread: it only sends and stamps. Socket reads, their timestamps, SSE framing and the meter's
// record of each chunk; no tokenizer, no snapshots, no summaries (the coordinating thread does those
// from the deltas posted here). Its own send gate (one request prepared at a time) and its own
// event-loop-delay monitor; a load step's arrival timers fire here too. See docs/stamping-threads.md.
import {performance} from 'node:perf_hooks';
import {parentPort, workerData} from 'node:worker_threads';
import {streamRun} from '../core/http/stream.js';
import {costBudget} from '../core/load/budget.js';
import {createLauncher, StepDispatcher} from '../core/load/dispatch.js';
import {requestPrompt} from '../core/load/prompt.js';
import {takeRecentLateness} from '../core/meter/client-delay.js';
import {warmUpHttp} from '../core/http/warm-up.js';
import type {RunMeter} from '../core/meter/meter.js';
import {createLateHold, pacedMs} from '../core/race/late-pace.js';
import {createDelayMonitor} from '../core/race/measure.js';
import {createSendGate} from '../core/race/schedule.js';
import type {StreamJob} from '../core/race/streamer.js';
import {settleHeap} from '../runtime/heap.js';
import type {FromStamper, JobInput, LoadStepEvent, StampBoot, ToStamper} from './stamp-protocol.js';

const boot = workerData as StampBoot;
const port = boot.port ?? parentPort!;
const post = (message: FromStamper) => {
	port.postMessage(message);
};

const takeTurn = createSendGate();
const controllers = new Map<number, AbortController>();
/** The meters of the streams in flight, for the progress posts. */
const meters = new Map<number, RunMeter>();
let delay = createDelayMonitor();
let streams = 0;
/** Load steps running here (job id → how to stop it). */
const steps = new Map<number, (cut: boolean) => void>();
/** Load requests are prepared one at a time across every step on this thread. */
const launch = createLauncher();
/**
 * Load step events not yet posted: gathered for `loadPostMs` and posted together (a post costs this
 * thread ~10 µs and more; nothing on the coordinator waits for them within a frame).
 */
const loadPostMs = 20;
/** How often a race's deltas are posted when no live view sets the pace (headless). */
const handOverMs = 100;
/** Load step events not yet posted, by job. */
const pending = new Map<number, LoadStepEvent[]>();
let flushing = false;

function flushLoadEvents(): void {
	flushing = false;
	for (const [id, events] of pending) {
		post({type: 'load', id, events});
	}

	pending.clear();
}

function postLoadEvent(id: number, event: LoadStepEvent): void {
	let events = pending.get(id);
	if (!events) {
		events = [];
		pending.set(id, events);
	}

	events.push(event);
	if (!flushing) {
		flushing = true;
		setTimeout(flushLoadEvents, loadPostMs);
	}
}

/**
 * One model's load step: its arrivals fired here, at their scheduled time on this thread's timers,
 * so the send lag is measured where the sends happen (core/load/dispatch.ts). Each request's ending
 * and meter delta go to the coordinator, which counts the tokens and keeps the figures.
 */
function runLoadStep(id: number, input: Extract<JobInput, {kind: 'load-step'}>): void {
	const {step} = input;
	const budget = costBudget(input.maxCostUSD, input.budget);
	const dispatcher = new StepDispatcher({
		offsetsMs: step.offsetsMs,
		maxConcurrency: step.maxConcurrency,
		clock: () => performance.now(),
		launch,
		reserve: () => budget.trySpend(step.requestCostUSD),
		async send(request) {
			const {meter, ...ending} = await streamRun({
				...step.job,
				prompt: requestPrompt(step.job.prompt, step.uniquePrompts, `${step.tag}-${request.index}`),
				index: request.index,
				signal: request.signal,
				gate: request.gate,
				onHanded: request.onHanded,
				onSend(t0) {
					delay.start();
					request.onSend(t0);
				},
				onWritten: request.onWritten,
			});
			if (request.cancelled()) {
				// Prepared ahead, and the step stopped before its time: it never arrived.
				return;
			}

			streams++;
			postLoadEvent(id, {kind: 'ended', index: request.index, ending, delta: meter.takeDelta(true)});
		},
		onStart(startMs) {
			postLoadEvent(id, {kind: 'start', startMs});
		},
		onQueued(index) {
			postLoadEvent(id, {kind: 'queued', index});
		},
		onSent(index, t0, fromQueue) {
			postLoadEvent(id, {kind: 'sent', index, t0, fromQueue});
		},
		onCostStop() {
			postLoadEvent(id, {kind: 'cost'});
		},
		onSettled(arrived) {
			steps.delete(id);
			postLoadEvent(id, {kind: 'settled', arrived});
		},
	});
	steps.set(id, cut => {
		dispatcher.stop(cut);
	});
	dispatcher.start();
}

/** Cut every stream and load step on this thread (closing, or its coordinator gone). */
function stopAll(): void {
	for (const controller of controllers.values()) {
		controller.abort();
	}

	for (const stop of steps.values()) {
		stop(true);
	}
}

async function runStream(id: number, job: StreamJob, signal: AbortSignal): Promise<void> {
	const onWritten = await takeTurn();
	if (signal.aborted) {
		onWritten();
		post({type: 'done', id, ending: null, delta: null});
		return;
	}

	post({type: 'turn', id});
	const {meter, ...ending} = await streamRun({
		...job,
		signal,
		onSend(t0, meter) {
			delay.start();
			meters.set(id, meter);
			post({type: 'sent', id, t0});
		},
		onWritten,
	});
	meters.delete(id);
	streams++;
	post({type: 'done', id, ending, delta: meter.takeDelta(true, true)});
}

/** Whether this thread was late lately, for the pace of its progress posts. */
const progressHold = createLateHold();

/** Post what the streams recorded since the last post; returns the thread's lateness since then (ms). */
function postProgress(): number {
	if (meters.size === 0 && steps.size === 0) {
		return 0;
	}

	const deltas: Array<{id: number; delta: NonNullable<ReturnType<RunMeter['takeDelta']>>}> = [];
	for (const [id, meter] of meters) {
		const delta = meter.takeDelta(false, true);
		if (delta) {
			deltas.push({id, delta});
		}
	}

	const lateMs = takeRecentLateness();
	if (deltas.length > 0 || lateMs > 0 || steps.size > 0) {
		post({type: 'progress', deltas, lateMs, delayP99Ms: delay.read()?.p99 ?? 0});
	}

	return lateMs;
}

/** Warm up, then take jobs: `ready` (or `failed`) says which. */
async function start(): Promise<void> {
	try {
		await warmUpHttp();
		settleHeap();
		// The deltas go at the live view's pace, and at the slow pace while this thread is late
		// (core/race/late-pace.ts). Without a live view to feed, they still go every `handOverMs`, late or not:
		// what was handed over is dropped here (`takeDelta(…, true)`), so this thread's heap holds the last
		// moments of each stream, not the whole run, and its collections stay short.
		const {progressMs} = boot;
		const pace = () => {
			const lateMs = postProgress();
			setTimeout(pace, progressMs ? pacedMs(progressMs, progressHold(performance.now(), lateMs).slow) : handOverMs).unref();
		};

		setTimeout(pace, progressMs ?? handOverMs).unref();

		port.on('message', (message: ToStamper) => {
			switch (message.type) {
				case 'job': {
					if (message.input.kind === 'load-step') {
						runLoadStep(message.id, message.input);
						break;
					}

					const controller = new AbortController();
					controllers.set(message.id, controller);
					void runStream(message.id, message.input.job, controller.signal).finally(() => controllers.delete(message.id));
					break;
				}

				case 'abort': {
					controllers.get(message.id)?.abort();
					break;
				}

				case 'stop-step': {
					steps.get(message.id)?.(message.reason === 'aborted');
					break;
				}

				case 'measure-start': {
					delay.stop();
					delay = createDelayMonitor();
					streams = 0;
					break;
				}

				case 'measure-stop': {
					post({type: 'measured', eventLoopDelayMs: delay.stop()?.eventLoopDelayMs ?? null, streams});
					break;
				}

				case 'close': {
					stopAll();
					port.close();
					break;
				}
			}
		});
		if (boot.port) {
			// Its coordinator is gone (its thread ended without a close): stop, so this thread can exit.
			boot.port.once('close', stopAll);
		}

		post({type: 'ready', timeOrigin: performance.timeOrigin});
	} catch (error) {
		post({type: 'failed', message: error instanceof Error ? error.message : String(error)});
	}
}

/**
 * Settles once this thread has said `ready` or `failed`. The entry (worker/stamp-start.ts) waits for it
 * when the build asks it for the code cache: by then the warm-up has compiled what a race runs.
 */
export const started: Promise<void> = start();
