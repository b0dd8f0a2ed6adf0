// The report's figures checked against arithmetic done by hand, not against a golden file the code wrote itself.
// A tiny race: three models, five timed runs each (plus one warm-up for Alpha), with round numbers, so that every
// median, percentile, cost and bracket below can be worked out on paper; the arithmetic is in the comments.
import {describe, expect, it} from 'vitest';
import {bracketOf} from '../../../../source/core/presets/brackets.js';
import {labelRaces, reportCsv, reportMarkdown, reportRows} from '../../../../source/core/report/report.js';
import {buildTranscript} from '../../../../source/core/transcript/build.js';
import type {ModelSpec, RunRecord, Transcript} from '../../../../source/core/types.js';
import {fakeRun} from '../../../helpers/fixtures.js';

const spec = (id: string, name: string, outputPerM: number | null, inputPerM: number | null, reasoning = false): ModelSpec => ({
	id,
	name,
	provider: 'Hand',
	baseURL: 'http://127.0.0.1:1/v1',
	apiKeyEnv: null,
	headers: {},
	price: {inputPerM, outputPerM},
	reasoning,
	reference: null,
});

const alpha = spec('alpha', 'Alpha', 0.6, 0.2);
const beta = spec('beta', 'Beta', 2, null, true);
const gamma = spec('gamma', 'Gamma', null, null);

type Figures = {ttft: number; ttfa?: number; tps: number; total: number; tokens: number; warmup?: boolean};

/** A completed run with these figures; costUSD left null so the summary prices it from the tokens itself. */
function ok(model: ModelSpec, index: number, figures: Figures): RunRecord {
	return fakeRun(model, index, {
		warmup: figures.warmup ?? false,
		ttftMs: figures.ttft,
		ttfaMs: figures.ttfa ?? figures.ttft,
		tokensPerSecond: figures.tps,
		totalMs: figures.total,
		outputTokens: figures.tokens,
		promptTokens: 20,
		costUSD: null,
	});
}

function failed(model: ModelSpec, index: number, kind: 'timeout' | 'server'): RunRecord {
	// Fast figures on purpose: if a failed run leaked into the statistics it would move the minimum and the median.
	return fakeRun(model, index, {
		status: kind === 'timeout' ? 'timeout' : 'error',
		error: {kind, status: kind === 'server' ? 503 : null, message: 'down'},
		ttftMs: 1,
		ttfaMs: 1,
		tokensPerSecond: 999,
		totalMs: 2,
		outputTokens: 1,
		promptTokens: 20,
		costUSD: null,
	});
}

const transcript: Transcript = buildTranscript({
	toolVersion: '0.1.0',
	startedAt: new Date('2026-05-20T10:00:00.000Z'),
	finishedAt: new Date('2026-05-20T10:00:30.000Z'),
	region: 'us-east',
	prompt: 'Explain recursion in 200 words',
	preset: 'hand',
	simulated: false,
	settings: {runs: 5, warmup: 1, maxTokens: 512, temperature: null, concurrency: null, timeoutMs: 120_000, seed: null},
	aborted: false,
	models: [
		{
			spec: alpha,
			bracket: bracketOf(0.6),
			runs: [
				// The warm-up (slow, cold connection) is left out of every statistic.
				ok(alpha, 0, {warmup: true, ttft: 900, tps: 10, total: 9000, tokens: 500}),
				ok(alpha, 0, {ttft: 130, tps: 40, total: 2130, tokens: 100}),
				ok(alpha, 1, {ttft: 110, tps: 50, total: 2110, tokens: 120}),
				failed(alpha, 2, 'server'),
				ok(alpha, 3, {ttft: 170, tps: 45, total: 2170, tokens: 110}),
				ok(alpha, 4, {ttft: 150, tps: 60, total: 2150, tokens: 90}),
			],
		},
		{
			spec: beta,
			bracket: bracketOf(2),
			runs: [
				ok(beta, 0, {ttft: 300, ttfa: 800, tps: 20, total: 8000, tokens: 150}),
				failed(beta, 1, 'timeout'),
				ok(beta, 2, {ttft: 360, ttfa: 950, tps: 30, total: 7000, tokens: 140}),
				failed(beta, 3, 'timeout'),
				ok(beta, 4, {ttft: 320, ttfa: 850, tps: 25, total: 7500, tokens: 160}),
			],
		},
		{
			spec: gamma,
			bracket: null,
			runs: [
				ok(gamma, 0, {ttft: 95, tps: 70, total: 1500, tokens: 80}),
				ok(gamma, 1, {ttft: 85, tps: 72, total: 1400, tokens: 80}),
				ok(gamma, 2, {ttft: 90, tps: 74, total: 1450, tokens: 80}),
				ok(gamma, 3, {ttft: 100, tps: 76, total: 1600, tokens: 80}),
				ok(gamma, 4, {ttft: 80, tps: 78, total: 1350, tokens: 80}),
			],
		},
	],
});

const races = labelRaces([{file: 'hand.json', transcript}]);

/** The Markdown table that follows `heading`, as rows of cells keyed by the header's names. */
function tableAfter(markdown: string, heading: string): Array<Record<string, string>> {
	const lines = markdown.slice(markdown.indexOf(heading)).split('\n');
	const start = lines.findIndex(line => line.startsWith('|'));
	const table = [];
	for (const line of lines.slice(start)) {
		if (!line.startsWith('|')) {
			break;
		}

		table.push(
			line
				.slice(2, -2)
				.split(' | ')
				.map(cell => cell.trim()),
		);
	}

	const [header, , ...rows] = table;
	return rows.map(row => Object.fromEntries(header!.map((name, index) => [name, row[index] ?? ''])));
}

/** The figure in a cell, whatever marks sit beside it (`~` estimate, `≈` photo finish, `!` flag). */
const figure = (cell: string | undefined) => Number(/\d+(?:\.\d+)?(?:e-?\d+)?/.exec(cell ?? '')?.[0] ?? Number.NaN);

describe('report figures, worked out by hand', () => {
	it('summaries: medians of the completed timed runs, linear percentiles, costs summed from tokens and prices', () => {
		const [a, b, g] = transcript.models;
		// Alpha's completed timed TTFTs, sorted: 110, 130, 150, 170 (the warm-up's 900 and the failed run's 1 are out).
		// Even count: median = (130 + 150) / 2 = 140; mean = 560 / 4 = 140; p95 at rank 0.95 × 3 = 2.85: 150 + 0.85 × 20 = 167.
		expect(a!.summary.ttftMs).toMatchObject({median: 140, mean: 140, p95: 167, min: 110, max: 170});
		expect(a!.summary).toMatchObject({ok: 4, failed: 1});
		// tok/s sorted 40, 45, 50, 60: median (45 + 50) / 2 = 47.5. Tokens 90, 100, 110, 120: median 105.
		expect(a!.summary.tokensPerSecond?.median).toBe(47.5);
		expect(a!.summary.outputTokens?.median).toBe(105);
		// Cost per run = tokens × 0.60 / 1e6 + 20 prompt tokens × 0.20 / 1e6 = (0.6 × tokens + 4) µ$:
		// 100 → 64, 120 → 76, 110 → 70, 90 → 58; sum 268 µ$ = 0.000268.
		expect(a!.summary.costUSD).toBeCloseTo(0.000268, 12);
		// Beta: TTFT 300, 320, 360 → 320; TTFA 800, 850, 950 → 850; 3 ok, 2 timeouts.
		// Cost: no input price, so tokens × 2 / 1e6: 150 → 300, 140 → 280, 160 → 320; sum 900 µ$.
		expect(b!.summary).toMatchObject({ok: 3, failed: 2});
		expect(b!.summary.ttftMs?.median).toBe(320);
		expect(b!.summary.ttfaMs?.median).toBe(850);
		expect(b!.summary.costUSD).toBeCloseTo(0.0009, 12);
		// Gamma: TTFT 80, 85, 90, 95, 100 → median 90 (odd count: the middle one); no price, no cost.
		expect(g!.summary.ttftMs?.median).toBe(90);
		expect(g!.summary.costUSD).toBeNull();
		expect([a!.bracket, b!.bracket, g!.bracket]).toEqual(['mid', 'premium', null]);
	});

	it('the Markdown ranking prints those figures, ordered by median TTFT', () => {
		const markdown = reportMarkdown(races);
		const ranking = tableAfter(markdown, '### Ranking');
		// Median TTFTs: Gamma 90 < Alpha 140 < Beta 320.
		expect(ranking.map(row => row['model'])).toEqual(['Gamma', 'Alpha', 'Beta']);
		const [g, a, b] = ranking;
		expect(figure(a!['TTFT (ms)'])).toBe(140);
		expect(a!['tok/s']).toMatch(/^47\.5\b/);
		// Totals 2110, 2130, 2150, 2170: median (2130 + 2150) / 2 = 2140.
		expect(figure(a!['total (ms)'])).toBe(2140);
		expect(figure(a!['tokens'])).toBe(105);
		expect(a!['$/M out']).toBe('$0.60');
		// Run cost = the mean over completed runs: 268 µ$ / 4 = 67 µ$ a run, printed per 1,000 runs: $0.067/1k.
		expect(a!['run cost']).toBe('$0.067/1k');
		expect(a!['bracket']).toBe('mid');
		expect(figure(b!['TTFT (ms)'])).toBe(320);
		expect(figure(b!['TTFA (ms)'])).toBe(850);
		// Beta's tok/s 20, 25, 30 → 25.0; run cost 900 µ$ / 3 = 300 µ$.
		expect(b!['tok/s']).toMatch(/^25\.0\b/);
		expect(b!['run cost']).toBe('$0.30/1k');
		expect(b!['status']).toMatch(/timeout/);
		// Gamma: tok/s 70…78 → 74.0; no price: no cost, no bracket.
		expect(g!['tok/s']).toMatch(/^74\.0\b/);
		expect(g!['run cost']).toBe('—');
		expect(g!['bracket']).toBe('—');
		expect(markdown).toContain('No price, so no bracket: Gamma.');
		// Thinking time = median TTFA − median TTFT = 850 − 320 = 530 ms.
		expect(markdown).toContain('Beta: 530 ms');
		// Each bracket table holds its model with the same medians.
		expect(tableAfter(markdown, '#### mid')).toEqual([expect.objectContaining({model: 'Alpha', '$/M out': '$0.60'})]);
		expect(figure(tableAfter(markdown, '#### premium')[0]!['TTFT (ms)'])).toBe(320);
	});

	it('the CSV and JSON rows carry the same figures unrounded', () => {
		const rows = reportRows(races);
		expect(rows.map(row => [row.id, row.ttftMs, row.tokensPerSecond, row.totalMs, row.outputTokens, row.ok, row.failed])).toEqual([
			['gamma', 90, 74, 1450, 80, 5, 0],
			['alpha', 140, 47.5, 2140, 105, 4, 1],
			// Beta's totals 7000, 7500, 8000 → 7500.
			['beta', 320, 25, 7500, 150, 3, 2],
		]);
		expect(rows[1]!.costUSD).toBeCloseTo(0.000067, 12);
		expect(rows[2]!.costUSD).toBeCloseTo(0.0003, 12);
		expect(rows[0]!.costUSD).toBeNull();
		const csv = reportCsv(races).trim().split('\n');
		const header = csv[0]!.split(',');
		const alphaLine = csv.find(line => line.includes(',alpha,'))!.split(',');
		const at = (name: string) => alphaLine[header.indexOf(name)];
		expect([at('ttftMs'), at('tokensPerSecond'), at('totalMs'), at('outputTokens'), at('outputPerM'), at('bracket')]).toEqual([
			'140',
			'47.5',
			'2140',
			'105',
			'0.6',
			'mid',
		]);
		expect(Number(at('costUSD'))).toBeCloseTo(0.000067, 12);
	});
});
