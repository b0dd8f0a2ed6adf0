// The transcript screen's content as lines: figures per run, gaps, reasoning (dim) and answer. Pure.
import {formatMs, formatPrice, formatTokens, formatTps, formatCostUSD} from '../core/format.js';
import {serverDecodeRate} from '../core/meter.js';
import type {ModelResult} from '../core/types.js';
import {cleanText} from './cells.js';
import {wrapLines} from './text.js';
import type {Tone} from './theme.js';

export type Line = {readonly text: string; readonly tone?: Tone | undefined; readonly bold?: boolean};

export function transcriptLines(model: ModelResult, width: number): Line[] {
	const lines: Line[] = [];
	const push = (text: string, tone?: Tone, bold = false) => {
		for (const line of wrapLines(text, width)) {
			lines.push({text: line, tone, bold});
		}
	};

	push([model.name, model.provider, model.bracket, `${formatPrice(model.price.outputPerM)}/M output${model.price.outputPerM !== null && model.price.source ? ` (${cleanText(model.price.source)})` : ''}`, model.baseURL].filter(Boolean).join(' · '), 'accent', true);
	const header = ['run', 'status', 'TTFT', 'TTFA', 'tok/s', 'server tok/s', 'total', 'tokens', 'cost'];
	const rows = model.runs.map(run => {
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
		];
	});
	const widths = header.map((title, column) => Math.max(title.length, ...rows.map(row => row[column]!.length)));
	const format = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
	lines.push({text: ''});
	push(format(header), 'dim');
	for (const row of rows) {
		push(format(row));
	}

	for (const run of model.runs) {
		if (run.interChunkMs) {
			const gaps = run.interChunkMs;
			push(`run ${run.index + 1} inter-chunk gaps: p50 ${gaps.p50.toFixed(1)} · p95 ${gaps.p95.toFixed(1)} · p99 ${gaps.p99.toFixed(1)} · max ${gaps.max.toFixed(1)} ms`, 'dim');
		}

		if (run.error) {
			push(`run ${run.index + 1}: ${run.error.kind}${run.error.status === null ? '' : ` (HTTP ${run.error.status})`}: ${run.error.message}`, 'error');
		}
	}

	const last = [...model.runs].reverse().find(run => run.text || run.reasoningText) ?? model.runs.at(-1);
	if (last?.reasoningText) {
		lines.push({text: ''});
		push(`── reasoning (run ${last.index + 1}) ──`, 'dim', true);
		push(last.reasoningText, 'dim');
	}

	lines.push({text: ''});
	push(`── answer${last ? ` (run ${last.index + 1})` : ''} ──`, 'accent', true);
	push(last?.text ? last.text : '(no answer text)', last?.text ? undefined : 'dim');
	return lines;
}
