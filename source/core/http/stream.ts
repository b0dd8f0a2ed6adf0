// One streamed chat completion, timed at arrival: the request, its phases and its stream.
// The SDK builds the request and its errors; the body is read by stream-body.ts; failures are
// classified by http/errors.ts. These three are the only modules that use the SDK (from http/sdk.ts).
import type {LookupFunction} from 'node:net';
import {performance} from 'node:perf_hooks';
import {OpenAI, APIError} from './sdk.js';
import {createTrace, isStaleSocketFailure, phasesOf, type RequestTrace} from './connections.js';
import {claimRawBody, createHttpFetch} from './fetch.js';
import {watchRun, type RunWatch} from '../meter/client-delay.js';
import {RunMeter, type TokenCounter} from '../meter/meter.js';
import {readEventStream} from './stream-body.js';
import {redact} from '../text/redact.js';
import {classifyFailure, hostOf, isStreamOptionsRejection, oneLine, type StopReason} from './errors.js';
import type {Clock, ModelSpec, Phases, RunError, RunRecord, RunStatus} from '../types.js';

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
	/** The o200k_base counter; only `streamOnce` needs it (a stamping thread runs `streamRun` without one). */
	readonly countTokens?: TokenCounter | undefined;
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
	/**
	 * Prepared ahead (a load arrival): the request is built and handed to the fetch, which waits for this
	 * before its `t0` and its send (core/load/dispatch.ts). A rejection cancels the request unsent.
	 */
	readonly gate?: Promise<void> | undefined;
	/** Called once the request is handed to its connection at its send, or failed there (FetchHooks `onHanded`). */
	readonly onHanded?: (() => void) | undefined;
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

/**
 * The default clock, one function for every run: a closure made per run would share its scope, and the
 * trace that keeps the clock outlives the run (the agent keeps a socket's first request options).
 */
const performanceClock: Clock = () => performance.now();

const secureFetch = createHttpFetch(false);
const insecureFetch = createHttpFetch(true);

function seconds(ms: number): string {
	return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** What one request left once its stream ended or failed: the meter that recorded it, and how it ended. */
export type StreamOutcome = {
	readonly meter: RunMeter;
	readonly status: RunStatus;
	readonly error: RunError | null;
	readonly endOffsetMs: number;
	readonly truncated: boolean;
	readonly phases: Phases | null;
	readonly reconnected: boolean;
	/** The worst delay of this thread's event loop while the run was in flight (ms); null when nothing was sent. */
	readonly clientDelayMs: number | null;
};

/** The state of one run that the watchdog, the fetch and the body reader share. */
type RunState = {
	readonly options: StreamOptions;
	readonly clock: Clock;
	readonly meter: RunMeter;
	readonly controller: AbortController;
	stop: StopReason | undefined;
	t0: number;
	trace: RequestTrace | undefined;
	reconnected: boolean;
	lastActivity: number;
	headersAt: number | undefined;
	gotFirstToken: boolean;
	errorBody: string | undefined;
	timer: NodeJS.Timeout | undefined;
	watch: RunWatch | undefined;
	truncated: boolean;
};

function abortWith(state: RunState, reason: StopReason): void {
	if (!state.stop) {
		state.stop = reason;
		state.controller.abort();
	}
}

function setTimer(state: RunState, ms: number): void {
	state.timer = setTimeout(() => {
		checkLimits(state);
	}, ms);
	state.timer.unref?.();
}

/** One timer checks both limits: the whole request, and silence after the first token. */
function checkLimits(state: RunState): void {
	const {options} = state;
	const now = state.clock();
	const total = now - state.t0;
	if (total >= options.timeoutMs) {
		const what = state.gotFirstToken
			? `stream not finished after ${seconds(total)}`
			: state.headersAt === undefined
				? `no response headers within ${seconds(total)}`
				: `no first token within ${seconds(total)}`;
		abortWith(state, {kind: 'timeout', message: `${what} (--timeout)`});
		return;
	}

	const idle = now - state.lastActivity;
	if (state.gotFirstToken && idle >= options.idleTimeoutMs) {
		abortWith(state, {kind: 'timeout', message: `stream stalled: nothing for ${seconds(idle)} after ${state.meter.tokenEvents} chunks`});
		return;
	}

	const untilTotal = options.timeoutMs - total;
	const untilIdle = state.gotFirstToken ? options.idleTimeoutMs - idle : untilTotal;
	setTimer(state, Math.max(1, Math.min(untilTotal, untilIdle)));
}

/** From the first token on, silence is limited too: let the timer look at it in time. */
function armIdleLimit(state: RunState, at: number): void {
	state.gotFirstToken = true;
	clearTimeout(state.timer);
	setTimer(state, Math.max(1, Math.min(state.options.idleTimeoutMs, state.options.timeoutMs - (at - state.t0))));
}

/**
 * The SDK's fetch, timed: the watchdog armed at the send, a t0 per request, and the stale-socket rule.
 * A kept-alive socket the server had already closed fails before any response byte: that request
 * never reached the server, so it is sent again once, on a fresh connection, with its own t0.
 */
function timedFetchOf(state: RunState) {
	const {options, meter, clock} = state;
	const fetcher = options.insecure ? insecureFetch : secureFetch;
	const countRead = () => {
		meter.countRead();
	};

	return async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
		state.reconnected = false;
		for (let fresh = false; ; ) {
			const attempt = createTrace(clock, countRead);
			// At the send: after the gate (a load arrival prepared ahead), the request built, right before it goes to its socket.
			const onSend = () => {
				if (!fresh) {
					if (state.timer) {
						clearTimeout(state.timer);
					}

					setTimer(state, Math.min(options.timeoutMs, 2_147_483_647));
				}

				options.onSend?.(clock(), meter);
				state.headersAt = undefined;
				meter.socketReads = 0;
				state.trace = attempt;
				state.watch ??= watchRun();
				state.t0 = clock();
				state.lastActivity = state.t0;
			};

			let response: Response;
			try {
				response = await fetcher(url, init, {
					trace: attempt,
					gate: fresh ? undefined : options.gate,
					onSend,
					onHanded: fresh ? undefined : options.onHanded,
					onWritten: options.onWritten,
					lookup: options.lookup,
					fresh,
				});
			} catch (error) {
				if (fresh || state.stop || !isStaleSocketFailure(error, attempt)) {
					throw error;
				}

				fresh = true;
				state.reconnected = true;
				continue;
			}

			state.headersAt = attempt.headersAt ?? clock();
			state.lastActivity = state.headersAt;
			if (response.status >= 400) {
				// At most 64 KiB: the fetch's web body stops there.
				state.errorBody = await response
					.clone()
					.text()
					.catch(() => '');
			}

			return response;
		}
	};
}

type Sent = {readonly response: Response};

type TimedFetch = ReturnType<typeof timedFetchOf>;

/** The request option under which each request brings its own timed fetch to the shared client. */
const runFetchKey = 'llmraceRunFetch';

/**
 * One SDK client per server, key and headers on this thread: building one is ~0.2 ms of CPU (it makes
 * every resource of the API); per request it cost a load run ~0.3 ms a request, and a race of 256 models
 * a burst that delayed every stamp behind it (docs/stamping-threads.md, the send path).
 */
const clients = new Map<string, OpenAI>();
const clientsAtMost = 64;

function clientFor(options: StreamOptions): OpenAI {
	const {model} = options;
	const key = JSON.stringify([model.baseURL, options.apiKey, model.headers]);
	let client = clients.get(key);
	if (!client) {
		if (clients.size >= clientsAtMost) {
			clients.clear();
		}

		client = new OpenAI({
			apiKey: options.apiKey ?? 'none',
			baseURL: model.baseURL,
			maxRetries: 0,
			async fetch(url, init) {
				const {[runFetchKey]: runFetch, ...rest} = (init ?? {}) as RequestInit & {[runFetchKey]?: TimedFetch};
				if (!runFetch) {
					throw new Error('a request without its timed fetch');
				}

				return runFetch(url, rest);
			},
			logger: silentLogger,
			logLevel: 'off',
			defaultHeaders: {...model.headers},
		});
		clients.set(key, client);
	}

	return client;
}

/** Send the request; a server that rejects `stream_options` gets it again without, once, and is remembered. */
async function sendRequest(state: RunState): Promise<Sent> {
	const {options} = state;
	const {model} = options;
	const noUsage = options.noUsageOption ?? rejectsStreamOptions;
	const client = clientFor(options);
	// This request's own timed fetch, handed to the shared client's fetch through the request's options.
	const fetchOptions = {[runFetchKey]: timedFetchOf(state)} as NonNullable<NonNullable<Parameters<OpenAI['chat']['completions']['create']>[1]>['fetchOptions']>;
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
				// Our own timer enforces --timeout (with a clearer message); the SDK's is only a backstop.
				{signal: state.controller.signal, timeout: options.timeoutMs + 1000, fetchOptions},
			)
			.withResponse();

	const withUsage = !noUsage.has(model.baseURL);
	try {
		return await send(withUsage);
	} catch (sendError) {
		if (withUsage && sendError instanceof APIError && isStreamOptionsRejection(sendError.status, state.errorBody ?? sendError.message)) {
			noUsage.add(model.baseURL);
			state.errorBody = undefined;
			return send(false);
		}

		throw sendError;
	}
}

type Ending = {status: RunStatus; error: RunError | null; truncated: boolean};

/** Read the response: an event stream to its end (or its cap), anything else as a protocol error. */
async function readResponse(state: RunState, sent: Sent): Promise<Ending> {
	const {meter, options} = state;
	const hardCap = options.hardCapTokens ?? 4 * options.maxTokens;
	const contentType = sent.response.headers.get('content-type') ?? '';
	if (contentType && !/event-stream/i.test(contentType)) {
		const body = await sent.response.text().catch(() => '');
		return {
			status: 'error',
			truncated: false,
			error: {
				kind: 'protocol',
				status: null,
				message: `expected an event stream, got ${contentType.split(';')[0]}: ${JSON.stringify(oneLine(body, 120))}`,
			},
		};
	}

	const body = claimRawBody(sent.response);
	if (!body) {
		throw new Error('the response body was already read');
	}

	const {truncated} = await readEventStream({
		body,
		trace: state.trace!,
		meter,
		t0: state.t0,
		headers: sent.response.headers,
		hardCapTokens: hardCap,
		keptCapBytes: 64 * hardCap,
		onActivity(at) {
			state.lastActivity = at;
		},
		onFirstToken(at) {
			armIdleLimit(state, at);
		},
		onChunk: options.onChunk,
	});
	state.truncated = truncated;
	if (state.stop) {
		throw new Error('stopped');
	}

	if (!truncated && meter.finishReason === null) {
		const message =
			meter.tokenEvents === 0 && meter.chunkCount === 0
				? 'the stream ended without any chunk (no data: events)'
				: 'the stream ended before a finish_reason (cut off)';
		return {status: 'error', truncated, error: {kind: 'protocol', status: null, message}};
	}

	return {status: 'ok', error: null, truncated};
}

/**
 * Send one streaming chat completion and record it as it arrives, without counting tokens: what a
 * stamping thread does (worker/stamp-worker.ts). Never throws for a failed run: the failure is
 * classified in the outcome, with everything received before it in the meter.
 */
export async function streamRun(options: StreamOptions): Promise<StreamOutcome> {
	const state: RunState = {
		options,
		clock: options.clock ?? performanceClock,
		meter: new RunMeter(options.countTokens),
		controller: new AbortController(),
		stop: undefined,
		t0: Number.NaN,
		trace: undefined,
		reconnected: false,
		lastActivity: 0,
		headersAt: undefined,
		gotFirstToken: false,
		errorBody: undefined,
		timer: undefined,
		watch: undefined,
		truncated: false,
	};
	const onUserAbort = () => {
		abortWith(state, {kind: 'aborted'});
	};

	if (options.signal?.aborted) {
		onUserAbort();
	}

	options.signal?.addEventListener('abort', onUserAbort, {once: true});
	let ending: Ending;
	try {
		if (state.stop) {
			throw new Error('aborted before sending');
		}

		ending = await readResponse(state, await sendRequest(state));
	} catch (caught) {
		ending = {
			...classifyFailure(caught, state.stop, {
				host: hostOf(options.model.baseURL),
				model: options.model,
				hasKey: options.apiKey !== null,
				errorBody: state.errorBody,
				midStream: state.gotFirstToken || state.meter.tokenEvents > 0,
			}),
			truncated: state.truncated,
		};
	} finally {
		if (state.timer) {
			clearTimeout(state.timer);
		}

		if (state.trace) {
			// The agent keeps a socket's first trace (its lookup's) while the socket lives: not this run's meter with it.
			state.trace.onRead = undefined;
		}

		options.signal?.removeEventListener('abort', onUserAbort);
		// Also when the request never got out (stopped first, failed before it was made): the next one may go.
		options.onWritten?.();
	}

	const end = state.clock();
	const clientDelayMs = state.watch?.stop() ?? null;
	const {t0, trace} = state;
	const error = ending.error && {...ending.error, message: redact(ending.error.message, [options.apiKey])};
	return {
		meter: state.meter,
		status: ending.status,
		error,
		endOffsetMs: Number.isNaN(t0) ? 0 : end - t0,
		truncated: ending.truncated,
		phases: trace && !Number.isNaN(t0) ? phasesOf(trace, t0) : null,
		reconnected: state.reconnected,
		clientDelayMs,
	};
}

/** How a run ended, without its meter: what a stamping thread posts with the meter's last delta. */
export type StreamEnding = Omit<StreamOutcome, 'meter'>;

/** The run record of an ending: token counts, flags, statistics, from `meter` (which counts with its tokenizer). */
export function recordOf(
	outcome: StreamEnding,
	run: {readonly index: number; readonly warmup: boolean; readonly model: ModelSpec},
	meter: RunMeter,
): RunRecord {
	const record = meter.finish({
		index: run.index,
		warmup: run.warmup,
		status: outcome.status,
		error: outcome.error,
		endOffsetMs: outcome.endOffsetMs,
		price: run.model.price,
		truncated: outcome.truncated,
		clientDelayMs: outcome.clientDelayMs,
	});
	return {...record, phases: outcome.phases, reconnected: outcome.reconnected};
}

/**
 * Send one streaming chat completion and time it, on this thread. Never throws for a failed
 * run: the failure is classified in the record, with everything received before it.
 */
export async function streamOnce(options: StreamOptions): Promise<RunRecord> {
	const outcome = await streamRun(options);
	return recordOf(outcome, options, outcome.meter);
}
