// The load report (docs/load.md): one or more load transcripts as a document of blocks (drawn as Markdown
// or HTML by the race report's renderers), and as rows per model and step for CSV and JSON. Pure.
import type {LatencyStat, LoadModelResult, LoadStep, LoadTranscript} from '../load/types.js';
import {formatSlo, rateMeetingSlo, stepMeetsSlo} from '../load/slo.js';
import type {LoadSortKey} from '../stats/load-ranking.js';
import {round} from '../stats/stats.js';
import {csvRecord} from '../text/escape.js';
import {dateOf, type Block} from './document.js';
import {formatRate, formatShare, loadTableNote, loadTableRows, maxRateText} from './load-table.js';

export type LabelledLoad = {readonly label: string; readonly transcript: LoadTranscript};

/** A load run's label: its region, else the file's name, made unique among the others. */
export function labelLoads(loads: ReadonlyArray<{readonly file: string; readonly transcript: LoadTranscript}>): LabelledLoad[] {
	const base = (file: string) => file.replace(/^.*[/\\]/, '');
	const labels = loads.map(load => load.transcript.region ?? base(load.file).replace(/\.json$/i, ''));
	return loads.map((load, index) => ({
		label: labels.filter(label => label === labels[index]).length > 1 ? `${labels[index]} (${base(load.file)})` : labels[index]!,
		transcript: load.transcript,
	}));
}

const num = (value: number | null | undefined, decimals = 0): string =>
	value === null || value === undefined ? '—' : round(value, decimals).toFixed(decimals);

const ms = (value: number | null | undefined) => num(value, value !== null && value !== undefined && value < 10 ? 1 : 0);

/** "p50 / p90 / p99" of a latency, in ms. */
const triple = (stat: LatencyStat | null) => (stat ? `${ms(stat.p50)} / ${ms(stat.p90)} / ${ms(stat.p99)}` : '—');

/** The client's health (docs/load.md): each stamping thread's event-loop delay, the send lag, the client-limited steps. */
export function clientHealthLines(transcript: LoadTranscript): Array<[string, string]> {
	const {measurement} = transcript;
	const steps = transcript.models.flatMap(model => model.steps);
	const threads = measurement?.threads ?? (measurement ? [{eventLoopDelayMs: measurement.eventLoopDelayMs, streams: null}] : []);
	const worstLag = steps.length === 0 ? null : Math.max(...steps.map(step => step.sendLagMs.p99));
	const limited = steps.filter(step => step.clientLimited).length;
	return [
		[
			'client event-loop delay',
			threads.length === 0
				? '—'
				: threads
						.map(
							(thread, index) =>
								`thread ${index + 1}: p99 ${num(thread.eventLoopDelayMs.p99, 1)} ms, max ${num(thread.eventLoopDelayMs.max, 1)} ms${thread.streams === null ? '' : ` (${thread.streams} streams)`}`,
						)
						.join('; '),
		],
		[
			'send lag (late against the schedule)',
			worstLag === null ? '—' : `p99 ${num(worstLag, 1)} ms at worst over the steps (a step over 5 ms is client-limited)`,
		],
		['client-limited steps', limited === 0 ? 'none' : `${limited} of ${steps.length}: the client, not the server, may have set their figures`],
	];
}

function howRun(transcript: LoadTranscript): Block {
	const {settings} = transcript;
	const rows: Array<[string, string]> = [
		['date', dateOf(transcript.startedAt)],
		['region', transcript.region ?? '—'],
		['prompt', `"${transcript.prompt}"`],
		['preset', `${transcript.preset}${transcript.simulated ? ' (simulated: the load behaviour is modelled, not measured)' : ''}`],
		['arrivals', `${settings.arrivals}, open loop, the same offsets for every model${settings.seed === null ? '' : ` (seed ${settings.seed})`}`],
		[
			'rates',
			settings.sweep ? `sweep from ${formatRate(settings.rates[0])}, at most 8 steps a model` : settings.rates.map(rate => formatRate(rate)).join(', '),
		],
		['each step', settings.durationMs === null ? `${settings.requests ?? '—'} arrivals` : `${num(settings.durationMs / 1000, 1)} s`],
		['max concurrency', `${settings.maxConcurrency} per model (arrivals beyond it queue; latencies include the queue)`],
		['SLO', formatSlo(settings.slo)],
		['unique prompts', settings.uniquePrompts ? 'yes (no prompt cache can serve a repeated prefix)' : 'no'],
		['max tokens', String(settings.maxTokens)],
		['temperature', settings.temperature === null ? 'server default' : String(settings.temperature)],
		...clientHealthLines(transcript),
		['tool', `${transcript.tool.name} ${transcript.tool.version}`],
		...(transcript.aborted ? [['note', 'stopped before the end: the figures cover what arrived'] as [string, string]] : []),
	];
	return {kind: 'table', header: ['', ''], rows, numeric: new Set()};
}

const stepHeader = [
	'Rate',
	'Achieved',
	'Done',
	'Failed',
	'TTFT p50/p90/p99 ms',
	'TTFA p50/p90/p99 ms',
	'e2e p50/p90/p99 ms',
	'ITL p50/p90/p99 ms',
	'TPOT p50/p90/p99 ms',
	'Queue p50/p90/p99 ms',
	'Goodput',
	'SLO pass',
	'Stopped',
	'Client-limited',
	'Send lag p99 ms',
];

function stepRow(step: LoadStep, transcript: LoadTranscript): string[] {
	const {summary} = step;
	return [
		formatRate(step.rate),
		formatRate(summary.achievedRate),
		String(summary.completed),
		String(summary.failed),
		triple(summary.ttftMs),
		triple(summary.ttfaMs),
		triple(summary.e2eMs),
		triple(summary.itlMs),
		triple(summary.tpotMs),
		triple(summary.queueMs),
		formatRate(summary.goodput),
		`${formatShare(summary.sloPass)}${stepMeetsSlo(step, transcript.settings.slo) ? '' : ' (missed)'}`,
		step.stopped ?? '—',
		step.clientLimited ? 'yes' : 'no',
		num(step.sendLagMs.p99, 1),
	];
}

function modelSteps(model: LoadModelResult, transcript: LoadTranscript): Block[] {
	return [
		{
			kind: 'heading',
			level: 4,
			text: `${model.name}${model.provider ? ` (${model.provider})` : ''}: highest rate meeting the SLO ${maxRateText(model, transcript)}`,
		},
		model.steps.length === 0
			? {kind: 'paragraph', text: 'No step ran.'}
			: {kind: 'table', header: stepHeader, rows: model.steps.map(step => stepRow(step, transcript)), numeric: new Set([0, 1, 2, 3, 10, 11, 14])},
	];
}

/** One load run: the leaderboard, the knee and latency-over-time charts (HTML), each model's steps, how it was run. */
function loadSection(load: LabelledLoad, several: boolean, sort: LoadSortKey): Block[] {
	const {transcript} = load;
	const {rate, columns, cells} = loadTableRows(transcript, {sort});
	return [
		{
			kind: 'heading',
			level: 2,
			text: several ? `${load.label}: ${transcript.preset}, ${dateOf(transcript.startedAt)}` : `${transcript.preset}, ${dateOf(transcript.startedAt)}`,
		},
		...(transcript.simulated
			? [
					{
						kind: 'paragraph' as const,
						text: 'Simulated: every curve in this run is modelled, not measured. The simulator gives each model a stated, illustrative load behaviour (its `load:` in the preset); the knees show that model, not a provider.',
					},
				]
			: []),
		{kind: 'heading', level: 3, text: 'Leaderboard'},
		{
			kind: 'table',
			header: columns.map(column => column.title),
			rows: cells,
			numeric: new Set(columns.flatMap((column, index) => (column.align === 'right' ? [index] : []))),
		},
		{kind: 'list', items: [loadTableNote(transcript, rate)]},
		{kind: 'chart', chart: {kind: 'knee', label: load.label, load: transcript}},
		{kind: 'chart', chart: {kind: 'load-timeline', label: load.label, load: transcript}},
		{kind: 'heading', level: 3, text: 'Steps per model'},
		...transcript.models.flatMap(model => modelSteps(model, transcript)),
		{kind: 'heading', level: 3, text: 'How the run was run'},
		howRun(transcript),
	];
}

export function loadReportDocument(loads: readonly LabelledLoad[], sort: LoadSortKey | null = null): Block[] {
	return [
		{kind: 'heading', level: 1, text: 'llmrace load report'},
		{
			kind: 'paragraph',
			text: 'Tail latency under the same open-loop load on every model. Latencies are queue-inclusive: from each request’s scheduled time, so a saturated server cannot hide its queue (no coordinated omission).',
		},
		...loads.flatMap(load => loadSection(load, loads.length > 1, sort ?? (load.transcript.settings.sweep ? 'rate' : 'ttfa'))),
	];
}

/** One row per run, model and step, for scripts (JSON) and spreadsheets (CSV). */
export type LoadReportRow = {
	readonly run: string;
	readonly region: string | null;
	readonly startedAt: string;
	readonly preset: string;
	readonly simulated: boolean;
	readonly id: string;
	readonly name: string;
	readonly provider: string | null;
	readonly step: number;
	readonly rate: number;
	readonly offeredRate: number;
	readonly achievedRate: number;
	readonly completed: number;
	readonly failed: number;
	readonly ttftP50Ms: number | null;
	readonly ttftP90Ms: number | null;
	readonly ttftP99Ms: number | null;
	readonly ttfaP50Ms: number | null;
	readonly ttfaP90Ms: number | null;
	readonly ttfaP99Ms: number | null;
	readonly e2eP50Ms: number | null;
	readonly e2eP90Ms: number | null;
	readonly e2eP99Ms: number | null;
	readonly itlP99Ms: number | null;
	readonly tpotP99Ms: number | null;
	readonly queueP99Ms: number | null;
	readonly tokensPerSecondP50: number | null;
	readonly goodput: number;
	readonly sloPass: number;
	readonly meetsSlo: boolean;
	readonly stopped: string | null;
	readonly clientLimited: boolean;
	readonly sendLagP99Ms: number;
	readonly maxRateMeetingSlo: number | null;
};

export function loadReportRows(loads: readonly LabelledLoad[]): LoadReportRow[] {
	return loads.flatMap(({label, transcript}) =>
		transcript.models.flatMap(model =>
			model.steps.map((step, index): LoadReportRow => {
				const {summary} = step;
				return {
					run: label,
					region: transcript.region,
					startedAt: step.startedAt,
					preset: transcript.preset,
					simulated: transcript.simulated,
					id: model.id,
					name: model.name,
					provider: model.provider,
					step: index + 1,
					rate: step.rate,
					offeredRate: summary.offeredRate,
					achievedRate: summary.achievedRate,
					completed: summary.completed,
					failed: summary.failed,
					ttftP50Ms: summary.ttftMs?.p50 ?? null,
					ttftP90Ms: summary.ttftMs?.p90 ?? null,
					ttftP99Ms: summary.ttftMs?.p99 ?? null,
					ttfaP50Ms: summary.ttfaMs?.p50 ?? null,
					ttfaP90Ms: summary.ttfaMs?.p90 ?? null,
					ttfaP99Ms: summary.ttfaMs?.p99 ?? null,
					e2eP50Ms: summary.e2eMs?.p50 ?? null,
					e2eP90Ms: summary.e2eMs?.p90 ?? null,
					e2eP99Ms: summary.e2eMs?.p99 ?? null,
					itlP99Ms: summary.itlMs?.p99 ?? null,
					tpotP99Ms: summary.tpotMs?.p99 ?? null,
					queueP99Ms: summary.queueMs?.p99 ?? null,
					tokensPerSecondP50: summary.tokensPerSecond?.p50 ?? null,
					goodput: summary.goodput,
					sloPass: summary.sloPass,
					meetsSlo: stepMeetsSlo(step, transcript.settings.slo),
					stopped: step.stopped,
					clientLimited: step.clientLimited,
					sendLagP99Ms: step.sendLagMs.p99,
					maxRateMeetingSlo: rateMeetingSlo(model, transcript.settings.slo),
				};
			}),
		),
	);
}

/** The CSV's columns, in the order of LoadReportRow. */
const loadRowKeys: ReadonlyArray<keyof LoadReportRow> = [
	'run',
	'region',
	'startedAt',
	'preset',
	'simulated',
	'id',
	'name',
	'provider',
	'step',
	'rate',
	'offeredRate',
	'achievedRate',
	'completed',
	'failed',
	'ttftP50Ms',
	'ttftP90Ms',
	'ttftP99Ms',
	'ttfaP50Ms',
	'ttfaP90Ms',
	'ttfaP99Ms',
	'e2eP50Ms',
	'e2eP90Ms',
	'e2eP99Ms',
	'itlP99Ms',
	'tpotP99Ms',
	'queueP99Ms',
	'tokensPerSecondP50',
	'goodput',
	'sloPass',
	'meetsSlo',
	'stopped',
	'clientLimited',
	'sendLagP99Ms',
	'maxRateMeetingSlo',
];

export function loadReportCsv(loads: readonly LabelledLoad[]): string {
	return [csvRecord(loadRowKeys), ...loadReportRows(loads).map(row => csvRecord(loadRowKeys.map(key => row[key])))].join('');
}
