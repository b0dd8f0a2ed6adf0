// The fetch the SDK sends with (node:http underneath) and the heap settling before a race.
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {gzipSync} from 'node:zlib';
import {afterEach, describe, expect, it} from 'vitest';
import {createTrace, idleLimitMs} from '../../source/core/http/connections.js';
import {claimRawBody, createHttpFetch, errorBodyLimitBytes} from '../../source/core/http/fetch.js';
import {settleHeap} from '../../source/runtime/heap.js';
import {readBody} from '../helpers/body.js';

let server: Server | undefined;
afterEach(async () => {
	server?.closeAllConnections();
	await new Promise(resolve => {
		server?.close(resolve) ?? resolve(undefined);
	});
	server = undefined;
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
	server = createServer(handler);
	await new Promise<void>(resolve => {
		server!.listen(0, '127.0.0.1', resolve);
	});
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('createHttpFetch', () => {
	const fetchOver = createHttpFetch(false);

	it('sends method, headers and body; gives status and headers; the body reads as a web stream', async () => {
		const seen: Array<{method?: string; type?: string; length?: string; body: string}> = [];
		const base = await serve((request, response) => {
			let body = '';
			request.on('data', (data: Buffer) => {
				body += data.toString();
			});
			request.on('end', () => {
				seen.push({method: request.method, type: request.headers['content-type'], length: request.headers['content-length'], body});
				response.writeHead(429, {'content-type': 'application/json', 'retry-after': '3'});
				response.end('{"error":{"message":"slow down"}}');
			});
		});
		const response = await fetchOver(`${base}/v1/chat/completions`, {method: 'POST', headers: {'content-type': 'application/json'}, body: '{"a":"é"}'});
		expect(seen).toEqual([{method: 'POST', type: 'application/json', length: '10', body: '{"a":"é"}'}]);
		expect(response.status).toBe(429);
		expect(response.headers.get('retry-after')).toBe('3');
		expect(await response.clone().text()).toBe('{"error":{"message":"slow down"}}');
		expect(await response.json()).toEqual({error: {message: 'slow down'}});
	});

	it('hands the Node stream over once, for direct reading', async () => {
		const base = await serve((_request, response) => {
			response.writeHead(200, {'content-type': 'text/event-stream'});
			response.end('data: {}\n\n');
		});
		let written = 0;
		const response = await fetchOver(
			base,
			{},
			{
				onWritten() {
					written++;
				},
			},
		);
		expect(written).toBeGreaterThan(0);
		const raw = claimRawBody(response);
		expect(raw).not.toBeNull();
		expect(claimRawBody(response)).toBeNull();
		expect(await readBody(raw!)).toBe('data: {}\n\n');
		expect(claimRawBody(new Response('x'))).toBeNull();
	});

	it('undoes a compression nobody asked for, on the raw stream and the web body alike', async () => {
		const base = await serve((request, response) => {
			expect(request.headers['accept-encoding']).toBeUndefined();
			response.writeHead(request.url === '/error' ? 500 : 200, {'content-type': 'text/event-stream', 'content-encoding': 'gzip'});
			response.end(gzipSync('data: {"a":"ü"}\n\n'));
		});
		const streamed = await fetchOver(base);
		expect(await readBody(claimRawBody(streamed)!)).toBe('data: {"a":"ü"}\n\n');
		expect(await (await fetchOver(`${base}/error`)).text()).toBe('data: {"a":"ü"}\n\n');
	});

	it('reads an error body up to 64 KiB and no further, then closes the connection', async () => {
		let closed = false;
		const base = await serve((_request, response) => {
			response.writeHead(500, {'content-type': 'text/plain'});
			response.on('close', () => {
				closed = true;
			});
			response.write('z'.repeat(1024 * 1024));
			// Never ends by itself: only the client's hang-up stops it.
		});
		const response = await fetchOver(base);
		const text = await response.text();
		expect(errorBodyLimitBytes).toBe(64 * 1024);
		expect(text).toBe('z'.repeat(errorBodyLimitBytes));
		while (!closed) {
			await new Promise(resolve => {
				setTimeout(resolve, 5);
			});
		}
	});

	it('traces a request: fresh socket, connect before sent before headers, every read counted', async () => {
		const base = await serve((_request, response) => {
			response.writeHead(200, {'content-type': 'text/event-stream'});
			response.end('data: {}\n\n');
		});
		let reads = 0;
		const trace = createTrace(undefined, () => {
			reads++;
		});
		const response = await fetchOver(base, {}, {trace});
		await readBody(claimRawBody(response)!);

		expect(trace.reused).toBe(false);
		expect(trace.lookupAt).toBeNull();
		expect(trace.secureAt).toBeNull();
		expect(trace.connectAt).not.toBeNull();
		expect(trace.sentAt).toBeGreaterThanOrEqual(trace.connectAt!);
		expect(trace.headersAt).toBeGreaterThanOrEqual(trace.sentAt!);
		expect(trace.reads).toBeGreaterThanOrEqual(1);
		expect(reads).toBe(trace.reads);
	});

	it('reads the idle time a Keep-Alive header allows, less a margin', () => {
		expect(idleLimitMs('timeout=5, max=100')).toBe(4000);
		expect(idleLimitMs('max=100, timeout=2')).toBe(1500);
		expect(idleLimitMs('timeout=1')).toBe(750);
		expect(idleLimitMs('timeout=0')).toBe(0);
		expect(idleLimitMs(undefined)).toBe(Number.POSITIVE_INFINITY);
		expect(idleLimitMs('max=100')).toBe(Number.POSITIVE_INFINITY);
	});

	it('a status without a body gives a response without one', async () => {
		const base = await serve((_request, response) => {
			response.writeHead(204);
			response.end();
		});
		const response = await fetchOver(base);
		expect(response.status).toBe(204);
		expect(response.body).toBeNull();
	});

	it('rejects with the socket’s own error when nothing listens, and refuses other protocols', async () => {
		const base = await serve(() => {});
		server!.close();
		await expect(fetchOver(base)).rejects.toMatchObject({code: 'ECONNREFUSED'});
		await expect(fetchOver('ftp://127.0.0.1/')).rejects.toThrow(/unsupported protocol ftp:/);
	});

	it('holds a request at its gate built but without a socket: nothing connects or is sent before onSend, which comes when it opens', async () => {
		const order: string[] = [];
		let connections = 0;
		const base = await serve((request, response) => {
			order.push('request at the server');
			request.resume();
			request.on('end', () => {
				response.writeHead(200, {'content-type': 'text/event-stream'});
				response.end('data: {}\n\n');
			});
		});
		server!.on('connection', () => {
			connections++;
		});
		let open!: () => void;
		const gate = new Promise<void>(resolve => {
			open = resolve;
		});
		const trace = createTrace();
		let t0 = Number.NaN;
		const fetched = fetchOver(
			`${base}/v1/chat/completions`,
			{method: 'POST', headers: {'content-type': 'application/json'}, body: '{"a":1}'},
			{
				trace,
				gate,
				onSend() {
					order.push('onSend');
					t0 = trace.clock();
				},
				onHanded() {
					order.push('onHanded');
				},
			},
		);
		await new Promise(resolve => {
			setTimeout(resolve, 100);
		});
		expect(order).toEqual([]);
		expect(connections).toBe(0);
		open();
		const response = await fetched;
		expect(order).toEqual(['onSend', 'onHanded', 'request at the server']);
		expect(connections).toBe(1);
		// The connection is the request's own work, after its t0.
		expect(trace.connectAt).toBeGreaterThanOrEqual(t0);
		expect(trace.sentAt).toBeGreaterThanOrEqual(trace.connectAt!);
		await readBody(claimRawBody(response)!);
	});

	it('a request whose gate is rejected is dropped unsent, with the gate’s reason; one that cannot be built fails at its send', async () => {
		let requests = 0;
		const base = await serve((_request, response) => {
			requests++;
			response.end();
		});
		const cancelled = new Error('the step stopped before this arrival was due');
		let sends = 0;
		const gate = Promise.reject(cancelled);
		await expect(
			fetchOver(
				base,
				{},
				{
					gate,
					onSend() {
						sends++;
					},
				},
			),
		).rejects.toBe(cancelled);
		expect(sends).toBe(0);

		let open!: () => void;
		const later = new Promise<void>(resolve => {
			open = resolve;
		});
		let failed = false;
		let handed = 0;
		const unbuildable = fetchOver(
			'ftp://127.0.0.1/',
			{},
			{
				gate: later,
				onSend() {
					sends++;
				},
				onHanded() {
					handed++;
				},
			},
		).catch((error: unknown) => {
			failed = true;
			throw error;
		});
		await new Promise(resolve => {
			setTimeout(resolve, 20);
		});
		expect(failed).toBe(false);
		open();
		await expect(unbuildable).rejects.toThrow(/unsupported protocol ftp:/);
		expect(sends).toBe(1);
		expect(handed).toBe(1);
		await new Promise(resolve => {
			setTimeout(resolve, 50);
		});
		expect(requests).toBe(0);
	});
});

describe('settleHeap', () => {
	it('collects garbage now, and leaves no gc() behind', () => {
		let garbage: number[][] | null = Array.from({length: 200}, () => Array.from({length: 10_000}, (_, index) => index));
		const withGarbage = process.memoryUsage().heapUsed;
		expect(garbage.length).toBe(200);
		garbage = null;
		settleHeap();
		expect(process.memoryUsage().heapUsed).toBeLessThan(withGarbage - 5_000_000);
		settleHeap();
		expect((globalThis as {gc?: unknown}).gc).toBeUndefined();
	});
});
