// The HTTP stack's first use, paid before any timed request.
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {streamRun} from './stream.js';
import type {ModelSpec} from '../types.js';

/**
 * Pay the HTTP stack's first-use cost (loading and JIT-warming fetch, the SDK
 * and this module) before any timed request: streams from a tiny loopback
 * server inside this process. No tokenizer: a stamping thread has none.
 */
export async function warmUpHttp(): Promise<void> {
	const server = createServer((request, response) => {
		request.resume();
		request.on('end', () => {
			response.writeHead(200, {'content-type': 'text/event-stream'});
			const chunk = (delta: Record<string, unknown>, finish: string | null) =>
				`data: ${JSON.stringify({id: 'w', object: 'chat.completion.chunk', created: 0, model: 'warmup', choices: [{index: 0, delta, finish_reason: finish}]})}\n\n`;
			response.write(chunk({role: 'assistant'}, null));
			response.write(chunk({content: 'ok'}, null));
			response.write(chunk({}, 'stop'));
			response.end('data: [DONE]\n\n');
		});
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const {port} = server.address() as AddressInfo;
	try {
		const model: ModelSpec = {
			id: 'warmup',
			name: 'warmup',
			provider: null,
			baseURL: `http://127.0.0.1:${port}/v1`,
			apiKeyEnv: null,
			headers: {},
			price: {inputPerM: null, outputPerM: null},
			reasoning: false,
			reference: null,
		};
		for (let round = 0; round < 2; round++) {
			await streamRun({
				model,
				apiKey: null,
				prompt: 'warm up',
				maxTokens: 4,
				temperature: null,
				timeoutMs: 5000,
				idleTimeoutMs: 5000,
				index: 0,
				warmup: true,
				noUsageOption: new Set(),
			});
		}
	} finally {
		server.closeAllConnections();
		await new Promise<void>(resolve => {
			server.close(() => {
				resolve();
			});
		});
	}
}
