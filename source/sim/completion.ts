// One simulated chat completion: read the request, plan it, then answer at the planned times
// (streamed, or as one JSON body), misbehaving where the model's fault says.
import type {IncomingMessage, ServerResponse} from 'node:http';
import {performance} from 'node:perf_hooks';
import {errorBody, faultBeforeStream, faultMidStream, faultPoint, sendJson} from './faults.js';
import {loadGateOf, type LoadGate, type Pace} from './load.js';
import {planResponse, type Plan, type SimModel} from './plan.js';

/** What the server measured about its own writes, sent in the last chunk as `x_llmrace_sim`. */
export type SimTimings = {
	/** From the request's arrival to the first token written. */
	readonly ttft_ms: number;
	/** (tokens − 1) / (last token write − first token write). */
	readonly decode_tps: number | null;
	readonly tokens: number;
};

export type SimState = {
	readonly models: readonly SimModel[];
	readonly seed: number;
	readonly jitter: number;
	/** Requests so far per model: each one's plan differs. */
	readonly counters: Map<string, number>;
	/** Each model's sequences under load (sim/load.ts), made on its first request. */
	readonly gates: Map<string, LoadGate>;
	/** The `created` of every chunk (seconds). */
	readonly created: number;
};

async function readBody(request: IncomingMessage): Promise<string> {
	const parts: Buffer[] = [];
	for await (const part of request) {
		parts.push(part as Buffer);
	}

	return Buffer.concat(parts).toString('utf8');
}

type Answer = {
	readonly model: SimModel;
	readonly plan: Plan;
	readonly id: string;
	readonly created: number;
	readonly usage: Record<string, unknown>;
	readonly withUsage: boolean;
	/** performance.now() when the request arrived. */
	readonly arrived: number;
};

function chunkOf(answer: Answer, delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}) {
	return {
		id: answer.id,
		object: 'chat.completion.chunk',
		created: answer.created,
		model: answer.model.id,
		choices: [{index: 0, delta, finish_reason: finish}],
		...extra,
	};
}

/** The whole answer as one JSON body, once its last token is due. */
function answerWhole(answer: Answer, response: ServerResponse): void {
	const {plan} = answer;
	const last = plan.tokens.at(-1)?.at ?? 0;
	setTimeout(
		() => {
			sendJson(response, 200, {
				id: answer.id,
				object: 'chat.completion',
				created: answer.created,
				model: answer.model.id,
				choices: [
					{
						index: 0,
						message: {
							role: 'assistant',
							content: plan.tokens
								.filter(token => !token.reasoning)
								.map(token => token.text)
								.join(''),
						},
						finish_reason: plan.finishReason,
					},
				],
				usage: answer.usage,
			});
		},
		Math.max(0, last - (performance.now() - answer.arrived)),
	);
}

/**
 * The answer as an event stream, one token per chunk, each written when the plan says. Under load
 * (sim/load.ts) the plan starts when a sequence is free, and each gap stretches by the batch's slowdown.
 */
function answerStreamed(answer: Answer, response: ServerResponse, pace?: Pace): void {
	const {plan, model} = answer;
	const arrived = pace?.startedAt ?? answer.arrived;
	const {fault} = model;
	if (!response.headersSent) {
		response.writeHead(200, {'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive'});
		response.flushHeaders();
	}

	response.write(`data: ${JSON.stringify(chunkOf(answer, {role: 'assistant', content: ''}, null))}\n\n`);
	let next = 0;
	let firstWrite: number | undefined;
	let lastWrite = 0;
	let timer: NodeJS.Timeout | undefined;
	let closed = false;
	const faultAt = faultPoint(fault);
	response.on('close', () => {
		closed = true;
		pace?.release();
		if (timer) {
			clearTimeout(timer);
		}
	});
	// When the next token is due (ms after `arrived`): the plan's time, its gaps stretched under load.
	let nextDue = plan.tokens[0]?.at ?? 0;
	const advance = () => {
		const token = plan.tokens[next];
		if (token) {
			nextDue += (token.at - plan.tokens[next - 1]!.at) * (pace?.slowdown() ?? 1);
		}
	};

	const finish = () => {
		const timings: SimTimings = {
			ttft_ms: (firstWrite ?? arrived) - arrived,
			decode_tps: next > 1 && firstWrite !== undefined && lastWrite > firstWrite ? (next - 1) / ((lastWrite - firstWrite) / 1000) : null,
			tokens: next,
		};
		response.write(`data: ${JSON.stringify(chunkOf(answer, {}, plan.finishReason, {x_llmrace_sim: timings}))}\n\n`);
		if (answer.withUsage && fault?.kind !== 'no-usage') {
			response.write(
				`data: ${JSON.stringify({id: answer.id, object: 'chat.completion.chunk', created: answer.created, model: model.id, choices: [], usage: answer.usage})}\n\n`,
			);
		}

		response.end('data: [DONE]\n\n');
	};

	const step = () => {
		timer = undefined;
		if (closed) {
			return;
		}

		const now = performance.now() - arrived;
		while (next < plan.tokens.length && nextDue <= now) {
			if (next === faultAt && faultMidStream(fault, response)) {
				return;
			}

			const token = plan.tokens[next]!;
			const delta = token.reasoning ? {reasoning_content: token.text} : {content: token.text};
			response.write(`data: ${JSON.stringify(chunkOf(answer, delta, null))}\n\n`);
			const written = performance.now();
			firstWrite ??= written;
			lastWrite = written;
			next++;
			advance();
		}

		if (next >= plan.tokens.length) {
			finish();
			pace?.release();
			return;
		}

		timer = setTimeout(step, Math.max(0, nextDue - (performance.now() - arrived)));
	};

	step();
}

/** POST /v1/chat/completions. Timing starts when the request arrived (its headers), as a real server's queue would see it. */
export async function handleCompletion(state: SimState, request: IncomingMessage, response: ServerResponse, arrived: number): Promise<void> {
	const raw = await readBody(request);
	let body: Record<string, unknown>;
	try {
		body = JSON.parse(raw) as Record<string, unknown>;
	} catch {
		sendJson(response, 400, errorBody('request body is not valid JSON', 'invalid_request_error'));
		return;
	}

	const model = state.models.find(candidate => candidate.id === body['model']);
	if (!model) {
		sendJson(response, 404, errorBody(`The model \`${String(body['model'])}\` does not exist`, 'invalid_request_error', 'model_not_found'));
		return;
	}

	const requestNumber = state.counters.get(model.id) ?? 0;
	state.counters.set(model.id, requestNumber + 1);
	const {fault} = model;
	const withUsage = (body['stream_options'] as {include_usage?: boolean} | undefined)?.include_usage === true;
	if (faultBeforeStream(fault, Boolean(body['stream_options']), response)) {
		return;
	}

	const requested = Number(body['max_completion_tokens'] ?? body['max_tokens'] ?? 4096);
	const maxTokens = fault?.kind === 'ignore-max-tokens' ? 1_000_000 : Number.isFinite(requested) && requested > 0 ? requested : 4096;
	const plan =
		fault?.kind === 'ignore-max-tokens'
			? planResponse({...model, outputTokens: 100_000}, '', maxTokens, state.seed, requestNumber, state.jitter)
			: planResponse(model, JSON.stringify(body['messages'] ?? ''), maxTokens, state.seed, requestNumber, state.jitter);
	const reasoningCount = plan.tokens.filter(token => token.reasoning).length;
	const promptTokens = Math.max(1, Math.round(raw.length / 12));
	const answer: Answer = {
		model,
		plan,
		id: `chatcmpl-sim-${model.id}-${requestNumber}`,
		created: state.created,
		usage: {
			prompt_tokens: promptTokens,
			completion_tokens: plan.tokens.length,
			total_tokens: promptTokens + plan.tokens.length,
			...(reasoningCount > 0 ? {completion_tokens_details: {reasoning_tokens: reasoningCount}} : {}),
		},
		withUsage,
		arrived,
	};
	if (body['stream'] === true) {
		const gate = model.load ? loadGateOf(state, model.id, model.load.sequences) : undefined;
		if (gate) {
			// Headers at once, as a server does; the first token waits for a free sequence.
			response.writeHead(200, {'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive'});
			response.flushHeaders();
			gate.admit(response, pace => {
				answerStreamed(answer, response, pace);
			});
		} else {
			answerStreamed(answer, response);
		}
	} else {
		answerWhole(answer, response);
	}
}
