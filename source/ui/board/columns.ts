// The leaderboard's columns: cells per model (fitted to the terminal by core/text/table.ts). Pure.
import {durationUnit, formatDurationIn, formatPrice, formatTokens, formatTps, formatCostUSD, type DurationUnit} from '../../core/text/format.js';
import {serverDecodeRate} from '../../core/meter/meter.js';
import {modelStatus, placeText, tokensEstimated} from '../../core/report/plain-table.js';
import {flaggedFigures, markDoubtful, type FlaggedFigure} from '../../core/meter/flag-meanings.js';
import {percentile} from '../../core/stats/stats.js';
import {runCostUSD} from '../../core/transcript/build.js';
import {stoppedRun} from '../../core/stats/stopped.js';
import type {TableColumn} from '../../core/text/table.js';
import type {ModelResult, RunRecord, Stat} from '../../core/types.js';

/** A leaderboard column: lower `priority` goes first when the terminal is narrow (see core/text/table.ts). */
export type Column = TableColumn & {
	/** `tie`: the model is a photo finish with the one above it (`≈` beside its place). */
	readonly cell: (model: ModelResult, place: number, tie?: boolean) => string;
};

/**
 * The run a model stopped by Ctrl-C was in, when it completed none: what it had is shown
 * (its TTFT, tokens so far, tok/s so far), dimmed, instead of "—" (the same figures as everywhere: core/stats/stopped.ts).
 */
export const abortedRun: (model: ModelResult) => RunRecord | null = stoppedRun;

/** A figure of the aborted run, else the summary's. */
function orAborted(model: ModelResult, fromSummary: string, fromRun: (run: RunRecord) => string): string {
	const run = abortedRun(model);
	return run && fromSummary === '—' ? fromRun(run) : fromSummary;
}

function withP95(stat: Stat | null, format: (value: number) => string, runs: number): string {
	if (!stat) {
		return '—';
	}

	return runs > 1 ? `${format(stat.median)} ·${format(stat.p95)}` : format(stat.median);
}

/** One unit per column (its title says which): seconds when a figure of the column is 10 s or more. */
function unitOf(models: readonly ModelResult[], metric: 'ttftMs' | 'ttfaMs' | 'totalMs'): DurationUnit {
	return durationUnit(models.flatMap(model => [model.summary[metric]?.median, model.summary[metric]?.p95, abortedRun(model)?.[metric]]));
}

/** A summary figure with `!` beside it when a flag of one of the model's completed timed runs makes it doubtful. */
function flagged(model: ModelResult, figure: FlaggedFigure, text: string): string {
	return markDoubtful(text, flaggedFigures(model).has(figure));
}

/** The median of the decode speed the server reports about itself over the completed timed runs. */
function serverTps(model: ModelResult): number | null {
	const rates = model.runs
		.filter(run => !run.warmup && run.status === 'ok')
		.map(run => serverDecodeRate(run.serverTimings))
		.filter((rate): rate is number => rate !== null);
	return rates.length > 0 ? percentile(rates, 50) : null;
}

export function leaderboardColumns(models: readonly ModelResult[], runs: number): Column[] {
	const anyReasoning = models.some(model => model.runs.some(run => run.ttfaMs !== null && run.ttftMs !== null && run.ttfaMs > run.ttftMs));
	const p95 = runs > 1 ? ' ·p95' : '';
	const anyAborted = models.some(model => abortedRun(model) !== null);
	const [ttftUnit, ttfaUnit, totalUnit] = [unitOf(models, 'ttftMs'), unitOf(models, 'ttfaMs'), unitOf(models, 'totalMs')];
	const [ttft, ttfa, total] = [ttftUnit, ttfaUnit, totalUnit].map(unit => (value: number) => formatDurationIn(value, unit)) as [
		(value: number) => string,
		(value: number) => string,
		(value: number) => string,
	];
	const columns: Column[] = [
		{key: 'place', title: '#', align: 'right', priority: 10, cell: (_model, place, tie) => placeText(place, tie ?? false)},
		{key: 'model', title: 'Model', align: 'left', priority: 10, shrink: 8, cell: model => model.name},
		{key: 'provider', title: 'Provider', align: 'left', priority: 3, cell: model => model.provider ?? ''},
		{
			key: 'ttft',
			title: `TTFT ${ttftUnit}${p95}`,
			align: 'right',
			priority: 9,
			cell: model =>
				flagged(
					model,
					'ttft',
					orAborted(model, withP95(model.summary.ttftMs, ttft, runs), run => (run.ttftMs === null ? '—' : ttft(run.ttftMs))),
				),
		},
		...(anyReasoning
			? [
					{
						key: 'ttfa',
						title: `TTFA ${ttfaUnit}${p95}`,
						align: 'right' as const,
						priority: 7,
						cell: (model: ModelResult) =>
							flagged(
								model,
								'ttfa',
								orAborted(model, withP95(model.summary.ttfaMs, ttfa, runs), run => (run.ttfaMs === null ? '—' : ttfa(run.ttfaMs))),
							),
					},
				]
			: []),
		{
			key: 'tps',
			title: `tok/s${p95}`,
			align: 'right',
			priority: 9,
			cell: model =>
				flagged(
					model,
					'tps',
					orAborted(model, withP95(model.summary.tokensPerSecond, formatTps, runs), run => formatTps(run.tokensPerSecond)),
				),
		},
		...(models.some(model => serverTps(model) !== null)
			? [{key: 'server-tps', title: 'server tok/s', align: 'right' as const, priority: 1, cell: (model: ModelResult) => formatTps(serverTps(model))}]
			: []),
		{
			key: 'total',
			title: `Total ${totalUnit}${p95}`,
			align: 'right',
			priority: 6,
			cell: model => flagged(model, 'total', withP95(model.summary.totalMs, total, runs)),
		},
		// In a stopped race the tokens say how far each stopped run got (its total is "—"): they outrank the total then.
		{
			key: 'tokens',
			title: 'Tokens',
			align: 'right',
			priority: anyAborted ? 6.5 : 5,
			cell: model =>
				flagged(
					model,
					'tokens',
					orAborted(model, formatTokens(model.summary.outputTokens?.median, tokensEstimated(model)), run => formatTokens(run.outputTokens, true)),
				),
		},
		{key: 'price', title: '$/M out', align: 'right', priority: 8, cell: model => formatPrice(model.price.outputPerM)},
		{key: 'cost', title: 'Run cost', align: 'right', priority: 4, cell: model => formatCostUSD(runCostUSD(model.summary))},
		{key: 'bracket', title: 'Bracket', align: 'left', priority: 2, cell: model => model.bracket ?? '—'},
		{key: 'status', title: 'Status', align: 'left', priority: 8, cell: model => (abortedRun(model) ? 'aborted' : modelStatus(model))},
	];
	return columns;
}
