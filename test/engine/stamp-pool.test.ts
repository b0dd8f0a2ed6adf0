// Streams spread over stamping threads (worker/stamp-pool.ts): the records are those of streams stamped on
// this thread, the tokens are counted here, and the measurement lists each thread. Runs the built worker.
import {once} from 'node:events';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Worker} from 'node:worker_threads';
import {afterEach, describe, expect, it} from 'vitest';
import {defaultBrackets} from '../../source/core/presets/brackets.js';
import {startRace, type RaceOptions} from '../../source/core/race/race.js';
import type {StreamJob} from '../../source/core/race/streamer.js';
import {poolStreamer, startStampPool, threadsFor, type StampPool} from '../../source/worker/stamp-pool.js';
import type {FromStamper, ToStamper} from '../../source/worker/stamp-protocol.js';
import {countTokens, modelAt} from '../helpers/models.js';
import {answerEvents, chunk, openStream, send, startServer, streamEvents, type TestServer} from '../helpers/server.js';
import {until} from '../helpers/until.js';

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

	it('loads the tokenizer once no run waits for its first token, before any run ended', async () => {
		// Each answer: its first word, then (for `slow`, its first word only once the test lets it) a hold
		// until the test lets both finish. So the test decides when each first token can arrive and when a
		// run can end, and no clock does.
		const gate = () => {
			let open!: () => void;
			const opened = new Promise<void>(resolve => {
				open = resolve;
			});
			return {open, opened};
		};

		const slowFirst = gate();
		const finish = gate();
		server = await startServer(async (request, response) => {
			openStream(response);
			send(response, chunk({role: 'assistant', content: ''}));
			if (request.body['model'] === 'slow') {
				await slowFirst.opened;
			}

			send(response, chunk({content: ' first'}));
			await finish.opened;
			send(response, chunk({content: ' last'}));
			send(response, chunk({}, 'stop'));
			response.end('data: [DONE]\n\n');
		});
		pool = await startStampPool({progressMs: 20}, 1);
		let loaded = 0;
		const base = options(server.baseURL, ['fast', 'slow']);
		const race = startRace({
			...base,
			settings: {...base.settings, runs: 1},
			streamer: poolStreamer(pool, async () => {
				loaded++;
				return countTokens;
			}),
		});
		const live = (index: number) => race.snapshot().models[index]!.live?.tokens ?? 0;
		// `fast` has its first token here (this thread has its progress), `slow` is still waiting for one.
		await until(() => live(0) > 0);
		expect(live(1)).toBe(0);
		expect(loaded).toBe(0);
		slowFirst.open();
		// Every run has had its first token, none has ended: the tokenizer loads now.
		await until(() => loaded > 0);
		expect(race.snapshot().models.every(model => model.records.length === 0)).toBe(true);
		finish.open();
		const transcript = await race.done;
		expect(loaded).toBe(1);
		for (const model of transcript.models) {
			expect(model.runs.map(run => [run.status, run.text, run.outputTokens])).toEqual([['ok', ' first last', countTokens(' first last')]]);
		}
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

/** A worker that runs `code` and answers `{type: 'modules'}` with the Node modules loaded on it. */
function workerReporting(code: string, workerData: unknown): Worker {
	return new Worker(
		`const {parentPort} = require('node:worker_threads');
		parentPort.on('message', message => {
			if (message.type === 'modules') parentPort.postMessage({type: 'modules', list: process.moduleLoadList});
		});
		${code}`,
		{eval: true, workerData},
	);
}

async function modulesOf(worker: Worker): Promise<string[]> {
	worker.postMessage({type: 'modules'});
	for (;;) {
		const [message] = (await once(worker, 'message')) as [{type: string; list?: string[]}];
		if (message.type === 'modules') {
			return message.list!;
		}
	}
}

const undici = (list: readonly string[]) => list.filter(name => name.includes('undici'));

describe('a stamping thread’s start', () => {
	it('loads no undici (the global Headers, Response, FormData): not to start, stream, or read an error', async () => {
		// The check can fail: a thread that touches the global Headers loads it.
		const control = workerReporting('void globalThis.Headers;', null);
		expect(undici(await modulesOf(control))).not.toEqual([]);
		await control.terminate();

		server = await startServer(async (request, response) => {
			if (request.body['model'] === 'limited') {
				response.writeHead(429, {'content-type': 'application/json', 'retry-after': '2'});
				response.end('{"error":{"message":"slow down","type":"rate_limit"}}');
				return;
			}

			await streamEvents(response, answerEvents(words), 1, 1);
		});
		const stamper = workerReporting(`import(${JSON.stringify(new URL('../../distribution/worker/stamp-start.js', import.meta.url).href)});`, {
			progressMs: 20,
		});
		try {
			const endings = new Map<number, {status: string; error: {kind: string; status: number | null} | null}>();
			stamper.on('message', (message: FromStamper) => {
				if (message.type === 'done' && message.ending) {
					endings.set(message.id, message.ending);
				}
			});
			const [ready] = (await once(stamper, 'message')) as [FromStamper];
			expect(ready.type).toBe('ready');
			for (const [id, modelId] of [
				[1, 'answers'],
				[2, 'limited'],
			] as const) {
				const job: StreamJob = {
					model: modelAt(server.baseURL, {id: modelId, name: modelId}),
					apiKey: null,
					prompt: 'Explain recursion',
					maxTokens: 64,
					temperature: null,
					seed: null,
					insecure: undefined,
					timeoutMs: 20_000,
					idleTimeoutMs: 20_000,
					index: 0,
					warmup: false,
				};
				stamper.postMessage({type: 'job', id, input: {kind: 'stream', job}} satisfies ToStamper);
			}

			while (endings.size < 2) {
				await once(stamper, 'message');
			}

			expect(endings.get(1)).toMatchObject({status: 'ok', error: null});
			expect(endings.get(2)).toMatchObject({status: 'error', error: {kind: 'rate_limit', status: 429}});
			expect(undici(await modulesOf(stamper))).toEqual([]);
		} finally {
			await stamper.terminate();
		}
	});
});

describe('a stamping thread’s code', () => {
	it('is the built bundle, compiled with the V8 code cache the build made for it', async () => {
		const {compileWithCache} = await import('../../source/runtime/code-cache.js');
		const worker = new URL('../../distribution/worker/', import.meta.url);
		const bundle = new URL('stamp-thread.cjs', worker);
		const cache = new URL('stamp-thread.cache', worker);
		expect(compileWithCache(bundle, cache).cache).toBe('used');
		// V8 refuses a cache that is not this file's: the file is compiled as usual.
		const other = new URL('empty.cjs', `file://${mkdtempSync(path.join(tmpdir(), 'llmrace-cache-'))}/`);
		writeFileSync(other, 'module.exports = {answer: 42};');
		const compiled = compileWithCache(other, cache);
		expect(compiled.cache).toBe('rejected');
		expect(compiled.run()).toEqual({answer: 42});
		expect(compileWithCache(other, new URL('none.cache', other)).cache).toBe('absent');
	});
});
