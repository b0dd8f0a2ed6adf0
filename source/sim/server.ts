// The simulated OpenAI-compatible server: POST /v1/chat/completions (streaming and not), GET /v1/models.
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';
import {performance} from 'node:perf_hooks';
import {encode, decode} from 'gpt-tokenizer/encoding/o200k_base';
import {createRandom, hashString} from './random.js';
import {allSentences, answerSentences, reasoningSentences} from './text.js';

/** Ways a simulated model can misbehave, for tests and demonstrations. */
export type SimFault =
	| {readonly kind: 'status'; readonly status: number; readonly body?: string; readonly contentType?: string; readonly headers?: Readonly<Record<string, string>>}
	| {readonly kind: 'html'}
	| {readonly kind: 'cut'; readonly afterTokens: number}
	| {readonly kind: 'end-early'; readonly afterTokens: number}
	| {readonly kind: 'stall'; readonly afterTokens: number}
	| {readonly kind: 'no-headers'}
	| {readonly kind: 'malformed'; readonly afterTokens: number}
	| {readonly kind: 'error-event'; readonly afterTokens: number; readonly message: string}
	| {readonly kind: 'ignore-max-tokens'}
	| {readonly kind: 'reject-stream-options'}
	| {readonly kind: 'no-usage'};

export type SimModel = {
	readonly id: string;
	/** Time to the first visible token (for reasoning models, the first answer token). */
	readonly ttftMs: number;
	readonly tokensPerSecond: number;
	readonly reasoning: boolean;
	/**
	 * Reasoning models: how long they think before the first answer token. It does not depend on
	 * where the race runs from, so a region's shorter TTFT moves the first reasoning token too
	 * (default: three quarters of ttftMs).
	 */
	readonly thinkingMs?: number | undefined;
	/** Tokens of the answer before max_tokens (default about 150). */
	readonly outputTokens?: number | undefined;
	readonly fault?: SimFault | undefined;
};

export type SimConfig = {
	readonly models: readonly SimModel[];
	readonly seed: number;
	/** Relative spread of TTFT, decode rate and length (0.1 = ±10 %). */
	readonly jitter?: number | undefined;
};

/** What the server measured about its own writes, sent in the last chunk as `x_llmrace_sim`. */
export type SimTimings = {
	/** From the request's arrival to the first token written. */
	readonly ttft_ms: number;
	/** (tokens − 1) / (last token write − first token write). */
	readonly decode_tps: number | null;
	readonly tokens: number;
};

type Token = {readonly text: string; readonly reasoning: boolean; readonly at: number};

// Each sentence is tokenized once (as the first sentence, and after a space), never per request.
const tokenCache = new Map<string, string[]>();
function tokensOf(text: string): string[] {
	let tokens = tokenCache.get(text);
	if (!tokens) {
		tokens = encode(text).map(token => decode([token]));
		tokenCache.set(text, tokens);
	}

	return tokens;
}

function tokenizeSentences(sentences: readonly string[]): string[] {
	return sentences.flatMap((sentence, index) => tokensOf(index === 0 ? sentence : ` ${sentence}`));
}

/** Tokenize every sentence the simulator can say, so no request pays for it. */
export function warmTokenCache(): void {
	for (const sentence of allSentences) {
		tokensOf(sentence);
		tokensOf(` ${sentence}`);
	}
}

/** The plan of one simulated response: which tokens, and when (ms after the request arrived). */
export function planResponse(model: SimModel, prompt: string, maxTokens: number, seed: number, requestNumber: number, jitter: number): {tokens: Token[]; finishReason: 'stop' | 'length'} {
	const random = createRandom(hashString(`${seed}:${model.id}:${requestNumber}`));
	const spread = () => 1 + (jitter * ((random() * 2) - 1));
	const ttfa = model.ttftMs * spread();
	const interval = 1000 / (model.tokensPerSecond * spread());
	const wanted = Math.max(1, Math.round((model.outputTokens ?? 150) * spread()));
	const tokens: Token[] = [];
	if (model.reasoning) {
		// Thinking streams at the decode rate until the first answer token.
		const thinking = (model.thinkingMs ?? model.ttftMs * 0.75) * (ttfa / model.ttftMs);
		const start = Math.max(20, ttfa - thinking);
		const count = Math.max(1, Math.floor((ttfa - start) / interval));
		const thoughts = tokenizeSentences(reasoningSentences(random, count * 6)).slice(0, count);
		for (const [index, text] of thoughts.entries()) {
			tokens.push({text, reasoning: true, at: start + (index * interval)});
		}
	}

	const answer = tokenizeSentences(answerSentences(prompt, random, wanted * 6)).slice(0, wanted);
	for (const [index, text] of answer.entries()) {
		tokens.push({text, reasoning: false, at: ttfa + (index * interval)});
	}

	const finishReason = tokens.length > maxTokens ? 'length' : 'stop';
	return {tokens: tokens.slice(0, maxTokens), finishReason};
}

async function readBody(request: IncomingMessage): Promise<string> {
	const parts: Buffer[] = [];
	for await (const part of request) {
		parts.push(part as Buffer);
	}

	return Buffer.concat(parts).toString('utf8');
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	response.writeHead(status, {'content-type': 'application/json', ...headers});
	response.end(JSON.stringify(body));
}

function errorBody(message: string, type: string, code: string | null = null) {
	return {error: {message, type, param: null, code}};
}

export function createSimServer(config: SimConfig): Server {
	const jitter = config.jitter ?? 0.1;
	const counters = new Map<string, number>();
	const created = Math.floor(Date.now() / 1000);

	// Timing starts when the request arrives (its headers), as a real server's queue would see it.
	const handleCompletion = async (request: IncomingMessage, response: ServerResponse, arrived: number): Promise<void> => {
		const raw = await readBody(request);
		let body: Record<string, unknown>;
		try {
			body = JSON.parse(raw) as Record<string, unknown>;
		} catch {
			sendJson(response, 400, errorBody('request body is not valid JSON', 'invalid_request_error'));
			return;
		}

		const model = config.models.find(candidate => candidate.id === body['model']);
		if (!model) {
			sendJson(response, 404, errorBody(`The model \`${String(body['model'])}\` does not exist`, 'invalid_request_error', 'model_not_found'));
			return;
		}

		const requestNumber = counters.get(model.id) ?? 0;
		counters.set(model.id, requestNumber + 1);
		const {fault} = model;
		const streamOptions = body['stream_options'] as {include_usage?: boolean} | undefined;
		if (fault?.kind === 'status') {
			response.writeHead(fault.status, {'content-type': fault.contentType ?? 'application/json', ...fault.headers});
			response.end(fault.body ?? JSON.stringify(errorBody(`simulated error ${fault.status}`, 'server_error')));
			return;
		}

		if (fault?.kind === 'reject-stream-options' && streamOptions) {
			sendJson(response, 400, errorBody('Unrecognized request argument supplied: stream_options', 'invalid_request_error'));
			return;
		}

		if (fault?.kind === 'no-headers') {
			return; // Never answer; the client's timeout decides.
		}

		if (fault?.kind === 'html') {
			response.writeHead(200, {'content-type': 'text/html'});
			response.end('<html><head><title>502 Bad Gateway</title></head><body>Bad Gateway</body></html>');
			return;
		}

		const requested = Number(body['max_completion_tokens'] ?? body['max_tokens'] ?? 4096);
		const maxTokens = fault?.kind === 'ignore-max-tokens' ? 1_000_000 : (Number.isFinite(requested) && requested > 0 ? requested : 4096);
		const plan = fault?.kind === 'ignore-max-tokens'
			? planResponse({...model, outputTokens: 100_000}, '', maxTokens, config.seed, requestNumber, jitter)
			: planResponse(model, JSON.stringify(body['messages'] ?? ''), maxTokens, config.seed, requestNumber, jitter);
		const id = `chatcmpl-sim-${model.id}-${requestNumber}`;
		const chunk = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}) => ({
			id, object: 'chat.completion.chunk', created, model: model.id, choices: [{index: 0, delta, finish_reason: finish}], ...extra,
		});
		const reasoningCount = plan.tokens.filter(token => token.reasoning).length;
		const usage = {
			prompt_tokens: Math.max(1, Math.round(raw.length / 12)),
			completion_tokens: plan.tokens.length,
			total_tokens: Math.max(1, Math.round(raw.length / 12)) + plan.tokens.length,
			...(reasoningCount > 0 ? {completion_tokens_details: {reasoning_tokens: reasoningCount}} : {}),
		};

		if (body['stream'] !== true) {
			const last = plan.tokens.at(-1)?.at ?? 0;
			setTimeout(() => {
				sendJson(response, 200, {
					id, object: 'chat.completion', created, model: model.id,
					choices: [{
						index: 0,
						message: {role: 'assistant', content: plan.tokens.filter(token => !token.reasoning).map(token => token.text).join('')},
						finish_reason: plan.finishReason,
					}],
					usage,
				});
			}, Math.max(0, last - (performance.now() - arrived)));
			return;
		}

		response.writeHead(200, {'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive'});
		response.flushHeaders();
		response.write(`data: ${JSON.stringify(chunk({role: 'assistant', content: ''}, null))}\n\n`);
		let next = 0;
		let firstWrite: number | undefined;
		let lastWrite = 0;
		let timer: NodeJS.Timeout | undefined;
		let closed = false;
		const faultAt = fault && 'afterTokens' in fault ? fault.afterTokens : -1;
		response.on('close', () => {
			closed = true;
			if (timer) {
				clearTimeout(timer);
			}
		});

		const finish = () => {
			const timings: SimTimings = {
				ttft_ms: (firstWrite ?? arrived) - arrived,
				decode_tps: next > 1 && firstWrite !== undefined && lastWrite > firstWrite ? (next - 1) / ((lastWrite - firstWrite) / 1000) : null,
				tokens: next,
			};
			response.write(`data: ${JSON.stringify(chunk({}, plan.finishReason, {x_llmrace_sim: timings}))}\n\n`);
			if (streamOptions?.include_usage && fault?.kind !== 'no-usage') {
				response.write(`data: ${JSON.stringify({id, object: 'chat.completion.chunk', created, model: model.id, choices: [], usage})}\n\n`);
			}

			response.end('data: [DONE]\n\n');
		};

		const step = () => {
			timer = undefined;
			if (closed) {
				return;
			}

			const now = performance.now() - arrived;
			while (next < plan.tokens.length && plan.tokens[next]!.at <= now) {
				const token = plan.tokens[next]!;
				if (next === faultAt) {
					switch (fault?.kind) {
						case 'cut': {
							// Let what was written reach the client, then reset the connection.
							const {socket} = response;
							socket?.write('', () => {
								setTimeout(() => socket.destroy(), 20);
							});
							return;
						}

						case 'end-early': {
							response.end();
							return;
						}

						case 'stall': {
							return;
						}

						case 'malformed': {
							response.write('data: {"id": "broken", "choices": [{"delta": {"content": "oops\n\n');
							response.end();
							return;
						}

						case 'error-event': {
							response.write(`data: ${JSON.stringify(errorBody(fault.message, 'server_error'))}\n\n`);
							response.end();
							return;
						}

						default:
					}
				}

				const delta = token.reasoning ? {reasoning_content: token.text} : {content: token.text};
				response.write(`data: ${JSON.stringify(chunk(delta, null))}\n\n`);
				const written = performance.now();
				firstWrite ??= written;
				lastWrite = written;
				next++;
			}

			if (next >= plan.tokens.length) {
				finish();
				return;
			}

			timer = setTimeout(step, Math.max(0, plan.tokens[next]!.at - (performance.now() - arrived)));
		};

		step();
	};

	warmTokenCache();
	// JIT-warm the planner on every model (pure: no request counter moves).
	for (const model of config.models) {
		planResponse(model, 'recursion', 64, config.seed, -1, jitter);
	}

	return createServer((request, response) => {
		const arrived = performance.now();
		const url = (request.url ?? '/').replace(/\/+$/, '');
		if (request.method === 'POST' && /\/chat\/completions$/.test(url)) {
			handleCompletion(request, response, arrived).catch(() => {
				response.destroy();
			});
			return;
		}

		if (request.method === 'GET' && /\/models$/.test(url)) {
			request.resume();
			sendJson(response, 200, {object: 'list', data: config.models.map(model => ({id: model.id, object: 'model', created, owned_by: 'llmrace-simulator'}))});
			return;
		}

		request.resume();
		sendJson(response, 404, errorBody(`no route for ${request.method} ${request.url}`, 'invalid_request_error'));
	});
}

/** Listen on 127.0.0.1 (port 0: a free one); resolves with the base URL. */
export async function listen(server: Server, port = 0, host = '127.0.0.1'): Promise<string> {
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const address = server.address() as AddressInfo;
	return `http://${host}:${address.port}/v1`;
}
