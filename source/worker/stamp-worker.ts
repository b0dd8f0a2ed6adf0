// A stamping thread: it only stamps. Socket reads, their timestamps, SSE framing and the meter's
// record of each chunk; no tokenizer, no snapshots, no summaries (the coordinating thread does those
// from the deltas posted here). Its own send gate (one request prepared at a time) and its own
// event-loop-delay monitor. See docs/stamping-threads.md.
import {performance} from 'node:perf_hooks';
import {parentPort, workerData} from 'node:worker_threads';
import {streamRun} from '../core/http/stream.js';
import {takeRecentLateness} from '../core/meter/client-delay.js';
import {warmUpHttp} from '../core/http/warm-up.js';
import type {RunMeter} from '../core/meter/meter.js';
import {createDelayMonitor} from '../core/race/measure.js';
import {createSendGate} from '../core/race/schedule.js';
import type {StreamJob} from '../core/race/streamer.js';
import {settleHeap} from '../runtime/heap.js';
import type {FromStamper, StampBoot, ToStamper} from './stamp-protocol.js';

const boot = workerData as StampBoot;
const port = parentPort!;
const post = (message: FromStamper) => {
	port.postMessage(message);
};

const takeTurn = createSendGate();
const controllers = new Map<number, AbortController>();
/** The meters of the streams in flight, for the progress posts. */
const meters = new Map<number, RunMeter>();
let delay = createDelayMonitor();
let streams = 0;

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
	post({type: 'done', id, ending, delta: meter.takeDelta(true)});
}

function postProgress(): void {
	if (meters.size === 0) {
		return;
	}

	const deltas: Array<{id: number; delta: NonNullable<ReturnType<RunMeter['takeDelta']>>}> = [];
	for (const [id, meter] of meters) {
		const delta = meter.takeDelta();
		if (delta) {
			deltas.push({id, delta});
		}
	}

	const lateMs = takeRecentLateness();
	if (deltas.length > 0 || lateMs > 0) {
		post({type: 'progress', deltas, lateMs});
	}
}

try {
	await warmUpHttp();
	settleHeap();
	if (boot.progressMs !== null) {
		setInterval(postProgress, boot.progressMs).unref();
	}

	port.on('message', (message: ToStamper) => {
		switch (message.type) {
			case 'job': {
				const controller = new AbortController();
				controllers.set(message.id, controller);
				void runStream(message.id, message.input.job, controller.signal).finally(() => controllers.delete(message.id));
				break;
			}

			case 'abort': {
				controllers.get(message.id)?.abort();
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
				for (const controller of controllers.values()) {
					controller.abort();
				}

				port.close();
				break;
			}
		}
	});
	post({type: 'ready', timeOrigin: performance.timeOrigin});
} catch (error) {
	post({type: 'failed', message: error instanceof Error ? error.message : String(error)});
}
