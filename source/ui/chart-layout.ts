// The chart view's speed map as a pure description: axes, ticks, one point per model, labels that
// do not collide, the fastest trade-offs, and the lines of text ready to draw. No Ink, no I/O.
// Widths are terminal cells (string-width); every line fits `width` cells, the whole view `height` lines.
import {formatMs, formatPrice, formatTps} from '../core/format.js';
import type {BracketName, ModelResult} from '../core/types.js';
import {cellWidth as measuredWidth, fitCells} from '../core/cells.js';
import {sanitizeLine} from '../core/sanitize.js';
import {colourOf, ttftTone, type Tone} from './theme.js';
import {fitSegments} from './text.js';

export type ChartAxis = 'ttft' | 'price';

export type ChartSegment = {
	readonly text: string;
	readonly tone?: Tone | undefined;
	/** The colour to draw with (the tone's, none under NO_COLOR). */
	readonly color?: string | undefined;
	readonly bold?: boolean | undefined;
	readonly inverse?: boolean | undefined;
};

/** One line of the view: segments drawn side by side, at most `width` cells in all. */
export type ChartLine = readonly ChartSegment[];

export type LabelKind = 'full' | 'short' | 'number' | 'none';

export type ChartPoint = {
	readonly id: string;
	readonly name: string;
	readonly bracket: BracketName | null;
	readonly reasoning: boolean;
	/** x: TTFT in ms (TTFA when the model reasons), or $/M output. */
	readonly x: number;
	/** y: median tok/s. */
	readonly y: number;
	/** Cell of the mark inside the plot area (0,0 top left). */
	readonly col: number;
	readonly row: number;
	readonly mark: string;
	/** On the Pareto front: no other model at least as good on both axes and better on one. */
	readonly front: boolean;
	readonly selected: boolean;
	/** The label as drawn in the plot (with a `*` suffix on the front); '' when none fits. */
	readonly label: string;
	readonly labelKind: LabelKind;
	/** Plot cell where the label starts (a number may sit just above or below its mark), null when none is drawn. */
	readonly labelCol: number | null;
	readonly labelRow: number | null;
	/** The id of the point whose mark covers this one's (no free cell near it): then it is only named below the plot. */
	readonly under: string | null;
	/** The number standing for the name (listed below the plot), when the name did not fit. */
	readonly number: number | null;
};

export type NotPlotted = {
	readonly id: string;
	readonly name: string;
	readonly reason: 'no completed run' | 'no TTFT' | 'no tok/s' | 'no price';
};

export type Tick = {
	readonly value: number;
	readonly label: string;
	/** Plot column (x) or plot row (y). */
	readonly at: number;
};

export type ChartAxisLayout = {
	readonly title: string;
	readonly min: number;
	readonly max: number;
	readonly ticks: readonly Tick[];
};

export type ChartLayout = {
	/** The one line shown instead of a plot (nothing to plot, or no room), else null. */
	readonly message: string | null;
	/** The plot area inside the lines: `left` cells of y-axis gutter, `top` lines above it. */
	readonly plot: {readonly left: number; readonly top: number; readonly width: number; readonly height: number};
	readonly x: ChartAxisLayout;
	readonly y: ChartAxisLayout;
	readonly points: readonly ChartPoint[];
	/** Ids of the fastest trade-offs, in the order of `models`. */
	readonly front: readonly string[];
	readonly notPlotted: readonly NotPlotted[];
	/** "n name" for every point whose label is a number. */
	readonly footnotes: readonly string[];
	readonly lines: readonly ChartLine[];
};

export type ChartInput = {
	readonly models: readonly ModelResult[];
	readonly xAxis: ChartAxis;
	readonly selectedId: string | null;
	/** Cells available for a line. */
	readonly width: number;
	/** Lines available for the whole view. */
	readonly height: number;
	readonly noColor: boolean;
	/** What the models are, for the line shown when none can be plotted: "budget", "all models". */
	readonly bracketLabel?: string | undefined;
};

/** Shape per bracket, so the chart reads without colour. */
export const bracketMarks: Readonly<Record<BracketName | 'none', string>> = {
	'ultra-budget': '●',
	budget: '▲',
	mid: '■',
	premium: '◆',
	none: '○',
};

const bracketTones: Readonly<Record<BracketName | 'none', Tone>> = {
	'ultra-budget': 'ok',
	budget: 'accent',
	mid: 'warn',
	premium: 'slow',
	none: 'dim',
};

/** The tone a bracket's points are drawn in. */
export function bracketTone(bracket: BracketName | null): Tone {
	return bracketTones[bracket ?? 'none'];
}

export const frontSuffix = '*';
export const xTitles: Readonly<Record<ChartAxis, string>> = {ttft: 'TTFT (ms) →', price: '$/M output →'};
export const yTitle = 'tok/s ↑';
const minPlotWidth = 16;
const minPlotHeight = 3;
const minShortCells = 5;

// What the chart draws on every line (Latin text, box drawing, arrows, …, the bracket shapes) is one cell
// per character: measured by length; anything else (a model's name in CJK, an emoji) by string-width.
const narrowOnly = /^[\u0020-\u007E\u00A0-\u00AC\u00AE-\u02FF\u2010-\u2027\u2030-\u205E\u2190-\u21FF\u2500-\u259F\u25A0\u25B2\u25C6\u25CB\u25CF]*$/;

function cellWidth(text: string): number {
	return narrowOnly.test(text) ? text.length : measuredWidth(text);
}

type Candidate = {
	readonly model: ModelResult;
	readonly x: number;
	readonly y: number;
};

/** A model's name as one safe line of text. */
export function safeName(name: string): string {
	return sanitizeLine(name).trim() || '?';
}

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
	return points.filter(point => !points.some(other => other !== point
		&& other.x <= point.x && other.y >= point.y
		&& (other.x < point.x || other.y > point.y)));
}

/** Ids of the models on the fastest trade-off front for an axis (TTFT/TTFA or price against tok/s). */
export function fastestTradeOffs(models: readonly ModelResult[], xAxis: ChartAxis): string[] {
	const candidates = models.map(model => figuresOf(model, xAxis)).filter((entry): entry is Candidate => 'model' in entry);
	return paretoFront(candidates).map(candidate => candidate.model.id);
}

/** 1, 2, 2.5 or 5 × 10^k, the smallest at least `raw`. */
function niceStep(raw: number): number {
	if (!(raw > 0) || !Number.isFinite(raw)) {
		return 1;
	}

	const power = 10 ** Math.floor(Math.log10(raw));
	const fraction = raw / power;
	const nice = fraction <= 1 ? 1 : (fraction <= 2 ? 2 : (fraction <= 2.5 ? 2.5 : (fraction <= 5 ? 5 : 10)));
	return nice * power;
}

function decimalsOf(step: number): number {
	for (let decimals = 0; decimals < 8; decimals++) {
		const scaled = step * (10 ** decimals);
		if (Math.abs(scaled - Math.round(scaled)) < 1e-6) {
			return decimals;
		}
	}

	return 8;
}

function tickValues(min: number, max: number, step: number): number[] {
	const values: number[] = [];
	const first = Math.ceil((min - (step * 1e-9)) / step);
	const last = Math.floor((max + (step * 1e-9)) / step);
	for (let k = first; k <= last && values.length < 200; k++) {
		values.push(Number((k * step).toFixed(10)));
	}

	return values;
}

/** The range of values padded 5 % each side (one value or equal values: ±50 %), not below 0 when no value is. */
export function paddedRange(values: readonly number[]): {min: number; max: number} {
	const lo = Math.min(...values);
	const hi = Math.max(...values);
	const span = hi - lo;
	const pad = span > 0 ? span * 0.05 : (Math.abs(hi) > 0 ? Math.abs(hi) * 0.5 : 1);
	const min = lo >= 0 ? Math.max(0, lo - pad) : lo - pad;
	return {min, max: hi + pad};
}

function scale(value: number, min: number, max: number, cells: number): number {
	if (cells <= 1 || max <= min) {
		return 0;
	}

	return Math.min(cells - 1, Math.max(0, Math.round(((value - min) / (max - min)) * (cells - 1))));
}

function formatTick(value: number, step: number, xAxis: ChartAxis | 'y'): string {
	return xAxis === 'price' ? `$${value.toFixed(Math.max(2, decimalsOf(step)))}` : value.toFixed(decimalsOf(step));
}

function yTicks(min: number, max: number, rows: number): Tick[] {
	const attempt = (target: number) => {
		const step = niceStep((max - min) / target);
		const ticks = tickValues(min, max, step).map(value => ({value, label: formatTick(value, step, 'y'), at: rows - 1 - scale(value, min, max, rows)}));
		return {ticks, distinct: new Set(ticks.map(tick => tick.at)).size === ticks.length};
	};

	let target = Math.max(2, Math.floor(rows / 4));
	// A finer step when the nice one leaves a single tick (6–90 tok/s on 15 rows: 50 alone), while the rows tell them apart.
	for (let finer = target; finer <= Math.max(4, rows * 2); finer += 0.25) {
		const {ticks, distinct} = attempt(finer);
		if (!distinct) {
			break;
		}

		if (ticks.length >= 2) {
			return ticks;
		}
	}

	for (;;) {
		const {ticks, distinct} = attempt(target);
		if ((distinct && ticks.length <= Math.max(2, rows)) || target <= 1) {
			return distinct ? ticks : ticks.filter((tick, index) => ticks.findIndex(other => other.at === tick.at) === index);
		}

		target--;
	}
}

function xTicks(min: number, max: number, cells: number, xAxis: ChartAxis): Tick[] {
	const attempt = (target: number) => {
		const step = niceStep((max - min) / Math.max(1, target));
		const ticks = tickValues(min, max, step).map(value => ({value, label: formatTick(value, step, xAxis), at: scale(value, min, max, cells)}));
		const apart = ticks.every((tick, index) => index === 0
			|| tick.at - ticks[index - 1]!.at >= Math.ceil(cellWidth(ticks[index - 1]!.label) / 2) + Math.ceil(cellWidth(tick.label) / 2) + 2);
		return apart ? ticks : null;
	};

	// About one tick per ten cells; more when that leaves fewer than two (a narrow plot, a coarse step).
	const base = Math.max(2, Math.floor(cells / 10));
	let fallback: Tick[] = [];
	for (let target = base; target >= 1; target--) {
		const ticks = attempt(target);
		if (ticks && ticks.length >= 2) {
			return ticks;
		}

		fallback = fallback.length > 0 ? fallback : (ticks ?? []);
	}

	for (let target = base + 1; target <= Math.max(base + 1, Math.floor(cells / 4)); target++) {
		const ticks = attempt(target);
		if (ticks && ticks.length >= 2) {
			return ticks;
		}
	}

	return fallback;
}

/** A row of the plot as placed items (marks and labels) over free cells. */
class Grid {
	readonly cells: Array<Array<string | null>>;
	readonly width: number;
	constructor(width: number, height: number) {
		this.width = width;
		this.cells = Array.from({length: height}, () => new Array<string | null>(width).fill(null));
	}

	/** True when cells [from, to] of `row` are all free (outside the plot counts as free). */
	free(row: number, from: number, to: number, except: string | null = null): boolean {
		const line = this.cells[row]!;
		for (let col = Math.max(0, from); col <= Math.min(this.width - 1, to); col++) {
			const owner = line[col];
			if (owner !== null && owner !== except) {
				return false;
			}
		}

		return true;
	}

	take(row: number, from: number, cells: number, owner: string): void {
		for (let col = from; col < from + cells; col++) {
			this.cells[row]![col] = owner;
		}
	}
}

type Item = {readonly col: number; readonly cells: number; readonly segment: ChartSegment};

type Placed = {
	candidate: Candidate;
	col: number;
	row: number;
	front: boolean;
	selected: boolean;
	label: string;
	labelKind: LabelKind;
	labelCol: number | null;
	labelRow: number | null;
	number: number | null;
	/** Cells reserved for a number (filled in once the numbers are dealt). */
	numberCells: number;
	/** The id of the point whose mark covers this one (no free cell near it), else null. */
	under: string | null;
};

type Spot = {readonly row: number; readonly col: number};

/**
 * Where a label of `cells` fits beside the mark at (col, row), with room around it:
 * right of the mark, then left of it; with `vertical`, also just above or below it (numbers only,
 * a name there would read as another point's).
 */
function labelSpot(grid: Grid, col: number, row: number, cells: number, owner: string, vertical: boolean): Spot | null {
	// One space to its own mark, two to anything else: a label between two marks reads as the nearer one's.
	const right = col + 2;
	if (right + cells <= grid.width && grid.free(row, col + 1, right + cells + 1, owner)) {
		return {row, col: right};
	}

	const left = col - 1 - cells;
	if (left >= 0 && grid.free(row, left - 2, col - 1, owner)) {
		return {row, col: left};
	}

	if (vertical) {
		for (const other of [row - 1, row + 1]) {
			if (other >= 0 && other < grid.cells.length && col + cells <= grid.width && grid.free(other, col - 1, col + cells, owner)) {
				return {row: other, col};
			}
		}
	}

	return null;
}

/** A name cut to exactly `cells` cells or fewer, with an ellipsis. */
function shorten(name: string, cells: number): string {
	return fitCells(name, cells).trimEnd();
}

/** Near cells a mark may move to when its own is taken: along its row only (a row is a bigger error than a column, and blocks labels). */
const nudges: ReadonlyArray<readonly [number, number]> = [[0, 0], [1, 0], [-1, 0], [2, 0], [-2, 0]];

function placePoints(candidates: readonly Candidate[], frontIds: ReadonlySet<string>, selectedId: string | null, width: number, height: number, xMin: number, xMax: number, yMin: number, yMax: number): Placed[] {
	const grid = new Grid(width, height);
	const placed: Placed[] = candidates.map(candidate => ({
		candidate,
		col: scale(candidate.x, xMin, xMax, width),
		row: height - 1 - scale(candidate.y, yMin, yMax, height),
		front: frontIds.has(candidate.model.id),
		selected: candidate.model.id === selectedId,
		label: '',
		labelKind: 'none',
		labelCol: null,
		labelRow: null,
		number: null,
		numberCells: 0,
		under: null,
	}));
	// Marks first, the selected and the front ones first: a mark whose cell is taken moves to a free one
	// nearby, or (none free) lies under the mark there and is named in the list below the plot.
	const order = [...placed].sort((a, b) => Number(b.selected) - Number(a.selected) || Number(b.front) - Number(a.front));
	for (const point of order) {
		const spot = nudges
			.map(([dc, dr]) => ({col: point.col + dc, row: point.row + dr}))
			.find(cell => cell.col >= 0 && cell.col < width && cell.row >= 0 && cell.row < height && grid.cells[cell.row]![cell.col] === null);
		if (spot) {
			point.col = spot.col;
			point.row = spot.row;
			grid.take(point.row, point.col, 1, point.candidate.model.id);
		} else {
			point.under = grid.cells[point.row]![point.col] ?? null;
		}
	}

	const numberCells = String(placed.length).length;
	const names = placed.map(point => safeName(point.candidate.model.name));
	for (const point of order) {
		if (point.under !== null) {
			continue;
		}

		const id = point.candidate.model.id;
		const name = safeName(point.candidate.model.name);
		const suffix = point.front ? frontSuffix : '';
		const put = (spot: Spot, label: string, kind: LabelKind, cells: number) => {
			point.label = label;
			point.labelKind = kind;
			point.labelCol = spot.col;
			point.labelRow = spot.row;
			grid.take(spot.row, spot.col, cells, id);
		};

		const full = `${name}${suffix}`;
		let spot = labelSpot(grid, point.col, point.row, cellWidth(full), id, false);
		if (spot) {
			put(spot, full, 'full', cellWidth(full));
			continue;
		}

		const self = placed.indexOf(point);
		// A shortened name must still tell the model apart: what it keeps is the start of no other name here.
		for (let cells = Math.min(cellWidth(name) - 1, width); cells >= minShortCells && point.labelKind === 'none'; cells--) {
			const cut = shorten(name, cells);
			const kept = cut.endsWith('…') ? cut.slice(0, -1) : cut;
			if (names.some((other, index) => index !== self && other.startsWith(kept))) {
				break;
			}

			const short = `${cut}${suffix}`;
			spot = labelSpot(grid, point.col, point.row, cellWidth(short), id, false);
			if (spot) {
				put(spot, short, 'short', cellWidth(short));
			}
		}

		if (point.labelKind !== 'none') {
			continue;
		}

		const reserved = numberCells + suffix.length;
		spot = labelSpot(grid, point.col, point.row, reserved, id, true);
		if (spot) {
			put(spot, '', 'number', reserved);
			point.numberCells = reserved;
		}
	}

	// Numbers from left to right, so the list below reads in the plot's order.
	const numbered = placed.filter(point => point.labelKind === 'number').sort((a, b) => a.col - b.col || a.row - b.row);
	for (const [index, point] of numbered.entries()) {
		point.number = index + 1;
		const text = `${index + 1}${point.front ? frontSuffix : ''}`;
		// A number on the left of its mark ends next to it.
		if (point.labelCol !== null && point.labelRow === point.row && point.labelCol < point.col) {
			point.labelCol += point.numberCells - cellWidth(text);
		}

		point.label = text;
	}

	return placed;
}

function toneSegment(text: string, tone: Tone | undefined, noColor: boolean, style: {bold?: boolean; inverse?: boolean} = {}): ChartSegment {
	return {text, tone, color: tone ? colourOf(tone, noColor) : undefined, bold: style.bold ?? false, inverse: style.inverse ?? false};
}

/** Items laid out on a line of `width` cells: gaps become spaces, trailing space is dropped. */
function lineOf(items: readonly Item[], width: number): ChartLine {
	const sorted = [...items].sort((a, b) => a.col - b.col);
	const segments: ChartSegment[] = [];
	let used = 0;
	for (const item of sorted) {
		if (item.col < used || item.col + item.cells > width) {
			continue;
		}

		if (item.col > used) {
			segments.push({text: ' '.repeat(item.col - used)});
		}

		segments.push(item.segment);
		used = item.col + item.cells;
	}

	return mergePlain(segments);
}

function mergePlain(segments: readonly ChartSegment[]): ChartSegment[] {
	const merged: ChartSegment[] = [];
	for (const segment of segments) {
		const last = merged.at(-1);
		const plain = (entry: ChartSegment) => !entry.tone && !entry.color && !entry.bold && !entry.inverse;
		if (last && plain(last) && plain(segment)) {
			merged[merged.length - 1] = {text: last.text + segment.text};
		} else if (segment.text) {
			merged.push(segment);
		}
	}

	return merged;
}

/** Segments cut so that their cells sum to at most `width`. */
export function fitLine(segments: readonly ChartSegment[], width: number): ChartSegment[] {
	return fitSegments(segments, width);
}

/** Cells a line takes. */
export function lineWidth(line: ChartLine): number {
	return line.reduce((sum, segment) => sum + cellWidth(segment.text), 0);
}

/** A line's text without its styles (what NO_COLOR shows, less inverse and bold). */
export function lineText(line: ChartLine): string {
	return line.map(segment => segment.text).join('');
}

/** Entries packed into lines of `width` cells, two spaces apart; an entry wider than a line is cut. */
function packLines(entries: readonly ChartSegment[], width: number): ChartSegment[][] {
	const lines: ChartSegment[][] = [];
	let current: ChartSegment[] = [];
	let used = 0;
	for (const entry of entries) {
		const fitted = cellWidth(entry.text) > width ? {...entry, text: fitCells(entry.text, width).trimEnd()} : entry;
		const cells = cellWidth(fitted.text);
		if (current.length > 0 && used + 2 + cells > width) {
			lines.push(current);
			current = [];
			used = 0;
		}

		if (current.length > 0) {
			current.push({text: '  '});
			used += 2;
		}

		current.push(fitted);
		used += cells;
	}

	if (current.length > 0) {
		lines.push(current);
	}

	return lines;
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

function legendSegments(brackets: ReadonlySet<BracketName | 'none'>, anyFront: boolean, anyReasoning: boolean, xAxis: ChartAxis, noColor: boolean): ChartSegment[] {
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
function selectedLine(model: ModelResult, point: Placed | undefined, reason: NotPlotted | undefined, width: number, noColor: boolean): ChartSegment[] {
	const name = safeName(model.name);
	const bracket = model.bracket ?? 'no price';
	const price = model.price.outputPerM === null ? '' : ` ${formatPrice(model.price.outputPerM)}/M`;
	const head = toneSegment(`› ${name}`, 'selected', noColor, {inverse: true});
	if (!point) {
		return fitLine([head, {text: ` · ${bracket}${price} · not plotted (${reason?.reason ?? 'no figures'})`}], width);
	}

	const {summary} = model;
	const speed = ` · ${formatTps(summary.tokensPerSecond?.median)} tok/s`;
	// The wait a reader feels, coloured as everywhere (SPEC §2 "TTFT feel"): the first answer token when the model reasons.
	const waitMs = model.reasoning ? summary.ttfaMs?.median : summary.ttftMs?.median;
	const wait = [{text: ` · ${model.reasoning ? 'TTFA' : 'TTFT'} `}, toneSegment(formatMs(waitMs), waitMs === undefined ? undefined : ttftTone(waitMs), noColor)];
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
			: (xAxis === 'price' ? `no model with a price and a completed run in ${label}` : `no model with TTFT and tok/s in ${label}`);
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
	const legend = legendOnTop
		? (besideTitle(legendFull) ? legendFull : legendShort)
		: (lineWidth(legendFull) <= width ? legendFull : legendShort);
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
				candidates, frontIds, selectedId, noColor, xAxis, xTitle, width, plotHeight, xRange, yRange,
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

type BuildInput = {
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

function buildLayout(input: BuildInput): {layout: ChartLayout; extraLines: number} | null {
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
	const lines: ChartLine[] = [];

	// Top: the y title, and the legend on the right when it fits.
	const top: ChartSegment[] = [{text: yTitle}];
	if (input.legend && input.legendOnTop) {
		top.push({text: ' '.repeat(Math.max(3, width - cellWidth(yTitle) - lineWidth(input.legend)))}, ...input.legend);
	}

	lines.push(mergePlain(top));

	const rowItems: Item[][] = Array.from({length: plotHeight}, () => []);
	for (const point of placed) {
		const bracket = point.candidate.model.bracket;
		const tone = bracketTone(bracket);
		const mark = bracketMarks[bracket ?? 'none'];
		if (point.under !== null) {
			continue;
		}

		rowItems[point.row]!.push({col: point.col, cells: 1, segment: toneSegment(mark, point.selected ? 'selected' : tone, noColor, {bold: point.front, inverse: point.selected})});
		if (point.labelCol !== null && point.labelRow !== null && point.label) {
			rowItems[point.labelRow]!.push({col: point.labelCol, cells: cellWidth(point.label), segment: toneSegment(point.label, point.selected ? 'selected' : tone, noColor, {bold: point.front, inverse: point.selected})});
		}
	}

	for (let row = 0; row < plotHeight; row++) {
		const tick = ticksY.find(entry => entry.at === row);
		const axis = toneSegment(`${(tick?.label ?? '').padStart(gutter - 1)} ${tick ? '┤' : '│'}`, 'dim', noColor);
		const body = lineOf(rowItems[row]!, plotWidth);
		lines.push(mergePlain([axis, ...body]));
	}

	// X axis, tick labels and the title at the right end.
	const axisCells = Array.from({length: plotWidth}, (_, col) => (ticksX.some(tick => tick.at === col) ? '┬' : '─')).join('');
	lines.push([toneSegment(`${' '.repeat(gutter)}└${axisCells}`, 'dim', noColor)]);
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

	// The title at the right end of the tick labels; on a line of its own when it would leave fewer than two of them.
	const beside = tickLine(width - titleCells - 2);
	let extraLines = 0;
	if (beside.items.length >= Math.min(2, ticksX.length)) {
		lines.push(lineOf([...beside.items, {col: Math.max(beside.used, width - titleCells), cells: titleCells, segment: {text: xTitle, bold: true}}], width));
	} else {
		lines.push(lineOf(tickLine(width).items, width), lineOf([{col: Math.max(0, width - titleCells), cells: titleCells, segment: {text: xTitle, bold: true}}], width));
		extraLines = 1;
	}

	if (input.legend && !input.legendOnTop) {
		lines.push(fitLine(input.legend, width));
	}

	// Names standing behind numbers, and points that got no label at all.
	const footnoteEntries = placed
		.filter(point => point.labelKind === 'number' || point.labelKind === 'none')
		.sort((a, b) => (a.number ?? Number.POSITIVE_INFINITY) - (b.number ?? Number.POSITIVE_INFINITY) || a.col - b.col);
	const nameOf = (id: string) => safeName(placed.find(point => point.candidate.model.id === id)?.candidate.model.name ?? id);
	const footnotes = footnoteEntries.map(point => {
		const name = safeName(point.candidate.model.name);
		if (point.number !== null) {
			return `${point.number} ${name}`;
		}

		// No label by the mark: say where it is by its figures.
		const mark = bracketMarks[point.candidate.model.bracket ?? 'none'];
		const x = xAxis === 'price' ? `${formatPrice(point.candidate.x)}/M` : formatMs(point.candidate.x);
		const where = `${x}, ${formatTps(point.candidate.y)} tok/s${point.under === null ? '' : `, under ${nameOf(point.under)}`}`;
		return `${mark} ${name} (${where})`;
	});
	const footnoteSegments = footnoteEntries.map((point, index) => toneSegment(footnotes[index]!, point.selected ? 'selected' : bracketTone(point.candidate.model.bracket), noColor, {inverse: point.selected, bold: point.front}));
	const footnoteLines = packLines(footnoteSegments, width);
	if (footnoteLines.length > input.maxFootnoteLines) {
		// No room to list every numbered name: keep what fits and say the list goes on.
		const kept = footnoteLines.slice(0, Math.max(0, input.maxFootnoteLines));
		if (kept.length > 0) {
			const tail = kept.at(-1)!;
			kept[kept.length - 1] = [...fitLine(tail, width - 2), {text: ' …'}];
		}

		lines.push(...kept);
	} else {
		lines.push(...footnoteLines);
	}

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

	const points: ChartPoint[] = placed.map(point => ({
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
	}));

	return {
		extraLines: extraLines + Math.min(footnoteLines.length, input.maxFootnoteLines),
		layout: {
			message: null,
			plot: {left, top: 1, width: plotWidth, height: plotHeight},
			x: {title: xTitle, min: xRange.min, max: xRange.max, ticks: ticksX},
			y: {title: yTitle, min: yRange.min, max: yRange.max, ticks: ticksY},
			points,
			front: candidates.filter(candidate => frontIds.has(candidate.model.id)).map(candidate => candidate.model.id),
			notPlotted: input.notPlotted,
			footnotes,
			lines: lines.map(line => fitLine(line, width)),
		},
	};
}
