import {describe, expect, it} from 'vitest';
import {RunMeter, interChunkGaps, serverDecodeRate, type StreamChunk} from '../../source/core/meter.js';
import {countTokens} from '../helpers/models.js';

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
		expect(record.chunks).toEqual([[120, 'Hello'], [150, ' world']]);
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
			meter.record(100 + (index * 10), chunk({content: ` w${index}`}));
		}

		meter.record(201, chunk({}, 'stop'));
		meter.record(202, {choices: [], usage: {prompt_tokens: 12, completion_tokens: 21}});
		const record = finish(meter, 205);
		expect(record.outputTokens).toBe(21);
		expect(record.tokenSource).toBe('usage');
		expect(record.promptTokens).toBe(12);
		expect(record.tokensPerSecond).toBeCloseTo(20 / 0.1, 6);
		expect(record.interChunkMs).toEqual({p50: 10, p95: 10, p99: 10, max: 10});
		expect(record.costUSD).toBeCloseTo((21 * 2 / 1e6) + (12 * 0.5 / 1e6), 12);
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
