import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {createServer as createHttpsServer} from 'node:https';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import type {Transcript} from '../../source/core/types.js';
import {runCli} from '../helpers/cli.js';
import {answerEvents, startServer, streamEvents, type TestServer} from '../helpers/server.js';
import {testCertificate} from '../helpers/tls.js';

const servers: TestServer[] = [];
afterEach(async () => {
	await Promise.all(servers.splice(0).map(async server => server.close()));
});

/** A local OpenAI-compatible server that lists `ids` and answers every one of them. */
async function localServer(ids: readonly string[]): Promise<TestServer> {
	const server = await startServer(async (request, response) => {
		if (request.url.endsWith('/models')) {
			response.writeHead(200, {'content-type': 'application/json'});
			response.end(JSON.stringify({object: 'list', data: ids.map(id => ({id, object: 'model'}))}));
			return;
		}

		await streamEvents(response, answerEvents([`${String(request.body['model'])} says`, ' hi'], {prompt_tokens: 3, completion_tokens: 2}));
	});
	servers.push(server);
	return server;
}

function tempDir(): string {
	return mkdtempSync(path.join(tmpdir(), 'llmrace-providers-'));
}

describe('local servers: discovery', () => {
	it('a preset with models: discover races what GET /models lists', async () => {
		const server = await localServer(['llama3.2:3b', 'qwen2.5:7b']);
		const dir = tempDir();
		writeFileSync(path.join(dir, 'local.yaml'), `baseURL: ${server.baseURL}\nmodels: discover\n`);
		const result = await runCli(['-p', path.join(dir, 'local.yaml'), '--json', 'hello']);
		expect(result.code).toBe(0);
		const transcript = JSON.parse(result.stdout) as Transcript;
		expect(transcript.models.map(model => model.id)).toEqual(['llama3.2:3b', 'qwen2.5:7b']);
		expect(transcript.models.map(model => model.runs[0]!.text)).toEqual(['llama3.2:3b says hi', 'qwen2.5:7b says hi']);
	});

	it('the shipped ollama preset pointed elsewhere with --base-url, and --discover on any preset', async () => {
		const server = await localServer(['phi4']);
		const shipped = await runCli(['-p', 'ollama', '--base-url', server.baseURL, '--json', 'hello']);
		expect((JSON.parse(shipped.stdout) as Transcript).models.map(model => model.id)).toEqual(['phi4']);
		const dir = tempDir();
		writeFileSync(path.join(dir, 'fixed.yaml'), `baseURL: ${server.baseURL}\nmodels: [{id: not-served}]\n`);
		const discovered = await runCli(['-p', path.join(dir, 'fixed.yaml'), '--discover', '--json', 'hello']);
		expect((JSON.parse(discovered.stdout) as Transcript).models.map(model => model.id)).toEqual(['phi4']);
	});

	it('an unreachable server is a clear error naming the URL', async () => {
		const server = await localServer([]);
		const {baseURL} = server;
		await servers.pop()!.close();
		const result = await runCli(['-p', 'vllm', '--base-url', baseURL, 'hello']);
		expect(result.code).toBe(1);
		expect(result.stderr).toBe(`llmrace: cannot list models: ${baseURL}/models is unreachable (ECONNREFUSED); is the server running?\n`);
	});
});

describe('mixed races', () => {
	it('races models from two providers with their own base URLs and keys in one command', async () => {
		const first = await localServer(['alpha-1']);
		const second = await localServer(['beta-1', 'beta-2']);
		const dir = tempDir();
		writeFileSync(path.join(dir, 'one.yaml'), `name: one\nbaseURL: ${first.baseURL}\napiKeyEnv: ONE_KEY\nmodels: [{id: alpha-1}]\n`);
		writeFileSync(
			path.join(dir, 'two.yaml'),
			`name: two\nbaseURL: ${second.baseURL}\napiKeyEnv: TWO_KEY\nheaders: {X-Title: llmrace}\nmodels: [{id: beta-1, headers: {HTTP-Referer: 'https://example.test'}}, {id: beta-2}]\n`,
		);
		const result = await runCli(
			['-p', `${path.join(dir, 'one.yaml')},${path.join(dir, 'two.yaml')}`, '-m', 'alpha-1,beta-1', '--json', '--seed', '42', '--temperature', '0.2', 'hello'],
			{env: {ONE_KEY: 'key-one-1234', TWO_KEY: 'key-two-5678'}},
		);
		expect(result.code).toBe(0);
		const transcript = JSON.parse(result.stdout) as Transcript;
		expect(transcript.preset).toBe('one+two');
		expect(transcript.models.map(model => [model.id, model.baseURL])).toEqual([
			['alpha-1', first.baseURL],
			['beta-1', second.baseURL],
		]);
		const [alpha] = first.requests.filter(request => request.url.endsWith('/completions'));
		const [beta] = second.requests.filter(request => request.url.endsWith('/completions'));
		expect(alpha!.headers.authorization).toBe('Bearer key-one-1234');
		expect(beta!.headers.authorization).toBe('Bearer key-two-5678');
		expect(beta!.headers['x-title']).toBe('llmrace');
		expect(beta!.headers['http-referer']).toBe('https://example.test');
		// --seed and --temperature reach real providers; nothing else was sent.
		expect(alpha!.body).toMatchObject({seed: 42, temperature: 0.2, max_tokens: 512});
		expect(second.requests.filter(request => request.url.endsWith('/completions'))).toHaveLength(1);
	});

	it('without --seed no seed is sent; simulated and real presets do not mix', async () => {
		const server = await localServer(['m']);
		const dir = tempDir();
		writeFileSync(path.join(dir, 'p.yaml'), `baseURL: ${server.baseURL}\nmodels: [{id: m}]\n`);
		await runCli(['-p', path.join(dir, 'p.yaml'), '--json', 'hello']);
		expect(server.requests[0]!.body).not.toHaveProperty('seed');
		const mixed = await runCli(['-p', `demo,${path.join(dir, 'p.yaml')}`, 'hello']);
		expect(mixed.code).toBe(2);
		expect(mixed.stderr).toMatch(/^llmrace: cannot race the simulated preset demo together with real providers/);
	});
});

describe('presets', () => {
	it('lists every preset with its models, prices, brackets and whether each key variable is set, never its value', async () => {
		const result = await runCli(['presets'], {env: {OPENAI_API_KEY: 'sk-openai-do-not-print-123', GROQ_API_KEY: '', COLUMNS: '300'}});
		expect(result.code).toBe(0);
		for (const name of [
			'demo',
			'global-api',
			'openai',
			'openrouter',
			'groq',
			'deepseek',
			'together',
			'fireworks',
			'mistral',
			'gemini',
			'anthropic',
			'ollama',
			'vllm',
			'llamacpp',
			'lmstudio',
		]) {
			expect(result.stdout).toMatch(new RegExp(`^${name} `, 'm'));
		}

		expect(result.stdout).toContain('$OPENAI_API_KEY set');
		expect(result.stdout).toContain('$GROQ_API_KEY not set');
		expect(result.stdout).not.toContain('sk-openai-do-not-print-123');
		expect(result.stdout).toMatch(/^ {2}step-3\.5-flash +StepFun +\$0\.15\/M out +ultra-budget +published benchmark of 2026-05-20$/m);
		expect(result.stdout).toMatch(/^ {2}gpt-4o-mini +OpenAI +\$0\.60\/M out +\$0\.15\/M in +mid +genai-prices \d+\.\d+\.\d+$/m);
		expect(result.stdout).toContain('models: discovered from http://localhost:11434/v1/models at race time');
	});

	it('every shipped preset is valid and has no price without a source; every hosted model has one', async () => {
		const {listPresetFiles, readPresetFile} = await import('../../source/io/presets.js');
		const {pricePresets} = await import('../../source/io/price-database.js');
		const files = listPresetFiles({XDG_CONFIG_HOME: tempDir()});
		expect(files.every(file => file.origin === 'shipped')).toBe(true);
		const presets = await pricePresets(await Promise.all(files.map(async file => readPresetFile(file.file))));
		const local = new Set(['ollama', 'vllm', 'llamacpp', 'lmstudio']);
		for (const preset of presets) {
			for (const model of preset.models) {
				expect(model.price.outputPerM === null || Boolean(model.price.source), `${preset.name}: ${model.id}`).toBe(true);
				if (!local.has(preset.name)) {
					expect(model.price.outputPerM, `${preset.name}: ${model.id} has no price`).not.toBeNull();
				}
			}
		}

		// A price written in a preset names where it comes from.
		for (const file of files) {
			const text = readFileSync(file.file, 'utf8');
			const written = text.match(/price: \{[^}]*\}/g) ?? [];
			for (const price of written) {
				expect(price, file.name).toMatch(/source: "[^"]+"/);
			}
		}
	});
});

describe('--insecure', () => {
	it('is off by default (a self-signed server fails) and says so when used', async () => {
		const dir = tempDir();
		const {key, cert} = await testCertificate();
		const tls = createHttpsServer({key, cert}, (request, response) => {
			request.resume();
			request.on('end', () => {
				void streamEvents(response, answerEvents(['secure', ' enough']));
			});
		});
		await new Promise<void>(resolve => {
			tls.listen(0, '127.0.0.1', resolve);
		});
		try {
			const {port} = tls.address() as AddressInfo;
			writeFileSync(path.join(dir, 'tls.yaml'), `baseURL: https://127.0.0.1:${port}/v1\nmodels: [{id: local}]\n`);
			const strict = await runCli(['-p', path.join(dir, 'tls.yaml'), '--json', 'hello']);
			expect(strict.code).toBe(1);
			expect((JSON.parse(strict.stdout) as Transcript).models[0]!.runs[0]!.error!.kind).toBe('network');
			const relaxed = await runCli(['-p', path.join(dir, 'tls.yaml'), '--json', '--insecure', 'hello']);
			expect(relaxed.code).toBe(0);
			expect(relaxed.stderr).toContain('--insecure: TLS certificates are NOT checked');
			expect((JSON.parse(relaxed.stdout) as Transcript).models[0]!.runs[0]!.text).toBe('secure enough');
		} finally {
			tls.closeAllConnections();
			tls.close();
		}
	});
});

describe('llmrace sim', () => {
	it('serves the simulator on a fixed port for other tools until stopped', async () => {
		const {createServer} = await import('node:net');
		const probe = createServer();
		await new Promise<void>(resolve => {
			probe.listen(0, '127.0.0.1', resolve);
		});
		const {port} = probe.address() as AddressInfo;
		await new Promise<void>(resolve => {
			probe.close(() => {
				resolve();
			});
		});
		let answered: unknown;
		const result = await runCli(['sim', '--port', String(port), '--seed', '3'], {
			onStderr() {},
			onStdout(text, child) {
				if (answered === undefined && text.includes('Ctrl-C to stop')) {
					answered = null;
					void (async () => {
						const models = (await (await fetch(`http://127.0.0.1:${port}/v1/models`)).json()) as {data: Array<{id: string}>};
						const completion = (await (
							await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
								method: 'POST',
								body: JSON.stringify({model: 'qwen3-8b', max_tokens: 5, messages: [{role: 'user', content: 'hi'}]}),
							})
						).json()) as {usage: {completion_tokens: number}};
						answered = {models: models.data.length, tokens: completion.usage.completion_tokens};
						child.kill('SIGTERM');
					})();
				}
			},
		});
		expect(result.code).toBe(0);
		expect(result.stdout).toContain(`http://127.0.0.1:${port}/v1`);
		expect(answered).toEqual({models: 15, tokens: 5});
	});
});
