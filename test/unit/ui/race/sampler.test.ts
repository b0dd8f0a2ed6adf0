// The live screen draws less often while the engine reports its stamping threads late, and says so on the header line.
import {describe, expect, it} from 'vitest';
import type {Race, RaceSnapshot} from '../../../../source/core/race/race.js';
import type {Transcript} from '../../../../source/core/types.js';
import {raceFrame} from '../../../../source/ui/race/frame.js';
import {lateHoldMs} from '../../../../source/core/race/late-pace.js';
import {startSampler, type Sample} from '../../../../source/ui/race/sampler.js';

function raceReporting(clientLateMs: number | undefined): Race {
	const snapshot: RaceSnapshot = {
		version: 1,
		startedAt: 0,
		finishedAt: null,
		aborted: false,
		models: [],
		...(clientLateMs === undefined ? {} : {clientLateMs}),
	};
	return {
		version: () => 1,
		snapshot: () => snapshot,
		abort() {},
		done: new Promise<Transcript>(() => {}),
		clock: () => 1500,
	};
}

function firstSample(clientLateMs: number | undefined): Sample {
	let first: Sample | undefined;
	const sampler = startSampler(raceReporting(clientLateMs), 1000 / 15, sample => {
		first ??= sample;
	});
	sampler.stop();
	return first!;
}

const header = (sample: Sample) =>
	raceFrame({
		meta: {prompt: 'p', preset: 'local', simulated: false, region: null},
		sample,
		columns: 160,
		rows: 20,
		lanes: false,
		runs: 1,
		noColor: true,
		interactive: true,
	})[0]!;

describe('the race screen while the stamping threads are late', () => {
	it('draws 4 frames a second and says why on the header line when they were late by more than 20 ms', () => {
		const sample = firstSample(35.4);
		expect(sample.slowed).toEqual({lateMs: 35.4, framesPerSecond: 4});
		expect(header(sample)).toContain('late 35 ms: 4 fps');
	});

	it('draws at its own rate and says nothing when they are on time, or do not report', () => {
		for (const late of [20, 3, undefined]) {
			const sample = firstSample(late);
			expect(sample.slowed).toBeNull();
			expect(header(sample)).not.toContain('late');
		}
	});

	it('stays slow for 10 s after the last late report, showing that lateness, then draws at its own rate again', () => {
		let now = 1500;
		let late: number | undefined = 42;
		const snapshot = (): RaceSnapshot => ({
			version: 1,
			startedAt: 0,
			finishedAt: null,
			aborted: false,
			models: [],
			...(late === undefined ? {} : {clientLateMs: late}),
		});
		const race: Race = {version: () => 1, snapshot, abort() {}, done: new Promise<Transcript>(() => {}), clock: () => now};
		const samples: Sample[] = [];
		const sampler = startSampler(race, 1000 / 15, sample => {
			samples.push(sample);
		});
		try {
			expect(samples.at(-1)!.slowed).toEqual({lateMs: 42, framesPerSecond: 4});
			// On time again (the pool says 0 once its one-second window passed): still slow, still saying why.
			late = 0;
			now += lateHoldMs - 1;
			sampler.poke();
			expect(samples.at(-1)!.slowed).toEqual({lateMs: 42, framesPerSecond: 4});
			expect(header(samples.at(-1)!)).toContain('late 42 ms: 4 fps');
			now += 2;
			sampler.poke();
			expect(samples.at(-1)!.slowed).toBeNull();
			// Late again: slow again at once.
			late = 25;
			sampler.poke();
			expect(samples.at(-1)!.slowed).toEqual({lateMs: 25, framesPerSecond: 4});
		} finally {
			sampler.stop();
		}
	});
});
