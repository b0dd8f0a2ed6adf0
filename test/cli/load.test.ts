// `llmrace load` end to end: the built binary against loopback servers and the simulator.
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import type {LoadTranscript} from '../../source/core/load/types.js';
import {runCli} from '../helpers/cli.js';
import {answerEvents, startServer, streamEvents, type TestServer} from '../helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

/** A priced preset file for a loopback server that counts its chat requests. */
async function pricedServer(): Promise<{preset: string; chats: () => number; dir: string}> {
	server = await startServer(async (_request, response) => {
		await streamEvents(response, answerEvents(['Re', 'cur', 'sion'], {prompt_tokens: 5, completion_tokens: 3}), 5, 10);
	});
	const dir = mkdtempSync(path.join(tmpdir(), 'llmrace-load-'));
	const preset = path.join(dir, 'paid.yaml');
	writeFileSync(preset, `baseURL: ${server.baseURL}\nmodels:\n  - {id: alpha, price: {inputPerM: 1, outputPerM: 2}}\n  - {id: beta}\n`);
	const seen = server.requests;
	return {preset, dir, chats: () => seen.filter(request => request.url.endsWith('/chat/completions')).length};
}

describe('the cost guard', () => {
	it('without a terminal and without --yes: a usage error, the estimate shown, nothing sent', async () => {
		const {preset, chats} = await pricedServer();
		const result = await runCli(['load', '-p', preset, '--rate', '2', '--requests', '5', '--max-tokens', '100', 'Explain recursion']);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/sends up to 10 requests to 2 models that are not simulated \(5 each\)/);
		// 5 requests × 100 max tokens × $2/M output, plus the prompt at $1/M: a little over $0.001.
		expect(result.stderr).toMatch(/estimated cost at most \$0\.001\d/);
		expect(result.stderr).toMatch(/price unknown for beta/);
		expect(result.stderr).toMatch(/add --yes\nnothing was sent/);
		expect(chats()).toBe(0);
	});

	it('--sweep estimates the most its 8 steps could send', async () => {
		const {preset, chats} = await pricedServer();
		const result = await runCli(['load', '-p', preset, '-m', 'alpha', '--sweep', '--requests', '3', 'Explain recursion']);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/sends up to 24 requests to 1 model that is not simulated \(24 each, the most its 8 sweep steps could send\)/);
		expect(chats()).toBe(0);
	});

	it('with --yes the load runs: JSON on stdout, the transcript saved', async () => {
		const {preset, chats, dir} = await pricedServer();
		const file = path.join(dir, 'load.json');
		const result = await runCli([
			'load',
			'-p',
			preset,
			'-m',
			'alpha',
			'--rate',
			'20,40',
			'--requests',
			'4',
			'--arrivals',
			'constant',
			'--yes',
			'--json',
			'-o',
			file,
			'Explain recursion',
		]);
		expect(result.code).toBe(0);
		expect(chats()).toBe(8);
		const transcript = JSON.parse(result.stdout) as LoadTranscript;
		expect(transcript).toMatchObject({schema: 'llmrace/load@1', simulated: false, preset: 'paid', aborted: false});
		expect(transcript.settings).toMatchObject({rates: [20, 40], arrivals: 'constant', requests: 4, durationMs: null, uniquePrompts: true, maxConcurrency: 256});
		expect(transcript.models[0]!.steps.map(step => step.summary.completed)).toEqual([4, 4]);
		expect(transcript.measurement?.threads?.length).toBeGreaterThan(0);
		expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(transcript);
		expect(result.stderr).toMatch(/alpha: done after 2 steps, 8 completed, 0 failed/);
	});
});

describe('llmrace load on the simulator', () => {
	it('prints the plain load table, says the curve is modelled, and needs no --yes', async () => {
		const result = await runCli([
			'load',
			'-m',
			'step-3.5-flash,glm-5',
			'--rate',
			'2',
			'--requests',
			'4',
			'--max-tokens',
			'8',
			'--seed',
			'3',
			'Explain recursion',
		]);
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/^Model\s+Step\s+Rate req\/s\s+Done\/failed\s+TTFA p50\/p99/);
		expect(result.stdout).toMatch(/Step-3\.5-Flash\s+1\s+2 \/ /);
		expect(result.stdout).toMatch(/modelled .*not measured/);
		expect(result.stderr).toMatch(/2 simulated models \(modelled load curves, not measured\)/);
		expect(result.stderr).not.toMatch(/not simulated/);
	});

	it('--sweep: at most 8 steps a model and its highest rate meeting the SLO', async () => {
		const result = await runCli(['load', '-m', 'qwen3.5-397b', '--sweep', '--requests', '3', '--max-tokens', '4', '--json', 'Explain recursion']);
		expect(result.code).toBe(0);
		const transcript = JSON.parse(result.stdout) as LoadTranscript;
		expect(transcript.simulated).toBe(true);
		const [model] = transcript.models;
		// Its published TTFA (1.2 s) is over the default SLO (ttfa.p99<=800ms) at any rate.
		expect(model!.steps).toHaveLength(1);
		expect(model!.maxRateMeetingSlo).toBeNull();
		expect(model!.simulatedLoad).toEqual({sequences: 8});
	});

	it('SIGINT keeps the current step, saves it and exits 130', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'llmrace-load-signal-'));
		const file = path.join(dir, 'stopped.json');
		let sent = false;
		const result = await runCli(['load', '-m', 'glm-5', '--rate', '4', '--duration', '1m', '-o', file, 'Explain recursion'], {
			onStderr(text, child) {
				if (!sent && text.includes('step 1 of at most 1')) {
					sent = true;
					setTimeout(() => child.kill('SIGINT'), 1500);
				}
			},
		});
		expect(result.code).toBe(130);
		const saved = JSON.parse(readFileSync(file, 'utf8')) as LoadTranscript;
		expect(saved.aborted).toBe(true);
		expect(saved.models[0]!.steps[0]!.stopped).toBe('aborted');
		expect(saved.models[0]!.steps[0]!.requests.status.length).toBeGreaterThan(0);
	});
});

describe('--unique-prompts in a race', () => {
	it('is off by default; given, each request begins with its own line and the transcript says so', async () => {
		const {preset} = await pricedServer();
		const plain = await runCli(['-p', preset, '-m', 'alpha', '-n', '2', '--json', 'Explain recursion']);
		expect(plain.code).toBe(0);
		expect((JSON.parse(plain.stdout) as {settings: Record<string, unknown>}).settings['uniquePrompts']).toBeUndefined();
		const unique = await runCli(['-p', preset, '-m', 'alpha', '-n', '2', '--unique-prompts', '--json', 'Explain recursion']);
		expect(unique.code).toBe(0);
		expect((JSON.parse(unique.stdout) as {settings: Record<string, unknown>}).settings['uniquePrompts']).toBe(true);
		const prompts = server!.requests
			.filter(request => request.url.endsWith('/chat/completions'))
			.map(request => (request.body['messages'] as Array<{content: string}>)[0]!.content);
		expect(prompts.slice(0, 2)).toEqual(['Explain recursion', 'Explain recursion']);
		expect(prompts[2]).toMatch(/^\[request \w+-alpha-0\]\nExplain recursion$/);
		expect(prompts[3]).toMatch(/^\[request \w+-alpha-1\]\nExplain recursion$/);
	});
});

describe('load usage errors', () => {
	it.each([
		[['load', '--rate', '1', '--runs', '3', 'x'], /--runs is not an option of llmrace load/],
		[['load', '--rate', '1', '--warmup', '1', 'x'], /--warmup is not an option of llmrace load/],
		[['load', '--rate', '1', '--concurrency', '4', 'x'], /use --max-concurrency/],
		[['load', 'x'], /needs --rate .* or --sweep/],
		[['load', '--rate', '0', 'x'], /invalid value for --rate: "0"/],
		[['load', '--rate', '1', '--duration', '30x', 'x'], /invalid value for --duration: "30x" \(expected a duration such as 500ms, 30s/],
		[['load', '--rate', '1', '--duration', '5s', '--requests', '3', 'x'], /--duration or --requests, not both/],
		[['load', '--rate', '1', '--slo', 'ttft.p95<=1s', 'x'], /invalid value for --slo: .*unknown percentile p95/],
		[['load', '--rate', '1', '--sort', 'tps', 'x'], /invalid value for --sort: "tps"\nvalid: rate, ttfa, ttft, e2e, goodput, name/],
		[['load', '--rate', '1', '--arrivals', 'bursty', 'x'], /valid: poisson, constant/],
		[['load', '--sweep', '--rate', '1,2', 'x'], /--sweep starts from one rate/],
		[['--rate', '2', 'Explain recursion'], /--rate is an option of llmrace load, not of a race/],
	])('%j', async (args, message) => {
		const result = await runCli(args);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(message);
		expect(result.stderr).not.toMatch(/ at .*\.js:\d+/);
	});

	it('load --help lists the load options', async () => {
		const result = await runCli(['load', '--help']);
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/--max-concurrency <n>/);
		expect(result.stdout).toMatch(/ttfa\.p99<=800ms/);
	});
});
