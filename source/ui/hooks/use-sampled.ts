import {performance} from 'node:perf_hooks';
import {useEffect, useRef, useState} from 'react';
import type {Race, RaceSnapshot} from '../../core/race.js';

export type Sample = {
	readonly snapshot: RaceSnapshot;
	/** Clock time of the sample, for stopwatches. */
	readonly now: number;
	/** Rolling tokens/s per model id, one value per `historyMs`, newest last. */
	readonly history: ReadonlyMap<string, readonly number[]>;
};

const historyLength = 40;

/** Share of the UI thread that drawing may take before frames are spaced out. */
const drawingBudget = 0.2;
const slowestFrameMs = 500;

/**
 * Sample the race every `frameMs`: the only place the UI reads the engine.
 * Commits (a React render) only when the race's version changed or the race
 * is still running (stopwatches tick); never once per chunk. When drawing
 * takes more than its budget of the thread (a huge terminal, a slow machine),
 * frames are spaced out, down to two a second, and come back when it is cheap again.
 */
export function useSampled(race: Race | null, frameMs: number, historyMs = 250): Sample | null {
	const history = useRef(new Map<string, number[]>());
	const [sample, setSample] = useState<Sample | null>(() => (race ? {snapshot: race.snapshot(), now: race.clock(), history: history.current} : null));
	useEffect(() => {
		if (!race) {
			setSample(null);
			return undefined;
		}

		history.current = new Map();
		let lastVersion = -1;
		let lastHistoryAt = Number.NEGATIVE_INFINITY;
		const tick = () => {
			const now = race.clock();
			const snapshot = race.snapshot();
			if (now - lastHistoryAt >= historyMs) {
				lastHistoryAt = now;
				for (const model of snapshot.models) {
					const values = history.current.get(model.spec.id) ?? [];
					values.push(model.live && model.endedAt === null ? model.live.rollingTokensPerSecond : 0);
					if (values.length > historyLength) {
						values.shift();
					}

					history.current.set(model.spec.id, values);
				}
			}

			if (snapshot.version !== lastVersion || snapshot.finishedAt === null) {
				lastVersion = snapshot.version;
				setSample({snapshot, now, history: history.current});
			}
		};

		let interval = frameMs;
		let utilization = performance.eventLoopUtilization();
		let lastCheck = performance.now();
		let timer: NodeJS.Timeout | undefined;
		const loop = () => {
			tick();
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

			timer = setTimeout(loop, interval);
		};

		loop();
		return () => {
			clearTimeout(timer);
		};
	}, [race, frameMs, historyMs]);
	return sample;
}
