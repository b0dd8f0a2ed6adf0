// The measurements of one streamed run (RunMeter). Pure: times come in from the caller,
// stamped at arrival; nothing here reads a clock or does I/O. Its parts: meter-chunk (what a chunk
// carries), meter-live (the live view), meter-flags (the run flags and their thresholds).
import {Buffer} from 'node:buffer';
import {costOf} from '../presets/brackets.js';
import {asRecord, nonEmptyString, ollamaDurationKeys, readUsage, toolCallText, type StreamChunk, type UsageInfo} from './chunk.js';
import {flagsOf, gapsOf, interChunkGaps, stallFloorMs, stallThresholdMs, usageMismatchShare} from './flags.js';
import {rollingTokensPerSecond, type LiveRunView} from './live.js';
import {percentileSorted} from '../stats/stats.js';
import type {ChunkEntry, Price, RunError, RunRecord, RunStatus} from '../types.js';

export {serverDecodeRate, type StreamChunk} from './chunk.js';
export {
	bufferedBurstShare,
	bufferedMinimumChunks,
	burstChunks,
	clientLateMs,
	interChunkGaps,
	stallFloorMs,
	stallMedianFactor,
	stallThresholdMs,
	usageMismatchShare,
} from './flags.js';
export {rollingWindowMs, type LiveRunView} from './live.js';

export type TokenCounter = (text: string) => number;

/**
 * What a meter recorded since its last delta: plain data, posted by a stamping thread to the thread
 * that counts tokens, builds the live view and the record (worker/stamp-worker.ts). Applied in order
 * to a mirror meter, the deltas make it the same meter.
 */
export type MeterDelta = {
	readonly chunks: readonly ChunkEntry[];
	readonly arrivals: readonly number[];
	/** For each arrival, the length of `chunks` after it (in the whole log). */
	readonly entryEnds: readonly number[];
	readonly text: string;
	readonly reasoningText: string;
	readonly toolText: string;
	readonly socketReads: number;
	readonly finishReason: string | null;
	readonly firstTokenAt: number | null;
	readonly firstAnswerAt: number | null;
	readonly firstToolAt: number | null;
	readonly usage: UsageInfo | null;
	readonly serverTimings: Record<string, unknown> | null;
	readonly servedModel: string | null;
};

export class RunMeter {
	readonly chunks: ChunkEntry[] = [];
	text = '';
	reasoningText = '';
	toolText = '';
	finishReason: string | null = null;
	/** Socket reads of the response body (docs/metrics.md `buffered`). */
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
	/** The model the server says it served: the first non-empty `model` of its chunks. */
	private servedModel: string | null = null;
	/** The median gap as of `stallMedianAt` arrivals (a stall check sorts the gaps once per new arrival at most). */
	private stallMedianAt = -1;
	private stallMedianMs = 0;
	/** Set by finish(): a run that ended is not stalled. */
	private ended = false;

	private counter: TokenCounter | undefined;
	/** How much of each log the last delta carried. */
	private readonly taken = {chunks: 0, arrivals: 0, text: 0, reasoning: 0, tool: 0, recorded: 0};
	/** Chunks recorded, for `takeDelta`. */
	private recorded = 0;
	/**
	 * What deltas taken with `forget` dropped from the logs (a stamping thread keeps only these counts): its
	 * chunks, arrivals, and the length and UTF-8 bytes of its text, reasoning and tool text.
	 */
	private readonly forgotten = {chunks: 0, arrivals: 0, length: 0, bytes: 0};

	/** A meter without a counter records and stamps (a stamping thread); `finish()` needs one. */
	constructor(countTokens?: TokenCounter) {
		this.counter = countTokens;
	}

	/** Give a mirror its counter once the tokenizer has loaded. */
	setCounter(countTokens: TokenCounter): void {
		this.counter = countTokens;
	}

	/**
	 * What was recorded since the last delta (null when nothing was, unless `always`). With `forget`, what
	 * the delta carries is dropped from this meter (a stamping thread's, which has handed it over): only its
	 * counts stay, so its heap holds the chunks of the last moments, not of the whole run.
	 */
	takeDelta(always = false, forget = false): MeterDelta | null {
		const {taken} = this;
		if (!always && taken.recorded === this.recorded) {
			return null;
		}

		taken.recorded = this.recorded;
		const delta: MeterDelta = {
			chunks: this.chunks.slice(taken.chunks),
			arrivals: this.arrivals.slice(taken.arrivals),
			entryEnds: this.arrivalEntryEnd.slice(taken.arrivals),
			text: this.text.slice(taken.text),
			reasoningText: this.reasoningText.slice(taken.reasoning),
			toolText: this.toolText.slice(taken.tool),
			socketReads: this.socketReads,
			finishReason: this.finishReason,
			firstTokenAt: this.firstTokenAt,
			firstAnswerAt: this.firstAnswerAt,
			firstToolAt: this.firstToolAt,
			usage: this.usage ?? null,
			serverTimings: this.serverTimings,
			servedModel: this.servedModel,
		};
		if (forget) {
			this.forget();
		} else {
			taken.chunks = this.chunks.length;
			taken.arrivals = this.arrivals.length;
			taken.text = this.text.length;
			taken.reasoning = this.reasoningText.length;
			taken.tool = this.toolText.length;
		}

		return delta;
	}

	/** Drop every log (each was just taken whole), keeping the counts the stamping side reads. */
	private forget(): void {
		const {forgotten, taken} = this;
		forgotten.chunks += this.chunks.length;
		forgotten.arrivals += this.arrivals.length;
		forgotten.length += this.text.length + this.reasoningText.length + this.toolText.length;
		forgotten.bytes += Buffer.byteLength(this.text) + Buffer.byteLength(this.reasoningText) + Buffer.byteLength(this.toolText);
		this.chunks.length = 0;
		this.arrivals.length = 0;
		this.arrivalEntryEnd.length = 0;
		this.arrivalTokens.length = 0;
		this.text = '';
		this.reasoningText = '';
		this.toolText = '';
		taken.chunks = 0;
		taken.arrivals = 0;
		taken.text = 0;
		taken.reasoning = 0;
		taken.tool = 0;
	}

	/** Apply a stamping thread's delta to this mirror. */
	applyDelta(delta: MeterDelta): void {
		for (const entry of delta.chunks) {
			this.chunks.push(entry);
		}

		for (const [index, at] of delta.arrivals.entries()) {
			this.arrivals.push(at);
			this.arrivalEntryEnd.push(delta.entryEnds[index]!);
		}

		this.text += delta.text;
		this.reasoningText += delta.reasoningText;
		this.toolText += delta.toolText;
		this.socketReads = delta.socketReads;
		this.finishReason = delta.finishReason;
		this.firstTokenAt = delta.firstTokenAt;
		this.firstAnswerAt = delta.firstAnswerAt;
		this.firstToolAt = delta.firstToolAt;
		this.usage = delta.usage ?? undefined;
		this.serverTimings = delta.serverTimings;
		this.servedModel = delta.servedModel;
	}

	private countTokens(text: string): number {
		if (!this.counter) {
			throw new Error('this meter has no token counter: count on the coordinating thread');
		}

		return this.counter(text);
	}

	/** Chunks that carried text, so far (handed over or not). */
	get tokenEvents(): number {
		return this.forgotten.arrivals + this.arrivals.length;
	}

	/** Entries of the chunk log so far (handed over or not). */
	get chunkCount(): number {
		return this.forgotten.chunks + this.chunks.length;
	}

	/** UTF-16 length of the text, reasoning and tool text so far (handed over or not). */
	get generatedLength(): number {
		return this.forgotten.length + this.text.length + this.reasoningText.length + this.toolText.length;
	}

	/** UTF-8 bytes of the text, reasoning and tool text so far (handed over or not). */
	generatedBytes(): number {
		return this.forgotten.bytes + Buffer.byteLength(this.text) + Buffer.byteLength(this.reasoningText) + Buffer.byteLength(this.toolText);
	}

	/** Record one chunk that arrived `offsetMs` after t0. Returns true when it carried text. */
	record(offsetMs: number, chunk: StreamChunk): boolean {
		this.recorded++;
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
			this.arrivalEntryEnd.push(this.forgotten.chunks + this.chunks.length);
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

		if (this.servedModel === null) {
			const served = chunk['model'];
			if (typeof served === 'string' && served) {
				this.servedModel = served;
			}
		}

		return carried;
	}

	/** What the live display shows, at `nowOffsetMs` after t0. Tokenizes only chunks not seen before. */
	live(nowOffsetMs: number): LiveRunView {
		// Until the tokenizer has loaded (it loads once the first tokens are in, worker/stamp-pool.ts), a chunk counts as one token.
		const perArrival = this.counter ? this.arrivalTokens : this.arrivals.map(() => 1);
		if (this.counter) {
			this.fillArrivalTokens();
		}

		const rolling = rollingTokensPerSecond(this.arrivals, perArrival, nowOffsetMs);
		const estimated = perArrival.reduce((sum, value) => sum + value, 0);
		const reported = this.usage?.completionTokens ?? null;
		return {
			ttftMs: this.firstTokenAt ?? this.firstToolAt,
			ttfaMs: this.firstAnswerAt,
			tokens: reported ?? estimated,
			tokensEstimated: reported === null,
			rollingTokensPerSecond: rolling,
			textLength: this.generatedLength,
			stalledMs: this.stalledAt(nowOffsetMs),
		};
	}

	/** The current silence since the last text chunk when it is a stall, else null. Cheap unless the silence is over 1 s. */
	private stalledAt(nowOffsetMs: number): number | null {
		const last = this.arrivals.at(-1);
		if (last === undefined || this.ended) {
			return null;
		}

		const silentMs = nowOffsetMs - last;
		if (silentMs < stallFloorMs) {
			return null;
		}

		if (this.stallMedianAt !== this.arrivals.length) {
			const gaps = gapsOf(this.arrivals);
			this.stallMedianMs = gaps.length === 0 ? 0 : percentileSorted(gaps, 50);
			this.stallMedianAt = this.arrivals.length;
		}

		return silentMs >= stallThresholdMs(this.stallMedianMs) ? silentMs : null;
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
		/** The worst delay of the run's own stamping thread while it ran (core/meter/client-delay.ts). */
		readonly clientDelayMs?: number | null;
	}): RunRecord {
		this.ended = true;
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
		// usage-mismatch: what the server says it generated against what it streamed (plus hidden reasoning).
		// The streamed count is the per-chunk estimate the live view has already made (only chunks it has
		// not seen are tokenized now), so a run's end costs the engine's thread next to nothing.
		let usageMismatch = false;
		if (tokenSource === 'usage' && outputTokens !== null) {
			this.fillArrivalTokens();
			let streamed = hiddenReasoning ? usage!.reasoningTokens! : 0;
			for (const tokens of this.arrivalTokens) {
				streamed += tokens;
			}

			usageMismatch = Math.abs(outputTokens - streamed) > usageMismatchShare * streamed;
		}

		let tokensPerSecond: number | null = null;
		if (decodedTokens !== null && decodedTokens >= 2 && tFirst !== undefined && tLast !== undefined && tLast > tFirst) {
			tokensPerSecond = (decodedTokens - 1) / ((tLast - tFirst) / 1000);
		}

		const interChunkMs = interChunkGaps(this.arrivals);
		const truncated = options.truncated ?? false;
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
			interChunkMs,
			costUSD: costOf(options.price, outputTokens, usage?.promptTokens ?? null),
			finishReason: this.finishReason,
			truncated,
			// The transport sets phases and reconnected on the record it returns.
			phases: null,
			flags: flagsOf({arrivals: this.arrivals, interChunkMs, usageMismatch, truncated, clientDelayMs: options.clientDelayMs ?? null}),
			clientDelayMs: options.clientDelayMs ?? null,
			servedModel: this.servedModel,
			reconnected: false,
			text: this.text,
			reasoningText: this.reasoningText,
			chunks: this.chunks,
		};
	}

	/** Each text event's offset from t0 and its tokens (estimated per event, at least 1): the load's ITL (docs/load.md). */
	eventTimeline(): {readonly offsetsMs: readonly number[]; readonly tokens: readonly number[]} {
		this.fillArrivalTokens();
		return {offsetsMs: this.arrivals, tokens: this.arrivalTokens};
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
