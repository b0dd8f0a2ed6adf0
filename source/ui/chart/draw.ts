// One chart at a given plot height: the plot's rows, the x axis and its labels, the legend, the numbered names and the selected model's line.
import {formatMs, formatPrice, formatTps} from '../../core/text/format.js';
import type {BracketName, ModelResult} from '../../core/types.js';
import {fitCells} from '../../core/text/cells.js';
import {ttftTone} from '../theme.js';
import {xTicks, yTicks, yTitle} from './axes.js';
import {bracketMarks, bracketTone, bracketTones, frontSuffix, placePoints, safeName, type Candidate, type Placed} from './labels.js';
import {cellWidth, fitLine, lineOf, lineWidth, mergePlain, packLines, toneSegment, type Item} from './segments.js';
import type {ChartAxis, ChartLayout, ChartLine, ChartPoint, ChartSegment, NotPlotted} from './types.js';

const minPlotWidth = 16;

export function legendSegments(
	brackets: ReadonlySet<BracketName | 'none'>,
	anyFront: boolean,
	anyReasoning: boolean,
	xAxis: ChartAxis,
	noColor: boolean,
): ChartSegment[] {
	const names: Record<BracketName | 'none', string> = {'ultra-budget': 'ultra-budget', budget: 'budget', mid: 'mid', premium: 'premium', none: 'no price'};
	const segments: ChartSegment[] = [];
	for (const bracket of ['ultra-budget', 'budget', 'mid', 'premium', 'none'] as const) {
		if (!brackets.has(bracket)) {
			continue;
		}

		if (segments.length > 0) {
			segments.push({text: '  '});
		}

		segments.push(toneSegment(`${bracketMarks[bracket]} ${names[bracket]}`, bracketTones[bracket], noColor));
	}

	if (anyFront) {
		segments.push({text: '  '}, toneSegment(`${frontSuffix} fastest trade-off`, undefined, noColor, {bold: true}));
	}

	if (anyReasoning && xAxis === 'ttft') {
		segments.push({text: '  '}, toneSegment('x: TTFA if it reasons', 'dim', noColor));
	}

	return segments;
}

/** The selected model's figures in one line: the most detailed variant that fits `width`. */
export function selectedLine(model: ModelResult, point: Placed | undefined, reason: NotPlotted | undefined, width: number, noColor: boolean): ChartSegment[] {
	const name = safeName(model.name);
	const bracket = model.bracket ?? 'no price';
	const price = model.price.outputPerM === null ? '' : ` ${formatPrice(model.price.outputPerM)}/M`;
	const head = toneSegment(`› ${name}`, 'selected', noColor, {inverse: true});
	if (!point) {
		return fitLine([head, {text: ` · ${bracket}${price} · not plotted (${reason?.reason ?? 'no figures'})`}], width);
	}

	const {summary} = model;
	const speed = ` · ${formatTps(summary.tokensPerSecond?.median)} tok/s`;
	// The wait a reader feels, coloured as everywhere (docs/metrics.md "TTFT feel"): the first answer token when the model reasons.
	const waitMs = model.reasoning ? summary.ttfaMs?.median : summary.ttftMs?.median;
	const wait = [
		{text: ` · ${model.reasoning ? 'TTFA' : 'TTFT'} `},
		toneSegment(formatMs(waitMs), waitMs === undefined ? undefined : ttftTone(waitMs), noColor),
	];
	const thinking = model.reasoning ? ` (TTFT ${formatMs(summary.ttftMs?.median)})` : '';
	const runs = summary.ok > 1 ? ` · median of ${summary.ok}` : '';
	const front = point.front ? [{text: ' · '}, toneSegment('fastest trade-off', undefined, noColor, {bold: true})] : [];
	const star = point.front ? [{text: ' '}, toneSegment(frontSuffix, undefined, noColor, {bold: true})] : [];
	const where = {text: ` · ${bracket}${price}`};
	const variants: ChartSegment[][] = [
		[head, where, ...wait, {text: `${thinking}${speed}${runs}`}, ...front],
		[head, where, ...wait, {text: `${thinking}${speed}`}, ...front],
		[head, where, ...wait, {text: `${thinking}${speed}`}, ...star],
		[head, where, ...wait, {text: speed}, ...star],
		[head, {text: ` · ${price.trim() || bracket}`}, ...wait, {text: speed}, ...star],
		[head, ...wait, {text: speed}, ...star],
	];
	return mergePlain(fitLine(variants.find(variant => lineWidth(variant) <= width) ?? variants.at(-1)!, width));
}

export type BuildInput = {
	readonly candidates: readonly Candidate[];
	readonly frontIds: ReadonlySet<string>;
	readonly selectedId: string | null;
	readonly noColor: boolean;
	readonly xAxis: ChartAxis;
	readonly xTitle: string;
	readonly width: number;
	readonly plotHeight: number;
	readonly xRange: {min: number; max: number};
	readonly yRange: {min: number; max: number};
	readonly legend: ChartSegment[] | null;
	readonly legendOnTop: boolean;
	readonly notPlottedText: string | null;
	readonly frontText: string | null;
	readonly selected: ModelResult | undefined;
	readonly notPlotted: readonly NotPlotted[];
	readonly maxFootnoteLines: number;
};

/** The plot's rows: the y axis with its ticks on the left, the marks and labels of the placed points. */
function plotLines(
	placed: readonly Placed[],
	ticksY: ReturnType<typeof yTicks>,
	gutter: number,
	plotWidth: number,
	plotHeight: number,
	noColor: boolean,
): ChartLine[] {
	const rowItems: Item[][] = Array.from({length: plotHeight}, () => []);
	for (const point of placed) {
		const bracket = point.candidate.model.bracket;
		const tone = bracketTone(bracket);
		const mark = bracketMarks[bracket ?? 'none'];
		if (point.under !== null) {
			continue;
		}

		rowItems[point.row]!.push({
			col: point.col,
			cells: 1,
			segment: toneSegment(mark, point.selected ? 'selected' : tone, noColor, {bold: point.front, inverse: point.selected}),
		});
		if (point.labelCol !== null && point.labelRow !== null && point.label) {
			rowItems[point.labelRow]!.push({
				col: point.labelCol,
				cells: cellWidth(point.label),
				segment: toneSegment(point.label, point.selected ? 'selected' : tone, noColor, {bold: point.front, inverse: point.selected}),
			});
		}
	}

	const lines: ChartLine[] = [];
	for (let row = 0; row < plotHeight; row++) {
		const tick = ticksY.find(entry => entry.at === row);
		const axis = toneSegment(`${(tick?.label ?? '').padStart(gutter - 1)} ${tick ? '┤' : '│'}`, 'dim', noColor);
		const body = lineOf(rowItems[row]!, plotWidth);
		lines.push(mergePlain([axis, ...body]));
	}

	return lines;
}

/** The x axis, its tick labels and its title at the right end (on a line of its own when it would leave fewer than two labels). */
function xAxisLines(
	ticksX: ReturnType<typeof xTicks>,
	gutter: number,
	plotWidth: number,
	width: number,
	xTitle: string,
	noColor: boolean,
): {lines: ChartLine[]; extraLines: number} {
	const left = gutter + 1;
	const axisCells = Array.from({length: plotWidth}, (_, col) => (ticksX.some(tick => tick.at === col) ? '┬' : '─')).join('');
	const lines: ChartLine[] = [[toneSegment(`${' '.repeat(gutter)}└${axisCells}`, 'dim', noColor)]];
	const titleCells = cellWidth(xTitle);
	const tickLine = (end: number) => {
		const items: Item[] = [];
		let used = 0;
		for (const tick of ticksX) {
			const cells = cellWidth(tick.label);
			const col = Math.min(width - cells, Math.max(used, left + tick.at - Math.floor(cells / 2)));
			if (col < used || col + cells > end) {
				continue;
			}

			items.push({col, cells, segment: toneSegment(tick.label, 'dim', noColor)});
			used = col + cells + 1;
		}

		return {items, used};
	};

	const beside = tickLine(width - titleCells - 2);
	if (beside.items.length >= Math.min(2, ticksX.length)) {
		lines.push(lineOf([...beside.items, {col: Math.max(beside.used, width - titleCells), cells: titleCells, segment: {text: xTitle, bold: true}}], width));
		return {lines, extraLines: 0};
	}

	lines.push(
		lineOf(tickLine(width).items, width),
		lineOf([{col: Math.max(0, width - titleCells), cells: titleCells, segment: {text: xTitle, bold: true}}], width),
	);
	return {lines, extraLines: 1};
}

/** Names standing behind numbers, and points that got no label at all (where they are, by their figures): at most `maxLines` lines. */
function footnoteLines(
	placed: readonly Placed[],
	xAxis: ChartAxis,
	width: number,
	maxLines: number,
	noColor: boolean,
): {footnotes: string[]; lines: ChartLine[]; count: number} {
	const entries = placed
		.filter(point => point.labelKind === 'number' || point.labelKind === 'none')
		.sort((a, b) => (a.number ?? Number.POSITIVE_INFINITY) - (b.number ?? Number.POSITIVE_INFINITY) || a.col - b.col);
	const nameOf = (id: string) => safeName(placed.find(point => point.candidate.model.id === id)?.candidate.model.name ?? id);
	const footnotes = entries.map(point => {
		const name = safeName(point.candidate.model.name);
		if (point.number !== null) {
			return `${point.number} ${name}`;
		}

		const mark = bracketMarks[point.candidate.model.bracket ?? 'none'];
		const x = xAxis === 'price' ? `${formatPrice(point.candidate.x)}/M` : formatMs(point.candidate.x);
		const where = `${x}, ${formatTps(point.candidate.y)} tok/s${point.under === null ? '' : `, under ${nameOf(point.under)}`}`;
		return `${mark} ${name} (${where})`;
	});
	const segments = entries.map((point, index) =>
		toneSegment(footnotes[index]!, point.selected ? 'selected' : bracketTone(point.candidate.model.bracket), noColor, {
			inverse: point.selected,
			bold: point.front,
		}),
	);
	const packed = packLines(segments, width);
	if (packed.length <= maxLines) {
		return {footnotes, lines: packed, count: packed.length};
	}

	// No room to list every numbered name: keep what fits and say the list goes on.
	const kept = packed.slice(0, Math.max(0, maxLines));
	if (kept.length > 0) {
		kept[kept.length - 1] = [...fitLine(kept.at(-1)!, width - 2), {text: ' …'}];
	}

	return {footnotes, lines: kept, count: Math.min(packed.length, maxLines)};
}

function chartPoint(point: Placed): ChartPoint {
	return {
		id: point.candidate.model.id,
		name: safeName(point.candidate.model.name),
		bracket: point.candidate.model.bracket,
		reasoning: point.candidate.model.reasoning,
		x: point.candidate.x,
		y: point.candidate.y,
		col: point.col,
		row: point.row,
		mark: bracketMarks[point.candidate.model.bracket ?? 'none'],
		front: point.front,
		selected: point.selected,
		label: point.labelCol === null ? '' : point.label,
		labelKind: point.labelKind,
		labelCol: point.labelCol,
		labelRow: point.labelRow,
		number: point.number,
		under: point.under,
	};
}

export function buildLayout(input: BuildInput): {layout: ChartLayout; extraLines: number} | null {
	const {candidates, frontIds, selectedId, noColor, xAxis, xTitle, width, plotHeight, xRange, yRange} = input;
	const ticksY = yTicks(yRange.min, yRange.max, plotHeight);
	// The y tick labels right-aligned in a gutter, a space, the axis, then the plot.
	const gutter = Math.max(0, ...ticksY.map(tick => cellWidth(tick.label))) + 1;
	const left = gutter + 1;
	const plotWidth = width - left;
	if (plotWidth < minPlotWidth) {
		return null;
	}

	const placed = placePoints(candidates, frontIds, selectedId, plotWidth, plotHeight, xRange.min, xRange.max, yRange.min, yRange.max);
	const ticksX = xTicks(xRange.min, xRange.max, plotWidth, xAxis);
	// Top: the y title, and the legend on the right when it fits.
	const top: ChartSegment[] = [{text: yTitle}];
	if (input.legend && input.legendOnTop) {
		top.push({text: ' '.repeat(Math.max(3, width - cellWidth(yTitle) - lineWidth(input.legend)))}, ...input.legend);
	}

	const axis = xAxisLines(ticksX, gutter, plotWidth, width, xTitle, noColor);
	const notes = footnoteLines(placed, xAxis, width, input.maxFootnoteLines, noColor);
	const lines: ChartLine[] = [mergePlain(top), ...plotLines(placed, ticksY, gutter, plotWidth, plotHeight, noColor), ...axis.lines];
	if (input.legend && !input.legendOnTop) {
		lines.push(fitLine(input.legend, width));
	}

	lines.push(...notes.lines);
	if (input.notPlottedText) {
		lines.push([toneSegment(fitCells(input.notPlottedText, width).trimEnd(), 'dim', noColor)]);
	}

	if (input.frontText) {
		lines.push([{text: fitCells(input.frontText, width).trimEnd()}]);
	}

	if (input.selected) {
		const point = placed.find(entry => entry.candidate.model.id === input.selected!.id);
		const reason = input.notPlotted.find(entry => entry.id === input.selected!.id);
		lines.push(selectedLine(input.selected, point, reason, width, noColor));
	}

	return {
		extraLines: axis.extraLines + notes.count,
		layout: {
			message: null,
			plot: {left, top: 1, width: plotWidth, height: plotHeight},
			x: {title: xTitle, min: xRange.min, max: xRange.max, ticks: ticksX},
			y: {title: yTitle, min: yRange.min, max: yRange.max, ticks: ticksY},
			points: placed.map(point => chartPoint(point)),
			front: candidates.filter(candidate => frontIds.has(candidate.model.id)).map(candidate => candidate.model.id),
			notPlotted: input.notPlotted,
			footnotes: notes.footnotes,
			lines: lines.map(line => fitLine(line, width)),
		},
	};
}
