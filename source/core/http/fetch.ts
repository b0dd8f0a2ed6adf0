// The `fetch` the SDK sends with: node:http(s) underneath, and the response body left as the
// Node stream it arrived on, for the engine to read directly.
//
// Why not the global fetch (undici): its body is a web ReadableStream, and every chunk of a
// stream goes through its byte-stream controller, a pull, and a promise per read. Measured on
// a 2-core VM against 15 streams of 200 chunks/s: 49–68 µs of CPU per chunk through fetch,
// 30–48 µs through node:http. The request, the status and the headers are the same; the SDK
// still builds the request and turns statuses into its errors.
//
// It also sees what fetch hides: the socket (see connections.ts), for a trace of each request. Its
// headers and responses are its own (fetch-response.ts), not undici's: a stamping thread never loads undici.
import {Buffer} from 'node:buffer';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type {LookupFunction} from 'node:net';
import {pipeline, type Readable, type Transform} from 'node:stream';
import zlib from 'node:zlib';
import {FetchHeaders, FetchResponse} from './fetch-response.js';
import {agents, createTrace, follow, noteKeepAlive, retireIdle, type RequestTrace} from './connections.js';

/** Error bodies (and pages that are not an event stream) are read up to this many bytes, never whole. */
export const errorBodyLimitBytes = 64 * 1024;

export type FetchHooks = {
	/** Filled as the request goes: phases, reads, reuse. */
	readonly trace?: RequestTrace | undefined;
	/**
	 * Hold the request, built, until this resolves (a load arrival prepared ahead of its time); rejected,
	 * the request is dropped unsent and the fetch rejects with its reason.
	 */
	readonly gate?: Promise<void> | undefined;
	/** Called at the send: after the gate, the request built, right before it goes to its socket (take t0 here). */
	readonly onSend?: (() => void) | undefined;
	/**
	 * Called once the send is over: the request handed to its connection (on a kept-alive socket its write comes
	 * in the ticks right after), or failed at its send.
	 */
	readonly onHanded?: (() => void) | undefined;
	/** Called once the request has been handed to the operating system whole, or has failed before that. */
	readonly onWritten?: (() => void) | undefined;
	/** Resolve host names with this instead of the system's resolver (tests feed a failing one). */
	readonly lookup?: LookupFunction | undefined;
	/** Connect afresh: no kept-alive socket to this origin is handed out (they are closed). */
	readonly fresh?: boolean | undefined;
};

export type HttpFetch = (input: string | URL | Request, init?: RequestInit, hooks?: FetchHooks) => Promise<Response>;

/** Bodies compressed although nobody asked (the built-in fetch undid these too). */
const decoders: Record<string, () => Transform> = {
	gzip: () => zlib.createGunzip(),
	'x-gzip': () => zlib.createGunzip(),
	deflate: () => zlib.createInflate(),
	br: () => zlib.createBrotliDecompress(),
};

/**
 * The lookup a request's socket resolves its host with, noting when the name resolved. Made here, not in
 * the fetch: the agent keeps the options a socket was made with (this lookup among them) for the socket's
 * life, and a closure made in the fetch would keep that whole first request with them.
 */
function tracedLookupOf(lookup: LookupFunction, trace: RequestTrace): LookupFunction {
	return (hostname, options, callback) => {
		lookup(hostname, options, (...results: Parameters<typeof callback>) => {
			if (!results[0]) {
				// The name resolved (a failed lookup is no phase: the error says what happened).
				trace.lookupAt = trace.clock();
			}

			callback(...results);
		});
	};
}

/** Statuses whose responses have no body. */
const bodiless = new Set([101, 103, 204, 205, 304]);

const heldRequest = Symbol('llmrace.heldRequest');
type Holding = http.Agent & {[heldRequest]?: readonly [http.ClientRequest, unknown] | undefined};

function holdRequest(this: Holding, request: http.ClientRequest, options: unknown): void {
	this[heldRequest] = [request, options];
}

/**
 * An agent in front of `agent` that only keeps the request it is given: the request is built whole
 * without a socket. No closure: the agent keeps a socket's first request options (this holder among
 * them) for the socket's life, and a closure would keep that request's scope with them.
 */
function holdingAgent(agent: http.Agent): Holding {
	return Object.create(agent, {addRequest: {value: holdRequest}}) as Holding;
}

/** Hand the request `holder` kept to the real agent, which finds its socket; false when it kept none. */
function releaseHeld(holder: Holding, agent: http.Agent): boolean {
	const held = holder[heldRequest];
	holder[heldRequest] = undefined;
	if (!held) {
		return false;
	}

	(agent as unknown as {addRequest: (request: http.ClientRequest, options: unknown) => void}).addRequest(held[0], held[1]);
	return true;
}

/**
 * A fetch for the SDK over node:http(s), keep-alive, no compression asked for (so none to undo).
 * `insecure` accepts any TLS certificate (--insecure).
 *
 * The request is built whole first (its URL, headers, body, its ClientRequest and the header block) against
 * a holding agent; at the send (`hooks.onSend`, after `hooks.gate`) the real agent gets it and finds its
 * socket. So between a t0 taken in `onSend` and the write there is only that: none of the request's own
 * construction (50–300 µs on a thread that has been idle), and a load arrival prepared ahead has nothing
 * of it left to do at its time. A request that cannot be built fails at its send, as if sent.
 */
export function createHttpFetch(insecure: boolean): HttpFetch {
	return async (input, init = {}, hooks = {}) =>
		new Promise<FetchResponse>((resolve, reject) => {
			let agent: http.Agent | undefined;
			let holder: Holding | undefined;
			let request: http.ClientRequest | undefined;
			let origin = '';
			let failure: unknown;
			try {
				const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
				const secure = url.protocol === 'https:';
				if (!secure && url.protocol !== 'http:') {
					throw new TypeError(`unsupported protocol ${url.protocol} in ${url.origin}`);
				}

				const headers: Record<string, string> = {};
				for (const [name, value] of new FetchHeaders(init.headers)) {
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
				agent = secure ? (insecure ? agents.insecure : agents.https) : agents.http;
				holder = holdingAgent(agent);
				origin = `${secure && insecure ? 'insecure:' : ''}${url.origin}`;
				const tracedLookup = tracedLookupOf(hooks.lookup ?? (dns.lookup as LookupFunction), trace);
				const built = (secure ? https : http).request(
					url,
					{
						method: init.method ?? 'GET',
						headers,
						agent: holder,
						lookup: tracedLookup,
						...(init.signal ? {signal: init.signal} : {}),
					},
					message => {
						resolve(responseOf(message, url, trace));
					},
				);
				built.once('socket', socket => {
					follow(socket, built, trace, origin, secure);
				});
				built.once('finish', () => {
					trace.sentAt = trace.clock();
				});
				if (hooks.onWritten) {
					built.once('finish', hooks.onWritten);
					built.once('close', hooks.onWritten);
				}

				built.on('error', reject);
				// Into the request's own buffer: it is written once the request has its socket.
				built.end(body ?? undefined);
				request = built;
			} catch (error) {
				failure = error;
			}

			const send = () => {
				if (agent) {
					retireIdle(origin, hooks.fresh === true);
				}

				hooks.onSend?.();
				if (!agent || !holder || !releaseHeld(holder, agent)) {
					reject(failure ?? new Error('the request was not built'));
				}

				hooks.onHanded?.();
			};

			if (hooks.gate) {
				hooks.gate.then(send, (reason: unknown) => {
					// Dropped unsent: it never reached an agent, so no socket is held for it.
					request?.destroy();
					reject(reason);
				});
			} else {
				send();
			}
		});
}

/** The response to a request of `createHttpFetch`, as the SDK reads it (its body left as the Node stream). */
function responseOf(message: http.IncomingMessage, url: URL, trace: RequestTrace): FetchResponse {
	trace.headersAt = trace.readAt;
	noteKeepAlive(message.socket, message.headers['keep-alive']);

	const responseHeaders = new FetchHeaders();
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
	const decoder =
		decoders[
			String(message.headers['content-encoding'] ?? '')
				.trim()
				.toLowerCase()
		];
	const body: Readable = decoder ? pipeline(message, decoder(), () => {}) : message;
	// A successful event stream is read directly (claimRawBody), never through `text()` or a web body. A web stream
	// left unread per request cost ~90 µs of CPU (its garbage made each young-generation collection slower), 525
	// against 435 µs per request (this fetch and a loopback server, 4,000 each): none is made unless asked for.
	// Anything else (an error status, a page that is not an event stream) is read when someone reads it, bounded.
	const directStream = status < 300 && /event-stream/i.test(String(message.headers['content-type'] ?? ''));
	return new FetchResponse({
		status,
		statusText: message.statusMessage ?? '',
		headers: responseHeaders,
		url: url.href,
		body: bodiless.has(status) ? null : {message: body, claimed: null},
		readable: !directStream,
		limitBytes: errorBodyLimitBytes,
	});
}

/**
 * The Node stream under a response made by `createHttpFetch` (decompressed when the server
 * compressed it), for reading it directly (its web body cannot be read after that). Null for
 * any other response, or one already read.
 */
export function claimRawBody(response: Response): Readable | null {
	return response instanceof FetchResponse ? response.claimRaw() : null;
}
