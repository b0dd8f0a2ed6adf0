import {readFileSync, writeFileSync} from 'node:fs';
import {parse as parseCsv} from 'csv-parse/sync';
import {describe, expect, it} from 'vitest';
import {csvField, escapeHtml, markdownCell} from '../../../../source/core/text/escape.js';
import {medianOf} from '../../../../source/core/report/document.js';
import {compareRaces, comparisonText, labelRaces, reportCsv, reportMarkdown, reportRows} from '../../../../source/core/report/report.js';
import {replaySnapshot} from '../../../../source/core/race/replay.js';
import {TranscriptError, parseTranscript} from '../../../../source/core/transcript/read.js';
import {transcriptToJson} from '../../../../source/core/transcript/build.js';
import {demoTranscript} from '../../../helpers/fixtures.js';
import {hostileName, hostileTranscript} from '../../../helpers/hostile-transcript.js';

const fixture = (name: string) => new URL(`../../../fixtures/${name}`, import.meta.url);
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
		expect(reject(text.replace('llmrace/transcript@1', 'llmrace/transcript@2'))).toBe(
			'x.json: written by a newer llmrace (schema llmrace/transcript@2); this version reads llmrace/transcript@1: upgrade llmrace',
		);
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
		const markdown = reportMarkdown(
			labelRaces([
				{file: 'a.json', transcript: read('us-east.json')},
				{file: 'b.json', transcript: read('singapore.json')},
			]),
		);
		expect(markdown).toContain('## By region (median TTFT)');
		// One run each: no network part (the simulator is local), the whole difference is the rest, and nothing can be judged real.
		expect(markdown).toContain('| DeepSeek V4 Flash | 180 | 150 | −30 (−17 %) | ±0 | −30 | — |');
		expect(markdown).toContain(
			'- Simulated races: the simulator is local, its network part is connection noise on this machine. The differences land most in wait (up to 120 ms)',
		);
		expect(markdown).toContain('| Qwen3-32B | 250 | 210 | −40 (−16 %) |');
		expect(markdown).toContain('| GLM-5 | 500 | 420 | −80 (−16 %) |');
		expect(markdown).toContain('| Step-3.5-Flash | 120 | 120 | ±0 (±0 %) |');
	});

	it('writes CSV and JSON rows for spreadsheets and scripts', () => {
		const races = labelRaces([{file: 'us.json', transcript: read('us-east.json')}]);
		const csv = reportCsv(races).split('\r\n');
		// The columns scripts rely on, in their order; the decision figures only added after them.
		expect(csv[0]).toBe(
			'race,region,startedAt,preset,simulated,id,name,provider,ttftMs,ttfaMs,tokensPerSecond,totalMs,outputTokens,outputPerM,costUSD,bracket,ok,failed,ttftCiLo,ttftCiHi,tokensPerSecondCiLo,tokensPerSecondCiHi,connectMs,waitMs,firstTokenMs,decodeMs,reusedRuns,flagsBuffered,flagsClientLate,flagsStalled,flagsUsageMismatch,flagsTruncated',
		);
		expect(csv).toHaveLength(17);
		expect(csv.at(-1)).toBe('');
		expect(csv[1]).toMatch(/^us-east,us-east,2026-05-20T10:00:00\.000Z,demo,true,step-3\.5-flash,Step-3\.5-Flash,StepFun,120,120,80,/);
		expect(reportRows(races)[0]).toMatchObject({
			id: 'step-3.5-flash',
			ttftMs: 120,
			tokensPerSecond: 80,
			serverTokensPerSecond: null,
			outputPerM: 0.15,
			bracket: 'ultra-budget',
		});
	});

	it('checks the ranking against figures computed by hand', () => {
		// Three runs of Step-3.5-Flash: fakeRun gives TTFT 120 + index (120, 121, 122): median 121.
		// 150 tokens at 80 tok/s from the first token: total = TTFT + 149 × 12.5 ms = 121 + 1862.5 = 1983.5 → 1984 (median run).
		// Run cost: 150 × $0.15 / 1e6 = $0.0000225 a run = $0.0225 per 1,000 runs, shown as $0.023/1k.
		const markdown = reportMarkdown(labelRaces([{file: 'x.json', transcript: demoTranscript({runs: 3})}]));
		expect(markdown).toContain('### Ranking (median of 3 runs, by TTFT)');
		expect(markdown).toContain('| 1 | Step-3.5-Flash | StepFun | 121 | 121 | 80.0 | 1984 | 150 | $0.15 | $0.023/1k | ultra-budget | ok |');
	});
});

describe('server decode speed and completed runs', () => {
	const withServer = () => {
		const base = demoTranscript({runs: 3});
		return {
			...base,
			models: base.models.map(model =>
				model.id === 'qwen3-8b'
					? // llama.cpp reports its own speed per run: 90, 100, 110 → median 100.
						{...model, runs: model.runs.map((run, index) => ({...run, serverTimings: {timings: {predicted_per_second: 90 + index * 10}}}))}
					: model,
			),
		};
	};

	it("shows the server's own tok/s beside the measured one in the report, the CSV and the plain table", async () => {
		const races = labelRaces([{file: 'x.json', transcript: withServer()}]);
		const markdown = reportMarkdown(races);
		expect(markdown).toContain('| # | model | provider | TTFT (ms) | TTFA (ms) | tok/s | server tok/s | total (ms) |');
		expect(markdown).toMatch(/\| Qwen3-8B \| Qwen \| 151 \| 151 \| 70\.0 \| 100\.0 \|/);
		expect(markdown).toMatch(/\| Step-3\.5-Flash \| StepFun \| 121 \| 121 \| 80\.0 \| — \|/);
		const rows = parseCsv(reportCsv(races), {columns: true}) as Array<Record<string, string>>;
		expect(rows.find(row => row['id'] === 'qwen3-8b')!['serverTokensPerSecond']).toBe('100');
		expect(rows.find(row => row['id'] === 'step-3.5-flash')!['serverTokensPerSecond']).toBe('');
		const {plainTable} = await import('../../../../source/core/report/plain-table.js');
		const table = plainTable(withServer().models, {sort: 'ttft', bracket: null, runs: 3}).split('\n');
		expect(table[0]).toMatch(/tok\/s +server tok\/s/);
		expect(table.find(line => line.includes('Qwen3-8B'))).toMatch(/70\.0 \(p95 70\.0\) +100\.0 /);
		// No model reports it: no column anywhere.
		expect(reportCsv(labelRaces([{file: 'y.json', transcript: demoTranscript()}]))).not.toContain('serverTokensPerSecond');
		expect(plainTable(demoTranscript().models, {sort: 'ttft', bracket: null, runs: 1})).not.toContain('server tok/s');
	});

	it('says "median of N runs" with N the runs that completed', () => {
		const three = demoTranscript({runs: 3});
		expect(medianOf(three)).toBe('median of 3 runs');
		const oneFailed = {
			...three,
			models: three.models.map(model => (model.id === 'glm-5' ? {...model, summary: {...model.summary, ok: 2, failed: 1}} : model)),
		};
		expect(medianOf(oneFailed)).toBe('median of 2–3 completed runs');
		const allTwo = {...three, models: three.models.map(model => ({...model, summary: {...model.summary, ok: 2, failed: 1}}))};
		expect(medianOf(allTwo)).toBe('median of 2 runs');
		expect(medianOf(demoTranscript())).toBe('median');
	});
});

describe('escaping untrusted text in files', () => {
	const columns = (line: string) => line.replaceAll(/\\./g, 'x').split('|').length - 2;

	it('keeps every Markdown table row at its column count whatever a server sent', () => {
		const markdown = reportMarkdown(labelRaces([{file: 'h.json', transcript: hostileTranscript()}]));
		expect(markdown).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E]/);
		const lines = markdown.split('\n');
		let expected: number | null = null;
		for (const line of lines) {
			if (!line.startsWith('|')) {
				expected = null;
				continue;
			}

			expected ??= columns(line);
			expect(columns(line), line).toBe(expected);
		}

		expect(markdown).toContain('=HYPERLINK("http://x","y")\\|x');
		expect(markdown).toContain('\\</svg\\>\\<script\\>');
		expect(markdown).not.toContain('<script>');
		// The error table keeps three cells although the message holds pipes, a newline and backticks.
		const error = lines.findLast(line => line.startsWith('| GLM 5'))!;
		expect(error).toContain('GLM 5 \\| \\`x\\`');
		expect(columns(error)).toBe(3);
		expect(markdownCell('a\\|b')).toBe('a\\\\\\|b');
	});

	it('writes CSV that parses back with formulas neutralised and negative figures as numbers', () => {
		const hostile = hostileTranscript();
		const races = labelRaces([
			{file: 'h.json', transcript: hostile},
			{file: 's.json', transcript: {...hostile, region: '-singapore'}},
		]);
		const csv = reportCsv(races);
		expect(csv).not.toMatch(/[\u0000-\u0009\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E]/);
		const records = parseCsv(csv, {relaxColumnCount: false}) as string[][];
		const [header, ...rows] = records;
		expect(rows).toHaveLength(30);
		expect(rows.every(row => row.length === header!.length)).toBe(true);
		const cell = (row: readonly string[], name: string) => row[header!.indexOf(name)]!;
		const first = rows.find(row => cell(row, 'name').includes('HYPERLINK'))!;
		expect(cell(first, 'name')).toBe(`'${hostileName}`);
		expect(cell(first, 'id')).toBe(`'${hostileName}`);
		expect(cell(first, 'provider')).toBe("'@SUM(1+1)`\n");
		expect(rows.find(row => cell(row, 'provider').includes('2+3'))!.at(header!.indexOf('provider'))).toBe("'-2+3");
		expect(cell(rows.at(-1)!, 'race')).toBe("'-singapore");
		// No cell a spreadsheet would run.
		expect(rows.flat().filter(value => /^[=+\-@\t\r]/.test(value) && Number.isNaN(Number(value)))).toEqual([]);
		// A figure that is negative stays a number.
		expect(csvField(-30)).toBe('-30');
		expect(csvField('-30')).toBe("'-30");
		expect(csvField(-0.5)).toBe('-0.5');
		expect(csvField('a "b", c')).toBe('"a ""b"", c"');
		expect(csvField('\tx')).toBe("' x");
	});

	it('escapes HTML text and attributes', () => {
		expect(escapeHtml('<a href="x">\'&\u001B[2J</a>')).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp; [2J&lt;/a&gt;');
	});
});

describe('compare', () => {
	it('lines up the models of each race with the difference to the first, in ms and %', () => {
		const comparison = compareRaces(
			labelRaces([
				{file: 'a.json', transcript: read('us-east.json')},
				{file: 'b.json', transcript: read('singapore.json')},
			]),
			'ttft',
		);
		const row = (id: string) => comparison.rows.find(entry => entry.id === id)!;
		expect(comparison.races).toEqual(['us-east', 'singapore']);
		expect(row('kimi-k2.5').diffs[0]!.diff).toBe(-120);
		expect(row('glm-5').diffs[0]!.percent).toBeCloseTo(-16, 6);
		expect(comparisonText(comparison)).toMatch(/GLM-5 +500 +420 +−80 \(−16 %\)/);
	});

	it('compares other metrics and leaves out models missing from a race', () => {
		const partial = {...sg, models: sg.models.filter(model => model.id !== 'glm-5')};
		const comparison = compareRaces(
			labelRaces([
				{file: 'us.json', transcript: us},
				{file: 'sg.json', transcript: partial},
			]),
			'tps',
		);
		expect(comparison.missing).toEqual(['glm-5']);
		expect(comparison.unit).toBe('tok/s');
		expect(comparison.rows.find(entry => entry.id === 'qwen3-8b')!.values).toEqual([70, 70]);
	});

	it('labels races by file when their regions are the same or missing', () => {
		const races = labelRaces([
			{file: '/x/monday.json', transcript: {...us, region: null}},
			{file: '/y/tuesday.json', transcript: {...us, region: null}},
		]);
		expect(races.map(race => race.label)).toEqual(['monday', 'tuesday']);
		expect(
			labelRaces([
				{file: 'a.json', transcript: us},
				{file: 'b.json', transcript: us},
			]).map(race => race.label),
		).toEqual(['us-east (a.json)', 'us-east (b.json)']);
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
		expect(replaySnapshot(transcript, 60_000).models.find(model => model.spec.id === 'step-3.5-flash')!.live).toMatchObject({
			tokens: 150,
			tokensEstimated: false,
		});
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
		const {plainTable} = await import('../../../../source/core/report/plain-table.js');
		const three = demoTranscript({runs: 3});
		const flash = three.models.find(model => model.id === 'step-3.5-flash')!;
		// 150 tokens × $0.15/M per run; three runs cost three times that in all.
		expect(flash.summary.costUSD).toBeCloseTo((3 * 150 * 0.15) / 1e6, 12);
		const table = plainTable(three.models, {sort: 'ttft', bracket: null, runs: 3});
		expect(table.split('\n')[0]).toMatch(/Run cost/);
		expect(table.split('\n').find(line => line.includes('Step-3.5-Flash'))).toContain('$0.023/1k');
		expect(reportRows(labelRaces([{file: 'x.json', transcript: three}]))[0]!.costUSD).toBeCloseTo((150 * 0.15) / 1e6, 12);
	});
});
