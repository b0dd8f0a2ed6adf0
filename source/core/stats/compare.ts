// Races side by side: labels for races, and the same models compared across races (e.g. regions). Pure.
import {formatCostUSD} from '../text/format.js';
import {medianPhases} from './phases.js';
import {differenceIsReal, type IntervalMetric} from './photo-finish.js';
import {round} from './stats.js';
import {runCostUSD} from '../transcript/build.js';
import type {ModelResult, Transcript} from '../types.js';
import {sanitizeLine} from '../text/sanitize.js';
import {wrapCells} from '../text/cells.js';
import {formatTable, keepPriority, type TableColumn} from '../text/table.js';

export type Labelled = {readonly label: string; readonly transcript: Transcript};

/** A race's label: its region, else the given name (the file), made unique among the others. */
export function labelRaces(races: ReadonlyArray<{readonly file: string; readonly transcript: Transcript}>): Labelled[] {
	const labels = races.map(race => race.transcript.region ?? race.file.replace(/^.*[/\\]/, '').replace(/\.json$/i, ''));
	return races.map((race, index) => {
		const clash = labels.filter(label => label === labels[index]).length > 1;
		return {label: clash ? `${labels[index]} (${race.file.replace(/^.*[/\\]/, '')})` : labels[index]!, transcript: race.transcript};
	});
}

const num = (value: number | null | undefined, decimals = 0): string =>
	value === null || value === undefined ? '—' : round(value, decimals).toFixed(decimals);

/** Models present in every race, in the first race's order. */
function commonModels(races: readonly Labelled[]): string[] {
	const [first, ...rest] = races;
	return (first?.transcript.models ?? []).map(model => model.id).filter(id => rest.every(race => race.transcript.models.some(model => model.id === id)));
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
		/** Per race after the first: the difference to the first, absolute and in percent, and what it is made of. */
		readonly diffs: ReadonlyArray<ComparisonDiff>;
	}>;
	/** Models left out because some race lacked them. */
	readonly missing: readonly string[];
	/** Every race was simulated: the simulator is local, so the network part is 0 by construction. */
	readonly simulated: boolean;
};

export type ComparisonDiff = {
	readonly diff: number | null;
	readonly percent: number | null;
	/**
	 * TTFT and TTFA only: the difference of the median *connect* (TCP + TLS before the request, 0 on a
	 * reused connection) between the two races, in ms; null for other metrics or without phases.
	 */
	readonly networkMs: number | null;
	/** `diff − networkMs`: what the network does not explain (the server, the model, the queue). */
	readonly restMs: number | null;
	/** TTFT and TTFA only: the difference of the median *wait* and *first token* phases (docs/metrics.md); null without phases. */
	readonly waitMs?: number | null;
	readonly firstTokenMs?: number | null;
	/**
	 * Beyond both intervals (`differenceIsReal`): true when each race's median lies outside the other's
	 * interval of the median, false when within noise, null when a race has fewer than 3 runs (or for cost).
	 */
	readonly real: boolean | null;
};

/** The summary metric whose interval judges a difference; cost has none. */
const intervalOf: Record<CompareMetric, IntervalMetric | null> = {ttft: 'ttftMs', ttfa: 'ttfaMs', tps: 'tokensPerSecond', total: 'totalMs', cost: null};

/** The metrics whose difference splits into a network part and the rest: they include the connect. */
const splits = (metric: CompareMetric) => metric === 'ttft' || metric === 'ttfa';

function diffOf(base: ModelResult, other: ModelResult, metric: CompareMetric): ComparisonDiff {
	const a = metricValue(base, metric);
	const b = metricValue(other, metric);
	const diff = a === null || b === null ? null : b - a;
	const phasesA = medianPhases(base);
	const phasesB = medianPhases(other);
	const connectA = phasesA.connectMs;
	const connectB = phasesB.connectMs;
	const phaseDiff = (key: 'waitMs' | 'firstTokenMs') =>
		splits(metric) && phasesA[key] !== null && phasesB[key] !== null ? phasesB[key]! - phasesA[key]! : null;
	const networkMs = splits(metric) && diff !== null && connectA !== null && connectB !== null ? connectB - connectA : null;
	const key = intervalOf[metric];
	return {
		diff,
		percent: diff === null || a === null || a === 0 ? null : (diff / a) * 100,
		networkMs,
		restMs: networkMs === null || diff === null ? null : diff - networkMs,
		waitMs: phaseDiff('waitMs'),
		firstTokenMs: phaseDiff('firstTokenMs'),
		real: key === null ? null : differenceIsReal(base.summary[key], other.summary[key]),
	};
}

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
			return {
				id,
				name: models[0]!.name,
				values: models.map(model => metricValue(model, metric)),
				diffs: models.slice(1).map(model => diffOf(models[0]!, model, metric)),
			};
		}),
		missing: [...all].filter(id => !ids.includes(id)),
		simulated: races.length > 0 && races.every(race => race.transcript.simulated),
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
	const signOf = (value: number) => (value > 0 ? '+' : value < 0 ? '−' : '±');
	// Signs follow the rounded figures: no "−0".
	const shownDiff = metric === 'cost' ? diff : round(diff, decimals);
	const shownPercent = percent === null ? null : round(percent, 0);
	const magnitude = metric === 'cost' ? formatCostUSD(Math.abs(diff)) : Math.abs(shownDiff).toFixed(decimals);
	return `${signOf(shownDiff)}${magnitude}${shownPercent === null ? '' : ` (${signOf(shownPercent)}${Math.abs(shownPercent)} %)`}`;
}

/** A signed figure in ms, its sign following the rounded value (no "−0"). */
function signedMs(value: number | null): string {
	if (value === null) {
		return '—';
	}

	const shown = round(value, 0);
	return `${shown > 0 ? '+' : shown < 0 ? '−' : '±'}${Math.abs(shown).toFixed(0)}`;
}

export function realLabel(real: boolean | null): string {
	return real === null ? '—' : real ? 'yes' : 'within noise';
}

const judged = (metric: CompareMetric) => intervalOf[metric] !== null;

export function comparisonHeader(comparison: Comparison): string[] {
	const [first, ...rest] = comparison.races;
	const several = rest.length > 1;
	return [
		'model',
		`${first} (${comparison.unit})`,
		...rest.flatMap(label => [
			`${label} (${comparison.unit})`,
			`diff vs ${first}`,
			...(splits(comparison.metric) ? [several ? `network (${label})` : 'network', several ? `rest (${label})` : 'rest'] : []),
			...(judged(comparison.metric) ? [several ? `real? (${label})` : 'real?'] : []),
		]),
	];
}

export function comparisonRows(comparison: Comparison): string[][] {
	return comparison.rows.map(row => [
		row.name,
		formatValue(row.values[0] ?? null, comparison.metric),
		...row.diffs.flatMap((diff, index) => [
			formatValue(row.values[index + 1] ?? null, comparison.metric),
			formatDiff(diff.diff, diff.percent, comparison.metric),
			...(splits(comparison.metric) ? [signedMs(diff.networkMs), signedMs(diff.restMs)] : []),
			...(judged(comparison.metric) ? [realLabel(diff.real)] : []),
		]),
	]);
}

/** What the added columns mean, one line each, for under the table. */
/**
 * Where the differences between races land, from the figures (not from what the simulator is meant to
 * do): the largest difference of each part (network, wait, first token) across the models, the largest first.
 */
function whereDifferencesLand(comparison: Comparison): string | null {
	const parts: Array<[string, (diff: ComparisonDiff) => number | null | undefined]> = [
		['network', diff => diff.networkMs],
		['wait', diff => diff.waitMs],
		['first token', diff => diff.firstTokenMs],
	];
	const largest = parts
		.map(([name, value]) => {
			const sizes = comparison.rows.flatMap(row => row.diffs.map(diff => value(diff))).filter((size): size is number => size !== null && size !== undefined);
			return {name, most: sizes.length === 0 ? null : Math.max(...sizes.map(size => Math.abs(size)))};
		})
		.filter((part): part is {name: string; most: number} => part.most !== null)
		.sort((a, b) => b.most - a.most);
	if (largest.length === 0) {
		return null;
	}

	const local = comparison.simulated ? 'Simulated races: the simulator is local, its network part is connection noise on this machine. ' : '';
	const [top, ...rest] = largest;
	return `${local}The differences land most in ${top!.name} (up to ${Math.round(top!.most)} ms)${rest.length > 0 ? `; ${rest.map(part => `${part.name} up to ${Math.round(part.most)} ms`).join(', ')}` : ''}.`;
}

export function comparisonNotes(comparison: Comparison): string[] {
	const notes: string[] = [];
	if (splits(comparison.metric)) {
		notes.push('network: the difference of the median connect (TCP + TLS before the request); rest: the remainder (server, queue, model).');
		const landing = whereDifferencesLand(comparison);
		if (landing) {
			notes.push(landing);
		}
	}

	if (judged(comparison.metric)) {
		notes.push("real?: yes when each race's median lies outside the other's interval of the median, else within noise; — below 3 runs.");
	}

	return notes;
}

/** A plain text table (terminal) of a comparison. */
/** The comparison as text, at most `width` cells wide (the model names shrink, the notes wrap); no width: as wide as it is. */
export function comparisonText(comparison: Comparison, width?: number): string {
	const header = comparisonHeader(comparison);
	const rows = comparisonRows(comparison);
	const columns = header.map(
		(title, column): TableColumn => ({
			key: String(column),
			title,
			align: column === 0 ? 'left' : 'right',
			priority: keepPriority,
			shrink: column === 0 ? 8 : undefined,
		}),
	);
	const wrap = (text: string) => (width === undefined ? [text] : wrapCells(text, width, '  '));
	const lines = [`median ${comparison.metric} per race`, '', ...formatTable(columns, rows, {maxWidth: width})];
	const notes = comparisonNotes(comparison);
	if (notes.length > 0) {
		lines.push('', ...notes.flatMap(note => wrap(note)));
	}

	if (comparison.missing.length > 0) {
		lines.push('', ...wrap(`not in every race (left out): ${sanitizeLine(comparison.missing.join(', '))}`));
	}

	return `${lines.join('\n')}\n`;
}
