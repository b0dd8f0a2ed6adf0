// The simulator under load (sim/load.ts): N sequences at the published speed, up to 2N sharing it, the rest waiting.
import type {Server} from 'node:http';
import {afterEach, describe, expect, it} from 'vitest';
import {createSimServer, listen} from '../../source/sim/server.js';

let server: Server | undefined;
afterEach(async () => {
	server?.closeAllConnections();
	await new Promise<void>(resolve => {
		server ? server.close(() => resolve()) : resolve();
	});
	server = undefined;
});

/** One streamed request: when its first content token and its end arrived (ms after `start`). */
async function timed(baseURL: string, model: string, start: number): Promise<{firstMs: number; endMs: number}> {
	const response = await fetch(`${baseURL}/chat/completions`, {
		method: 'POST',
		headers: {'content-type': 'application/json'},
		body: JSON.stringify({model, stream: true, max_tokens: 64, messages: [{role: 'user', content: 'Explain recursion'}]}),
	});
	let firstMs = Number.NaN;
	const decoder = new TextDecoder();
	const reader = response.body!.getReader();
	for (let read = await reader.read(); !read.done; read = await reader.read()) {
		if (Number.isNaN(firstMs) && /"content":"[^"]/.test(decoder.decode(read.value))) {
			firstMs = performance.now() - start;
		}
	}

	return {firstMs, endMs: performance.now() - start};
}

describe('the simulator under load', () => {
	it('serves N at its speed, slows the batch up to 2N, and queues the rest until a sequence is free', async () => {
		const model = {id: 'busy', ttftMs: 50, tokensPerSecond: 100, reasoning: false, outputTokens: 30, load: {sequences: 1}};
		server = createSimServer({models: [model, {...model, id: 'free', load: undefined}], seed: 1, jitter: 0});
		const baseURL = await listen(server);
		let start = performance.now();
		const alone = await timed(baseURL, 'busy', start);
		start = performance.now();
		const [first, second, third] = await Promise.all([timed(baseURL, 'busy', start), timed(baseURL, 'busy', start), timed(baseURL, 'busy', start)]);
		// Two in the batch of one sequence decode at half speed: each takes longer than alone.
		expect(first!.endMs - first!.firstMs).toBeGreaterThan(1.5 * (alone.endMs - alone.firstMs));
		// The third waited for a free place: its first token comes after one of the first two ended.
		expect(third!.firstMs).toBeGreaterThanOrEqual(Math.min(first!.endMs, second!.endMs) - 5);
		expect(third!.firstMs).toBeGreaterThan(2 * Math.max(first!.firstMs, second!.firstMs));
		// A model without `load:` serves all three at once, each as fast as alone.
		start = performance.now();
		const free = await Promise.all([timed(baseURL, 'free', start), timed(baseURL, 'free', start), timed(baseURL, 'free', start)]);
		expect(Math.max(...free.map(run => run.firstMs))).toBeLessThan(third!.firstMs);
	});
});
