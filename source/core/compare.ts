// Races side by side: labels for races, and the same models compared across races (e.g. regions). Pure.
import {formatCostUSD} from './format.js';
import {round} from './stats.js';
import {runCostUSD} from './transcript.js';
import type {ModelResult, Transcript} from './types.js';
import {sanitizeLine} from './sanitize.js';
import {formatTable, keepPriority, type TableColumn} from './table.js';

export type Labelled = {readonly label: string; readonly transcript: Transcript};

/** A race's label: its region, else the given name (the file), made unique among the others. */
export function labelRaces(races: ReadonlyArray<{readonly file: string; readonly transcript: Transcript}>): Labelled[] {
	const labels = races.map(race => race.transcript.region ?? race.file.replace(/^.*[/\\]/, '').replace(/\.json$/i, ''));
	return races.map((race, index) => {
		const clash = labels.filter(label => label === labels[index]).length > 1;
		return {label: clash ? `${labels[index]} (${race.file.replace(/^.*[/\\]/, '')})` : labels[index]!, transcript: race.transcript};
	});
}

const num = (value: number | null | undefined, decimals = 0): string => (value === null || value === undefined ? '—' : round(value, decimals).toFixed(decimals));

/** Models present in every race, in the first race's order. */
function commonModels(races: readonly Labelled[]): string[] {
	const [first, ...rest] = races;
	return (first?.transcript.models ?? [])
		.map(model => model.id)
		.filter(id => rest.every(race => race.transcript.models.some(model => model.id === id)));
}

export const compareMetrics = ['ttft', 'ttfa', 'tps', 'total', 'cost'] as const;
export type CompareMetric = (typeof compareMetrics)[number];

export function metricValue(model: ModelResult, metric: CompareMetric): number | null {
	const {summary} = model;
	switch (metric) {
		case 'ttft': {
			return summary.ttftMs?.median ?? null;
		}

		case 'ttfa': {
			return summary.ttfaMs?.median ?? null;
		}

		case 'tps': {
			return summary.tokensPerSecond?.median ?? null;
		}

		case 'total': {
			return summary.totalMs?.median ?? null;
		}

		case 'cost': {
			return runCostUSD(summary);
		}
	}
}

export type Comparison = {
	readonly metric: CompareMetric;
	readonly unit: string;
	readonly races: readonly string[];
	readonly rows: ReadonlyArray<{
		readonly id: string;
		readonly name: string;
		readonly values: ReadonlyArray<number | null>;
		/** Per race after the first: the difference to the first, absolute and in percent. */
		readonly diffs: ReadonlyArray<{readonly diff: number | null; readonly percent: number | null}>;
	}>;
	/** Models left out because some race lacked them. */
	readonly missing: readonly string[];
};

const units: Record<CompareMetric, string> = {ttft: 'ms', ttfa: 'ms', tps: 'tok/s', total: 'ms', cost: '$'};

export function compareRaces(races: readonly Labelled[], metric: CompareMetric): Comparison {
	const ids = commonModels(races);
	const all = new Set(races.flatMap(race => race.transcript.models.map(model => model.id)));
	return {
		metric,
		unit: units[metric],
		races: races.map(race => race.label),
		rows: ids.map(id => {
			const models = races.map(race => race.transcript.models.find(model => model.id === id)!);
			const values = models.map(model => metricValue(model, metric));
			const base = values[0] ?? null;
			return {
				id,
				name: models[0]!.name,
				values,
				diffs: values.slice(1).map(value => ({
					diff: value === null || base === null ? null : value - base,
					percent: value === null || base === null || base === 0 ? null : ((value - base) / base) * 100,
				})),
			};
		}),
		missing: [...all].filter(id => !ids.includes(id)),
	};
}

function formatValue(value: number | null, metric: CompareMetric): string {
	if (value === null) {
		return '—';
	}

	return metric === 'cost' ? formatCostUSD(value) : num(value, metric === 'tps' ? 1 : 0);
}

function formatDiff(diff: number | null, percent: number | null, metric: CompareMetric): string {
	if (diff === null) {
		return '—';
	}

	const decimals = metric === 'tps' ? 1 : 0;
	const signOf = (value: number) => (value > 0 ? '+' : (value < 0 ? '−' : '±'));
	// Signs follow the rounded figures: no "−0".
	const shownDiff = metric === 'cost' ? diff : round(diff, decimals);
	const shownPercent = percent === null ? null : round(percent, 0);
	const magnitude = metric === 'cost' ? formatCostUSD(Math.abs(diff)) : Math.abs(shownDiff).toFixed(decimals);
	return `${signOf(shownDiff)}${magnitude}${shownPercent === null ? '' : ` (${signOf(shownPercent)}${Math.abs(shownPercent)} %)`}`;
}

export function comparisonHeader(comparison: Comparison): string[] {
	const [first, ...rest] = comparison.races;
	return ['model', `${first} (${comparison.unit})`, ...rest.flatMap(label => [`${label} (${comparison.unit})`, `diff vs ${first}`])];
}

export function comparisonRows(comparison: Comparison): string[][] {
	return comparison.rows.map(row => [
		row.name,
		formatValue(row.values[0] ?? null, comparison.metric),
		...row.diffs.flatMap((diff, index) => [formatValue(row.values[index + 1] ?? null, comparison.metric), formatDiff(diff.diff, diff.percent, comparison.metric)]),
	]);
}

/** A plain text table (terminal) of a comparison. */
export function comparisonText(comparison: Comparison): string {
	const header = comparisonHeader(comparison);
	const rows = comparisonRows(comparison);
	const columns = header.map((title, column): TableColumn => ({key: String(column), title, align: column === 0 ? 'left' : 'right', priority: keepPriority}));
	const lines = [`median ${comparison.metric} per race`, '', ...formatTable(columns, rows)];
	if (comparison.missing.length > 0) {
		lines.push('', `not in every race (left out): ${sanitizeLine(comparison.missing.join(', '))}`);
	}

	return `${lines.join('\n')}\n`;
}
