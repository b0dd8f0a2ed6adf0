import {describe, expect, it} from 'vitest';
import {RunMeter, interChunkGaps, serverDecodeRate, type StreamChunk} from '../../../../source/core/meter/meter.js';
import {countTokens} from '../../../helpers/models.js';

const price = {inputPerM: 0.5, outputPerM: 2};

function chunk(delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}): StreamChunk {
	return {choices: [{index: 0, delta, finish_reason: finish}], ...extra};
}

function finish(meter: RunMeter, endOffsetMs = 1000) {
	return meter.finish({index: 0, warmup: false, status: 'ok', error: null, endOffsetMs, price});
}

describe('RunMeter', () => {
	it('starts TTFT at the first chunk with text, not at role-only, empty or usage-only chunks', () => {
		const meter = new RunMeter(countTokens);
		expect(meter.record(5, chunk({role: 'assistant'}))).toBe(false);
		expect(meter.record(8, chunk({role: 'assistant', content: ''}))).toBe(false);
		expect(meter.record(9, chunk({}))).toBe(false);
		expect(meter.record(10, {choices: [], usage: null})).toBe(false);
		expect(meter.record(120, chunk({content: 'Hello'}))).toBe(true);
		meter.record(150, chunk({content: ' world'}));
		meter.record(151, chunk({}, 'stop'));
		const record = finish(meter, 160);
		expect(record.ttftMs).toBe(120);
		expect(record.ttfaMs).toBe(120);
		expect(record.totalMs).toBe(160);
		expect(record.chunks).toEqual([
			[120, 'Hello'],
			[150, ' world'],
		]);
		expect(record.finishReason).toBe('stop');
	});

	it('counts reasoning_content and reasoning as first tokens; TTFA waits for content', () => {
		for (const field of ['reasoning_content', 'reasoning']) {
			const meter = new RunMeter(countTokens);
			meter.record(50, chunk({[field]: 'Let me think.'}));
			meter.record(90, chunk({[field]: ' Hmm.'}));
			meter.record(400, chunk({content: 'Answer'}));
			const record = finish(meter, 500);
			expect(record.ttftMs).toBe(50);
			expect(record.ttfaMs).toBe(400);
			expect(record.reasoningText).toBe('Let me think. Hmm.');
			expect(record.text).toBe('Answer');
			expect(record.chunks[0]).toEqual([50, 'Let me think.', 'r']);
			expect(record.reasoningTokens).toBe(countTokens('Let me think. Hmm.'));
		}
	});

	it('takes reasoning once when a server sends it under both names', () => {
		const meter = new RunMeter(countTokens);
		meter.record(10, chunk({reasoning_content: 'abc', reasoning: 'abc'}));
		expect(finish(meter).reasoningText).toBe('abc');
	});

	it('computes decode speed as (tokens − 1) / (tLast − tFirst) with usage tokens', () => {
		const meter = new RunMeter(countTokens);
		// 11 chunks at 100, 110, ..., 200 ms: 10 gaps over 100 ms.
		for (let index = 0; index <= 10; index++) {
			meter.record(100 + index * 10, chunk({content: ` w${index}`}));
		}

		meter.record(201, chunk({}, 'stop'));
		meter.record(202, {choices: [], usage: {prompt_tokens: 12, completion_tokens: 21}});
		const record = finish(meter, 205);
		expect(record.outputTokens).toBe(21);
		expect(record.tokenSource).toBe('usage');
		expect(record.promptTokens).toBe(12);
		expect(record.tokensPerSecond).toBeCloseTo(20 / 0.1, 6);
		expect(record.interChunkMs).toEqual({p50: 10, p95: 10, p99: 10, max: 10});
		expect(record.costUSD).toBeCloseTo((21 * 2) / 1e6 + (12 * 0.5) / 1e6, 12);
	});

	it('estimates tokens with o200k_base when the server reports no usage, for multi-token chunks too', () => {
		const meter = new RunMeter(countTokens);
		meter.record(10, chunk({content: 'Recursion is a function calling itself.'}));
		meter.record(30, chunk({content: ' It needs a base case.'}));
		meter.record(31, chunk({}, 'stop'));
		const record = finish(meter, 40);
		const expected = countTokens('Recursion is a function calling itself. It needs a base case.');
		expect(record.tokenSource).toBe('estimate');
		expect(Math.abs(record.outputTokens! - expected)).toBeLessThanOrEqual(1);
		expect(record.tokensPerSecond).toBeCloseTo((record.outputTokens! - 1) / 0.02, 6);
	});

	it('gives no decode speed with fewer than two tokens or a single arrival time', () => {
		const meter = new RunMeter(countTokens);
		meter.record(10, chunk({content: 'Hi'}));
		meter.record(11, chunk({}, 'stop'));
		expect(finish(meter).tokensPerSecond).toBeNull();
		const burst = new RunMeter(countTokens);
		burst.record(10, chunk({content: 'Many tokens in one chunk here'}));
		expect(finish(burst).tokensPerSecond).toBeNull();
	});

	it('flags hidden reasoning and leaves hidden tokens out of decode speed', () => {
		const meter = new RunMeter(countTokens);
		meter.record(900, chunk({content: 'a'}));
		meter.record(1000, chunk({content: 'b'}));
		meter.record(1100, chunk({content: 'c'}));
		meter.record(1101, {choices: [], usage: {completion_tokens: 503, completion_tokens_details: {reasoning_tokens: 500}}});
		const record = finish(meter, 1110);
		expect(record.hiddenReasoning).toBe(true);
		expect(record.reasoningTokens).toBe(500);
		expect(record.outputTokens).toBe(503);
		// 3 streamed tokens over 200 ms, not 503.
		expect(record.tokensPerSecond).toBeCloseTo(2 / 0.2, 6);
	});

	it('keeps server timings raw and reads their decode speed', () => {
		const llama = new RunMeter(countTokens);
		llama.record(5, chunk({content: 'x'}, 'stop', {timings: {predicted_n: 10, predicted_ms: 100, predicted_per_second: 100}}));
		const llamaRecord = finish(llama);
		expect(llamaRecord.serverTimings).toEqual({timings: {predicted_n: 10, predicted_ms: 100, predicted_per_second: 100}});
		expect(serverDecodeRate(llamaRecord.serverTimings)).toBe(100);

		const groq = new RunMeter(countTokens);
		groq.record(5, chunk({}, 'stop', {x_groq: {usage: {completion_tokens: 50, completion_time: 0.1, prompt_tokens: 9}}}));
		const groqRecord = finish(groq);
		expect(groqRecord.outputTokens).toBe(50);
		expect(groqRecord.tokenSource).toBe('usage');
		expect(serverDecodeRate(groqRecord.serverTimings)).toBe(500);

		const ollama = new RunMeter(countTokens);
		ollama.record(5, chunk({}, 'stop', {eval_count: 20, eval_duration: 400_000_000, total_duration: 900_000_000}));
		expect(serverDecodeRate(finish(ollama).serverTimings)).toBe(50);
		expect(serverDecodeRate(null)).toBeNull();
	});

	it('counts tool-call deltas as token events', () => {
		const meter = new RunMeter(countTokens);
		meter.record(40, chunk({tool_calls: [{index: 0, function: {name: 'get_weather', arguments: ''}}]}));
		meter.record(60, chunk({tool_calls: [{index: 0, function: {arguments: '{"city":"Paris"}'}}]}));
		const record = finish(meter);
		expect(record.ttftMs).toBe(40);
		expect(record.chunks.length).toBe(2);
	});

	it('reports rolling tokens over the last 1000 ms for the live view', () => {
		const meter = new RunMeter(countTokens);
		for (let index = 0; index < 30; index++) {
			meter.record(100 * index, chunk({content: ' word'}));
		}

		const live = meter.live(2950);
		// Arrivals at 2000..2900 fall in (1950, 2950]: 10 chunks of one token each.
		expect(live.rollingTokensPerSecond).toBe(10);
		expect(live.tokens).toBe(30);
		expect(live.tokensEstimated).toBe(true);
		expect(live.ttftMs).toBe(0);
	});
});

/** A stream of one-token chunks at `ratePerSecond` from `firstMs` on, `count` of them. */
function steady(meter: RunMeter, firstMs: number, ratePerSecond: number, count: number): number[] {
	const arrivals: number[] = [];
	for (let index = 0; index < count; index++) {
		const at = firstMs + (index * 1000) / ratePerSecond;
		meter.record(at, chunk({content: 'x'}));
		arrivals.push(at);
	}

	return arrivals;
}

const oneToken = () => 1;

describe('deltas handed over (a stamping thread and its coordinator)', () => {
	/** A run with reasoning, answer, a tool call, multi-byte text, usage and server timings. */
	function feed(meter: RunMeter, from: number, to: number): void {
		for (let index = from; index < to; index++) {
			const at = 100 + index * 7;
			if (index < 3) {
				meter.record(at, chunk({reasoning_content: `thought ${index} `}));
			} else if (index === 10) {
				meter.record(at, chunk({tool_calls: [{function: {name: 'f', arguments: '{"a":1}'}}]}));
			} else {
				meter.record(at, chunk({content: index % 4 === 0 ? ' café ☕' : ` w${index}`}, null, {model: 'served-m'}));
			}
		}
	}

	it('a meter that forgets what it handed over keeps its counts, and its deltas rebuild the same record', () => {
		const whole = new RunMeter(countTokens);
		feed(whole, 0, 40);
		whole.record(400, chunk({}, 'stop', {usage: {prompt_tokens: 5, completion_tokens: 41}, timings: {predicted_per_second: 50}}));

		const stamping = new RunMeter();
		const mirror = new RunMeter(countTokens);
		for (const [from, to] of [
			[0, 2],
			[2, 11],
			[11, 11],
			[11, 30],
			[30, 40],
		] as const) {
			feed(stamping, from, to);
			const delta = stamping.takeDelta(false, true);
			if (delta) {
				mirror.applyDelta(delta);
			}

			// Counts run on whatever was forgotten.
			expect(stamping.tokenEvents).toBe(to);
			expect(stamping.chunkCount).toBe(to);
		}

		expect(stamping.chunks).toEqual([]);
		expect(stamping.text).toBe('');
		expect(stamping.generatedLength).toBe(whole.generatedLength);
		expect(stamping.generatedBytes()).toBe(whole.generatedBytes());
		stamping.record(400, chunk({}, 'stop', {usage: {prompt_tokens: 5, completion_tokens: 41}, timings: {predicted_per_second: 50}}));
		mirror.applyDelta(stamping.takeDelta(true, true)!);
		expect(finish(mirror, 410)).toEqual(finish(whole, 410));
		expect(mirror.live(410)).toEqual(whole.live(410));
	});
});

describe('rolling tok/s (live)', () => {
	it('reads a steady 650 tok/s stream as ~650 from the start, not ramping up over the first second', () => {
		const meter = new RunMeter(oneToken);
		const first = 200;
		// A fake clock: feed the chunks up to each instant, then read the live view there.
		const arrivals = Array.from({length: 650 * 3}, (_, index) => first + (index * 1000) / 650);
		let fed = 0;
		const at = (sinceFirstMs: number) => {
			const now = first + sinceFirstMs;
			while (fed < arrivals.length && arrivals[fed]! <= now) {
				meter.record(arrivals[fed]!, chunk({content: 'x'}));
				fed++;
			}

			return meter.live(now).rollingTokensPerSecond;
		};

		// The old reading divided by the full second: 65, 195, 390.
		for (const sinceFirst of [100, 300, 600, 999, 1000, 1500, 2500]) {
			const rate = at(sinceFirst);
			expect(rate, `at ${sinceFirst} ms`).toBeGreaterThan(640);
			expect(rate, `at ${sinceFirst} ms`).toBeLessThan(660);
		}
	});

	it('reads steady from the second token on, and 0 with only the first', () => {
		const meter = new RunMeter(oneToken);
		meter.record(100, chunk({content: 'a'}));
		expect(meter.live(100).rollingTokensPerSecond).toBe(0);
		expect(meter.live(105).rollingTokensPerSecond).toBe(0);
		meter.record(110, chunk({content: 'b'}));
		// One token after the first, in the 10 ms since it: 100 tok/s.
		expect(meter.live(110).rollingTokensPerSecond).toBeCloseTo(100, 9);
		meter.record(120, chunk({content: 'c'}));
		expect(meter.live(120).rollingTokensPerSecond).toBeCloseTo(100, 9);
	});

	it("counts a chunk's estimated tokens and falls to zero after a second of silence", () => {
		const meter = new RunMeter(countTokens);
		meter.record(0, chunk({content: 'Hello'}));
		meter.record(100, chunk({content: ' brave new world'}));
		expect(meter.live(100).rollingTokensPerSecond).toBeCloseTo(countTokens(' brave new world') / 0.1, 9);
		expect(meter.live(1200).rollingTokensPerSecond).toBe(0);
	});
});

describe('flags', () => {
	const recordOf = (meter: RunMeter, truncated = false) =>
		meter.finish({index: 0, warmup: false, status: 'ok', error: null, endOffsetMs: 5000, price, truncated});

	it('none for a steady stream read chunk by chunk', () => {
		const meter = new RunMeter(oneToken);
		steady(meter, 100, 50, 40);
		for (let read = 0; read < 40; read++) {
			meter.countRead();
		}

		expect(meter.socketReads).toBe(40);
		expect(recordOf(meter).flags).toEqual([]);
	});

	it('buffered: 20 or more text chunks, half of them or more in reads of 5 or more (the stamps of one read are equal)', () => {
		// `sizes`: how many text chunks each read brought; each read has its own stamp.
		const reads = (sizes: readonly number[], clientDelayMs: number | null = null) => {
			const meter = new RunMeter(oneToken);
			let at = 100;
			for (const size of sizes) {
				for (let index = 0; index < size; index++) {
					meter.record(at, chunk({content: 'x'}));
				}

				at += 7;
			}

			return meter.finish({index: 0, warmup: false, status: 'ok', error: null, endOffsetMs: 5000, price, clientDelayMs}).flags;
		};

		const many = (count: number, size: number) => Array.from({length: count}, () => size);
		// Shape 1 behind a buffering nginx: 200 one-token events in ~12 reads.
		expect(reads([...many(11, 17), 13])).toEqual(['buffered']);
		// Shape 2: 30 events (of 10–40 tokens each) in 3–4 reads.
		expect(reads([8, 8, 7, 7])).toEqual(['buffered']);
		expect(reads([10, 10, 10])).toEqual(['buffered']);
		// A direct stream: one chunk a read, or two now and then, however many.
		expect(reads(many(400, 1))).toEqual([]);
		expect(reads(many(200, 2))).toEqual([]);
		// Half of the chunks in bursts is enough; fewer is not.
		expect(reads([...many(20, 1), 5, 5, 5, 5])).toEqual(['buffered']);
		expect(reads([...many(21, 1), 5, 5, 5, 5])).toEqual([]);
		// 19 chunks in one read: too few chunks to tell.
		expect(reads([19])).toEqual([]);
		expect(reads([20])).toEqual(['buffered']);
		// Its own thread was late: the chunks waited in its socket, not in a proxy.
		expect(reads([...many(11, 17), 13], 100)).toEqual(['client-late']);
		expect(reads([...many(11, 17), 13], 20)).toEqual(['buffered']);
	});

	it("client-late: the run's own stamping thread was late by more than 20 ms", () => {
		const late = (clientDelayMs: number | null) => {
			const meter = new RunMeter(oneToken);
			steady(meter, 100, 50, 40);
			const record = meter.finish({index: 0, warmup: false, status: 'ok', error: null, endOffsetMs: 5000, price, clientDelayMs});
			return {flags: record.flags, clientDelayMs: record.clientDelayMs};
		};

		expect(late(20.01)).toEqual({flags: ['client-late'], clientDelayMs: 20.01});
		expect(late(20)).toEqual({flags: [], clientDelayMs: 20});
		expect(late(null)).toEqual({flags: [], clientDelayMs: null});
	});

	it('stalled: a gap of at least max(1000 ms, 10 × the median gap)', () => {
		const withGap = (gapMs: number, medianMs: number) => {
			const meter = new RunMeter(oneToken);
			const arrivals = steady(meter, 100, 1000 / medianMs, 20);
			const resume = arrivals.at(-1)! + gapMs;
			for (let index = 0; index < 20; index++) {
				meter.record(resume + index * medianMs, chunk({content: 'y'}));
			}

			return recordOf(meter).flags;
		};

		expect(withGap(2000, 10)).toEqual(['stalled']);
		expect(withGap(1000, 10)).toEqual(['stalled']);
		expect(withGap(999, 10)).toEqual([]);
		// A slow model (200 ms per chunk): 1.5 s is less than 10 × 200 ms.
		expect(withGap(1500, 200)).toEqual([]);
		expect(withGap(2000, 200)).toEqual(['stalled']);
	});

	it('usage-mismatch: usage differs from the streamed count (plus hidden reasoning) by more than 50 %', () => {
		const withUsage = (usage: Record<string, unknown> | null) => {
			// One token per character: the streamed text 'xxxxxxxxxx' counts 10.
			const meter = new RunMeter(text => text.length);
			steady(meter, 100, 100, 10);
			if (usage) {
				meter.record(300, {choices: [], usage});
			}

			return recordOf(meter).flags;
		};

		expect(withUsage({completion_tokens: 30})).toEqual(['usage-mismatch']);
		expect(withUsage({completion_tokens: 15})).toEqual([]);
		expect(withUsage({completion_tokens: 16})).toEqual(['usage-mismatch']);
		expect(withUsage({completion_tokens: 4})).toEqual(['usage-mismatch']);
		expect(withUsage({completion_tokens: 5})).toEqual([]);
		// 300 hidden reasoning tokens were generated but not streamed: 310 is right.
		expect(withUsage({completion_tokens: 310, completion_tokens_details: {reasoning_tokens: 300}})).toEqual([]);
		// No usage reported: nothing to compare.
		expect(withUsage(null)).toEqual([]);
	});

	it('come in the order of runFlags, truncated as given', () => {
		const meter = new RunMeter(oneToken);
		steady(meter, 100, 1000, 30);
		// 30 more chunks in one read, after a stall.
		for (let index = 0; index < 30; index++) {
			meter.record(3000, chunk({content: 'late'}));
		}

		meter.record(3001, {choices: [], usage: {completion_tokens: 500}});
		expect(recordOf(meter, true).flags).toEqual(['buffered', 'stalled', 'usage-mismatch', 'truncated']);
		expect(recordOf(meter, true).truncated).toBe(true);
	});

	it('live: the panel sees the current gap while it is a stall, and not after the run ended', () => {
		const meter = new RunMeter(oneToken);
		steady(meter, 100, 100, 20);
		// Last chunk at 290 ms, median gap 10 ms: a stall from 1290 ms on.
		expect(meter.live(1000).stalledMs).toBeNull();
		expect(meter.live(1289).stalledMs).toBeNull();
		expect(meter.live(1290).stalledMs).toBe(1000);
		expect(meter.live(1690).stalledMs).toBe(1400);
		meter.record(1700, chunk({content: 'back'}));
		expect(meter.live(1710).stalledMs).toBeNull();
		expect(meter.live(3000).stalledMs).toBe(1300);
		recordOf(meter);
		expect(meter.live(3000).stalledMs).toBeNull();
	});

	it("live: a slow model's gaps are not a stall until 10 × its median gap", () => {
		const meter = new RunMeter(oneToken);
		steady(meter, 0, 4, 10);
		// Chunks every 250 ms, last at 2250: the threshold is 2500 ms of silence.
		expect(meter.live(2250 + 2000).stalledMs).toBeNull();
		expect(meter.live(2250 + 2500).stalledMs).toBe(2500);
	});

	it('live: no stall before the first token (that is the TTFT)', () => {
		const meter = new RunMeter(oneToken);
		meter.record(10, chunk({role: 'assistant'}));
		expect(meter.live(5000).stalledMs).toBeNull();
	});
});

describe('servedModel', () => {
	it('is the first non-empty model the chunks name', () => {
		const meter = new RunMeter(oneToken);
		meter.record(1, {model: '', choices: [{index: 0, delta: {role: 'assistant'}}]});
		meter.record(2, {model: '/models/qwen3-8b-q4.gguf', choices: [{index: 0, delta: {content: 'a'}}]});
		meter.record(3, {model: 'something-else', choices: [{index: 0, delta: {content: 'b'}}]});
		expect(finish(meter).servedModel).toBe('/models/qwen3-8b-q4.gguf');
	});

	it('is null when the server names none', () => {
		const meter = new RunMeter(oneToken);
		meter.record(1, chunk({content: 'a'}));
		meter.record(2, {model: 42, choices: []});
		expect(finish(meter).servedModel).toBeNull();
	});
});

describe('interChunkGaps', () => {
	it('interpolates percentiles of the gaps', () => {
		const gaps = interChunkGaps([0, 10, 30, 60, 100])!;
		expect(gaps.p50).toBe(25);
		expect(gaps.p95).toBeCloseTo(38.5, 10);
		expect(gaps.p99).toBeCloseTo(39.7, 10);
		expect(gaps.max).toBe(40);
		expect(interChunkGaps([5])).toBeNull();
	});
});
