import {readFileSync, writeFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {compareRaces, comparisonText, labelRaces, reportCsv, reportMarkdown, reportRows} from '../../source/core/report.js';
import {replaySnapshot} from '../../source/core/replay.js';
import {TranscriptError, parseTranscript} from '../../source/core/transcript-read.js';
import {transcriptToJson} from '../../source/core/transcript.js';
import {demoTranscript} from '../helpers/fixtures.js';

const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url);
const update = process.env['UPDATE_GOLDEN'] === '1';

// The fixed transcripts: the published figures as if measured, from US East and from Singapore.
const us = demoTranscript({region: 'us-east'});
const sg = demoTranscript({region: 'singapore', ttftShift: {'deepseek-v4-flash': -30, 'qwen3-32b': -40, 'glm-5': -80, 'kimi-k2.5': -120}});
if (update) {
	writeFileSync(fixture('us-east.json'), transcriptToJson(us));
	writeFileSync(fixture('singapore.json'), transcriptToJson(sg));
}

function read(name: string) {
	return parseTranscript(readFileSync(fixture(name), 'utf8'), `test/fixtures/${name}`);
}

describe('reading transcripts', () => {
	it('reads back what it wrote', () => {
		expect(read('us-east.json')).toEqual(JSON.parse(transcriptToJson(us)));
	});

	const reject = (text: string) => {
		try {
			parseTranscript(text, 'x.json');
		} catch (error) {
			expect(error).toBeInstanceOf(TranscriptError);
			expect((error as Error).message).not.toContain('\n');
			return (error as Error).message;
		}

		throw new Error('expected a TranscriptError');
	};

	it('rejects truncated, foreign, newer and broken files with one line naming the file', () => {
		const text = readFileSync(fixture('us-east.json'), 'utf8');
		expect(reject(text.slice(0, 500))).toMatch(/^x\.json: not valid JSON \(truncated or corrupt\?\)/);
		expect(reject('')).toMatch(/^x\.json: not valid JSON \(empty file\)/);
		expect(reject('[1, 2]')).toBe('x.json: not an llmrace transcript (expected a JSON object)');
		expect(reject('{"name": "package", "version": "1.0.0"}')).toBe('x.json: not an llmrace transcript (no "schema": "llmrace/transcript@1")');
		expect(reject(text.replace('llmrace/transcript@1', 'llmrace/transcript@2'))).toBe('x.json: written by a newer llmrace (schema llmrace/transcript@2); this version reads llmrace/transcript@1: upgrade llmrace');
		const broken = JSON.parse(text) as {models: Array<{runs: Array<{ttftMs: unknown}>}>};
		broken.models[3]!.runs[0]!.ttftMs = 'fast';
		expect(reject(JSON.stringify(broken))).toMatch(/^x\.json: invalid transcript at models\[3\]\.runs\[0\]\.ttftMs: /);
	});

	it('keeps fields added by later versions of the same schema', () => {
		const text = readFileSync(fixture('us-east.json'), 'utf8');
		const extended = JSON.parse(text) as Record<string, unknown>;
		extended['futureField'] = {x: 1};
		expect((parseTranscript(JSON.stringify(extended), 'x.json') as unknown as Record<string, unknown>)['futureField']).toEqual({x: 1});
	});
});

describe('report', () => {
	it('matches the golden Markdown report of a fixed transcript', () => {
		const markdown = reportMarkdown(labelRaces([{file: 'us-east.json', transcript: read('us-east.json')}]));
		if (update) {
			writeFileSync(fixture('report-us-east.md'), markdown);
		}

		expect(markdown).toBe(readFileSync(fixture('report-us-east.md'), 'utf8'));
	});

	it('adds a by-region table for races from different regions', () => {
		const markdown = reportMarkdown(labelRaces([{file: 'a.json', transcript: read('us-east.json')}, {file: 'b.json', transcript: read('singapore.json')}]));
		expect(markdown).toContain('## By region (median TTFT)');
		expect(markdown).toContain('| DeepSeek V4 Flash | 180 | 150 | −30 (−17 %) |');
		expect(markdown).toContain('| Qwen3-32B | 250 | 210 | −40 (−16 %) |');
		expect(markdown).toContain('| GLM-5 | 500 | 420 | −80 (−16 %) |');
		expect(markdown).toContain('| Step-3.5-Flash | 120 | 120 | ±0 (±0 %) |');
	});

	it('writes CSV and JSON rows for spreadsheets and scripts', () => {
		const races = labelRaces([{file: 'us.json', transcript: read('us-east.json')}]);
		const csv = reportCsv(races).trim().split('\n');
		expect(csv[0]).toBe('race,region,startedAt,preset,simulated,id,name,provider,ttftMs,ttfaMs,tokensPerSecond,totalMs,outputTokens,outputPerM,costUSD,bracket,ok,failed');
		expect(csv).toHaveLength(16);
		expect(csv[1]).toMatch(/^us-east,us-east,2026-05-20T10:00:00\.000Z,demo,true,step-3\.5-flash,Step-3\.5-Flash,StepFun,120,120,80,/);
		expect(reportRows(races)[0]).toMatchObject({id: 'step-3.5-flash', ttftMs: 120, tokensPerSecond: 80, outputPerM: 0.15, bracket: 'ultra-budget'});
	});
});

describe('compare', () => {
	it('lines up the models of each race with the difference to the first, in ms and %', () => {
		const comparison = compareRaces(labelRaces([{file: 'a.json', transcript: read('us-east.json')}, {file: 'b.json', transcript: read('singapore.json')}]), 'ttft');
		const row = (id: string) => comparison.rows.find(entry => entry.id === id)!;
		expect(comparison.races).toEqual(['us-east', 'singapore']);
		expect(row('kimi-k2.5').diffs[0]!.diff).toBe(-120);
		expect(row('glm-5').diffs[0]!.percent).toBeCloseTo(-16, 6);
		expect(comparisonText(comparison)).toMatch(/GLM-5 +500 +420 +−80 \(−16 %\)/);
	});

	it('compares other metrics and leaves out models missing from a race', () => {
		const partial = {...sg, models: sg.models.filter(model => model.id !== 'glm-5')};
		const comparison = compareRaces(labelRaces([{file: 'us.json', transcript: us}, {file: 'sg.json', transcript: partial}]), 'tps');
		expect(comparison.missing).toEqual(['glm-5']);
		expect(comparison.unit).toBe('tok/s');
		expect(comparison.rows.find(entry => entry.id === 'qwen3-8b')!.values).toEqual([70, 70]);
	});

	it('labels races by file when their regions are the same or missing', () => {
		const races = labelRaces([{file: '/x/monday.json', transcript: {...us, region: null}}, {file: '/y/tuesday.json', transcript: {...us, region: null}}]);
		expect(races.map(race => race.label)).toEqual(['monday', 'tuesday']);
		expect(labelRaces([{file: 'a.json', transcript: us}, {file: 'b.json', transcript: us}]).map(race => race.label)).toEqual(['us-east (a.json)', 'us-east (b.json)']);
	});
});

describe('replay', () => {
	it('plays the race back from its chunk timestamps', () => {
		const transcript = read('us-east.json');
		const before = replaySnapshot(transcript, 50);
		expect(before.models.every(model => model.state === 'connecting')).toBe(true);
		const early = replaySnapshot(transcript, 1000);
		const flash = early.models.find(model => model.spec.id === 'step-3.5-flash')!;
		expect(flash.state).toBe('streaming');
		expect(flash.live!.ttftMs).toBe(120);
		expect(flash.text.length).toBeGreaterThan(0);
		expect(flash.live!.tokensEstimated).toBe(true);
		expect(replaySnapshot(transcript, 60_000).models.find(model => model.spec.id === 'step-3.5-flash')!.live).toMatchObject({tokens: 150, tokensEstimated: false});
		const kimi = replaySnapshot(transcript, 300).models.find(model => model.spec.id === 'kimi-k2.5')!;
		expect(kimi.state).toBe('thinking');
		const end = replaySnapshot(transcript, 60_000);
		expect(end.finishedAt).not.toBeNull();
		expect(end.models.every(model => model.state === 'done')).toBe(true);
		expect(end.models.find(model => model.place === 1)!.spec.id).toBe('step-3.5-flash');
		expect(end.models.find(model => model.spec.id === 'glm-5')!.text).toBe(transcript.models.find(model => model.id === 'glm-5')!.runs[0]!.text);
	});
});

describe('run cost', () => {
	it('is the mean cost of one completed run everywhere, not the sum over runs', async () => {
		const {plainTable} = await import('../../source/core/plain-table.js');
		const three = demoTranscript({runs: 3});
		const flash = three.models.find(model => model.id === 'step-3.5-flash')!;
		// 150 tokens × $0.15/M per run; three runs cost three times that in all.
		expect(flash.summary.costUSD).toBeCloseTo(3 * 150 * 0.15 / 1e6, 12);
		const table = plainTable(three.models, {sort: 'ttft', bracket: null, runs: 3});
		expect(table.split('\n')[0]).toMatch(/Run cost/);
		expect(table.split('\n').find(line => line.includes('Step-3.5-Flash'))).toContain('$0.023/1k');
		expect(reportRows(labelRaces([{file: 'x.json', transcript: three}]))[0]!.costUSD).toBeCloseTo(150 * 0.15 / 1e6, 12);
	});
});
