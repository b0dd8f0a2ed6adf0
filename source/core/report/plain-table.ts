// The final leaderboard as a plain text table (no escape sequences), for pipes and logs.
import {durationUnit, formatDurationWith, formatPrice, formatTokens, formatTps, formatCostUSD} from '../text/format.js';
import {rankModels, type SortKey} from '../stats/ranking.js';
import {serverDecodeRate} from '../meter/meter.js';
import {intervalMetricOf, photoFinish} from '../stats/photo-finish.js';
import {flaggedFigures, flagMeanings, flagRunsText, markDoubtful, modelFlags, type FlaggedFigure} from '../meter/flag-meanings.js';
import {percentile} from '../stats/stats.js';
import {shownFigure, stoppedRun, type ShownMetric} from '../stats/stopped.js';
import {sanitizeLine} from '../text/sanitize.js';
import {formatTable, keepPriority, type TableColumn} from '../text/table.js';
import {runCostUSD} from '../transcript/build.js';
import type {BracketName, ModelResult, ModelSummary, Stat} from '../types.js';

/** True when any completed timed run counted its tokens with the tokenizer. */
export function tokensEstimated(model: ModelResult): boolean {
	return model.runs.some(run => !run.warmup && run.status === 'ok' && run.tokenSource === 'estimate');
}

/** The median decode speed the server reports about itself (llama.cpp, Groq, Ollama) over the completed timed runs; null when none does. */
export function serverTokensPerSecond(model: ModelResult): number | null {
	const rates = model.runs
		.filter(run => !run.warmup && run.status === 'ok')
		.map(run => serverDecodeRate(run.serverTimings))
		.filter((rate): rate is number => rate !== null);
	return rates.length > 0 ? percentile(rates, 50) : null;
}

/** The status of a model in one word: ok, ok 9/10, or the error kind of its last failed run. */
export function modelStatus(model: ModelResult): string {
	const timed = model.runs.filter(run => !run.warmup);
	const {ok, failed} = model.summary;
	if (timed.length === 0) {
		return model.runs.length > 0 ? 'aborted' : 'not run';
	}

	if (failed === 0) {
		return timed.some(run => run.truncated) ? 'ok (cut)' : 'ok';
	}

	const lastFailure = [...timed].reverse().find(run => run.status !== 'ok');
	const kind = lastFailure?.error?.kind ?? lastFailure?.status ?? 'error';
	return ok > 0 ? `${kind} ${failed}/${timed.length}` : kind;
}

function withP95(stat: Stat | null, format: (value: number | null) => string, runs: number): string {
	if (!stat) {
		return '—';
	}

	return runs > 1 ? `${format(stat.median)} (p95 ${format(stat.p95)})` : format(stat.median);
}

/** A summary figure (with its p95 over several runs), else the figure of the run the model was stopped in. */
function orStopped(model: ModelResult, metric: ShownMetric, format: (value: number | null) => string, runs: number): string {
	const stat = model.summary[metric];
	return stat ? withP95(stat, format, runs) : format(shownFigure(model, metric));
}

/** The last error of a model's timed runs, in one line: "kind (HTTP 503): message". */
export function lastErrorLine(model: ModelResult): string | null {
	const failed = [...model.runs].reverse().find(run => run.error && run.error.kind !== 'aborted');
	if (!failed?.error) {
		return null;
	}

	const {error} = failed;
	return `${error.kind}${error.status === null ? '' : ` (HTTP ${error.status})`}: ${error.message}`;
}

/**
 * Photo finishes (`≈`) of models in the order shown, sorted by `sort`: true where a model's interval of
 * the sort metric overlaps the one of the model above (core/stats/photo-finish.ts). Never without intervals
 * (fewer than 3 runs), nor for price, cost or name.
 */
export function photoFinishMarks(ranked: ReadonlyArray<{readonly summary: ModelSummary}>, sort: SortKey): boolean[] {
	const metric = intervalMetricOf(sort);
	return metric === null ? ranked.map(() => false) : photoFinish(ranked, metric);
}

/** The place cell: `≈2` for a photo finish with the model above, else `2`. */
export function placeText(place: number, tie: boolean): string {
	return `${tie ? '≈' : ''}${place}`;
}

/** The line under a table with a `≈` in it. */
export function photoFinishNote(runs: number): string {
	return `≈ ties with the row above: at ${runs} run${runs === 1 ? '' : 's'} the data cannot separate them`;
}

/**
 * With fewer than 3 runs there are no intervals, so no `≈`: when two neighbours' medians of the sort
 * metric are within 10 % of each other, say that this many runs cannot separate close models; else null.
 */
export function closeCallNote(ranked: ReadonlyArray<{readonly summary: ModelSummary}>, sort: SortKey, runs: number): string | null {
	const metric = intervalMetricOf(sort);
	if (metric === null || runs >= 3) {
		return null;
	}

	const medians = ranked.map(model => model.summary[metric]?.median ?? null);
	const close = medians.some((median, index) => {
		const above = medians[index - 1];
		return (
			index > 0 && median !== null && above !== null && above !== undefined && Math.abs(median - above) <= 0.1 * Math.min(Math.abs(median), Math.abs(above))
		);
	});
	return close ? `${runs} run${runs === 1 ? '' : 's'} per model: close models cannot be separated (try --runs 10)` : null;
}

/**
 * The final leaderboard as plain text, cells in terminal cells, server text sanitised. With `width`
 * (a pipe's $COLUMNS, else 100: commands/race.ts) the columns a reader needs least go first, as on the
 * leaderboard; without it, every column at full width.
 */
export function plainTable(
	models: readonly ModelResult[],
	options: {sort: SortKey; reverse?: boolean; bracket: BracketName | null; runs: number; width?: number | undefined},
): string {
	const ranked = rankModels(models, options.sort, options.reverse ?? false, options.bracket);
	const anyReasoning = ranked.some(model => model.runs.some(run => run.ttfaMs !== null && run.ttftMs !== null && run.ttfaMs > run.ttftMs));
	const anyServerTps = ranked.some(model => serverTokensPerSecond(model) !== null);
	// Priorities as on the leaderboard (ui/board/columns.ts): the lowest goes first when the width is short.
	const column = (key: string, title: string, align: TableColumn['align'], priority: number, shrink?: number): TableColumn => ({
		key,
		title,
		align,
		priority,
		shrink,
	});
	const columns = [
		column('place', '#', 'right', keepPriority),
		column('model', 'Model', 'left', keepPriority, 8),
		column('provider', 'Provider', 'left', 3),
		column('ttft', 'TTFT', 'right', keepPriority),
		...(anyReasoning ? [column('ttfa', 'TTFA', 'right', 7)] : []),
		column('tps', 'tok/s', 'right', keepPriority),
		...(anyServerTps ? [column('serverTps', 'server tok/s', 'right', 1)] : []),
		column('total', 'Total', 'right', 6),
		column('tokens', 'Tokens', 'right', 5),
		column('price', '$/M out', 'right', 8),
		column('cost', 'Run cost', 'right', 4),
		column('bracket', 'Bracket', 'left', 2),
		column('status', 'Status', 'left', keepPriority),
	];
	const ties = photoFinishMarks(ranked, options.sort);
	// One unit per column: a column with a figure of 10 s or more shows every figure in seconds.
	const inUnit = (metric: 'ttftMs' | 'ttfaMs' | 'totalMs') =>
		formatDurationWith(
			durationUnit(
				ranked.flatMap(model => [model.summary[metric]?.median, model.summary[metric]?.p95, metric === 'totalMs' ? null : shownFigure(model, metric)]),
			),
		);
	const [ttftFormat, ttfaFormat, totalFormat] = [inUnit('ttftMs'), inUnit('ttfaMs'), inUnit('totalMs')];
	const rows = ranked.map((model, index) => {
		const {summary} = model;
		const doubtful = flaggedFigures(model);
		const figure = (key: FlaggedFigure, text: string) => markDoubtful(text, doubtful.has(key));
		return [
			placeText(index + 1, ties[index]!),
			model.name,
			model.provider ?? '',
			figure('ttft', orStopped(model, 'ttftMs', ttftFormat, options.runs)),
			...(anyReasoning ? [figure('ttfa', orStopped(model, 'ttfaMs', ttfaFormat, options.runs))] : []),
			figure('tps', orStopped(model, 'tokensPerSecond', formatTps, options.runs)),
			...(anyServerTps ? [formatTps(serverTokensPerSecond(model))] : []),
			figure('total', withP95(summary.totalMs, totalFormat, options.runs)),
			figure('tokens', formatTokens(shownFigure(model, 'outputTokens'), tokensEstimated(model) || stoppedRun(model) !== null)),
			formatPrice(model.price.outputPerM),
			formatCostUSD(runCostUSD(summary)),
			model.bracket ?? '',
			modelStatus(model),
		];
	});
	const errors = ranked.flatMap(model => {
		const error = lastErrorLine(model);
		return error ? [`  ${sanitizeLine(model.name)}: ${sanitizeLine(error)}`] : [];
	});
	const notes = ranked.flatMap(model => modelFlags(model).map(flag => `  ${sanitizeLine(model.name)}: ${flagRunsText(flag)}: ${flagMeanings[flag.flag]}`));
	const under = [
		...(ties.includes(true) ? [photoFinishNote(options.runs)] : []),
		...[closeCallNote(ranked, options.sort, options.runs)].filter((note): note is string => note !== null),
	];
	return `${[
		...formatTable(columns, rows, {maxWidth: options.width}),
		...under,
		...(notes.length > 0 ? ['', 'notes: (! marks a figure these make doubtful)', ...notes] : []),
		...(errors.length > 0 ? ['', 'errors:', ...errors] : []),
	].join('\n')}\n`;
}
