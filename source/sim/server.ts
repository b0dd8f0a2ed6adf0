// The simulated OpenAI-compatible server: routing. POST /v1/chat/completions (streaming and not,
// see completion.ts, planned by plan.ts, misbehaving per faults.ts), GET /v1/models.
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {performance} from 'node:perf_hooks';
import {handleCompletion, type SimState} from './completion.js';
import {errorBody, sendJson} from './faults.js';
import {planResponse, warmTokenCache, type SimModel} from './plan.js';

export type {SimTimings} from './completion.js';
export type {SimFault} from './faults.js';
export {planResponse, warmTokenCache, type SimModel} from './plan.js';

export type SimConfig = {
	readonly models: readonly SimModel[];
	readonly seed: number;
	/** Relative spread of TTFT, decode rate and length (0.1 = ±10 %). */
	readonly jitter?: number | undefined;
};

export function createSimServer(config: SimConfig): Server {
	const state: SimState = {
		models: config.models,
		seed: config.seed,
		jitter: config.jitter ?? 0.1,
		counters: new Map(),
		gates: new Map(),
		created: Math.floor(Date.now() / 1000),
	};

	warmTokenCache();
	// JIT-warm the planner on every model (pure: no request counter moves).
	for (const model of config.models) {
		planResponse(model, 'recursion', 64, config.seed, -1, state.jitter);
	}

	return createServer((request, response) => {
		const arrived = performance.now();
		const url = (request.url ?? '/').replace(/\/+$/, '');
		if (request.method === 'POST' && /\/chat\/completions$/.test(url)) {
			handleCompletion(state, request, response, arrived).catch(() => {
				response.destroy();
			});
			return;
		}

		if (request.method === 'GET' && /\/models$/.test(url)) {
			request.resume();
			sendJson(response, 200, {
				object: 'list',
				data: config.models.map(model => ({id: model.id, object: 'model', created: state.created, owned_by: 'llmrace-simulator'})),
			});
			return;
		}

		request.resume();
		sendJson(response, 404, errorBody(`no route for ${request.method} ${request.url}`, 'invalid_request_error'));
	});
}

/** Listen on 127.0.0.1 (port 0: a free one); resolves with the base URL. */
export async function listen(server: Server, port = 0, host = '127.0.0.1'): Promise<string> {
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const address = server.address() as AddressInfo;
	return `http://${host}:${address.port}/v1`;
}
