// A model's steps (`Enter` on the load leaderboard): a table per step of p50/p90/p99 of TTFT, TTFA, e2e,
// ITL, TPOT and queue time, under a line of its rates, counts, goodput, SLO pass, stop and send lag. Pure lines.
import type {LatencyStat, LoadModelResult, LoadStep, LoadTranscript} from '../../core/load/types.js';
import {formatRate, formatShare, maxRateText, stepStatus} from '../../core/report/load-table.js';
import {stepMeetsSlo} from '../../core/load/slo.js';
import {sanitizeLine} from '../../core/text/sanitize.js';
import {formatTable, keepPriority, type TableColumn} from '../../core/text/table.js';
import {wrapLines} from '../text.js';

const ms = (value: number | undefined) => (value === undefined ? '—' : value < 10 ? value.toFixed(1) : Math.round(value).toString());

const percentileColumns: TableColumn[] = [
	{key: 'metric', title: 'ms', align: 'left', priority: keepPriority},
	{key: 'p50', title: 'p50', align: 'right', priority: keepPriority},
	{key: 'p90', title: 'p90', align: 'right', priority: keepPriority},
	{key: 'p99', title: 'p99', align: 'right', priority: keepPriority},
	{key: 'p999', title: 'p99.9', align: 'right', priority: 4},
	{key: 'max', title: 'max', align: 'right', priority: 3},
	{key: 'mean', title: 'mean', align: 'right', priority: 2},
];

function statRow(title: string, stat: LatencyStat | null): string[] {
	return [title, ms(stat?.p50), ms(stat?.p90), ms(stat?.p99), ms(stat?.p999), ms(stat?.max), ms(stat?.mean)];
}

/** The line above a step's table: offered/achieved, done/failed (by kind), goodput, SLO, stop, send lag. */
export function stepLine(step: LoadStep, index: number, transcript: Pick<LoadTranscript, 'settings'>): string {
	const {summary} = step;
	const kinds = Object.entries(summary.failedByKind)
		.filter(([, count]) => (count ?? 0) > 0)
		.map(([kind, count]) => `${count} ${kind}`);
	const meets = stepMeetsSlo(step, transcript.settings.slo);
	return [
		`Step ${index + 1}: ${formatRate(summary.offeredRate)} offered, ${formatRate(summary.achievedRate)} achieved`,
		`${summary.completed} done, ${summary.failed} failed${kinds.length > 0 ? ` (${kinds.join(', ')})` : ''}`,
		`goodput ${formatRate(summary.goodput)}`,
		`SLO pass ${formatShare(summary.sloPass)} (${meets ? 'met' : 'missed'})`,
		`${stepStatus(step)}`,
		`send lag p99 ${ms(step.sendLagMs.p99)} ms`,
		`most in flight ${summary.maxInFlight}`,
	].join(' · ');
}

/** Every line of a model's steps, `width` cells at most; the view scrolls through them. */
export function stepsLines(model: LoadModelResult, transcript: Pick<LoadTranscript, 'settings' | 'simulated'>, width: number): string[] {
	const head = [
		sanitizeLine([model.name, model.provider, model.bracket].filter(Boolean).join(' · ')),
		`highest rate meeting the SLO: ${maxRateText(model, transcript)}${model.simulatedLoad ? ` · simulated: ${model.simulatedLoad.sequences} sequences at full speed (modelled, not measured)` : ''}`,
	];
	const lines = head.flatMap(line => wrapLines(line, width));
	if (model.steps.length === 0) {
		return [...lines, '', 'no step ran'];
	}

	for (const [index, step] of model.steps.entries()) {
		const {summary} = step;
		lines.push('', ...wrapLines(stepLine(step, index, transcript), width));
		lines.push(
			...formatTable(
				percentileColumns,
				[
					statRow('TTFT', summary.ttftMs),
					statRow('TTFA', summary.ttfaMs),
					statRow('e2e', summary.e2eMs),
					statRow('ITL', summary.itlMs),
					statRow('TPOT', summary.tpotMs),
					statRow('queue', summary.queueMs),
				],
				{maxWidth: width - 2},
			).map(line => `  ${line}`),
		);
	}

	lines.push(
		'',
		...wrapLines('TTFT, TTFA, e2e and queue: queue-inclusive, from each request’s scheduled time (docs/load.md); ITL and TPOT as they are', width),
	);
	return lines;
}
