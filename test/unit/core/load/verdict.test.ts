// One SLO verdict per step (docs/load.md "The SLO"): the sweep, the leaderboard, the plain table, the
// reports and compare all read it from core/load/slo.ts. The step below is one where they used to
// disagree: the successes' p99 is well under the bound, but failures count as the worst value.
import {describe, expect, it} from 'vitest';
import {loadPlainTable} from '../../../../source/core/load/plain-table.js';
import {parseSlo, rateMeetingSlo, stepMeetsSlo} from '../../../../source/core/load/slo.js';
import {summarizeStep} from '../../../../source/core/load/summary.js';
import {nextSweepRate, sweepResult} from '../../../../source/core/load/sweep.js';
import type {LoadRequests, LoadStep} from '../../../../source/core/load/types.js';
import {labelLoads, loadReportRows} from '../../../../source/core/report/load-report.js';
import {compareLoads} from '../../../../source/core/stats/load-compare.js';
import {rankLoadModels} from '../../../../source/core/stats/load-ranking.js';
import {parseLoadTranscript} from '../../../../source/core/transcript/read-load.js';
import {stepLine} from '../../../../source/ui/load/steps.js';
import {defaultSettings, loadModel, loadTranscript, requests as requestRows} from '../../../helpers/load-fixtures.js';

const slo = parseSlo('ttfa.p99<=800ms');

/** Twenty arrivals, one every 100 ms: 18 answered with TTFA 300 ms, 2 failed (server errors). */
function failingRequests(): LoadRequests {
	return requestRows(Array.from({length: 20}, (_, index) => ({scheduledMs: index * 100, ttfaMs: index % 10 === 9 ? null : 300, ok: index % 10 !== 9})));
}

/** A step as the engine writes it: the summary from its requests. */
function stepOf(rate: number, requests: LoadRequests): LoadStep {
	return {
		rate,
		startedAt: '2026-05-20T10:00:00.000Z',
		durationMs: 2000,
		stopped: null,
		summary: summarizeStep(requests, {rate, durationMs: 2000, slo, stopped: null}),
		sendLagMs: {p50: 0.1, p99: 0.3, max: 0.5},
		clientLimited: false,
		requests,
	};
}

const passing = stepOf(10, requestRows(Array.from({length: 20}, (_, index) => ({scheduledMs: index * 100, ttfaMs: 400}))));
const failing = stepOf(10, failingRequests());
const transcript = loadTranscript([loadModel('flaky', [failing], {name: 'Flaky'}), loadModel('steady', [passing], {name: 'Steady'})], {
	settings: {...defaultSettings, rates: [10], slo},
});

describe('one SLO verdict for a step with failures whose successes are fast', () => {
	it('the summary: the successes’ p99 is under the bound, yet the step misses (two failures of twenty are past p99)', () => {
		expect(failing.summary.ttfaMs?.p99).toBe(300);
		expect(failing.summary.failed).toBe(2);
		expect(failing.summary.sloPass).toBe(0.9);
		expect(failing.summary.meetsSlo).toBe(false);
		expect(passing.summary.meetsSlo).toBe(true);
	});

	it('the sweep decides on the same verdict: a first step that misses ends the sweep with no rate', () => {
		const tried = [{rate: 10, pass: stepMeetsSlo(failing, slo)}];
		expect(nextSweepRate(10, tried)).toBeNull();
		expect(sweepResult(tried)).toEqual({maxRateMeetingSlo: null, maxRateIsLowerBound: false});
	});

	it('the leaderboard ranks by it, the steps view, the plain table and the reports show it', () => {
		expect(transcript.models.map(model => rateMeetingSlo(model, slo))).toEqual([null, 10]);
		expect(rankLoadModels(transcript.models, 'rate', {rate: 10, slo}).map(model => model.id)).toEqual(['steady', 'flaky']);
		expect(stepLine(failing, 0, transcript)).toContain('SLO pass 90 % (missed)');
		expect(stepLine(passing, 0, transcript)).toContain('SLO pass 100 % (met)');
		const table = loadPlainTable(transcript, 'rate');
		expect(table).toMatch(/Flaky .* 90 % \(missed\)/);
		expect(table).toMatch(/Steady .* 100 %/);
		expect(table).not.toMatch(/Steady .*\(missed\)/);
		const rows = loadReportRows(labelLoads([{file: 'load.json', transcript}]));
		expect(rows.map(row => [row.id, row.meetsSlo, row.maxRateMeetingSlo])).toEqual([
			['flaky', false, null],
			['steady', true, 10],
		]);
	});

	it('compare and a transcript written before the verdict was recorded agree', () => {
		const comparison = compareLoads({label: 'a', transcript}, {label: 'b', transcript}, 'ttfa');
		expect(comparison.rows.map(row => [row.id, row.aMeetsSlo, row.bMeetsSlo])).toEqual([
			['flaky', false, false],
			['steady', true, true],
		]);
		const older = structuredClone(transcript) as unknown as {models: Array<{steps: Array<{summary: {meetsSlo?: boolean}}>}>};
		for (const model of older.models) {
			delete model.steps[0]!.summary.meetsSlo;
		}

		const read = parseLoadTranscript(JSON.stringify(older), 'older.json');
		expect(read.models.map(model => stepMeetsSlo(model.steps[0]!, slo))).toEqual([false, true]);
	});
});
