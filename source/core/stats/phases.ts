// Where the time went (docs/metrics.md "phases"): a run's phases as the four spans people read, and their
// medians per model. Pure. The report's table and the answer screen's waterfall both use these.
import {percentile} from './stats.js';
import type {ModelResult, RunRecord} from '../types.js';

/** A run's time split in four spans, in ms; null where the phases or a stamp are missing. */
export type PhaseBreakdown = {
	/** `tlsMs ?? connectMs`: the network's share before the request (0 on a reused connection). */
	readonly connectMs: number | null;
	/** `headersMs − sentMs`: the server before it answers. */
	readonly waitMs: number | null;
	/** `ttftMs − headersMs`: queueing and prefill behind headers that came early. */
	readonly firstTokenMs: number | null;
	/** `totalMs − ttftMs`. */
	readonly decodeMs: number | null;
};

const difference = (later: number | null | undefined, earlier: number | null | undefined): number | null =>
	typeof later === 'number' && typeof earlier === 'number' ? later - earlier : null;

/**
 * One run's breakdown. A request that went out on a kept-alive connection spent nothing connecting:
 * its connect is 0 (not missing), so medians over fresh and reused runs say what connecting cost the
 * race. An older transcript (no `phases`) gives null for the three spans that need them.
 */
export function phaseBreakdown(run: RunRecord): PhaseBreakdown {
	const phases = run.phases ?? null;
	return {
		connectMs: phases === null ? null : phases.reused ? 0 : (phases.tlsMs ?? phases.connectMs),
		waitMs: phases === null ? null : difference(phases.headersMs, phases.sentMs),
		firstTokenMs: phases === null ? null : difference(run.ttftMs, phases.headersMs),
		decodeMs: difference(run.totalMs, run.ttftMs),
	};
}

/** Medians of a model's breakdowns over its completed timed runs, and how many of them reused a connection. */
export type PhaseMedians = PhaseBreakdown & {
	/** Completed timed runs (the medians are over these, where each has the span). */
	readonly runs: number;
	/** Of those, how many had phases at all. */
	readonly withPhases: number;
	/** Of those, how many went out on a kept-alive connection. */
	readonly reused: number;
};

const medianOf = (values: ReadonlyArray<number | null>): number | null => {
	const present = values.filter((value): value is number => value !== null && Number.isFinite(value));
	return present.length === 0 ? null : percentile(present, 50);
};

export function medianPhases(model: Pick<ModelResult, 'runs'>): PhaseMedians {
	const completed = model.runs.filter(run => !run.warmup && run.status === 'ok');
	const breakdowns = completed.map(run => phaseBreakdown(run));
	return {
		connectMs: medianOf(breakdowns.map(breakdown => breakdown.connectMs)),
		waitMs: medianOf(breakdowns.map(breakdown => breakdown.waitMs)),
		firstTokenMs: medianOf(breakdowns.map(breakdown => breakdown.firstTokenMs)),
		decodeMs: medianOf(breakdowns.map(breakdown => breakdown.decodeMs)),
		runs: completed.length,
		withPhases: completed.filter(run => run.phases).length,
		reused: completed.filter(run => run.phases?.reused === true).length,
	};
}
