// The answer (transcript) screen's content: the model line, the per-run figures (an ink-table, see
// components/transcript-view.tsx), gaps, errors, reasoning (dim) and answer as wrapped lines. Pure.
// Server text (answer, reasoning, error messages, names) is sanitised here, the screen's one boundary.
import {formatMs, formatPrice, formatTokens, formatTps, formatCostUSD} from '../core/format.js';
import {serverDecodeRate} from '../core/meter.js';
import {sanitizeBlock, sanitizeLine} from '../core/sanitize.js';
import {fitTable, keepPriority, type TableColumn} from '../core/table.js';
import type {ModelResult} from '../core/types.js';
import {wrapLines} from './text.js';
import type {Tone} from './theme.js';

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
];

/** ink-table's frame: `│ ` before, ` │ ` between, ` │` after the cells; a rule above, between and below the rows. */
const tableGap = 3;
const tableEdges = 4;

export function runTable(model: ModelResult, width: number): RunTable {
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
		].map(cell => sanitizeLine(cell));
	});
	const fitted = fitTable(runColumns, cells, {maxWidth: width - tableEdges, gap: tableGap});
	return {
		columns: fitted.map(entry => ({key: entry.column.title, align: entry.column.align})),
		rows: cells.map(row => Object.fromEntries(fitted.map(entry => [entry.column.title, row[entry.index]!]))),
		height: 3 + (2 * cells.length),
	};
}

export function transcriptContent(model: ModelResult, width: number): TranscriptContent {
	const lines: Line[] = [];
	const push = (text: string, tone?: Tone, bold = false) => {
		for (const line of wrapLines(text, width)) {
			lines.push({text: line, tone, bold});
		}
	};

	push(sanitizeLine([model.name, model.provider, model.bracket, `${formatPrice(model.price.outputPerM)}/M output${model.price.outputPerM !== null && model.price.source ? ` (${model.price.source})` : ''}`, model.baseURL].filter(Boolean).join(' · ')), 'accent', true);
	const before = [...lines, {text: ''}];
	lines.length = 0;
	for (const run of model.runs) {
		if (run.interChunkMs) {
			const gaps = run.interChunkMs;
			push(`run ${run.index + 1} inter-chunk gaps: p50 ${gaps.p50.toFixed(1)} · p95 ${gaps.p95.toFixed(1)} · p99 ${gaps.p99.toFixed(1)} · max ${gaps.max.toFixed(1)} ms`, 'dim');
		}

		if (run.error) {
			push(sanitizeLine(`run ${run.index + 1}: ${run.error.kind}${run.error.status === null ? '' : ` (HTTP ${run.error.status})`}: ${run.error.message}`), 'error');
		}
	}

	const last = [...model.runs].reverse().find(run => run.text || run.reasoningText) ?? model.runs.at(-1);
	if (last?.reasoningText) {
		lines.push({text: ''});
		push(`── reasoning (run ${last.index + 1}) ──`, 'dim', true);
		push(sanitizeBlock(last.reasoningText), 'dim');
	}

	lines.push({text: ''});
	push(`── answer${last ? ` (run ${last.index + 1})` : ''} ──`, 'accent', true);
	push(last?.text ? sanitizeBlock(last.text) : '(no answer text)', last?.text ? undefined : 'dim');
	return {before, table: runTable(model, width), after: lines};
}

/** Lines the whole content takes. */
export function contentHeight(content: TranscriptContent): number {
	return content.before.length + content.table.height + content.after.length;
}
