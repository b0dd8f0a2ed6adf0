// What a live race tells the benchmarks: the first t0's wall time and the UI's frame and CPU counts, when
// LLMRACE_BENCH_T0 / LLMRACE_UI_STATS name files.
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import type {Race, RaceSnapshot} from '../../../source/core/race/race.js';
import {queuedSnapshot} from '../../../source/worker/remote-race.js';
import {benchProbe} from '../../../source/runtime/bench-probe.js';
import {modelAt} from '../../helpers/models.js';
import {until} from '../../helpers/until.js';

/** A race whose first model's t0 is `t0` (null: not sent yet), on the process's own clock. */
function raceWith(t0: () => number | null): Race {
	const settings = {runs: 1, warmup: 0, maxTokens: 16, temperature: null, concurrency: null, timeoutMs: 1000, seed: 1};
	const queued = queuedSnapshot(
		{models: [modelAt('http://127.0.0.1:9/v1')], settings, preset: {brackets: {ultraBudget: 0.15, budget: 0.3, mid: 0.8}}},
		performance.now(),
	);
	return {
		version: () => 0,
		snapshot: (): RaceSnapshot => ({...queued, models: queued.models.map(model => ({...model, t0: t0()}))}),
		abort() {},
		done: new Promise(() => {}),
		clock: () => performance.now(),
	};
}

describe('the benchmark probe', () => {
	let folder: string;
	beforeEach(() => {
		folder = mkdtempSync(join(tmpdir(), 'llmrace-probe-'));
	});
	afterEach(() => {
		rmSync(folder, {recursive: true, force: true});
	});

	it('writes the wall time of the first t0 once it is taken, and the frame and CPU counts at the end', async () => {
		const t0File = join(folder, 't0.json');
		const statsFile = join(folder, 'stats.json');
		const probe = benchProbe({LLMRACE_BENCH_T0: t0File, LLMRACE_UI_STATS: statsFile});
		let t0: number | null = null;
		probe.raceStarted(
			raceWith(() => t0),
			false,
		);
		probe.onBuild();
		probe.onBuild();
		probe.onWrite();
		await new Promise(resolve => {
			setTimeout(resolve, 30);
		});
		expect(existsSync(t0File)).toBe(false);
		const before = performance.timeOrigin + performance.now();
		t0 = performance.now();
		await until(() => existsSync(t0File));
		const {firstT0WallMs} = JSON.parse(readFileSync(t0File, 'utf8')) as {firstT0WallMs: number};
		expect(firstT0WallMs).toBeGreaterThanOrEqual(before - 1);
		expect(firstT0WallMs).toBeLessThanOrEqual(performance.timeOrigin + performance.now());
		probe.raceEnded();
		expect(existsSync(statsFile)).toBe(false);
		probe.finish();
		const stats = JSON.parse(readFileSync(statsFile, 'utf8')) as Record<string, number>;
		expect(stats['raceSeconds']).toBeGreaterThan(0);
		expect(stats['framesPerSecond']).toBeCloseTo(1 / stats['raceSeconds']!, 6);
		expect(stats['builtPerSecond']).toBeCloseTo(2 / stats['raceSeconds']!, 6);
		expect(stats['cpuSecondsPerSecond']).toBeGreaterThanOrEqual(0);
	});

	it('keeps the open screen’s frames for the first race, and starts the count again for the next', () => {
		const statsFile = join(folder, 'stats.json');
		const probe = benchProbe({LLMRACE_UI_STATS: statsFile});
		probe.onBuild();
		probe.raceStarted(
			raceWith(() => null),
			true,
		);
		probe.onBuild();
		probe.raceEnded();
		probe.finish();
		const first = JSON.parse(readFileSync(statsFile, 'utf8')) as Record<string, number>;
		expect(first['builtPerSecond']! * first['raceSeconds']!).toBeCloseTo(2, 6);
		probe.raceStarted(
			raceWith(() => null),
			false,
		);
		probe.onBuild();
		probe.raceEnded();
		probe.finish();
		const second = JSON.parse(readFileSync(statsFile, 'utf8')) as Record<string, number>;
		expect(second['builtPerSecond']! * second['raceSeconds']!).toBeCloseTo(1, 6);
	});
});
