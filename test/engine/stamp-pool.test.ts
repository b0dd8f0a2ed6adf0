// Streams spread over stamping threads (worker/stamp-pool.ts): the records are those of streams stamped on
// this thread, the tokens are counted here, and the measurement lists each thread. Runs the built worker.
import {afterEach, describe, expect, it} from 'vitest';
import {defaultBrackets} from '../../source/core/presets/brackets.js';
import {startRace, type RaceOptions} from '../../source/core/race/race.js';
import {poolStreamer, startStampPool, threadsFor, type StampPool} from '../../source/worker/stamp-pool.js';
import {countTokens, modelAt} from '../helpers/models.js';
import {answerEvents, startServer, streamEvents, type TestServer} from '../helpers/server.js';

let server: TestServer | undefined;
let pool: StampPool | undefined;
afterEach(async () => {
	await pool?.close();
	await server?.close();
	pool = undefined;
	server = undefined;
});

const words = Array.from({length: 24}, (_, index) => ` word${index},`);

function options(baseURL: string, ids: readonly string[]): RaceOptions {
	return {
		models: ids.map(id => modelAt(baseURL, {id, name: id})),
		prompt: 'Explain recursion',
		settings: {runs: 2, warmup: 0, maxTokens: 64, temperature: null, concurrency: null, timeoutMs: 20_000, seed: null},
		preset: {name: 'test', simulated: false, brackets: defaultBrackets},
		region: null,
		toolVersion: '0.0.0-test',
		apiKeyOf: () => null,
	};
}

describe('the engine rule', () => {
	it('one stamping thread per 128 streams in flight, at least one, at most one fewer than the cores', () => {
		expect(threadsFor(1, 2)).toBe(1);
		expect(threadsFor(128, 2)).toBe(1);
		// One core is left to the race's thread and whatever runs beside it: 2 cores, one stamping thread.
		expect(threadsFor(129, 2)).toBe(1);
		expect(threadsFor(512, 2)).toBe(1);
		expect(threadsFor(129, 4)).toBe(2);
		expect(threadsFor(512, 4)).toBe(3);
		expect(threadsFor(512, 8)).toBe(4);
		expect(threadsFor(2000, 8)).toBe(7);
		expect(threadsFor(10, 1)).toBe(1);
		expect(threadsFor(0, 2)).toBe(1);
	});
});

describe('a race on stamping threads', () => {
	it('makes the same records as this thread would, counts tokens here, and lists each thread with its streams', async () => {
		server = await startServer(async (_request, response) => {
			await streamEvents(response, answerEvents(words), 2, 5);
		});
		pool = await startStampPool({progressMs: 20}, 2);
		expect(pool.size()).toBe(2);
		const ids = ['a', 'b', 'c', 'd'];
		let loaded = 0;
		const pooled = await startRace({
			...options(server.baseURL, ids),
			streamer: poolStreamer(pool, async () => {
				loaded++;
				return countTokens;
			}),
		}).done;
		const local = await startRace({...options(server.baseURL, ids), countTokens}).done;
		// The tokenizer loads once, on this thread.
		expect(loaded).toBe(1);
		for (const [index, model] of pooled.models.entries()) {
			const twin = local.models[index]!;
			expect(model.runs.map(run => run.status)).toEqual(['ok', 'ok']);
			for (const [runIndex, run] of model.runs.entries()) {
				const same = twin.runs[runIndex]!;
				expect(run.text).toBe(same.text);
				expect(run.outputTokens).toBe(same.outputTokens);
				expect(run.tokenSource).toBe('estimate');
				expect(run.chunks.map(([, text]) => text)).toEqual(same.chunks.map(([, text]) => text));
				expect(run.flags).not.toContain('buffered');
				expect(run.clientDelayMs).toEqual(expect.any(Number));
				expect(run.phases?.headersMs).toEqual(expect.any(Number));
				expect(run.ttftMs).toBeGreaterThan(0);
			}
		}

		const {measurement} = pooled;
		expect(measurement?.threads?.length).toBe(2);
		expect(measurement!.threads!.reduce((sum, thread) => sum + thread.streams, 0)).toBe(8);
		const worstMax = Math.max(...measurement!.threads!.map(thread => thread.eventLoopDelayMs.max));
		expect(measurement!.eventLoopDelayMs.max).toBe(worstMax);
	});

	it('a race stopped mid-stream keeps what arrived, and the pool takes the next race', async () => {
		server = await startServer(async (_request, response) => {
			await streamEvents(response, answerEvents(words), 200, 5);
		});
		pool = await startStampPool({progressMs: 20}, 1);
		const streamer = poolStreamer(pool, async () => countTokens);
		const race = startRace({...options(server.baseURL, ['a']), streamer});
		while (!race.snapshot().models[0]!.live?.tokens) {
			await new Promise(resolve => {
				setTimeout(resolve, 20);
			});
		}

		race.abort();
		const stopped = await race.done;
		expect(stopped.aborted).toBe(true);
		expect(stopped.models[0]!.runs[0]!.status).toBe('aborted');
		expect(stopped.models[0]!.runs[0]!.text.length).toBeGreaterThan(0);
		await server.close();
		server = await startServer(async (_request, response) => {
			await streamEvents(response, answerEvents(words), 1, 5);
		});
		const next = await startRace({...options(server.baseURL, ['b']), streamer: poolStreamer(pool, async () => countTokens)}).done;
		expect(next.models[0]!.runs.map(run => run.status)).toEqual(['ok', 'ok']);
	});
});
