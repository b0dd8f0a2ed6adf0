// What a live race tells the benchmarks (bench/), and only when a benchmark asks through the environment:
//   LLMRACE_BENCH_T0=<file>   the wall time of the race's first t0, written once (bench/first-frame.js);
//   LLMRACE_UI_STATS=<file>   frames built and written, and the UI thread's CPU, of the last race, written
//                             when the live loop ends (bench/ui.js).
// Without either, every hook is a no-op: the live race holds no benchmark code, only these calls.
import {writeFileSync} from 'node:fs';
import {performance} from 'node:perf_hooks';
import process from 'node:process';
import type {Race} from '../core/race/race.js';

export type BenchProbe = {
	/** Passed to the race screen: counts its frames. */
	readonly onBuild: () => void;
	readonly onWrite: () => void;
	/** A race starts; `keepFrames`: its screen is already open and its frames so far count (the first race). */
	raceStarted(race: Race, keepFrames: boolean): void;
	/** The race's screen closed. */
	raceEnded(): void;
	/** The live loop ends: write what was asked for. */
	finish(): void;
};

/** The wall time of the race's first t0, written to `file` once; returns the function that stops watching. */
function watchFirstT0(race: Race, file: string): () => void {
	const timer = setInterval(() => {
		const t0s = race
			.snapshot()
			.models.map(model => model.t0)
			.filter((t0): t0 is number => t0 !== null);
		if (t0s.length > 0) {
			clearInterval(timer);
			const firstT0WallMs = performance.timeOrigin + performance.now() - (race.clock() - Math.min(...t0s));
			writeFileSync(file, JSON.stringify({firstT0WallMs}));
		}
	}, 2);
	return () => {
		clearInterval(timer);
	};
}

/** The probe the environment asks for (`LLMRACE_BENCH_T0`, `LLMRACE_UI_STATS`). */
export function benchProbe(env: NodeJS.ProcessEnv = process.env): BenchProbe {
	const t0File = env['LLMRACE_BENCH_T0'];
	const statsFile = env['LLMRACE_UI_STATS'];
	const frames = {built: 0, written: 0};
	let startedAt = 0;
	let cpuAtStart = process.cpuUsage();
	let raceSeconds = 0;
	let cpuDuringRace = {user: 0, system: 0};
	let stopWatching: (() => void) | undefined;
	return {
		onBuild() {
			frames.built++;
		},
		onWrite() {
			frames.written++;
		},
		raceStarted(race, keepFrames) {
			if (!keepFrames) {
				frames.built = 0;
				frames.written = 0;
			}

			startedAt = performance.now();
			cpuAtStart = process.cpuUsage();
			stopWatching = t0File ? watchFirstT0(race, t0File) : undefined;
		},
		raceEnded() {
			stopWatching?.();
			stopWatching = undefined;
			raceSeconds = (performance.now() - startedAt) / 1000;
			cpuDuringRace = process.cpuUsage(cpuAtStart);
		},
		finish() {
			stopWatching?.();
			if (!statsFile) {
				return;
			}

			writeFileSync(
				statsFile,
				JSON.stringify({
					raceSeconds,
					framesPerSecond: frames.written / raceSeconds,
					builtPerSecond: frames.built / raceSeconds,
					cpuSecondsPerSecond: (cpuDuringRace.user + cpuDuringRace.system) / 1e6 / raceSeconds,
				}),
			);
		},
	};
}
