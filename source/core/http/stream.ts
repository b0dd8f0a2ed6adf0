// One streamed chat completion, timed at arrival: the request, its phases and its stream.
// The SDK builds the request and its errors; the body is read by stream-body.ts; failures are
// classified by http/errors.ts. These three are the only modules that import 'openai'.
import type {LookupFunction} from 'node:net';
import {performance} from 'node:perf_hooks';
import OpenAI, {APIError} from 'openai';
import {createTrace, isStaleSocketFailure, phasesOf, type RequestTrace} from './connections.js';
import {claimRawBody, createHttpFetch} from './fetch.js';
import {RunMeter, type TokenCounter} from '../meter/meter.js';
import {readEventStream} from './stream-body.js';
import {redact} from '../text/redact.js';
import {classifyFailure, hostOf, isStreamOptionsRejection, oneLine, type StopReason} from './errors.js';
import type {Clock, ModelSpec, RunError, RunRecord, RunStatus} from '../types.js';

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
	/** Token events after which a stream that ignores max_tokens is cut (default 4 × maxTokens); kept text is cut past 64 bytes per event of it. */
	readonly hardCapTokens?: number | undefined;
	/** Resolve the host name with this instead of the system's resolver (tests). */
	readonly lookup?: LookupFunction | undefined;
	/** Called when the request that streams is about to be sent, with its meter (again, with a new t0, when it is sent again fresh). */
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

const secureFetch = createHttpFetch(false);
const insecureFetch = createHttpFetch(true);

function seconds(ms: number): string {
	return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
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
	const countRead = () => {
		meter.countRead();
	};

	const controller = new AbortController();
	let stop: StopReason | undefined;
	let t0 = Number.NaN;
	let trace: RequestTrace | undefined;
	let reconnected = false;
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
				: headersAt === undefined
					? `no response headers within ${seconds(total)}`
					: `no first token within ${seconds(total)}`;
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

	const fetcher = options.insecure ? insecureFetch : secureFetch;
	const timedFetch = async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
		if (timer) {
			clearTimeout(timer);
		}

		timer = setTimeout(check, Math.min(options.timeoutMs, 2_147_483_647));
		timer.unref?.();
		reconnected = false;
		// A kept-alive socket the server had already closed fails before any response byte:
		// that request never reached the server, so it is sent again once, on a fresh connection, with its own t0.
		for (let fresh = false; ; ) {
			options.onSend?.(clock(), meter);
			headersAt = undefined;
			meter.socketReads = 0;
			const attempt = createTrace(clock, countRead);
			trace = attempt;
			t0 = clock();
			lastActivity = t0;
			let response: Response;
			try {
				response = await fetcher(url, init, {trace: attempt, onWritten: options.onWritten, lookup: options.lookup, fresh});
			} catch (error) {
				if (fresh || stop || !isStaleSocketFailure(error, attempt)) {
					throw error;
				}

				fresh = true;
				reconnected = true;
				continue;
			}

			headersAt = attempt.headersAt ?? clock();
			lastActivity = headersAt;
			if (response.status >= 400) {
				// At most 64 KiB: the fetch's web body stops there.
				errorBody = await response
					.clone()
					.text()
					.catch(() => '');
			}

			return response;
		}
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

	const send = (withUsage: boolean) =>
		client.chat.completions
			.create(
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
			)
			.withResponse();

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

			({truncated} = await readEventStream({
				body,
				trace: trace!,
				meter,
				t0,
				headers: sent.response.headers,
				hardCapTokens: hardCap,
				keptCapBytes: 64 * hardCap,
				onActivity(at) {
					lastActivity = at;
				},
				onFirstToken(at) {
					gotFirstToken = true;
					// From now on silence is limited too: let the timer look at it in time.
					clearTimeout(timer);
					timer = setTimeout(check, Math.max(1, Math.min(options.idleTimeoutMs, options.timeoutMs - (at - t0))));
					timer.unref?.();
				},
				onChunk: options.onChunk,
			}));
			if (stop) {
				throw new Error('stopped');
			}

			if (!truncated && meter.finishReason === null) {
				status = 'error';
				error = {
					kind: 'protocol',
					status: null,
					message:
						meter.tokenEvents === 0 && meter.chunks.length === 0
							? 'the stream ended without any chunk (no data: events)'
							: 'the stream ended before a finish_reason (cut off)',
				};
			}
		}
	} catch (caught) {
		({status, error} = classifyFailure(caught, stop, {
			host,
			model,
			hasKey: options.apiKey !== null,
			errorBody,
			midStream: gotFirstToken || meter.tokenEvents > 0,
		}));
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

	const record = meter.finish({
		index: options.index,
		warmup: options.warmup,
		status,
		error,
		endOffsetMs: Number.isNaN(t0) ? 0 : end - t0,
		price: model.price,
		truncated,
	});
	return {...record, phases: trace && !Number.isNaN(t0) ? phasesOf(trace, t0) : null, reconnected};
}
