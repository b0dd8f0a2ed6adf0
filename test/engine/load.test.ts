// The load engine against loopback servers: open-loop arrivals, the queue in the latencies, early stops, the sweep.
import type {ServerResponse} from 'node:http';
import {afterEach, describe, expect, it} from 'vitest';
import {costBudget} from '../../source/core/load/budget.js';
import {startLoadEngine} from '../../source/core/load/engine.js';
import {parseSlo, rateMeetingSlo} from '../../source/core/load/slo.js';
import {latencyStat} from '../../source/core/load/summary.js';
import {inputOf, settingsOf} from '../helpers/load-input.js';
import {answerEvents, send, sleep, startServer, streamEvents, type SeenRequest, type TestServer} from '../helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

const words = ['Recursion', ' is', ' a', ' function', ' calling', ' itself'];
const answer = async (response: ServerResponse, firstDelayMs = 20) =>
	streamEvents(response, answerEvents(words, {prompt_tokens: 5, completion_tokens: 6}), 5, firstDelayMs);

describe('the load engine', () => {
	it('sends each arrival at its scheduled time, open loop, each prompt with its own first line', async () => {
		const seen: SeenRequest[] = [];
		server = await startServer(async (request, response) => {
			seen.push(request);
			await answer(response);
		});
		const engine = startLoadEngine(inputOf(server.baseURL, settingsOf({rates: [20], requests: 10})));
		const [model] = await engine.done;
		const step = model!.steps[0]!;
		expect(step.requests.status).toEqual(Array.from({length: 10}, () => 'ok'));
		expect(step.requests.scheduledMs).toEqual([0, 50, 100, 150, 200, 250, 300, 350, 400, 450]);
		expect(step.summary.completed).toBe(10);
		// Open loop: requests overlap (each takes ~50 ms, one arrives every 50 ms) and none waited for a slot.
		expect(step.requests.eventTokens[0]).toHaveLength(words.length - 1);
		expect(step.requests.gapsMs[0]).toHaveLength(words.length - 1);
		const prompts = seen.map(request => (request.body['messages'] as Array<{content: string}>)[0]!.content);
		expect(new Set(prompts).size).toBe(10);
		expect(prompts.every(prompt => prompt.endsWith('\nExplain recursion'))).toBe(true);
	});

	it('a 3 s stall with --max-concurrency 1 shows in the queue-inclusive p99; the figures from the send (a closed-loop count) hide it', async () => {
		let count = 0;
		server = await startServer(async (_request, response) => {
			count++;
			await answer(response, count === 1 ? 3000 : 20);
		});
		const engine = startLoadEngine(inputOf(server.baseURL, settingsOf({rates: [10], requests: 20, maxConcurrency: 1, slo: parseSlo('ttft.p99<=1000ms')})));
		const [model] = await engine.done;
		const step = model!.steps[0]!;
		const {requests} = step;
		const fromSend = latencyStat(requests.ttftMs.filter((value): value is number => value !== null))!;
		// Every arrival of the stall's 3 s waited behind it: the queue-inclusive TTFT says so.
		expect(step.summary.ttftMs!.p90).toBeGreaterThan(1000);
		expect(step.summary.queueMs!.max).toBeGreaterThan(1000);
		// Measured from each send, only the stalled request is slow: its p90 looks healthy.
		expect(fromSend.p90).toBeLessThan(1000);
		expect(step.summary.sloPass).toBeLessThan(0.5);
		expect(step.summary.maxInFlight).toBe(1);
	});

	it('stops a step early on errors (over 10 % failed)', async () => {
		let count = 0;
		server = await startServer(async (_request, response) => {
			if (++count % 4 === 0) {
				response.writeHead(500, {'content-type': 'application/json'});
				response.end('{"error":{"message":"boom"}}');
				return;
			}

			await answer(response);
		});
		const engine = startLoadEngine(inputOf(server.baseURL, settingsOf({rates: [50, 10], requests: 200})));
		const [model] = await engine.done;
		const first = model!.steps[0]!;
		expect(first.stopped).toBe('errors');
		expect(first.requests.status.length).toBeLessThan(200);
		expect(first.summary.failedByKind.server).toBeGreaterThan(0);
		// The next step runs all the same.
		expect(model!.steps).toHaveLength(2);
	});

	it('stops a step early on rate limits (over 5 % 429)', async () => {
		let count = 0;
		server = await startServer(async (_request, response) => {
			if (++count % 10 === 0) {
				response.writeHead(429, {'content-type': 'application/json'});
				response.end('{"error":{"message":"slow down"}}');
				return;
			}

			await answer(response);
		});
		const engine = startLoadEngine(inputOf(server.baseURL, settingsOf({rates: [50], requests: 200})));
		const [model] = await engine.done;
		expect(model!.steps[0]!.stopped).toBe('rate_limit');
		expect(model!.steps[0]!.summary.failedByKind.rate_limit).toBeGreaterThan(0);
	});

	it('stops a step early when its queue keeps growing (saturated)', async () => {
		server = await startServer(async (_request, response) => {
			await answer(response, 150);
		});
		// One slot, ~200 ms a request, 10 arrivals a second: the queue grows by ~half a second every second.
		const engine = startLoadEngine(inputOf(server.baseURL, settingsOf({rates: [10], requests: null, durationMs: 40_000, maxConcurrency: 1})));
		const [model] = await engine.done;
		const step = model!.steps[0]!;
		expect(step.stopped).toBe('saturated');
		// Arrivals still waiting when it stopped were never sent.
		expect(step.requests.queueMs.some(value => value === null)).toBe(true);
		expect(step.requests.scheduledMs.at(-1)!).toBeLessThan(30_000);
	}, 40_000);

	it('stops the run before what was sent would cost more than --max-cost', async () => {
		server = await startServer(async (_request, response) => {
			await answer(response);
		});
		const settings = settingsOf({rates: [20, 20], requests: 10, maxCostUSD: 0.001});
		const engine = startLoadEngine(inputOf(server.baseURL, settings, {budget: costBudget(0.001), requestCostUSD: () => 0.0003}));
		const [model] = await engine.done;
		expect(model!.steps).toHaveLength(1);
		expect(model!.steps[0]!.stopped).toBe('cost');
		expect(server.requests).toHaveLength(3);
	});

	it('--sweep converges on a server of known capacity (4 at once, 200 ms each: 20 requests/s)', async () => {
		let active = 0;
		const waiting: Array<() => void> = [];
		server = await startServer(async (_request, response) => {
			if (active >= 4) {
				await new Promise<void>(resolve => {
					waiting.push(resolve);
				});
			}

			active++;
			response.writeHead(200, {'content-type': 'text/event-stream'});
			response.flushHeaders();
			await sleep(150);
			for (const event of answerEvents(['Re', 'cur'], {prompt_tokens: 5, completion_tokens: 2})) {
				send(response, event);
				await sleep(10);
			}

			response.end('data: [DONE]\n\n');
			active--;
			waiting.shift()?.();
		});
		const settings = settingsOf({rates: [5], requests: 30, sweep: true, slo: parseSlo('ttft.p90<=450ms')});
		const engine = startLoadEngine(inputOf(server.baseURL, settings));
		const [model] = await engine.done;
		const rates = model!.steps.map(step => step.rate);
		expect(rates.slice(0, 2)).toEqual([5, 10]);
		expect(model!.steps.length).toBeLessThanOrEqual(8);
		expect(model!.maxRateIsLowerBound).toBe(false);
		// The capacity is 20 requests/s: the sweep ends near it, and every rate it failed is above the one it found.
		expect(model!.maxRateMeetingSlo).toBeGreaterThanOrEqual(10);
		expect(model!.maxRateMeetingSlo).toBeLessThanOrEqual(28);
		const failed = model!.steps.filter(step => step.rate > model!.maxRateMeetingSlo!);
		expect(failed.length).toBeGreaterThan(0);
		// The sweep decided on the verdict each step records, the one every table and report shows.
		expect(failed.every(step => step.summary.meetsSlo === false)).toBe(true);
		expect(model!.steps.find(step => step.rate === model!.maxRateMeetingSlo)?.summary.meetsSlo).toBe(true);
		expect(rateMeetingSlo({steps: model!.steps}, settings.slo)).toBe(model!.maxRateMeetingSlo);
	}, 60_000);

	it('stop() cuts the requests in flight and keeps what arrived', async () => {
		server = await startServer(async (_request, response) => {
			await answer(response, 5000);
		});
		const engine = startLoadEngine(inputOf(server.baseURL, settingsOf({rates: [10, 10], requests: 20})));
		await sleep(500);
		engine.stop();
		const [model] = await engine.done;
		expect(model!.steps).toHaveLength(1);
		const step = model!.steps[0]!;
		expect(step.stopped).toBe('aborted');
		expect(step.requests.status.length).toBeGreaterThan(0);
		expect(step.requests.status.length).toBeLessThan(20);
		expect(step.requests.status.every(status => status === 'aborted')).toBe(true);
	});
});
