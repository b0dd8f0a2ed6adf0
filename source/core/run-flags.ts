// Can the stream be trusted? (SPEC §2 "flags"): what each flag means, which figures it makes doubtful,
// and how many of a model's runs carry it. Pure; the report, the plain table and the answer screen can share it.
import {runFlags, type ModelResult, type RunFlag} from './types.js';

/** What each flag means (SPEC §2 "Can the stream be trusted?"), one sentence each. */
export const flagMeanings: Readonly<Record<RunFlag, string>> = {
	buffered: 'at least 20 text chunks arrived in fewer than one socket read per 10 chunks: something between the model and llmrace (a proxy, a gateway) held the stream back, so TTFT and tok/s describe that buffer, not the model.',
	stalled: 'the stream paused mid-answer (a gap between chunks of at least 1 s and 10 × the run\'s median gap), so tok/s and total include the pause.',
	'usage-mismatch': 'the server\'s usage differs from the count of the streamed text by more than 50 %: it counts something it did not stream, or misreports, so tokens and tok/s are doubtful.',
	truncated: 'the run was cut at the hard cap because the server ignored max_tokens, so tokens and total are those of a cut answer.',
};

/** The ranking's figures a flag makes doubtful (marked `!`). */
export type FlaggedFigure = 'ttft' | 'tps' | 'total' | 'tokens';

export const doubtfulFigures: Readonly<Record<RunFlag, readonly FlaggedFigure[]>> = {
	buffered: ['ttft', 'tps'],
	stalled: ['tps', 'total'],
	'usage-mismatch': ['tokens', 'tps'],
	truncated: ['tokens', 'total'],
};

/** How many of a model's completed timed runs (those in the statistics) carry each flag; only flags that occur. */
export function flagCounts(model: ModelResult): Partial<Record<RunFlag, number>> {
	const counts: Partial<Record<RunFlag, number>> = {};
	for (const run of model.runs) {
		if (run.warmup || run.status !== 'ok') {
			continue;
		}

		for (const flag of run.flags ?? []) {
			counts[flag] = (counts[flag] ?? 0) + 1;
		}
	}

	return counts;
}

/** The figures of a model's ranking row that some flag of its completed timed runs makes doubtful. */
export function flaggedFigures(model: ModelResult): Set<FlaggedFigure> {
	const counts = flagCounts(model);
	return new Set(runFlags.flatMap(flag => (counts[flag] ? doubtfulFigures[flag] : [])));
}
