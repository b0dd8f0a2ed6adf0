// Load transcripts read back, and the load report, ranking, compare and latency over time against
// hand-built transcripts whose figures are worked out by hand in the comments.
import {parseHTML} from 'linkedom';
import {parse as parseCsv} from 'csv-parse/sync';
import {describe, expect, it} from 'vitest';
import {blocksHtml} from '../../../../source/core/report/html.js';
import {cellWidth} from '../../../../source/core/text/cells.js';
import {bucketMs, kneeSeries, kneeMetricOf, latencyOverTime} from '../../../../source/core/report/load-charts.js';
import {labelLoads, loadReportCsv, loadReportDocument, loadReportRows} from '../../../../source/core/report/load-report.js';
import {formatRate} from '../../../../source/core/report/load-table.js';
import {blocksMarkdown} from '../../../../source/core/report/markdown.js';
import {compareLoads, formatLoadDiff, loadComparisonText} from '../../../../source/core/stats/load-compare.js';
import {rateMeetingSlo, stepMeetsSlo} from '../../../../source/core/load/slo.js';
import {commonRate, rankLoadModels} from '../../../../source/core/stats/load-ranking.js';
import {parseLoadTranscript} from '../../../../source/core/transcript/read-load.js';
import {kneeTranscript, latency, loadModel, loadTranscript, requests, step} from '../../../helpers/load-fixtures.js';

const transcript = kneeTranscript();
const json = JSON.stringify(transcript);

describe('reading load transcripts', () => {
	it('reads a valid llmrace/load@1 back as it was written', () => {
		expect(parseLoadTranscript(json, 'load.json')).toEqual(transcript);
	});

	it('names the file and the problem: truncated, foreign, a race, newer, a bad field, ragged columns', () => {
		expect(() => parseLoadTranscript(json.slice(0, 200), 'cut.json')).toThrow(/^cut\.json: not valid JSON \(truncated or corrupt\?\)/);
		expect(() => parseLoadTranscript('', 'empty.json')).toThrow(/empty file/);
		expect(() => parseLoadTranscript('{"hello": 1}', 'other.json')).toThrow('other.json: not an llmrace load transcript (no "schema": "llmrace/load@1")');
		expect(() => parseLoadTranscript('[1]', 'list.json')).toThrow(/expected a JSON object/);
		expect(() => parseLoadTranscript('{"schema": "llmrace/transcript@1"}', 'race.json')).toThrow(
			'race.json: a race transcript (llmrace/transcript@1), not a load transcript (llmrace/load@1)',
		);
		expect(() => parseLoadTranscript(json.replace('"llmrace/load@1"', '"llmrace/load@2"'), 'new.json')).toThrow(
			/new\.json: written by a newer llmrace \(schema llmrace\/load@2\).*upgrade llmrace/,
		);
		const bad = structuredClone(transcript) as unknown as {models: Array<{steps: Array<{summary: {ttfaMs: {p99: unknown}}}>}>};
		bad.models[1]!.steps[2]!.summary.ttfaMs.p99 = 'slow';
		expect(() => parseLoadTranscript(JSON.stringify(bad), 'bad.json')).toThrow(
			/^bad\.json: invalid load transcript at models\[1\]\.steps\[2\]\.summary\.ttfaMs\.p99: /,
		);
		const ragged = structuredClone(transcript) as unknown as {models: Array<{steps: Array<{requests: {ttfaMs: unknown[]}}>}>};
		ragged.models[0]!.steps[0]!.requests.ttfaMs.pop();
		expect(() => parseLoadTranscript(JSON.stringify(ragged), 'ragged.json')).toThrow(
			'ragged.json: invalid load transcript at models[0].steps[0].requests.ttfaMs: 9 entries, expected 10 (one per arrival)',
		);
	});

	it('keeps fields a later llmrace adds (objects are open)', () => {
		const later = {...transcript, extra: {note: 'later'}};
		expect((parseLoadTranscript(JSON.stringify(later), 'later.json') as unknown as {extra: unknown}).extra).toEqual({note: 'later'});
	});
});

describe('load ranking', () => {
	it('compares at the highest rate every model ran', () => {
		const partial = loadTranscript([loadModel('a', [step(1), step(2), step(4)]), loadModel('b', [step(1), step(2)])]);
		expect(commonRate(partial.models)).toBe(2);
		expect(commonRate([loadModel('a', [step(1)]), loadModel('b', [step(3)])])).toBeNull();
	});

	it('a step meets the SLO as its summary recorded; a transcript without the verdict has it worked out from its requests', () => {
		const slo = transcript.settings.slo;
		expect(stepMeetsSlo(step(1, {meetsSlo: true}), slo)).toBe(true);
		expect(stepMeetsSlo(step(1, {meetsSlo: false}), slo)).toBe(false);
		// Written before the verdict was recorded: TTFA 300, 500, 700 from the requests themselves.
		const three = requests([300, 500, 700].map((ttfaMs, index) => ({scheduledMs: index * 100, ttfaMs})));
		expect(stepMeetsSlo(step(1, {}, {requests: three}), slo)).toBe(true);
		expect(stepMeetsSlo(step(1, {}, {requests: three, stopped: 'saturated'}), slo)).toBe(false);
		expect(stepMeetsSlo(step(1, {}, {requests: three}), [{metric: 'ttfa', percentile: 'p99', op: '<=', bound: 650}])).toBe(false);
		// Nothing ended: nothing met it.
		expect(stepMeetsSlo(step(1), slo)).toBe(false);
		// knee: 300, 600 pass; 2400 fails → 2/s. slow: 900 fails at once → none.
		expect(transcript.models.map(model => rateMeetingSlo(model, slo))).toEqual([4, 2, null]);
		// A sweep's own figure wins.
		expect(rateMeetingSlo({...transcript.models[1]!, maxRateMeetingSlo: 2.8}, slo)).toBe(2.8);
	});

	it('sorts by p99 at the common rate, by goodput (higher first), by rate (none last) and by name', () => {
		const rank = (key: Parameters<typeof rankLoadModels>[1], reverse = false) =>
			rankLoadModels(transcript.models, key, {rate: 4, slo: transcript.settings.slo, reverse}).map(model => model.id);
		expect(rank('ttfa')).toEqual(['fast', 'knee', 'slow']);
		expect(rank('ttfa', true)).toEqual(['slow', 'knee', 'fast']);
		// goodput at 4/s: fast 4, knee 2, slow 2 (ties keep their order).
		expect(rank('goodput')).toEqual(['fast', 'knee', 'slow']);
		expect(rank('rate', true)).toEqual(['knee', 'fast', 'slow']);
		expect(rank('name', true)).toEqual(['slow', 'knee', 'fast']);
	});
});

describe('load reports', () => {
	const loads = labelLoads([{file: '/tmp/a/load-us.json', transcript}]);

	it('Markdown: the leaderboard, each model’s steps, how the run was run with the client’s health; modelled, not measured', () => {
		const md = blocksMarkdown(loadReportDocument(loads));
		expect(md).toContain('# llmrace load report');
		expect(md).toContain('modelled, not measured');
		expect(md).toMatch(/\| 2 \| Knee Model \| Sim \| 2\/s \| 4\/s \| 2400 ms \|/);
		expect(md).toContain('#### Slow Model (Sim): highest rate meeting the SLO none');
		// Knee Model, step 3: TTFA p50 1200 / p90 1920 / p99 2400, SLO missed.
		expect(md).toMatch(/\| 4\/s \| 4\/s \| 30 \| 0 \| 1200 \/ 1920 \/ 2400 \| 1200 \/ 1920 \/ 2400 \|.*\| 50 % \(missed\) \|/);
		expect(md).toContain('thread 1: p99 1.2 ms, max 3.0 ms (20 streams); thread 2: p99 0.9 ms, max 2.0 ms (19 streams)');
		expect(md).toContain('p99 0.8 ms at worst over the steps');
		expect(md).toMatch(/client-limited steps \| none/);
		expect(md).not.toContain('<svg');
	});

	it('CSV and JSON: one row per model and step, the figures as numbers', () => {
		const rows = loadReportRows(loads);
		expect(rows).toHaveLength(9);
		expect(rows[5]).toMatchObject({
			run: 'us-east',
			id: 'knee',
			step: 3,
			rate: 4,
			ttfaP99Ms: 2400,
			ttfaP90Ms: 1920,
			meetsSlo: false,
			maxRateMeetingSlo: 2,
			goodput: 2,
		});
		const csv = parseCsv(loadReportCsv(loads), {columns: true}) as Array<Record<string, string>>;
		expect(csv).toHaveLength(9);
		expect(csv[8]).toMatchObject({id: 'slow', rate: '4', ttfaP99Ms: '5000', maxRateMeetingSlo: '', meetsSlo: 'false'});
	});

	it('latency over time: the p99 of each second’s queue-inclusive TTFA, worked out by hand', () => {
		// One second holds three requests: TTFA 100, 200, 300 with queues 0, 0, 50 → 100, 200, 350.
		// p99 by linear interpolation: rank 0.99 × 2 = 1.98 → 200 + 0.98 × (350 − 200) = 347.
		// The next second holds one request: 400 → 400. A failed request (no TTFA) is left out.
		const model = loadModel('m', [
			step(
				3,
				{},
				{
					startedAt: '2026-05-20T10:00:00.000Z',
					requests: requests([
						{scheduledMs: 0, ttfaMs: 100},
						{scheduledMs: 300, ttfaMs: 200},
						{scheduledMs: 600, queueMs: 50, ttfaMs: 300},
						{scheduledMs: 1500, ttfaMs: 400},
						{scheduledMs: 1600, ttfaMs: null, ok: false},
					]),
				},
			),
			// The second step starts 10 s later: its request lands in the bucket of second 10.
			step(6, {}, {startedAt: '2026-05-20T10:00:10.000Z', requests: requests([{scheduledMs: 200, queueMs: 1000, ttfaMs: 500}])}),
		]);
		expect(latencyOverTime(model, '2026-05-20T10:00:00.000Z', 1000)).toEqual([
			[0.5, 347],
			[1.5, 400],
			[10.5, 1500],
		]);
		expect(bucketMs(30_000)).toBe(1000);
		expect(bucketMs(3_600_000)).toBe(6000);
	});

	it('the knee: the SLO’s latency term picks the metric; each model’s points in rate order', () => {
		expect(kneeMetricOf(transcript)).toEqual({metric: 'ttfa', percentile: 'p99', bound: 800});
		expect(kneeMetricOf({settings: {...transcript.settings, slo: [{metric: 'tps', percentile: 'p50', op: '>=', bound: 30}]}})).toEqual({
			metric: 'ttfa',
			percentile: 'p99',
			bound: null,
		});
		expect(kneeSeries(transcript.models[1]!, kneeMetricOf(transcript))).toEqual([
			[1, 300],
			[2, 600],
			[4, 2400],
		]);
	});

	it('HTML: the knee chart with the SLO line and latency over time as inline SVG, tables escaped, the client’s health', () => {
		const hostile = kneeTranscript();
		const named = {...hostile, models: hostile.models.map((model, index) => (index === 0 ? {...model, name: '<img src=x onerror=alert(1)>'} : model))};
		const html = blocksHtml(loadReportDocument(labelLoads([{file: 'a.json', transcript: named}])), 'llmrace load report', 'llmrace 0.1.0');
		const {document} = parseHTML(html);
		const figures = [...document.querySelectorAll('figure.chart')];
		expect(figures.map(figure => figure.getAttribute('aria-label'))).toEqual([
			'The knee: p99 TTFA against offered rate (us-east)',
			'Latency over time per model (us-east)',
		]);
		const knee = figures[0]!.innerHTML;
		expect(knee).toContain('SLO 800 ms');
		expect(knee).toContain('Knee Model');
		expect(knee).toContain('modelled, not measured');
		expect(figures[1]!.querySelectorAll('path').length).toBeGreaterThan(3);
		expect(document.querySelectorAll('img')).toHaveLength(0);
		expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
		expect(document.body.textContent).toContain('client event-loop delay');
		expect(document.body.textContent).toContain('thread 1: p99 1.2 ms');
		expect(document.querySelector('meta[http-equiv="Content-Security-Policy"]')).not.toBeNull();
	});

	it('formats rates in two significant figures', () => {
		expect(formatRate(0.5)).toBe('0.5/s');
		expect(formatRate(2.83)).toBe('2.8/s');
		expect(formatRate(123.4)).toBe('123/s');
	});
});

describe('load compare', () => {
	it('p99 per model at each rate both runs offered, with the difference', () => {
		const b = kneeTranscript({region: 'singapore'});
		// Singapore: Knee Model's p99 TTFA at 2/s is 750 instead of 600 → +150 ms (+25 %), and that step missed the
		// SLO there (its failures); Slow Model is missing; a model only there too.
		const knee = b.models[1]!;
		const slower = {
			...knee,
			steps: knee.steps.map(each => (each.rate === 2 ? step(2, {ttfaMs: latency(300, 500, 750), meetsSlo: false}) : each)).filter(each => each.rate !== 4),
		};
		const other = {...b, models: [b.models[0]!, slower, loadModel('new', [step(8)])]};
		const comparison = compareLoads({label: 'us-east', transcript}, {label: 'singapore', transcript: other}, 'ttfa');
		expect(comparison.rows.map(row => [row.id, row.rate, row.a, row.b, row.diffMs])).toEqual([
			['fast', 1, 200, 200, 0],
			['fast', 2, 250, 250, 0],
			['fast', 4, 300, 300, 0],
			['knee', 1, 300, 300, 0],
			['knee', 2, 600, 750, 150],
		]);
		expect(comparison.rows[4]!.diffPercent).toBe(25);
		expect(comparison.rows.map(row => [row.aMeetsSlo, row.bMeetsSlo])).toEqual([
			[true, true],
			[true, true],
			[true, true],
			[true, true],
			[true, false],
		]);
		expect(comparison.missing).toEqual(['Slow Model', 'new']);
		expect(formatLoadDiff(comparison.rows[4]!)).toBe('+150 ms (+25 %)');
		expect(formatLoadDiff({diffMs: -40, diffPercent: -5})).toBe('−40 ms (−5 %)');
		const text = loadComparisonText(comparison);
		expect(text).toMatch(/Knee Model +2\/s +600 +750 +\+150 ms \(\+25 %\) +met → missed\n/);
		expect(text).toMatch(/Fast Model +4\/s +300 +300 +±0 ms \(±0 %\) +met\n/);
		expect(text).toContain('Diff = singapore − us-east');
		expect(text).toContain('not in both runs (left out): Slow Model, new');
		// At 80 columns (a terminal, or a pipe with COLUMNS=80) every line fits: the SLO column goes first, the notes wrap.
		const narrow = loadComparisonText(comparison, 80);
		for (const line of narrow.split('\n')) {
			expect(cellWidth(line), line).toBeLessThan(81);
		}

		expect(narrow).toMatch(/Knee Model +2\/s +600 +750 +\+150 ms \(\+25 %\)\n/);
		expect(loadComparisonText(comparison, 120)).toMatch(/Knee Model +2\/s +600 +750 +\+150 ms \(\+25 %\) +met → missed\n/);
	});
});
