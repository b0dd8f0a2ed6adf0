// `--base-url` says what was raced: without -p, what the server lists, labelled by its host; with an
// explicit simulated preset, a usage error. Against a real loopback server with GET /v1/models.
import {afterEach, describe, expect, it} from 'vitest';
import type {Transcript} from '../../source/core/types.js';
import {runCli} from '../helpers/cli.js';
import {answerEvents, startServer, streamEvents, type TestServer} from '../helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

async function localServer(ids: readonly string[]): Promise<TestServer> {
	server = await startServer(async (request, response) => {
		if (request.url.endsWith('/models')) {
			response.writeHead(200, {'content-type': 'application/json'});
			response.end(JSON.stringify({object: 'list', data: ids.map(id => ({id, object: 'model', owned_by: 'llamacpp'}))}));
			return;
		}

		await streamEvents(response, answerEvents([`${String(request.body['model'])} says`, ' hi'], {prompt_tokens: 3, completion_tokens: 2}));
	});
	return server;
}

const chatRequests = (test: TestServer) => test.requests.filter(request => request.url.endsWith('/chat/completions'));

describe('--base-url without -p', () => {
	it('races every model the server lists, labelled by the URL\'s host, never "demo"', async () => {
		const test = await localServer(['llama-3.2-3b-instruct', 'qwen2.5-7b']);
		const {host} = new URL(test.baseURL);
		const result = await runCli(['--base-url', test.baseURL, '--json', 'hello']);
		expect(result.code).toBe(0);
		const transcript = JSON.parse(result.stdout) as Transcript;
		expect(transcript).toMatchObject({preset: host, simulated: false});
		expect(transcript.models.map(model => model.id)).toEqual(['llama-3.2-3b-instruct', 'qwen2.5-7b']);
		expect(transcript.models.map(model => model.runs[0]!.text)).toEqual(['llama-3.2-3b-instruct says hi', 'qwen2.5-7b says hi']);
		// What was sent: the listed ids, to that server, once each.
		expect(
			chatRequests(test)
				.map(request => request.body['model'])
				.sort(),
		).toEqual(['llama-3.2-3b-instruct', 'qwen2.5-7b']);
		expect(result.stderr).toContain(`(preset ${host})`);
		expect(result.stderr).not.toMatch(/demo|simulated/i);
	});

	it('-m picks among the listed models; the plain table names the host', async () => {
		const test = await localServer(['alpha', 'beta']);
		const result = await runCli(['--base-url', test.baseURL, '-m', 'beta', 'hello']);
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('beta');
		expect(result.stdout).not.toMatch(/\balpha\b/);
		expect(chatRequests(test).map(request => request.body['model'])).toEqual(['beta']);
		expect(result.stderr).toContain(`racing 1 model (preset ${new URL(test.baseURL).host})`);
	});

	it('a model the server does not list is a usage error naming the listed ones', async () => {
		const test = await localServer(['alpha', 'beta']);
		const result = await runCli(['--base-url', test.baseURL, '-m', 'gamma', 'hello']);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/^llmrace: unknown model "gamma" in preset 127\.0\.0\.1:\d+\nvalid: alpha, beta/);
		expect(chatRequests(test)).toEqual([]);
	});
});

describe('--base-url with an explicit simulated preset', () => {
	it('is a usage error naming the conflict (exit 2), and nothing is sent', async () => {
		const test = await localServer(['alpha']);
		const result = await runCli(['-p', 'demo', '--base-url', test.baseURL, 'hello']);
		expect(result.code).toBe(2);
		expect(result.stdout).toBe('');
		const [first, second, ...rest] = result.stderr.split('\n').filter(Boolean);
		expect(first).toBe(`llmrace: --base-url cannot go with the simulated preset demo: it would race demo's model ids and prices against ${test.baseURL}`);
		expect(second).toMatch(/^leave out -p to race what that server lists/);
		expect(rest).toEqual([]);
		expect(test.requests).toEqual([]);
	});

	it("a real preset with --base-url still races that preset's models there", async () => {
		const test = await localServer(['phi4']);
		const result = await runCli(['-p', 'ollama', '--base-url', test.baseURL, '--json', 'hello']);
		expect(result.code).toBe(0);
		expect((JSON.parse(result.stdout) as Transcript).preset).toBe('ollama');
	});
});
