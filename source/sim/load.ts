// The simulator under load (docs/load.md "The simulator under load"): a stated, illustrative model,
// not a measurement. The published figures are single-request figures; under load a simulated model
// with `load: {sequences: N}` behaves like this:
//
// - up to N requests decode at once at the published speed;
// - from N to 2N in the batch, every sequence slows to N/batch of it (the batch shares N sequences'
//   worth of decoding: the model's tokens per second in all stay N × its published speed);
// - beyond 2N a request waits, in order, for a place in the batch: its headers come at once, its
//   first token only once it is admitted (then after the published TTFT, as at rest).
//
// So a model serves about N × tokens/s ÷ answer tokens requests per second before its queue grows:
// its knee. A model without `load:` serves every request at once at its published speed.
import type {ServerResponse} from 'node:http';
import {performance} from 'node:perf_hooks';

/** The batch holds at most this many times `sequences`; the rest wait. */
export const batchFactor = 2;

/** What a request admitted into the batch streams by. */
export type Pace = {
	/** performance.now() when it was admitted: its plan starts there. */
	readonly startedAt: number;
	/** How much longer each gap between tokens is now (1 while the batch is at most N). */
	readonly slowdown: () => number;
	/** It ended (or its client left): the next waiting request may start. Idempotent. */
	readonly release: () => void;
};

export type LoadGate = {
	readonly admit: (response: ServerResponse, start: (pace: Pace) => void) => void;
	readonly batch: () => number;
	readonly waiting: () => number;
};

export function createLoadGate(sequences: number): LoadGate {
	const capacity = batchFactor * sequences;
	let batch = 0;
	const queue: Array<{response: ServerResponse; start: (pace: Pace) => void}> = [];
	const slowdown = () => Math.max(1, batch / sequences);
	const begin = (start: (pace: Pace) => void) => {
		batch++;
		let released = false;
		start({
			startedAt: performance.now(),
			slowdown,
			release() {
				if (released) {
					return;
				}

				released = true;
				batch--;
				next();
			},
		});
	};

	const next = () => {
		while (batch < capacity && queue.length > 0) {
			const waiting = queue.shift()!;
			if (!waiting.response.destroyed && !waiting.response.writableEnded) {
				begin(waiting.start);
			}
		}
	};

	return {
		admit(response, start) {
			if (batch < capacity) {
				begin(start);
				return;
			}

			const entry = {response, start};
			queue.push(entry);
			response.on('close', () => {
				const index = queue.indexOf(entry);
				if (index !== -1) {
					queue.splice(index, 1);
				}
			});
		},
		batch: () => batch,
		waiting: () => queue.length,
	};
}

/** The gate of a model with `load:` in this server's state, made on its first request. */
export function loadGateOf(state: {readonly gates: Map<string, LoadGate>}, id: string, sequences: number): LoadGate {
	let gate = state.gates.get(id);
	if (!gate) {
		gate = createLoadGate(sequences);
		state.gates.set(id, gate);
	}

	return gate;
}
