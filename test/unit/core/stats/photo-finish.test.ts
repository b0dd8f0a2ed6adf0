import {describe, expect, it} from 'vitest';
import {differenceIsReal, intervalsOverlap, photoFinish} from '../../../../source/core/stats/photo-finish.js';
import {summarize} from '../../../../source/core/stats/stats.js';
import {summarizeRuns} from '../../../../source/core/transcript/build.js';
import type {ModelSummary, RunRecord, Stat} from '../../../../source/core/types.js';

/** A summary whose ttftMs and tokensPerSecond come from these runs' values. */
function summaryOf(ttftMs: readonly number[], tokensPerSecond: readonly number[] = ttftMs.map(() => 50)): {readonly summary: ModelSummary} {
	const stat = (values: readonly number[]) => summarize(values, {ci: true});
	return {
		summary: {
			ok: ttftMs.length,
			failed: 0,
			ttftMs: stat(ttftMs),
			ttfaMs: stat(ttftMs),
			tokensPerSecond: stat(tokensPerSecond),
			totalMs: stat(ttftMs.map(value => value + 1000)),
			outputTokens: summarize(ttftMs.map(() => 100)),
			costUSD: null,
		},
	};
}

describe('photoFinish', () => {
	it('marks exactly the neighbours whose intervals of the sort metric overlap', () => {
		// Five runs each: the interval is [min, max] (level 0.9375).
		const models = [
			summaryOf([118, 120, 121, 123, 125]), // [118, 125]
			summaryOf([124, 128, 130, 131, 140]), // [124, 140]: overlaps the one above (124 ≤ 125)
			summaryOf([141, 150, 152, 155, 160]), // [141, 160]: clear of [124, 140]
			summaryOf([160, 161, 163, 170, 171]), // [160, 171]: touches 160, a shared point
			summaryOf([300, 310, 320, 330, 340]), // clear
		];
		expect(photoFinish(models, 'ttft')).toEqual([false, true, false, true, false]);
		expect(photoFinish(models, 'ttftMs')).toEqual([false, true, false, true, false]);
		// Only neighbours count: the first and third overlap nothing even though the second overlaps both ways.
		expect(photoFinish([models[0]!, models[2]!], 'ttft')).toEqual([false, false]);
	});

	it('uses the interval of the metric the board is sorted by', () => {
		const models = [summaryOf([100, 101, 102], [90, 95, 99]), summaryOf([200, 201, 202], [80, 92, 94])];
		expect(photoFinish(models, 'ttft')).toEqual([false, false]);
		expect(photoFinish(models, 'tps')).toEqual([false, true]);
	});

	it('never with fewer than 3 runs (no interval), nor for a metric without one', () => {
		const twoRuns = [summaryOf([100, 101]), summaryOf([100, 101])];
		expect(photoFinish(twoRuns, 'ttft')).toEqual([false, false]);
		const mixed = [summaryOf([100, 101, 102]), summaryOf([100, 101])];
		expect(photoFinish(mixed, 'ttft')).toEqual([false, false]);
		const same = [summaryOf([100, 101, 102]), summaryOf([100, 101, 102])];
		expect(photoFinish(same, 'ttft')).toEqual([false, true]);
		expect(photoFinish(same, 'price')).toEqual([false, false]);
		expect(photoFinish(same, 'name')).toEqual([false, false]);
		expect(photoFinish([], 'ttft')).toEqual([]);
	});

	it('a --runs 1 race shows none, the same models at 10 runs each do where they overlap', () => {
		const run = (ttftMs: number): RunRecord => ({
			index: 0,
			warmup: false,
			status: 'ok',
			error: null,
			ttftMs,
			ttfaMs: ttftMs,
			totalMs: ttftMs + 500,
			promptTokens: null,
			outputTokens: 10,
			tokenSource: 'estimate',
			reasoningTokens: null,
			hiddenReasoning: false,
			serverTimings: null,
			tokensPerSecond: 50,
			interChunkMs: null,
			costUSD: null,
			finishReason: 'stop',
			truncated: false,
			phases: null,
			flags: [],
			servedModel: null,
			reconnected: false,
			text: '',
			reasoningText: '',
			chunks: [],
		});
		const price = {inputPerM: null, outputPerM: null};
		const a = Array.from({length: 10}, (_, index) => run(121 + (index % 5)));
		const b = Array.from({length: 10}, (_, index) => run(123 + (index % 5)));
		expect(photoFinish([{summary: summarizeRuns(a.slice(0, 1), price)}, {summary: summarizeRuns(b.slice(0, 1), price)}], 'ttft')).toEqual([false, false]);
		expect(photoFinish([{summary: summarizeRuns(a, price)}, {summary: summarizeRuns(b, price)}], 'ttft')).toEqual([false, true]);
	});
});

describe('intervalsOverlap', () => {
	it('is true for shared points, false for a gap', () => {
		expect(intervalsOverlap({lo: 1, hi: 2, level: 0.95}, {lo: 2, hi: 3, level: 0.95})).toBe(true);
		expect(intervalsOverlap({lo: 1, hi: 2, level: 0.95}, {lo: 2.01, hi: 3, level: 0.95})).toBe(false);
		expect(intervalsOverlap({lo: 0, hi: 10, level: 0.95}, {lo: 4, hi: 5, level: 0.95})).toBe(true);
	});
});

describe('differenceIsReal', () => {
	const stat = (median: number, lo: number, hi: number): Stat => ({mean: median, median, p95: hi, min: lo, max: hi, ci: {lo, hi, level: 0.95}});

	it("true only when each median is outside the other's interval", () => {
		expect(differenceIsReal(stat(120, 110, 130), stat(150, 140, 160))).toBe(true);
		// b's median (125) inside a's interval.
		expect(differenceIsReal(stat(120, 110, 130), stat(125, 121, 190))).toBe(false);
		// b's median outside a's interval, but a's median (120) inside b's wide one.
		expect(differenceIsReal(stat(120, 110, 130), stat(150, 100, 200))).toBe(false);
		// Symmetric.
		expect(differenceIsReal(stat(150, 140, 160), stat(120, 110, 130))).toBe(true);
		// A median on the edge of the other's interval is inside it.
		expect(differenceIsReal(stat(120, 110, 130), stat(130, 120, 140))).toBe(false);
	});

	it('null when either side has no interval', () => {
		const noCi: Stat = {mean: 120, median: 120, p95: 120, min: 120, max: 120};
		expect(differenceIsReal(noCi, stat(150, 140, 160))).toBeNull();
		expect(differenceIsReal(stat(150, 140, 160), noCi)).toBeNull();
		expect(differenceIsReal(null, stat(150, 140, 160))).toBeNull();
	});
});
