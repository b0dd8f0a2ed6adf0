// The `fetch` the SDK sends with: node:http(s) underneath, and the response body left as the
// Node stream it arrived on, for the engine to read directly.
//
// Why not the global fetch (undici): its body is a web ReadableStream, and every chunk of a
// stream goes through its byte-stream controller, a pull, and a promise per read. Measured on
// a 2-core VM against 15 streams of 200 chunks/s: 49–68 µs of CPU per chunk through fetch,
// 30–48 µs through node:http. The request, the status and the headers are the same; the SDK
// still builds the request and turns statuses into its errors.
//
// It also sees what fetch hides: the socket. Each request gets a trace of its socket's own events
// (lookup, connect, TLS, written, headers), one stamp per socket read taken ahead of the HTTP
// parser, and whether the socket was a kept-alive one. Kept-alive sockets are handed out only
// while the server's advertised `Keep-Alive: timeout` allows.
import {Buffer} from 'node:buffer';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type {LookupFunction, Socket} from 'node:net';
import {performance} from 'node:perf_hooks';
import {pipeline, type Readable, type Transform} from 'node:stream';
import zlib from 'node:zlib';
import type {Clock} from './types.js';

/** Error bodies (and pages that are not an event stream) are read up to this many bytes, never whole. */
export const errorBodyLimitBytes = 64 * 1024;

/** What happened to one request on its socket: clock times (the trace's clock), null when it did not happen. */
export type RequestTrace = {
	readonly clock: Clock;
	/** The request went out on a kept-alive socket. */
	reused: boolean;
	lookupAt: number | null;
	connectAt: number | null;
	secureAt: number | null;
	sentAt: number | null;
	headersAt: number | null;
	/** Stamp of the latest socket read of the response, taken before the HTTP parser saw its bytes. */
	readAt: number;
	/** Socket reads of the response so far. */
	reads: number;
	/** Called once per socket read of the response, after `readAt` is set. */
	onRead: (() => void) | undefined;
};

export function createTrace(clock: Clock = () => performance.now(), onRead?: () => void): RequestTrace {
	return {clock, reused: false, lookupAt: null, connectAt: null, secureAt: null, sentAt: null, headersAt: null, readAt: 0, reads: 0, onRead};
}

export type FetchHooks = {
	/** Filled as the request goes: phases, reads, reuse. */
	readonly trace?: RequestTrace | undefined;
	/** Called once the request has been handed to the operating system whole, or has failed before that. */
	readonly onWritten?: (() => void) | undefined;
	/** Resolve host names with this instead of the system's resolver (tests feed a failing one). */
	readonly lookup?: LookupFunction | undefined;
	/** Connect afresh: no kept-alive socket to this origin is handed out (they are closed). */
	readonly fresh?: boolean | undefined;
};

export type HttpFetch = (input: string | URL | Request, init?: RequestInit, hooks?: FetchHooks) => Promise<Response>;

type IdleSocket = {readonly origin: string; readonly deadline: number};

/** Kept-alive sockets waiting in an agent's pool, with the time after which the server may have closed them. */
const idleSockets = new Map<Socket, IdleSocket>();
/** Per socket: its origin and the idle time its last response allowed (ms; Infinity when the server said nothing). */
const socketTerms = new WeakMap<Socket, {origin: string; idleLimitMs: number}>();
const traceOf = Symbol('llmrace.trace');
type TracedSocket = Socket & {[traceOf]?: RequestTrace | undefined};

/**
 * The idle time a `Keep-Alive: timeout=N` header allows before the server may close the socket, less a
 * margin for the close already on its way (a second, or a quarter of short timeouts). Infinity without a hint.
 */
export function idleLimitMs(keepAlive: string | string[] | undefined): number {
	const match = /(?:^|[,;\s])timeout=(\d+)/i.exec(String(keepAlive ?? ''));
	if (!match) {
		return Number.POSITIVE_INFINITY;
	}

	const timeoutMs = Number(match[1]) * 1000;
	return timeoutMs - Math.min(1000, timeoutMs / 4);
}

/** An agent that keeps a socket only while the server's advertised idle timeout allows. */
function mindful<T extends http.Agent>(agent: T): T {
	const keep = (agent.keepSocketAlive as unknown as (socket: Socket) => boolean).bind(agent);
	(agent as unknown as {keepSocketAlive: (socket: Socket) => boolean}).keepSocketAlive = socket => {
		const terms = socketTerms.get(socket);
		if (!keep(socket) || (terms && terms.idleLimitMs <= 0)) {
			return false;
		}

		idleSockets.set(socket, {origin: terms?.origin ?? '', deadline: performance.now() + (terms?.idleLimitMs ?? Number.POSITIVE_INFINITY)});
		return true;
	};

	return agent;
}

const agents = {
	http: mindful(new http.Agent({keepAlive: true})),
	https: mindful(new https.Agent({keepAlive: true})),
	insecure: mindful(new https.Agent({keepAlive: true, rejectUnauthorized: false})),
};

/** Take idle sockets of `origin` out of their pools and close them: all of them (`fresh`), or those idle too long. */
function retireIdle(origin: string, fresh: boolean): void {
	if (idleSockets.size === 0) {
		return;
	}

	const now = performance.now();
	for (const [socket, idle] of idleSockets) {
		if (idle.origin === origin && (fresh || now >= idle.deadline)) {
			idleSockets.delete(socket);
			// The agent's own way to drop a socket from its lists.
			socket.emit('agentRemove');
			socket.destroy();
		}
	}
}

function onSocketRead(this: TracedSocket): void {
	const trace = this[traceOf];
	if (trace) {
		trace.readAt = trace.clock();
		trace.reads++;
		trace.onRead?.();
	}
}

/** Watch the socket a request got: its phases (fresh sockets) and every read of the response. */
function follow(socket: TracedSocket, request: http.ClientRequest, trace: RequestTrace, origin: string, secure: boolean): void {
	idleSockets.delete(socket);
	trace.reused = request.reusedSocket;
	if (!socketTerms.has(socket)) {
		socketTerms.set(socket, {origin, idleLimitMs: Number.POSITIVE_INFINITY});
		// Once per socket, ahead of the HTTP parser's own listener: the stamp is taken before any parsing.
		socket.prependListener('data', onSocketRead);
		socket.once('close', () => {
			idleSockets.delete(socket);
		});
	}

	socket[traceOf] = trace;
	request.once('close', () => {
		if (socket[traceOf] === trace) {
			socket[traceOf] = undefined;
		}
	});
	if (!trace.reused) {
		socket.once('connect', () => {
			trace.connectAt = trace.clock();
		});
		if (secure) {
			socket.once('secureConnect', () => {
				trace.secureAt = trace.clock();
			});
		}
	}
}

/**
 * A failure that only means the kept-alive socket was already closed by the server: on a reused
 * socket, before any byte of a response, the connection reset or closed. Safe to send again once, fresh.
 */
export function isStaleSocketFailure(error: unknown, trace: RequestTrace): boolean {
	if (!trace.reused || trace.reads > 0 || trace.headersAt !== null) {
		return false;
	}

	const code = (error as {code?: unknown} | null)?.code;
	return code === 'ECONNRESET' || code === 'EPIPE';
}

const rawBodies = new WeakMap<Response, {readonly message: Readable; claimed: 'raw' | 'web' | null}>();

/** Bodies compressed although nobody asked (the built-in fetch undid these too). */
const decoders: Record<string, () => Transform> = {
	gzip: () => zlib.createGunzip(),
	'x-gzip': () => zlib.createGunzip(),
	deflate: () => zlib.createInflate(),
	br: () => zlib.createBrotliDecompress(),
};

/** Statuses whose responses have no body (the Response constructor refuses one). */
const bodiless = new Set([101, 103, 204, 205, 304]);

/**
 * The body as a web stream, for the SDK's error handling and pages that are not an event stream:
 * at most `errorBodyLimitBytes`, then the connection is closed.
 */
function boundedWebBody(body: Readable, entry: {claimed: 'raw' | 'web' | null}): ReadableStream<Uint8Array> {
	return new ReadableStream<Uint8Array>({
		pull(controller) {
			if (entry.claimed === 'web') {
				return;
			}

			if (entry.claimed === 'raw') {
				controller.error(new TypeError('the body is being read directly'));
				return;
			}

			entry.claimed = 'web';
			let kept = 0;
			let closed = false;
			body.on('data', (chunk: Buffer) => {
				if (closed) {
					return;
				}

				const room = errorBodyLimitBytes - kept;
				const piece = chunk.byteLength > room ? chunk.subarray(0, room) : chunk;
				kept += piece.byteLength;
				controller.enqueue(new Uint8Array(piece.buffer, piece.byteOffset, piece.byteLength));
				if (kept >= errorBodyLimitBytes) {
					closed = true;
					controller.close();
					body.destroy();
				}
			});
			body.on('end', () => {
				if (!closed) {
					closed = true;
					controller.close();
				}
			});
			body.on('error', error => {
				if (!closed) {
					closed = true;
					controller.error(error);
				}
			});
		},
		cancel() {
			body.destroy();
		},
	}, {highWaterMark: 0});
}

/**
 * A fetch for the SDK over node:http(s), keep-alive, no compression asked for (so none to undo).
 * `insecure` accepts any TLS certificate (--insecure).
 */
export function createHttpFetch(insecure: boolean): HttpFetch {
	return async (input, init = {}, hooks = {}) => {
		const url = new URL(input instanceof Request ? input.url : input);
		const secure = url.protocol === 'https:';
		if (!secure && url.protocol !== 'http:') {
			throw new TypeError(`unsupported protocol ${url.protocol} in ${url.origin}`);
		}

		const headers: Record<string, string> = {};
		for (const [name, value] of new Headers(init.headers)) {
			headers[name] = value;
		}

		const body = init.body;
		if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof Uint8Array)) {
			throw new TypeError('this fetch sends string or byte bodies only');
		}

		if (body !== undefined && body !== null) {
			headers['content-length'] = String(Buffer.byteLength(body));
		}

		const trace = hooks.trace ?? createTrace();
		const agent = secure ? (insecure ? agents.insecure : agents.https) : agents.http;
		const origin = `${secure && insecure ? 'insecure:' : ''}${url.origin}`;
		const lookup = hooks.lookup ?? (dns.lookup as LookupFunction);
		const tracedLookup: LookupFunction = (hostname, options, callback) => {
			lookup(hostname, options, (...results: Parameters<typeof callback>) => {
				if (!results[0]) {
					// The name resolved (a failed lookup is no phase: the error says what happened).
					trace.lookupAt = trace.clock();
				}

				callback(...results);
			});
		};

		retireIdle(origin, hooks.fresh === true);
		return new Promise<Response>((resolve, reject) => {
			const request = (secure ? https : http).request(url, {
				method: init.method ?? 'GET',
				headers,
				agent,
				lookup: tracedLookup,
				...(init.signal ? {signal: init.signal} : {}),
			}, message => {
				trace.headersAt = trace.readAt;
				const {socket} = message;
				const terms = socketTerms.get(socket);
				if (terms) {
					terms.idleLimitMs = idleLimitMs(message.headers['keep-alive']);
				}

				const responseHeaders = new Headers();
				for (const [name, value] of Object.entries(message.headers)) {
					if (Array.isArray(value)) {
						for (const each of value) {
							responseHeaders.append(name, each);
						}
					} else if (value !== undefined) {
						responseHeaders.set(name, value);
					}
				}

				const status = message.statusCode ?? 0;
				const decoder = decoders[String(message.headers['content-encoding'] ?? '').trim().toLowerCase()];
				const body: Readable = decoder ? pipeline(message, decoder(), () => {}) : message;
				const entry = {message: body, claimed: null as 'raw' | 'web' | null};
				// The web body is made only if someone reads it (an error status, a page that is not an event stream).
				const webBody = bodiless.has(status) ? null : boundedWebBody(body, entry);
				const response = new Response(webBody, {status, statusText: message.statusMessage ?? '', headers: responseHeaders});
				rawBodies.set(response, entry);
				resolve(response);
			});
			request.once('socket', socket => {
				follow(socket as TracedSocket, request, trace, origin, secure);
			});
			request.once('finish', () => {
				trace.sentAt = trace.clock();
			});
			if (hooks.onWritten) {
				request.once('finish', hooks.onWritten);
				request.once('close', hooks.onWritten);
			}

			request.on('error', reject);
			request.end(body ?? undefined);
		});
	};
}

/**
 * The Node stream under a response made by `createHttpFetch` (decompressed when the server
 * compressed it), for reading it directly (its web body cannot be read after that). Null for
 * any other response, or one already read.
 */
export function claimRawBody(response: Response): Readable | null {
	const entry = rawBodies.get(response);
	if (!entry || entry.claimed !== null) {
		return null;
	}

	entry.claimed = 'raw';
	return entry.message;
}
