import {mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it, onTestFinished} from 'vitest';
import type {Transcript} from '../../source/core/types.js';
import {createSaver} from '../../source/session/saver.js';
import {demoTranscript} from '../helpers/fixtures.js';
import {runCli} from '../helpers/cli.js';
import {answerEvents, chunk, openStream, send, sleep, startServer, streamEvents, type TestServer} from '../helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

describe('signals stop a headless race and keep what arrived', () => {
	for (const [signal, code] of [
		['SIGTERM', 143],
		['SIGHUP', 129],
	] as const) {
		it(`${signal} saves the transcript and exits ${code}`, async () => {
			// Two streams that never end: `silent` sends its headers and nothing more, `endless` a word every 20 ms.
			// The signal goes once the server has written 25 words (by state, not by a guess at the models' TTFT).
			let written = '';
			let stop: (() => void) | undefined;
			server = await startServer(async (request, response) => {
				openStream(response);
				send(response, chunk({role: 'assistant', content: ''}));
				for (let index = 0; !response.destroyed && !response.writableEnded; index++) {
					if (request.body['model'] === 'endless') {
						const word = `w${index} `;
						send(response, chunk({content: word}));
						written += word;
						if (index >= 25 && stop) {
							stop();
							stop = () => undefined;
						}
					}

					await sleep(20);
				}
			});
			const dir = mkdtempSync(path.join(tmpdir(), 'llmrace-signal-'));
			const preset = path.join(dir, 'endless.yaml');
			writeFileSync(preset, `baseURL: ${server.baseURL}\nmodels: [{id: silent}, {id: endless}]\n`);
			const file = path.join(dir, 'stopped.json');
			const result = await runCli(['-p', preset, '-o', file, 'Explain recursion'], {
				onStderr(_text, child) {
					stop ??= () => child.kill(signal);
				},
			});
			expect(result.code).toBe(code);
			const saved = JSON.parse(readFileSync(file, 'utf8')) as Transcript;
			expect(saved.aborted).toBe(true);
			expect(saved.models.map(model => model.runs[0]!.status)).toEqual(['aborted', 'aborted']);
			expect(saved.models[0]!.runs[0]!.text).toBe('');
			// What arrived is kept exactly: a non-empty prefix of what the server wrote.
			const kept = saved.models[1]!.runs[0]!.text;
			expect(kept.length).toBeGreaterThan(0);
			expect(written.startsWith(kept)).toBe(true);
			expect(result.stdout).toContain('race stopped before the end');
		});
	}
});

describe('saving', () => {
	it('an unwritable --save path is reported and the transcript is saved elsewhere, not lost', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'llmrace-ro-'));
		const missing = path.join(dir, 'no', 'such', 'folder', 'race.json');
		const result = await runCli(['-m', 'qwen3-8b', '--max-tokens', '5', '--seed', '1', '-o', missing, 'hi']);
		expect(result.code).toBe(0);
		expect(result.stderr).toContain(`llmrace: cannot save ${missing}: the folder does not exist`);
		const fallback = /the transcript was saved to (\S+) instead/.exec(result.stderr)![1]!;
		expect((JSON.parse(readFileSync(fallback, 'utf8')) as Transcript).models[0]!.id).toBe('qwen3-8b');
	});

	it('in the UI, a failed save keeps the race and the next w tries the temporary folder', () => {
		const transcript = demoTranscript();
		const save = createSaver('/proc/llmrace-cannot-write-here.json', []);
		const first = save(transcript);
		expect(first.ok).toBe(false);
		expect(first.message).toMatch(
			/^cannot save \/proc\/llmrace-cannot-write-here\.json: .* · the race is kept: press w to save to .*llmrace-\d{8}-\d{6}\.json$/,
		);
		const second = save(transcript);
		expect(second.ok).toBe(true);
		const file = /^saved (\S+)$/.exec(second.message)![1]!;
		expect(file.startsWith(tmpdir())).toBe(true);
		expect((JSON.parse(readFileSync(file, 'utf8')) as Transcript).models).toHaveLength(15);
	});

	it('atomic writes leave no temporary file behind, even on failure', () => {
		// Under the temporary folder (writable on every machine): a failing path there falls back to the folder's root.
		const dir = mkdtempSync(path.join(tmpdir(), 'llmrace-atomic-'));
		onTestFinished(() => {
			rmSync(dir, {recursive: true, force: true});
		});
		const target = path.join(dir, 'race.json');
		// The target is a folder: the temporary file beside it is written, then the rename onto it fails.
		mkdirSync(target);
		writeFileSync(path.join(target, 'keep.txt'), 'mine');
		const save = createSaver(target, []);
		const first = save(demoTranscript());
		expect(first).toEqual({
			ok: false,
			message: expect.stringMatching(/^cannot save .*race\.json: it is a folder · the race is kept: press w to save to /) as unknown,
		});
		// The failed write took its temporary file with it and left the folder as it was.
		expect(readdirSync(dir)).toEqual(['race.json']);
		expect(readdirSync(target)).toEqual(['keep.txt']);
		// The fallback: the next save goes to the temporary folder, complete, with no temporary file beside it.
		const second = save(demoTranscript());
		expect(second.ok).toBe(true);
		const file = /^saved (\S+)$/.exec(second.message)![1]!;
		expect(path.dirname(file)).toBe(tmpdir());
		expect((JSON.parse(readFileSync(file, 'utf8')) as Transcript).models).toHaveLength(15);
		expect(readdirSync(tmpdir()).filter(name => name.startsWith(`.${path.basename(file)}.`))).toEqual([]);
		// And a save that works leaves only the file.
		const other = mkdtempSync(path.join(tmpdir(), 'llmrace-atomic-'));
		onTestFinished(() => {
			rmSync(other, {recursive: true, force: true});
			rmSync(file, {force: true});
		});
		expect(createSaver(path.join(other, 'race.json'), [])(demoTranscript()).ok).toBe(true);
		expect(readdirSync(other)).toEqual(['race.json']);
	});
});

describe('secrets', () => {
	it('a key the server echoes appears nowhere a race writes: stdout, stderr, transcript, report', async () => {
		const key = 'sk-test-LEAKCHECK-9f8e7d6c5b4a';
		server = await startServer(async (request, response) => {
			if (request.body['model'] === 'echo-error') {
				response.writeHead(401, {'content-type': 'application/json'});
				response.end(JSON.stringify({error: {message: `Invalid key ${key} for this project`}}));
				return;
			}

			await streamEvents(response, answerEvents(['Your key is ', key]));
		});
		const dir = mkdtempSync(path.join(tmpdir(), 'llmrace-secrets-'));
		const preset = path.join(dir, 'p.yaml');
		writeFileSync(preset, `baseURL: ${server.baseURL}\napiKeyEnv: LEAK_KEY\nmodels: [{id: echo-error}, {id: echo-text}]\n`);
		const file = path.join(dir, 'race.json');
		const outputs: string[] = [];
		for (const mode of [['--json'], []]) {
			const result = await runCli(['-p', preset, ...mode, '-o', file, 'hello'], {env: {LEAK_KEY: key}});
			expect(result.code).toBe(0);
			outputs.push(result.stdout, result.stderr, readFileSync(file, 'utf8'));
		}

		const report = await runCli(['report', file]);
		outputs.push(report.stdout, (await runCli(['show', file])).stdout);
		for (const output of outputs) {
			expect(output).not.toContain(key);
		}

		expect(outputs.join('\n')).toContain('[redacted]');
		expect(outputs[0]).toContain('auth');
	});
});
