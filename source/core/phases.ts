// Where a run's time went (SPEC §2 "phases"): the four spans derived from its phases. Pure.
import {percentile} from './stats.js';
import type {ModelResult, RunRecord} from './types.js';

/** The spans of one run, in ms; null where the phases (or the figure they need) are missing. */
export type PhaseBreakdown = {
	/** `tlsMs ?? connectMs`: the network's share before the request (null on a reused connection). */
	readonly connectMs: number | null;
	/** `headersMs − sentMs`: the server before it answers. */
	readonly waitMs: number | null;
	/** `ttftMs − headersMs`: queueing and prefill behind headers that came early. */
	readonly firstTokenMs: number | null;
	/** `totalMs − ttftMs`. */
	readonly decodeMs: number | null;
	readonly reused: boolean | null;
};

const difference = (later: number | null | undefined, earlier: number | null | undefined): number | null =>
	later === null || later === undefined || earlier === null || earlier === undefined ? null : later - earlier;

export function phaseBreakdown(run: RunRecord): PhaseBreakdown {
	const phases = run.phases ?? null;
	return {
		connectMs: phases ? (phases.tlsMs ?? phases.connectMs) : null,
		waitMs: difference(phases?.headersMs, phases?.sentMs),
		firstTokenMs: difference(run.ttftMs, phases?.headersMs),
		decodeMs: difference(run.totalMs, run.ttftMs),
		reused: phases ? phases.reused : null,
	};
}

/** Medians over a model's completed timed runs; `connectMs` counts fresh connections only. */
export function medianPhases(model: ModelResult): PhaseBreakdown & {readonly runs: number; readonly reusedRuns: number} {
	const runs = model.runs.filter(run => !run.warmup && run.status === 'ok').map(run => phaseBreakdown(run));
	const median = (values: ReadonlyArray<number | null>): number | null => {
		const present = values.filter((value): value is number => value !== null);
		return present.length === 0 ? null : percentile(present, 50);
	};

	return {
		connectMs: median(runs.map(run => run.connectMs)),
		waitMs: median(runs.map(run => run.waitMs)),
		firstTokenMs: median(runs.map(run => run.firstTokenMs)),
		decodeMs: median(runs.map(run => run.decodeMs)),
		reused: runs.length === 0 ? null : runs.every(run => run.reused === true),
		runs: runs.length,
		reusedRuns: runs.filter(run => run.reused === true).length,
	};
}
