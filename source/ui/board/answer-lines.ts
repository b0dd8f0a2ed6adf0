// The answer (transcript) screen's content: the model line, the per-run figures (an ink-table, see
// components/transcript-view.tsx), gaps, errors, reasoning (dim) and answer as wrapped lines. Pure.
// Server text (answer, reasoning, error messages, names) is sanitised here, the screen's one boundary.
import {cellWidth, truncate} from '../../core/text/cells.js';
import {formatMs, formatPrice, formatTokens, formatTps, formatCostUSD} from '../../core/text/format.js';
import {serverDecodeRate} from '../../core/meter/meter.js';
import {phaseBreakdown} from '../../core/stats/phases.js';
import {flagMeanings} from '../../core/meter/flag-meanings.js';
import {sanitizeBlock, sanitizeLine} from '../../core/text/sanitize.js';
import {fitTable, keepPriority, type TableColumn} from '../../core/text/table.js';
import {runFlags, type Measurement, type ModelResult, type RunRecord} from '../../core/types.js';
import {wrapLines} from '../text.js';
import type {Tone} from '../theme.js';

export type Line = {readonly text: string; readonly tone?: Tone | undefined; readonly bold?: boolean};

/** The per-run figures: the titles of the columns that fit, one record per run keyed by title, and the table's height in lines. */
export type RunTable = {
	readonly columns: ReadonlyArray<{readonly key: string; readonly align: 'left' | 'right'}>;
	readonly rows: ReadonlyArray<Readonly<Record<string, string>>>;
	readonly height: number;
};

export type TranscriptContent = {
	readonly before: readonly Line[];
	readonly table: RunTable;
	readonly after: readonly Line[];
};

const runColumns: readonly TableColumn[] = [
	{key: 'run', title: 'run', align: 'left', priority: keepPriority},
	{key: 'status', title: 'status', align: 'left', priority: keepPriority},
	{key: 'ttft', title: 'TTFT', align: 'right', priority: keepPriority},
	{key: 'ttfa', title: 'TTFA', align: 'right', priority: 5},
	{key: 'tps', title: 'tok/s', align: 'right', priority: 8},
	{key: 'server-tps', title: 'server tok/s', align: 'right', priority: 2},
	{key: 'total', title: 'total', align: 'right', priority: 6},
	{key: 'tokens', title: 'tokens', align: 'right', priority: 7},
	{key: 'cost', title: 'cost', align: 'right', priority: 3},
	{key: 'flags', title: 'flags', align: 'left', priority: 9},
];

/** ink-table's frame: `│ ` before, ` │ ` between, ` │` after the cells; a rule above, between and below the rows. */
const tableGap = 3;
const tableEdges = 4;

export function runTable(model: ModelResult, width: number): RunTable {
	// The flags column only when a run has a flag (its meaning is named under the table).
	const anyFlags = model.runs.some(run => (run.flags ?? []).length > 0);
	const columns = anyFlags ? runColumns : runColumns.filter(column => column.key !== 'flags');
	const cells = model.runs.map(run => {
		const server = serverDecodeRate(run.serverTimings);
		return [
			`${run.index + 1}${run.warmup ? ' (warm-up)' : ''}`,
			`${run.status}${run.truncated ? ' (cut)' : ''}`,
			formatMs(run.ttftMs),
			formatMs(run.ttfaMs),
			formatTps(run.tokensPerSecond),
			server === null ? '—' : formatTps(server),
			formatMs(run.totalMs),
			`${formatTokens(run.outputTokens, run.tokenSource === 'estimate')}${run.reasoningTokens ? ` (${run.reasoningTokens} reasoning${run.hiddenReasoning ? ', hidden' : ''})` : ''}`,
			formatCostUSD(run.costUSD),
			(run.flags ?? []).join(', '),
		].map(cell => sanitizeLine(cell));
	});
	const fitted = fitTable(columns, cells, {maxWidth: width - tableEdges, gap: tableGap});
	return {
		columns: fitted.map(entry => ({key: entry.column.title, align: entry.column.align})),
		rows: cells.map(row => Object.fromEntries(fitted.map(entry => [entry.column.title, row[entry.index]!]))),
		height: 3 + 2 * cells.length,
	};
}

/** The run the answer screen shows first: the last one with an answer (or reasoning), else the last (an index into `runs`). */
export function answeredRun(model: ModelResult): number {
	const runs = model.runs;
	for (let index = runs.length - 1; index >= 0; index--) {
		if (runs[index]!.text || runs[index]!.reasoningText) {
			return index;
		}
	}

	return Math.max(0, runs.length - 1);
}

/** The model's content; the answer (and reasoning) of `runAt` (an index into its runs, `[`/`]`), else of `answeredRun`. */
export function transcriptContent(model: ModelResult, width: number, runAt: number | null = null): TranscriptContent {
	const lines: Line[] = [];
	const push = (text: string, tone?: Tone, bold = false) => {
		for (const line of wrapLines(text, width)) {
			lines.push({text: line, tone, bold});
		}
	};

	push(
		sanitizeLine(
			[
				model.name,
				model.provider,
				model.bracket,
				`${formatPrice(model.price.outputPerM)}/M output${model.price.outputPerM !== null && model.price.source ? ` (${model.price.source})` : ''}`,
				model.baseURL,
			]
				.filter(Boolean)
				.join(' · '),
		),
		'accent',
		true,
	);
	const served = servedAsLine(model);
	if (served) {
		push(served, 'warn');
	}

	const before = [...lines, {text: ''}];
	lines.length = 0;
	lines.push(...waterfallLines(model.runs, width));
	for (const line of flagLines(model.runs)) {
		push(line, 'warn');
	}

	for (const run of model.runs) {
		if (run.interChunkMs) {
			const gaps = run.interChunkMs;
			push(
				`run ${run.index + 1} inter-chunk gaps: p50 ${gaps.p50.toFixed(1)} · p95 ${gaps.p95.toFixed(1)} · p99 ${gaps.p99.toFixed(1)} · max ${gaps.max.toFixed(1)} ms`,
				'dim',
			);
		}

		if (run.error) {
			push(
				sanitizeLine(`run ${run.index + 1}: ${run.error.kind}${run.error.status === null ? '' : ` (HTTP ${run.error.status})`}: ${run.error.message}`),
				'error',
			);
		}
	}

	const last = model.runs[Math.min(runAt ?? answeredRun(model), model.runs.length - 1)];
	const of = model.runs.length > 1 ? ` of ${model.runs.length}` : '';
	if (last?.reasoningText) {
		lines.push({text: ''});
		push(`── reasoning (run ${last.index + 1}${of}) ──`, 'dim', true);
		push(sanitizeBlock(last.reasoningText), 'dim');
	}

	lines.push({text: ''});
	push(`── answer${last ? ` (run ${last.index + 1}${of}${of ? ': [ ] another run' : ''})` : ''} ──`, 'accent', true);
	push(last?.text ? sanitizeBlock(last.text) : '(no answer text)', last?.text ? undefined : 'dim');
	return {before, table: runTable(model, width), after: lines};
}

/** Lines the whole content takes. */
export function contentHeight(content: TranscriptContent): number {
	return content.before.length + content.table.height + content.after.length;
}

/** "served as <name>" when the server said it served another model than the one asked for (sanitised); with the runs when not all of them. */
export function servedAsLine(model: ModelResult): string | null {
	const others = new Map<string, number[]>();
	for (const run of model.runs) {
		if (run.servedModel && run.servedModel !== model.id) {
			others.set(run.servedModel, [...(others.get(run.servedModel) ?? []), run.index + 1]);
		}
	}

	if (others.size === 0) {
		return null;
	}

	const all = [...others.values()].reduce((sum, runs) => sum + runs.length, 0) === model.runs.length;
	const names = [...others].map(([name, runs]) => `${name}${all && others.size === 1 ? '' : ` (run ${runs.join(', ')})`}`);
	return sanitizeLine(`served as ${names.join(' · ')}`);
}

/** Each flag any run carries, with its runs and what it means (docs/metrics.md). */
export function flagLines(runs: readonly RunRecord[]): string[] {
	return runFlags.flatMap(flag => {
		const flagged = runs.filter(run => (run.flags ?? []).includes(flag)).map(run => run.index + 1);
		return flagged.length > 0 ? [`! ${flag} (run ${flagged.join(', ')}): ${flagMeanings[flag]}`] : [];
	});
}

/** The marks of the waterfall's spans, in order. */
export const waterfallMarks = {connect: '▓', wait: '█', firstToken: '░', decode: '━'} as const;

type Span = keyof typeof waterfallMarks;

const spanOrder: readonly Span[] = ['connect', 'wait', 'firstToken', 'decode'];

const spanNames: Readonly<Record<Span, string>> = {connect: 'connect', wait: 'wait', firstToken: 'first token', decode: 'decode'};

/** The legend above the waterfall lines. */
export const waterfallLegend = `where the time went, to scale: ${spanOrder.map(span => `${waterfallMarks[span]} ${spanNames[span]}`).join(' · ')}`;

/** Cells of each span in a bar `width` cells wide, to scale (largest remainders; a span that took any time gets at least one cell when there is room). */
export function spanCells(values: readonly number[], width: number): number[] {
	const clean = values.map(value => (Number.isFinite(value) && value > 0 ? value : 0));
	const sum = clean.reduce((total, value) => total + value, 0);
	if (sum === 0 || width <= 0) {
		return clean.map(() => 0);
	}

	const exact = clean.map(value => (value / sum) * width);
	const cells = exact.map(value => Math.floor(value));
	let left = width - cells.reduce((total, value) => total + value, 0);
	for (const index of exact
		.map((value, at) => ({at, remainder: value - Math.floor(value)}))
		.sort((a, b) => b.remainder - a.remainder)
		.map(entry => entry.at)) {
		if (left <= 0) {
			break;
		}

		cells[index]!++;
		left--;
	}

	// Visible at all: a span that took time gets a cell, taken from the widest.
	for (const [index, value] of clean.entries()) {
		if (value > 0 && cells[index] === 0) {
			const widest = cells.indexOf(Math.max(...cells));
			if (cells[widest]! > 1) {
				cells[widest]!--;
				cells[index] = 1;
			}
		}
	}

	return cells;
}

/** The narrowest the bar may get before the figures lose their names. */
const waterfallBarMinimum = 12;

/**
 * Where each run's time went (docs/metrics.md "phases", via `phaseBreakdown`): a legend, then one line per run,
 * `run 1  ▓▓████░━━━━━━━━━  connect 2 ms · wait 80 ms · first token 5 ms · decode 1990 ms`, the bar to scale
 * across the run's total (the four spans fill it: they are the total less the few tenths of a ms between
 * connecting and the request's last byte), as wide for every run; "reused connection" where the socket
 * was kept alive; "—" when the run has no
 * phases (an older transcript). The figures drop their names (the legend gives the order) when the
 * bar would be narrower than 12 cells. Every line fits `width` cells (from 60 columns up).
 */
export function waterfallLines(runs: readonly RunRecord[], width: number): Line[] {
	if (runs.length === 0) {
		return [];
	}

	const label = (run: RunRecord) => `${run.warmup ? 'warm' : 'run'} ${run.index + 1}`;
	const labelWidth = Math.max(...runs.map(run => cellWidth(label(run))));
	const parts = runs.map(run => {
		const breakdown = phaseBreakdown(run);
		const values: Record<Span, number | null> = {
			connect: breakdown.connectMs,
			wait: breakdown.waitMs,
			firstToken: breakdown.firstTokenMs,
			decode: breakdown.decodeMs,
		};
		const connect = (text: string) => (run.phases?.reused === true ? 'reused connection' : text);
		const named = spanOrder
			.map(span => (span === 'connect' ? connect(`connect ${formatMs(values.connect)}`) : `${spanNames[span]} ${formatMs(values[span])}`))
			.join(' · ');
		const bare = `${spanOrder
			.map(span => {
				const value = values[span];
				const text = value === null ? '—' : String(Math.round(value));
				return span === 'connect' ? connect(text) : text;
			})
			.join(' · ')} ms`;
		return {run, values: spanOrder.map(span => values[span] ?? 0), named, bare, missing: run.phases === null || run.phases === undefined};
	});
	const lead = labelWidth + 2;
	const shown = parts.filter(part => !part.missing);
	const room = (figures: readonly string[]) => width - lead - 2 - Math.max(0, ...figures.map(figure => cellWidth(figure)));
	const withNames = room(shown.map(part => part.named)) >= waterfallBarMinimum;
	const figures = parts.map(part => (withNames ? part.named : part.bare));
	const barWidth = Math.max(1, room(shown.map(part => (withNames ? part.named : part.bare))));
	const lines: Line[] = wrapLines(waterfallLegend, width).map(text => ({text, tone: 'dim'}));
	for (const [index, part] of parts.entries()) {
		const head = label(part.run).padEnd(labelWidth);
		if (part.missing) {
			lines.push({text: `${head}  —`});
			continue;
		}

		const cells = spanCells(part.values, barWidth);
		const bar = spanOrder.map((span, at) => waterfallMarks[span].repeat(cells[at]!)).join('');
		lines.push({text: truncate(`${head}  ${bar.padEnd(barWidth)}  ${figures[index]!}`, width)});
	}

	return lines;
}

/** The answer screen's footer: the client's own error bars (docs/metrics.md "measurement"), "—" when the transcript has none. */
export function measurementLine(measurement: Measurement | null | undefined, width: number): string {
	if (!measurement) {
		return truncate('client event-loop delay —', width);
	}

	const {p50, p99, max} = measurement.eventLoopDelayMs;
	const figures = `client event-loop delay p50 ${p50.toFixed(1)} · p99 ${p99.toFixed(1)} · max ${max.toFixed(1)} ms`;
	const long = `${figures}: every stamp may be late by this much`;
	return truncate(cellWidth(long) <= width ? long : figures, width);
}
