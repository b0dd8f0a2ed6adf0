// Reports (Markdown, CSV, JSON) and comparisons across races. Pure: transcripts in, text out.
import {bracketOf} from './brackets.js';
import {formatPrice, formatUsd} from './format.js';
import {rankModels} from './leaderboard.js';
import {modelStatus, tokensEstimated} from './plain-table.js';
import {sanitizeLine} from './sanitize.js';
import {round} from './stats.js';
import {formatTable, keepPriority, type TableColumn} from './table.js';
import {runCostUSD} from './transcript.js';
import {bracketNames, type ModelResult, type Transcript} from './types.js';

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

function cell(text: string): string {
	return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>, numeric: ReadonlySet<number> = new Set()): string {
	const align = header.map((_, index) => (numeric.has(index) ? '---:' : '---'));
	return [header, align, ...rows].map(row => `| ${row.map(value => cell(value)).join(' | ')} |`).join('\n');
}

function reasoned(model: ModelResult): boolean {
	return model.reasoning === true || model.runs.some(run => run.ttfaMs !== null && run.ttftMs !== null && run.ttfaMs > run.ttftMs);
}

function dateOf(iso: string): string {
	return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function howRun(transcript: Transcript): string {
	const {settings} = transcript;
	const rows: Array<[string, string]> = [
		['date', dateOf(transcript.startedAt)],
		['region', transcript.region ?? '—'],
		['prompt', `"${transcript.prompt}"`],
		['preset', `${transcript.preset}${transcript.simulated ? ' (simulated: replays published figures)' : ''}`],
		['runs', `${settings.runs} timed per model, ${settings.warmup} warm-up`],
		['max tokens', String(settings.maxTokens)],
		['temperature', settings.temperature === null ? 'server default' : String(settings.temperature)],
		['concurrency', settings.concurrency === null ? 'all models at once' : String(settings.concurrency)],
		...(settings.seed === null ? [] : [['seed', String(settings.seed)] as [string, string]]),
		['tool', `${transcript.tool.name} ${transcript.tool.version}`],
		...(transcript.aborted ? [['note', 'stopped before the end: the figures cover what arrived'] as [string, string]] : []),
	];
	return markdownTable(['', ''], rows);
}

const rankingHeader = ['#', 'model', 'provider', 'TTFT (ms)', 'TTFA (ms)', 'tok/s', 'total (ms)', 'tokens', '$/M out', 'run cost', 'bracket', 'status'];

function rankingRow(model: ModelResult, place: number): string[] {
	const {summary} = model;
	return [
		String(place),
		model.name,
		model.provider ?? '—',
		num(summary.ttftMs?.median),
		num(summary.ttfaMs?.median),
		num(summary.tokensPerSecond?.median, 1),
		num(summary.totalMs?.median),
		`${tokensEstimated(model) ? '~' : ''}${num(summary.outputTokens?.median)}`,
		formatPrice(model.price.outputPerM).replace('—', '—'),
		formatUsd(runCostUSD(summary)),
		model.bracket ?? '—',
		modelStatus(model),
	];
}

function raceSection(transcript: Transcript, title: string): string {
	const ranked = rankModels(transcript.models, 'ttft');
	const numeric = new Set([0, 3, 4, 5, 6, 7, 8, 9]);
	const parts = [
		`## ${title}`,
		'',
		'### How the race was run',
		'',
		howRun(transcript),
		'',
		`### Ranking (median${transcript.settings.runs > 1 ? ` of ${transcript.settings.runs} runs` : ''}, by TTFT)`,
		'',
		markdownTable(rankingHeader, ranked.map((model, index) => rankingRow(model, index + 1)), numeric),
		'',
		'### By price bracket',
	];
	for (const bracket of bracketNames) {
		const members = ranked.filter(model => model.bracket === bracket);
		if (members.length === 0) {
			continue;
		}

		parts.push('', `#### ${bracket}`, '', markdownTable(
			['model', 'TTFT (ms)', 'tok/s', '$/M out'],
			members.map(model => [model.name, num(model.summary.ttftMs?.median), num(model.summary.tokensPerSecond?.median, 1), formatPrice(model.price.outputPerM)]),
			new Set([1, 2, 3]),
		));
	}

	const unpriced = ranked.filter(model => model.bracket === null);
	if (unpriced.length > 0) {
		parts.push('', `No price, so no bracket: ${unpriced.map(model => model.name).join(', ')}.`);
	}

	const thinkers = ranked.filter(model => reasoned(model));
	if (thinkers.length > 0) {
		parts.push('', '### Reasoning models', '', `${thinkers.map(model => model.name).join(', ')} think before answering: TTFT counts their first reasoning token, TTFA their first visible answer token; the difference is thinking time. ${thinkers.map(model => `${model.name}: ${num(model.summary.ttfaMs && model.summary.ttftMs ? model.summary.ttfaMs.median - model.summary.ttftMs.median : null)} ms`).join(', ')}.`);
	}

	return parts.join('\n');
}

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

	return metric === 'cost' ? formatUsd(value) : num(value, metric === 'tps' ? 1 : 0);
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
	const magnitude = metric === 'cost' ? formatUsd(Math.abs(diff)) : Math.abs(shownDiff).toFixed(decimals);
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

export function reportMarkdown(races: readonly Labelled[]): string {
	const parts = ['# llmrace report', ''];
	for (const race of races) {
		parts.push(raceSection(race.transcript, races.length > 1 ? race.label : `${race.transcript.preset}, ${dateOf(race.transcript.startedAt)}`), '');
	}

	const regions = new Set(races.map(race => race.transcript.region));
	if (races.length > 1 && regions.size > 1) {
		const comparison = compareRaces(races, 'ttft');
		parts.push('## By region (median TTFT)', '', markdownTable(comparisonHeader(comparison), comparisonRows(comparison), new Set(comparison.races.map((_, index) => index + 1))), '');
		if (comparison.missing.length > 0) {
			parts.push(`Not in every race: ${comparison.missing.join(', ')}.`, '');
		}
	}

	return `${parts.join('\n').trimEnd()}\n`;
}

export type ReportRow = {
	readonly race: string;
	readonly region: string | null;
	readonly startedAt: string;
	readonly preset: string;
	readonly simulated: boolean;
	readonly id: string;
	readonly name: string;
	readonly provider: string | null;
	readonly ttftMs: number | null;
	readonly ttfaMs: number | null;
	readonly tokensPerSecond: number | null;
	readonly totalMs: number | null;
	readonly outputTokens: number | null;
	readonly outputPerM: number | null;
	readonly costUSD: number | null;
	readonly bracket: string | null;
	readonly ok: number;
	readonly failed: number;
};

/** One row per race and model (medians), for spreadsheets and scripts. */
export function reportRows(races: readonly Labelled[]): ReportRow[] {
	return races.flatMap(race => rankModels(race.transcript.models, 'ttft').map(model => ({
		race: race.label,
		region: race.transcript.region,
		startedAt: race.transcript.startedAt,
		preset: race.transcript.preset,
		simulated: race.transcript.simulated,
		id: model.id,
		name: model.name,
		provider: model.provider,
		ttftMs: model.summary.ttftMs?.median ?? null,
		ttfaMs: model.summary.ttfaMs?.median ?? null,
		tokensPerSecond: model.summary.tokensPerSecond?.median ?? null,
		totalMs: model.summary.totalMs?.median ?? null,
		outputTokens: model.summary.outputTokens?.median ?? null,
		outputPerM: model.price.outputPerM,
		costUSD: metricValue(model, 'cost'),
		bracket: model.bracket ?? bracketOf(model.price.outputPerM),
		ok: model.summary.ok,
		failed: model.summary.failed,
	})));
}

export function reportCsv(races: readonly Labelled[]): string {
	const rows = reportRows(races);
	const header = ['race', 'region', 'startedAt', 'preset', 'simulated', 'id', 'name', 'provider', 'ttftMs', 'ttfaMs', 'tokensPerSecond', 'totalMs', 'outputTokens', 'outputPerM', 'costUSD', 'bracket', 'ok', 'failed'] as const;
	const quote = (value: unknown) => {
		const text = value === null || value === undefined ? '' : String(value);
		return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
	};

	return `${[header.join(','), ...rows.map(row => header.map(key => quote(row[key])).join(','))].join('\n')}\n`;
}
