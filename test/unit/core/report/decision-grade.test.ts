// Decision-grade figures in the reports (issue 13), on hand-built races whose every figure is worked
// out by hand below: where the time went, network and rest across races, ≈, flags, measurement.
import {parse as parseCsv} from 'csv-parse/sync';
import {describe, expect, it} from 'vitest';
import {medianPhases, phaseBreakdown} from '../../../../source/core/stats/phases.js';
import {compareRaces, comparisonText, labelRaces, reportCsv, reportMarkdown, reportRows} from '../../../../source/core/report/report.js';
import {buildTranscript} from '../../../../source/core/transcript/build.js';
import type {Measurement, ModelSpec, Phases, RunRecord, Transcript} from '../../../../source/core/types.js';
import {fakeRun} from '../../../helpers/fixtures.js';

const spec = (id: string, name = id): ModelSpec => ({
	id,
	name,
	provider: 'Lab',
	baseURL: 'http://127.0.0.1:9/v1',
	apiKeyEnv: null,
	headers: {},
	price: {inputPerM: null, outputPerM: 1, source: 'preset'},
	reasoning: false,
	reference: null,
});

/** A fresh connection (connect and TLS before the request) or a reused one (request at once). */
const fresh = (connectMs: number, waitMs: number): Phases => ({
	dnsMs: null,
	connectMs: connectMs / 2,
	tlsMs: connectMs,
	sentMs: connectMs + 1,
	headersMs: connectMs + 1 + waitMs,
	reused: false,
});
const reused = (waitMs: number): Phases => ({dnsMs: null, connectMs: null, tlsMs: null, sentMs: 0.5, headersMs: 0.5 + waitMs, reused: true});

/** A completed run with these phases, first token `firstTokenMs` after the headers and decode `decodeMs`. */
function timedRun(
	model: ModelSpec,
	index: number,
	phases: Phases | null,
	firstTokenMs: number,
	decodeMs: number,
	overrides: Partial<RunRecord> = {},
): RunRecord {
	const ttftMs = (phases?.headersMs ?? 0) + firstTokenMs;
	return fakeRun(model, index, {phases, ttftMs, ttfaMs: ttftMs, totalMs: ttftMs + decodeMs, ...overrides});
}

type Entry = {readonly spec: ModelSpec; readonly runs: readonly RunRecord[]};

function race(entries: readonly Entry[], options: {simulated?: boolean; region?: string; measurement?: Measurement | null} = {}): Transcript {
	return buildTranscript({
		toolVersion: '0.1.0',
		startedAt: new Date('2026-12-01T09:00:00.000Z'),
		finishedAt: new Date('2026-12-01T09:00:10.000Z'),
		region: options.region ?? null,
		prompt: 'Explain recursion',
		preset: 'lab',
		simulated: options.simulated ?? false,
		settings: {
			runs: Math.max(...entries.map(entry => entry.runs.length)),
			warmup: 0,
			maxTokens: 512,
			temperature: null,
			concurrency: null,
			timeoutMs: 120_000,
			seed: null,
		},
		aborted: false,
		...(options.measurement === undefined ? {} : {measurement: options.measurement}),
		models: entries.map(entry => ({spec: entry.spec, bracket: null, runs: [...entry.runs]})),
	});
}

const markdownOf = (...transcripts: Transcript[]) =>
	reportMarkdown(labelRaces(transcripts.map((transcript, index) => ({file: `race-${index}.json`, transcript}))));

describe('where the time went', () => {
	it('phaseBreakdown: connect = tlsMs ?? connectMs, wait = headers − sent, first token = ttft − headers, decode = total − ttft', () => {
		const a = spec('a');
		// TLS done at 30, sent at 31, headers at 131, first token at 181, end at 1181.
		const tls = fakeRun(a, 0, {phases: {dnsMs: 1, connectMs: 5, tlsMs: 30, sentMs: 31, headersMs: 131, reused: false}, ttftMs: 181, totalMs: 1181});
		expect(phaseBreakdown(tls)).toEqual({connectMs: 30, waitMs: 100, firstTokenMs: 50, decodeMs: 1000});
		// Plain HTTP: no TLS, so connect is the TCP connect.
		const plain = fakeRun(a, 0, {phases: {dnsMs: null, connectMs: 4, tlsMs: null, sentMs: 5, headersMs: 25, reused: false}, ttftMs: 40, totalMs: 90});
		expect(phaseBreakdown(plain)).toEqual({connectMs: 4, waitMs: 20, firstTokenMs: 15, decodeMs: 50});
		// A kept-alive connection spent nothing connecting.
		expect(phaseBreakdown(fakeRun(a, 1, {phases: reused(70), ttftMs: 80.5, totalMs: 100})).connectMs).toBe(0);
		// An older transcript: no phases, only decode can be said.
		expect(phaseBreakdown(fakeRun(a, 0, {phases: null, ttftMs: 100, totalMs: 300}))).toEqual({
			connectMs: null,
			waitMs: null,
			firstTokenMs: null,
			decodeMs: 200,
		});
	});

	it('medians per model over completed timed runs, how many reused a connection, "—" without phases', () => {
		const a = spec('a', 'Alpha');
		const b = spec('b', 'Beta');
		const alpha = [
			// connect 40, 0, 0 → 0; wait 100, 120, 100 → 100; first token 30, 40, 40 → 40; decode 1000, 900, 1200 → 1000.
			timedRun(a, 0, fresh(40, 100), 30, 1000),
			timedRun(a, 1, reused(120), 40, 900),
			timedRun(a, 2, reused(100), 40, 1200),
			// Neither a warm-up nor a failed run counts.
			timedRun(a, 3, fresh(900, 900), 900, 9000, {warmup: true}),
			timedRun(a, 4, fresh(900, 900), 900, 9000, {status: 'error', error: {kind: 'server', status: 503, message: 'overloaded'}}),
		];
		expect(medianPhases({runs: alpha})).toEqual({connectMs: 0, waitMs: 100, firstTokenMs: 40, decodeMs: 1000, runs: 3, withPhases: 3, reused: 2});
		const beta = [timedRun(b, 0, null, 100, 1000), timedRun(b, 1, null, 100, 1000)];
		const markdown = markdownOf(
			race([
				{spec: a, runs: alpha},
				{spec: b, runs: beta},
			]),
		);
		expect(markdown).toContain('### Where the time went (medians, ms)');
		expect(markdown).toContain('| model | connect | wait | first token | decode | reused connection |');
		expect(markdown).toContain('| Alpha | 0 | 100 | 40 | 1000 | 2 of 3 |');
		expect(markdown).toContain('| Beta | — | — | — | 1000 | — |');
		expect(markdown).not.toContain('simulator is local');
	});

	it('a simulated race says how small its connect is and where the models differ, from the figures', () => {
		const a = spec('a');
		const markdown = markdownOf(race([{spec: a, runs: [timedRun(a, 0, fresh(1, 100), 10, 500)]}], {simulated: true}));
		expect(markdown).toMatch(/The simulator is local: connect takes at most \d+ ms here\. Before the first token, the models differ most in /);
	});

	it('CSV and JSON rows carry the phase medians, reused runs, flag counts and the intervals', () => {
		const a = spec('a', 'Alpha');
		const runs = [
			timedRun(a, 0, fresh(40, 100), 30, 1000, {tokensPerSecond: 50, flags: ['stalled']}),
			timedRun(a, 1, reused(120), 40, 900, {tokensPerSecond: 60}),
			timedRun(a, 2, reused(100), 40, 1200, {tokensPerSecond: 70, flags: ['stalled', 'usage-mismatch']}),
		];
		const races = labelRaces([{file: 'x.json', transcript: race([{spec: a, runs}])}]);
		// TTFTs: 141 + 30 = 171, 120.5 + 40 = 160.5, 100.5 + 40 = 140.5; 3 runs: ci = [min, max].
		expect(reportRows(races)[0]).toMatchObject({
			ttftMs: 160.5,
			ttftCiLo: 140.5,
			ttftCiHi: 171,
			tokensPerSecondCiLo: 50,
			tokensPerSecondCiHi: 70,
			connectMs: 0,
			waitMs: 100,
			firstTokenMs: 40,
			decodeMs: 1000,
			reusedRuns: 2,
			flagsBuffered: 0,
			flagsClientLate: 0,
			flagsStalled: 2,
			flagsUsageMismatch: 1,
			flagsTruncated: 0,
		});
		const [row] = parseCsv(reportCsv(races), {columns: true}) as Array<Record<string, string>>;
		expect(row).toMatchObject({
			ttftMs: '160.5',
			ttftCiLo: '140.5',
			ttftCiHi: '171',
			connectMs: '0',
			waitMs: '100',
			firstTokenMs: '40',
			decodeMs: '1000',
			reusedRuns: '2',
			flagsStalled: '2',
			flagsUsageMismatch: '1',
		});
	});
});

describe('across races: network and the rest', () => {
	// Five runs each, every one on a fresh connection. Far: 100 ms more connect, 20 ms more wait.
	const jitter = [0, 3, 1, 4, 2];
	const a = spec('a', 'Alpha');
	const b = spec('b', 'Beta');
	const c = spec('c', 'Gamma');
	const near = race(
		[
			{spec: a, runs: jitter.map((extra, index) => timedRun(a, index, fresh(20 + extra, 100), 50, 1000))},
			{spec: b, runs: jitter.map((extra, index) => timedRun(b, index, fresh(20, 200 + extra * 10), 50, 1000))},
			{spec: c, runs: [timedRun(c, 0, fresh(20, 100), 50, 1000)]},
		],
		{region: 'near'},
	);
	const far = race(
		[
			{spec: a, runs: jitter.map((extra, index) => timedRun(a, index, fresh(120 + extra, 120), 50, 1000))},
			// Beta: 5 ms more wait, well inside its 40 ms spread.
			{spec: b, runs: jitter.map((extra, index) => timedRun(b, index, fresh(20, 205 + extra * 10), 50, 1000))},
			{spec: c, runs: [timedRun(c, 0, fresh(20, 300), 50, 1000)]},
		],
		{region: 'far'},
	);

	it("splits each model's TTFT difference into network (median connect) and the rest, and says whether it is real", () => {
		const comparison = compareRaces(
			labelRaces([
				{file: 'near.json', transcript: near},
				{file: 'far.json', transcript: far},
			]),
			'ttft',
		);
		const diff = (id: string) => comparison.rows.find(row => row.id === id)!.diffs[0]!;
		// Alpha TTFT near: 20+2 (median connect) + 1 + 100 + 50 = 173; far: 122 + 1 + 120 + 50 = 293.
		expect(comparison.rows.find(row => row.id === 'a')!.values).toEqual([173, 293]);
		expect(diff('a')).toMatchObject({diff: 120, networkMs: 100, restMs: 20, real: true});
		// Beta: connect equal, medians 20 + 1 + 220 + 50 = 291 and 296, inside each other's [min, max] of 40 ms.
		expect(diff('b')).toMatchObject({diff: 5, networkMs: 0, restMs: 5, real: false});
		// Gamma: one run each, nothing can be said.
		expect(diff('c')).toMatchObject({diff: 200, networkMs: 0, restMs: 200, real: null});
		expect(comparison.simulated).toBe(false);
		const text = comparisonText(comparison);
		expect(text).toMatch(/Alpha +173 +293 +\+120 \(\+69 %\) +\+100 +\+20 +yes/);
		expect(text).toMatch(/Beta +291 +296 +\+5 \(\+2 %\) +±0 +\+5 +within noise/);
		expect(text).toMatch(/Gamma +171 +371 +\+200 \(\+117 %\) +±0 +\+200 +—/);
		expect(text).not.toContain('Simulated races');
		// The same in the report of both races.
		const markdown = markdownOf(near, far);
		expect(markdown).toContain('| model | near (ms) | far (ms) | diff vs near | network | rest | real? |');
		expect(markdown).toContain('| Alpha | 173 | 293 | +120 (+69 %) | +100 | +20 | yes |');
		expect(markdown).toContain('| Beta | 291 | 296 | +5 (+2 %) | ±0 | +5 | within noise |');
	});

	it('simulated races: the network part is connection noise, said under the table with where the differences land', () => {
		const simulatedNear = {...near, simulated: true};
		const simulatedFar = {...far, simulated: true};
		const comparison = compareRaces(
			labelRaces([
				{file: 'n.json', transcript: simulatedNear},
				{file: 'f.json', transcript: simulatedFar},
			]),
			'ttft',
		);
		expect(comparison.simulated).toBe(true);
		expect(comparisonText(comparison)).toContain(
			'Simulated races: the simulator is local, its network part is connection noise on this machine. The differences land most in',
		);
		expect(markdownOf(simulatedNear, simulatedFar)).toContain(
			'- Simulated races: the simulator is local, its network part is connection noise on this machine.',
		);
	});

	it('other metrics: no network split, still real?', () => {
		const comparison = compareRaces(
			labelRaces([
				{file: 'near.json', transcript: near},
				{file: 'far.json', transcript: far},
			]),
			'total',
		);
		expect(comparison.rows[0]!.diffs[0]).toMatchObject({networkMs: null, restMs: null, real: true});
		expect(comparisonText(comparison)).not.toContain('network');
	});
});

describe('photo finish', () => {
	const ttfts = (model: ModelSpec, values: readonly number[]) =>
		values.map((ttftMs, index) => fakeRun(model, index, {ttftMs, ttfaMs: ttftMs, totalMs: ttftMs + 1000}));
	const a = spec('a', 'Alpha');
	const b = spec('b', 'Beta');
	const c = spec('c', 'Gamma');
	const d = spec('d', 'Delta');

	it('marks ≈ exactly where the interval of the median overlaps the one above, and says what it means', () => {
		// Five runs: the interval is [min, max] (level 0.9375). Alpha [100, 104]; Beta [104, 108] touches it;
		// Gamma [200, 204] is clear of Beta; Delta [205, 209] is clear of Gamma by 1 ms.
		const markdown = markdownOf(
			race([
				{spec: a, runs: ttfts(a, [100, 101, 102, 103, 104])},
				{spec: b, runs: ttfts(b, [104, 105, 106, 107, 108])},
				{spec: c, runs: ttfts(c, [200, 201, 202, 203, 204])},
				{spec: d, runs: ttfts(d, [205, 206, 207, 208, 209])},
			]),
		);
		expect(markdown).toMatch(/^\| 1 \| Alpha \|/m);
		expect(markdown).toMatch(/^\| ≈2 \| Beta \|/m);
		expect(markdown).toMatch(/^\| 3 \| Gamma \|/m);
		expect(markdown).toMatch(/^\| 4 \| Delta \|/m);
		expect(markdown.match(/≈\d/g)).toEqual(['≈2']);
		expect(markdown).toContain('- ≈: its interval of the median overlaps the one above: at 5 runs the data cannot separate them.');
		expect(markdown).not.toContain('cannot separate close models');
	});

	it('one run: no ≈ even for equal TTFTs, and the report says one run cannot separate close models', () => {
		const markdown = markdownOf(
			race([
				{spec: a, runs: ttfts(a, [100])},
				{spec: b, runs: ttfts(b, [100])},
			]),
		);
		expect(markdown).not.toContain('≈');
		expect(markdown).toContain('- One run per model cannot separate close models: run with --runs 10 to see which leads are real.');
	});
});

describe('flags, served model and measurement', () => {
	it('puts ! beside each figure a flag makes doubtful and names each flag in the notes', () => {
		const a = spec('a', 'Alpha');
		const b = spec('b', 'Beta');
		const c = spec('c', 'Gamma');
		const markdown = markdownOf(
			race([
				// Alpha: fakeRun's TTFT 500 + index, 50 tok/s, 150 tokens, total TTFT + 2980: buffered in 2 of 3 runs.
				{spec: a, runs: [fakeRun(a, 0, {flags: ['buffered']}), fakeRun(a, 1, {flags: ['buffered']}), fakeRun(a, 2)]},
				{spec: b, runs: [fakeRun(b, 0, {flags: ['stalled', 'truncated']})]},
				{spec: c, runs: [fakeRun(c, 0, {flags: ['usage-mismatch'], servedModel: 'gamma-q4'})]},
			]),
		);
		// Ranked by TTFT: Beta 500, Gamma 500, Alpha 501 (median of 500, 501, 502).
		expect(markdown).toContain('| 1 | Beta | Lab | 500 | 500 | 50.0! | 3480! | 150! |');
		expect(markdown).toContain('| 2 | Gamma | Lab | 500 | 500 | 50.0! | 3480 | 150! |');
		expect(markdown).toContain('| 3 | Alpha | Lab | 501! | 501 | 50.0! | 3481 | 150 |');
		expect(markdown).toContain('- !: a flag makes this figure doubtful (below).');
		expect(markdown).toContain(
			'- Alpha: buffered in 2 of 3 runs: at least 20 text chunks arrived, half of them or more in socket reads of 5 or more, while llmrace was on time: something between the model and llmrace (a proxy, a gateway) held the stream back, so TTFT and tok/s describe that buffer, not the model.',
		);
		expect(markdown).toContain('- Beta: stalled in 1 of 1 run: the stream paused mid-answer');
		expect(markdown).toContain('- Beta: truncated in 1 of 1 run: the run was cut at the hard cap because the server ignored max\\_tokens');
		expect(markdown).toContain("- Gamma: usage-mismatch in 1 of 1 run: the server's usage differs from the count of the streamed text by more than 50 %");
		expect(markdown).toContain('- Gamma: asked for c, served gamma-q4.');
	});

	it('no flags, no !, no notes about them', () => {
		const a = spec('a', 'Alpha');
		const markdown = markdownOf(race([{spec: a, runs: [fakeRun(a, 0), fakeRun(a, 1, {servedModel: 'a'})]}]));
		expect(markdown).not.toMatch(/\d!|doubtful|served/);
	});

	it('prints the client\'s event-loop delay under "How the race was run", "—" when missing', () => {
		const a = spec('a');
		const measured = markdownOf(
			race([{spec: a, runs: [fakeRun(a, 0)]}], {measurement: {eventLoopDelayMs: {p50: 10.24, p99: 25, max: 40.06}, clock: 'performance.now'}}),
		);
		expect(measured).toContain('| client event-loop delay | p50 10.2 ms, p99 25.0 ms, max 40.1 ms (every stamp may be late by this much) |');
		expect(markdownOf(race([{spec: a, runs: [fakeRun(a, 0)]}]))).toContain('| client event-loop delay | — |');
	});

	it('prints each stamping thread and the runs\' own delay under "How the race was run", nothing of them in older transcripts', () => {
		const a = spec('a');
		const threads = [
			{eventLoopDelayMs: {p50: 0.5, p99: 3.14, max: 8}, streams: 128},
			{eventLoopDelayMs: {p50: 0.4, p99: 25, max: 40.06}, streams: 1},
		];
		const markdown = markdownOf(
			race([{spec: a, runs: [fakeRun(a, 0, {clientDelayMs: 4.2}), fakeRun(a, 1, {clientDelayMs: 31.5, flags: ['client-late']})]}], {
				measurement: {eventLoopDelayMs: {p50: 0.5, p99: 25, max: 40.06}, clock: 'performance.now', threads},
			}),
		);
		expect(markdown).toContain('| stamping threads | 2: p99 3.1 ms, max 8.0 ms over 128 streams; p99 25.0 ms, max 40.1 ms over 1 stream |');
		expect(markdown).toContain('| run delay | worst 31.5 ms; 1 of 2 runs client-late (over 20 ms) |');
		const older = markdownOf(race([{spec: a, runs: [fakeRun(a, 0)]}]));
		expect(older).not.toMatch(/stamping threads|run delay/);
	});
});
