// A load run's sends happen on the stamping thread (docs/stamping-threads.md "The load job kind"): the
// coordinating thread (here the test's own) can be busy without making a send late. Runs the built worker.
import {afterEach, describe, expect, it} from 'vitest';
import {costBudget} from '../../source/core/load/budget.js';
import {localSender, startLoadEngine, type LoadEngineInput} from '../../source/core/load/engine.js';
import {parseSlo} from '../../source/core/load/slo.js';
import type {LoadSettings} from '../../source/core/load/types.js';
import {defaultBrackets} from '../../source/core/presets/brackets.js';
import {poolSender} from '../../source/worker/load-sender.js';
import {startStampPool, type StampPool} from '../../source/worker/stamp-pool.js';
import {countTokens, modelAt} from '../helpers/models.js';
import {answerEvents, startServer, streamEvents, type TestServer} from '../helpers/server.js';

let server: TestServer | undefined;
let pool: StampPool | undefined;
afterEach(async () => {
	await pool?.close();
	await server?.close();
	pool = undefined;
	server = undefined;
});

const settings: LoadSettings = {
	rates: [50],
	arrivals: 'constant',
	durationMs: null,
	requests: 60,
	maxConcurrency: 256,
	slo: parseSlo('ttft.p99<=800ms'),
	sweep: false,
	seed: 1,
	uniquePrompts: true,
	maxTokens: 16,
	temperature: null,
	timeoutMs: 20_000,
	maxCostUSD: null,
	keepText: false,
};

const blockMs = 400;

/** A load of 60 arrivals at 50/s, with this thread (the coordinator) made busy for 400 ms a quarter of a second in. */
async function runBlocked(sender: (input: LoadEngineInput) => LoadEngineInput['sender']) {
	server = await startServer(async (_request, response) => {
		await streamEvents(response, answerEvents(['Recursion', ' is', ' a', ' function'], {prompt_tokens: 5, completion_tokens: 4}), 5, 20);
	});
	const budget = costBudget(null);
	const base: LoadEngineInput = {
		models: [modelAt(server.baseURL)],
		prompt: 'Explain recursion',
		settings,
		seed: 1,
		simulated: false,
		brackets: defaultBrackets,
		runToken: 'test',
		apiKeyOf: () => null,
		countTokens,
		budget,
		requestCostUSD: () => 0,
	};
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
	it('a coordinating thread busy for 400 ms does not make the sends late: the stamping thread fires them', async () => {
		pool = await startStampPool({progressMs: 50}, 1);
		const pooled = pool;
		pool.startMeasuring();
		const {step, blockedMs} = await runBlocked(base => poolSender(pooled, {countTokens, budget: base.budget, maxCostUSD: null}));
		expect(blockedMs).toBeGreaterThanOrEqual(blockMs);
		expect(step.requests.status.filter(status => status === 'ok')).toHaveLength(60);
		// Arrivals every 20 ms: about 20 of them fell inside the block. Sent on time all the same
		// (a generous bound: a late timer on the coordinator would show up to 400 ms here).
		expect(Math.max(...step.requests.queueMs.map(value => value ?? 0))).toBeLessThan(blockMs / 2);
		expect(step.sendLagMs.max).toBeLessThan(blockMs / 2);
		// The stamping thread measured its own event loop and counts the streams it sent.
		const measurement = await pool.stopMeasuring();
		expect(measurement?.threads?.[0]?.streams).toBe(60);
	});

	it('sent from the coordinating thread itself, the same block makes the sends late (what the stamping thread avoids)', async () => {
		const {step, blockedMs} = await runBlocked(base => localSender(base, () => performance.now()));
		expect(blockedMs).toBeGreaterThanOrEqual(blockMs);
		expect(step.sendLagMs.max).toBeGreaterThan(blockMs / 2);
	});
});
