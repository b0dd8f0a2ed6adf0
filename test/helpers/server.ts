// A scripted OpenAI-compatible server on 127.0.0.1 for engine tests: each test says what each request gets.
import {once} from 'node:events';
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import {createServer as createNetServer, type AddressInfo, type Socket} from 'node:net';

export type SeenRequest = {readonly url: string; readonly headers: IncomingMessage['headers']; readonly body: Record<string, unknown>};

export type Handler = (request: SeenRequest, response: ServerResponse) => void | Promise<void>;

export type TestServer = {
	readonly baseURL: string;
	readonly requests: SeenRequest[];
	readonly close: () => Promise<void>;
};

export async function startServer(handler: Handler): Promise<TestServer> {
	const requests: SeenRequest[] = [];
	const server = createServer(async (request, response) => {
		const parts: Buffer[] = [];
		for await (const part of request) {
			parts.push(part as Buffer);
		}

		const text = Buffer.concat(parts).toString('utf8');
		const seen: SeenRequest = {url: request.url ?? '', headers: request.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}};
		requests.push(seen);
		try {
			await handler(seen, response);
		} catch {
			response.destroy();
		}
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const {port} = server.address() as AddressInfo;
	return {
		baseURL: `http://127.0.0.1:${port}/v1`,
		requests,
		async close() {
			server.closeAllConnections();
			await new Promise<void>(resolve => {
				server.close(() => {
					resolve();
				});
			});
		},
	};
}

export const sleep = async (ms: number) =>
	new Promise<void>(resolve => {
		setTimeout(resolve, ms);
	});

export function chunk(delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}): Record<string, unknown> {
	return {id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{index: 0, delta, finish_reason: finish}], ...extra};
}

/** Start an event stream and flush the headers at once. */
export function openStream(response: ServerResponse): void {
	response.writeHead(200, {'content-type': 'text/event-stream'});
	response.flushHeaders();
}

export function send(response: ServerResponse, data: unknown): void {
	response.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
}

/** Stream these events with `gapMs` between them, then [DONE]. */
export async function streamEvents(response: ServerResponse, events: readonly unknown[], gapMs = 5, firstDelayMs = 20): Promise<void> {
	openStream(response);
	await sleep(firstDelayMs);
	for (const [index, event] of events.entries()) {
		if (index > 0) {
			await sleep(gapMs);
		}

		if (typeof event === 'string' && event.startsWith(':')) {
			response.write(`${event}\n\n`);
		} else {
			send(response, event);
		}
	}

	response.end('data: [DONE]\n\n');
}

/** A plain answer, one chunk per word, with usage when asked. */
export function answerEvents(words: readonly string[], usage: Record<string, unknown> | null = null): unknown[] {
	return [
		chunk({role: 'assistant', content: ''}),
		...words.map(word => chunk({content: word})),
		chunk({}, 'stop'),
		...(usage ? [{id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage}] : []),
	];
}

/** What a raw HTTP/1.1 server does with each request it parses, told which request of its connection it is (0-based) and its request line. */
export type RawBehaviour = (socket: Socket, requestOnConnection: number, body: Record<string, unknown>, requestLine: string) => void;

export type RawServer = {
	readonly baseURL: string;
	/** Requests parsed, in order, with the connection each came on (0-based). */
	readonly requests: Array<{readonly connection: number; readonly requestLine: string; readonly body: Record<string, unknown>}>;
	readonly connections: () => number;
	readonly close: () => Promise<void>;
};

/**
 * A server on raw TCP that speaks just enough HTTP/1.1 to be a chat-completions endpoint, so a test
 * controls exactly when a connection closes (as llama-server does) — node:http would manage that itself.
 */
export async function startRawServer(behaviour: RawBehaviour): Promise<RawServer> {
	const requests: Array<{connection: number; requestLine: string; body: Record<string, unknown>}> = [];
	const sockets = new Set<Socket>();
	let connections = 0;
	const server = createNetServer(socket => {
		const connection = connections++;
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => {});
		let pending = Buffer.alloc(0);
		let count = 0;
		socket.on('data', (data: Buffer) => {
			pending = Buffer.concat([pending, data]);
			for (;;) {
				const headEnd = pending.indexOf('\r\n\r\n');
				if (headEnd === -1) {
					return;
				}

				const head = pending.subarray(0, headEnd).toString('latin1');
				const length = Number(/content-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
				if (pending.length < headEnd + 4 + length) {
					return;
				}

				const text = pending.subarray(headEnd + 4, headEnd + 4 + length).toString('utf8');
				pending = pending.subarray(headEnd + 4 + length);
				const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
				const requestLine = head.slice(0, head.indexOf('\r\n') === -1 ? head.length : head.indexOf('\r\n'));
				requests.push({connection, requestLine, body});
				behaviour(socket, count++, body, requestLine);
			}
		});
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const {port} = server.address() as AddressInfo;
	return {
		baseURL: `http://127.0.0.1:${port}/v1`,
		requests,
		connections: () => connections,
		async close() {
			for (const socket of sockets) {
				socket.destroy();
			}

			await new Promise<void>(resolve => {
				server.close(() => {
					resolve();
				});
			});
		},
	};
}

/** The bytes of a short chunked event-stream response, as llama-server sends it (keep-alive advertised, no `Connection: close`). */
export function rawStreamResponse(words: readonly string[], keepAlive = 'timeout=5, max=100'): string {
	const events = answerEvents(words).map(event => `data: ${JSON.stringify(event)}\n\n`);
	events.push('data: [DONE]\n\n');
	const chunks = events.map(event => `${Buffer.byteLength(event).toString(16)}\r\n${event}\r\n`).join('');
	return `HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nKeep-Alive: ${keepAlive}\r\nTransfer-Encoding: chunked\r\n\r\n${chunks}0\r\n\r\n`;
}

/** A JSON response with a Content-Length, connection kept. */
export function rawJsonResponse(body: unknown): string {
	const text = JSON.stringify(body);
	return `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nKeep-Alive: timeout=5, max=100\r\n\r\n${text}`;
}

export /** Write `piece` until `totalBytes` are out or the client hangs up, minding backpressure; resolves with the bytes written. */
async function pour(response: ServerResponse, piece: string, totalBytes: number): Promise<number> {
	let written = 0;
	let closed = false;
	const hungUp = once(response, 'close').then(() => {
		closed = true;
	});
	while (written < totalBytes && !closed) {
		written += Buffer.byteLength(piece);
		if (!response.write(piece)) {
			await Promise.race([once(response, 'drain'), hungUp]);
		}
	}

	response.end();
	return written;
}
