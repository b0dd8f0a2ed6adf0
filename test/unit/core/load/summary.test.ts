import {describe, expect, it} from 'vitest';
import {parseSlo, requestMeetsSlo, requestsMeetSlo} from '../../../../source/core/load/slo.js';
import {summarizeStep} from '../../../../source/core/load/summary.js';
import type {LoadRequests} from '../../../../source/core/load/types.js';

/** Five arrivals: three completed (one queued 50 ms), one failed after a 150 ms queue, one never sent (the run stopped). */
const requests: LoadRequests = {
	scheduledMs: [0, 100, 200, 300, 400],
	queueMs: [0, 0, 50, 150, null],
	ttftMs: [100, 200, 100, null, null],
	ttfaMs: [100, 200, 100, null, null],
	e2eMs: [1000, 1200, 900, 50, null],
	outputTokens: [10, 13, 9, null, null],
	status: ['ok', 'ok', 'ok', 'error', 'aborted'],
	errorKind: [null, null, null, 'server', null],
	gapsMs: [[10, 20], [30], [], [], []],
	eventTokens: [[1, 2], [3], [], [], []],
	tokensPerSecond: [10, 20, 30, null, null],
};

const close = (value: number | undefined) => expect.closeTo(value ?? Number.NaN, 6);

describe('a step summary, against values worked out by hand', () => {
	const summary = summarizeStep(requests, {rate: 10, durationMs: 500, slo: parseSlo('ttft.p99<=180ms'), stopped: null});

	it('queue-inclusive latency percentiles, interpolated between closest ranks', () => {
		// Queue + TTFT of the completed: 100, 200, 150 → sorted 100 150 200; p90 at rank 1.8 = 150 + 0.8 × 50.
		expect(summary.ttftMs).toEqual({p50: 150, p90: close(190), p99: close(199), p999: close(199.9), max: 200, mean: 150});
		// Queue + e2e: 1000, 1200, 950; p99 at rank 1.98 = 1000 + 0.98 × 200.
		expect(summary.e2eMs).toEqual({p50: 1000, p90: close(1160), p99: close(1196), p999: close(1199.6), max: 1200, mean: 1050});
		// Queue of the four sent: 0 0 50 150; p50 at rank 1.5 = 25.
		expect(summary.queueMs).toEqual({p50: 25, p90: close(120), p99: close(147), p999: close(149.7), max: 150, mean: 50});
	});

	it('TPOT, ITL per token, and decode speed with p99 as the low tail', () => {
		// (e2e − TTFT)/(tokens − 1): 900/9, 1000/12, 800/8.
		expect(summary.tpotMs?.p50).toBe(100);
		expect(summary.tpotMs?.mean).toBeCloseTo((100 + 1000 / 12 + 100) / 3, 9);
		// Gaps 10/1, 20/2, 30/3: every ITL is 10 ms.
		expect(summary.itlMs).toEqual({p50: 10, p90: 10, p99: 10, p999: 10, max: 10, mean: 10});
		// 10 20 30 tok/s: p90 is the 10th percentile (12), p99 the 1st (10.2).
		expect(summary.tokensPerSecond).toEqual({p50: 20, p90: close(12), p99: close(10.2), p999: close(10.02), min: 10, mean: 20});
	});

	it('counts, rates, in flight, goodput and the SLO share', () => {
		expect(summary).toMatchObject({offeredRate: 10, achievedRate: 8, completed: 3, failed: 1, failedByKind: {server: 1}, maxInFlight: 4});
		// The last request ended 1300 ms after the step's start (100 + 1200).
		expect(summary.throughput).toBeCloseTo(3 / 1.3, 9);
		expect(summary.outputTokensPerSecond).toBeCloseTo(32 / 1.3, 9);
		// ttft.p99<=180ms: requests 0 and 2 meet it (100, 150), request 1 (200) does not, the failed one never does.
		expect(summary.goodput).toBeCloseTo(2 / 1.3, 9);
		expect(summary.sloPass).toBe(0.5);
		// The step's p99 with the failure as the worst value is over 180 ms.
		expect(summary.meetsSlo).toBe(false);
	});

	it('a request meets the SLO on its own figures; a step on its percentiles, a failure counting as the worst', () => {
		const slo = parseSlo('ttft.p99<=180ms');
		expect([0, 1, 2, 3, 4].map(index => requestMeetsSlo(requests, index, slo))).toEqual([true, false, true, false, false]);
		expect(requestsMeetSlo(requests, slo)).toBe(false);
		// Speeds 10 20 30 and the failure as 0: the low-tail median is 15.
		expect(requestsMeetSlo(requests, parseSlo('tps.p50>=15'))).toBe(true);
		expect(requestsMeetSlo(requests, parseSlo('tps.p50>=16'))).toBe(false);
		// Queue-inclusive: request 2's TTFT from the send (100) meets 120, its 150 with the queue does not.
		expect(requestMeetsSlo(requests, 2, parseSlo('ttft.p50<=120'))).toBe(false);
	});
});
