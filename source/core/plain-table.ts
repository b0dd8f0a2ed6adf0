// The final leaderboard as a plain text table (no escape sequences), for pipes and logs.
import {formatMs, formatPrice, formatTokens, formatTps, formatCostUSD} from './format.js';
import {rankModels, type SortKey} from './leaderboard.js';
import {serverDecodeRate} from './meter.js';
import {percentile} from './stats.js';
import {sanitizeLine} from './sanitize.js';
import {formatTable, keepPriority, type TableColumn} from './table.js';
import {runCostUSD} from './transcript.js';
import type {BracketName, ModelResult, Stat} from './types.js';

/** True when any completed timed run counted its tokens with the tokenizer. */
export function tokensEstimated(model: ModelResult): boolean {
	return model.runs.some(run => !run.warmup && run.status === 'ok' && run.tokenSource === 'estimate');
}

/** The median decode speed the server reports about itself (llama.cpp, Groq, Ollama) over the completed timed runs; null when none does. */
export function serverTokensPerSecond(model: ModelResult): number | null {
	const rates = model.runs.filter(run => !run.warmup && run.status === 'ok').map(run => serverDecodeRate(run.serverTimings)).filter((rate): rate is number => rate !== null);
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

/** The last error of a model's timed runs, in one line: "kind (HTTP 503): message". */
export function lastErrorLine(model: ModelResult): string | null {
	const failed = [...model.runs].reverse().find(run => run.error && run.error.kind !== 'aborted');
	if (!failed?.error) {
		return null;
	}

	const {error} = failed;
	return `${error.kind}${error.status === null ? '' : ` (HTTP ${error.status})`}: ${error.message}`;
}

/** The final leaderboard as plain text: every column at full width (a pipe has no width), cells in terminal cells, server text sanitised. */
export function plainTable(models: readonly ModelResult[], options: {sort: SortKey; reverse?: boolean; bracket: BracketName | null; runs: number}): string {
	const ranked = rankModels(models, options.sort, options.reverse ?? false, options.bracket);
	const anyReasoning = ranked.some(model => model.runs.some(run => run.ttfaMs !== null && run.ttftMs !== null && run.ttfaMs > run.ttftMs));
	const anyServerTps = ranked.some(model => serverTokensPerSecond(model) !== null);
	const column = (key: string, title: string, align: TableColumn['align']): TableColumn => ({key, title, align, priority: keepPriority});
	const columns = [
		column('place', '#', 'right'),
		column('model', 'Model', 'left'),
		column('provider', 'Provider', 'left'),
		column('ttft', 'TTFT', 'right'),
		...(anyReasoning ? [column('ttfa', 'TTFA', 'right')] : []),
		column('tps', 'tok/s', 'right'),
		...(anyServerTps ? [column('serverTps', 'server tok/s', 'right')] : []),
		column('total', 'Total', 'right'),
		column('tokens', 'Tokens', 'right'),
		column('price', '$/M out', 'right'),
		column('cost', 'Run cost', 'right'),
		column('bracket', 'Bracket', 'left'),
		column('status', 'Status', 'left'),
	];
	const rows = ranked.map((model, index) => {
		const {summary} = model;
		return [
			String(index + 1),
			model.name,
			model.provider ?? '',
			withP95(summary.ttftMs, formatMs, options.runs),
			...(anyReasoning ? [withP95(summary.ttfaMs, formatMs, options.runs)] : []),
			withP95(summary.tokensPerSecond, formatTps, options.runs),
			...(anyServerTps ? [formatTps(serverTokensPerSecond(model))] : []),
			withP95(summary.totalMs, formatMs, options.runs),
			formatTokens(summary.outputTokens?.median, tokensEstimated(model)),
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
	return [...formatTable(columns, rows), ...(errors.length > 0 ? ['', 'errors:', ...errors] : [])].join('\n') + '\n';
}
