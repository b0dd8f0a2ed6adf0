import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {enumOf, parseTranscript} from '../../../../source/core/transcript/read.js';
import {buildTranscript, transcriptToJson} from '../../../../source/core/transcript/build.js';
import type {RunRecord, RunStatus, Transcript} from '../../../../source/core/types.js';
import {modelAt} from '../../../helpers/models.js';

const fixture = (name: string) => new URL(`../../../fixtures/${name}`, import.meta.url);

describe('reading transcripts of older and newer llmrace', () => {
	/** The file as an llmrace from before this round wrote it: none of the new fields. */
	const older = (text: string): string => {
		const data = JSON.parse(text) as {
			measurement?: unknown;
			models: Array<{price: Record<string, unknown>; runs: Array<Record<string, unknown>>; summary: Record<string, unknown>}>;
		};
		delete data.measurement;
		for (const model of data.models) {
			delete model.price['source'];
			for (const run of model.runs) {
				for (const key of ['phases', 'flags', 'servedModel', 'reconnected']) {
					delete run[key];
				}
			}

			for (const stat of Object.values(model.summary)) {
				if (typeof stat === 'object' && stat !== null) {
					delete (stat as Record<string, unknown>)['ci'];
				}
			}
		}

		return JSON.stringify(data);
	};

	for (const name of ['us-east.json', 'singapore.json']) {
		it(`reads ${name}, and the same file without phases, flags, servedModel, reconnected, ci, measurement, price.source, with those at their unknown values`, () => {
			const text = readFileSync(fixture(name), 'utf8');
			expect(parseTranscript(text, name).models.length).toBeGreaterThan(0);
			const old = older(text);
			expect(old).not.toContain('"flags"');
			const transcript = parseTranscript(old, name);
			const raw = JSON.parse(text) as {models: unknown[]};
			expect(transcript.measurement).toBeUndefined();
			expect(transcript.models.length).toBe(raw.models.length);
			for (const model of transcript.models) {
				expect(model.summary.ttftMs?.ci).toBeUndefined();
				expect(model.price.source).toBeUndefined();
				for (const run of model.runs) {
					expect(run.phases).toBeNull();
					expect(run.flags).toEqual(run.truncated ? ['truncated'] : []);
					expect(run.servedModel).toBeNull();
					expect(run.reconnected).toBe(false);
					expect(typeof run.truncated).toBe('boolean');
				}
			}
		});
	}

	it('round-trips a transcript with every new field, rounded as written', () => {
		const base: RunRecord = {
			index: 0,
			warmup: false,
			status: 'ok',
			error: null,
			ttftMs: 121.456_78,
			ttfaMs: 121.456_78,
			totalMs: 2004.912_34,
			promptTokens: 14,
			outputTokens: 151,
			tokenSource: 'usage',
			reasoningTokens: null,
			hiddenReasoning: false,
			serverTimings: null,
			tokensPerSecond: 79.712_34,
			interChunkMs: {p50: 12.5, p95: 14.1, p99: 15, max: 1600.123},
			costUSD: 0.000_022_7,
			finishReason: 'length',
			truncated: true,
			phases: {dnsMs: 0.123_45, connectMs: 1.234_56, tlsMs: 9.876_54, sentMs: 10.5, headersMs: 80.111, reused: false},
			flags: ['buffered', 'stalled', 'usage-mismatch', 'truncated'],
			servedModel: 'step-3.5-flash-2026-05-01',
			reconnected: true,
			text: 'Recursion',
			reasoningText: '',
			chunks: [
				[121.456_78, 'Rec'],
				[134, 'ursion'],
			],
		};
		const runs = [0, 1, 2].map(index => ({...base, index, ttftMs: base.ttftMs! + index * 10, ttfaMs: base.ttfaMs! + index * 10}));
		const written: Transcript = buildTranscript({
			toolVersion: '0.1.0',
			startedAt: new Date('2026-05-20T10:00:00.000Z'),
			finishedAt: new Date('2026-05-20T10:00:09.512Z'),
			region: 'us-east',
			prompt: 'Explain recursion',
			preset: 'test',
			simulated: false,
			settings: {runs: 3, warmup: 0, maxTokens: 512, temperature: null, concurrency: null, timeoutMs: 120_000, seed: null},
			aborted: false,
			measurement: {eventLoopDelayMs: {p50: 10.123_456, p99: 12.345_678, max: 40.999_9}, clock: 'performance.now'},
			models: [{spec: modelAt('http://127.0.0.1:41234/v1', {price: {inputPerM: null, outputPerM: 0.15, source: 'preset'}}), bracket: 'ultra-budget', runs}],
		});
		// Rounded as the other figures: ms to 2 decimals, level to 4.
		expect(written.measurement).toEqual({eventLoopDelayMs: {p50: 10.12, p99: 12.35, max: 41}, clock: 'performance.now'});
		const [model] = written.models;
		expect(model!.runs[0]!.phases).toEqual({dnsMs: 0.12, connectMs: 1.23, tlsMs: 9.88, sentMs: 10.5, headersMs: 80.11, reused: false});
		expect(model!.summary.ttftMs!.ci).toEqual({lo: 121.46, hi: 141.46, level: 0.75});
		expect(model!.summary.totalMs!.ci).toEqual({lo: 2004.91, hi: 2004.91, level: 0.75});
		expect(model!.summary.outputTokens!.ci).toBeUndefined();

		// The price's source is written by another part; give the file one to read back.
		const json = JSON.parse(transcriptToJson(written)) as {models: Array<{price: Record<string, unknown>}>};
		json.models[0]!.price['source'] = 'preset';
		const read = parseTranscript(JSON.stringify(json), 'new.json');
		expect(read.measurement).toEqual(written.measurement);
		expect(read.models[0]!.price.source).toBe('preset');
		expect(read.models[0]!.runs).toEqual(model!.runs);
		expect(read.models[0]!.summary).toEqual(model!.summary);
	});

	it('leaves out flags it does not know, and rejects a malformed new field with its path', () => {
		const text = readFileSync(fixture('us-east.json'), 'utf8');
		const data = JSON.parse(text) as {
			models: Array<{runs: Array<Record<string, unknown>>; summary: Record<string, Record<string, unknown>>}>;
			measurement?: unknown;
		};
		data.models[0]!.runs[0]!['flags'] = ['stalled', 'from-the-future'];
		expect(parseTranscript(JSON.stringify(data), 'x.json').models[0]!.runs[0]!.flags).toEqual(['stalled']);
		data.models[0]!.summary['ttftMs']!['ci'] = {lo: 1, hi: 2, level: 'high'};
		expect(() => parseTranscript(JSON.stringify(data), 'x.json')).toThrow(/x\.json: invalid transcript at models\[0\]\.summary\.ttftMs\.ci\.level/);
	});

	it('gives a model without `reasoning` (an older file) false, and reads the id and each stamping thread of `measurement`', () => {
		const data = JSON.parse(readFileSync(fixture('us-east.json'), 'utf8')) as {id?: string; measurement?: unknown; models: Array<Record<string, unknown>>};
		delete data.models[0]!['reasoning'];
		data.id = '5b3c8a6e-0f7d-4d55-9a3e-0e4f3c1b2a90';
		const threads = [{eventLoopDelayMs: {p50: 1, p99: 2, max: 3}, streams: 8}];
		data.measurement = {eventLoopDelayMs: {p50: 1, p99: 2, max: 3}, clock: 'performance.now', threads};
		const read = parseTranscript(JSON.stringify(data), 'x.json');
		expect(read.models[0]!.reasoning).toBe(false);
		expect(read.id).toBe(data.id);
		expect(read.measurement?.threads).toEqual(threads);
		data.measurement = {eventLoopDelayMs: {p50: 1, p99: 2, max: 3}, clock: 'performance.now', threads: [{eventLoopDelayMs: {p50: 1}, streams: 8}]};
		expect(() => parseTranscript(JSON.stringify(data), 'x.json')).toThrow(/x\.json: invalid transcript at measurement\.threads\[0\]\.eventLoopDelayMs\.p99/);
	});

	it("builds the schema's enums from exactly the members of their types (checked by the compiler)", () => {
		expect(enumOf<RunStatus>()(['ok', 'error', 'timeout', 'aborted']).options).toEqual(['ok', 'error', 'timeout', 'aborted']);
		// @ts-expect-error -- a member of RunStatus is missing
		enumOf<RunStatus>()(['ok', 'error', 'timeout']);
		// @ts-expect-error -- not a member of RunStatus
		enumOf<RunStatus>()(['ok', 'error', 'timeout', 'aborted', 'queued']);
	});
});
