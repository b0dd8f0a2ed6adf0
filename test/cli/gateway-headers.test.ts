// A gateway that routes by header (as Portkey does): the preset's headers (with ${VAR}), a model's, and
// --header go with every request and with GET /models; secret ones never show; listing errors keep the
// server's words; an HTML error page is said as its title.
import {mkdtempSync, writeFileSync} from 'node:fs';
import {createServer, type IncomingHttpHeaders, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {runCli} from '../helpers/cli.js';

const servers: Server[] = [];
afterEach(async () => {
	for (const server of servers.splice(0)) {
		server.closeAllConnections();
		await new Promise(resolve => {
			server.close(resolve);
		});
	}
});

type Seen = {method: string; url: string; headers: IncomingHttpHeaders};

/** A gateway that answers only requests carrying `x-portkey-provider: openai`; `listing` overrides GET /models. */
async function gateway(listing?: (response: import('node:http').ServerResponse) => void): Promise<{baseURL: string; seen: Seen[]}> {
	const seen: Seen[] = [];
	const server = createServer((request, response) => {
		seen.push({method: request.method ?? '', url: request.url ?? '', headers: request.headers});
		request.resume();
		request.on('end', () => {
			if (request.url === '/v1/models' && listing) {
				listing(response);
				return;
			}

			if (request.headers['x-portkey-provider'] !== 'openai') {
				response.writeHead(400, {'content-type': 'application/json'}).end(JSON.stringify({error: {message: 'x-portkey-provider header is required'}}));
				return;
			}

			if (request.url === '/v1/models') {
				response.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify({object: 'list', data: [{id: 'gw-model'}]}));
				return;
			}

			response.writeHead(200, {'content-type': 'text/event-stream'});
			const event = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`;
			const base = {id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gw-model'};
			response.end(
				event({...base, choices: [{index: 0, delta: {role: 'assistant', content: 'Hello'}, finish_reason: null}]}) +
					event({...base, choices: [{index: 0, delta: {content: ' there'}, finish_reason: 'stop'}]}) +
					event({...base, choices: [], usage: {prompt_tokens: 3, completion_tokens: 2, total_tokens: 5}}) +
					'data: [DONE]\n\n',
			);
		});
	});
	servers.push(server);
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	return {baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, seen};
}

function presetFile(baseURL: string): string {
	const folder = mkdtempSync(path.join(tmpdir(), 'llmrace-gateway-'));
	const file = path.join(folder, 'gateway.yaml');
	writeFileSync(
		file,
		`name: gateway\nbaseURL: ${baseURL}\nmodels: discover\nheaders:\n  x-portkey-provider: openai\n  authorization: "Bearer \${GW_KEY}"\n  x-route: "team-\${GW_TEAM}"\n`,
	);
	return file;
}

describe('gateway headers', () => {
	it("the preset's headers, ${VAR} expanded, and --header go with GET /models and the race; secrets never show", async () => {
		const {baseURL, seen} = await gateway();
		const secret = 'gw-secret-key-123';
		const result = await runCli(['--json', '-p', presetFile(baseURL), '--header', 'X-Trace: abc', '--header', 'x-route: cli-wins', 'hi'], {
			env: {GW_KEY: secret, GW_TEAM: 'blue'},
		});
		expect(result.stderr).not.toContain(secret);
		expect(result.code).toBe(0);
		expect(result.stdout).not.toContain(secret);
		expect(result.stdout).not.toContain('blue');
		expect(seen.map(request => `${request.method} ${request.url}`)).toEqual(['GET /v1/models', 'POST /v1/chat/completions']);
		for (const request of seen) {
			expect(request.headers).toMatchObject({'x-portkey-provider': 'openai', authorization: `Bearer ${secret}`, 'x-trace': 'abc', 'x-route': 'cli-wins'});
		}
	});

	it('an unset variable in a header is a usage error naming it', async () => {
		const {baseURL, seen} = await gateway();
		const result = await runCli(['--json', '-p', presetFile(baseURL), 'hi'], {env: {GW_KEY: 'k', GW_TEAM: ''}});
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/^llmrace: header x-route of preset gateway uses \$\{GW_TEAM\}, which is not set\n/);
		expect(seen).toEqual([]);
	});

	it('--header goes with --base-url (GET /models and the race)', async () => {
		const {baseURL, seen} = await gateway();
		const result = await runCli(['--json', '--base-url', baseURL, '--header', 'x-portkey-provider: openai', 'hi']);
		expect(result.code).toBe(0);
		expect(seen).toHaveLength(2);
		expect(seen.every(request => request.headers['x-portkey-provider'] === 'openai')).toBe(true);
		const bad = await runCli(['--base-url', baseURL, '--header', 'no colon here', 'hi']);
		expect(bad).toMatchObject({code: 2, stderr: "llmrace: invalid value for --header (expected 'Name: value')\n"});
	});

	it("a listing error keeps the server's message; an HTML error page is said as its title", async () => {
		const {baseURL} = await gateway();
		const refused = await runCli(['--base-url', baseURL, 'hi']);
		expect(refused.code).toBe(1);
		expect(refused.stderr).toContain(`cannot list models: GET ${baseURL}/models answered HTTP 400: x-portkey-provider header is required`);
		const nginx = await gateway(response => {
			response
				.writeHead(502, {'content-type': 'text/html'})
				.end(
					'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
				);
		});
		const html = await runCli(['--base-url', nginx.baseURL, 'hi']);
		expect(html.code).toBe(1);
		expect(html.stderr).toContain('answered HTTP 502: 502 Bad Gateway (an HTML page)');
		expect(html.stderr).not.toContain('<');
	});
});
