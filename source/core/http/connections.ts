// A trace of each request from its socket's own events (lookup, connect, TLS, written, headers),
// with one stamp per socket read taken before any parsing (http1.ts fills it), and the rules
// for kept-alive sockets: how long the server's `Keep-Alive: timeout` allows, and when a
// failure only means the server had already closed one.
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
	/** Stamp of the latest socket read of the response, taken before any of its bytes were parsed. */
	readAt: number;
	/** Socket reads of the response so far. */
	reads: number;
	/** Called once per socket read of the response, after `readAt` is set. */
	onRead: (() => void) | undefined;
};

export function createTrace(clock: Clock = () => performance.now(), onRead?: () => void): RequestTrace {
	return {clock, reused: false, lookupAt: null, connectAt: null, secureAt: null, sentAt: null, headersAt: null, readAt: 0, reads: 0, onRead};
}

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
