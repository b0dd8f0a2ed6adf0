// Provider conformance: each provider's documented stream shape, replayed by a loopback server to the real SDK.
// Every test fails if the stream is read naively (first chunk as TTFT, comments as tokens, usage ignored, …).
import {afterEach, describe, expect, it} from 'vitest';
import {serverDecodeRate} from '../../source/core/meter/meter.js';
import {streamOnce} from '../../source/core/http/stream.js';
import type {RunRecord} from '../../source/core/types.js';
import {countTokens, modelAt, streamOptions} from '../helpers/models.js';
import {chunk, openStream, sleep, startServer, type TestServer} from '../helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

/** One event of a scripted stream: data (object or raw string) or an SSE comment, after `wait` ms. */
type Event = {readonly wait?: number; readonly data?: unknown; readonly comment?: string};

async function replay(events: readonly Event[], options: {withDone?: boolean} = {}): Promise<RunRecord> {
	server = await startServer(async (_request, response) => {
		openStream(response);
		for (const event of events) {
			if (event.wait) {
				await sleep(event.wait);
			}

			response.write(
				event.comment === undefined ? `data: ${typeof event.data === 'string' ? event.data : JSON.stringify(event.data)}\n\n` : `: ${event.comment}\n\n`,
			);
		}

		response.end(options.withDone === false ? '' : 'data: [DONE]\n\n');
	});
	return streamOnce(streamOptions(modelAt(server.baseURL), {maxTokens: 64}));
}

const usageChunk = (usage: Record<string, unknown>) => ({id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage});

describe('OpenAI', () => {
	it('role-only first chunk, content, finish, then a usage chunk with empty choices', async () => {
		const record = await replay([
			{data: chunk({role: 'assistant', content: '', refusal: null})},
			{wait: 80, data: chunk({content: 'Recursion'})},
			{wait: 10, data: chunk({content: ' repeats'})},
			{wait: 10, data: chunk({}, 'stop')},
			{data: usageChunk({prompt_tokens: 12, completion_tokens: 2, total_tokens: 14, completion_tokens_details: {reasoning_tokens: 0}})},
		]);
		expect(record.ttftMs).toBeGreaterThanOrEqual(75);
		expect(record.outputTokens).toBe(2);
		expect(record.tokenSource).toBe('usage');
		expect(record.reasoningTokens).toBe(0);
		expect(record.hiddenReasoning).toBe(false);
		expect(record.finishReason).toBe('stop');
	});

	it('o-series hidden reasoning: reasoning tokens in usage, none streamed, left out of decode speed', async () => {
		const record = await replay([
			{data: chunk({role: 'assistant', content: ''})},
			{wait: 150, data: chunk({content: 'A'})},
			{wait: 50, data: chunk({content: 'B'})},
			{wait: 50, data: chunk({content: 'C'})},
			{data: chunk({}, 'stop')},
			{data: usageChunk({prompt_tokens: 10, completion_tokens: 403, completion_tokens_details: {reasoning_tokens: 400}})},
		]);
		expect(record.hiddenReasoning).toBe(true);
		expect(record.reasoningTokens).toBe(400);
		expect(record.outputTokens).toBe(403);
		// Three streamed tokens over ~100 ms: about 20 tok/s, not ~4000.
		expect(record.tokensPerSecond!).toBeLessThan(40);
		expect(record.ttftMs).toBe(record.ttfaMs);
	});

	it('finish_reason length is recorded, and is not a failure', async () => {
		const record = await replay([{data: chunk({role: 'assistant', content: ''})}, {wait: 20, data: chunk({content: 'Cut'})}, {data: chunk({}, 'length')}]);
		expect(record.status).toBe('ok');
		expect(record.finishReason).toBe('length');
	});
});

describe('vLLM', () => {
	it('role-only first chunk and reasoning_content from a reasoning parser', async () => {
		const record = await replay([
			{data: chunk({role: 'assistant', content: ''})},
			{wait: 40, data: chunk({reasoning_content: 'Think'})},
			{wait: 60, data: chunk({reasoning_content: ' more'})},
			{wait: 60, data: chunk({content: 'Answer'})},
			{data: chunk({}, 'stop')},
			{data: usageChunk({prompt_tokens: 5, completion_tokens: 3})},
		]);
		expect(record.reasoningText).toBe('Think more');
		expect(record.ttfaMs! - record.ttftMs!).toBeGreaterThanOrEqual(100);
		expect(record.ttftMs).toBeLessThan(record.ttfaMs!);
	});

	it('newer vLLM sends the same reasoning as `reasoning` and `reasoning_content`: counted once', async () => {
		const record = await replay([
			{data: chunk({role: 'assistant', content: ''})},
			{wait: 20, data: chunk({reasoning: 'Hmm.', reasoning_content: 'Hmm.'})},
			{wait: 20, data: chunk({content: 'Yes.'})},
			{data: chunk({}, 'stop')},
		]);
		expect(record.reasoningText).toBe('Hmm.');
		expect(record.chunks).toHaveLength(2);
	});
});

describe('DeepSeek', () => {
	it('reasoning_content before the answer; usage counts both', async () => {
		const record = await replay([
			{data: chunk({role: 'assistant', content: null, reasoning_content: ''})},
			{wait: 30, data: chunk({content: null, reasoning_content: 'Okay, the user'})},
			{wait: 30, data: chunk({content: null, reasoning_content: ' wants'})},
			{wait: 120, data: chunk({content: 'Recursion', reasoning_content: null})},
			{wait: 30, data: chunk({content: ' is', reasoning_content: null})},
			{
				data: chunk({content: '', reasoning_content: null}, 'stop', {
					usage: {prompt_tokens: 9, completion_tokens: 6, completion_tokens_details: {reasoning_tokens: 4}},
				}),
			},
		]);
		expect(record.reasoningText).toBe('Okay, the user wants');
		expect(record.text).toBe('Recursion is');
		expect(record.reasoningTokens).toBe(4);
		expect(record.hiddenReasoning).toBe(false);
		expect(record.outputTokens).toBe(6);
		// 150 ms of server pauses between the first thought and the answer: clearly apart (half of it, for a busy machine).
		expect(record.ttfaMs! - record.ttftMs!).toBeGreaterThanOrEqual(75);
	});
});

describe('OpenRouter', () => {
	it('SSE keep-alive comments before the first token, `reasoning` deltas, usage at the end', async () => {
		const record = await replay([
			{comment: 'OPENROUTER PROCESSING'},
			{wait: 60, comment: 'OPENROUTER PROCESSING'},
			{wait: 60, data: chunk({role: 'assistant', content: '', reasoning: 'Considering', reasoning_details: [{type: 'reasoning.text', text: 'Considering'}]})},
			{wait: 30, data: chunk({role: 'assistant', content: 'Done'})},
			{data: chunk({role: 'assistant', content: ''}, 'stop')},
			{data: usageChunk({prompt_tokens: 4, completion_tokens: 2, cost: 0.0001})},
		]);
		// The comments are not tokens: the first token came after both pauses.
		expect(record.ttftMs).toBeGreaterThanOrEqual(110);
		expect(record.reasoningText).toBe('Considering');
		expect(record.outputTokens).toBe(2);
	});
});

describe('Groq', () => {
	it('x_groq on the first chunk and usage with timings in x_groq on the last', async () => {
		const record = await replay([
			{data: chunk({role: 'assistant', content: ''}, null, {x_groq: {id: 'req_01'}})},
			{wait: 20, data: chunk({content: 'Fast'})},
			{wait: 5, data: chunk({content: ' answer'})},
			{
				data: chunk({}, 'stop', {
					x_groq: {
						id: 'req_01',
						usage: {queue_time: 0.01, prompt_tokens: 7, prompt_time: 0.002, completion_tokens: 2, completion_time: 0.004, total_tokens: 9, total_time: 0.006},
					},
				}),
			},
		]);
		expect(record.outputTokens).toBe(2);
		expect(record.tokenSource).toBe('usage');
		expect(record.promptTokens).toBe(7);
		expect(serverDecodeRate(record.serverTimings)).toBe(500);
	});
});

describe('Ollama', () => {
	it('older versions send no usage at all: tokens are estimated, marked as such', async () => {
		const record = await replay([
			{data: chunk({role: 'assistant', content: 'Recursion'})},
			{wait: 20, data: chunk({role: 'assistant', content: ' is a function calling itself.'})},
			{data: chunk({role: 'assistant', content: ''}, 'stop')},
		]);
		expect(record.tokenSource).toBe('estimate');
		expect(record.outputTokens).toBe(countTokens('Recursion') + countTokens(' is a function calling itself.'));
	});

	it('durations, when a server passes them through, are kept and give the server’s decode speed', async () => {
		const record = await replay([
			{data: chunk({role: 'assistant', content: 'Hi'})},
			{data: chunk({}, 'stop', {total_duration: 900_000_000, eval_count: 30, eval_duration: 600_000_000})},
		]);
		expect(record.serverTimings).toEqual({total_duration: 900_000_000, eval_count: 30, eval_duration: 600_000_000});
		expect(serverDecodeRate(record.serverTimings)).toBe(50);
	});
});

describe('llama.cpp', () => {
	it('timings in the final chunk are kept raw, with the server’s own decode speed', async () => {
		const timings = {prompt_n: 12, prompt_ms: 30.5, predicted_n: 3, predicted_ms: 41.2, predicted_per_second: 72.8};
		const record = await replay([
			{data: chunk({role: 'assistant', content: null})},
			{wait: 20, data: chunk({content: 'One'})},
			{wait: 14, data: chunk({content: ' two'})},
			{wait: 14, data: chunk({content: ' three'})},
			{data: chunk({}, 'stop', {timings, usage: {prompt_tokens: 12, completion_tokens: 3}})},
		]);
		expect(record.serverTimings).toEqual({timings});
		expect(serverDecodeRate(record.serverTimings)).toBe(72.8);
		expect(record.outputTokens).toBe(3);
	});
});
