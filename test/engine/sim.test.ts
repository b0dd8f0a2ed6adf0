import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {median} from '../helpers/math.js';
import {createSimServer, listen, planResponse, type SimModel} from '../../source/sim/server.js';
import {simModelOf, startSimulator} from '../../source/sim/index.js';
import type {Server} from 'node:http';
import {shippedPreset} from '../helpers/fixtures.js';

const flash: SimModel = {id: 'flash', ttftMs: 120, tokensPerSecond: 80, reasoning: false};
const thinker: SimModel = {id: 'thinker', ttftMs: 800, tokensPerSecond: 15, reasoning: true};

describe('simulated responses (the plan)', () => {
	it('are deterministic for a seed and differ between requests', () => {
		const a = planResponse(flash, 'Explain recursion', 512, 7, 0, 0.1);
		expect(planResponse(flash, 'Explain recursion', 512, 7, 0, 0.1)).toEqual(a);
		expect(planResponse(flash, 'Explain recursion', 512, 7, 1, 0.1)).not.toEqual(a);
		expect(planResponse(flash, 'Explain recursion', 512, 8, 0, 0.1)).not.toEqual(a);
	});

	it('are readable English about the prompt, one token per chunk', () => {
		const plan = planResponse(flash, 'Explain recursion in 200 words', 512, 1, 0, 0.1);
		const text = plan.tokens.map(token => token.text).join('');
		expect(text).toMatch(/^[A-Z]/);
		expect(text).toMatch(/recursi/i);
		expect(text).toMatch(/base case|calls itself|stack/);
		expect(plan.tokens.length).toBeGreaterThanOrEqual(135);
		expect(plan.tokens.length).toBeLessThanOrEqual(165);
	});

	it('honour max_tokens with finish_reason length', () => {
		const plan = planResponse(flash, 'x', 20, 1, 0, 0.1);
		expect(plan.tokens).toHaveLength(20);
		expect(plan.finishReason).toBe('length');
	});

	it('draw TTFT and decode rate around the reference: each within the jitter, spread across it, centred on it', () => {
		for (const model of [flash, thinker]) {
			// A fixed seed: the same 50 plans every time, so the bounds below are exact checks, not odds.
			const plans = Array.from({length: 50}, (_, index) => planResponse(model, 'Explain recursion', 512, 42, index, 0.1));
			const ttfa = plans.map(plan => plan.tokens.find(token => !token.reasoning)!.at / model.ttftMs);
			const rate = plans.map(plan => {
				const answer = plan.tokens.filter(token => !token.reasoning);
				return (answer.length - 1) / ((answer.at(-1)!.at - answer[0]!.at) / 1000) / model.tokensPerSecond;
			});
			for (const ratios of [ttfa, rate]) {
				// Every draw within ±10 %, …
				expect(Math.min(...ratios)).toBeGreaterThanOrEqual(0.9);
				expect(Math.max(...ratios)).toBeLessThanOrEqual(1.1);
				// … spread over most of that band (no jitter, or a much smaller one, fails), …
				expect(Math.max(...ratios) - Math.min(...ratios)).toBeGreaterThan(0.15);
				// … and centred on the reference: a profile off by 5 % misses this.
				expect(Math.abs(median(ratios) - 1)).toBeLessThanOrEqual(0.03);
			}
		}
	});

	it('no jitter draws exactly the reference', () => {
		const plan = planResponse(flash, 'Explain recursion', 512, 42, 0, 0);
		expect(plan.tokens[0]!.at).toBe(flash.ttftMs);
		expect(plan.tokens[1]!.at - plan.tokens[0]!.at).toBeCloseTo(1000 / flash.tokensPerSecond, 9);
	});

	it('stream reasoning before the first answer token for reasoning models', () => {
		const plan = planResponse(thinker, 'Explain recursion', 512, 3, 0, 0.1);
		const firstAnswer = plan.tokens.findIndex(token => !token.reasoning);
		expect(firstAnswer).toBeGreaterThan(0);
		expect(plan.tokens.slice(0, firstAnswer).every(token => token.reasoning)).toBe(true);
		expect(plan.tokens[0]!.at).toBeLessThan(plan.tokens[firstAnswer]!.at);
	});

	it('use a region’s figures where the preset has them', () => {
		const glm = shippedPreset('demo').models.find(model => model.id === 'glm-5')!;
		expect(simModelOf(glm, 'singapore').ttftMs).toBe(420);
		expect(simModelOf(glm, 'us-east').ttftMs).toBe(500);
		expect(simModelOf(glm, null).ttftMs).toBe(500);
		expect(simModelOf(glm, 'mars').ttftMs).toBe(500);
	});
});

describe('the simulator server', () => {
	let server: Server;
	let baseURL: string;
	beforeAll(async () => {
		server = createSimServer({models: [{...flash, tokensPerSecond: 2000, ttftMs: 10}], seed: 1});
		baseURL = await listen(server);
	});
	afterAll(() => {
		server.closeAllConnections();
		server.close();
	});

	it('lists its models', async () => {
		const body = (await (await fetch(`${baseURL}/models`)).json()) as {data: Array<{id: string}>};
		expect(body.data.map(model => model.id)).toEqual(['flash']);
	});

	it('answers 404 for an unknown model', async () => {
		const response = await fetch(`${baseURL}/chat/completions`, {method: 'POST', body: JSON.stringify({model: 'nope', stream: true, messages: []})});
		expect(response.status).toBe(404);
		expect(((await response.json()) as {error: {code: string}}).error.code).toBe('model_not_found');
	});

	it('streams SSE with usage when asked, and answers without streaming too', async () => {
		const response = await fetch(`${baseURL}/chat/completions`, {
			method: 'POST',
			body: JSON.stringify({
				model: 'flash',
				stream: true,
				max_tokens: 12,
				stream_options: {include_usage: true},
				messages: [{role: 'user', content: 'Explain recursion'}],
			}),
		});
		expect(response.headers.get('content-type')).toBe('text/event-stream');
		const events = (await response.text()).split('\n\n').filter(Boolean);
		expect(events.at(-1)).toBe('data: [DONE]');
		const data = events
			.slice(0, -1)
			.map(
				event => JSON.parse(event.slice(6)) as {choices: Array<{delta: {content?: string}; finish_reason: string | null}>; usage?: {completion_tokens: number}},
			);
		const content = data.filter(event => event.choices[0]?.delta.content);
		expect(content).toHaveLength(12);
		expect(data.at(-1)!.usage!.completion_tokens).toBe(12);
		expect(data.at(-2)!.choices[0]!.finish_reason).toBe('length');

		const plain = await fetch(`${baseURL}/chat/completions`, {method: 'POST', body: JSON.stringify({model: 'flash', max_tokens: 5, messages: []})});
		const completion = (await plain.json()) as {choices: Array<{message: {content: string}}>; usage: {completion_tokens: number}};
		expect(completion.usage.completion_tokens).toBe(5);
		expect(completion.choices[0]!.message.content.length).toBeGreaterThan(5);
	});
});

describe('the simulator in a worker thread', () => {
	it('serves a preset’s models on a free 127.0.0.1 port', async () => {
		const simulator = await startSimulator({models: [{...flash, ttftMs: 5, tokensPerSecond: 1000}], seed: 5});
		try {
			expect(simulator.baseURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
			await simulator.warmUp();
			const body = (await (await fetch(`${simulator.baseURL}/models`)).json()) as {data: unknown[]};
			expect(body.data).toHaveLength(1);
		} finally {
			await simulator.close();
		}
	});
});

describe('the simulator misbehaving on purpose', () => {
	it('serves every fault mode, and the engine classifies each', async () => {
		const {streamOnce} = await import('../../source/core/http/stream.js');
		const {countTokens, modelAt} = await import('../helpers/models.js');
		const base = {ttftMs: 10, tokensPerSecond: 500, reasoning: false, outputTokens: 20};
		const faulty: SimModel[] = [
			{id: 'status', ...base, fault: {kind: 'status', status: 503}},
			{id: 'html', ...base, fault: {kind: 'html'}},
			{id: 'cut', ...base, fault: {kind: 'cut', afterTokens: 5}},
			{id: 'end-early', ...base, fault: {kind: 'end-early', afterTokens: 5}},
			{id: 'stall', ...base, fault: {kind: 'stall', afterTokens: 5}},
			{id: 'malformed', ...base, fault: {kind: 'malformed', afterTokens: 5}},
			{id: 'error-event', ...base, fault: {kind: 'error-event', afterTokens: 5, message: 'overloaded'}},
			{id: 'no-headers', ...base, fault: {kind: 'no-headers'}},
			{id: 'ignore-max-tokens', ...base, fault: {kind: 'ignore-max-tokens'}},
			{id: 'reject-stream-options', ...base, fault: {kind: 'reject-stream-options'}},
			{id: 'no-usage', ...base, fault: {kind: 'no-usage'}},
		];
		const server = createSimServer({models: faulty, seed: 1});
		const baseURL = await listen(server);
		try {
			const records = await Promise.all(
				faulty.map(async model =>
					streamOnce({
						model: modelAt(baseURL, {id: model.id}),
						apiKey: null,
						prompt: 'Explain recursion',
						maxTokens: 10,
						temperature: null,
						timeoutMs: 1500,
						idleTimeoutMs: 300,
						index: 0,
						warmup: false,
						countTokens,
						noUsageOption: new Set(),
					}),
				),
			);
			const byId = Object.fromEntries(faulty.map((model, index) => [model.id, records[index]!]));
			expect(byId['status']!.error).toMatchObject({kind: 'server', status: 503});
			expect(byId['html']!.error?.kind).toBe('protocol');
			expect(byId['cut']!.error, JSON.stringify(byId['cut'])).toMatchObject({kind: 'network'});
			expect(byId['end-early']!.error?.kind).toBe('protocol');
			expect(byId['stall']!.status).toBe('timeout');
			expect(byId['malformed']!.error?.kind).toBe('protocol');
			expect(byId['error-event']!.error).toMatchObject({kind: 'server', status: null});
			expect(byId['no-headers']!.status).toBe('timeout');
			expect(byId['ignore-max-tokens']!.truncated).toBe(true);
			expect(byId['reject-stream-options']!).toMatchObject({status: 'ok', tokenSource: 'estimate'});
			expect(byId['no-usage']!).toMatchObject({status: 'ok', tokenSource: 'estimate'});
			for (const id of ['cut', 'end-early', 'stall', 'malformed', 'error-event']) {
				// Five tokens arrived before each fault, and were kept.
				expect([id, byId[id]!.chunks.length]).toEqual([id, 5]);
			}
		} finally {
			server.closeAllConnections();
			server.close();
		}
	});
});
