// Two load runs side by side (`compare a.json b.json`, docs/load.md): per model, the p99 latency at each
// rate both runs offered it, with the difference. Pure.
import {stepMeetsSlo} from '../load/slo.js';
import type {LoadModelResult, LoadTranscript} from '../load/types.js';
import {formatRate} from '../report/load-table.js';
import {wrapCells} from '../text/cells.js';
import {sanitizeLine} from '../text/sanitize.js';
import {formatTable, keepPriority, type TableColumn} from '../text/table.js';
import {round} from './stats.js';

export const loadCompareMetrics = ['ttfa', 'ttft', 'e2e'] as const;
export type LoadCompareMetric = (typeof loadCompareMetrics)[number];

export type LoadComparisonRow = {
	readonly id: string;
	readonly name: string;
	readonly rate: number;
	/** p99 of the metric (queue-inclusive, ms) in run a and run b; null when that step has none. */
	readonly a: number | null;
	readonly b: number | null;
	/** b − a in ms, and as a share of a (percent); null when either is missing. */
	readonly diffMs: number | null;
	readonly diffPercent: number | null;
	/** Whether that step met its run's SLO (core/load/slo.ts `stepMeetsSlo`, each run judged by its own `--slo`). */
	readonly aMeetsSlo: boolean;
	readonly bMeetsSlo: boolean;
};

export type LoadComparison = {
	readonly metric: LoadCompareMetric;
	readonly labels: readonly [string, string];
	readonly rows: readonly LoadComparisonRow[];
	/** Models in only one of the runs. */
	readonly missing: readonly string[];
	/** Models in both that share no rate. */
	readonly noCommonRate: readonly string[];
};

type Run = {readonly label: string; readonly transcript: Pick<LoadTranscript, 'models' | 'settings'>};

function stepAt(model: LoadModelResult, rate: number) {
	return model.steps.find(candidate => candidate.rate === rate)!;
}

export function compareLoads(a: Run, b: Run, metric: LoadCompareMetric): LoadComparison {
	const rows: LoadComparisonRow[] = [];
	const noCommonRate: string[] = [];
	for (const model of a.transcript.models) {
		const other = b.transcript.models.find(candidate => candidate.id === model.id);
		if (!other) {
			continue;
		}

		const rates = [...new Set(model.steps.map(step => step.rate))].filter(rate => other.steps.some(step => step.rate === rate)).sort((x, y) => x - y);
		if (rates.length === 0) {
			noCommonRate.push(model.name);
		}

		for (const rate of rates) {
			const stepA = stepAt(model, rate);
			const stepB = stepAt(other, rate);
			const before = stepA.summary[`${metric}Ms`]?.p99 ?? null;
			const after = stepB.summary[`${metric}Ms`]?.p99 ?? null;
			const diffMs = before === null || after === null ? null : after - before;
			rows.push({
				id: model.id,
				name: model.name,
				rate,
				a: before,
				b: after,
				diffMs,
				diffPercent: diffMs === null || !before ? null : (diffMs / before) * 100,
				aMeetsSlo: stepMeetsSlo(stepA, a.transcript.settings.slo),
				bMeetsSlo: stepMeetsSlo(stepB, b.transcript.settings.slo),
			});
		}
	}

	const ids = (run: Run) => new Set(run.transcript.models.map(model => model.id));
	const missing = [
		...a.transcript.models.filter(model => !ids(b).has(model.id)).map(model => model.name),
		...b.transcript.models.filter(model => !ids(a).has(model.id)).map(model => model.name),
	];
	return {metric, labels: [a.label, b.label], rows, missing, noCommonRate};
}

const msText = (value: number | null) => (value === null ? '—' : `${round(value, 0).toFixed(0)}`);

/** "+120 ms (+15 %)", "−40 ms (−5 %)". */
export function formatLoadDiff(row: Pick<LoadComparisonRow, 'diffMs' | 'diffPercent'>): string {
	if (row.diffMs === null) {
		return '—';
	}

	const sign = (value: number) => (value > 0 ? '+' : value < 0 ? '−' : '±');
	const percent = row.diffPercent === null ? '' : ` (${sign(row.diffPercent)}${Math.abs(round(row.diffPercent, 0)).toFixed(0)} %)`;
	return `${sign(row.diffMs)}${Math.abs(round(row.diffMs, 0)).toFixed(0)} ms${percent}`;
}

const verdict = (meets: boolean) => (meets ? 'met' : 'missed');

/** Each run's SLO verdict at that rate: "met", "missed", or "met → missed" when they differ. */
export function sloChange(row: Pick<LoadComparisonRow, 'aMeetsSlo' | 'bMeetsSlo'>): string {
	return row.aMeetsSlo === row.bMeetsSlo ? verdict(row.aMeetsSlo) : `${verdict(row.aMeetsSlo)} → ${verdict(row.bMeetsSlo)}`;
}

const metricTitles: Record<LoadCompareMetric, string> = {ttfa: 'TTFA', ttft: 'TTFT', e2e: 'e2e'};

export function loadComparisonHeader(comparison: LoadComparison): string[] {
	const name = `p99 ${metricTitles[comparison.metric]} ms`;
	return ['Model', 'Rate', `${name} ${comparison.labels[0]}`, `${name} ${comparison.labels[1]}`, 'Diff', 'SLO'];
}

export function loadComparisonRows(comparison: LoadComparison): string[][] {
	return comparison.rows.map(row => [row.name, formatRate(row.rate), msText(row.a), msText(row.b), formatLoadDiff(row), sloChange(row)]);
}

/**
 * Two load runs compared as text, at most `width` cells wide (the model names shrink, then the SLO column
 * goes, the notes wrap); no width: as wide as it is.
 */
export function loadComparisonText(comparison: LoadComparison, width?: number): string {
	const header = loadComparisonHeader(comparison);
	const sloColumn = header.length - 1;
	const columns = header.map(
		(title, column): TableColumn => ({
			key: String(column),
			title,
			align: column === 0 ? 'left' : 'right',
			priority: column === sloColumn ? 5 : keepPriority,
			shrink: column === 0 ? 8 : undefined,
		}),
	);
	const wrap = (text: string) => (width === undefined ? [text] : wrapCells(text, width, '  '));
	const lines = [
		...wrap(
			`p99 ${metricTitles[comparison.metric]} (queue-inclusive) per model at each rate both load runs offered; Diff = ${comparison.labels[1]} − ${comparison.labels[0]}; SLO: each run's own verdict`,
		),
		'',
		...formatTable(columns, loadComparisonRows(comparison), {maxWidth: width}),
	];
	if (comparison.noCommonRate.length > 0) {
		lines.push('', ...wrap(`no rate in common (left out): ${sanitizeLine(comparison.noCommonRate.join(', '))}`));
	}

	if (comparison.missing.length > 0) {
		lines.push('', ...wrap(`not in both runs (left out): ${sanitizeLine(comparison.missing.join(', '))}`));
	}

	return `${lines.join('\n')}\n`;
}
