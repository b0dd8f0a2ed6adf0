import {mkdtempSync, readFileSync, readdirSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import type {Transcript} from '../source/core/types.js';
import {createSaver} from '../source/commands/saver.js';
import {demoTranscript} from './helpers/fixtures.js';
import {runCli} from './helpers/cli.js';
import {answerEvents, startServer, streamEvents, type TestServer} from './helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

describe('signals stop a headless race and keep what arrived', () => {
	for (const [signal, code] of [['SIGTERM', 143], ['SIGHUP', 129]] as const) {
		it(`${signal} saves the transcript and exits ${code}`, async () => {
			const dir = mkdtempSync(path.join(tmpdir(), 'llmrace-signal-'));
			const file = path.join(dir, 'stopped.json');
			let sent = false;
			const result = await runCli(['-m', 'qwen3.5-397b,glm-5', '--seed', '2', '-o', file, 'Explain recursion'], {
				onStderr(text, child) {
					if (!sent && text.includes('racing')) {
						sent = true;
						setTimeout(() => child.kill(signal), 1600);
					}
				},
			});
			expect(result.code).toBe(code);
			const saved = JSON.parse(readFileSync(file, 'utf8')) as Transcript;
			expect(saved.aborted).toBe(true);
			expect(saved.models.map(model => model.runs[0]!.status)).toEqual(['aborted', 'aborted']);
			expect(saved.models[1]!.runs[0]!.text.length).toBeGreaterThan(0);
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
		expect(first.message).toMatch(/^cannot save \/proc\/llmrace-cannot-write-here\.json: .* · the race is kept: press w to save to .*llmrace-\d{8}-\d{6}\.json$/);
		const second = save(transcript);
		expect(second.ok).toBe(true);
		const file = /^saved (\S+)$/.exec(second.message)![1]!;
		expect(file.startsWith(tmpdir())).toBe(true);
		expect((JSON.parse(readFileSync(file, 'utf8')) as Transcript).models).toHaveLength(15);
	});

	it('atomic writes leave no temporary file behind, even on failure', () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'llmrace-atomic-'));
		const save = createSaver(path.join(dir, 'race.json'), []);
		expect(save(demoTranscript()).ok).toBe(true);
		expect(readdirSync(dir)).toEqual(['race.json']);
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
