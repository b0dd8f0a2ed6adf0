// Issue 15 item 4, end to end: the whole binary (main thread, engine worker, transcript), not only streamOnce
// (test/engine/memory.test.ts), raced against a server that sends a 600 MB line, one 600 MB event of short data
// lines, a 200 MB HTML error page, or an endless stream. Each ends as a clear error or a cut run, and the process's
// peak RSS (getrusage's maxRSS, which counts every thread, written by a preload as the CLI exits) stays under 300 MB.
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import type {ServerResponse} from 'node:http';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import type {RunRecord, Transcript} from '../../source/core/types.js';
import {runCli} from '../helpers/cli.js';
import {chunk, pour, send, startServer, type TestServer} from '../helpers/server.js';

const limitBytes = 300 * 1024 * 1024;

let server: TestServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

type Case = {
	readonly name: string;
	readonly respond: (response: ServerResponse) => Promise<number>;
	readonly expectRun: (run: RunRecord) => void;
	readonly exitCode: number;
};

const cases: readonly Case[] = [
	{
		name: 'a 600 MB line without a newline: protocol error naming 1 MiB, the text before it kept',
		async respond(response) {
			response.writeHead(200, {'content-type': 'text/event-stream'});
			send(response, chunk({content: 'Before'}));
			response.write('data: {"choices":[{"delta":{"content":"');
			return pour(response, 'x'.repeat(64 * 1024), 600 * 1024 * 1024);
		},
		expectRun(run) {
			expect(run.error).toMatchObject({kind: 'protocol'});
			expect(run.error!.message).toContain('1 MiB');
			expect(run.text).toBe('Before');
		},
		exitCode: 1,
	},
	{
		name: 'one 600 MB event of 1 KB data lines, never a blank line: protocol error naming 1 MiB',
		async respond(response) {
			response.writeHead(200, {'content-type': 'text/event-stream'});
			send(response, chunk({content: 'Before'}));
			return pour(response, `data: ${'y'.repeat(1018)}\n`.repeat(64), 600 * 1024 * 1024);
		},
		expectRun(run) {
			expect(run.error).toMatchObject({kind: 'protocol'});
			expect(run.error!.message).toContain('1 MiB');
			expect(run.text).toBe('Before');
		},
		exitCode: 1,
	},
	{
		name: 'a 200 MB HTML error page: a server error with its first bytes',
		async respond(response) {
			response.writeHead(502, {'content-type': 'text/html'});
			response.write('<html><head><title>502 Bad Gateway</title></head><body>');
			return pour(response, '<p>nothing to see here</p>'.repeat(2048), 200 * 1024 * 1024);
		},
		expectRun(run) {
			expect(run.error).toMatchObject({kind: 'server', status: 502});
			expect(run.error!.message).toContain('502 Bad Gateway');
		},
		exitCode: 1,
	},
	{
		name: 'an endless stream of 1 MB writes: cut at the kept-text cap, flagged truncated',
		async respond(response) {
			response.writeHead(200, {'content-type': 'text/event-stream'});
			const event = `data: ${JSON.stringify(chunk({content: 'endless '.repeat(128)}))}\n\n`;
			return pour(response, event.repeat(Math.floor((1024 * 1024) / event.length)), Number.POSITIVE_INFINITY);
		},
		expectRun(run) {
			expect(run.status).toBe('ok');
			expect(run.flags).toContain('truncated');
			expect(run.text.length).toBeLessThanOrEqual(64 * 4 * 512 + 1024);
		},
		exitCode: 0,
	},
];

describe('the whole binary against a server that would exhaust its memory', () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'llmrace-memory-'));
	const preload = path.join(dir, 'peak-rss.cjs');
	// maxRSS is in KiB (getrusage): the peak of the whole process, worker threads included.
	writeFileSync(
		preload,
		`
		const {isMainThread} = require('node:worker_threads');
		if (isMainThread) process.on('exit', () => require('node:fs').writeFileSync(process.env.LLMRACE_PEAK_RSS_FILE, String(process.resourceUsage().maxRSS * 1024)));
	`,
	);

	for (const [index, testCase] of cases.entries()) {
		it(`${testCase.name}; peak RSS under 300 MB`, async () => {
			let written = 0;
			server = await startServer(async (request, response) => {
				if (request.url.endsWith('/models')) {
					response.writeHead(200, {'content-type': 'application/json'});
					response.end(JSON.stringify({object: 'list', data: [{id: 'hostile', object: 'model'}]}));
					return;
				}

				written = await testCase.respond(response);
			});
			const rssFile = path.join(dir, `rss-${index}.txt`);
			const result = await runCli(['--base-url', server.baseURL, '--json', '--max-tokens', '512', 'hi'], {
				cwd: dir,
				env: {NODE_OPTIONS: `--require ${preload}`, LLMRACE_PEAK_RSS_FILE: rssFile},
			});
			expect(result.stderr).not.toMatch(/Error:|at .*\.js:\d+/);
			expect(result.code).toBe(testCase.exitCode);
			const transcript = JSON.parse(result.stdout) as Transcript;
			expect(transcript.models).toHaveLength(1);
			testCase.expectRun(transcript.models[0]!.runs[0]!);
			const peakRssBytes = Number(readFileSync(rssFile, 'utf8'));
			expect(peakRssBytes).toBeGreaterThan(10 * 1024 * 1024);
			expect(peakRssBytes).toBeLessThan(limitBytes);
			// The client hung up long before the server was through.
			expect(written).toBeLessThan(300 * 1024 * 1024);
		});
	}
});
