// The `fetch` the SDK sends with: llmrace's own HTTP/1.1 client underneath (http1.ts), and the
// response body left as the stream it arrives on, for the engine to read directly.
//
// Why not the global fetch (undici): its body is a web ReadableStream, and every chunk of a
// stream goes through its byte-stream controller, a pull, and a promise per read. Measured on
// a 2-core VM against 15 streams of 200 chunks/s: 49–68 µs of CPU per chunk through fetch,
// 30–48 µs through node:http, and less again through http1.ts (docs/stamping-threads.md). The
// request, the status and the headers are the same; the SDK still builds the request and turns
// statuses into its errors.
//
// It also sees what fetch hides: the socket, for a trace of each request (connections.ts). Its
// headers and responses are its own (fetch-response.ts), not undici's: a stamping thread never loads undici.
import dns from 'node:dns';
import type {LookupFunction} from 'node:net';
import {PassThrough, pipeline, type Transform} from 'node:stream';
import zlib from 'node:zlib';
import {type BodyStream, FetchHeaders, FetchResponse} from './fetch-response.js';
import {createTrace, type RequestTrace} from './connections.js';
import {planRequest, type RequestPlan, type ResponseBody, type ResponseHead, retireIdle, send} from './http1.js';

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
	/** Called once the send is over: the request written to its connection, or failed at its send. */
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

/** The lookup a request's socket resolves its host with, noting when the name resolved. */
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

/**
 * A fetch for the SDK over http1.ts, keep-alive, no compression asked for (so none to undo).
 * `insecure` accepts any TLS certificate (--insecure).
 *
 * The request is built whole first (its URL, headers and body checked, its bytes made); at the send
 * (`hooks.onSend`, after `hooks.gate`) it only finds its connection and is written. So between a t0 taken in
 * `onSend` and the write there is only that: none of the request's own construction (50–300 µs on a thread
 * that has been idle), and a load arrival prepared ahead has nothing of it left to do at its time. A request
 * that cannot be built fails at its send, as if sent.
 */
export function createHttpFetch(insecure: boolean): HttpFetch {
	return async (input, init = {}, hooks = {}) =>
		new Promise<FetchResponse>((resolve, reject) => {
			const trace = hooks.trace ?? createTrace();
			let plan: RequestPlan | undefined;
			let url: URL | undefined;
			let failure: unknown;
			try {
				url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
				const body = init.body;
				if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof Uint8Array)) {
					throw new TypeError('this fetch sends string or byte bodies only');
				}

				plan = planRequest(url, init.method ?? 'GET', new FetchHeaders(init.headers), body ?? null, insecure);
			} catch (error) {
				failure = error;
			}

			const go = () => {
				if (plan) {
					retireIdle(plan.target.key, hooks.fresh === true);
				}

				hooks.onSend?.();
				if (!plan || !url) {
					reject(failure ?? new Error('the request was not built'));
					hooks.onHanded?.();
					return;
				}

				const where = url;
				try {
					send({
						plan,
						trace,
						lookup: tracedLookupOf(hooks.lookup ?? (dns.lookup as LookupFunction), trace),
						signal: init.signal ?? undefined,
						onHead(head, body) {
							resolve(responseOf(head, body, where, trace));
						},
						onFailure: reject,
						onWritten: hooks.onWritten,
					});
				} catch (error) {
					// A socket that could not even be made (the operating system refused it at once).
					reject(error);
				}

				hooks.onHanded?.();
			};

			if (hooks.gate) {
				hooks.gate.then(go, reject);
			} else {
				go();
			}
		});
}

/** A body compressed unasked, decompressed: a Node stream fed from the connection's body. */
function decompressed(body: ResponseBody, decoder: Transform): BodyStream {
	const source = new PassThrough();
	body.on('data', (piece: Buffer) => {
		source.write(piece);
	});
	body.on('end', () => {
		source.end();
	});
	body.on('error', (error: Error) => {
		source.destroy(error);
	});
	const output = pipeline(source, decoder, () => {});
	output.once('close', () => {
		body.destroy();
	});
	return output;
}

/** The response to a request of `createHttpFetch`, as the SDK reads it (its body left as the stream it arrives on). */
function responseOf(head: ResponseHead, body: ResponseBody | null, url: URL, trace: RequestTrace): FetchResponse {
	trace.headersAt = trace.readAt;
	const headers = new FetchHeaders();
	let encoding = '';
	let contentType = '';
	for (const [name, value] of head.headers) {
		headers.append(name, value);
		if (name === 'content-encoding') {
			encoding = value.trim().toLowerCase();
		} else if (name === 'content-type') {
			contentType = value;
		}
	}

	const decoder = decoders[encoding];
	const {status} = head;
	// A successful event stream is read directly (claimRawBody), never through `text()` or a web body. A web stream
	// left unread per request cost ~90 µs of CPU (its garbage made each young-generation collection slower), 525
	// against 435 µs per request (this fetch and a loopback server, 4,000 each): none is made unless asked for.
	// Anything else (an error status, a page that is not an event stream) is read when someone reads it, bounded.
	const directStream = status < 300 && /event-stream/i.test(contentType);
	return new FetchResponse({
		status,
		statusText: head.statusText,
		headers,
		url: url.href,
		body: body ? {message: decoder ? decompressed(body, decoder()) : body, claimed: null} : null,
		readable: !directStream,
		limitBytes: errorBodyLimitBytes,
	});
}

/**
 * The stream under a response made by `createHttpFetch` (decompressed when the server compressed
 * it), for reading it directly (its web body cannot be read after that). Null for any other
 * response, or one already read.
 */
export function claimRawBody(response: Response): BodyStream | null {
	return response instanceof FetchResponse ? response.claimRaw() : null;
}
