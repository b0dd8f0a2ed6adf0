import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, readdirSync, statSync, watch, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import type {Transcript} from '../../source/core/types.js';
import {answerEvents, chunk, openStream, send, sleep, startServer, streamEvents, type TestServer} from '../helpers/server.js';
import {runCli} from '../helpers/cli.js';

const packageVersion = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version: string}).version;

const fast = ['-m', 'step-3.5-flash,qwen3-8b,kimi-k2.5', '--seed', '7', '--max-tokens', '12'];

let server: TestServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

describe('llmrace CLI', () => {
	it('--help lists commands and flags; --version prints the version', async () => {
		const help = await runCli(['--help']);
		expect(help.code).toBe(0);
		for (const word of [
			'show',
			'report',
			'compare',
			'presets',
			'sim',
			'--preset',
			'--models',
			'--runs',
			'--warmup',
			'--concurrency',
			'--json',
			'--save',
			'--sort',
			'--bracket',
			'--seed',
			'--region',
		]) {
			expect(help.stdout).toContain(word);
		}

		const version = await runCli(['--version']);
		expect(version.stdout.trim()).toBe(packageVersion);
	});

	it('the built binary runs by itself (shebang and executable bit), as npx llmrace runs it', () => {
		const bin = new URL('../../distribution/cli.js', import.meta.url).pathname;
		expect(execFileSync(bin, ['--version'], {encoding: 'utf8'}).trim()).toBe(packageVersion);
	});

	const usageCases: Array<[string[], RegExp]> = [
		[['--bogus', 'x'], /^llmrace: unknown flag --bogus\n/],
		[['--runs', 'abc', 'x'], /^llmrace: invalid value for --runs: "abc" \(expected a whole number from 1 to 10000\)\n$/],
		[['--runs'], /^llmrace: missing value for --runs\n$/],
		[['--sort', 'fast', 'x'], /^llmrace: invalid value for --sort: "fast"\nvalid: ttft, ttfa, tps, total, price, cost, name\n$/],
		[['--bracket', 'cheap', 'x'], /valid: ultra-budget, budget, mid, premium\n$/],
		[['-p', 'nope', 'x'], /^llmrace: unknown preset "nope"\nvalid: anthropic, deepseek, demo, .*global-api.*ollama.*\(or a path to a YAML\/JSON file\)\n$/],
		[['-m', 'gpt-9', 'x'], /^llmrace: unknown model "gpt-9" in preset demo\nvalid: step-3\.5-flash/],
		[[], /^llmrace: no prompt/],
		[['-p', 'global-api', 'x'], /^llmrace: missing API key: set \$GLOBAL_API_KEY \(for step-3\.5-flash/],
		// Found after the engine's threads were booted (session/engine-boot.ts): they are closed, nothing keeps the process.
		[['--db', 'ftp://x', 'x'], /^llmrace: invalid --db: "ftp:\/\/x"/],
	];
	for (const [args, pattern] of usageCases) {
		it(`exits 2 with a clear line for: ${args.join(' ') || '(no prompt)'}`, async () => {
			const result = await runCli(args, {env: {GLOBAL_API_KEY: ''}});
			expect(result.code).toBe(2);
			expect(result.stderr).toMatch(pattern);
			expect(result.stderr).not.toMatch(/\n\s+at /);
			expect(result.stdout).toBe('');
		});
	}

	it('rejects an invalid preset file with the file, the field path and what was expected', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'llmrace-cli-'));
		const file = path.join(dir, 'bad.yaml');
		writeFileSync(file, 'baseURL: http://127.0.0.1:1/v1\nmodels:\n  - id: a\n    reasoning: maybe\n');
		const result = await runCli(['-p', file, 'x']);
		expect(result.code).toBe(2);
		expect(result.stderr).toBe(`llmrace: ${file}: models[0].reasoning: expected boolean, got string\n`);
	});

	it('--json races the simulator and prints the transcript', async () => {
		const result = await runCli([...fast, '--json', '--region', 'us-east', 'Explain recursion in 200 words']);
		expect(result.code).toBe(0);
		expect(result.stderr).toContain('simulated');
		const transcript = JSON.parse(result.stdout) as Transcript;
		expect(transcript).toMatchObject({
			schema: 'llmrace/transcript@1',
			tool: {name: 'llmrace', version: packageVersion},
			region: 'us-east',
			prompt: 'Explain recursion in 200 words',
			preset: 'demo',
			simulated: true,
			aborted: false,
			settings: {runs: 1, warmup: 0, maxTokens: 12, temperature: null, concurrency: null, timeoutMs: 120_000, seed: 7},
		});
		expect(transcript.models.map(model => model.id)).toEqual(['step-3.5-flash', 'qwen3-8b', 'kimi-k2.5']);
		for (const model of transcript.models) {
			const [run] = model.runs;
			expect(run).toMatchObject({status: 'ok', error: null, outputTokens: 12, tokenSource: 'usage'});
			expect(model.baseURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
			expect(run!.chunks.length).toBe(12);
			expect(run!.costUSD).toBeCloseTo((12 * model.price.outputPerM!) / 1e6, 12);
			expect(model.summary.ok).toBe(1);
		}

		const kimi = transcript.models[2]!;
		expect(kimi.runs[0]!.reasoningText.length).toBeGreaterThan(0);
		expect(kimi.runs[0]!.ttfaMs!).toBeGreaterThan(kimi.runs[0]!.ttftMs!);
		expect(transcript.models[0]!.bracket).toBe('ultra-budget');
	});

	it('prints a plain table without escape sequences when stdout is not a TTY, prompt from stdin', async () => {
		const result = await runCli([...fast, '--sort', 'price'], {stdin: 'Explain recursion\n', env: {COLUMNS: '200'}});
		expect(result.code).toBe(0);
		expect(result.stdout).not.toContain('\u001B');
		// The table (notes may follow it: a busy machine can make a run client-late).
		const lines = result.stdout.trim().split('\n\n')[0]!.split('\n');
		// The simulator reports its own decode speed (as llama.cpp does): the server tok/s column shows it.
		expect(lines[0]).toMatch(/^#\s+Model\s+Provider\s+TTFT\s+TTFA\s+tok\/s\s+server tok\/s\s+Total\s+Tokens\s+\$\/M out\s+Run cost\s+Bracket\s+Status$/);
		expect(lines.slice(1).map(line => /^\s*\d+\s+(\S+)/.exec(line)?.[1])).toEqual(['Qwen3-8B', 'Step-3.5-Flash', 'Kimi']);
	});

	it('--save writes the transcript atomically: a temporary file, then a rename over the old one', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'llmrace-save-'));
		const file = path.join(dir, 'race.json');
		const old = `${JSON.stringify({old: true, padding: 'x'.repeat(50_000)})}\n`;
		writeFileSync(file, old);
		const inodeBefore = statSync(file).ino;
		// Read the target every time the folder changes and every 2 ms: a reader must only ever see the old file or
		// the whole new one, never a truncated or half-written file.
		const names = new Set<string>();
		const seen: string[] = [];
		const look = () => {
			try {
				const text = readFileSync(file, 'utf8');
				seen.push(text === old ? 'old' : (JSON.parse(text) as Transcript).schema);
			} catch (error) {
				seen.push(`unreadable: ${(error as Error).message.slice(0, 80)}`);
			}
		};

		const watcher = watch(dir, (_event, name) => {
			if (name) {
				names.add(name);
			}

			look();
		});
		const poller = setInterval(look, 2);
		let result: Awaited<ReturnType<typeof runCli>> | undefined;
		try {
			result = await runCli(['-m', 'step-3.5-flash,qwen3-8b,deepseek-v4-flash', '--seed', '7', '--max-tokens', '120', '-o', file, 'Explain recursion']);
		} finally {
			clearInterval(poller);
			watcher.close();
		}

		expect(result.code).toBe(0);
		expect(result.stderr).toContain(`saved ${file}`);
		const transcript = JSON.parse(readFileSync(file, 'utf8')) as Transcript;
		expect(transcript.models.map(model => model.runs[0]!.outputTokens)).toEqual([120, 120, 120]);
		// The protocol: the content went to another file in the same folder, which was renamed onto the target
		// (a new inode; writing in place would keep the old one) and is gone afterwards.
		expect([...names].some(name => name !== 'race.json' && name.endsWith('.tmp'))).toBe(true);
		expect(statSync(file).ino).not.toBe(inodeBefore);
		expect(readdirSync(dir)).toEqual(['race.json']);
		expect(seen.length).toBeGreaterThan(10);
		expect(seen.filter(entry => entry !== 'old' && entry !== 'llmrace/transcript@1')).toEqual([]);
	});

	it('SIGINT stops a headless race, saves what arrived and exits 130', async () => {
		// A stream that never ends: a word every 20 ms. The signal goes once the server has written 25 words, so
		// text has arrived (by state, not by a guess at the model's TTFT), and the race could only end by the signal.
		let written = '';
		let interrupt: (() => void) | undefined;
		server = await startServer(async (_request, response) => {
			openStream(response);
			send(response, chunk({role: 'assistant', content: ''}));
			for (let index = 0; !response.destroyed && !response.writableEnded; index++) {
				const word = `w${index} `;
				send(response, chunk({content: word}));
				written += word;
				if (index >= 25 && interrupt) {
					interrupt();
					interrupt = () => undefined;
				}

				await sleep(20);
			}
		});
		const dir = mkdtempSync(path.join(tmpdir(), 'llmrace-int-'));
		const preset = path.join(dir, 'endless.yaml');
		writeFileSync(preset, `baseURL: ${server.baseURL}\nmodels: [{id: endless}]\n`);
		const file = path.join(dir, 'partial.json');
		const result = await runCli(['-p', preset, '--json', '-o', file, 'Explain recursion'], {
			onStderr(_text, child) {
				interrupt ??= () => child.kill('SIGINT');
			},
		});
		expect(result.code).toBe(130);
		const saved = JSON.parse(readFileSync(file, 'utf8')) as Transcript;
		expect(saved.aborted).toBe(true);
		const [run] = saved.models[0]!.runs;
		expect(run!.status).toBe('aborted');
		// What arrived before the stop is kept, exactly as sent: a non-empty prefix of what the server wrote.
		expect(run!.text.length).toBeGreaterThan(0);
		expect(written.startsWith(run!.text)).toBe(true);
		expect(JSON.parse(result.stdout)).toEqual(saved);
	});

	it('exits 1 when every run fails, with the error in the table', async () => {
		server = await startServer(async (_request, response) => {
			response.writeHead(503, {'content-type': 'application/json'});
			response.end('{"error":{"message":"upstream down"}}');
		});
		const dir = mkdtempSync(path.join(tmpdir(), 'llmrace-fail-'));
		const preset = path.join(dir, 'local.yaml');
		writeFileSync(preset, `baseURL: ${server.baseURL}\nmodels: [{id: one}, {id: two}]\n`);
		const result = await runCli(['-p', preset, 'hello']);
		expect(result.code).toBe(1);
		expect(result.stdout).toMatch(/one .* server/);
		expect(server.requests).toHaveLength(2);
	});

	it('races a real loopback server with --base-url and the key from --api-key-env, never printing the key', async () => {
		server = await startServer(async (request, response) => {
			expect(request.headers.authorization).toBe('Bearer sk-test-SECRET-123456789');
			await streamEvents(response, answerEvents(['Hi', ' there', ' sk-test-SECRET-123456789']));
		});
		const dir = mkdtempSync(path.join(tmpdir(), 'llmrace-key-'));
		const file = path.join(dir, 'k.json');
		const result = await runCli(['-p', 'global-api', '-m', 'glm-5', '--base-url', server.baseURL, '--api-key-env', 'MY_KEY', '--json', '-o', file, 'hello'], {
			env: {MY_KEY: 'sk-test-SECRET-123456789'},
		});
		expect(result.code).toBe(0);
		for (const text of [result.stdout, result.stderr, readFileSync(file, 'utf8')]) {
			expect(text).not.toContain('SECRET');
		}

		expect(existsSync(file)).toBe(true);
		expect(server.requests).toHaveLength(1);
	});
});
