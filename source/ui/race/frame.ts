// The race screen as lines of text: a pure function of a sample of the race and the terminal's size.
// Drawn by frame-writer.ts without Ink: building a 200×60 frame here costs well under a millisecond,
// where Ink's output stage spent tens of milliseconds a frame measuring every character.
import {formatMs, formatTokens, formatCostUSD, ordinal} from '../../core/text/format.js';
import type {ModelView} from '../../core/race/race.js';
import {cellWidth, fitCells, truncate} from '../../core/text/cells.js';
import {sanitizeBlock, sanitizeLine} from '../../core/text/sanitize.js';
import {formatShownRate, shownRate, stalledMs, stallLabel, stateLabel, stopwatchMs, thinkingLabel, thinkingMs} from './figures.js';
import {headerSegments, type RaceMeta} from '../header.js';
import {keyGuideLines} from '../key-guide.js';
import {helpLine} from '../keymap.js';
import {layoutPanels} from './layout.js';
import type {Sample} from './sampler.js';
import {fitSegments, sparkline, tailLines, wrapLines} from '../text.js';
import {clipStyled, paint, stripAnsi, ttftTone, type Segment, type Style, type Tone} from '../theme.js';

export type {RaceMeta} from '../header.js';

export type RaceFrameInput = {
	readonly meta: RaceMeta;
	readonly sample: Sample;
	readonly columns: number;
	readonly rows: number;
	readonly lanes: boolean;
	readonly runs: number;
	readonly noColor: boolean;
	/** False when stdin is not a terminal: the help line says the keys are off. */
	readonly interactive: boolean;
	/** `?` pressed: the race screen's keys instead of the panels (the race goes on). */
	readonly keyGuide?: boolean | undefined;
	/** A word in place of the help line for a moment (why `v` did nothing). */
	readonly note?: string | null | undefined;
};

/**
 * The header's status: models done and live, runs, time; before any request is sent (the engine's
 * thread, the simulator and the connections warming up), that it is warming up.
 */
export function raceStatus(snapshot: Sample['snapshot'], now: number, runs: number): string {
	const running = snapshot.models.filter(model => model.endedAt === null && model.t0 !== null).length;
	const finished = snapshot.models.filter(model => model.state === 'done' || model.state === 'error').length;
	if (!snapshot.aborted && finished === 0 && snapshot.models.every(model => model.t0 === null)) {
		return 'warming up: no request sent yet';
	}

	return `${snapshot.aborted ? 'stopping' : `${finished}/${snapshot.models.length} done`} · ${running} live · ${runs > 1 ? `${runs} runs · ` : ''}${((now - snapshot.startedAt) / 1000).toFixed(1)} s`;
}

/** Rows the frame leaves to panels or lanes: the terminal less the header, the help line and one spare row. */
export function bodyRows(rows: number): number {
	return Math.max(1, rows - 3);
}

/** The whole race screen: header, panels (or lanes), help line. Never wider than `columns - 1` nor (from 4 rows up) taller than `rows - 1`. */
export function raceFrame(input: RaceFrameInput): string[] {
	const {sample, columns, noColor} = input;
	const {snapshot, now} = sample;
	// The engine's own health, while it is poor: the stamps are late, so the screen draws less often.
	const late = sample.slowed ? ` · late ${Math.round(sample.slowed.lateMs)} ms: ${sample.slowed.framesPerSecond} fps` : '';
	const status = raceStatus(snapshot, now, input.runs) + late;
	const body = input.keyGuide
		? keyGuideLines('race', columns - 1).slice(0, bodyRows(input.rows))
		: raceBody(snapshot.models, now, sample.history, columns, bodyRows(input.rows), input.lanes, noColor);
	const lines = [
		paintSegments(headerSegments(input.meta, status, columns), noColor),
		...body,
		input.note
			? paint(truncate(input.note, columns - 1), {tone: 'warn'}, noColor)
			: paint(helpLine('race', {interactive: input.interactive, columns}), {tone: 'dim'}, noColor),
	];
	// A very narrow terminal can leave a lane or a panel row wider than the screen: cut it, never wrap.
	return lines.map(line => (line.length < columns || cellWidth(stripAnsi(line)) < columns ? line : clipStyled(line, columns - 1, cellWidth)));
}

function paintSegments(segments: readonly Segment[], noColor: boolean): string {
	return segments.map(segment => paint(segment.text, segment, noColor)).join('');
}

/** Whether panels fit `count` models in a terminal of `columns` × `rows` (else lanes are drawn, whatever `v` says). */
export function panelsFit(columns: number, rows: number, count: number): boolean {
	return layoutPanels(columns - 1, bodyRows(rows), count).mode === 'panels';
}

/** Panels in a grid when they fit, else one lane per model (with "… and N more" when even those do not). */
export function raceBody(
	models: readonly ModelView[],
	now: number,
	history: ReadonlyMap<string, readonly number[]>,
	columns: number,
	rows: number,
	lanes: boolean,
	noColor: boolean,
): string[] {
	const layout = lanes ? {mode: 'lanes' as const} : layoutPanels(columns - 1, rows, models.length);
	if (layout.mode === 'lanes') {
		if (models.length <= rows) {
			return laneLines(models, now, columns, noColor);
		}

		const shown = Math.max(1, rows - 1);
		return [
			...laneLines(models.slice(0, shown), now, columns, noColor),
			paint(truncate(`  … and ${models.length - shown} more: a taller terminal shows them`, columns - 1), {tone: 'dim'}, noColor),
		];
	}

	const lines: string[] = [];
	for (let index = 0; index < models.length; index += layout.columns) {
		const panels = models
			.slice(index, index + layout.columns)
			.map(model => panelLines(model, now, history.get(model.spec.id) ?? [], layout.panelWidth, layout.panelHeight, noColor));
		for (let line = 0; line < layout.panelHeight; line++) {
			lines.push(panels.map(panel => panel[line]!).join(''));
		}
	}

	return lines;
}

const stateTones: Partial<Record<ModelView['state'], Tone>> = {done: 'ok', error: 'error', aborted: 'warn', thinking: 'accent', streaming: 'accent'};

/** One model's panel: exactly `height` lines of exactly `width` columns, in a rounded border. */
export function panelLines(model: ModelView, now: number, history: readonly number[], width: number, height: number, noColor: boolean): string[] {
	const inner = Math.max(10, width - 4);
	const textLines = Math.max(0, height - 5);
	const stopwatch = stopwatchMs(model, now);
	const thinking = thinkingMs(model, now);
	const {live} = model;
	const place = model.place === null ? '' : ordinal(model.place);
	const title = [model.spec.name, model.spec.provider, model.bracket].filter(Boolean).join(' · ');
	const anyTokens = live !== null && live.tokens > 0;
	const tokens = anyTokens ? formatTokens(live.tokens, live.tokensEstimated && model.endedAt === null) : '';
	const measured = shownRate(model);
	const rate = measured ? `${formatShownRate(measured)} tok/s` : '';
	const error = model.state === 'error' || (model.lastError && model.lastError.kind !== 'aborted') ? model.lastError : null;
	const reasoningOnly = live !== null && live.ttfaMs === null && model.reasoningText.length > 0;
	const shown = sanitizeBlock(reasoningOnly ? model.reasoningText : model.text);
	const body = error ? wrapLines(sanitizeLine(`${error.kind}: ${error.message}`), inner).slice(0, Math.max(1, textLines)) : tailLines(shown, inner, textLines);
	const figures = fitSegments(
		[
			{text: stateLabel(model), tone: stalledMs(model) === null ? (stateTones[model.state] ?? 'dim') : 'warn'},
			...(stopwatch.ms === null ? [] : [{text: ' TTFT '}, {text: formatMs(stopwatch.ms), tone: ttftTone(stopwatch.ms), bold: stopwatch.frozen}]),
			...(thinking === null ? [] : [{text: ` ${thinkingLabel(thinking)}`}]),
		],
		inner,
	);
	const rates = fitSegments(
		ratesLine(
			rate,
			anyTokens ? history : null,
			tokens ? `  ${tokens} tok` : '',
			anyTokens && model.costSoFarUSD !== null ? `  ${formatCostUSD(model.costSoFarUSD)}` : '',
			inner,
		),
		inner,
	);
	const border: Style = {tone: model.state === 'done' ? 'ok' : model.state === 'error' ? 'error' : 'dim'};
	const side = paint('│', border, noColor);
	const row = (content: string) => `${side} ${content} ${side}`;
	const content: string[] = [
		paint(`${fitCells(sanitizeLine(title), inner - place.length - 1)} ${place}`, {bold: true}, noColor),
		segmentsLine(figures, inner, noColor),
		segmentsLine(rates, inner, noColor),
		...body.map(line => paint(fitCells(line, inner), error ? {tone: 'error'} : reasoningOnly ? {dim: true} : {}, noColor)),
	];
	const rule = '─'.repeat(Math.max(0, width - 2));
	const lines = [paint(`╭${rule}╮`, border, noColor)];
	for (let index = 0; index < height - 2; index++) {
		lines.push(row(content[index] ?? ' '.repeat(inner)));
	}

	lines.push(paint(`╰${rule}╯`, border, noColor));
	return lines;
}

const sparklineWidth = {most: 12, least: 6};

/**
 * The rates line: `tok/s ▁▃▅▇ tokens cost`. The sparkline takes the room the figures leave, up to 12
 * cells; in a narrow panel (the 3- and 5-column layouts of 120 and 200 columns are 35 cells inside)
 * the cost so far makes way for it (the leaderboard shows the cost).
 */
function ratesLine(rate: string, history: readonly number[] | null, tokens: string, cost: string, inner: number): Segment[] {
	const lead = rate ? `${rate} ` : '';
	const room = (extra: string) => inner - lead.length - tokens.length - extra.length;
	const withCost = history === null || room(cost) >= sparklineWidth.least;
	const shownCost = withCost ? cost : '';
	const spark = history === null ? '' : sparkline(history, Math.max(0, Math.min(sparklineWidth.most, room(shownCost))));
	return [{text: lead}, {text: spark, tone: 'accent'}, {text: `${tokens}${shownCost}`}];
}

/** Coloured pieces (already cut to `width` by fitSegments), padded to `width`. */
function segmentsLine(segments: readonly Segment[], width: number, noColor: boolean): string {
	let used = 0;
	let line = '';
	for (const segment of segments) {
		used += cellWidth(segment.text);
		line += paint(segment.text, segment, noColor);
	}

	return line + ' '.repeat(Math.max(0, width - used));
}

const stateMarks: Record<ModelView['state'], string> = {queued: '·', connecting: '…', thinking: '?', streaming: '»', done: '✓', error: '✗', aborted: '■'};

/** One line per model: place, state, name, a bar that grows with its tokens, TTFT, tok/s and tokens. */
export function laneLines(models: readonly ModelView[], now: number, columns: number, noColor: boolean): string[] {
	const nameWidth = Math.min(18, Math.max(8, ...models.map(model => cellWidth(sanitizeLine(model.spec.name)))));
	const most = Math.max(1, ...models.map(model => model.live?.tokens ?? 0));
	const figuresWidth = 29;
	const barWidth = Math.max(4, columns - 1 - nameWidth - figuresWidth - 8);
	return models.map(model => {
		const stopwatch = stopwatchMs(model, now);
		const tokens = model.live?.tokens ?? 0;
		const filled = Math.min(barWidth, Math.round((tokens / most) * barWidth));
		const rate = formatShownRate(shownRate(model));
		const stalled = stalledMs(model);
		const error = model.state === 'error' ? model.lastError : null;
		const lead = `${paint((model.place === null ? '' : ordinal(model.place)).padStart(4), {tone: 'ok'}, noColor)} ${paint(stateMarks[model.state], {tone: model.state === 'error' ? 'error' : 'dim'}, noColor)} ${fitCells(sanitizeLine(model.spec.name), nameWidth)} `;
		if (error) {
			return lead + paint(truncate(sanitizeLine(`${error.kind}: ${error.message}`), Math.max(0, columns - 1 - nameWidth - 8)), {tone: 'error'}, noColor);
		}

		const ttft = (stopwatch.ms === null ? '—' : formatMs(stopwatch.ms)).padStart(8);
		return (
			lead +
			paint('█'.repeat(filled), {tone: 'accent'}, noColor) +
			paint('░'.repeat(barWidth - filled), {tone: 'dim'}, noColor) +
			' ' +
			paint(ttft, {tone: stopwatch.ms === null ? undefined : ttftTone(stopwatch.ms), bold: stopwatch.frozen}, noColor) +
			' ' +
			(stalled === null ? `${rate.padStart(7)} tok/s` : paint(stallLabel(stalled).padStart(13), {tone: 'warn'}, noColor)) +
			` ${formatTokens(model.live?.tokens, model.live?.tokensEstimated ?? false).padStart(5)}`
		);
	});
}
