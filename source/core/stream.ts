// One streamed chat completion, timed at arrival. The only module that imports 'openai'.
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {performance} from 'node:perf_hooks';
import OpenAI, {APIConnectionError, APIConnectionTimeoutError, APIError} from 'openai';
import {RunMeter, type StreamChunk, type TokenCounter} from './meter.js';
import {SseDecoder, type SseEvent} from './sse.js';
import {claimRawBody, createHttpFetch} from './http-fetch.js';
import {redact} from './redact.js';
import type {Clock, ModelSpec, RunError, RunRecord, RunStatus} from './types.js';

export type StreamOptions = {
	readonly model: ModelSpec;
	readonly apiKey: string | null;
	readonly prompt: string;
	readonly maxTokens: number;
	readonly temperature: number | null;
	/** Sent as `seed` when not null (providers that support it sample deterministically). */
	readonly seed?: number | null | undefined;
	/** Accept self-signed TLS certificates (local servers). */
	readonly insecure?: boolean | undefined;
	/** Whole request, from send to the end of the stream. */
	readonly timeoutMs: number;
	/** Longest silence allowed between chunks once the first token arrived. */
	readonly idleTimeoutMs: number;
	readonly index: number;
	readonly warmup: boolean;
	readonly countTokens: TokenCounter;
	readonly signal?: AbortSignal | undefined;
	readonly clock?: Clock | undefined;
	/** Token events after which a stream that ignores max_tokens is cut (default 4 × maxTokens). */
	readonly hardCapTokens?: number | undefined;
	/** Called when the request that streams is about to be sent, with its meter. */
	readonly onSend?: ((t0: number, meter: RunMeter) => void) | undefined;
	/**
	 * Called (at least once) when the request that streams is on the wire, or failed to get there:
	 * the race starts the next request's preparation only then, so it never runs between this t0 and this send.
	 */
	readonly onWritten?: (() => void) | undefined;
	/** Called after each chunk was recorded. */
	readonly onChunk?: (() => void) | undefined;
	/** Base URLs known to reject `stream_options` (shared across requests). */
	readonly noUsageOption?: Set<string> | undefined;
};

const silentLogger = {
	error() {},
	warn() {},
	info() {},
	debug() {},
};

/** Base URLs that rejected `stream_options`, remembered for the life of the process. */
export const rejectsStreamOptions = new Set<string>();

type StopReason = {readonly kind: 'aborted'} | {readonly kind: 'timeout'; readonly message: string};

function seconds(ms: number): string {
	return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

function hostOf(baseURL: string): string {
	try {
		return new URL(baseURL).host;
	} catch {
		return baseURL;
	}
}

function oneLine(text: string, max = 300): string {
	const flat = text.replaceAll(/\s+/g, ' ').trim();
	return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The server's own message from an error body: JSON `error.message`, `message`, `detail`, else the text. */
export function messageFromBody(body: string): string {
	try {
		const json = JSON.parse(body) as unknown;
		if (json && typeof json === 'object') {
			const record = json as Record<string, unknown>;
			const error = record['error'];
			if (typeof error === 'string') {
				return oneLine(error);
			}

			if (error && typeof error === 'object') {
				const message = (error as Record<string, unknown>)['message'];
				if (typeof message === 'string') {
					return oneLine(message);
				}
			}

			for (const key of ['message', 'detail']) {
				if (typeof record[key] === 'string') {
					return oneLine(record[key]);
				}
			}
		}
	} catch {}

	return oneLine(body);
}

function retryAfterSeconds(headers: Headers | undefined): number | undefined {
	const value = headers?.get('retry-after');
	if (!value) {
		return undefined;
	}

	const secondsValue = Number(value);
	if (Number.isFinite(secondsValue)) {
		return secondsValue;
	}

	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, Math.round((date - Date.now()) / 1000));
}

function kindOfStatus(status: number): RunError['kind'] {
	if (status === 401 || status === 403) {
		return 'auth';
	}

	if (status === 404) {
		return 'not_found';
	}

	if (status === 429) {
		return 'rate_limit';
	}

	if (status === 408) {
		return 'timeout';
	}

	return status >= 500 ? 'server' : 'bad_request';
}

const networkCodes: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection reset',
	ENOTFOUND: 'host not found (DNS)',
	EAI_AGAIN: 'DNS lookup failed',
	ETIMEDOUT: 'connection timed out',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	EPIPE: 'connection closed',
	UND_ERR_SOCKET: 'connection closed by the server',
	UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
};

function causeChain(error: unknown): Array<{code?: string; message?: string}> {
	const chain: Array<{code?: string; message?: string}> = [];
	let current: unknown = error;
	for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
		const record = current as {code?: unknown; message?: unknown; cause?: unknown};
		chain.push({
			code: typeof record.code === 'string' ? record.code : undefined,
			message: typeof record.message === 'string' ? record.message : undefined,
		});
		current = record.cause;
	}

	return chain;
}

/** A network failure (refused, reset, DNS, TLS) described in one line, naming the host. */
function networkError(error: unknown, host: string, midStream: boolean): RunError {
	const chain = causeChain(error);
	const known = chain.find(link => link.code && (networkCodes[link.code] || /CERT|SSL|TLS/.test(link.code)));
	let what: string;
	if (known?.code && networkCodes[known.code]) {
		what = `${networkCodes[known.code]} (${known.code})`;
	} else if (known?.code) {
		what = `TLS failure: ${known.message ?? known.code} (${known.code})`;
	} else {
		const deepest = chain.at(-1)?.message ?? 'connection failed';
		what = deepest === 'terminated' ? 'connection closed by the server' : deepest;
	}

	return {
		kind: 'network',
		status: null,
		message: `${what}${midStream ? ' mid-stream' : ''} — ${host}`,
	};
}

function isStreamOptionsRejection(status: number | undefined, body: string): boolean {
	return (status === 400 || status === 422) && /stream_options|include_usage/i.test(body);
}

/**
 * Send one streaming chat completion and time it. Never throws for a failed
 * run: the failure is classified in the record, with everything received
 * before it.
 */
export async function streamOnce(options: StreamOptions): Promise<RunRecord> {
	const clock = options.clock ?? (() => performance.now());
	const {model} = options;
	const host = hostOf(model.baseURL);
	const noUsage = options.noUsageOption ?? rejectsStreamOptions;
	const hardCap = options.hardCapTokens ?? 4 * options.maxTokens;
	const meter = new RunMeter(options.countTokens);
	const controller = new AbortController();
	let stop: StopReason | undefined;
	let t0 = Number.NaN;
	let lastActivity = 0;
	let headersAt: number | undefined;
	let gotFirstToken = false;
	let errorBody: string | undefined;
	let timer: NodeJS.Timeout | undefined;

	const abortWith = (reason: StopReason) => {
		if (!stop) {
			stop = reason;
			controller.abort();
		}
	};

	const onUserAbort = () => {
		abortWith({kind: 'aborted'});
	};

	if (options.signal?.aborted) {
		onUserAbort();
	}

	options.signal?.addEventListener('abort', onUserAbort, {once: true});

	// One timer checks both limits: the whole request, and silence after the first token.
	const check = () => {
		const now = clock();
		const total = now - t0;
		if (total >= options.timeoutMs) {
			const what = gotFirstToken
				? `stream not finished after ${seconds(total)}`
				: (headersAt === undefined ? `no response headers within ${seconds(total)}` : `no first token within ${seconds(total)}`);
			abortWith({kind: 'timeout', message: `${what} (--timeout)`});
			return;
		}

		const idle = now - lastActivity;
		if (gotFirstToken && idle >= options.idleTimeoutMs) {
			abortWith({kind: 'timeout', message: `stream stalled: nothing for ${seconds(idle)} after ${meter.tokenEvents} chunks`});
			return;
		}

		const untilTotal = options.timeoutMs - total;
		const untilIdle = gotFirstToken ? options.idleTimeoutMs - idle : untilTotal;
		timer = setTimeout(check, Math.max(1, Math.min(untilTotal, untilIdle)));
		timer.unref?.();
	};

	const timedFetch = async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
		if (timer) {
			clearTimeout(timer);
		}

		timer = setTimeout(check, Math.min(options.timeoutMs, 2_147_483_647));
		timer.unref?.();
		options.onSend?.(clock(), meter);
		headersAt = undefined;
		t0 = clock();
		lastActivity = t0;
		const response = await (options.insecure ? insecureFetch : secureFetch)(url, init, options.onWritten);
		headersAt = clock();
		lastActivity = headersAt;
		if (response.status >= 400) {
			errorBody = await response.clone().text().catch(() => '');
		}

		return response;
	};

	let status: RunStatus = 'ok';
	let error: RunError | null = null;
	let truncated = false;
	const client = new OpenAI({
		apiKey: options.apiKey ?? 'none',
		baseURL: model.baseURL,
		maxRetries: 0,
		// Our own timer enforces --timeout (with a clearer message); the SDK's is only a backstop.
		timeout: options.timeoutMs + 1000,
		fetch: timedFetch,
		logger: silentLogger,
		logLevel: 'off',
		defaultHeaders: {...model.headers},
	});

	const send = (withUsage: boolean) => client.chat.completions.create(
		{
			model: model.id,
			messages: [{role: 'user', content: options.prompt}],
			stream: true,
			max_tokens: options.maxTokens,
			...(options.temperature === null ? {} : {temperature: options.temperature}),
			...(options.seed === null || options.seed === undefined ? {} : {seed: options.seed}),
			...(withUsage ? {stream_options: {include_usage: true}} : {}),
		},
		{signal: controller.signal},
	).withResponse();

	try {
		if (stop) {
			throw new Error('aborted before sending');
		}

		let sent: Awaited<ReturnType<typeof send>>;
		const withUsage = !noUsage.has(model.baseURL);
		try {
			sent = await send(withUsage);
		} catch (sendError) {
			if (withUsage && sendError instanceof APIError && isStreamOptionsRejection(sendError.status, errorBody ?? sendError.message)) {
				noUsage.add(model.baseURL);
				errorBody = undefined;
				sent = await send(false);
			} else {
				throw sendError;
			}
		}

		const contentType = sent.response.headers.get('content-type') ?? '';
		if (contentType && !/event-stream/i.test(contentType)) {
			const body = await sent.response.text().catch(() => '');
			status = 'error';
			error = {
				kind: 'protocol',
				status: null,
				message: `expected an event stream, got ${contentType.split(';')[0]}: ${JSON.stringify(oneLine(body, 120))}`,
			};
		} else {
			const body = claimRawBody(sent.response);
			if (!body) {
				throw new Error('the response body was already read');
			}

			// The body is read here, not through the SDK's stream: each piece is stamped as it arrives
			// and decoded by SseDecoder; the SDK's own rules apply (after [DONE] nothing counts, a JSON
			// 'error' member is an APIError, bad JSON a SyntaxError).
			body.setEncoding('utf8');
			const events = new SseDecoder();
			let arrived = 0;
			let done = false;
			let ended = false;
			const onEvent = (sse: SseEvent) => {
				if (done || truncated) {
					return;
				}

				if (sse.data.startsWith('[DONE]')) {
					done = true;
					return;
				}

				const data = JSON.parse(sse.data) as {error?: object} | null;
				if (sse.event?.startsWith('thread.')) {
					// Assistants events, never part of a chat completion.
					return;
				}

				if (data?.error) {
					throw new APIError(undefined, data.error, undefined, sent.response.headers);
				}

				if (meter.record(arrived - t0, data as unknown as StreamChunk) && !gotFirstToken) {
					gotFirstToken = true;
					// From now on silence is limited too: let the timer look at it in time.
					clearTimeout(timer);
					timer = setTimeout(check, Math.max(1, Math.min(options.idleTimeoutMs, options.timeoutMs - (arrived - t0))));
					timer.unref?.();
				}

				options.onChunk?.();
				if (meter.tokenEvents > hardCap || meter.generatedLength > hardCap * 16) {
					truncated = true;
				}
			};

			try {
				await new Promise<void>((resolve, reject) => {
					body.on('data', (text: string) => {
						arrived = clock();
						lastActivity = arrived;
						try {
							events.push(text, onEvent);
						} catch (error) {
							reject(error);
							return;
						}

						if (truncated) {
							resolve();
						}
					});
					body.on('end', () => {
						ended = true;
						events.end();
						resolve();
					});
					body.on('error', reject);
					// Closed before its end without an error of its own: the server hung up mid-stream.
					body.on('close', () => {
						if (!ended) {
							reject(Object.assign(new Error('terminated'), {code: 'ECONNRESET'}));
						}
					});
				});
			} finally {
				// Stopped reading early (a cap, an error event, bad JSON): close the connection, as the SDK would.
				if (!ended) {
					body.removeAllListeners('data');
					body.destroy();
				}
			}

			if (stop) {
				throw new Error('stopped');
			}

			if (!truncated && meter.finishReason === null) {
				status = 'error';
				error = {
					kind: 'protocol',
					status: null,
					message: meter.tokenEvents === 0 && meter.chunks.length === 0
						? 'the stream ended without any chunk (no data: events)'
						: 'the stream ended before a finish_reason (cut off)',
				};
			}
		}
	} catch (caught) {
		({status, error} = classifyFailure(caught, stop, {host, model, hasKey: options.apiKey !== null, errorBody, midStream: gotFirstToken || meter.tokenEvents > 0}));
	} finally {
		if (timer) {
			clearTimeout(timer);
		}

		options.signal?.removeEventListener('abort', onUserAbort);
		// Also when the request never got out (stopped first, failed before it was made): the next one may go.
		options.onWritten?.();
	}

	const end = clock();
	if (error) {
		error = {...error, message: redact(error.message, [options.apiKey])};
	}

	return meter.finish({
		index: options.index,
		warmup: options.warmup,
		status,
		error,
		endOffsetMs: Number.isNaN(t0) ? 0 : end - t0,
		price: model.price,
		truncated,
	});
}

export function classifyFailure(
	caught: unknown,
	stop: StopReason | undefined,
	context: {host: string; model: ModelSpec; hasKey: boolean; errorBody: string | undefined; midStream: boolean},
): {status: RunStatus; error: RunError} {
	if (stop?.kind === 'aborted') {
		return {status: 'aborted', error: {kind: 'aborted', status: null, message: 'stopped by the user'}};
	}

	if (stop?.kind === 'timeout') {
		return {status: 'timeout', error: {kind: 'timeout', status: null, message: stop.message}};
	}

	if (caught instanceof APIConnectionTimeoutError) {
		return {status: 'timeout', error: {kind: 'timeout', status: null, message: `no response headers from ${context.host} within the timeout`}};
	}

	if (caught instanceof APIConnectionError) {
		return {status: 'error', error: networkError(caught, context.host, false)};
	}

	if (caught instanceof APIError) {
		if (caught.status === undefined) {
			// An error event inside a stream that had started well.
			const message = caught.error && typeof caught.error === 'object' ? messageFromBody(JSON.stringify({error: caught.error})) : oneLine(caught.message);
			return {status: 'error', error: {kind: 'server', status: null, message: `error event in the stream: ${message}`}};
		}

		const kind = kindOfStatus(caught.status);
		const location = caught.status >= 300 && caught.status < 400 ? caught.headers?.get('location') : undefined;
		if (location) {
			// Not followed: a hidden second request would sit inside the TTFT. The base URL is what is wrong.
			return {status: 'error', error: {kind, status: caught.status, message: `HTTP ${caught.status}: ${context.host} redirects to ${oneLine(location, 200)} (set the preset's baseURL to where it points)`}};
		}

		let message = context.errorBody === undefined ? oneLine(caught.message.replace(/^\d{3}\s*/, '')) : messageFromBody(context.errorBody);
		if (!message) {
			message = `HTTP ${caught.status}`;
		}

		if (kind === 'auth') {
			const variable = context.model.apiKeyEnv;
			message += variable
				? (context.hasKey ? ` (API key from $${variable})` : ` (no API key: set $${variable})`)
				: ' (this model has no apiKeyEnv in its preset)';
		}

		if (kind === 'not_found') {
			message += ` (model "${context.model.id}" at ${context.host})`;
		}

		const wait = kind === 'rate_limit' ? retryAfterSeconds(caught.headers) : undefined;
		if (wait !== undefined) {
			message += ` (server asks to retry after ${wait} s)`;
		}

		return {
			status: kind === 'timeout' ? 'timeout' : 'error',
			error: {kind, status: caught.status, message, ...(wait === undefined ? {} : {retryAfterSeconds: wait})},
		};
	}

	if (caught instanceof SyntaxError) {
		return {status: 'error', error: {kind: 'protocol', status: null, message: `malformed JSON in the stream: ${oneLine(caught.message, 160)}`}};
	}

	const chain = causeChain(caught);
	if (chain.some(link => link.code && (networkCodes[link.code] || /CERT|SSL|TLS/.test(link.code))) || chain.some(link => link.message === 'terminated')) {
		return {status: 'error', error: networkError(caught, context.host, context.midStream)};
	}

	const message = caught instanceof Error ? caught.message : String(caught);
	return {status: 'error', error: {kind: 'protocol', status: null, message: oneLine(message)}};
}

const secureFetch = createHttpFetch(false);
const insecureFetch = createHttpFetch(true);

/**
 * Pay the HTTP stack's first-use cost (loading and JIT-warming fetch, the SDK
 * and this module) before any timed request: one stream from a tiny loopback
 * server inside this process.
 */
export async function warmUpHttp(countTokens: TokenCounter): Promise<void> {
	const server = createServer((request, response) => {
		request.resume();
		request.on('end', () => {
			response.writeHead(200, {'content-type': 'text/event-stream'});
			const chunk = (delta: Record<string, unknown>, finish: string | null) => `data: ${JSON.stringify({id: 'w', object: 'chat.completion.chunk', created: 0, model: 'warmup', choices: [{index: 0, delta, finish_reason: finish}]})}\n\n`;
			response.write(chunk({role: 'assistant'}, null));
			response.write(chunk({content: 'ok'}, null));
			response.write(chunk({}, 'stop'));
			response.end('data: [DONE]\n\n');
		});
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const {port} = server.address() as AddressInfo;
	try {
		const model: ModelSpec = {
			id: 'warmup', name: 'warmup', provider: null, baseURL: `http://127.0.0.1:${port}/v1`, apiKeyEnv: null, headers: {},
			price: {inputPerM: null, outputPerM: null}, reasoning: false, reference: null,
		};
		for (let round = 0; round < 2; round++) {
			await streamOnce({
				model, apiKey: null, prompt: 'warm up', maxTokens: 4, temperature: null, timeoutMs: 5000, idleTimeoutMs: 5000,
				index: 0, warmup: true, countTokens, noUsageOption: new Set(),
			});
		}
	} finally {
		server.closeAllConnections();
		await new Promise<void>(resolve => {
			server.close(() => {
				resolve();
			});
		});
	}
}
