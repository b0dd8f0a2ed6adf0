// The report as a document of blocks (headings, tables, paragraphs, charts), built once and drawn as
// Markdown (report/markdown.ts) or HTML (report/html.ts), so both say the same. Pure: transcripts in, blocks out.
// Text in the blocks is raw (it may hold anything a server sent): each renderer escapes it.
import {compareRaces, comparisonHeader, comparisonNotes, comparisonRows, type Comparison, type Labelled} from '../stats/compare.js';
import {formatCostUSD, formatPrice} from '../text/format.js';
import {summarizePriceSources} from '../presets/prices.js';
import {rankModels} from '../stats/ranking.js';
import {medianPhases} from '../stats/phases.js';
import {photoFinish} from '../stats/photo-finish.js';
import {lastErrorLine, modelStatus, serverTokensPerSecond, tokensEstimated} from './plain-table.js';
import {round} from '../stats/stats.js';
import {shownFigure, stoppedRun} from '../stats/stopped.js';
import {runCostUSD} from '../transcript/build.js';
import {flagCounts, flaggedFigures, flagMeanings, type FlaggedFigure} from '../meter/flag-meanings.js';
import type {LoadTranscript} from '../load/types.js';
import {bracketNames, runFlags, type Measurement, type ModelResult, type Transcript} from '../types.js';

/** A chart of the HTML report (docs/report.md#the-html-report); Markdown leaves it out. */
export type ChartRequest =
	| {readonly kind: 'ttft'; readonly race: string; readonly models: readonly ModelResult[]}
	| {readonly kind: 'speed-price'; readonly race: string; readonly models: readonly ModelResult[]}
	| {readonly kind: 'timeline'; readonly race: string; readonly models: readonly ModelResult[]}
	| {readonly kind: 'regions'; readonly comparison: Comparison}
	/** A load run's knee chart and its latency over time per model (report/load-charts.ts). */
	| {readonly kind: 'knee'; readonly label: string; readonly load: LoadTranscript}
	| {readonly kind: 'load-timeline'; readonly label: string; readonly load: LoadTranscript};

export type Block =
	| {readonly kind: 'heading'; readonly level: 1 | 2 | 3 | 4; readonly text: string}
	| {readonly kind: 'table'; readonly header: readonly string[]; readonly rows: ReadonlyArray<readonly string[]>; readonly numeric: ReadonlySet<number>}
	| {readonly kind: 'paragraph'; readonly text: string}
	/** A bulleted list (notes under a table). */
	| {readonly kind: 'list'; readonly items: readonly string[]}
	| {readonly kind: 'chart'; readonly chart: ChartRequest}
	/** The answers as text, one per model (HTML only: too long for a Markdown table). */
	| {readonly kind: 'answers'; readonly answers: ReadonlyArray<{readonly model: string; readonly text: string}>};

const num = (value: number | null | undefined, decimals = 0): string =>
	value === null || value === undefined ? '—' : round(value, decimals).toFixed(decimals);

function reasoned(model: ModelResult): boolean {
	return model.reasoning === true || model.runs.some(run => run.ttfaMs !== null && run.ttftMs !== null && run.ttfaMs > run.ttftMs);
}

export function dateOf(iso: string): string {
	return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function howRun(transcript: Transcript): Block {
	const {settings} = transcript;
	const rows: Array<[string, string]> = [
		['date', dateOf(transcript.startedAt)],
		['region', transcript.region ?? '—'],
		['prompt', `"${transcript.prompt}"`],
		['preset', `${transcript.preset}${transcript.simulated ? ' (simulated: replays published figures)' : ''}`],
		['prices', summarizePriceSources(transcript.models).replace(/^prices: /, '')],
		['runs', `${settings.runs} timed per model, ${settings.warmup} warm-up`],
		['max tokens', String(settings.maxTokens)],
		['temperature', settings.temperature === null ? 'server default' : String(settings.temperature)],
		['concurrency', settings.concurrency === null ? 'all models at once' : String(settings.concurrency)],
		...(settings.seed === null ? [] : [['seed', String(settings.seed)] as [string, string]]),
		['client event-loop delay', measurementLine(transcript.measurement)],
		...(transcript.measurement?.threads ? [['stamping threads', threadsLine(transcript.measurement.threads)] as [string, string]] : []),
		...clientDelayRows(transcript),
		['tool', `${transcript.tool.name} ${transcript.tool.version}`],
		...(transcript.aborted ? [['note', 'stopped before the end: the figures cover what arrived'] as [string, string]] : []),
	];
	return {kind: 'table', header: ['', ''], rows, numeric: new Set()};
}

/**
 * What the medians are over: the runs that completed, not the runs asked for. "median" for single runs,
 * "median of 10 runs" when every model completed 10, "median of 7–10 completed runs" when they differ.
 */
export function medianOf(transcript: Transcript): string {
	const completed = transcript.models.map(model => model.summary.ok).filter(ok => ok > 0);
	const least = Math.min(...completed);
	const most = Math.max(...completed);
	if (completed.length === 0 || (most <= 1 && transcript.settings.runs <= 1)) {
		return 'median';
	}

	return least === most ? `median of ${most} run${most === 1 ? '' : 's'}` : `median of ${least}–${most} completed runs`;
}

/** The stamping thread's event-loop delay (docs/metrics.md "measurement"), or "—" in an older transcript. */
export function measurementLine(measurement: Measurement | null | undefined): string {
	const delay = measurement?.eventLoopDelayMs;
	if (!delay) {
		return '—';
	}

	return `p50 ${num(delay.p50, 1)} ms, p99 ${num(delay.p99, 1)} ms, max ${num(delay.max, 1)} ms (every stamp may be late by this much)`;
}

/** Each stamping thread: its delay and the streams it stamped ("2: p99 3.1 ms over 128 streams; p99 4.0 ms over 128 streams"). */
export function threadsLine(threads: NonNullable<Measurement['threads']>): string {
	const each = threads.map(
		thread =>
			`p99 ${num(thread.eventLoopDelayMs.p99, 1)} ms, max ${num(thread.eventLoopDelayMs.max, 1)} ms over ${thread.streams} stream${thread.streams === 1 ? '' : 's'}`,
	);
	return `${threads.length}: ${each.join('; ')}`;
}

/** The runs' own `clientDelayMs` (docs/metrics.md): the worst, and how many runs were client-late; nothing in older transcripts. */
function clientDelayRows(transcript: Transcript): Array<[string, string]> {
	const runs = transcript.models.flatMap(model => model.runs.filter(run => typeof run.clientDelayMs === 'number'));
	if (runs.length === 0) {
		return [];
	}

	const worst = Math.max(...runs.map(run => run.clientDelayMs!));
	const late = runs.filter(run => run.flags.includes('client-late')).length;
	return [['run delay', `worst ${num(worst, 1)} ms; ${late} of ${runs.length} run${runs.length === 1 ? '' : 's'} client-late (over 20 ms)`]];
}

/** The models the server answered under another name: "asked for X, served Y". */
function servedOtherwise(model: ModelResult): string[] {
	const served = new Set(model.runs.flatMap(run => (run.servedModel && run.servedModel !== model.id ? [run.servedModel] : [])));
	return [...served];
}

/** "10" when every ranked model completed 10 runs, "7–10" when they differ. */
function runsSpan(models: readonly ModelResult[]): string {
	const completed = models.map(model => model.summary.ok).filter(ok => ok > 0);
	const least = Math.min(...completed);
	const most = Math.max(...completed);
	return least === most ? String(most) : `${least}–${most}`;
}

/** The ranking's notes: what `≈` and `!` mean, each flag, each model served under another name. */
function rankingNotes(models: readonly ModelResult[], ties: readonly boolean[]): string[] {
	const notes: string[] = [];
	const completed = models.map(model => model.summary.ok).filter(ok => ok > 0);
	if (ties.some(Boolean)) {
		notes.push(`≈: its interval of the median overlaps the one above: at ${runsSpan(models)} runs the data cannot separate them.`);
	} else if (completed.length > 1 && completed.every(ok => ok < 3)) {
		const most = Math.max(...completed);
		notes.push(`${most === 1 ? 'One run' : `${most} runs`} per model cannot separate close models: run with --runs 10 to see which leads are real.`);
	}

	const flagged = models.filter(model => flaggedFigures(model).size > 0);
	if (flagged.length > 0) {
		notes.push('!: a flag makes this figure doubtful (below).');
	}

	for (const model of flagged) {
		const counts = flagCounts(model);
		for (const flag of runFlags) {
			const count = counts[flag];
			if (count) {
				notes.push(`${model.name}: ${flag} in ${count} of ${model.summary.ok} run${model.summary.ok === 1 ? '' : 's'}: ${flagMeanings[flag]}`);
			}
		}
	}

	for (const model of models) {
		for (const served of servedOtherwise(model)) {
			notes.push(`${model.name}: asked for ${model.id}, served ${served}.`);
		}
	}

	return notes;
}

function ranking(models: readonly ModelResult[], ties: readonly boolean[]): Block {
	const anyServerTps = models.some(model => serverTokensPerSecond(model) !== null);
	const header = [
		'#',
		'model',
		'provider',
		'TTFT (ms)',
		'TTFA (ms)',
		'tok/s',
		...(anyServerTps ? ['server tok/s'] : []),
		'total (ms)',
		'tokens',
		'$/M out',
		'run cost',
		'bracket',
		'status',
	];
	const rows = models.map((model, index) => {
		const {summary} = model;
		const marks = flaggedFigures(model);
		const mark = (figure: FlaggedFigure, text: string) => (marks.has(figure) && text !== '—' ? `${text}!` : text);
		return [
			`${ties[index] ? '≈' : ''}${index + 1}`,
			model.name,
			model.provider ?? '—',
			mark('ttft', num(shownFigure(model, 'ttftMs'))),
			num(shownFigure(model, 'ttfaMs')),
			mark('tps', num(shownFigure(model, 'tokensPerSecond'), 1)),
			...(anyServerTps ? [num(serverTokensPerSecond(model), 1)] : []),
			mark('total', num(summary.totalMs?.median)),
			mark('tokens', `${tokensEstimated(model) || stoppedRun(model) ? '~' : ''}${num(shownFigure(model, 'outputTokens'))}`),
			formatPrice(model.price.outputPerM),
			formatCostUSD(runCostUSD(summary)),
			model.bracket ?? '—',
			modelStatus(model),
		];
	});
	const textual = new Set(['model', 'provider', 'bracket', 'status']);
	return {kind: 'table', header, rows, numeric: new Set(header.flatMap((title, index) => (textual.has(title) ? [] : [index])))};
}

/** The answer of each model's first completed timed run (else its first run with text). */
function answers(models: readonly ModelResult[]): Block {
	return {
		kind: 'answers',
		answers: models.flatMap(model => {
			const timed = model.runs.filter(run => !run.warmup);
			const run = timed.find(candidate => candidate.status === 'ok') ?? timed.find(candidate => candidate.text.length > 0);
			return run ? [{model: model.name, text: run.text}] : [];
		}),
	};
}

/**
 * Models whose response headers came with their first token (median *first token* 2 ms or less,
 * wait over 20 ms): a server or gateway that holds its headers until the first
 * event. A note from the figures, not a guess from the host name.
 */
export function lateHeaders(models: readonly ModelResult[]): string[] {
	return models.flatMap(model => {
		const {waitMs, firstTokenMs} = medianPhases(model);
		return waitMs !== null && firstTokenMs !== null && waitMs > 20 && firstTokenMs <= 2 ? [model.name] : [];
	});
}

/** From the figures: the phase in which the models' medians are furthest apart, and, for the simulator, how small connect is. */
function whereModelsDiffer(models: readonly ModelResult[], simulated: boolean): string | null {
	const medians = models.map(model => medianPhases(model));
	const spans = (['connectMs', 'waitMs', 'firstTokenMs'] as const)
		.map(key => {
			const values = medians.map(entry => entry[key]).filter((value): value is number => value !== null);
			return {key, min: values.length > 0 ? Math.min(...values) : null, max: values.length > 0 ? Math.max(...values) : null};
		})
		.filter((span): span is {key: 'connectMs' | 'waitMs' | 'firstTokenMs'; min: number; max: number} => span.min !== null);
	if (spans.length === 0) {
		return null;
	}

	const names = {connectMs: 'connect', waitMs: 'wait', firstTokenMs: 'first token'} as const;
	const widest = [...spans].sort((a, b) => b.max - b.min - (a.max - a.min))[0]!;
	const connect = spans.find(span => span.key === 'connectMs');
	const local = simulated && connect ? `The simulator is local: connect takes at most ${num(connect.max)} ms here. ` : '';
	return `${local}Before the first token, the models differ most in ${names[widest.key]} (from ${num(widest.min)} to ${num(widest.max)} ms).`;
}

/** Where the time went (docs/metrics.md "phases"): medians per model of connect, wait, first token, decode. */
function whereTheTimeWent(models: readonly ModelResult[], simulated: boolean): Block[] {
	const rows = models.flatMap(model => {
		const medians = medianPhases(model);
		return medians.runs === 0
			? []
			: [
					[
						model.name,
						num(medians.connectMs),
						num(medians.waitMs),
						num(medians.firstTokenMs),
						num(medians.decodeMs),
						medians.withPhases === 0 ? '—' : `${medians.reused} of ${medians.runs}`,
					],
				];
	});
	if (rows.length === 0) {
		return [];
	}

	const blocks: Block[] = [
		{kind: 'heading', level: 3, text: 'Where the time went (medians, ms)'},
		{kind: 'table', header: ['model', 'connect', 'wait', 'first token', 'decode', 'reused connection'], rows, numeric: new Set([1, 2, 3, 4, 5])},
		{
			kind: 'paragraph',
			text: 'connect: TCP and TLS before the request (0 on a reused connection); wait: from the request sent to the response headers; first token: from the headers to the first token; decode: from the first token to the end of the stream.',
		},
	];
	const landing = whereModelsDiffer(models, simulated);
	if (landing) {
		blocks.push({kind: 'paragraph', text: landing});
	}

	const late = lateHeaders(models);
	if (late.length > 0) {
		blocks.push({
			kind: 'paragraph',
			text: `${late.join(', ')}: the response headers came with the first token (the first token within 2 ms of them), so the server, or a gateway in front of it (Portkey holds the headers until the first event), answered its headers late: *wait* holds the queue and prefill too, and *first token* says nothing.`,
		});
	}

	return blocks;
}

function raceSection(transcript: Transcript, title: string, race: string, withCharts: boolean): Block[] {
	const ranked = rankModels(transcript.models, 'ttft');
	const ties = photoFinish(ranked, 'ttft');
	const notes = rankingNotes(ranked, ties);
	const blocks: Block[] = [
		{kind: 'heading', level: 2, text: title},
		{kind: 'heading', level: 3, text: 'How the race was run'},
		howRun(transcript),
		{kind: 'heading', level: 3, text: `Ranking (${medianOf(transcript)}, by TTFT)`},
		ranking(ranked, ties),
		...(notes.length > 0 ? [{kind: 'list', items: notes} as const] : []),
		...whereTheTimeWent(ranked, transcript.simulated),
	];
	if (withCharts) {
		blocks.push(
			{kind: 'chart', chart: {kind: 'ttft', race, models: ranked}},
			{kind: 'chart', chart: {kind: 'speed-price', race, models: ranked}},
			{kind: 'chart', chart: {kind: 'timeline', race, models: ranked}},
		);
	}

	blocks.push({kind: 'heading', level: 3, text: 'By price bracket'});
	for (const bracket of bracketNames) {
		const members = ranked.filter(model => model.bracket === bracket);
		if (members.length === 0) {
			continue;
		}

		blocks.push(
			{kind: 'heading', level: 4, text: bracket},
			{
				kind: 'table',
				header: ['model', 'TTFT (ms)', 'tok/s', '$/M out'],
				rows: members.map(model => [
					model.name,
					num(model.summary.ttftMs?.median),
					num(model.summary.tokensPerSecond?.median, 1),
					formatPrice(model.price.outputPerM),
				]),
				numeric: new Set([1, 2, 3]),
			},
		);
	}

	const unpriced = ranked.filter(model => model.bracket === null);
	if (unpriced.length > 0) {
		blocks.push({kind: 'paragraph', text: `No price, so no bracket: ${unpriced.map(model => model.name).join(', ')}.`});
	}

	const thinkers = ranked.filter(model => reasoned(model));
	if (thinkers.length > 0) {
		blocks.push(
			{kind: 'heading', level: 3, text: 'Reasoning models'},
			{
				kind: 'paragraph',
				text: `${thinkers.map(model => model.name).join(', ')} think before answering: TTFT counts their first reasoning token, TTFA their first visible answer token; the difference is thinking time. ${thinkers.map(model => `${model.name}: ${num(model.summary.ttfaMs && model.summary.ttftMs ? model.summary.ttfaMs.median - model.summary.ttftMs.median : null)} ms`).join(', ')}.`,
			},
		);
	}

	const failing = ranked.flatMap(model => {
		const error = lastErrorLine(model);
		const failed = model.runs.filter(run => !run.warmup && run.status !== 'ok').length;
		return error ? [[model.name, String(failed), error]] : [];
	});
	if (failing.length > 0) {
		blocks.push(
			{kind: 'heading', level: 3, text: 'Errors'},
			{kind: 'table', header: ['model', 'failed runs', 'last error'], rows: failing, numeric: new Set([1])},
		);
	}

	blocks.push(answers(ranked));
	return blocks;
}

/**
 * The whole report. Charts 1–3 (TTFT, speed vs price, the race) are drawn for the first race, chart 4
 * (median TTFT per race) when there are several races: four charts for two regions, three for one.
 */
export function reportDocument(races: readonly Labelled[]): Block[] {
	const blocks: Block[] = [{kind: 'heading', level: 1, text: 'llmrace report'}];
	for (const [index, race] of races.entries()) {
		const title = races.length > 1 ? race.label : `${race.transcript.preset}, ${dateOf(race.transcript.startedAt)}`;
		blocks.push(...raceSection(race.transcript, title, race.label, index === 0));
	}

	if (races.length > 1) {
		const regions = new Set(races.map(race => race.transcript.region));
		const comparison = compareRaces(races, 'ttft');
		blocks.push(
			{kind: 'heading', level: 2, text: regions.size === races.length ? 'By region (median TTFT)' : 'Across races (median TTFT)'},
			{
				kind: 'table',
				header: comparisonHeader(comparison),
				rows: comparisonRows(comparison),
				numeric: new Set(comparisonHeader(comparison).flatMap((title, index) => (index === 0 || title.startsWith('real?') ? [] : [index]))),
			},
		);
		const notes = comparisonNotes(comparison);
		if (notes.length > 0) {
			blocks.push({kind: 'list', items: notes});
		}

		blocks.push({kind: 'chart', chart: {kind: 'regions', comparison}});
		if (comparison.missing.length > 0) {
			blocks.push({kind: 'paragraph', text: `Not in every race: ${comparison.missing.join(', ')}.`});
		}
	}

	return blocks;
}
