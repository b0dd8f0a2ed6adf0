// A load run's sends happen on the stamping thread (docs/stamping-threads.md "The load job kind"): the
// coordinating thread (here the test's own) can be busy without making a send late. Runs the built worker.
import {afterEach, describe, expect, it} from 'vitest';
import {costBudget} from '../../source/core/load/budget.js';
import {localSender, startLoadEngine, type LoadEngineInput} from '../../source/core/load/engine.js';
import {poolSender} from '../../source/worker/load-sender.js';
import {startStampPool, type StampPool} from '../../source/worker/stamp-pool.js';
import {inputOf, settingsOf} from '../helpers/load-input.js';
import {countTokens} from '../helpers/models.js';
import {answerEvents, startServer, streamEvents, type TestServer} from '../helpers/server.js';

let server: TestServer | undefined;
let pool: StampPool | undefined;
afterEach(async () => {
	await pool?.close();
	await server?.close();
	pool = undefined;
	server = undefined;
});

const settings = settingsOf({rates: [50], requests: 80});

const blockMs = 1000;

/** A load of 80 arrivals at 50/s, with this thread (the coordinator) made busy for 1 s a quarter of a second in. */
async function runBlocked(sender: (input: LoadEngineInput) => LoadEngineInput['sender']) {
	server = await startServer(async (_request, response) => {
		await streamEvents(response, answerEvents(['Recursion', ' is', ' a', ' function'], {prompt_tokens: 5, completion_tokens: 4}), 5, 20);
	});
	const base = inputOf(server.baseURL, settings);
	const engine = startLoadEngine({...base, sender: sender(base)});
	let blockedMs = 0;
	setTimeout(() => {
		const start = performance.now();
		while (performance.now() - start < blockMs) {
			// Busy on purpose: what a coordinator counting tokens and building summaries can do to its timers.
		}

		blockedMs = performance.now() - start;
	}, 250);
	const [model] = await engine.done;
	const step = model!.steps[0]!;
	return {step, blockedMs};
}

describe('load sends on the stamping thread', () => {
	it('a coordinating thread busy for 1 s does not make the sends late: the stamping thread fires them', async () => {
		pool = await startStampPool({progressMs: 50}, 1);
		const pooled = pool;
		pool.startMeasuring();
		const {step, blockedMs} = await runBlocked(base => poolSender(pooled, {countTokens, budget: base.budget, maxCostUSD: null}));
		expect(blockedMs).toBeGreaterThanOrEqual(blockMs);
		expect(step.requests.status.filter(status => status === 'ok')).toHaveLength(80);
		// Arrivals every 20 ms: about 50 of them fell inside the block. Sent on time all the same
		// (a generous bound: a late timer on the coordinator would show up to 1 s here).
		expect(Math.max(...step.requests.queueMs.map(value => value ?? 0))).toBeLessThan(blockMs / 2);
		expect(step.sendLagMs.max).toBeLessThan(blockMs / 2);
		// The stamping thread measured its own event loop and counts the streams it sent.
		const measurement = await pool.stopMeasuring();
		expect(measurement?.threads?.[0]?.streams).toBe(80);
	});

	it('sent from the coordinating thread itself, the same block makes the sends late (what the stamping thread avoids)', async () => {
		const {step, blockedMs} = await runBlocked(base => localSender(base, () => performance.now()));
		expect(blockedMs).toBeGreaterThanOrEqual(blockMs);
		expect(step.sendLagMs.max).toBeGreaterThan(blockMs / 2);
	});

	it("the stamping thread reserves each send from the run's --max-cost counter and stops the step there", async () => {
		server = await startServer(async (_request, response) => {
			await streamEvents(response, answerEvents(['Recursion', ' is'], {prompt_tokens: 5, completion_tokens: 2}), 5, 20);
		});
		pool = await startStampPool({progressMs: 50}, 1);
		const budget = costBudget(0.001);
		const base = inputOf(server.baseURL, {...settings, rates: [20, 20], requests: 10, maxCostUSD: 0.001}, {budget, requestCostUSD: () => 0.0003});
		const engine = startLoadEngine({...base, sender: poolSender(pool, {countTokens, budget, maxCostUSD: 0.001})});
		const [model] = await engine.done;
		expect(model!.steps).toHaveLength(1);
		expect(model!.steps[0]!.stopped).toBe('cost');
		expect(server.requests).toHaveLength(3);
		expect(model!.steps[0]!.requests.status.slice(0, 3)).toEqual(['ok', 'ok', 'ok']);
		// The records were made here from the thread's deltas: tokens counted, speeds and timelines kept.
		expect(model!.steps[0]!.requests.outputTokens.slice(0, 3)).toEqual([2, 2, 2]);
		expect(model!.steps[0]!.requests.gapsMs[0]).toHaveLength(1);
	});

	it('stop() on the coordinator cuts the requests in flight on the stamping thread and keeps what arrived', async () => {
		server = await startServer(async (_request, response) => {
			await streamEvents(response, answerEvents(['Recursion', ' is', ' a', ' function'], {prompt_tokens: 5, completion_tokens: 4}), 2000, 20);
		});
		pool = await startStampPool({progressMs: 50}, 1);
		const base = inputOf(server.baseURL, {...settings, rates: [20], requests: 100});
		const engine = startLoadEngine({...base, sender: poolSender(pool, {countTokens, budget: base.budget, maxCostUSD: null})});
		setTimeout(() => {
			engine.stop();
		}, 500);
		const [model] = await engine.done;
		const step = model!.steps[0]!;
		expect(step.stopped).toBe('aborted');
		// About 10 arrived in 500 ms (not 100), each cut mid-stream.
		expect(step.requests.status.length).toBeGreaterThan(3);
		expect(step.requests.status.length).toBeLessThan(60);
		expect(step.requests.status.every(status => status === 'aborted')).toBe(true);
	});
});
