// The history's views as plain text and JSON (docs/history.md): the list, a model's trend, a stored load
// run, the export. Pure; every cell sanitised by the table formatter (stored text came from servers and users).
import type {LoadTranscript} from '../load/types.js';
import {round} from '../stats/stats.js';
import {csvRecord} from '../text/escape.js';
import {formatMs, formatTps} from '../text/format.js';
import {sanitizeLine} from '../text/sanitize.js';
import {formatTable, keepPriority, type TableColumn} from '../text/table.js';
import type {Transcript} from '../types.js';
import {metricLabels, sparkline, trendMetrics, type Trend, type TrendPoint, type TrendStat} from './trend.js';
import type {ModelKey, RaceListing} from './types.js';

const column = (title: string, align: 'left' | 'right', priority = keepPriority, shrink?: number): TableColumn => ({
	key: title,
	title,
	align,
	priority,
	shrink,
});

/** `2026-05-20 10:00` (UTC). */
export function shortTime(iso: string): string {
	const date = new Date(iso);
	return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 16)}`;
}

/** The first 8 characters of an id: enough to name it in `history show` (a prefix is accepted). */
export function shortId(id: string): string {
	return id.startsWith('sha256:') ? id.slice(0, 15) : id.slice(0, 8);
}

export function listText(races: readonly RaceListing[], maxWidth?: number): string {
	if (races.length === 0) {
		return 'No race in the history yet (or none matches the filters).\n';
	}

	const columns = [
		column('date (UTC)', 'left'),
		column('id', 'left', 5),
		column('kind', 'left', 3),
		column('preset', 'left', 4),
		column('region/host', 'left', 6),
		column('models', 'left', keepPriority, 12),
		column('fastest (TTFT)', 'left', 7),
	];
	const rows = races.map(race => [
		`${shortTime(race.startedAt)}${race.aborted ? ' (stopped)' : ''}`,
		shortId(race.id),
		race.kind,
		race.preset,
		`${race.region ?? '—'}/${race.host}`,
		race.models.join(', '),
		race.fastest ? `${race.fastest.model} ${formatMs(race.fastest.ttftMs)}` : '—',
	]);
	return `${formatTable(columns, rows, {maxWidth}).join('\n')}\n`;
}

export function listJson(races: readonly RaceListing[]): string {
	return `${JSON.stringify({races}, null, 2)}\n`;
}

const withInterval = (stat: TrendStat | null, format: (value: number) => string): string =>
	stat === null ? '—' : stat.ci ? `${format(stat.median)} [${format(stat.ci.lo)}–${format(stat.ci.hi)}]` : format(stat.median);

const msFigure = (value: number) => `${Math.round(value)}`;
const tpsFigure = (value: number) => value.toFixed(1);

function pointLabel(point: TrendPoint, trend: Trend): string {
	return trend.by === 'day' ? point.key : `${shortTime(point.startedAt)} ${shortId(point.key)}`;
}

export function modelLabel(model: ModelKey): string {
	return `${model.name === model.id ? model.id : `${model.name} (${model.id})`} @ ${model.baseUrlHost}`;
}

/** A model's trend: a header, the sparklines, the table, the changes. */
export function trendText(model: ModelKey, trend: Trend, maxWidth?: number): string {
	const lines = [sanitizeLine(`${modelLabel(model)}: median per ${trend.by === 'day' ? 'UTC day' : 'race'} [interval of the median]`), ''];
	if (trend.points.length === 0) {
		return `${lines[0]}\nno completed run matches the filters\n`;
	}

	for (const metric of trendMetrics) {
		lines.push(`  ${metricLabels[metric].padEnd(6)} ${sparkline(trend.points.map(point => point[metric]?.median ?? null))}`);
	}

	lines.push('');
	const columns = [
		column(trend.by === 'day' ? 'day' : 'race', 'left'),
		column('races', 'right', 3),
		column('runs', 'right', 4),
		column('TTFT ms', 'right'),
		column('TTFA ms', 'right', 5),
		column('tok/s', 'right'),
		column('change', 'left', 2, 10),
	];
	// Each point's changes, found once (not a pass over every change for every point).
	const changesAt = new Map<string, string[]>();
	for (const change of trend.changes) {
		changesAt.set(change.at, [...(changesAt.get(change.at) ?? []), change.text.replace(/ against .*/, '')]);
	}

	const rows = trend.points.map(point => [
		pointLabel(point, trend),
		String(point.races),
		String(point.runs),
		withInterval(point.ttftMs, msFigure),
		withInterval(point.ttfaMs, msFigure),
		withInterval(point.tokensPerSecond, tpsFigure),
		changesAt.get(point.key)?.join('; ') ?? '',
	]);
	lines.push(...formatTable(columns, rows, {maxWidth}));
	if (trend.changes.length > 0) {
		lines.push('', "Changes beyond noise (each median outside the other's interval):");
		for (const change of trend.changes) {
			lines.push(
				`  ${trend.by === 'day' ? change.at : shortId(change.at)}: ${change.text} (${formatFigure(change.metric, change.from)} → ${formatFigure(change.metric, change.to)})`,
			);
		}
	} else if (trend.points.length > 1) {
		lines.push('', 'No change beyond noise.');
	}

	return `${lines.join('\n')}\n`;
}

function formatFigure(metric: (typeof trendMetrics)[number], value: number): string {
	return metric === 'tokensPerSecond' ? `${formatTps(value)} tok/s` : formatMs(value);
}

const jsonStat = (stat: TrendStat | null) =>
	stat === null
		? null
		: {median: round(stat.median, 2), ci: stat.ci ? {lo: round(stat.ci.lo, 2), hi: round(stat.ci.hi, 2), level: round(stat.ci.level, 4)} : null};

/** `history <model> --json`: {"model", "points": [...], "changes": [...]}. */
export function trendJson(model: ModelKey, trend: Trend): string {
	return `${JSON.stringify(
		{
			model: {id: model.id, name: model.name, baseUrlHost: model.baseUrlHost},
			by: trend.by,
			points: trend.points.map(point => ({
				...(trend.by === 'day' ? {day: point.key} : {raceId: point.key}),
				startedAt: point.startedAt,
				races: point.races,
				runs: point.runs,
				ttftMs: jsonStat(point.ttftMs),
				ttfaMs: jsonStat(point.ttfaMs),
				tokensPerSecond: jsonStat(point.tokensPerSecond),
			})),
			changes: trend.changes.map(change => ({
				at: change.at,
				metric: change.metric,
				from: round(change.from, 2),
				to: round(change.to, 2),
				percent: round(change.percent, 1),
				against: change.against,
				text: change.text,
			})),
		},
		null,
		2,
	)}\n`;
}

/** A stored load run, one line per model and step. */
export function loadText(transcript: LoadTranscript): string {
	const columns = [
		column('model', 'left', keepPriority, 12),
		column('rate/s', 'right'),
		column('done', 'right'),
		column('failed', 'right'),
		column('TTFT p50', 'right'),
		column('TTFT p99', 'right'),
		column('e2e p99', 'right'),
		column('stopped', 'left', 3),
	];
	const rows = transcript.models.flatMap(model =>
		model.steps.map(step => [
			model.name,
			String(step.rate),
			String(step.summary.completed),
			String(step.summary.failed),
			formatMs(step.summary.ttftMs?.p50),
			formatMs(step.summary.ttftMs?.p99),
			formatMs(step.summary.e2eMs?.p99),
			step.stopped ?? '',
		]),
	);
	const head = sanitizeLine(
		`load run ${transcript.id} · ${shortTime(transcript.startedAt)} · preset ${transcript.preset}${transcript.region ? ` · ${transcript.region}` : ''}`,
	);
	return `${head}\n\n${formatTable(columns, rows).join('\n')}\n`;
}

export const exportColumns = [
	'race_id',
	'kind',
	'started_at',
	'region',
	'host',
	'preset',
	'simulated',
	'aborted',
	'model_id',
	'model_name',
	'base_url_host',
	'step_rate',
	'run',
	'warmup',
	'status',
	'error_kind',
	'ttft_ms',
	'ttfa_ms',
	'tokens_per_second',
	'total_ms',
	'queue_ms',
	'output_tokens',
	'token_source',
	'flags',
] as const;

/** CSV of stored races: one record per run of a race, one per request of a load run. */
export function exportCsvRecords(
	race: ({readonly kind: 'race'; readonly transcript: Transcript} | {readonly kind: 'load'; readonly transcript: LoadTranscript}) & {readonly host: string},
): string {
	const {transcript, host} = race;
	const common = (model: {readonly id: string; readonly name: string; readonly baseURL: string}) => [
		transcript.id,
		race.kind,
		transcript.startedAt,
		transcript.region,
		host,
		transcript.preset,
		transcript.simulated,
		transcript.aborted,
		model.id,
		model.name,
		model.baseURL,
	];
	if (race.kind === 'race') {
		return race.transcript.models
			.flatMap(model =>
				model.runs.map(run =>
					csvRecord([
						...common(model),
						null,
						run.index,
						run.warmup,
						run.status,
						run.error?.kind ?? null,
						run.ttftMs,
						run.ttfaMs,
						run.tokensPerSecond,
						run.totalMs,
						null,
						run.outputTokens,
						run.tokenSource,
						run.flags.join(' '),
					]),
				),
			)
			.join('');
	}

	return race.transcript.models
		.flatMap(model =>
			model.steps.flatMap(step =>
				step.requests.scheduledMs.map((_, index) =>
					csvRecord([
						...common(model),
						step.rate,
						index,
						false,
						step.requests.status[index],
						step.requests.errorKind[index],
						step.requests.ttftMs[index],
						step.requests.ttfaMs[index],
						null,
						step.requests.e2eMs[index],
						step.requests.queueMs[index],
						step.requests.outputTokens[index],
						null,
						'',
					]),
				),
			),
		)
		.join('');
}
