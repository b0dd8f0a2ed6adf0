// Connections as real servers keep them: llama-server's close after every stream, idle timeouts,
// one fresh resend of a request that died on a stale kept-alive socket (and only then), and the
// phases of each request from its socket's own events.
import {createServer as createHttpsServer} from 'node:https';
import type {LookupFunction} from 'node:net';
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';
import {createSecureContext} from 'node:tls';
import {afterEach, describe, expect, it} from 'vitest';
import {defaultBrackets} from '../../source/core/presets/brackets.js';
import {startRace} from '../../source/core/race/race.js';
import {streamOnce, type StreamOptions} from '../../source/core/http/stream.js';
import type {RunMeter} from '../../source/core/meter/meter.js';
import type {ModelSpec, RunRecord, Transcript} from '../../source/core/types.js';
import {countTokens, modelAt, streamOptions} from '../helpers/models.js';
import {runCli} from '../helpers/cli.js';
import {
	answerEvents,
	rawJsonResponse,
	rawStreamResponse,
	sleep,
	startRawServer,
	startServer,
	streamEvents,
	type RawServer,
	type TestServer,
} from '../helpers/server.js';
import {testCertificate} from '../helpers/tls.js';

let raw: RawServer | undefined;
let server: TestServer | undefined;
const cleanups: Array<() => void> = [];
afterEach(async () => {
	await raw?.close();
	await server?.close();
	raw = undefined;
	server = undefined;
	for (const cleanup of cleanups.splice(0)) {
		cleanup();
	}
});

function once(model: ModelSpec, extra: Partial<StreamOptions> = {}): Promise<RunRecord> {
	return streamOnce(streamOptions(model, extra));
}

/** Resolves every name to 127.0.0.1, a turn later (as a real resolver would), without any DNS query. */
const loopbackLookup: LookupFunction = (_hostname, options, callback) => {
	setImmediate(() => {
		if ((options as {all?: boolean}).all) {
			(callback as unknown as (error: null, addresses: Array<{address: string; family: number}>) => void)(null, [{address: '127.0.0.1', family: 4}]);
		} else {
			callback(null, '127.0.0.1', 4);
		}
	});
};

/** Where not null, the phases are in the order they happen, and before the first token. */
function expectOrdered(record: RunRecord): void {
	const {phases} = record;
	expect(phases).not.toBeNull();
	const sequence = [phases!.dnsMs, phases!.connectMs, phases!.tlsMs, phases!.sentMs, phases!.headersMs, record.ttftMs].filter(
		(value): value is number => value !== null,
	);
	expect(sequence.length).toBeGreaterThanOrEqual(3);
	expect(sequence[0]).toBeGreaterThanOrEqual(0);
	for (let index = 1; index < sequence.length; index++) {
		expect(sequence[index]).toBeGreaterThanOrEqual(sequence[index - 1]!);
	}
}

describe('a server that closes every connection right after the last chunk (llama-server)', () => {
	const llama = async () =>
		startRawServer((socket, _nth) => {
			// Keep-alive advertised, no `Connection: close`, and the connection closed as soon as the last byte is out.
			socket.write(rawStreamResponse(['Hello', ' there']), () => {
				socket.destroy();
			});
		});

	it('loses no run of 10 back to back, and sees exactly one request per run', async () => {
		raw = await llama();
		const records: RunRecord[] = [];
		for (let index = 0; index < 10; index++) {
			records.push(await once(modelAt(raw.baseURL), {index}));
		}

		expect(records.map(record => record.status)).toEqual(Array.from({length: 10}, () => 'ok'));
		expect(records.every(record => record.text === 'Hello there')).toBe(true);
		expect(raw.requests).toHaveLength(10);
		// Every request that reached the server came on a connection of its own.
		expect(new Set(raw.requests.map(request => request.connection)).size).toBe(10);
	});

	it('loses no run of 4 models × 3 runs through the race', async () => {
		raw = await llama();
		const models = ['a', 'b', 'c', 'd'].map(id => modelAt(raw!.baseURL, {id, name: id}));
		const transcript = await startRace({
			models,
			prompt: 'Explain recursion',
			settings: {runs: 3, warmup: 0, maxTokens: 16, temperature: null, concurrency: null, timeoutMs: 10_000, seed: null},
			preset: {name: 'llama', simulated: false, brackets: defaultBrackets},
			region: null,
			toolVersion: 'test',
			countTokens,
			apiKeyOf: () => null,
		}).done;
		expect(transcript.models.flatMap(model => model.runs.map(run => run.status))).toEqual(Array.from({length: 12}, () => 'ok'));
		expect(raw.requests).toHaveLength(12);
		expect(raw.requests.map(request => request.body['model']).sort()).toEqual(['a', 'a', 'a', 'b', 'b', 'b', 'c', 'c', 'c', 'd', 'd', 'd']);
	});
});

describe('llmrace -p llamacpp --runs 10 against it (the built command)', () => {
	it('loses no run, though every reuse of a connection that streamed is reset', async () => {
		// The worst case of llama-server's habit, made certain: a connection that carried a stream is dead to
		// every later request on it (reset, unanswered), however soon or late the client comes back.
		const streamed = new WeakSet<object>();
		let answered = 0;
		raw = await startRawServer((socket, _nth, _body, requestLine) => {
			if (streamed.has(socket)) {
				socket.resetAndDestroy();
				return;
			}

			if (requestLine.startsWith('GET')) {
				socket.write(rawJsonResponse({object: 'list', data: [{id: 'local-gguf', object: 'model'}]}));
				return;
			}

			streamed.add(socket);
			answered++;
			socket.write(rawStreamResponse(['Hello', ' there']));
		});
		const result = await runCli(['-p', 'llamacpp', '--base-url', raw.baseURL, '--runs', '10', '--json', 'Explain recursion']);
		expect(result.stderr, result.stderr).not.toMatch(/network|ECONNRESET|connection reset/i);
		expect(result.code).toBe(0);
		const transcript = JSON.parse(result.stdout) as Transcript;
		const runs = transcript.models.flatMap(model => model.runs);
		expect(runs.map(run => run.status)).toEqual(Array.from({length: 10}, () => 'ok'));
		// One streamed answer per run; the requests that died on a used connection never got one.
		expect(answered).toBe(10);
		expect(runs.filter(run => run.reconnected).length).toBeGreaterThan(0);
	});
});

describe('a server that closes idle connections after its Keep-Alive timeout', () => {
	/** A server that forgets a connection after `timeoutS` idle without telling the client (no FIN: as if the close were lost): a request on it is reset, unanswered. */
	const forgetful = async (timeoutS: number) => {
		const lastUse = new Map<object, number>();
		return startRawServer(socket => {
			const idle = lastUse.has(socket) ? performance.now() - lastUse.get(socket)! : 0;
			if (idle >= timeoutS * 1000) {
				socket.resetAndDestroy();
				return;
			}

			socket.write(rawStreamResponse(['Still', ' here'], `timeout=${timeoutS}`));
			lastUse.set(socket, performance.now());
		});
	};

	for (const [timeoutS, idleMs] of [
		[1, 1500],
		[2, 2500],
	] as const) {
		it(`Keep-Alive: timeout=${timeoutS}: a run after ${idleMs / 1000} s idle is ok, on a fresh connection (the stale socket is never handed out)`, async () => {
			raw = await forgetful(timeoutS);
			const first = await once(modelAt(raw.baseURL));
			expect(first.status).toBe('ok');
			await sleep(idleMs);
			const second = await once(modelAt(raw.baseURL));
			expect(second.status).toBe('ok');
			expect(second.reconnected).toBe(false);
			expect(second.phases?.reused).toBe(false);
			expect(raw.requests).toHaveLength(2);
			expect(raw.connections()).toBe(2);
		});
	}

	it('a socket well inside the timeout is reused', async () => {
		raw = await startRawServer(socket => {
			socket.write(rawStreamResponse(['Again'], 'timeout=5, max=100'));
		});
		await once(modelAt(raw.baseURL));
		const second = await once(modelAt(raw.baseURL));
		expect(second.status).toBe('ok');
		expect(second.phases?.reused).toBe(true);
		expect(raw.connections()).toBe(1);
	});
});

describe('a request that dies on a stale kept-alive socket', () => {
	it('is sent again once, fresh, with its own t0, and the run says so', async () => {
		// The second request on a connection is held 600 ms and then reset, unanswered; a fresh connection works.
		raw = await startRawServer((socket, nth) => {
			if (nth === 0) {
				socket.write(rawStreamResponse(['Fine']));
			} else {
				setTimeout(() => {
					socket.resetAndDestroy();
				}, 600);
			}
		});
		const model = modelAt(raw.baseURL);
		expect((await once(model)).status).toBe('ok');
		const sends: number[] = [];
		const started = performance.now();
		const record = await once(model, {
			onSend(t0) {
				sends.push(t0);
			},
		});
		const elapsed = performance.now() - started;
		expect(record.status).toBe('ok');
		expect(record.reconnected).toBe(true);
		expect(record.text).toBe('Fine');
		expect(sends).toHaveLength(2);
		expect(sends[1]! - sends[0]!).toBeGreaterThanOrEqual(595);
		// The 600 ms lost on the dead socket belong to no run: the TTFT and the total are timed from the resend.
		expect(elapsed).toBeGreaterThanOrEqual(595);
		expect(record.ttftMs).toBeLessThan(600);
		expect(record.totalMs).toBeLessThan(elapsed - 595);
		expect(record.phases).toMatchObject({reused: false});
		expect(record.phases!.connectMs).not.toBeNull();
		expectOrdered(record);
		expect(raw.requests.map(request => request.connection)).toEqual([0, 0, 1]);
	});

	it('a failure on a fresh connection is not sent again', async () => {
		raw = await startRawServer(socket => {
			socket.resetAndDestroy();
		});
		const record = await once(modelAt(raw.baseURL));
		expect(record.status).toBe('error');
		expect(record.error?.kind).toBe('network');
		expect(record.reconnected).toBe(false);
		expect(raw.requests).toHaveLength(1);
		expect(raw.connections()).toBe(1);
	});

	it('a reset after response bytes on a reused socket is not sent again', async () => {
		raw = await startRawServer((socket, nth) => {
			if (nth === 0) {
				socket.write(rawStreamResponse(['Fine']));
			} else {
				// Half a response head, then the reset: bytes arrived, so the request may have reached the model.
				socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/event-', () => {
					setTimeout(() => {
						socket.resetAndDestroy();
					}, 30);
				});
			}
		});
		const model = modelAt(raw.baseURL);
		expect((await once(model)).status).toBe('ok');
		const record = await once(model);
		expect(record.status).toBe('error');
		expect(record.error?.kind).toBe('network');
		expect(record.reconnected).toBe(false);
		expect(raw.requests).toHaveLength(2);
		expect(raw.connections()).toBe(1);
	});
});

describe('phases, from the socket’s own events', () => {
	it('a fresh connection to an IP: connect, sent, headers, in order; no DNS, no TLS', async () => {
		server = await startServer(async (_request, response) => streamEvents(response, answerEvents(['one', ' two']), 5, 30));
		const record = await once(modelAt(server.baseURL));
		expect(record.status).toBe('ok');
		expect(record.phases).toMatchObject({dnsMs: null, tlsMs: null, reused: false});
		expect(record.phases!.connectMs).not.toBeNull();
		expect(record.phases!.sentMs).not.toBeNull();
		expect(record.phases!.headersMs).not.toBeNull();
		expectOrdered(record);
	});

	it('a reused connection: no DNS, connect or TLS; sent and headers in order', async () => {
		server = await startServer(async (_request, response) => streamEvents(response, answerEvents(['one'])));
		const model = modelAt(server.baseURL);
		await once(model);
		const record = await once(model);
		expect(record.phases).toMatchObject({dnsMs: null, connectMs: null, tlsMs: null, reused: true});
		expectOrdered(record);
	});

	it('a host name: the lookup is a phase of its own, before connect', async () => {
		server = await startServer(async (_request, response) => streamEvents(response, answerEvents(['named'])));
		const {port} = new URL(server.baseURL);
		const record = await once(modelAt(`http://phases.llmrace.test:${port}/v1`), {lookup: loopbackLookup});
		expect(record.status).toBe('ok');
		expect(record.phases!.dnsMs).not.toBeNull();
		expect(record.phases!.connectMs).not.toBeNull();
		expectOrdered(record);
	});

	it('HTTPS: the TLS handshake is a phase, and a 100 ms slow handshake shows under connect, not wait', async () => {
		const {key, cert} = await testCertificate();
		const context = createSecureContext({key, cert});
		const tls = createHttpsServer(
			{
				key,
				cert,
				// The handshake waits 100 ms for its certificate: time the client spends connecting, not waiting for the model.
				SNICallback(_name, callback) {
					setTimeout(() => {
						callback(null, context);
					}, 100);
				},
			},
			(request, response) => {
				request.resume();
				request.on('end', () => {
					void streamEvents(response, answerEvents(['secure']), 5, 10);
				});
			},
		);
		await new Promise<void>(resolve => {
			tls.listen(0, '127.0.0.1', resolve);
		});
		cleanups.push(() => {
			tls.closeAllConnections();
			tls.close();
		});
		const {port} = tls.address() as {port: number};
		const record = await once(modelAt(`https://slow-tls.llmrace.test:${port}/v1`), {lookup: loopbackLookup, insecure: true});
		expect(record.status).toBe('ok');
		const {connectMs, tlsMs, sentMs, headersMs} = record.phases!;
		expect(tlsMs).not.toBeNull();
		expectOrdered(record);
		const handshake = tlsMs! - connectMs!;
		const wait = headersMs! - sentMs!;
		expect(handshake).toBeGreaterThanOrEqual(95);
		expect(wait).toBeLessThan(handshake);
		// A second run reuses the TLS connection: no handshake at all.
		const again = await once(modelAt(`https://slow-tls.llmrace.test:${port}/v1`), {lookup: loopbackLookup, insecure: true});
		expect(again.phases).toMatchObject({tlsMs: null, connectMs: null, reused: true});
	});
});

describe('one stamp per socket read', () => {
	it('chunks of one read share its stamp (taken before any of them is parsed), and the reads are counted', async () => {
		server = await startServer((_request, response) => {
			response.writeHead(200, {'content-type': 'text/event-stream'});
			response.flushHeaders();
			setTimeout(() => {
				// Five transfer chunks, corked into one segment: one socket read, five body events.
				response.socket!.cork();
				for (const event of answerEvents(['a', ' b', ' c', ' d', ' e'])) {
					response.write(`data: ${JSON.stringify(event)}\n\n`);
				}

				response.end('data: [DONE]\n\n');
				process.nextTick(() => response.socket?.uncork());
			}, 30);
		});
		let meter: RunMeter | undefined;
		const record = await once(modelAt(server.baseURL), {
			onSend(_t0, sent) {
				meter = sent;
			},
		});
		expect(record.status).toBe('ok');
		expect(record.chunks).toHaveLength(5);
		expect(new Set(record.chunks.map(entry => entry[0])).size).toBe(1);
		// The headers' read and the body's: a handful, never one per chunk.
		expect(meter!.socketReads).toBeGreaterThanOrEqual(1);
		expect(meter!.socketReads).toBeLessThan(5);
	});
});

describe('a kept-alive socket does not keep the requests it carried', () => {
	it("once a run ended, its meter is collectable although its socket lives on in the pool (the agent keeps the socket's first options)", async () => {
		setFlagsFromString('--expose-gc');
		const collect = runInNewContext('gc') as () => void;
		server = await startServer(async (_request, response) => {
			await streamEvents(response, answerEvents(['kept', ' alive']), 2, 2);
		});
		const model = modelAt(server.baseURL);
		let first: WeakRef<RunMeter> | undefined;
		const one = await once(model, {
			onSend(_t0, meter) {
				first ??= new WeakRef(meter);
			},
		});
		expect(one.status).toBe('ok');
		const two = await once(model);
		// The same socket carried both, and is back in the pool.
		expect(two.phases?.reused).toBe(true);
		await sleep(1);
		collect();
		expect(first?.deref()).toBeUndefined();
	});
});
