// The engine as main.ts boots it (session/engine-boot.ts): live, the engine's worker and its first
// stamping thread start side by side (the stamping thread's start is the first request's path) and talk
// on a channel of their own. Runs the built workers: `npm run build` first.
import {afterEach, describe, expect, it} from 'vitest';
import {defaultBrackets} from '../../source/core/presets/brackets.js';
import {bootEngine, closeEngine, discardBootedEngine, takeEngine, type EngineStart} from '../../source/session/engine-boot.js';
import {modelAt} from '../helpers/models.js';
import {chunk, openStream, send, startServer, type TestServer} from '../helpers/server.js';

let server: TestServer | undefined;
let engine: EngineStart | undefined;
afterEach(async () => {
	await closeEngine(engine);
	await server?.close();
	engine = undefined;
	server = undefined;
});

const input = {
	prompt: 'Explain recursion',
	settings: {runs: 2, warmup: 0, maxTokens: 64, temperature: null, concurrency: null, timeoutMs: 20_000, seed: null},
	preset: {name: 'test', simulated: false, brackets: defaultBrackets},
	region: null,
	toolVersion: '0.0.0-test',
	keys: {},
};

describe('the engine booted for a live race', () => {
	it('races on the stamping thread started beside its worker, then closes both', async () => {
		server = await startServer(async (_request, response) => {
			openStream(response);
			for (let index = 0; index < 5; index++) {
				send(response, chunk({content: ` w${index}`}));
			}

			send(response, chunk({}, 'stop'));
			response.end('data: [DONE]\n\n');
		});
		engine = takeEngine('worker', 50);
		const remote = await engine.remote!;
		const transcript = await remote.start({...input, models: [modelAt(server.baseURL), modelAt(server.baseURL, {id: 'second'})]}).done;
		expect(transcript.models.flatMap(model => model.runs.map(run => run.status))).toEqual(['ok', 'ok', 'ok', 'ok']);
		// One stamping thread (the engine's rule on any machine for 2 streams), and it stamped all four runs.
		expect(transcript.measurement?.threads).toHaveLength(1);
		expect(transcript.measurement?.threads?.[0]?.streams).toBe(4);
		// Its close waits for both threads: it resolves (it hung when the stamping thread had exited first).
		await remote.close();
		engine = undefined;
	});

	it('a boot no race took closes at once, started or not', async () => {
		bootEngine('worker', 50);
		await discardBootedEngine();
		bootEngine('local', 50);
		await new Promise(resolve => {
			setTimeout(resolve, 50);
		});
		await discardBootedEngine();
	});
});
