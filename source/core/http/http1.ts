// llmrace's own HTTP/1.1 client under the fetch (fetch.ts): a socket per request at a time, kept alive
// in a pool per origin, the request written in one piece, the response's head parsed here and its body
// de-chunked here, straight from the socket's reads.
//
// Why not node:http: its per-read path (llhttp's callbacks, IncomingMessage, a Readable's buffer, a
// string decoder and a nextTick per read) was a fifth of a stamping thread's CPU at 256 streams × 200
// chunks/s on 2 cores, and the stamping thread's own CPU is what its stamps wait behind there
// (docs/stamping-threads.md, "the HTTP client"). Here a read is stamped, framed and handed to its body
// in one call, with no stream between the socket and the event-stream decoder.
//
// What it does, as node:http's client did for llmrace: http and https (SNI, ALPN `http/1.1`, `--insecure`),
// the lookup a request brings, keep-alive honouring `Connection` and `Keep-Alive: timeout`, chunked,
// Content-Length and close-delimited bodies, 1xx responses skipped, a 16 KiB limit on a response's head,
// header names and values checked as node:http checks them, an AbortSignal that stops the request or its
// body, and node:http's errors for a connection lost before a response (`socket hang up`, ECONNRESET) or
// during a body (`aborted`, ECONNRESET). It never pipelines, never follows a redirect and never retries.
import {Buffer} from 'node:buffer';
import {EventEmitter} from 'node:events';
import {validateHeaderName, validateHeaderValue} from 'node:http';
import net, {type LookupFunction, type Socket} from 'node:net';
import {performance} from 'node:perf_hooks';
import {StringDecoder} from 'node:string_decoder';
import tls from 'node:tls';
import {idleLimitMs, type RequestTrace} from './connections.js';

/** The most a response's status line and headers may take (node:http's default). */
export const maxHeadBytes = 16 * 1024;

/** A response's head: status, reason, and its header rows as they came (names lower-cased). */
export type ResponseHead = {
	readonly status: number;
	readonly statusText: string;
	readonly headers: ReadonlyArray<readonly [string, string]>;
};

function codedError(message: string, code: string): Error {
	return Object.assign(new Error(message), {code});
}

/** What node:http says of a connection lost before any response. */
const hangUp = () => codedError('socket hang up', 'ECONNRESET');
/** What node:http's response says of a connection lost mid-body (`cause`: the socket's own error, if any). */
const lostBody = (cause: Error | undefined) => Object.assign(new Error('aborted', cause ? {cause} : {}), {code: 'ECONNRESET'});

/**
 * A response's body as it arrives, for reading directly: `data` events (strings once `setEncoding` was
 * called, else Buffers), then `end` and `close`; `error` and `close` when the connection was lost
 * mid-body; `destroy()` closes the connection. Pieces that arrive before anyone listens for `data` are
 * kept and handed over on the next tick, each with the stamp of its own read (`at`).
 */
export class ResponseBody extends EventEmitter {
	/** The stamp of the socket read that brought the piece being handed over (trace clock). */
	at = 0;
	#decoder: StringDecoder | undefined;
	/** The decoder holds no bytes of a character (the last piece it saw ended with an ASCII byte). */
	#clean = true;
	#held: Array<{piece: Buffer; at: number}> | undefined = [];
	#ended = false;
	#failure: Error | undefined;
	#closed = false;
	#flushing = false;
	readonly #onDestroy: () => void;

	constructor(onDestroy: () => void) {
		super();
		this.#onDestroy = onDestroy;
	}

	setEncoding(encoding: 'utf8'): this {
		this.#decoder = new StringDecoder(encoding);
		return this;
	}

	// biome-ignore lint/suspicious/noExplicitAny: EventEmitter's own signature, which listeners of every event must fit.
	override on(event: string | symbol, listener: (...args: any[]) => void): this {
		super.on(event, listener);
		if (event === 'data' && this.#held && !this.#flushing) {
			this.#flushing = true;
			process.nextTick(() => {
				this.#flush();
			});
		}

		return this;
	}

	/** The next piece of the body, `data` from `start` to `end`, read at `at`. */
	push(data: Buffer, start: number, end: number, at: number): void {
		if (this.#closed) {
			return;
		}

		if (this.#held) {
			// A copy: `data` may be the socket's read buffer, written over by the next read.
			this.#held.push({piece: Buffer.from(data.subarray(start, end)), at});
			return;
		}

		this.#emitPiece(data, start, end, at);
	}

	/** The body is whole. */
	end(): void {
		if (this.#closed || this.#ended) {
			return;
		}

		this.#ended = true;
		if (!this.#held) {
			this.#finish();
		}
	}

	/** The connection was lost before the body was whole. */
	fail(error: Error): void {
		if (this.#closed || this.#ended) {
			return;
		}

		this.#failure = error;
		if (!this.#held) {
			this.#finish();
		}
	}

	/** Stop reading: the connection is closed (unless the body was whole already). */
	destroy(): this {
		if (this.#closed) {
			return this;
		}

		this.#held = undefined;
		this.#closed = true;
		this.#onDestroy();
		this.emit('close');
		return this;
	}

	#emitPiece(data: Buffer, start: number, end: number, at: number): void {
		this.at = at;
		if (!this.#decoder) {
			// A copy, for whoever keeps it (`data` may be the socket's read buffer).
			this.emit('data', Buffer.from(data.subarray(start, end)));
			return;
		}

		// A piece that ends with an ASCII byte, after one that did too, holds whole characters: read in place.
		const ascii = data[end - 1]! < 0x80;
		let text: string;
		if (this.#clean && ascii) {
			text = data.toString('utf8', start, end);
		} else {
			text = this.#decoder.write(data.subarray(start, end));
			this.#clean = ascii;
		}

		if (text) {
			this.emit('data', text);
		}
	}

	#flush(): void {
		this.#flushing = false;
		const held = this.#held;
		this.#held = undefined;
		for (const {piece, at} of held ?? []) {
			if (this.#closed) {
				return;
			}

			this.#emitPiece(piece, 0, piece.length, at);
		}

		if (this.#ended || this.#failure) {
			this.#finish();
		}
	}

	#finish(): void {
		if (this.#closed) {
			return;
		}

		this.#closed = true;
		if (this.#failure) {
			if (this.listenerCount('error') > 0) {
				this.emit('error', this.#failure);
			}
		} else {
			const rest = this.#decoder?.end();
			if (rest) {
				this.emit('data', rest);
			}

			this.emit('end');
		}

		this.emit('close');
	}
}

/** One request on a connection, from its write to the end of its response. */
type Exchange = {
	readonly trace: RequestTrace;
	readonly method: string;
	/** The head arrived: the fetch resolves with the body this returns (null for a response without one). */
	readonly onHead: (head: ResponseHead, hasBody: boolean) => ResponseBody | null;
	/** The request failed before a response head. */
	readonly onFailure: (error: Error) => void;
	body: ResponseBody | null;
	written: boolean;
};

/** Where a connection's parser is in a response. */
const Phase = {Head: 0, Size: 1, Data: 2, DataEnd: 3, Trailers: 4, Length: 5, UntilClose: 6, Done: 7} as const;
type Phase = (typeof Phase)[keyof typeof Phase];

const crlf = Buffer.from('\r\n\r\n', 'latin1');
const statusLine = /^HTTP\/1\.([01]) (\d{3})(?: ([^\r\n]*))?$/;

/** A hex digit's value, or -1. */
function hexDigit(byte: number): number {
	if (byte >= 0x30 && byte <= 0x39) {
		return byte - 0x30;
	}

	const lower = byte | 0x20;
	return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

const isBlank = (byte: number | undefined) => byte === 0x20 || byte === 0x09;

/**
 * The size a chunk-size line gives (`data` from `start` to `end`, its LF excluded): 1 to 12 hex digits,
 * blanks around them, then an extension (`;…`) or nothing, and a CR. Anything else is a parse error.
 */
function chunkSizeOf(data: Buffer, start: number, end: number): number {
	let at = start;
	while (at < end && isBlank(data[at])) {
		at++;
	}

	const first = at;
	let size = 0;
	while (at < end && at - first < 12) {
		const digit = hexDigit(data[at]!);
		if (digit === -1) {
			break;
		}

		size = size * 16 + digit;
		at++;
	}

	const digits = at - first;
	while (at < end && isBlank(data[at])) {
		at++;
	}

	// What follows the digits: the line's end, an extension, or the CR right before the LF.
	if (digits > 0 && (at === end || data[at] === 0x3b || (data[at] === 0x0d && at + 1 === end))) {
		return size;
	}

	throw codedError('Parse Error: Invalid character in chunk size', 'HPE_INVALID_CHUNK_SIZE');
}

/** Idle connections by pool key, the most recent last. */
const idle = new Map<string, Connection[]>();

class Connection {
	readonly socket: Socket;
	readonly key: string;
	exchange: Exchange | null = null;
	/** The server may close it after this (performance.now()); set when it goes idle. */
	deadline = Number.POSITIVE_INFINITY;
	#phase: Phase = Phase.Head;
	#head: Buffer | undefined;
	#remaining = 0;
	/** The chunk-size line or trailer section read so far (they may span reads). */
	#line = '';
	#keepAlive = true;
	#closed = false;

	/** `reads`: the socket hands its reads to `onRead` itself (net's `onread`), else they come as `data` events (TLS). */
	constructor(socket: Socket, key: string, reads: 'onread' | 'events') {
		this.socket = socket;
		this.key = key;
		if (reads === 'events') {
			socket.on('data', (data: Buffer) => {
				this.onRead(data);
			});
		}

		socket.on('end', () => {
			this.#onEnd();
		});
		socket.on('error', (error: Error) => {
			this.#lost(error);
		});
		socket.on('close', () => {
			this.#lost(undefined);
		});
	}

	/** Take a request: `bytes` written now, in one piece. */
	begin(exchange: Exchange, bytes: Buffer, onWritten: (error?: Error | null) => void): void {
		this.exchange = exchange;
		this.#phase = Phase.Head;
		this.#head = undefined;
		this.#keepAlive = true;
		this.socket.write(bytes, onWritten);
	}

	/** Close it, whatever it was doing. */
	destroy(): void {
		this.#closed = true;
		dropIdle(this);
		this.socket.destroy();
	}

	/**
	 * One socket read. For a plain socket `data` is a view of this thread's read buffer, good only until this
	 * returns: what outlives the call (a head in parts, a held piece, a Buffer handed over) is copied.
	 */
	onRead(data: Buffer): void {
		const exchange = this.exchange;
		if (!exchange) {
			// Bytes on an idle connection: nothing to read them, and the connection cannot be trusted again.
			this.destroy();
			return;
		}

		const {trace} = exchange;
		trace.readAt = trace.clock();
		trace.reads++;
		trace.onRead?.();
		try {
			this.#parse(exchange, data, trace.readAt);
		} catch (error) {
			this.#lost(error as Error);
		}
	}

	#parse(exchange: Exchange, data: Buffer, at: number): void {
		let offset = 0;
		while (offset < data.length && this.exchange === exchange) {
			switch (this.#phase) {
				case Phase.Head: {
					offset = this.#readHead(exchange, data, offset);
					break;
				}

				case Phase.Size: {
					const end = data.indexOf(10, offset);
					if (end === -1 || this.#line !== '') {
						// A size line split across reads (rare): kept as text until its LF.
						this.#line += data.toString('latin1', offset, end === -1 ? data.length : end);
						if (end === -1) {
							if (this.#line.length > 1024) {
								throw codedError('Parse Error: Invalid character in chunk size', 'HPE_INVALID_CHUNK_SIZE');
							}

							offset = data.length;
							break;
						}
					}

					// Read in place, with nothing made per chunk, when the line is whole in this read.
					const split = this.#line;
					this.#line = '';
					this.#remaining = split === '' ? chunkSizeOf(data, offset, end) : chunkSizeOf(Buffer.from(split, 'latin1'), 0, split.length);
					offset = end + 1;
					this.#phase = this.#remaining === 0 ? Phase.Trailers : Phase.Data;
					break;
				}

				case Phase.Data: {
					offset = this.#bodyBytes(exchange, data, offset, at);
					if (this.#remaining === 0) {
						this.#phase = Phase.DataEnd;
						this.#remaining = 2;
					}

					break;
				}

				case Phase.DataEnd: {
					// The CR LF after a chunk's data (a bare LF accepted).
					const byte = data[offset]!;
					offset++;
					if (byte === 10) {
						this.#phase = Phase.Size;
					} else if (byte !== 13 || this.#remaining !== 2) {
						throw codedError('Parse Error: Expected LF after chunk data', 'HPE_STRICT');
					} else {
						this.#remaining = 1;
					}

					break;
				}

				case Phase.Trailers: {
					const end = data.indexOf(10, offset);
					this.#line += data.toString('latin1', offset, end === -1 ? data.length : end + 1);
					offset = end === -1 ? data.length : end + 1;
					if (this.#line.length > maxHeadBytes) {
						throw codedError('Parse Error: Header overflow', 'HPE_HEADER_OVERFLOW');
					}

					if (end !== -1 && /(?:^|\n)\r?\n$/.test(this.#line)) {
						this.#line = '';
						this.#complete(exchange, data.length - offset);
						return;
					}

					break;
				}

				case Phase.Length: {
					offset = this.#bodyBytes(exchange, data, offset, at);
					if (this.#remaining === 0 && this.exchange === exchange) {
						this.#complete(exchange, data.length - offset);
						return;
					}

					break;
				}

				case Phase.UntilClose: {
					exchange.body?.push(data, offset, data.length, at);
					offset = data.length;
					break;
				}

				case Phase.Done: {
					// More bytes after a whole response: the connection is out of step, and closed.
					this.destroy();
					return;
				}
			}
		}
	}

	/** Hand the body bytes of this read from `offset` to the body, up to `#remaining` of them; returns where they end. */
	#bodyBytes(exchange: Exchange, data: Buffer, offset: number, at: number): number {
		const end = Math.min(data.length, offset + this.#remaining);
		exchange.body?.push(data, offset, end, at);
		this.#remaining -= end - offset;
		return end;
	}

	/** Read head bytes from `offset`; once the head is whole, hand it over. Returns where the body starts. */
	#readHead(exchange: Exchange, data: Buffer, offset: number): number {
		const joined = this.#head ? Buffer.concat([this.#head, data.subarray(offset)]) : data.subarray(offset);
		const end = joined.indexOf(crlf);
		if (end === -1) {
			if (joined.length > maxHeadBytes) {
				throw codedError('Parse Error: Header overflow', 'HPE_HEADER_OVERFLOW');
			}

			this.#head = this.#head ? joined : Buffer.from(joined);
			return data.length;
		}

		if (end > maxHeadBytes) {
			throw codedError('Parse Error: Header overflow', 'HPE_HEADER_OVERFLOW');
		}

		// Where the body starts in `data`: the head's bytes from earlier reads come before `offset`'s.
		const bodyStart = offset + end + 4 - (this.#head?.length ?? 0);
		this.#head = undefined;
		const lines = joined.toString('latin1', 0, end).split(/\r?\n/);
		const matched = statusLine.exec(lines[0]!);
		if (!matched) {
			throw codedError('Parse Error: Expected HTTP/', 'HPE_INVALID_CONSTANT');
		}

		const status = Number(matched[2]);
		const headers: Array<readonly [string, string]> = [];
		let connection = '';
		let transferEncoding = '';
		let contentLength: string | undefined;
		let keepAliveTerms = '';
		for (let index = 1; index < lines.length; index++) {
			const line = lines[index]!;
			const colon = line.indexOf(':');
			if (colon <= 0) {
				throw codedError('Parse Error: Invalid header token', 'HPE_INVALID_HEADER_TOKEN');
			}

			const name = line.slice(0, colon).trim().toLowerCase();
			const value = line.slice(colon + 1).trim();
			headers.push([name, value]);
			if (name === 'connection') {
				connection += `,${value.toLowerCase()}`;
			} else if (name === 'transfer-encoding') {
				transferEncoding += `,${value.toLowerCase()}`;
			} else if (name === 'content-length') {
				if (contentLength !== undefined && contentLength !== value) {
					throw codedError('Parse Error: Duplicate Content-Length', 'HPE_UNEXPECTED_CONTENT_LENGTH');
				}

				contentLength = value;
			} else if (name === 'keep-alive') {
				keepAliveTerms = value;
			}
		}

		if (status >= 100 && status < 200 && status !== 101) {
			// An interim response (100 Continue, 103 Early Hints): the real one follows.
			return bodyStart;
		}

		if (status === 101) {
			throw codedError('the server switched protocols (HTTP 101), which llmrace does not speak', 'HPE_UPGRADE');
		}

		const http10 = matched[1] === '0';
		this.#keepAlive = http10 ? /,\s*keep-alive\b/.test(connection) : !/,\s*close\b/.test(connection);
		this.deadline = idleLimitMs(keepAliveTerms);
		let hasBody = exchange.method !== 'HEAD' && status !== 204 && status !== 304;
		if (hasBody && /chunked\s*$/.test(transferEncoding)) {
			this.#phase = Phase.Size;
			this.#line = '';
		} else if (hasBody && contentLength !== undefined && !transferEncoding) {
			if (!/^\d{1,15}$/.test(contentLength)) {
				throw codedError('Parse Error: Invalid character in Content-Length', 'HPE_INVALID_CONTENT_LENGTH');
			}

			this.#remaining = Number(contentLength);
			this.#phase = Phase.Length;
			hasBody = this.#remaining > 0;
		} else if (hasBody) {
			this.#phase = Phase.UntilClose;
			this.#keepAlive = false;
		}

		exchange.body = exchange.onHead({status, statusText: matched[3] ?? '', headers}, hasBody);
		if (!hasBody) {
			this.#phase = Phase.Done;
			this.#complete(exchange, data.length - bodyStart);
		}

		return bodyStart;
	}

	/** The response is whole: its body ends, and the connection goes back to its pool or is closed. */
	#complete(exchange: Exchange, extraBytes: number): void {
		this.#phase = Phase.Done;
		const {body} = exchange;

		this.exchange = null;
		const reusable = this.#keepAlive && exchange.written && extraBytes === 0 && !this.#closed;
		if (reusable) {
			release(this);
		} else {
			this.destroy();
		}

		body?.end();
	}

	#onEnd(): void {
		const exchange = this.exchange;
		if (exchange && this.#phase === Phase.UntilClose) {
			this.#complete(exchange, 0);
			return;
		}

		this.#lost(undefined);
	}

	/** The connection is gone (an error, or closed by the server): whoever was waiting on it hears so. */
	#lost(error: Error | undefined): void {
		const exchange = this.exchange;
		this.exchange = null;
		if (!this.#closed) {
			this.destroy();
		}

		if (!exchange) {
			return;
		}

		if (exchange.body) {
			// A body that breaks its framing says so; a connection lost under it, as node:http does.
			exchange.body.fail(error && String((error as {code?: unknown}).code).startsWith('HPE_') ? error : lostBody(error));
		} else {
			exchange.onFailure(error ?? hangUp());
		}
	}

	/** A request's signal fired: the request, or the body it is reading, stops here. */
	abort(exchange: Exchange, reason: Error): void {
		if (this.exchange !== exchange) {
			return;
		}

		this.exchange = null;
		this.destroy();
		if (exchange.body) {
			exchange.body.fail(reason);
		} else {
			exchange.onFailure(reason);
		}
	}
}

function dropIdle(connection: Connection): void {
	const list = idle.get(connection.key);
	const index = list?.indexOf(connection) ?? -1;
	if (index !== -1) {
		list!.splice(index, 1);
		if (list!.length === 0) {
			idle.delete(connection.key);
		}
	}
}

/** A whole response left its connection free: idle in its pool until the server's idle time is nearly up. */
function release(connection: Connection): void {
	if (connection.deadline <= 0) {
		connection.destroy();
		return;
	}

	connection.deadline += performance.now();
	connection.socket.unref();
	let list = idle.get(connection.key);
	if (!list) {
		list = [];
		idle.set(connection.key, list);
	}

	list.push(connection);
}

/** Close the idle connections of `key`: all of them (`fresh`), or those idle past the server's time. */
export function retireIdle(key: string, fresh: boolean): void {
	const list = idle.get(key);
	if (!list) {
		return;
	}

	const now = performance.now();
	for (const connection of [...list]) {
		if (fresh || now >= connection.deadline || connection.socket.destroyed) {
			connection.destroy();
		}
	}
}

/** An idle connection of `key` to reuse (the most recently freed), or null. */
function reuse(key: string): Connection | null {
	const list = idle.get(key);
	let connection = list?.pop();
	while (connection && (connection.socket.destroyed || !connection.socket.writable)) {
		connection.destroy();
		connection = list!.pop();
	}

	if (list?.length === 0) {
		idle.delete(key);
	}

	connection?.socket.ref();
	return connection ?? null;
}

export type Target = {
	readonly secure: boolean;
	readonly insecure: boolean;
	readonly host: string;
	readonly port: number;
	/** The pool its connections go back to. */
	readonly key: string;
};

export type RequestPlan = {
	readonly target: Target;
	readonly method: string;
	/** The request's bytes: its head and body, written in one piece. */
	readonly bytes: Buffer;
};

/** The bytes of a request, its head checked as node:http checks one. */
export function planRequest(
	url: URL,
	method: string,
	headers: Iterable<readonly [string, string]>,
	body: string | Uint8Array | null,
	insecure: boolean,
): RequestPlan {
	const secure = url.protocol === 'https:';
	if (!secure && url.protocol !== 'http:') {
		throw new TypeError(`unsupported protocol ${url.protocol} in ${url.origin}`);
	}

	validateHeaderName(method);
	let head = `${method} ${url.pathname || '/'}${url.search} HTTP/1.1\r\n`;
	let host: string | undefined;
	for (const [name, value] of headers) {
		validateHeaderName(name);
		validateHeaderValue(name, value);
		if (name === 'host') {
			host = value;
		} else if (name !== 'connection' && name !== 'content-length' && name !== 'transfer-encoding') {
			head += `${name}: ${value}\r\n`;
		}
	}

	const bodyBytes = body === null ? null : typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
	head = `${head}host: ${host ?? url.host}\r\nconnection: keep-alive\r\n${bodyBytes ? `content-length: ${bodyBytes.byteLength}\r\n` : ''}\r\n`;
	const headBytes = Buffer.from(head, 'latin1');
	const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
	return {
		target: {
			secure,
			insecure,
			host: hostname,
			port: Number(url.port) || (secure ? 443 : 80),
			key: `${secure && insecure ? 'insecure:' : ''}${url.origin}`,
		},
		method,
		bytes: bodyBytes ? Buffer.concat([headBytes, bodyBytes]) : headBytes,
	};
}

/**
 * Where a plain socket's reads land: one buffer for every socket of this thread, each read parsed before the
 * next can come (net's `onread`: no Buffer made per read, and no stream between the socket and the parser).
 */
let readBuffer: Buffer | undefined;

/** The latest TLS session of each pool, to resume on its next connection (as node:https's agent does). */
const sessions = new Map<string, Buffer>();

function connect(target: Target, trace: RequestTrace, lookup: LookupFunction | undefined): Connection {
	// TCP keep-alive probes on every connection, as node:http's keep-alive agent sets them (1 s).
	const options = {host: target.host, port: target.port, noDelay: true, keepAlive: true, keepAliveInitialDelay: 1000, ...(lookup ? {lookup} : {})};
	let connection: Connection | undefined;
	const socket = target.secure
		? tls.connect({
				...options,
				...(net.isIP(target.host) ? {} : {servername: target.host}),
				ALPNProtocols: ['http/1.1'],
				rejectUnauthorized: !target.insecure,
				...(sessions.has(target.key) ? {session: sessions.get(target.key)} : {}),
			})
		: net.connect({
				...options,
				onread: {
					buffer: (readBuffer ??= Buffer.allocUnsafe(64 * 1024)),
					callback(length: number, buffer: Uint8Array) {
						connection!.onRead((buffer as Buffer).subarray(0, length));
						// Keep reading (false would pause the socket).
						return true;
					},
				},
			});
	socket.once('connect', () => {
		trace.connectAt = trace.clock();
	});
	if (target.secure) {
		socket.once('secureConnect', () => {
			trace.secureAt = trace.clock();
		});
		socket.on('session', (session: Buffer) => {
			if (sessions.size >= 100 && !sessions.has(target.key)) {
				sessions.delete(sessions.keys().next().value!);
			}

			sessions.set(target.key, session);
		});
		socket.once('error', () => {
			// A session that ended in an error is not offered again.
			sessions.delete(target.key);
		});
	}

	connection = new Connection(socket, target.key, target.secure ? 'events' : 'onread');
	return connection;
}

export type Sending = {
	readonly plan: RequestPlan;
	readonly trace: RequestTrace;
	readonly lookup: LookupFunction | undefined;
	readonly signal: AbortSignal | undefined;
	/** The response's head, and its body to read (null for a response without one). */
	readonly onHead: (head: ResponseHead, body: ResponseBody | null) => void;
	/** The request failed before a response head. */
	readonly onFailure: (error: Error) => void;
	/** Called once: the request is with the operating system whole, or failed before that. */
	readonly onWritten: (() => void) | undefined;
};

/** The error a request's signal stops it with (node:http's). */
function abortError(signal: AbortSignal): Error {
	return Object.assign(new Error('The operation was aborted', {cause: signal.reason}), {name: 'AbortError', code: 'ABORT_ERR'});
}

/** Send a planned request on a kept-alive connection of its pool, or a new one. */
export function send(sending: Sending): void {
	const {plan, trace, signal} = sending;
	let written = false;
	const onWritten = () => {
		if (!written) {
			written = true;
			sending.onWritten?.();
		}
	};

	if (signal?.aborted) {
		onWritten();
		sending.onFailure(abortError(signal));
		return;
	}

	let connection = reuse(plan.target.key);
	trace.reused = connection !== null;
	connection ??= connect(plan.target, trace, sending.lookup);
	const target = connection;
	let onAbort: (() => void) | undefined;
	const settle = () => {
		if (onAbort) {
			signal?.removeEventListener('abort', onAbort);
		}
	};

	const exchange: Exchange = {
		trace,
		method: plan.method,
		onHead(head, hasBody) {
			const body = hasBody
				? new ResponseBody(() => {
						// Stopped reading before the body was whole: the connection cannot serve another request.
						if (target.exchange === exchange) {
							target.exchange = null;
							target.destroy();
						}
					})
				: null;
			if (body) {
				body.once('close', settle);
			} else {
				settle();
			}

			sending.onHead(head, body);
			return body;
		},
		onFailure(error) {
			settle();
			onWritten();
			sending.onFailure(error);
		},
		body: null,
		written: false,
	};
	if (signal) {
		onAbort = () => {
			target.abort(exchange, abortError(signal));
		};

		signal.addEventListener('abort', onAbort, {once: true});
	}

	target.begin(exchange, plan.bytes, error => {
		if (!error) {
			exchange.written = true;
			trace.sentAt = trace.clock();
		}

		onWritten();
	});
}
