// The load run as a plain text table (docs/load.md "Outputs"): per model and step, for pipes and logs.
import {formatMs} from '../text/format.js';
import {sanitizeLine} from '../text/sanitize.js';
import {commonRate, rankLoadModels, type LoadSortKey} from '../stats/load-ranking.js';
import {formatTable, keepPriority, type TableColumn} from '../text/table.js';
import {formatSlo, stepMeetsSlo} from './slo.js';
import type {LoadModelResult, LoadStep, LoadTranscript} from './types.js';

const columns: TableColumn[] = [
	{key: 'model', title: 'Model', align: 'left', priority: keepPriority, shrink: 12},
	{key: 'step', title: 'Step', align: 'right', priority: 3},
	{key: 'rate', title: 'Rate req/s', align: 'right', priority: keepPriority},
	{key: 'done', title: 'Done/failed', align: 'right', priority: 8},
	{key: 'ttfa', title: 'TTFA p50/p99', align: 'right', priority: keepPriority},
	{key: 'e2e', title: 'E2E p50/p99', align: 'right', priority: 7},
	{key: 'goodput', title: 'Goodput', align: 'right', priority: 6},
	{key: 'slo', title: 'SLO', align: 'right', priority: 9},
	{key: 'stopped', title: 'Stopped', align: 'left', priority: 5},
	{key: 'client', title: 'Client', align: 'left', priority: 4},
];

/** A rate as given (0.5, 2, 1.4), without trailing zeros. */
export function formatRate(rate: number): string {
	return String(Number(rate.toPrecision(3)));
}

/** The sweep's answer: "1.4 req/s", "≥ 8 req/s" (a lower bound), "none"; null without --sweep. */
export function maxRateText(model: LoadModelResult): string | null {
	if (model.maxRateMeetingSlo === undefined) {
		return null;
	}

	if (model.maxRateMeetingSlo === null) {
		return 'none';
	}

	return `${model.maxRateIsLowerBound ? '≥ ' : ''}${formatRate(model.maxRateMeetingSlo)} req/s`;
}

function stepCells(model: LoadModelResult, step: LoadStep, index: number, transcript: LoadTranscript): string[] {
	const {summary} = step;
	const pair = (stat: {p50: number; p99: number} | null) => (stat ? `${formatMs(stat.p50)} / ${formatMs(stat.p99)}` : '—');
	return [
		index === 0 ? model.name : '',
		String(index + 1),
		`${formatRate(step.rate)} / ${summary.achievedRate.toFixed(2)}`,
		`${summary.completed}/${summary.failed}`,
		pair(summary.ttfaMs),
		pair(summary.e2eMs),
		`${summary.goodput.toFixed(2)}/s`,
		`${Math.round(summary.sloPass * 100)} %${stepMeetsSlo(step, transcript.settings.slo) ? '' : ' (missed)'}`,
		step.stopped ?? '',
		step.clientLimited ? `limited (lag p99 ${step.sendLagMs.p99.toFixed(1)} ms)` : '',
	];
}

/** The plain table (sorted as the load leaderboard is): one row per model and step, latencies queue-inclusive; with --sweep the max rate meeting the SLO per model. */
export function loadPlainTable(transcript: LoadTranscript, sort: LoadSortKey): string {
	const models = rankLoadModels(transcript.models, sort, {rate: commonRate(transcript.models), slo: transcript.settings.slo});
	const rows = models.flatMap(model =>
		model.steps.length === 0
			? [[model.name, '—', '—', '0/0', '—', '—', '—', '—', 'not run', '']]
			: model.steps.map((step, index) => stepCells(model, step, index, transcript)),
	);
	const lines = formatTable(columns, rows);
	const notes: string[] = [];
	if (transcript.settings.sweep) {
		notes.push('', `Highest rate meeting the SLO (${formatSlo(transcript.settings.slo)}):`);
		for (const model of models) {
			notes.push(`  ${sanitizeLine(model.name)}: ${maxRateText(model)}`);
		}
	}

	notes.push(
		'',
		`Rate: offered / achieved. Latencies include the time queued for a free slot (--max-concurrency ${transcript.settings.maxConcurrency}). SLO: ${formatSlo(transcript.settings.slo)}.`,
	);
	if (transcript.simulated) {
		notes.push("Simulated: the load curves are modelled (the preset's load: capacities), not measured.");
	}

	if (transcript.aborted) {
		notes.push('(stopped before the end: figures cover what arrived)');
	}

	return `${[...lines, ...notes].join('\n')}\n`;
}
