// The meter's verdicts on real streams: flags, the served model and the client's own error bars, against loopback servers.
import {afterEach, beforeAll, describe, expect, it} from 'vitest';
import {warmUpHttp} from '../../source/core/http/warm-up.js';
import {defaultBrackets} from '../../source/core/presets/brackets.js';
import {startRace, type RaceOptions} from '../../source/core/race/race.js';
import type {ModelSpec} from '../../source/core/types.js';
import {countTokens, modelAt} from '../helpers/models.js';
import {chunk, openStream, send, sleep, startServer, type TestServer} from '../helpers/server.js';

let server: TestServer | undefined;
// As a race does: the HTTP stack's first use before the first t0 (it would make the first run client-late).
beforeAll(async () => {
	await warmUpHttp();
});

afterEach(async () => {
	await server?.close();
	server = undefined;
});

function options(models: readonly ModelSpec[], runs = 1): RaceOptions {
	return {
		models,
		prompt: 'Explain recursion',
		settings: {runs, warmup: 0, maxTokens: 256, temperature: null, concurrency: null, timeoutMs: 20_000, seed: null},
		preset: {name: 'test', simulated: false, brackets: defaultBrackets},
		region: null,
		toolVersion: '0.0.0-test',
		countTokens,
		apiKeyOf: () => null,
	};
}

const words = Array.from({length: 30}, (_, index) => ` word${index}`);

describe('flags on real streams', () => {
	it('stalled: a server that pauses 2 s mid-answer; a steady one is not', async () => {
		server = await startServer(async (request, response) => {
			openStream(response);
			await sleep(10);
			const pause = (request.body['model'] as string) === 'pausing';
			for (const [index, word] of words.entries()) {
				send(response, chunk({content: word}));
				await sleep(pause && index === 14 ? 2000 : 5);
			}

			send(response, chunk({}, 'stop'));
			response.end('data: [DONE]\n\n');
		});
		const transcript = await startRace(options([modelAt(server.baseURL, {id: 'pausing'}), modelAt(server.baseURL, {id: 'steady'})])).done;
		const [pausing, steady] = transcript.models;
		expect(pausing!.runs[0]!.status).toBe('ok');
		// client-late too when this busy machine made the test's own thread late (it says what it saw).
		expect(pausing!.runs[0]!.flags.filter(flag => flag !== 'client-late')).toEqual(['stalled']);
		expect(pausing!.runs[0]!.interChunkMs!.max).toBeGreaterThanOrEqual(1900);
		expect(steady!.runs[0]!.flags).not.toContain('stalled');
	});

	it('usage-mismatch: usage says 3 × the streamed tokens; right usage is no mismatch', async () => {
		server = await startServer(async (request, response) => {
			openStream(response);
			const streamed = countTokens(words.join(''));
			const factor = (request.body['model'] as string) === 'inflated' ? 3 : 1;
			for (const word of words) {
				send(response, chunk({content: word}));
				await sleep(2);
			}

			send(response, chunk({}, 'stop'));
			send(response, {
				id: 'c1',
				object: 'chat.completion.chunk',
				created: 1,
				model: 'm',
				choices: [],
				usage: {prompt_tokens: 5, completion_tokens: streamed * factor},
			});
			response.end('data: [DONE]\n\n');
		});
		const transcript = await startRace(options([modelAt(server.baseURL, {id: 'inflated'}), modelAt(server.baseURL, {id: 'honest'})])).done;
		const [inflated, honest] = transcript.models;
		expect(inflated!.runs[0]!.tokenSource).toBe('usage');
		expect(inflated!.runs[0]!.flags).toContain('usage-mismatch');
		expect(honest!.runs[0]!.flags).not.toContain('usage-mismatch');
	});

	it('servedModel: the model the server says it served, not the id asked for', async () => {
		server = await startServer(async (_request, response) => {
			openStream(response);
			send(response, {...chunk({role: 'assistant', content: ''}), model: '/models/Qwen3-8B-Q4_K_M.gguf'});
			send(response, {...chunk({content: 'Hi'}), model: '/models/Qwen3-8B-Q4_K_M.gguf'});
			send(response, {...chunk({}, 'stop'), model: '/models/Qwen3-8B-Q4_K_M.gguf'});
			response.end('data: [DONE]\n\n');
		});
		const transcript = await startRace(options([modelAt(server.baseURL, {id: 'qwen3-8b'})])).done;
		expect(transcript.models[0]!.runs[0]!.servedModel).toBe('/models/Qwen3-8B-Q4_K_M.gguf');
	});
});

describe('measurement', () => {
	it("reports the stamping thread's event-loop delay during the race, and sees a thread blocked for 300 ms", async () => {
		server = await startServer(async (_request, response) => {
			openStream(response);
			for (const [index, word] of words.entries()) {
				send(response, chunk({content: word}));
				await sleep(20);
				if (index === 10) {
					// The server shares this test's thread, which runs the engine (as the headless CLI does):
					// block it mid-race, after the request's t0.
					const until = performance.now() + 300;
					while (performance.now() < until) {
						// Busy: the loop cannot turn.
					}
				}
			}

			send(response, chunk({}, 'stop'));
			response.end('data: [DONE]\n\n');
		});
		const transcript = await startRace(options([modelAt(server.baseURL)])).done;
		const {measurement} = transcript;
		expect(measurement?.clock).toBe('performance.now');
		const delay = measurement!.eventLoopDelayMs;
		expect(delay.p50).toBeGreaterThanOrEqual(0);
		expect(delay.p50).toBeLessThanOrEqual(delay.p99);
		expect(delay.p99).toBeLessThanOrEqual(delay.max);
		expect(delay.max).toBeGreaterThanOrEqual(250);
		expect(delay.max).toBe(Math.round(delay.max * 100) / 100);
	});

	it('is null when the race sent nothing (stopped before the first t0)', async () => {
		server = await startServer(async (_request, response) => {
			response.end();
		});
		const race = startRace(options([modelAt(server.baseURL)]));
		race.abort();
		const transcript = await race.done;
		expect(transcript.models[0]!.runs).toEqual([]);
		expect(transcript.measurement).toBeNull();
	});
});
