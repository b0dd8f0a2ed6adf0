// The measurements of one streamed run. Pure: times come in from the caller,
// stamped at arrival; nothing here reads a clock or does I/O.
import {costOf} from './brackets.js';
import {percentileSorted} from './stats.js';
import type {ChunkEntry, InterChunk, Price, RunError, RunRecord, RunStatus} from './types.js';

export type TokenCounter = (text: string) => number;

type UsageInfo = {
	readonly completionTokens: number | null;
	readonly promptTokens: number | null;
	readonly reasoningTokens: number | null;
};

/** What the meter reads from one chunk of a chat-completions stream (the raw JSON object). */
export type StreamChunk = Record<string, unknown>;

const ollamaDurationKeys = [
	'total_duration',
	'load_duration',
	'prompt_eval_count',
	'prompt_eval_duration',
	'eval_count',
	'eval_duration',
] as const;

function asRecord(value: unknown): Record<string, unknown> | undefined {
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function asCount(value: unknown): number | null {
	return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}

function nonEmptyString(value: unknown): string {
	return typeof value === 'string' ? value : '';
}

/** The text a tool-call delta carries (function names and argument fragments). */
function toolCallText(value: unknown): string {
	if (!Array.isArray(value)) {
		return '';
	}

	let text = '';
	for (const call of value) {
		const fn = asRecord(asRecord(call)?.['function']);
		text += nonEmptyString(fn?.['name']) + nonEmptyString(fn?.['arguments']);
	}

	return text;
}

function readUsage(value: unknown): UsageInfo | undefined {
	const usage = asRecord(value);
	if (!usage) {
		return undefined;
	}

	const details = asRecord(usage['completion_tokens_details']);
	return {
		completionTokens: asCount(usage['completion_tokens']),
		promptTokens: asCount(usage['prompt_tokens']),
		reasoningTokens: asCount(details?.['reasoning_tokens']),
	};
}

/** The server's own decode speed (tokens/s) from its reported timings, when it reports one. */
export function serverDecodeRate(serverTimings: unknown): number | null {
	const timings = asRecord(serverTimings);
	if (!timings) {
		return null;
	}

	const llama = asRecord(timings['timings']);
	const llamaRate = asCount(llama?.['predicted_per_second']);
	if (llamaRate !== null && llamaRate > 0) {
		return llamaRate;
	}

	const groq = asRecord(timings['x_groq.usage']);
	const groqTokens = asCount(groq?.['completion_tokens']);
	const groqTime = asCount(groq?.['completion_time']);
	if (groqTokens !== null && groqTime !== null && groqTime > 0) {
		return groqTokens / groqTime;
	}

	const simulated = asCount(asRecord(timings['x_llmrace_sim'])?.['decode_tps']);
	if (simulated !== null && simulated > 0) {
		return simulated;
	}

	const evalCount = asCount(timings['eval_count']);
	const evalDuration = asCount(timings['eval_duration']);
	if (evalCount !== null && evalDuration !== null && evalDuration > 0) {
		return evalCount / (evalDuration / 1e9);
	}

	return null;
}

export type LiveRunView = {
	/** Offsets from t0 (ms). */
	readonly ttftMs: number | null;
	readonly ttfaMs: number | null;
	/** Tokens so far, estimated with the tokenizer unless the server already reported usage. */
	readonly tokens: number;
	readonly tokensEstimated: boolean;
	/** Tokens received in the last 1000 ms. */
	readonly rollingTokensPerSecond: number;
	readonly textLength: number;
};

export class RunMeter {
	readonly chunks: ChunkEntry[] = [];
	text = '';
	reasoningText = '';
	toolText = '';
	finishReason: string | null = null;
	/** Socket reads of the response body (SPEC §2 `buffered`). */
	socketReads = 0;

	countRead(): void {
		this.socketReads++;
	}

	/** Offsets from t0 of the chunks that carried text, one per chunk. */
	private readonly arrivals: number[] = [];
	/** For each arrival, the length of `chunks` after it (its entries end there). */
	private readonly arrivalEntryEnd: number[] = [];
	/** Token estimate per entry of `arrivals`, filled lazily (off the arrival path). */
	private readonly arrivalTokens: number[] = [];
	private firstTokenAt: number | null = null;
	private firstAnswerAt: number | null = null;
	private firstToolAt: number | null = null;
	private usage: UsageInfo | undefined;
	private serverTimings: Record<string, unknown> | null = null;

	private readonly countTokens: TokenCounter;

	constructor(countTokens: TokenCounter) {
		this.countTokens = countTokens;
	}

	get tokenEvents(): number {
		return this.arrivals.length;
	}

	get generatedLength(): number {
		return this.text.length + this.reasoningText.length + this.toolText.length;
	}

	/** Record one chunk that arrived `offsetMs` after t0. Returns true when it carried text. */
	record(offsetMs: number, chunk: StreamChunk): boolean {
		const choices = Array.isArray(chunk['choices']) ? (chunk['choices'] as unknown[]) : [];
		const choice = asRecord(choices[0]);
		const delta = asRecord(choice?.['delta']);
		let carried = false;
		if (delta) {
			// Some servers send the same reasoning under both names: take one, never both.
			const reasoning = nonEmptyString(delta['reasoning_content']) || nonEmptyString(delta['reasoning']);
			const content = nonEmptyString(delta['content']);
			const tools = toolCallText(delta['tool_calls']);
			if (reasoning) {
				this.reasoningText += reasoning;
				this.chunks.push([offsetMs, reasoning, 'r']);
				this.firstTokenAt ??= offsetMs;
				carried = true;
			}

			if (content) {
				this.text += content;
				this.chunks.push([offsetMs, content]);
				this.firstTokenAt ??= offsetMs;
				this.firstAnswerAt ??= offsetMs;
				carried = true;
			}

			if (tools) {
				this.toolText += tools;
				this.firstToolAt ??= offsetMs;
				if (!reasoning && !content) {
					this.chunks.push([offsetMs, tools]);
				}

				carried = true;
			}
		}

		if (carried) {
			this.arrivals.push(offsetMs);
			this.arrivalEntryEnd.push(this.chunks.length);
		}

		const finish = choice?.['finish_reason'];
		if (typeof finish === 'string' && finish) {
			this.finishReason = finish;
		}

		const usage = readUsage(chunk['usage']);
		if (usage) {
			this.usage = usage;
		}

		const groq = asRecord(chunk['x_groq']);
		const groqUsage = readUsage(groq?.['usage']);
		if (groqUsage) {
			this.usage ??= groqUsage;
			this.addServerTimings('x_groq.usage', groq?.['usage']);
		}

		const timings = asRecord(chunk['timings']);
		if (timings) {
			this.addServerTimings('timings', timings);
		}

		const simulated = asRecord(chunk['x_llmrace_sim']);
		if (simulated) {
			this.addServerTimings('x_llmrace_sim', simulated);
		}

		for (const key of ollamaDurationKeys) {
			if (typeof chunk[key] === 'number') {
				this.addServerTimings(key, chunk[key]);
			}
		}

		return carried;
	}

	/** What the live display shows, at `nowOffsetMs` after t0. Tokenizes only chunks not seen before. */
	live(nowOffsetMs: number): LiveRunView {
		this.fillArrivalTokens();
		let rolling = 0;
		for (let index = this.arrivals.length - 1; index >= 0; index--) {
			if (this.arrivals[index]! <= nowOffsetMs - 1000) {
				break;
			}

			rolling += this.arrivalTokens[index]!;
		}

		const estimated = this.arrivalTokens.reduce((sum, value) => sum + value, 0);
		const reported = this.usage?.completionTokens ?? null;
		return {
			ttftMs: this.firstTokenAt ?? this.firstToolAt,
			ttfaMs: this.firstAnswerAt,
			tokens: reported ?? estimated,
			tokensEstimated: reported === null,
			rollingTokensPerSecond: rolling,
			textLength: this.generatedLength,
		};
	}

	/** The run record, once the stream has ended (or failed) `endOffsetMs` after t0. */
	finish(options: {
		readonly index: number;
		readonly warmup: boolean;
		readonly status: RunStatus;
		readonly error: RunError | null;
		readonly endOffsetMs: number;
		readonly price: Price;
		readonly truncated?: boolean;
	}): RunRecord {
		const {usage} = this;
		const anyText = this.generatedLength > 0;
		let outputTokens: number | null = null;
		let tokenSource: RunRecord['tokenSource'] = null;
		if (usage?.completionTokens !== null && usage?.completionTokens !== undefined) {
			outputTokens = usage.completionTokens;
			tokenSource = 'usage';
		} else if (anyText || options.status === 'ok') {
			outputTokens = this.countTokens(this.reasoningText) + this.countTokens(this.text) + this.countTokens(this.toolText);
			tokenSource = 'estimate';
		}

		let reasoningTokens: number | null = null;
		if (usage?.reasoningTokens !== null && usage?.reasoningTokens !== undefined) {
			reasoningTokens = usage.reasoningTokens;
		} else if (this.reasoningText) {
			reasoningTokens = this.countTokens(this.reasoningText);
		}

		const hiddenReasoning = (usage?.reasoningTokens ?? 0) > 0 && this.reasoningText === '';
		const tFirst = this.arrivals[0];
		const tLast = this.arrivals.at(-1);
		// Decode speed counts the tokens streamed between the first and the last token event.
		// Hidden reasoning tokens were generated before the first streamed token: leave them out.
		const decodedTokens = outputTokens === null ? null : outputTokens - (hiddenReasoning ? usage!.reasoningTokens! : 0);
		let tokensPerSecond: number | null = null;
		if (decodedTokens !== null && decodedTokens >= 2 && tFirst !== undefined && tLast !== undefined && tLast > tFirst) {
			tokensPerSecond = (decodedTokens - 1) / ((tLast - tFirst) / 1000);
		}

		return {
			index: options.index,
			warmup: options.warmup,
			status: options.status,
			error: options.error,
			ttftMs: this.firstTokenAt ?? this.firstToolAt,
			ttfaMs: this.firstAnswerAt,
			totalMs: options.endOffsetMs,
			promptTokens: usage?.promptTokens ?? null,
			outputTokens,
			tokenSource,
			reasoningTokens,
			hiddenReasoning,
			serverTimings: this.serverTimings,
			tokensPerSecond,
			interChunkMs: interChunkGaps(this.arrivals),
			costUSD: costOf(options.price, outputTokens, usage?.promptTokens ?? null),
			finishReason: this.finishReason,
			truncated: options.truncated ?? false,
			// Scaffold: filled by the transport (phases, reconnected) and the meter (flags, servedModel).
			phases: null,
			flags: options.truncated ? ['truncated'] : [],
			servedModel: null,
			reconnected: false,
			text: this.text,
			reasoningText: this.reasoningText,
			chunks: this.chunks,
		};
	}

	private addServerTimings(key: string, value: unknown): void {
		this.serverTimings ??= {};
		this.serverTimings[key] = value;
	}

	private fillArrivalTokens(): void {
		for (let index = this.arrivalTokens.length; index < this.arrivals.length; index++) {
			const end = this.arrivalEntryEnd[index]!;
			let tokens = 0;
			for (let entry = index === 0 ? 0 : this.arrivalEntryEnd[index - 1]!; entry < end; entry++) {
				tokens += this.countTokens(this.chunks[entry]![1]);
			}

			// Every text-carrying chunk is at least one token.
			this.arrivalTokens.push(Math.max(tokens, 1));
		}
	}
}

/** p50/p95/p99/max of the gaps between consecutive arrivals; null with fewer than two. */
export function interChunkGaps(arrivals: readonly number[]): InterChunk | null {
	if (arrivals.length < 2) {
		return null;
	}

	const gaps: number[] = [];
	for (let index = 1; index < arrivals.length; index++) {
		gaps.push(arrivals[index]! - arrivals[index - 1]!);
	}

	gaps.sort((a, b) => a - b);
	return {
		p50: percentileSorted(gaps, 50),
		p95: percentileSorted(gaps, 95),
		p99: percentileSorted(gaps, 99),
		max: gaps.at(-1)!,
	};
}
