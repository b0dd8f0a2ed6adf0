// The request a run sends over llmrace's own HTTP client (core/http/http1.ts) is the one the SDK sends over
// its own fetch: its URL, every header the SDK builds (the user agent, the platform headers, the key, a
// preset's headers) and its body. And a status comes back as the SDK's own error, with the server's message.
import OpenAI from 'openai';
import {afterEach, describe, expect, it} from 'vitest';
import {streamOnce} from '../../source/core/http/stream.js';
import {modelAt, streamOptions} from '../helpers/models.js';
import {type SeenRequest, startServer, type TestServer} from '../helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

/** A server that answers each request with one streamed token, or with `status` and a JSON error; it keeps every request. */
async function recorder(status = 200): Promise<TestServer> {
	server = await startServer((_request, response) => {
		if (status !== 200) {
			response.writeHead(status, {'content-type': 'application/json', 'retry-after': '7'});
			response.end(JSON.stringify({error: {message: 'slow down', type: 'rate_limit', code: 'rate_limit_exceeded'}}));
			return;
		}

		response.writeHead(200, {'content-type': 'text/event-stream'});
		const chunk = (delta: object, finish: string | null) =>
			`data: ${JSON.stringify({id: 'c', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{index: 0, delta, finish_reason: finish}]})}\n\n`;
		response.end(`${chunk({role: 'assistant', content: 'hi'}, null)}${chunk({}, 'stop')}data: [DONE]\n\n`);
	});
	return server;
}

/** What the fetch under the SDK adds by itself (undici's fetch on the one side, ours on the other), not the SDK. */
const transportHeaders = new Set(['host', 'connection', 'content-length', 'accept-encoding', 'accept-language', 'sec-fetch-mode']);

describe('a run sends what the SDK sends', () => {
	it('the same URL, SDK headers and body as the SDK itself sends for the same completion', async () => {
		const {baseURL, requests: seen} = await recorder();
		const headers = {'X-Gateway-Team': 'perf', 'x-portkey-provider': 'openai'};
		const timeoutMs = 30_000;
		// The SDK itself, as a user of it would call it, through its own fetch.
		const sdk = new OpenAI({apiKey: 'sk-test-1', baseURL, maxRetries: 0, defaultHeaders: headers});
		const stream = await sdk.chat.completions.create(
			{
				model: 'test-model',
				messages: [{role: 'user', content: 'Explain recursion'}],
				stream: true,
				max_tokens: 64,
				temperature: 0.2,
				seed: 7,
				stream_options: {include_usage: true},
			},
			{timeout: timeoutMs + 1000},
		);
		for await (const _chunk of stream) {
			// Drain.
		}

		const record = await streamOnce(
			streamOptions(modelAt(baseURL, {headers}), {apiKey: 'sk-test-1', maxTokens: 64, temperature: 0.2, seed: 7, timeoutMs, idleTimeoutMs: timeoutMs}),
		);
		expect(record.status).toBe('ok');
		expect(seen).toHaveLength(2);
		const [bySdk, byRun] = seen as [SeenRequest, SeenRequest];
		expect(byRun.url).toBe(bySdk.url);
		expect(byRun.body).toEqual(bySdk.body);
		const sdkHeaders = Object.entries(bySdk.headers).filter(([name]) => !transportHeaders.has(name));
		// The SDK's own headers are there to compare: the key, the preset's, its user agent and platform headers.
		expect(sdkHeaders.map(([name]) => name)).toEqual(
			expect.arrayContaining(['authorization', 'x-gateway-team', 'x-portkey-provider', 'user-agent', 'x-stainless-lang', 'x-stainless-timeout']),
		);
		expect(Object.fromEntries(Object.entries(byRun.headers).filter(([name]) => !transportHeaders.has(name)))).toEqual(Object.fromEntries(sdkHeaders));
	});

	it('a status comes back as the SDK’s own error, with the server’s message and headers', async () => {
		const {baseURL} = await recorder(429);
		const record = await streamOnce(streamOptions(modelAt(baseURL), {prompt: 'x', maxTokens: 8}));
		expect(record.error).toEqual({kind: 'rate_limit', status: 429, message: 'slow down (server asks to retry after 7 s)', retryAfterSeconds: 7});
	});
});
