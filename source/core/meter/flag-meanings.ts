// Can the stream be trusted? (docs/metrics.md "flags"): what each flag means, which figures it makes doubtful,
// and how many of a model's runs carry it. Pure; the report, the plain table and the answer screen can share it.
import {runFlags, type ModelResult, type RunFlag} from '../types.js';

/** What each flag means (docs/metrics.md "Can the stream be trusted?"), one sentence each. */
export const flagMeanings: Readonly<Record<RunFlag, string>> = {
	buffered:
		'at least 20 text chunks arrived, half of them or more in socket reads of 5 or more, while llmrace was on time: something between the model and llmrace (a proxy, a gateway) held the stream back, so TTFT and tok/s describe that buffer, not the model.',
	'client-late':
		"llmrace's own stamping thread was late by more than 20 ms while the run streamed (a busy machine: a server decoding on the same cores takes them all, so leave llmrace one), so every stamp of the run may be late by that much: TTFT and tok/s are doubtful. The client's fault, not the server's.",
	stalled: "the stream paused mid-answer (a gap between chunks of at least 1 s and 10 × the run's median gap), so tok/s and total include the pause.",
	'usage-mismatch':
		"the server's usage differs from the count of the streamed text by more than 50 %: it counts something it did not stream, or misreports, so tokens and tok/s are doubtful.",
	truncated: 'the run was cut at the hard cap because the server ignored max_tokens, so tokens and total are those of a cut answer.',
};

/** A figure of a leaderboard or ranking row that a run's flag can make doubtful (marked `!`). */
export type FlaggedFigure = 'ttft' | 'ttfa' | 'tps' | 'total' | 'tokens';

/** Which figures each flag makes doubtful. */
export const flagFigures: Readonly<Record<RunFlag, readonly FlaggedFigure[]>> = {
	buffered: ['ttft', 'ttfa', 'tps'],
	'client-late': ['ttft', 'ttfa', 'tps'],
	stalled: ['tps', 'total'],
	'usage-mismatch': ['tokens', 'tps'],
	truncated: ['tokens', 'total'],
};

/** A flag of a model: the completed timed runs (1-based numbers, as the answer screen shows them) that carry it, out of `of` such runs. */
export type ModelFlag = {readonly flag: RunFlag; readonly runs: readonly number[]; readonly of: number};

/** The flags of a model's completed timed runs, in `runFlags` order (warm-up and failed runs are not in the statistics, so not here). */
export function modelFlags(model: ModelResult): ModelFlag[] {
	const timed = model.runs.filter(run => !run.warmup && run.status === 'ok');
	return runFlags.flatMap(flag => {
		const runs = timed.filter(run => (run.flags ?? []).includes(flag)).map(run => run.index + 1);
		return runs.length > 0 ? [{flag, runs, of: timed.length}] : [];
	});
}

/** How many of a model's completed timed runs carry each flag; only flags that occur. */
export function flagCounts(model: ModelResult): Partial<Record<RunFlag, number>> {
	return Object.fromEntries(modelFlags(model).map(({flag, runs}) => [flag, runs.length]));
}

/** The figures of a model's row that some flag of its completed timed runs makes doubtful. */
export function flaggedFigures(model: ModelResult): ReadonlySet<FlaggedFigure> {
	return new Set(modelFlags(model).flatMap(({flag}) => flagFigures[flag]));
}

/** A figure with its `!` when a flag makes it doubtful (a missing figure, "—", gets none). */
export function markDoubtful(text: string, doubtful: boolean): string {
	return doubtful && text !== '—' ? `${text}!` : text;
}

/** "buffered in 3 of 3 runs", "stalled in 1 of 5 runs (run 4)": which runs, when only some. */
export function flagRunsText({flag, runs, of}: ModelFlag): string {
	const which = runs.length < of && runs.length <= 4 ? ` (run ${runs.join(', ')})` : '';
	return `${flag} in ${runs.length} of ${of} run${of === 1 ? '' : 's'}${which}`;
}
