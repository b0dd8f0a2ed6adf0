import {afterEach, describe, expect, it} from 'vitest';
import {streamOnce, type StreamOptions} from '../../source/core/http/stream.js';
import {countTokens, modelAt, streamOptions} from '../helpers/models.js';
import {answerEvents, chunk, openStream, send, sleep, startServer, streamEvents, type Handler, type TestServer} from '../helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

async function run(handler: Handler, options: Partial<StreamOptions> = {}, modelOverrides: Parameters<typeof modelAt>[1] = {}) {
	server = await startServer(handler);
	return streamOnce(streamOptions(modelAt(server.baseURL, modelOverrides), {apiKey: 'test-key-0123456789', maxTokens: 64, ...options}));
}

describe('the request on the wire', () => {
	it('says when the request is written, before its response arrives', async () => {
		const events: string[] = [];
		const record = await run(
			async (_request, response) => {
				await sleep(50);
				await streamEvents(response, answerEvents(['ok']));
			},
			{
				onWritten() {
					events.push('written');
				},
				onChunk() {
					events.push('chunk');
				},
			},
		);
		expect(record.status).toBe('ok');
		expect(events.indexOf('written')).toBeGreaterThanOrEqual(0);
		expect(events.indexOf('written')).toBeLessThan(events.indexOf('chunk'));
	});
});

describe('a request prepared ahead (a load arrival)', () => {
	/** Run one request held at `gate`: how many requests the server saw, and each t0 the run took. */
	function gated(gate: Promise<void>) {
		const seen = {requests: 0, sends: [] as number[]};
		const running = run(
			async (_request, response) => {
				seen.requests++;
				await streamEvents(response, answerEvents(['ok']));
			},
			{
				gate,
				onSend(t0) {
					seen.sends.push(t0);
				},
			},
		);
		return {seen, running};
	}

	it('waits at its gate: nothing reaches the server, no t0, until the gate opens', async () => {
		let release!: () => void;
		const {seen, running} = gated(
			new Promise<void>(resolve => {
				release = resolve;
			}),
		);
		await sleep(100);
		expect(seen).toEqual({requests: 0, sends: []});
		const opened = performance.now();
		release();
		const record = await running;
		expect(record.status).toBe('ok');
		expect(seen.requests).toBe(1);
		expect(seen.sends).toHaveLength(1);
		expect(seen.sends[0]).toBeGreaterThanOrEqual(opened);
	});

	it('a gate that rejects cancels the request unsent', async () => {
		const gate = Promise.reject(new Error('the step stopped'));
		gate.catch(() => {});
		const {seen, running} = gated(gate);
		const record = await running;
		expect(record.status).not.toBe('ok');
		expect(seen).toEqual({requests: 0, sends: []});
	});
});

describe('stream shapes', () => {
	it('ignores a role-only first chunk and SSE comments before the first token; uses usage', async () => {
		const record = await run(async (_request, response) => {
			openStream(response);
			send(response, chunk({role: 'assistant'}));
			response.write(': OPENROUTER PROCESSING\n\n');
			await sleep(60);
			response.write(': keep-alive\n\n');
			await sleep(60);
			for (const word of ['Recursion', ' is', ' neat']) {
				send(response, chunk({content: word}));
				await sleep(10);
			}

			send(response, chunk({}, 'stop'));
			send(response, {id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: {prompt_tokens: 9, completion_tokens: 3}});
			response.end('data: [DONE]\n\n');
		});
		expect(record.status).toBe('ok');
		expect(record.text).toBe('Recursion is neat');
		// The first token came after two 60 ms pauses, so a TTFT under 100 ms would mean a role chunk or comment counted.
		expect(record.ttftMs).toBeGreaterThanOrEqual(110);
		expect(record.outputTokens).toBe(3);
		expect(record.tokenSource).toBe('usage');
		expect(record.promptTokens).toBe(9);
		expect(record.chunks.map(entry => entry[1])).toEqual(['Recursion', ' is', ' neat']);
		expect(record.chunks[0]![0]).toBe(record.ttftMs);
		// Three tokens 10 ms apart came after the first: the total is later than the first token.
		expect(record.totalMs).toBeGreaterThan(record.chunks.at(-1)![0]);
		expect(record.chunks.at(-1)![0]).toBeGreaterThan(record.ttftMs!);
	});

	it('sends max_tokens, the prompt and stream_options, and retries nothing behind the user’s back', async () => {
		const record = await run(
			async (_request, response) => {
				response.writeHead(500, {'content-type': 'application/json'});
				response.end(JSON.stringify({error: {message: 'boom'}}));
			},
			{temperature: 0.3},
		);
		expect(record.status).toBe('error');
		expect(server!.requests).toHaveLength(1);
		const {body} = server!.requests[0]!;
		expect(body).toMatchObject({model: 'test-model', stream: true, max_tokens: 64, temperature: 0.3, stream_options: {include_usage: true}});
		expect(body['messages']).toEqual([{role: 'user', content: 'Explain recursion'}]);
		// The SDK's own headers; the marker that routes the shared client's fetch to this run never leaves (core/http/stream.ts).
		const {headers} = server!.requests[0]!;
		expect(headers['x-stainless-timeout']).toBeDefined();
		expect(Object.keys(headers).filter(name => name.startsWith('x-llmrace'))).toEqual([]);
	});

	it('streams reasoning_content before content: TTFT at the thought, TTFA at the answer', async () => {
		const record = await run(async (_request, response) =>
			streamEvents(
				response,
				[
					chunk({role: 'assistant', content: null, reasoning_content: ''}),
					chunk({reasoning_content: 'Let me think'}),
					chunk({reasoning_content: ' about it.'}),
					chunk({content: 'Answer.'}),
					chunk({}, 'stop'),
				],
				40,
			),
		);
		expect(record.status).toBe('ok');
		expect(record.reasoningText).toBe('Let me think about it.');
		expect(record.text).toBe('Answer.');
		// Two 40 ms gaps between the first thought and the answer: the answer comes clearly later (half of it, for a busy machine).
		expect(record.ttfaMs! - record.ttftMs!).toBeGreaterThanOrEqual(40);
		expect(record.chunks[0]).toEqual([record.ttftMs, 'Let me think', 'r']);
		expect(record.reasoningTokens).toBe(countTokens('Let me think about it.'));
	});

	it('reads OpenRouter-style `reasoning` deltas the same way', async () => {
		const record = await run(async (_request, response) =>
			streamEvents(response, [chunk({role: 'assistant', content: ''}), chunk({reasoning: 'Thinking.'}), chunk({content: 'Done.'}), chunk({}, 'stop')], 40),
		);
		expect(record.reasoningText).toBe('Thinking.');
		expect(record.ttfaMs).toBeGreaterThan(record.ttftMs!);
	});

	it('estimates tokens with o200k_base when no usage arrives, multi-token chunks included', async () => {
		const record = await run(async (_request, response) =>
			streamEvents(response, answerEvents(['Recursion is when a function', ' calls itself until a base case.'])),
		);
		expect(record.tokenSource).toBe('estimate');
		expect(record.outputTokens).toBe(countTokens('Recursion is when a function') + countTokens(' calls itself until a base case.'));
		expect(record.tokensPerSecond).not.toBeNull();
	});

	it('retries once without stream_options when a server rejects it, and remembers that per base URL', async () => {
		const remembered = new Set<string>();
		server = await startServer(async (request, response) => {
			if (request.body['stream_options']) {
				// The rejection takes 500 ms: time of a request that did not stream.
				await sleep(500);
				response.writeHead(400, {'content-type': 'application/json'});
				response.end(JSON.stringify({error: {message: 'Unrecognized request argument supplied: stream_options'}}));
				return;
			}

			await streamEvents(response, answerEvents(['one', ' two']));
		});
		const options: StreamOptions = {
			model: modelAt(server.baseURL),
			apiKey: null,
			prompt: 'p',
			maxTokens: 8,
			temperature: null,
			timeoutMs: 5000,
			idleTimeoutMs: 5000,
			index: 0,
			warmup: false,
			countTokens,
			noUsageOption: remembered,
		};
		const started = performance.now();
		const first = await streamOnce(options);
		const exchangeMs = performance.now() - started;
		expect(first.status).toBe('ok');
		expect(first.tokenSource).toBe('estimate');
		// TTFT and total belong to the request that streamed: the 500 ms of the rejected one are in neither.
		expect(exchangeMs).toBeGreaterThanOrEqual(500);
		expect(first.ttftMs).toBeLessThan(500);
		expect(first.totalMs).toBeLessThan(exchangeMs - 495);
		expect(server.requests.map(request => 'stream_options' in request.body)).toEqual([true, false]);
		expect(remembered.has(server.baseURL)).toBe(true);
		const second = await streamOnce(options);
		expect(second.status).toBe('ok');
		expect(server.requests.map(request => 'stream_options' in request.body)).toEqual([true, false, false]);
	});

	it('keeps usage from Groq’s x_groq and llama.cpp timings as server timings', async () => {
		const record = await run(async (_request, response) =>
			streamEvents(response, [
				chunk({role: 'assistant', content: ''}),
				chunk({content: 'Hi'}),
				chunk({content: ' there'}),
				chunk({}, 'stop', {x_groq: {id: 'req_1', usage: {prompt_tokens: 5, completion_tokens: 2, completion_time: 0.004}}}),
			]),
		);
		expect(record.outputTokens).toBe(2);
		expect(record.tokenSource).toBe('usage');
		expect(record.serverTimings).toEqual({'x_groq.usage': {prompt_tokens: 5, completion_tokens: 2, completion_time: 0.004}});
	});
});

describe('failures are classified and keep what arrived', () => {
	const statusCases: Array<[number, string]> = [
		[401, 'auth'],
		[403, 'auth'],
		[404, 'not_found'],
		[429, 'rate_limit'],
		[400, 'bad_request'],
		[422, 'bad_request'],
		[500, 'server'],
		[503, 'server'],
	];
	for (const [status, kind] of statusCases) {
		it(`HTTP ${status} is ${kind}, with the server's message`, async () => {
			const record = await run(async (_request, response) => {
				response.writeHead(status, {'content-type': 'application/json', ...(status === 429 ? {'retry-after': '7'} : {})});
				response.end(JSON.stringify({error: {message: `custom message ${status}`, type: 'x'}}));
			});
			expect(record.status).toBe('error');
			expect(record.error).toMatchObject({kind, status});
			expect(record.error!.message).toContain(`custom message ${status}`);
			expect(server!.requests).toHaveLength(1);
			if (status === 429) {
				expect(record.error!.retryAfterSeconds).toBe(7);
				expect(record.error!.message).toContain('retry after 7 s');
			}
		});
	}

	it('auth errors name the variable that holds the key, never the key', async () => {
		const record = await run(
			async (_request, response) => {
				response.writeHead(401, {'content-type': 'application/json'});
				response.end(JSON.stringify({error: {message: 'Incorrect API key provided: test-key-0123456789'}}));
			},
			{},
			{apiKeyEnv: 'TEST_API_KEY'},
		);
		expect(record.error?.kind).toBe('auth');
		expect(record.error?.message).toContain('(API key from $TEST_API_KEY)');
		expect(record.error?.message).not.toContain('test-key-0123456789');
		expect(record.error?.message).toContain('[redacted]');
	});

	it('an HTML page instead of an event stream is a protocol error showing its first bytes', async () => {
		const record = await run(async (_request, response) => {
			response.writeHead(200, {'content-type': 'text/html'});
			response.end('<html><body>Welcome to nginx</body></html>');
		});
		expect(record.error?.kind).toBe('protocol');
		expect(record.error?.status).toBeNull();
		expect(record.error?.message).toContain('text/html');
		expect(record.error?.message).toContain('Welcome to nginx');
	});

	it('malformed JSON mid-stream is a protocol error; the text before it is kept', async () => {
		const record = await run(async (_request, response) => {
			openStream(response);
			send(response, chunk({content: 'Kept'}));
			await sleep(10);
			response.end('data: {"choices": [{"delta": {"content": "bro\n\n');
		});
		expect(record.status).toBe('error');
		expect(record.error?.kind).toBe('protocol');
		expect(record.text).toBe('Kept');
		expect(record.ttftMs).not.toBeNull();
	});

	it('a connection reset mid-stream is a network error; the text before it is kept', async () => {
		const record = await run(async (_request, response) => {
			openStream(response);
			send(response, chunk({content: 'Partial'}));
			await sleep(20);
			response.socket?.destroy();
		});
		expect(record.status).toBe('error');
		expect(record.error).toMatchObject({kind: 'network', status: null});
		expect(record.error?.message).toContain('mid-stream');
		expect(record.error?.message).toContain('127.0.0.1');
		expect(record.text).toBe('Partial');
	});

	it('a stream that ends without a finish_reason is cut off (protocol)', async () => {
		const record = await run(async (_request, response) => {
			openStream(response);
			send(response, chunk({content: 'Half'}));
			response.end();
		});
		expect(record.error?.kind).toBe('protocol');
		expect(record.text).toBe('Half');
	});

	it('an error event inside the stream is a server error with status null', async () => {
		const record = await run(async (_request, response) => {
			openStream(response);
			send(response, chunk({content: 'So far'}));
			send(response, {error: {message: 'overloaded', type: 'server_error'}});
			response.end();
		});
		expect(record.error).toMatchObject({kind: 'server', status: null});
		expect(record.error?.message).toContain('overloaded');
		expect(record.text).toBe('So far');
	});

	it('a redirect is not followed: one request, and the error names where it points', async () => {
		let requests = 0;
		const record = await run((_request, response) => {
			requests++;
			response.writeHead(308, {location: 'https://api.example.invalid/v1/chat/completions'});
			response.end();
		});
		expect(requests).toBe(1);
		expect(record.status).toBe('error');
		expect(record.error).toMatchObject({kind: 'bad_request', status: 308});
		expect(record.error?.message).toMatch(
			/^HTTP 308: 127\.0\.0\.1:\d+ redirects to https:\/\/api\.example\.invalid\/v1\/chat\/completions \(set the preset's baseURL/,
		);
	});

	it('a refused connection is a network error naming the host', async () => {
		server = await startServer(() => {});
		const {baseURL} = server;
		await server.close();
		server = undefined;
		let written = 0;
		const record = await streamOnce({
			model: modelAt(baseURL),
			apiKey: null,
			prompt: 'p',
			maxTokens: 8,
			temperature: null,
			timeoutMs: 5000,
			idleTimeoutMs: 5000,
			index: 0,
			warmup: false,
			countTokens,
			noUsageOption: new Set(),
			onWritten() {
				written++;
			},
		});
		// The race's next request waits for this call: a request that never got out must make it too.
		expect(written).toBeGreaterThan(0);
		expect(record.status).toBe('error');
		expect(record.error?.kind).toBe('network');
		expect(record.error?.message).toContain('ECONNREFUSED');
		expect(record.error?.message).toContain(new URL(baseURL).host);
		expect(record.ttftMs).toBeNull();
	});

	it('no headers within the timeout is a timeout that says so', async () => {
		const record = await run(() => {}, {timeoutMs: 300});
		expect(record.status).toBe('timeout');
		expect(record.error?.kind).toBe('timeout');
		expect(record.error?.message).toMatch(/no response headers within 0\.3 s/);
		expect(record.totalMs).toBeGreaterThanOrEqual(290);
	});

	it('a stall after the first token is a timeout that keeps the text', async () => {
		const record = await run(
			async (_request, response) => {
				openStream(response);
				send(response, chunk({content: 'Started'}));
				// Then nothing.
			},
			{idleTimeoutMs: 250},
		);
		expect(record.status).toBe('timeout');
		expect(record.error?.message).toMatch(/stalled: nothing for 0\.\d s after 1 chunks/);
		expect(record.text).toBe('Started');
	});

	it('aborting marks the run aborted and keeps what arrived', async () => {
		const controller = new AbortController();
		const record = await run(
			async (_request, response) => {
				openStream(response);
				send(response, chunk({content: 'Before'}));
				setTimeout(() => {
					controller.abort();
				}, 50);
			},
			{signal: controller.signal},
		);
		expect(record.status).toBe('aborted');
		expect(record.error?.kind).toBe('aborted');
		expect(record.text).toBe('Before');
	});

	it('a server that ignores max_tokens is cut at the hard cap and flagged', async () => {
		const record = await run(
			async (_request, response) => {
				openStream(response);
				for (let index = 0; index < 1000 && !response.destroyed; index++) {
					send(response, chunk({content: ' word'}));
					await sleep(0);
				}

				response.end();
			},
			{maxTokens: 10},
		);
		expect(record.truncated).toBe(true);
		expect(record.status).toBe('ok');
		expect(record.chunks.length).toBe(41);
	});
});
