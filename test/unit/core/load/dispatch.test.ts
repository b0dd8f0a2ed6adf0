// The load dispatcher (core/load/dispatch.ts) on fake timers: arrivals prepared ahead and released at
// their time, the --max-concurrency queue, a stop before a prepared arrival's time, the cost reserve.
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {createLauncher, prepareAheadMs, StepDispatcher, type DispatchedRequest} from '../../../../source/core/load/dispatch.js';

type Seen = {
	/** When its send began: the request's preparation (ahead of its time, or at it). */
	prepared: number;
	/** Its t0, when it was let out; undefined when it never was. */
	sent: number | undefined;
	fromQueue: boolean | undefined;
	cancelled: boolean;
	aborted: boolean;
};

function harness(offsetsMs: number[], options: {maxConcurrency?: number; budget?: number; holdMs?: number; writes?: boolean; handed?: boolean} = {}) {
	const origin = Date.now();
	const clock = () => Date.now() - origin;
	const seen = new Map<number, Seen>();
	const queued: number[] = [];
	const log: string[] = [];
	let spent = 0;
	let costStops = 0;
	let settled: number | undefined;
	const holdMs = options.holdMs ?? 1000;
	const dispatcher = new StepDispatcher({
		offsetsMs,
		maxConcurrency: options.maxConcurrency ?? 100,
		clock,
		launch: createLauncher(),
		reserve: () => spent++ < (options.budget ?? Number.POSITIVE_INFINITY),
		async send(request: DispatchedRequest) {
			const entry: Seen = {prepared: clock(), sent: undefined, fromQueue: undefined, cancelled: false, aborted: false};
			seen.set(request.index, entry);
			log.push(`prepare ${request.index}`);
			// What StreamOptions.gate does in the fetch: nothing goes before the gate opens.
			if (request.gate) {
				try {
					await request.gate;
				} catch {
					entry.cancelled = request.cancelled();
					return;
				}
			}

			request.onSend(clock());
			log.push(`send ${request.index}`);
			if (options.writes) {
				// Where the fetch's write comes on a kept-alive socket: in the ticks right after the send.
				process.nextTick(() => {
					log.push(`written ${request.index}`);
				});
			}

			if (options.handed !== false) {
				request.onHanded();
			}

			request.onWritten();
			await new Promise<void>(resolve => {
				const timer = setTimeout(resolve, holdMs);
				request.signal.addEventListener('abort', () => {
					entry.aborted = true;
					clearTimeout(timer);
					resolve();
				});
			});
		},
		onStart() {},
		onQueued(index) {
			queued.push(index);
		},
		onSent(index, t0, fromQueue) {
			const entry = seen.get(index)!;
			entry.sent = t0;
			entry.fromQueue = fromQueue;
		},
		onCostStop() {
			costStops++;
		},
		onSettled(arrived) {
			settled = arrived;
		},
	});
	return {
		dispatcher,
		seen,
		queued,
		log,
		clock,
		costStops: () => costStops,
		settled: () => settled,
	};
}

beforeEach(() => {
	vi.useFakeTimers();
});

afterEach(() => {
	vi.useRealTimers();
});

describe('arrivals prepared ahead', () => {
	it('prepares each arrival before its time and lets it out at its time exactly', async () => {
		// (Spaced by 2 ms or more: a fake setImmediate runs 1 ms later, a real one in the same loop turn.)
		const offsets = [100, 130, 135, 400];
		const run = harness(offsets, {holdMs: 50});
		run.dispatcher.start();
		const start = run.dispatcher.startMs;
		await vi.advanceTimersByTimeAsync(1000);
		for (const [index, offset] of offsets.entries()) {
			const entry = run.seen.get(index)!;
			expect(entry.prepared).toBeLessThan(start + offset);
			expect(entry.prepared).toBeGreaterThanOrEqual(start + offset - prepareAheadMs);
			expect(entry.sent).toBe(start + offset);
			expect(entry.fromQueue).toBe(false);
		}

		expect(run.settled()).toBe(4);
	});

	it('the schedule starts prepareAheadMs after the step does, so the first arrivals are prepared ahead too', async () => {
		// Offset 0 is every model's first arrival, all due together: none waits for another's preparation.
		const run = harness([0, 0, 5], {holdMs: 50});
		run.dispatcher.start();
		expect(run.dispatcher.startMs).toBe(run.clock() + prepareAheadMs);
		const start = run.dispatcher.startMs;
		await vi.advanceTimersByTimeAsync(1000);
		for (const [index, offset] of [0, 0, 5].entries()) {
			const entry = run.seen.get(index)!;
			expect(entry.prepared).toBeLessThan(start + offset);
			expect(entry.sent).toBe(start + offset);
			expect(entry.fromQueue).toBe(false);
		}

		expect(run.log.slice(0, 4)).toEqual(['prepare 0', 'prepare 1', 'prepare 2', 'send 0']);
	});

	it('arrivals due together leave one at a time, in the same turn: each is written before the next one’s t0', async () => {
		const run = harness([100, 100, 100], {holdMs: 50, writes: true});
		run.dispatcher.start();
		const start = run.dispatcher.startMs;
		await vi.advanceTimersByTimeAsync(1000);
		expect(run.log).toEqual(['prepare 0', 'prepare 1', 'prepare 2', 'send 0', 'written 0', 'send 1', 'written 1', 'send 2', 'written 2']);
		// No turn between them: each at its time (a fake setImmediate would be 1 ms later).
		expect([0, 1, 2].map(index => run.seen.get(index)?.sent)).toEqual([start + 100, start + 100, start + 100]);
	});

	it('one that never reaches its send holds the next back a turn at most', async () => {
		const run = harness([100, 100], {holdMs: 50, handed: false});
		run.dispatcher.start();
		const start = run.dispatcher.startMs;
		await vi.advanceTimersByTimeAsync(1000);
		expect(run.seen.get(0)?.sent).toBe(start + 100);
		// A fake setImmediate runs 1 ms later.
		expect(run.seen.get(1)?.sent).toBe(start + 101);
		expect(run.settled()).toBe(2);
	});

	it('prepares nothing in the callback that lets a request out (its send waits for that callback)', async () => {
		// 155 is due for preparation when 130 is released: its preparation comes after that send.
		const run = harness([100, 130, 155], {holdMs: 50});
		run.dispatcher.start();
		await vi.advanceTimersByTimeAsync(1000);
		expect(run.log).toEqual(['prepare 0', 'send 0', 'prepare 1', 'send 1', 'prepare 2', 'send 2']);
	});

	it('an arrival that finds every slot taken is not prepared ahead: it waits, and goes when a slot frees', async () => {
		const run = harness([0, 50, 60], {maxConcurrency: 1, holdMs: 200});
		run.dispatcher.start();
		const start = run.dispatcher.startMs;
		await vi.advanceTimersByTimeAsync(1000);
		expect(run.queued).toEqual([1, 2]);
		expect(run.seen.get(1)).toMatchObject({prepared: start + 200, sent: start + 200, fromQueue: true});
		expect(run.seen.get(2)).toMatchObject({prepared: start + 400, sent: start + 400, fromQueue: true});
		expect(run.settled()).toBe(3);
	});

	it('a step stopped before a prepared arrival is due never sends it, and it never arrived', async () => {
		const run = harness([100, 500], {holdMs: 50});
		run.dispatcher.start();
		const start = run.dispatcher.startMs;
		await vi.advanceTimersByTimeAsync(start + 490);
		expect(run.seen.get(1)?.prepared).toBeLessThan(start + 500);
		run.dispatcher.stop(false);
		await vi.advanceTimersByTimeAsync(1000);
		expect(run.seen.get(0)?.sent).toBe(start + 100);
		expect(run.seen.get(1)).toMatchObject({sent: undefined, cancelled: true});
		expect(run.settled()).toBe(1);
	});

	it('reserves the cost at the arrival’s time: refused, the prepared request is dropped and the step stops', async () => {
		const run = harness([100, 200, 300], {budget: 1, holdMs: 50});
		run.dispatcher.start();
		await vi.advanceTimersByTimeAsync(1000);
		expect(run.seen.get(0)?.sent).toBe(run.dispatcher.startMs + 100);
		expect(run.seen.get(1)).toMatchObject({sent: undefined, cancelled: true});
		expect(run.seen.has(2)).toBe(false);
		expect(run.costStops()).toBe(1);
		expect(run.settled()).toBe(2);
	});

	it('a cut aborts every request in flight, each on its own signal', async () => {
		const run = harness([0, 10, 20], {holdMs: 10_000});
		run.dispatcher.start();
		await vi.advanceTimersByTimeAsync(100);
		run.dispatcher.stop(true);
		await vi.advanceTimersByTimeAsync(100);
		expect([0, 1, 2].map(index => run.seen.get(index)?.aborted)).toEqual([true, true, true]);
		expect(run.settled()).toBe(3);
	});
});
