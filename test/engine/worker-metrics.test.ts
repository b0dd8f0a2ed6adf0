// What the engine worker posts (the live UI's view of a race): the live stall, and its stamping threads' measurement.
// Runs the built worker: `npm run build` first.
import {afterEach, describe, expect, it} from 'vitest';
import {defaultBrackets} from '../../source/core/presets/brackets.js';
import {startEngineWorker, type RemoteEngine} from '../../source/worker/remote-race.js';
import {modelAt} from '../helpers/models.js';
import {chunk, openStream, send, sleep, startServer, type TestServer} from '../helpers/server.js';

let server: TestServer | undefined;
let engine: RemoteEngine | undefined;
afterEach(async () => {
	await engine?.close();
	await server?.close();
	engine = undefined;
	server = undefined;
});

describe('the engine worker', () => {
	it('posts the live stall while a stream pauses, none once it resumed, and a measurement of its stamping thread', async () => {
		server = await startServer(async (request, response) => {
			openStream(response);
			const pausing = request.body['model'] === 'pausing';
			for (let index = 0; index < 20; index++) {
				send(response, chunk({content: ` w${index}`}));
				await sleep(pausing && index === 9 ? 1800 : 10);
			}

			send(response, chunk({}, 'stop'));
			response.end('data: [DONE]\n\n');
		});
		engine = await startEngineWorker({frameMs: 50});
		const input = {
			prompt: 'Explain recursion',
			settings: {runs: 1, warmup: 0, maxTokens: 64, temperature: null, concurrency: null, timeoutMs: 20_000, seed: null},
			preset: {name: 'test', simulated: false, brackets: defaultBrackets},
			region: null,
			toolVersion: '0.0.0-test',
			keys: {},
		};
		// A first race: the engine's thread loads the tokenizer during it (once its first token is in), and draws
		// no snapshot while it does; the second race's pause is then seen live whatever this machine's speed.
		await engine.start({...input, models: [modelAt(server.baseURL)]}).done;
		const race = engine.start({
			...input,
			models: [modelAt(server.baseURL, {id: 'pausing'})],
		});
		const seen: Array<number | null> = [];
		let finished = false;
		const done = race.done.then(transcript => {
			finished = true;
			return transcript;
		});
		while (!finished) {
			const live = race.snapshot().models[0]!.live;
			if (live) {
				seen.push(live.stalledMs ?? null);
			}

			await sleep(25);
		}

		const transcript = await done;
		const stalls = seen.filter((value): value is number => value !== null);
		// The pause was posted as a stall that grew, at least 1 s long...
		expect(Math.max(...stalls)).toBeGreaterThanOrEqual(1000);
		expect(stalls.at(-1)!).toBeGreaterThan(stalls[0]!);
		// ...and was over once the chunks came again.
		expect(seen.at(-1)).toBeNull();
		// client-late too when this busy machine made the stamping thread late (it says what it saw).
		expect(transcript.models[0]!.runs[0]!.flags.filter(flag => flag !== 'client-late')).toEqual(['stalled']);
		expect(transcript.models[0]!.runs[0]!.clientDelayMs).toEqual(expect.any(Number));
		const delay = transcript.measurement!.eventLoopDelayMs;
		expect(transcript.measurement!.clock).toBe('performance.now');
		// One stamping thread stamped the race's one stream.
		expect(transcript.measurement!.threads).toEqual([{eventLoopDelayMs: delay, streams: 1}]);
		expect(delay.p50).toBeLessThanOrEqual(delay.p99);
		expect(delay.p99).toBeLessThanOrEqual(delay.max);
	});
});
