import {describe, expect, it} from 'vitest';
import {formatSlo, parseSlo, SloError} from '../../../../source/core/load/slo.js';

describe('--slo', () => {
	it('reads metric, percentile and bound; bare bounds are ms, s are seconds, tps in tokens/s', () => {
		expect(parseSlo('ttft.p99<=800ms,tps.p50>=30,e2e.p99<=10s, itl.p90<=50')).toEqual([
			{metric: 'ttft', percentile: 'p99', op: '<=', bound: 800},
			{metric: 'tps', percentile: 'p50', op: '>=', bound: 30},
			{metric: 'e2e', percentile: 'p99', op: '<=', bound: 10_000},
			{metric: 'itl', percentile: 'p90', op: '<=', bound: 50},
		]);
		expect(parseSlo('tpot.p999<=0.5s')).toEqual([{metric: 'tpot', percentile: 'p999', op: '<=', bound: 500}]);
		expect(formatSlo(parseSlo('ttfa.p99<=800ms,e2e.p99<=10s,tps.p99>=20'))).toBe('ttfa.p99<=800ms,e2e.p99<=10s,tps.p99>=20');
	});

	it.each([
		['', /names no term/],
		['ttft<=800', /metric\.percentile/],
		['speed.p99<=800', /unknown metric speed \(valid: ttft, ttfa, itl, tpot, e2e, tps\)/],
		['ttft.p95<=800', /unknown percentile p95 \(valid: p50, p90, p99, p999\)/],
		['ttft.p99>=800', /upper bound/],
		['tps.p50<=30', /lower bound/],
		['tps.p50>=30ms', /lower bound/],
		['ttft.p99<=fast', /metric\.percentile/],
		['tps.p99>=fast', /is not a term of metric\.percentile<=bound or >=bound/],
	])('rejects %j', (text, message) => {
		expect(() => parseSlo(text)).toThrow(SloError);
		expect(() => parseSlo(text)).toThrow(message);
	});
});
