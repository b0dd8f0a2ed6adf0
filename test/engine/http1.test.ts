// llmrace's own HTTP/1.1 client (source/core/http/http1.ts) against a loopback server that writes raw
// bytes, so every framing a real server may use, and every split of it across reads, is exercised.
import {Buffer} from 'node:buffer';
import {createServer as createHttpsServer} from 'node:https';
import net, {type AddressInfo, type LookupFunction, type Server, type Socket} from 'node:net';
import type {TLSSocket} from 'node:tls';
import {afterEach, describe, expect, it} from 'vitest';
import {createTrace, isStaleSocketFailure} from '../../source/core/http/connections.js';
import {claimRawBody, createHttpFetch} from '../../source/core/http/fetch.js';
import {ResponseBody} from '../../source/core/http/http1.js';
import {readBody} from '../helpers/body.js';
import {testCertificate} from '../helpers/tls.js';
import {until} from '../helpers/until.js';

const fetchOver = createHttpFetch(false);
let server: Server | undefined;
const sockets = new Set<Socket>();

afterEach(async () => {
	for (const socket of sockets) {
		socket.destroy();
	}

	sockets.clear();
	await new Promise(resolve => {
		server?.close(resolve) ?? resolve(undefined);
	});
	server = undefined;
});

type Seen = {readonly head: string; readonly socket: Socket; readonly connection: number};

/** A server that hands each request's head (once whole) to `respond`, with the socket to write raw bytes to. */
async function rawServer(respond: (seen: Seen) => void): Promise<{base: string; connections: () => number}> {
	let connections = 0;
	server = net.createServer(socket => {
		sockets.add(socket);
		const connection = ++connections;
		let pending = '';
		socket.on('data', data => {
			pending += data.toString('latin1');
			for (;;) {
				const end = pending.indexOf('\r\n\r\n');
				if (end === -1) {
					return;
				}

				const head = pending.slice(0, end);
				const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? 0);
				if (pending.length < end + 4 + length) {
					return;
				}

				pending = pending.slice(end + 4 + length);
				respond({head, socket, connection});
			}
		});
		socket.on('error', () => {});
	});
	await new Promise<void>(resolve => {
		server!.listen(0, '127.0.0.1', resolve);
	});
	return {base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => connections};
}

/** Write `bytes` one piece at a time, each piece its own read at the client (a pause between them). */
async function writeInPieces(socket: Socket, bytes: Buffer, size: number): Promise<void> {
	for (let offset = 0; offset < bytes.length; offset += size) {
		socket.write(bytes.subarray(offset, offset + size));
		await new Promise(resolve => {
			setTimeout(resolve, 2);
		});
	}
}

async function readAll(response: Response): Promise<string> {
	return readBody(claimRawBody(response)!);
}

const answer = 'data: {"a":"é ✓ 𝄞"}\n\ndata: [DONE]\n\n';

function chunked(text: string, sizes: number[]): Buffer {
	const bytes = Buffer.from(text, 'utf8');
	const parts: Buffer[] = [];
	let offset = 0;
	for (let index = 0; offset < bytes.length; index++) {
		const size = Math.min(sizes[index % sizes.length]!, bytes.length - offset);
		parts.push(Buffer.from(`${size.toString(16)}${index === 1 ? ';ext=1' : ''}\r\n`), bytes.subarray(offset, offset + size), Buffer.from('\r\n'));
		offset += size;
	}

	parts.push(Buffer.from('0\r\nx-trailer: 1\r\n\r\n'));
	return Buffer.concat(parts);
}

describe('http1: framing', () => {
	for (const size of [1, 2, 3, 7, 64, 4096]) {
		it(`a chunked body (extensions, trailers, multi-byte characters split) read in pieces of ${size} byte(s)`, async () => {
			const {base} = await rawServer(({socket}) => {
				const bytes = Buffer.concat([
					Buffer.from('HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n'),
					chunked(answer, [5, 1, 9]),
				]);
				void writeInPieces(socket, bytes, size);
			});
			const response = await fetchOver(`${base}/v1/chat/completions`, {method: 'POST', body: '{}'});
			expect(response.status).toBe(200);
			expect(await readAll(response)).toBe(answer);
		});
	}

	it('a Content-Length body, a close-delimited body, and an interim 103 before the response', async () => {
		const {base} = await rawServer(({head, socket}) => {
			const body = Buffer.from(answer);
			if (head.startsWith('GET /length')) {
				socket.write(
					Buffer.concat([Buffer.from(`HTTP/1.1 103 Early Hints\r\nlink: </a>\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: ${body.length}\r\n\r\n`), body]),
				);
			} else {
				socket.end(Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\r\n'), body]));
			}
		});
		expect(await readAll(await fetchOver(`${base}/length`))).toBe(answer);
		expect(await readAll(await fetchOver(`${base}/close`))).toBe(answer);
	});

	it('keeps a connection for the next request, unless the server says close or gives no idle time', async () => {
		const {base, connections} = await rawServer(({head, socket}) => {
			const terms = head.includes('/close') ? 'connection: close\r\n' : head.includes('/zero') ? 'keep-alive: timeout=0\r\n' : 'keep-alive: timeout=5\r\n';
			socket.write(`HTTP/1.1 200 OK\r\n${terms}content-length: 2\r\n\r\nok`);
		});
		const traced = async (path: string) => {
			const trace = createTrace();
			expect(await (await fetchOver(`${base}${path}`, {}, {trace})).text()).toBe('ok');
			return trace.reused;
		};

		expect(await traced('/a')).toBe(false);
		expect(await traced('/b')).toBe(true);
		expect(connections()).toBe(1);
		expect(await traced('/close')).toBe(true);
		expect(await traced('/c')).toBe(false);
		expect(connections()).toBe(2);
		expect(await traced('/zero')).toBe(true);
		expect(await traced('/d')).toBe(false);
		expect(connections()).toBe(3);
	});

	it('a head over 16 KiB is refused as node:http refuses it', async () => {
		const {base} = await rawServer(({socket}) => {
			socket.write(`HTTP/1.1 200 OK\r\nx-big: ${'a'.repeat(17 * 1024)}\r\n\r\n`);
		});
		await expect(fetchOver(base)).rejects.toMatchObject({code: 'HPE_HEADER_OVERFLOW'});
	});

	it('a chunk size that is not hex breaks the body with a parse error', async () => {
		const {base} = await rawServer(({socket}) => {
			socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n5\r\ndata:\r\nzz\r\n');
		});
		await expect(readAll(await fetchOver(base))).rejects.toMatchObject({code: 'HPE_INVALID_CHUNK_SIZE'});
	});

	it('something that is not HTTP is refused', async () => {
		const {base} = await rawServer(({socket}) => {
			socket.write('SSH-2.0-OpenSSH_9.6\r\n\r\n');
		});
		await expect(fetchOver(base)).rejects.toMatchObject({code: 'HPE_INVALID_CONSTANT'});
	});
});

describe('http1: connections lost and stopped', () => {
	it('closed before any response: socket hang up (ECONNRESET); on a reused socket, a stale one', async () => {
		let requests = 0;
		const {base} = await rawServer(({socket}) => {
			requests++;
			if (requests === 1) {
				socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
			} else {
				socket.destroy();
			}
		});
		expect(await (await fetchOver(base)).text()).toBe('ok');
		const trace = createTrace();
		const failure = await fetchOver(base, {}, {trace}).catch((error: unknown) => error);
		expect(failure).toMatchObject({message: 'socket hang up', code: 'ECONNRESET'});
		expect(trace.reused).toBe(true);
		expect(isStaleSocketFailure(failure, trace)).toBe(true);
	});

	it('closed mid-body: the body fails with ECONNRESET (aborted), after what arrived', async () => {
		const {base} = await rawServer(({socket}) => {
			socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: 100\r\n\r\ndata: {}\n\n');
			setTimeout(() => socket.destroy(), 20);
		});
		const body = claimRawBody(await fetchOver(base))!;
		body.setEncoding('utf8');
		const pieces: string[] = [];
		const failure = await new Promise(resolve => {
			body.on('data', (piece: string) => pieces.push(piece));
			body.on('error', resolve);
		});
		expect(pieces).toEqual(['data: {}\n\n']);
		expect(failure).toMatchObject({message: 'aborted', code: 'ECONNRESET'});
	});

	it('an abort mid-body closes the connection; destroying the body closes it too', async () => {
		let closed = 0;
		const {base} = await rawServer(({socket}) => {
			socket.on('close', () => closed++);
			socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n4\r\nabcd\r\n');
		});
		const controller = new AbortController();
		const body = claimRawBody(await fetchOver(base, {signal: controller.signal}))!;
		const failed = new Promise(resolve => {
			body.on('error', resolve);
		});
		body.on('data', () => {
			controller.abort();
		});
		expect(await failed).toMatchObject({name: 'AbortError'});
		await until(() => closed === 1);

		const again = claimRawBody(await fetchOver(base))!;
		again.on('data', () => {
			again.destroy();
		});
		await until(() => closed === 2);
	});

	it('refuses a header value with a control character, as node:http does, before anything is sent', async () => {
		const {connections} = await rawServer(() => {});
		const {base} = {base: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`};
		await expect(fetchOver(base, {headers: {'x-a': 'a\u0001b'}})).rejects.toMatchObject({code: 'ERR_INVALID_CHAR'});
		expect(connections()).toBe(0);
	});
});

describe('http1: stamps', () => {
	it('each piece handed over carries the stamp of the read that brought it, also when held until someone listened', async () => {
		const {base} = await rawServer(({socket}) => {
			// The head and a first event in one read, before the fetch has even resolved; a second event 30 ms later.
			socket.write('HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n5\r\nfirst\r\n');
			setTimeout(() => socket.write('6\r\nsecond\r\n0\r\n\r\n'), 30);
		});
		const trace = createTrace();
		const response = await fetchOver(base, {}, {trace});
		const headRead = trace.readAt;
		// Someone listens only after a pause: the first piece was held meanwhile.
		await new Promise(resolve => {
			setTimeout(resolve, 10);
		});
		const body = claimRawBody(response);
		expect(body).toBeInstanceOf(ResponseBody);
		const stamped: Array<[string, number]> = [];
		const ended = new Promise(resolve => {
			body!.on('end', resolve);
		});
		body!.setEncoding('utf8');
		body!.on('data', (piece: string) => stamped.push([piece, (body as ResponseBody).at]));
		await ended;
		expect(stamped).toEqual([
			['first', headRead],
			['second', trace.readAt],
		]);
		expect(trace.readAt - headRead).toBeGreaterThan(0);
		expect(trace.reads).toBe(2);
	});
});

describe('http1: TLS', () => {
	it('sends the host name (SNI), refuses an unknown certificate unless insecure, and resumes the last session on a fresh connection', async () => {
		const {key, cert} = await testCertificate();
		const names: string[] = [];
		const resumed: boolean[] = [];
		const secure = createHttpsServer({key, cert}, (request, response) => {
			resumed.push((request.socket as TLSSocket).isSessionReused());
			response.writeHead(200, {'content-length': '2', connection: 'close'});
			response.end('ok');
		});
		secure.on('secureConnection', (socket: TLSSocket) => {
			names.push(String(socket.servername));
		});
		await new Promise<void>(resolve => {
			secure.listen(0, '127.0.0.1', resolve);
		});
		try {
			const {port} = secure.address() as AddressInfo;
			const base = `https://model.llmrace.test:${port}/v1`;
			// Every name is 127.0.0.1, without any DNS query.
			const lookup: LookupFunction = (_host, options, callback) => {
				if ((options as {all?: boolean}).all) {
					(callback as unknown as (error: null, addresses: Array<{address: string; family: number}>) => void)(null, [{address: '127.0.0.1', family: 4}]);
				} else {
					callback(null, '127.0.0.1', 4);
				}
			};
			const strict = await createHttpFetch(false)(base, {}, {lookup}).catch((error: unknown) => error);
			expect(strict).toMatchObject({code: 'DEPTH_ZERO_SELF_SIGNED_CERT'});
			const insecure = createHttpFetch(true);
			for (let round = 0; round < 3; round++) {
				const trace = createTrace();
				expect(await (await insecure(base, {}, {lookup, trace})).text()).toBe('ok');
				// The server closes after each answer: every request connects afresh, and handshakes.
				expect(trace.reused).toBe(false);
				expect(trace.secureAt).toBeGreaterThanOrEqual(trace.connectAt!);
			}

			expect(names.every(name => name === 'model.llmrace.test')).toBe(true);
			expect(resumed).toEqual([false, true, true]);
		} finally {
			secure.closeAllConnections();
			secure.close();
		}
	});
});
