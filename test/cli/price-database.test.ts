import {mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import type {Transcript} from '../../source/core/types.js';
import {runCli} from '../helpers/cli.js';
import {moduleHooks} from '../helpers/module-hooks.js';
import {answerEvents, startServer, streamEvents, type TestServer} from '../helpers/server.js';

const servers: TestServer[] = [];
afterEach(async () => {
	await Promise.all(servers.splice(0).map(async server => server.close()));
});

const genaiVersion = (JSON.parse(readFileSync(new URL('../../node_modules/@pydantic/genai-prices/package.json', import.meta.url), 'utf8')) as {version: string})
	.version;

function tempDir(): string {
	return mkdtempSync(path.join(tmpdir(), 'llmrace-prices-cli-'));
}

/** A loopback server posing as OpenAI: 14 prompt tokens, 2 output tokens per answer. */
async function fakeOpenAI(): Promise<TestServer> {
	const server = await startServer(async (request, response) => {
		await streamEvents(response, answerEvents([`${String(request.body['model'])} says`, ' hi'], {prompt_tokens: 14, completion_tokens: 2}));
	});
	servers.push(server);
	return server;
}

describe('the price database loads only when needed', () => {
	it('never for --help or --version; for `llmrace presets`, which prices the hosted models', async () => {
		for (const args of [['--help'], ['--version']]) {
			const {env, resolved: modules} = moduleHooks();
			const result = await runCli(args, {env});
			expect(result.code).toBe(0);
			// The hook saw the CLI's own modules, but not the database.
			expect(modules().some(url => url.endsWith('/distribution/cli.js'))).toBe(true);
			expect(modules().filter(url => url.includes('genai-prices'))).toEqual([]);
		}

		const {env, resolved: modules} = moduleHooks();
		const result = await runCli(['presets'], {env: {...env, XDG_CONFIG_HOME: tempDir(), COLUMNS: '300'}});
		expect(result.code).toBe(0);
		expect(modules().some(url => url.includes('genai-prices'))).toBe(true);
	});

	it('not for a race whose models all have preset prices (the demo)', async () => {
		const {env, resolved: modules} = moduleHooks();
		const result = await runCli(['-m', 'step-3.5-flash', '--max-tokens', '8', '--json', '--seed', '1', 'hi'], {env});
		expect(result.code).toBe(0);
		expect((JSON.parse(result.stdout) as Transcript).models[0]!.price).toEqual({
			inputPerM: null,
			outputPerM: 0.15,
			source: 'published benchmark of 2026-05-20',
		});
		expect(modules().length).toBeGreaterThan(10);
		expect(modules().filter(url => url.includes('genai-prices'))).toEqual([]);
	});
});

describe('racing a server posing as OpenAI', () => {
	it('-p openai --base-url fills prices with their source, brackets and costs (input tokens included)', async () => {
		const server = await fakeOpenAI();
		const result = await runCli(['-p', 'openai', '-m', 'gpt-4o-mini,gpt-4.1-nano,gpt-5', '--base-url', server.baseURL, '--json', 'hello'], {
			env: {OPENAI_API_KEY: 'sk-test-not-real', XDG_CONFIG_HOME: tempDir()},
		});
		expect(result.stderr).not.toMatch(/error/i);
		expect(result.code).toBe(0);
		const transcript = JSON.parse(result.stdout) as Transcript;
		const source = `genai-prices ${genaiVersion}`;
		expect(transcript.models.map(model => [model.id, model.price, model.bracket])).toEqual([
			['gpt-4o-mini', {inputPerM: 0.15, outputPerM: 0.6, source}, 'mid'],
			['gpt-4.1-nano', {inputPerM: 0.1, outputPerM: 0.4, source}, 'mid'],
			['gpt-5', {inputPerM: 1.25, outputPerM: 10, source}, 'premium'],
		]);
		const mini = transcript.models[0]!;
		expect(mini.runs[0]!.text).toBe('gpt-4o-mini says hi');
		expect(mini.runs[0]!.costUSD).toBeCloseTo((2 * 0.6 + 14 * 0.15) / 1e6, 15);
		expect(mini.summary.costUSD).toBeCloseTo((2 * 0.6 + 14 * 0.15) / 1e6, 15);
	});

	it('the plain table shows $/M and costs per 1k runs, no scientific notation, sorted by what the cost column shows', async () => {
		const server = await fakeOpenAI();
		const result = await runCli(['-p', 'openai', '-m', 'gpt-5,gpt-4.1-nano,gpt-4o-mini', '--base-url', server.baseURL, '--sort', 'cost', 'hello'], {
			env: {OPENAI_API_KEY: 'sk-test-not-real', XDG_CONFIG_HOME: tempDir()},
		});
		expect(result.code).toBe(0);
		const rows = result.stdout.split('\n').filter(line => /^ *\d+ {2}/.test(line));
		// 14 prompt + 2 output tokens: nano $0.0022/1k, 4o-mini $0.0033/1k, gpt-5 $0.0375/1k (shown $0.037/1k).
		expect(rows.map(line => /\d+ {2}(\S+(?: \S+)*?) {2}/.exec(line)?.[1])).toEqual(['GPT-4.1 nano', 'GPT-4o mini', 'GPT-5 (hidden reasoning)']);
		expect(rows[0]).toContain('$0.0022/1k');
		expect(rows[1]).toContain('$0.0033/1k');
		expect(rows[2]).toContain('$0.037/1k');
		expect(rows[2]).toContain('$10.00');
		expect(result.stdout).not.toMatch(/\de-?\d/);
	});
});

describe('presets with prices:', () => {
	it('an unknown prices: provider is a preset error (exit 2) naming the file, the field and the valid ids', async () => {
		const dir = tempDir();
		const file = path.join(dir, 'typo.yaml');
		writeFileSync(file, 'baseURL: http://127.0.0.1:9/v1\nmodels: [{id: gpt-4o-mini, prices: opnai}]\n');
		const result = await runCli(['-p', file, 'hello']);
		expect(result.code).toBe(2);
		const lines = result.stderr.trimEnd().split('\n');
		expect(lines[0]).toBe(`llmrace: ${file}: models[0].prices: unknown provider "opnai" in genai-prices ${genaiVersion}`);
		expect(lines[1]).toMatch(/^valid: .*\bgoogle\b.*\bopenai\b.*\bopenrouter\b/);
		expect(lines).toHaveLength(2);
	});

	it('`llmrace presets` shows each price with its source, says why a model has none, and marks a user preset that replaces a shipped one', async () => {
		const home = tempDir();
		const dir = path.join(home, 'llmrace', 'presets');
		mkdirSync(dir, {recursive: true});
		writeFileSync(
			path.join(dir, 'openai.yaml'),
			'name: openai\nbaseURL: http://127.0.0.1:9/v1\napiKeyEnv: OPENAI_API_KEY\nprices: openai\nmodels:\n  - {id: gpt-4o-mini}\n  - {id: my-finetune-xyz}\n  - {id: gpt-4.1-nano, price: {outputPerM: 0.3, source: "our contract"}}\n',
		);
		writeFileSync(path.join(dir, 'bare.yaml'), 'baseURL: http://127.0.0.1:9/v1\nmodels: [{id: local-thing}]\n');
		const result = await runCli(['presets'], {env: {XDG_CONFIG_HOME: home, COLUMNS: '300'}});
		expect(result.code).toBe(0);
		const source = `genai-prices ${genaiVersion}`;
		expect(result.stdout).toMatch(/^openai \(yours, replaces the shipped one\)$/m);
		expect(result.stdout).toMatch(new RegExp(String.raw`^  gpt-4o-mini +\$0\.60/M out +\$0\.15/M in +mid +${source.replaceAll('.', String.raw`\.`)}$`, 'm'));
		expect(result.stdout).toMatch(
			new RegExp(String.raw`^  my-finetune-xyz +no price \(${source.replaceAll('.', String.raw`\.`)} does not know "my-finetune-xyz" under openai\)$`, 'm'),
		);
		expect(result.stdout).toMatch(/^ {2}gpt-4\.1-nano +\$0\.30\/M out +budget +our contract$/m);
		expect(result.stdout).toMatch(/^ {2}local-thing +no price \(none in the preset, no `prices:` provider named\)$/m);
		// The shipped openai preset's models are gone: the user's replaced it.
		expect(result.stdout).not.toMatch(/^ {2}gpt-5 /m);
		expect(result.stdout).toMatch(/^ {2}claude-sonnet-4-5 +Anthropic +\$15\.00\/M out +\$3\.00\/M in +premium +genai-prices/m);
	});
});
