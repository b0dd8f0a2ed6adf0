// Bounded memory, whatever a server sends (docs/untrusted-text.md): a 600 MB line, a 200 MB error page and an endless
// stream each end as a clear failure, with the client's peak RSS under 300 MB. The client runs in a child
// process (the built engine from distribution/), so its RSS is its own; the hostile server runs here.
import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {fileURLToPath} from 'node:url';
import {afterEach, describe, expect, it} from 'vitest';
import type {RunRecord} from '../../source/core/types.js';
import {chunk, pour, send, startServer, type TestServer} from '../helpers/server.js';

const distribution = fileURLToPath(new URL('../../distribution/', import.meta.url));
const limitBytes = 300 * 1024 * 1024;

let server: TestServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

type ChildReport = {readonly peakRssBytes: number; readonly record: RunRecord};

/** One streamOnce against `baseURL` in a child process that samples its own RSS every 20 ms. */
async function raceInChild(baseURL: string, maxTokens = 512): Promise<ChildReport> {
	const script = `
		const {streamOnce} = await import(${JSON.stringify(`${distribution}core/http/stream.js`)});
		const {loadTokenCounter} = await import(${JSON.stringify(`${distribution}core/meter/tokens.js`)});
		const countTokens = await loadTokenCounter();
		let peakRssBytes = process.memoryUsage().rss;
		const sample = () => { peakRssBytes = Math.max(peakRssBytes, process.memoryUsage().rss); };
		const timer = setInterval(sample, 20);
		const record = await streamOnce({
			model: {id: 'hostile', name: 'hostile', provider: null, baseURL: ${JSON.stringify(baseURL)}, apiKeyEnv: null, headers: {},
				price: {inputPerM: null, outputPerM: null}, reasoning: false, reference: null},
			apiKey: null, prompt: 'p', maxTokens: ${maxTokens}, temperature: null, timeoutMs: 60000, idleTimeoutMs: 60000,
			index: 0, warmup: false, countTokens, noUsageOption: new Set(),
		});
		sample();
		clearInterval(timer);
		process.stdout.write(JSON.stringify({peakRssBytes, record: {...record, text: record.text.slice(0, 100), textLength: record.text.length, chunks: []}}));
	`;
	const child = spawn(process.execPath, ['--input-type=module', '-e', script], {stdio: ['ignore', 'pipe', 'pipe']});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (data: Buffer) => {
		stdout += data.toString();
	});
	child.stderr.on('data', (data: Buffer) => {
		stderr += data.toString();
	});
	const [code] = (await once(child, 'exit')) as [number];
	expect(stderr).toBe('');
	expect(code).toBe(0);
	return JSON.parse(stdout) as ChildReport;
}

describe('a hostile server cannot exhaust memory', () => {
	it('a 600 MB line without a newline is a protocol error naming the limit; the text before it is kept', async () => {
		let written = 0;
		server = await startServer(async (_request, response) => {
			response.writeHead(200, {'content-type': 'text/event-stream'});
			send(response, chunk({content: 'Before'}));
			response.write('data: {"choices":[{"delta":{"content":"');
			written = await pour(response, 'x'.repeat(64 * 1024), 600 * 1024 * 1024);
		});
		const {peakRssBytes, record} = await raceInChild(server.baseURL);
		expect(record.status).toBe('error');
		expect(record.error).toMatchObject({kind: 'protocol', status: null});
		expect(record.error!.message).toContain('1 MiB');
		expect(record.text).toBe('Before');
		expect(peakRssBytes).toBeLessThan(limitBytes);
		// The client hung up long before the server was through.
		expect(written).toBeLessThan(300 * 1024 * 1024);
	});

	it('a 200 MB HTML error body is read up to 64 KiB: a server error showing its first bytes', async () => {
		let written = 0;
		server = await startServer(async (_request, response) => {
			response.writeHead(502, {'content-type': 'text/html'});
			response.write('<html><head><title>502 Bad Gateway</title></head><body>');
			written = await pour(response, '<p>nothing to see here</p>'.repeat(2048), 200 * 1024 * 1024);
		});
		const {peakRssBytes, record} = await raceInChild(server.baseURL);
		expect(record.status).toBe('error');
		expect(record.error).toMatchObject({kind: 'server', status: 502});
		expect(record.error!.message).toContain('502 Bad Gateway');
		expect(record.error!.message.length).toBeLessThanOrEqual(300);
		expect(peakRssBytes).toBeLessThan(limitBytes);
		expect(written).toBeLessThan(100 * 1024 * 1024);
	});

	it('a never-ending stream of 1 MB writes is cut at the kept-text cap and flagged truncated', async () => {
		let written = 0;
		server = await startServer(async (_request, response) => {
			response.writeHead(200, {'content-type': 'text/event-stream'});
			// Each event carries 1 KB of words, and never a finish_reason.
			const event = `data: ${JSON.stringify(chunk({content: 'endless '.repeat(128)}))}\n\n`;
			written = await pour(response, event.repeat(Math.floor((1024 * 1024) / event.length)), Number.POSITIVE_INFINITY);
		});
		const maxTokens = 512;
		const {peakRssBytes, record} = await raceInChild(server.baseURL, maxTokens);
		expect(record.status).toBe('ok');
		expect(record.truncated).toBe(true);
		expect(record.flags).toContain('truncated');
		const kept = (record as RunRecord & {textLength: number}).textLength;
		expect(kept).toBeGreaterThan(64 * 4 * maxTokens);
		expect(kept).toBeLessThanOrEqual(64 * 4 * maxTokens + 1024);
		expect(peakRssBytes).toBeLessThan(limitBytes);
		expect(written).toBeLessThan(100 * 1024 * 1024);
	});
});
