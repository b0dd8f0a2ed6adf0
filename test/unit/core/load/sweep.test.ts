import {describe, expect, it} from 'vitest';
import {nextSweepRate, sweepResult, twoSignificant} from '../../../../source/core/load/sweep.js';

/** The rates a sweep tries against a server that meets the SLO up to `capacity` requests/s. */
function sweepAgainst(capacity: number, first = 0.5) {
	const tried: Array<{rate: number; pass: boolean}> = [];
	for (let rate = nextSweepRate(first, tried); rate !== null; rate = nextSweepRate(first, tried)) {
		tried.push({rate, pass: rate <= capacity});
	}

	return {rates: tried.map(step => step.rate), ...sweepResult(tried)};
}

describe('--sweep', () => {
	it('rounds to two significant figures', () => {
		expect([twoSignificant(Math.SQRT1_2), twoSignificant(5.657), twoSignificant(11.31), twoSignificant(0.0345), twoSignificant(2)]).toEqual([
			0.71, 5.7, 11, 0.035, 2,
		]);
	});

	it('doubles while the SLO holds, then bisects with geometric midpoints, in at most 8 steps', () => {
		// 0.5 1 2 4 pass, 8 fails; √(4·8)=5.66→5.7 fails; √(4·5.7)=4.77→4.8 pass; √(4.8·5.7)=5.23→5.2 fails; √(4.8·5.2)=4.996→5.0 (8th step) pass.
		expect(sweepAgainst(5)).toEqual({rates: [0.5, 1, 2, 4, 8, 5.7, 4.8, 5.2], maxRateMeetingSlo: 4.8, maxRateIsLowerBound: false});
	});

	it('stops when a midpoint rounds onto an end', () => {
		// 1 2 pass, 4 fails; √8=2.8 pass; √(2.8·4)=3.3 fails; √(2.8·3.3)=3.04→3.0 pass; √(3·3.3)=3.146→3.1 fails; √(3·3.1)=3.05→3.0 = an end: over.
		expect(sweepAgainst(3, 1)).toEqual({rates: [1, 2, 4, 2.8, 3.3, 3, 3.1], maxRateMeetingSlo: 3, maxRateIsLowerBound: false});
	});

	it('a model that fails its first step has no rate; one that never fails has a lower bound', () => {
		expect(sweepAgainst(0.1)).toEqual({rates: [0.5], maxRateMeetingSlo: null, maxRateIsLowerBound: false});
		expect(sweepAgainst(1000)).toEqual({rates: [0.5, 1, 2, 4, 8, 16, 32, 64], maxRateMeetingSlo: 64, maxRateIsLowerBound: true});
	});
});
