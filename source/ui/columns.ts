// The leaderboard's columns: cells per model, and which columns fit the terminal's width. Pure.
import {formatMs, formatPrice, formatTokens, formatTps, formatCostUSD} from '../core/format.js';
import {serverDecodeRate} from '../core/meter.js';
import {modelStatus, tokensEstimated} from '../core/plain-table.js';
import {percentile} from '../core/stats.js';
import {runCostUSD} from '../core/transcript.js';
import type {ModelResult, Stat} from '../core/types.js';

export type Column = {
	readonly key: string;
	readonly title: string;
	readonly align: 'left' | 'right';
	/** Lower goes first when the terminal is narrow. */
	readonly priority: number;
	readonly cell: (model: ModelResult, place: number) => string;
};

function withP95(stat: Stat | null, format: (value: number) => string, runs: number): string {
	if (!stat) {
		return '—';
	}

	return runs > 1 ? `${format(stat.median)} ·${format(stat.p95)}` : format(stat.median);
}

const ms = (value: number) => formatMs(value).replace(' ms', '');

/** The median of the decode speed the server reports about itself over the completed timed runs. */
function serverTps(model: ModelResult): number | null {
	const rates = model.runs.filter(run => !run.warmup && run.status === 'ok').map(run => serverDecodeRate(run.serverTimings)).filter((rate): rate is number => rate !== null);
	return rates.length > 0 ? percentile(rates, 50) : null;
}

export function leaderboardColumns(models: readonly ModelResult[], runs: number): Column[] {
	const anyReasoning = models.some(model => model.runs.some(run => run.ttfaMs !== null && run.ttftMs !== null && run.ttfaMs > run.ttftMs));
	const p95 = runs > 1 ? ' ·p95' : '';
	const columns: Column[] = [
		{key: 'place', title: '#', align: 'right', priority: 10, cell: (_model, place) => String(place)},
		{key: 'model', title: 'Model', align: 'left', priority: 10, cell: model => model.name},
		{key: 'provider', title: 'Provider', align: 'left', priority: 3, cell: model => model.provider ?? ''},
		{key: 'ttft', title: `TTFT ms${p95}`, align: 'right', priority: 9, cell: model => withP95(model.summary.ttftMs, ms, runs)},
		...(anyReasoning ? [{key: 'ttfa', title: `TTFA ms${p95}`, align: 'right' as const, priority: 7, cell: (model: ModelResult) => withP95(model.summary.ttfaMs, ms, runs)}] : []),
		{key: 'tps', title: `tok/s${p95}`, align: 'right', priority: 9, cell: model => withP95(model.summary.tokensPerSecond, formatTps, runs)},
		...(models.some(model => serverTps(model) !== null) ? [{key: 'server-tps', title: 'server tok/s', align: 'right' as const, priority: 1, cell: (model: ModelResult) => formatTps(serverTps(model))}] : []),
		{key: 'total', title: `Total ms${p95}`, align: 'right', priority: 6, cell: model => withP95(model.summary.totalMs, ms, runs)},
		{key: 'tokens', title: 'Tokens', align: 'right', priority: 5, cell: model => formatTokens(model.summary.outputTokens?.median, tokensEstimated(model))},
		{key: 'price', title: '$/M out', align: 'right', priority: 8, cell: model => formatPrice(model.price.outputPerM)},
		{key: 'cost', title: 'Run cost', align: 'right', priority: 4, cell: model => formatCostUSD(runCostUSD(model.summary))},
		{key: 'bracket', title: 'Bracket', align: 'left', priority: 2, cell: model => model.bracket ?? '—'},
		{key: 'status', title: 'Status', align: 'left', priority: 8, cell: model => modelStatus(model)},
	];
	return columns;
}

/** The columns that fit `width` (gaps of 2), dropping the lowest priority first; with their widths. */
export function fitColumns(columns: readonly Column[], rows: ReadonlyArray<readonly string[]>, width: number): Array<{column: Column; index: number; width: number}> {
	const natural = columns.map((column, index) => ({
		column,
		index,
		width: Math.max(column.title.length, ...rows.map(row => row[index]!.length)),
	}));
	const kept = [...natural];
	const total = () => kept.reduce((sum, entry) => sum + entry.width, 0) + (2 * (kept.length - 1));
	while (total() > width && kept.length > 2) {
		const lowest = kept.reduce((low, entry) => (entry.column.priority < low.column.priority ? entry : low));
		if (lowest.column.priority >= 10) {
			break;
		}

		kept.splice(kept.indexOf(lowest), 1);
	}

	// Still too wide: shorten the model names.
	const overflow = total() - width;
	if (overflow > 0) {
		const model = kept.find(entry => entry.column.key === 'model');
		if (model) {
			model.width = Math.max(8, model.width - overflow);
		}
	}

	return kept;
}
