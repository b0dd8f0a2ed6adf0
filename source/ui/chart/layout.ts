// The chart view's speed map as a pure description: axes, ticks, one point per model, labels that
// do not collide, the fastest trade-offs, and the lines of text ready to draw. No Ink, no I/O.
// Widths are terminal cells (string-width); every line fits `width` cells, the whole view `height` lines.
// Its parts: chart-types (the shapes), chart-axes, chart-labels (marks and labels), chart-segments (styled lines), chart-draw (one plot size).
import {fitCells} from '../../core/text/cells.js';
import type {ModelResult} from '../../core/types.js';
import {paddedRange, xTitles, yTitle} from './axes.js';
import {buildLayout, legendSegments} from './draw.js';
import {safeName, type Candidate} from './labels.js';
import {cellWidth, lineWidth} from './segments.js';
import type {ChartAxis, ChartInput, ChartLayout, ChartLine, NotPlotted} from './types.js';

export type {ChartAxis, ChartAxisLayout, ChartInput, ChartLayout, ChartLine, ChartPoint, ChartSegment, LabelKind, NotPlotted, Tick} from './types.js';
export {paddedRange, xTitles, yTitle} from './axes.js';
export {bracketMarks, bracketTone, frontSuffix, safeName} from './labels.js';
export {fitLine, lineText, lineWidth} from './segments.js';

const minPlotHeight = 3;

/** A model's place on the chart: x = median TTFT (TTFA when it reasons) or its output price, y = median tok/s; or why it has none. */
function figuresOf(model: ModelResult, xAxis: ChartAxis): Candidate | NotPlotted {
	const base = {id: model.id, name: safeName(model.name)};
	if (model.summary.ok === 0) {
		return {...base, reason: 'no completed run'};
	}

	const y = model.summary.tokensPerSecond?.median;
	let x: number | null | undefined;
	if (xAxis === 'price') {
		x = model.price.outputPerM;
		if (x === null || x === undefined || !Number.isFinite(x)) {
			return {...base, reason: 'no price'};
		}
	} else {
		x = model.reasoning ? model.summary.ttfaMs?.median : model.summary.ttftMs?.median;
		if (x === null || x === undefined || !Number.isFinite(x)) {
			return {...base, reason: 'no TTFT'};
		}
	}

	if (y === null || y === undefined || !Number.isFinite(y)) {
		return {...base, reason: 'no tok/s'};
	}

	return {model, x, y};
}

/**
 * The fastest trade-offs among points (x lower is better, y higher is better): those no other point
 * dominates, i.e. is at least as good on both and strictly better on one. Equal points are all kept.
 */
export function paretoFront<T extends {readonly x: number; readonly y: number}>(points: readonly T[]): T[] {
	return points.filter(point => !points.some(other => other !== point && other.x <= point.x && other.y >= point.y && (other.x < point.x || other.y > point.y)));
}

/** Ids of the models on the fastest trade-off front for an axis (TTFT/TTFA or price against tok/s). */
export function fastestTradeOffs(models: readonly ModelResult[], xAxis: ChartAxis): string[] {
	const candidates = models.map(model => figuresOf(model, xAxis)).filter((entry): entry is Candidate => 'model' in entry);
	return paretoFront(candidates).map(candidate => candidate.model.id);
}

function emptyLayout(message: string, width: number, notPlotted: readonly NotPlotted[], xAxis: ChartAxis): ChartLayout {
	return {
		message,
		plot: {left: 0, top: 0, width: 0, height: 0},
		x: {title: xTitles[xAxis], min: 0, max: 0, ticks: []},
		y: {title: yTitle, min: 0, max: 0, ticks: []},
		points: [],
		front: [],
		notPlotted,
		footnotes: [],
		lines: [[{text: fitCells(message, width).trimEnd()}]],
	};
}

/** The whole chart view as lines of at most `width` cells, at most `height` of them. */
export function chartLayout(input: ChartInput): ChartLayout {
	const {models, xAxis, selectedId, noColor} = input;
	const width = Math.max(0, Math.floor(input.width));
	const height = Math.max(0, Math.floor(input.height));
	const label = input.bracketLabel ?? 'this bracket';
	const figures = models.map(model => figuresOf(model, xAxis));
	const candidates = figures.filter((entry): entry is Candidate => 'model' in entry);
	const notPlotted = figures.filter((entry): entry is NotPlotted => !('model' in entry));
	if (width === 0 || height === 0) {
		return {...emptyLayout('', width, notPlotted, xAxis), lines: []};
	}

	if (candidates.length === 0) {
		const completed = models.some(model => model.summary.ok > 0);
		const message = !completed
			? `no completed run in ${label}`
			: xAxis === 'price'
				? `no model with a price and a completed run in ${label}`
				: `no model with TTFT and tok/s in ${label}`;
		return emptyLayout(message, width, notPlotted, xAxis);
	}

	const frontIds = new Set(paretoFront(candidates).map(candidate => candidate.model.id));
	const xRange = paddedRange(candidates.map(candidate => candidate.x));
	const yRange = paddedRange(candidates.map(candidate => candidate.y));
	const selectedModel = models.find(model => model.id === selectedId);
	const brackets = new Set(candidates.map(candidate => candidate.model.bracket ?? 'none'));
	const anyReasoning = candidates.some(candidate => candidate.model.reasoning);
	// The legend on the title line when it fits, else on a line of its own; the TTFA note only where it fits.
	const legendFull = legendSegments(brackets, frontIds.size > 0, anyReasoning, xAxis, noColor);
	const legendShort = legendSegments(brackets, frontIds.size > 0, false, xAxis, noColor);
	const besideTitle = (legend: ChartLine) => cellWidth(yTitle) + 3 + lineWidth(legend) <= width;
	const legendOnTop = besideTitle(legendFull) || besideTitle(legendShort);
	const legend = legendOnTop ? (besideTitle(legendFull) ? legendFull : legendShort) : lineWidth(legendFull) <= width ? legendFull : legendShort;
	const xTitle = xTitles[xAxis];

	const notPlottedText = notPlotted.length === 0 ? null : `not plotted: ${notPlotted.map(entry => `${entry.name} (${entry.reason})`).join(', ')}`;
	const frontNames = candidates.filter(candidate => frontIds.has(candidate.model.id)).map(candidate => safeName(candidate.model.name));
	const frontText = `fastest trade-offs${xAxis === 'price' ? ' (cheaper and faster)' : ''}: ${frontNames.join(', ')}`;

	// Lines around the plot, dropped in this order when the terminal is short; the list of numbered names is cut last.
	const options = {
		front: true,
		notPlotted: notPlottedText !== null,
		legend: true,
		selected: selectedModel !== undefined,
	};
	const drops: Array<keyof typeof options> = ['front', 'notPlotted', 'legend', 'selected'];
	for (let attempt = 0; attempt <= drops.length + 1; attempt++) {
		const last = attempt > drops.length;
		const fixed = 3 + (options.legend && !legendOnTop ? 1 : 0) + (options.notPlotted ? 1 : 0) + (options.front ? 1 : 0) + (options.selected ? 1 : 0);
		// Lines whose number depends on the plot's size: the list of numbered names, an x title on its own line.
		let extraLines = 0;
		for (let pass = 0; pass < 6; pass++) {
			const plotHeight = height - fixed - extraLines;
			if (plotHeight < minPlotHeight) {
				break;
			}

			const built = buildLayout({
				candidates,
				frontIds,
				selectedId,
				noColor,
				xAxis,
				xTitle,
				width,
				plotHeight,
				xRange,
				yRange,
				legend: options.legend ? legend : null,
				legendOnTop,
				notPlottedText: options.notPlotted ? notPlottedText : null,
				frontText: options.front ? frontText : null,
				selected: options.selected ? selectedModel : undefined,
				notPlotted,
				maxFootnoteLines: last ? height - fixed - minPlotHeight - 1 : Number.POSITIVE_INFINITY,
			});
			if (!built) {
				break;
			}

			if (built.layout.lines.length <= height) {
				return built.layout;
			}

			if (built.extraLines <= extraLines) {
				break;
			}

			extraLines = built.extraLines;
		}

		const drop = drops.find(key => options[key]);
		if (drop) {
			options[drop] = false;
		}
	}

	return emptyLayout('the terminal is too small for the chart', width, notPlotted, xAxis);
}
