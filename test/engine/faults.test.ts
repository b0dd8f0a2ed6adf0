// One race that meets every fault at once: each model's failure stays its own, nothing retried, nothing leaked.
import {createServer as createHttpsServer} from 'node:https';
import type {AddressInfo, LookupFunction} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {defaultBrackets} from '../../source/core/presets/brackets.js';
import {startRace} from '../../source/core/race/race.js';
import {streamOnce} from '../../source/core/http/stream.js';
import {parseTranscript} from '../../source/core/transcript/read.js';
import {transcriptToJson} from '../../source/core/transcript/build.js';
import {redact} from '../../source/core/text/redact.js';
import type {ModelSpec} from '../../source/core/types.js';
import {countTokens, modelAt} from '../helpers/models.js';
import {answerEvents, chunk, openStream, send, sleep, startServer, streamEvents, type TestServer} from '../helpers/server.js';
import {testCertificate} from '../helpers/tls.js';

const key = 'sk-test-FAULTS-0123456789abcdef';
let server: TestServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

describe('every fault in one race', () => {
	it('classifies each, keeps what arrived, races the rest, retries nothing and leaks no key', async () => {
		server = await startServer(async (request, response) => {
			const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
				response.writeHead(status, {'content-type': 'application/json', ...headers});
				response.end(JSON.stringify(body));
			};

			switch (request.body['model']) {
				case 'auth': {
					json(401, {error: {message: `Incorrect API key provided: ${key}`}});
					break;
				}

				case 'missing': {
					json(404, {error: {message: 'The model does not exist', code: 'model_not_found'}});
					break;
				}

				case 'limited': {
					json(429, {error: {message: 'Rate limit reached'}}, {'retry-after': '30'});
					break;
				}

				case 'bad': {
					json(400, {error: {message: 'max_tokens is too large'}});
					break;
				}

				case 'gateway': {
					response.writeHead(502, {'content-type': 'text/html'});
					response.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
					break;
				}

				case 'html': {
					response.writeHead(200, {'content-type': 'text/html'});
					response.end('<!doctype html><title>Login</title>');
					break;
				}

				case 'malformed': {
					openStream(response);
					send(response, chunk({content: 'Before the break'}));
					await sleep(20);
					response.end('data: {not json}\n\n');
					break;
				}

				case 'reset': {
					openStream(response);
					send(response, chunk({content: 'Cut here'}));
					await sleep(20);
					response.socket?.destroy();
					break;
				}

				case 'stall': {
					openStream(response);
					send(response, chunk({content: 'Then silence'}));
					break;
				}

				case 'silent': {
					break;
				}

				case 'endless': {
					openStream(response);
					for (let index = 0; index < 500 && !response.destroyed; index++) {
						send(response, chunk({content: ' more'}));
						await sleep(0);
					}

					response.end();
					break;
				}

				default: {
					await streamEvents(response, answerEvents(['All', ' good'], {prompt_tokens: 3, completion_tokens: 2}));
				}
			}
		});
		const ids = ['auth', 'missing', 'limited', 'bad', 'gateway', 'html', 'malformed', 'reset', 'stall', 'silent', 'endless', 'good'];
		const models: ModelSpec[] = ids.map(id => modelAt(server!.baseURL, {id, name: id, apiKeyEnv: 'TEST_KEY'}));
		const race = startRace({
			models,
			prompt: 'Explain recursion',
			settings: {runs: 1, warmup: 0, maxTokens: 10, temperature: null, concurrency: null, timeoutMs: 1500, seed: null},
			preset: {name: 'faults', simulated: false, brackets: defaultBrackets},
			region: null,
			toolVersion: 'test',
			countTokens,
			apiKeyOf: () => key,
			idleTimeoutMs: 300,
		});
		const transcript = await race.done;
		const run = (id: string) => transcript.models.find(model => model.id === id)!.runs[0]!;
		expect(run('auth')).toMatchObject({status: 'error', error: {kind: 'auth', status: 401}});
		expect(run('auth').error!.message).toContain('(API key from $TEST_KEY)');
		expect(run('missing').error).toMatchObject({kind: 'not_found', status: 404});
		expect(run('missing').error!.message).toContain('model "missing"');
		expect(run('limited').error).toMatchObject({kind: 'rate_limit', status: 429, retryAfterSeconds: 30});
		expect(run('bad').error).toMatchObject({kind: 'bad_request', status: 400, message: 'max_tokens is too large'});
		expect(run('gateway').error).toMatchObject({kind: 'server', status: 502});
		expect(run('gateway').error!.message).toContain('502 Bad Gateway');
		expect(run('html').error).toMatchObject({kind: 'protocol', status: null});
		expect(run('html').error!.message).toContain('<!doctype html>');
		expect(run('malformed')).toMatchObject({status: 'error', error: {kind: 'protocol'}, text: 'Before the break'});
		expect(run('reset')).toMatchObject({status: 'error', error: {kind: 'network'}, text: 'Cut here'});
		expect(run('stall')).toMatchObject({status: 'timeout', error: {kind: 'timeout'}, text: 'Then silence'});
		expect(run('stall').error!.message).toMatch(/stalled/);
		expect(run('silent')).toMatchObject({status: 'timeout', error: {kind: 'timeout'}});
		expect(run('silent').error!.message).toMatch(/no response headers within 1\.5 s/);
		expect(run('endless')).toMatchObject({status: 'ok', truncated: true});
		expect(run('endless').chunks.length).toBe(41);
		expect(run('good')).toMatchObject({status: 'ok', text: 'All good', outputTokens: 2});
		// Exactly one request per model: nothing retried behind the user's back.
		expect(server.requests.map(request => request.body['model']).sort()).toEqual([...ids].sort());
		// Every request carried the key, and none of what was recorded does.
		expect(server.requests.every(request => request.headers.authorization === `Bearer ${key}`)).toBe(true);
		const json = transcriptToJson(transcript);
		expect(json).not.toContain(key);
		expect(parseTranscript(redact(json, [key]), 'faults.json').models).toHaveLength(ids.length);
	});
});

describe('network failures name the host', () => {
	it('a TLS certificate the client cannot verify is a network error', async () => {
		const {key, cert} = await testCertificate();
		const tls = createHttpsServer({key, cert}, (_request, response) => {
			response.end();
		});
		await new Promise<void>(resolve => {
			tls.listen(0, '127.0.0.1', resolve);
		});
		try {
			const {port} = tls.address() as AddressInfo;
			const record = await streamOnce({
				model: modelAt(`https://127.0.0.1:${port}/v1`),
				apiKey: null,
				prompt: 'p',
				maxTokens: 4,
				temperature: null,
				timeoutMs: 5000,
				idleTimeoutMs: 5000,
				index: 0,
				warmup: false,
				countTokens,
				noUsageOption: new Set(),
			});
			expect(record.error?.kind).toBe('network');
			expect(record.error?.message).toMatch(/TLS failure: .*certificate/i);
			expect(record.error?.message).toContain(`127.0.0.1:${port}`);
		} finally {
			tls.closeAllConnections();
			tls.close();
		}
	});

	it('a DNS failure is a network error naming the host (the real node:http path, fed a failing lookup: no query leaves the machine)', async () => {
		const asked: string[] = [];
		const failingLookup: LookupFunction = (hostname, _options, callback) => {
			asked.push(hostname);
			setImmediate(() => {
				callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {code: 'ENOTFOUND', hostname, syscall: 'getaddrinfo'}), '', 0);
			});
		};

		let written = 0;
		const record = await streamOnce({
			model: modelAt('https://api.example.invalid/v1'),
			apiKey: null,
			prompt: 'p',
			maxTokens: 4,
			temperature: null,
			timeoutMs: 5000,
			idleTimeoutMs: 5000,
			index: 0,
			warmup: false,
			countTokens,
			noUsageOption: new Set(),
			lookup: failingLookup,
			onWritten() {
				written++;
			},
		});
		expect(asked).toEqual(['api.example.invalid']);
		expect(written).toBeGreaterThan(0);
		expect(record.status).toBe('error');
		expect(record.error).toEqual({kind: 'network', status: null, message: 'host not found (DNS) (ENOTFOUND) — api.example.invalid'});
		expect(record.reconnected).toBe(false);
		expect(record.phases).toMatchObject({dnsMs: null, connectMs: null, headersMs: null, reused: false});
	});
});
