import {describe, expect, it} from 'vitest';
import {medianPhases, phaseBreakdown} from '../../source/core/phases.js';
import {demoTranscript, fakeRun} from '../helpers/fixtures.js';

describe('where the time went', () => {
	const [model] = demoTranscript({runs: 1}).models;

	it('derives connect, wait, first token and decode from the phases', () => {
		const run = fakeRun(model!, 0, {
			ttftMs: 300, totalMs: 1300,
			phases: {dnsMs: 5, connectMs: 40, tlsMs: 90, sentMs: 91, headersMs: 250, reused: false},
		});
		// connect = tlsMs (90); wait = 250 − 91 = 159; first token = 300 − 250 = 50; decode = 1300 − 300 = 1000.
		expect(phaseBreakdown(run)).toEqual({connectMs: 90, waitMs: 159, firstTokenMs: 50, decodeMs: 1000, reused: false});
		// Plain HTTP: connect is the TCP connect.
		expect(phaseBreakdown(fakeRun(model!, 0, {phases: {dnsMs: null, connectMs: 12, tlsMs: null, sentMs: 13, headersMs: 100, reused: false}})).connectMs).toBe(12);
	});

	it('says nothing it does not know: an older transcript has no phases (decode needs none)', () => {
		const run = fakeRun(model!, 0, {ttftMs: 300, totalMs: 1300, phases: null});
		expect(phaseBreakdown(run)).toEqual({connectMs: null, waitMs: null, firstTokenMs: null, decodeMs: 1000, reused: null});
	});

	it('takes medians over completed timed runs, connect over fresh connections only', () => {
		const phases = (connectMs: number | null, sentMs: number, headersMs: number, reused: boolean) => ({dnsMs: null, connectMs, tlsMs: null, sentMs, headersMs, reused});
		const runs = [
			fakeRun(model!, 0, {ttftMs: 200, totalMs: 1200, phases: phases(30, 31, 150, false)}),
			fakeRun(model!, 1, {ttftMs: 180, totalMs: 1100, phases: phases(null, 1, 120, true)}),
			fakeRun(model!, 2, {ttftMs: 190, totalMs: 1000, phases: phases(null, 1, 130, true)}),
			fakeRun(model!, 3, {status: 'error', ttftMs: null, totalMs: 5, phases: phases(null, 1, 2, true)}),
			fakeRun(model!, 4, {warmup: true, ttftMs: 900, totalMs: 9000, phases: phases(500, 501, 800, false)}),
		];
		const medians = medianPhases({...model!, runs});
		// connect: only run 0 had one (30). wait: 119, 119, 129 → 119. first token: 50, 60, 60 → 60. decode: 1000, 920, 810 → 920.
		expect(medians).toEqual({connectMs: 30, waitMs: 119, firstTokenMs: 60, decodeMs: 920, reused: false, runs: 3, reusedRuns: 2});
	});
});
