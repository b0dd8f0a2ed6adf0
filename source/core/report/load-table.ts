// The load leaderboard's columns and rows (docs/load.md): the Markdown report's table and the Ink load
// leaderboard draw these cells (the plain table of a pipe is core/load/plain-table.ts). Pure.
import type {LoadModelResult, LoadStep, LoadTranscript} from '../load/types.js';
import {formatSlo, rateMeetingSlo} from '../load/slo.js';
import {commonRate, rankLoadModels, shownStep, type LoadSortKey} from '../stats/load-ranking.js';
import {formatMs} from '../text/format.js';
import type {TableColumn} from '../text/table.js';
import type {BracketName} from '../types.js';

/** A rate in requests per second: "0.5/s", "12/s" (two significant figures, as the sweep's midpoints). */
export function formatRate(rate: number | null | undefined): string {
	if (rate === null || rate === undefined || !Number.isFinite(rate)) {
		return '—';
	}

	return `${Number(rate.toPrecision(rate >= 100 ? 3 : 2))}/s`;
}

/** A share 0–1 as a whole percentage ("97 %"). */
export function formatShare(share: number | null | undefined): string {
	return share === null || share === undefined ? '—' : `${Math.round(share * 100)} %`;
}

/** The highest rate meeting the SLO as shown: "2.5/s", "≥ 8/s" (never failed within the sweep), "none". */
export function maxRateText(model: LoadModelResult, transcript: Pick<LoadTranscript, 'settings'>): string {
	const rate = rateMeetingSlo(model, transcript.settings.slo);
	if (rate === null) {
		return model.steps.length === 0 ? '—' : 'none';
	}

	return `${model.maxRateIsLowerBound ? '≥ ' : ''}${formatRate(rate)}`;
}

/** Why a step is marked: its early stop, the client's limit; '' for a step that ran its course. */
export function stepStatus(step: LoadStep | null): string {
	if (!step) {
		return 'no step';
	}

	const marks = [...(step.stopped ? [`stopped: ${step.stopped}`] : []), ...(step.clientLimited ? ['client-limited'] : [])];
	return marks.length === 0 ? 'ok' : marks.join(', ');
}

export type LoadColumn = TableColumn & {
	readonly cell: (model: LoadModelResult, place: number) => string;
};

const p99 = (stat: {readonly p99: number} | null | undefined) => (stat ? formatMs(stat.p99) : '—');

/** The load leaderboard's columns; `rate` is the rate the latencies are compared at (`commonRate`). */
export function loadColumns(transcript: Pick<LoadTranscript, 'settings' | 'models'>, rate: number | null): LoadColumn[] {
	const step = (model: LoadModelResult) => shownStep(model, rate);
	return [
		{key: 'place', title: '#', align: 'right', priority: 10, cell: (_model, place) => String(place)},
		{key: 'model', title: 'Model', align: 'left', priority: 10, shrink: 8, cell: model => model.name},
		{key: 'provider', title: 'Provider', align: 'left', priority: 2, cell: model => model.provider ?? ''},
		{key: 'max-rate', title: 'Max rate (SLO)', align: 'right', priority: transcript.settings.sweep ? 9.5 : 5, cell: model => maxRateText(model, transcript)},
		{key: 'rate', title: 'At rate', align: 'right', priority: 8, cell: model => formatRate(step(model)?.rate)},
		{key: 'ttfa', title: 'TTFA p99', align: 'right', priority: 9, cell: model => p99(step(model)?.summary.ttfaMs)},
		{key: 'ttft', title: 'TTFT p99', align: 'right', priority: 6, cell: model => p99(step(model)?.summary.ttftMs)},
		{key: 'e2e', title: 'e2e p99', align: 'right', priority: 7, cell: model => p99(step(model)?.summary.e2eMs)},
		{
			key: 'goodput',
			title: 'Goodput',
			align: 'right',
			priority: 6.5,
			cell: model => {
				const shown = step(model);
				return shown ? formatRate(shown.summary.goodput) : '—';
			},
		},
		{key: 'slo', title: 'SLO pass', align: 'right', priority: 5.5, cell: model => formatShare(step(model)?.summary.sloPass)},
		{
			key: 'done',
			title: 'Done/failed',
			align: 'right',
			priority: 4,
			cell: model => {
				const shown = step(model);
				return shown ? `${shown.summary.completed}/${shown.summary.failed}` : '—';
			},
		},
		{key: 'status', title: 'Status', align: 'left', priority: 3, cell: model => stepStatus(step(model))},
	];
}

export type LoadTableOptions = {
	readonly sort: LoadSortKey;
	readonly reverse?: boolean | undefined;
	readonly bracket?: BracketName | null | undefined;
	/** Most cells a line may take; none: every column. */
	readonly maxWidth?: number | undefined;
};

/** The rows of the load leaderboard in order, with the rate the latencies are compared at. */
export function loadTableRows(transcript: Pick<LoadTranscript, 'settings' | 'models'>, options: LoadTableOptions) {
	const rate = commonRate(transcript.models);
	const models = rankLoadModels(transcript.models, options.sort, {reverse: options.reverse, bracket: options.bracket, rate, slo: transcript.settings.slo});
	const columns = loadColumns(transcript, rate);
	return {rate, models, columns, cells: models.map((model, index) => columns.map(column => column.cell(model, index + 1)))};
}

/** What the latency columns mean, in one line. */
export function loadTableNote(transcript: Pick<LoadTranscript, 'settings' | 'simulated' | 'models'>, rate: number | null): string {
	const at = rate === null ? 'at each model’s highest rate' : `at ${formatRate(rate)} (the highest rate all models ran)`;
	// First, so that a narrow screen that cuts the line still says it.
	return [
		...(transcript.simulated ? ['simulated: modelled, not measured'] : []),
		`p99 queue-inclusive ${at}`,
		`SLO ${formatSlo(transcript.settings.slo)}`,
	].join(' · ');
}
