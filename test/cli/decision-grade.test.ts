// Decision-grade figures end to end (issue 13): the built command races loopback servers, saves the
// transcripts, and `compare` / `report` read them. Needs `npm run build` (distribution/cli.js).
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import {createServer as createHttpsServer} from 'node:https';
import {connect, createServer as createNetServer, type AddressInfo, type Server, type Socket} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import type {Comparison} from '../../source/core/stats/compare.js';
import type {Transcript} from '../../source/core/types.js';
import {runCli} from '../helpers/cli.js';
import {answerEvents, streamEvents} from '../helpers/server.js';
import {testCertificate} from '../helpers/tls.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
	for (const cleanup of cleanups.splice(0)) {
		cleanup();
	}
});

function scratch(): string {
	const folder = mkdtempSync(join(tmpdir(), 'llmrace-decide-'));
	cleanups.push(() => {
		rmSync(folder, {recursive: true, force: true});
	});
	return folder;
}

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * An OpenAI-compatible handler listing `ids`, answering each chat request after `firstDelayMs(model)`.
 * Every response closes its connection, so every run connects afresh (its connect is measured each time).
 */
function chatHandler(ids: readonly string[], firstDelayMs: (model: string) => number): Handler {
	return (request, response) => {
		const parts: Buffer[] = [];
		request.on('data', (part: Buffer) => parts.push(part));
		request.on('end', () => {
			response.setHeader('connection', 'close');
			if (request.url?.endsWith('/models')) {
				response.writeHead(200, {'content-type': 'application/json'});
				response.end(JSON.stringify({object: 'list', data: ids.map(id => ({id, object: 'model', owned_by: 'test'}))}));
				return;
			}

			const body = JSON.parse(Buffer.concat(parts).toString('utf8')) as {model: string};
			void streamEvents(
				response,
				answerEvents(['Recursion', ' is', ' a', ' function', ' calling', ' itself'], {prompt_tokens: 3, completion_tokens: 6}),
				3,
				firstDelayMs(body.model),
			);
		});
	};
}

async function listen(server: Server, cleanup: () => void): Promise<number> {
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	cleanups.push(cleanup);
	return (server.address() as AddressInfo).port;
}

async function plainServer(handler: Handler): Promise<string> {
	const server = createServer(handler);
	const port = await listen(server, () => {
		server.closeAllConnections();
		server.close();
	});
	return `http://127.0.0.1:${port}/v1`;
}

/** An HTTPS server behind a TCP relay that holds each new connection 100 ms before passing it on: the TLS handshake ends ≥ 100 ms late. */
async function slowHandshakeServer(handler: Handler, delayMs = 100): Promise<string> {
	const {key, cert} = await testCertificate();
	const tls = createHttpsServer({key, cert}, handler);
	const tlsPort = await listen(tls, () => {
		tls.closeAllConnections();
		tls.close();
	});
	const sockets = new Set<Socket>();
	const relay = createNetServer(client => {
		sockets.add(client);
		client.pause();
		client.on('error', () => {});
		setTimeout(() => {
			const upstream = connect(tlsPort, '127.0.0.1', () => {
				client.pipe(upstream).pipe(client);
				client.resume();
			});
			sockets.add(upstream);
			upstream.on('error', () => client.destroy());
			client.on('close', () => upstream.destroy());
			upstream.on('close', () => client.destroy());
		}, delayMs);
	});
	const port = await listen(relay, () => {
		for (const socket of sockets) {
			socket.destroy();
		}

		relay.close();
	});
	return `https://127.0.0.1:${port}/v1`;
}

/**
 * Race the prompt against `baseURL` and save the transcript to `file`. A preset file names the models
 * (HTTPS: `--base-url` alone would list them with a fetch that --insecure does not reach).
 */
async function raceTo(baseURL: string, file: string, runs: number, ids: readonly string[], extra: readonly string[] = []): Promise<Transcript> {
	const preset = file.replace(/\.json$/, '.yaml');
	writeFileSync(preset, ['name: lab', `baseURL: ${baseURL}`, 'models:', ...ids.map(id => `  - id: ${id}`), ''].join('\n'));
	const result = await runCli(['-p', preset, '--runs', String(runs), '--json', '-o', file, ...extra, 'Explain recursion']);
	expect(result.code, result.stderr).toBe(0);
	return JSON.parse(readFileSync(file, 'utf8')) as Transcript;
}

describe('compare across a slow TLS handshake', () => {
	it('attributes the ~100 ms of a delayed handshake to the network, not to the rest', async () => {
		const folder = scratch();
		const handler = chatHandler(['m1', 'm2'], () => 30);
		const near = await raceTo(await plainServer(handler), join(folder, 'a.json'), 3, ['m1', 'm2']);
		const far = await raceTo(await slowHandshakeServer(handler), join(folder, 'b.json'), 3, ['m1', 'm2'], ['--insecure']);
		// Every timed run connected afresh; over TLS the handshake is its own phase, after the relay's hold.
		for (const model of far.models) {
			for (const run of model.runs) {
				expect(run.status).toBe('ok');
				expect(run.phases).toMatchObject({reused: false});
				expect(run.phases!.tlsMs).toBeGreaterThanOrEqual(95);
			}
		}

		for (const run of near.models.flatMap(model => model.runs)) {
			expect(run.phases).toMatchObject({reused: false, tlsMs: null});
		}

		const json = await runCli(['compare', join(folder, 'a.json'), join(folder, 'b.json'), '--json']);
		expect(json.code).toBe(0);
		const comparison = JSON.parse(json.stdout) as Comparison;
		expect(comparison.rows.map(row => row.id)).toEqual(['m1', 'm2']);
		for (const row of comparison.rows) {
			const [diff] = row.diffs;
			// The hold is a lower bound by construction; the rest is what the two servers did differently, far less.
			expect(diff!.networkMs).toBeGreaterThanOrEqual(90);
			expect(Math.abs(diff!.restMs!)).toBeLessThan(diff!.networkMs!);
			expect(diff!.networkMs! + diff!.restMs!).toBeCloseTo(diff!.diff!, 6);
		}

		const text = await runCli(['compare', join(folder, 'a.json'), join(folder, 'b.json')]);
		expect(text.code).toBe(0);

		expect(text.stdout).toMatch(/model +a \(ms\) +b \(ms\) +diff vs a +network +rest +real\?/);
		expect(text.stdout).toMatch(/^m1 +\d+ +\d+ +\+\d+ \(\+\d+ %\) +\+(9\d|[1-9]\d\d) /m);
		// The report of the far race: connect holds the handshake.
		const report = await runCli(['report', join(folder, 'b.json')]);
		expect(report.stdout).toMatch(/\| m1 \| (9[5-9]|[1-9]\d\d) \| \d+ \| \d+ \| \d+ \| 0 of 3 \|/);
	});
});

describe('photo finish end to end', () => {
	/** Both models' first tokens come after the same spread of delays (30 to 90 ms): a tie the data cannot break. */
	function tiedServer(): Handler {
		const counts = new Map<string, number>();
		return chatHandler(['twin-a', 'twin-b'], model => {
			const count = counts.get(model) ?? 0;
			counts.set(model, count + 1);
			return 30 + ((count * 3) % 5) * 15;
		});
	}

	it('--runs 10 shows ≈ for two models with near-equal TTFT; --runs 1 shows none and says why', async () => {
		const folder = scratch();
		const ten = await raceTo(await plainServer(tiedServer()), join(folder, 'ten.json'), 10, ['twin-a', 'twin-b']);
		expect(ten.models.every(model => model.summary.ok === 10 && model.summary.ttftMs?.ci !== undefined)).toBe(true);
		const tenReport = await runCli(['report', join(folder, 'ten.json')]);
		expect(tenReport.code).toBe(0);
		expect(tenReport.stdout).toMatch(/^\| 1 \| twin-[ab] \|/m);
		expect(tenReport.stdout).toMatch(/^\| ≈2 \| twin-[ab] \|/m);
		expect(tenReport.stdout).toContain('≈: its interval of the median overlaps the one above: at 10 runs the data cannot separate them.');

		await raceTo(await plainServer(tiedServer()), join(folder, 'one.json'), 1, ['twin-a', 'twin-b']);
		const oneReport = await runCli(['report', join(folder, 'one.json')]);
		expect(oneReport.code).toBe(0);
		expect(oneReport.stdout).not.toContain('≈');
		expect(oneReport.stdout).toContain('One run per model cannot separate close models: run with --runs 10 to see which leads are real.');
	});
});
