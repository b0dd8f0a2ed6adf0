import {afterEach, describe, expect, it} from 'vitest';
import {startRace, type RaceOptions} from '../../source/core/race/race.js';
import type {ModelSpec} from '../../source/core/types.js';
import {defaultBrackets} from '../../source/core/presets/brackets.js';
import {countTokens, modelAt} from '../helpers/models.js';
import {answerEvents, chunk, openStream, send, sleep, startServer, streamEvents, type TestServer} from '../helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

function options(models: readonly ModelSpec[], overrides: Partial<RaceOptions['settings']> = {}): RaceOptions {
	return {
		models,
		prompt: 'Explain recursion',
		settings: {runs: 1, warmup: 0, maxTokens: 32, temperature: null, concurrency: null, timeoutMs: 10_000, seed: null, ...overrides},
		preset: {name: 'test', simulated: false, brackets: defaultBrackets},
		region: null,
		toolVersion: '0.0.0-test',
		countTokens,
		apiKeyOf: () => null,
	};
}

describe('the race', () => {
	it('keeps at most --concurrency requests in flight and runs every model', async () => {
		let inFlight = 0;
		let most = 0;
		server = await startServer(async (_request, response) => {
			inFlight++;
			most = Math.max(most, inFlight);
			await streamEvents(response, answerEvents(['a', ' b', ' c']), 10, 30);
			inFlight--;
		});
		const models = ['m1', 'm2', 'm3', 'm4', 'm5'].map(id => modelAt(server!.baseURL, {id, name: id}));
		const transcript = await startRace(options(models, {concurrency: 2})).done;
		expect(most).toBe(2);
		expect(transcript.models.map(model => model.summary.ok)).toEqual([1, 1, 1, 1, 1]);
		expect(server.requests).toHaveLength(5);
	});

	it('runs warm-ups first, leaves them and failed runs out of the statistics, counts failures', async () => {
		let count = 0;
		server = await startServer(async (_request, response) => {
			count++;
			if (count === 1) {
				// The warm-up: slow first token.
				await streamEvents(response, answerEvents(['slow', ' start']), 5, 300);
			} else if (count === 3) {
				response.writeHead(500, {'content-type': 'application/json'});
				response.end('{"error":{"message":"flaky"}}');
			} else {
				await streamEvents(response, answerEvents(['fast', ' one']), 5, 20);
			}
		});
		const transcript = await startRace(options([modelAt(server.baseURL)], {runs: 3, warmup: 1})).done;
		const [model] = transcript.models;
		expect(model!.runs.map(run => [run.index, run.warmup, run.status])).toEqual([
			[0, true, 'ok'],
			[1, false, 'ok'],
			[2, false, 'error'],
			[3, false, 'ok'],
		]);
		expect(model!.summary.ok).toBe(2);
		expect(model!.summary.failed).toBe(1);
		// The 300 ms warm-up is not in the statistics: their slowest is faster than it.
		expect(model!.runs[0]!.ttftMs).toBeGreaterThanOrEqual(300);
		expect(model!.summary.ttftMs!.max).toBeLessThan(model!.runs[0]!.ttftMs!);
		expect(model!.summary.ttftMs!.median).toBeCloseTo((model!.runs[1]!.ttftMs! + model!.runs[3]!.ttftMs!) / 2, 1);
		expect(server.requests).toHaveLength(4);
	});

	it('one model failing leaves the others racing', async () => {
		server = await startServer(async (request, response) => {
			if (request.body['model'] === 'broken') {
				response.writeHead(404, {'content-type': 'application/json'});
				response.end('{"error":{"message":"no such model"}}');
				return;
			}

			await streamEvents(response, answerEvents(['fine']));
		});
		const race = startRace(options([modelAt(server.baseURL, {id: 'broken'}), modelAt(server.baseURL, {id: 'good'})]));
		const transcript = await race.done;
		expect(transcript.models.map(model => model.runs[0]!.status)).toEqual(['error', 'ok']);
		expect(race.snapshot().models.map(model => model.state)).toEqual(['error', 'done']);
		expect(race.snapshot().models[1]!.place).toBe(1);
	});

	it('abort marks running runs aborted, keeps their text, and sends nothing more', async () => {
		server = await startServer(async (_request, response) => {
			openStream(response);
			send(response, chunk({content: 'Some'}));
			await sleep(30);
			send(response, chunk({content: ' text'}));
			// Then keep the stream open.
		});
		const race = startRace(options([modelAt(server.baseURL, {id: 'a'}), modelAt(server.baseURL, {id: 'b'})], {runs: 3}));
		while (race.snapshot().models.some(model => !model.text.includes('text'))) {
			await sleep(10);
		}

		race.abort();
		const transcript = await race.done;
		expect(transcript.aborted).toBe(true);
		for (const model of transcript.models) {
			expect(model.runs).toHaveLength(1);
			expect(model.runs[0]).toMatchObject({status: 'aborted', text: 'Some text', error: {kind: 'aborted'}});
			expect(model.summary).toMatchObject({ok: 0, failed: 1});
		}

		expect(server.requests).toHaveLength(2);
		expect(race.snapshot().models.map(model => model.state)).toEqual(['aborted', 'aborted']);
	});

	it('the snapshot changes version as chunks arrive and is reused when nothing changed', async () => {
		// The server sends each chunk only once the test has seen the version move: no sampling race.
		const versions = new Set<number>();
		server = await startServer(async (_request, response) => {
			openStream(response);
			for (const event of answerEvents(['a', ' b', ' c', ' d'])) {
				const seen = versions.size;
				send(response, event);
				while (versions.size === seen) {
					await sleep(2);
				}
			}

			response.end('data: [DONE]\n\n');
		});
		const race = startRace(options([modelAt(server.baseURL)]));
		let finished = false;
		void race.done.then(() => {
			finished = true;
		});
		while (!finished) {
			versions.add(race.snapshot().version);
			await sleep(1);
		}

		expect(versions.size).toBeGreaterThan(6);
		const first = race.snapshot();
		expect(race.snapshot()).toBe(first);
		expect(first.models[0]!.state).toBe('done');
	});
});
