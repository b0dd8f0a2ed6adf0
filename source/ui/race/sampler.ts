// The only place the UI reads the engine: a snapshot of the race every frame, never once per chunk.
import {performance} from 'node:perf_hooks';
import {createLateHold, lateFramesPerSecond} from '../../core/race/late-pace.js';
import type {Race, RaceSnapshot} from '../../core/race/race.js';

export type Sample = {
	readonly snapshot: RaceSnapshot;
	/** Clock time of the sample, for stopwatches. */
	readonly now: number;
	/** Rolling tokens/s per model id, one value per `historyMs`, newest last. */
	readonly history: ReadonlyMap<string, readonly number[]>;
	/**
	 * While the engine reports its stamping threads late (over 20 ms, the `client-late` bound), and for 10 s
	 * after (core/race/late-pace.ts), frames are drawn less often, to leave them the CPU: how late they last
	 * were and the frame rate drawn now; else null.
	 */
	readonly slowed?: {readonly lateMs: number; readonly framesPerSecond: number} | null | undefined;
};

export type Sampler = {
	/** Sample now (a key changed the view), outside the frame timer. */
	readonly poke: () => void;
	readonly stop: () => void;
};

const historyLength = 40;

/** Share of the UI thread that drawing may take before frames are spaced out. */
const drawingBudget = 0.2;
const slowestFrameMs = 500;

/**
 * Sample `race` every `frameMs` and hand the sample to `onSample` when the race's
 * version changed or the race is still running (stopwatches tick). When drawing
 * takes more than its budget of the thread (a huge terminal, a slow machine),
 * frames are spaced out, down to two a second, and come back when it is cheap again.
 */
export function startSampler(race: Race, frameMs: number, onSample: (sample: Sample) => void, historyMs = 250): Sampler {
	const history = new Map<string, number[]>();
	let lastVersion = -1;
	let lastHistoryAt = Number.NEGATIVE_INFINITY;
	let latest: Sample | null = null;
	let slowed: Sample['slowed'] = null;
	const lateHold = createLateHold();
	const tick = (force: boolean) => {
		const now = race.clock();
		const snapshot = race.snapshot();
		const {slow, lastLateMs} = lateHold(now, snapshot.clientLateMs ?? 0);
		slowed = slow && snapshot.finishedAt === null ? {lateMs: lastLateMs, framesPerSecond: Math.min(lateFramesPerSecond, Math.round(1000 / frameMs))} : null;
		if (now - lastHistoryAt >= historyMs) {
			lastHistoryAt = now;
			for (const model of snapshot.models) {
				const values = history.get(model.spec.id) ?? [];
				values.push(model.live && model.endedAt === null ? model.live.rollingTokensPerSecond : 0);
				if (values.length > historyLength) {
					values.shift();
				}

				history.set(model.spec.id, values);
			}
		}

		if (force || snapshot.version !== lastVersion || snapshot.finishedAt === null) {
			lastVersion = snapshot.version;
			latest = {snapshot, now, history, slowed};
			onSample(latest);
		}
	};

	let interval = frameMs;
	let utilization = performance.eventLoopUtilization();
	let lastCheck = performance.now();
	let timer: NodeJS.Timeout | undefined;
	let stopped = false;
	const loop = () => {
		tick(false);
		const now = performance.now();
		if (now - lastCheck >= 1000) {
			const used = performance.eventLoopUtilization(utilization).utilization;
			utilization = performance.eventLoopUtilization();
			lastCheck = now;
			if (used > drawingBudget) {
				interval = Math.min(slowestFrameMs, interval * 1.5);
			} else if (used < drawingBudget / 2) {
				interval = Math.max(frameMs, interval / 1.25);
			}
		}

		if (!stopped) {
			timer = setTimeout(loop, slowed ? Math.max(interval, 1000 / slowed.framesPerSecond) : interval);
		}
	};

	loop();
	return {
		poke() {
			if (!stopped) {
				tick(true);
			}
		},
		stop() {
			stopped = true;
			clearTimeout(timer);
		},
	};
}
