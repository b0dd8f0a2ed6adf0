// The slow pace of a live race while its stamping threads are late (core/race/late-pace.ts): what the UI's
// frames, the engine's snapshots and the stamping threads' progress posts all follow.
import {describe, expect, it} from 'vitest';
import {createLateHold, lateFramesPerSecond, lateHoldMs, pacedMs} from '../../../../source/core/race/late-pace.js';

describe('the late pace', () => {
	it('starts at a lateness over 20 ms, holds 10 s after the last one, and starts again at the next', () => {
		const hold = createLateHold();
		expect(hold(0, 0)).toEqual({slow: false, lastLateMs: 0});
		expect(hold(100, 20)).toEqual({slow: false, lastLateMs: 0});
		expect(hold(200, 35)).toEqual({slow: true, lastLateMs: 35});
		expect(hold(200 + lateHoldMs - 1, 0)).toEqual({slow: true, lastLateMs: 35});
		expect(hold(200 + lateHoldMs, 0)).toEqual({slow: false, lastLateMs: 35});
		expect(hold(20_000, 21)).toEqual({slow: true, lastLateMs: 21});
		expect(lateHoldMs).toBe(10_000);
	});

	it('paces at most 4 a second while slow, and never faster than asked', () => {
		expect(lateFramesPerSecond).toBe(4);
		expect(pacedMs(1000 / 15, true)).toBe(250);
		expect(pacedMs(500, true)).toBe(500);
		expect(pacedMs(1000 / 15, false)).toBe(1000 / 15);
	});
});
