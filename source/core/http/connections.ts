// The sockets under the fetch: kept-alive pools that honour the server's `Keep-Alive: timeout`,
// and a trace of each request from its socket's own events (lookup, connect, TLS, written,
// headers), with one stamp per socket read taken ahead of the HTTP parser.
import http from 'node:http';
import https from 'node:https';
import type {Socket} from 'node:net';
import {performance} from 'node:perf_hooks';
import type {Clock, Phases} from '../types.js';

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

export const agents = {
	http: mindful(new http.Agent({keepAlive: true})),
	https: mindful(new https.Agent({keepAlive: true})),
	insecure: mindful(new https.Agent({keepAlive: true, rejectUnauthorized: false})),
};

/** Take idle sockets of `origin` out of their pools and close them: all of them (`fresh`), or those idle too long. */
export function retireIdle(origin: string, fresh: boolean): void {
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

/**
 * Once per socket, for its life: its terms, the stamp of each read (ahead of the HTTP parser's own
 * listener, so it is taken before any parsing), and its idle entry dropped once it closes. A function of
 * its own: a listener made in `follow` would share that call's scope, and keep the socket's first
 * request (its trace, and through it the run's meter and state) for as long as the socket lives.
 */
function adopt(socket: Socket, origin: string): void {
	socketTerms.set(socket, {origin, idleLimitMs: Number.POSITIVE_INFINITY});
	socket.prependListener('data', onSocketRead);
	socket.once('close', () => {
		idleSockets.delete(socket);
	});
}

/** Watch the socket a request got: its phases (fresh sockets) and every read of the response. */
export function follow(socket: Socket, request: http.ClientRequest, trace: RequestTrace, origin: string, secure: boolean): void {
	const traced = socket as TracedSocket;
	idleSockets.delete(socket);
	trace.reused = request.reusedSocket;
	if (!socketTerms.has(socket)) {
		adopt(socket, origin);
	}

	traced[traceOf] = trace;
	request.once('close', () => {
		if (traced[traceOf] === trace) {
			traced[traceOf] = undefined;
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

/** Reset, broken pipe, or a socket already closed ("socket hang up" is ECONNRESET too). */
const staleCodes = new Set(['ECONNRESET', 'EPIPE', 'ERR_STREAM_DESTROYED', 'ERR_SOCKET_CLOSED']);

/**
 * A failure that only means the kept-alive socket was already closed by the server: on a reused
 * socket, before any byte of a response, the connection reset or closed. Safe to send again once, fresh.
 */
export function isStaleSocketFailure(error: unknown, trace: RequestTrace): boolean {
	if (!trace.reused || trace.reads > 0 || trace.headersAt !== null) {
		return false;
	}

	const code = (error as {code?: unknown} | null)?.code;
	return typeof code === 'string' && staleCodes.has(code);
}

/** The phases of a traced request as offsets from its t0 (docs/metrics.md "Where the time went"). */
export function phasesOf(trace: RequestTrace, t0: number): Phases {
	const since = (at: number | null) => (at === null ? null : at - t0);
	return {
		dnsMs: since(trace.lookupAt),
		connectMs: since(trace.connectAt),
		tlsMs: since(trace.secureAt),
		sentMs: since(trace.sentAt),
		headersMs: since(trace.headersAt),
		reused: trace.reused,
	};
}

/** The response on `socket` said how long the server keeps it idle (its `Keep-Alive` header). */
export function noteKeepAlive(socket: Socket, keepAlive: string | string[] | undefined): void {
	const terms = socketTerms.get(socket);
	if (terms) {
		terms.idleLimitMs = idleLimitMs(keepAlive);
	}
}
