// Where a race's streams are stamped: on this thread (tests, benchmarks of the engine alone), or on
// stamping threads (worker/stamp-pool.ts), behind one interface, so the race neither knows nor cares.
import type {Clock, Measurement, ModelSpec, RunRecord} from '../types.js';
import type {RunMeter, TokenCounter} from '../meter/meter.js';
import {createDelayMonitor} from './measure.js';
import {createSendGate} from './schedule.js';

/** One request of a race, as plain data (it crosses to a stamping thread as it is). */
export type StreamJob = {
	readonly model: ModelSpec;
	readonly apiKey: string | null;
	readonly prompt: string;
	readonly maxTokens: number;
	readonly temperature: number | null;
	readonly seed: number | null;
	readonly insecure: boolean | undefined;
	readonly timeoutMs: number;
	readonly idleTimeoutMs: number;
	readonly index: number;
	readonly warmup: boolean;
};

export type StreamHooks = {
	readonly signal: AbortSignal;
	/** Its turn to be prepared and sent has come (the race shows it connecting). */
	readonly onTurn: () => void;
	/**
	 * The request that streams is about to be sent: its t0 on the race's clock, and the meter the
	 * live view reads (a mirror, on this thread, when the run streams on another).
	 */
	readonly onSend: (t0: number, meter: RunMeter) => void;
	/** Something new was recorded. */
	readonly onChunk: () => void;
};

export type Streamer = {
	/** Stream one request and make its record; null when the race was stopped before its turn to send came. */
	readonly run: (job: StreamJob, hooks: StreamHooks) => Promise<RunRecord | null>;
	/** The stamping threads' event-loop delay since the race's first t0 (docs/metrics.md "measurement"); null before it. */
	readonly measurement: () => Promise<Measurement | null>;
	/** How late the stamping threads were lately (ms, within the last second), when they say; the live view slows down for it. */
	readonly lateness?: (() => number) | undefined;
};

/**
 * Streams stamped on this thread, which also counts tokens and builds the race's views: what the
 * engine's own tests and benchmarks use. Requests go out one at a time (race/schedule.ts).
 */
export function localStreamer(countTokens: TokenCounter, clock: Clock): Streamer {
	// The HTTP stack and the SDK: loaded when a race on this thread starts, not by whoever imports the race
	// (the stamping threads' coordinator never streams here, and must not wait for the SDK to start them).
	const http = import('../http/stream.js');
	http.catch(() => undefined);
	const takeTurn = createSendGate();
	const delay = createDelayMonitor();
	return {
		async run(job, hooks) {
			// Before this request's turn, so no first use falls between its t0 and its send.
			const {streamOnce} = await http;
			const onWritten = await takeTurn();
			if (hooks.signal.aborted) {
				onWritten();
				return null;
			}

			hooks.onTurn();
			return streamOnce({
				...job,
				countTokens,
				signal: hooks.signal,
				clock,
				onSend(t0, meter) {
					// Just before the request's own t0 is taken (stream.ts calls onSend first).
					delay.start();
					hooks.onSend(t0, meter);
				},
				onWritten,
				onChunk: hooks.onChunk,
			});
		},
		async measurement() {
			return delay.stop();
		},
	};
}
