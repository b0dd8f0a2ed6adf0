// The knee chart (`c` on the load leaderboard, docs/load.md): p99 latency (TTFA unless the SLO bounds
// another latency) against offered rate, one series per model, the SLO bound drawn as a line. Pure: the
// lines of styled segments ChartView-like Ink code draws. Axes and ticks come from ui/chart/axes.ts.
import type {LoadModelResult, LoadTranscript} from '../../core/load/types.js';
import {kneeMetricOf, kneeSeries} from '../../core/report/load-charts.js';
import {formatRate} from '../../core/report/load-table.js';
import {sanitizeLine} from '../../core/text/sanitize.js';
import {truncate} from '../../core/text/cells.js';
import {scale, xTicks, yTicks} from '../chart/axes.js';
import {cellWidth} from '../chart/segments.js';
import type {ChartLine, ChartSegment} from '../chart/types.js';
import {colourOf} from '../theme.js';

export type KneeInput = {
	readonly transcript: Pick<LoadTranscript, 'settings' | 'simulated'>;
	readonly models: readonly LoadModelResult[];
	readonly selectedId: string | null;
	/** Cells a line may take, and lines in all. */
	readonly width: number;
	readonly height: number;
	readonly noColor: boolean;
};

const palette = ['cyan', 'magenta', 'yellow', 'green', 'blue', 'red', 'white', 'cyanBright', 'magentaBright', 'yellowBright', 'greenBright', 'blueBright'];
const marks = '123456789abcdefghijklmnopqrstuvwxyz';

const metricTitles = {ttfa: 'TTFA', ttft: 'TTFT', e2e: 'e2e'} as const;

type Cell = {char: string; color: string | undefined; bold: boolean};

/** The knee chart's lines: a title, the plot with its axes, the legend. At most `height` lines of `width` cells. */
export function kneeLines(input: KneeInput): ChartLine[] {
	const {width, height, noColor, models} = input;
	const knee = kneeMetricOf(input.transcript);
	const {metric, percentile, bound} = knee;
	const slo = bound === null ? '' : ` · SLO ${bound} ms ─`;
	const modelled = input.transcript.simulated ? ' · modelled, not measured' : '';
	const titles = [
		`${percentile} ${metricTitles[metric]} (ms, queue-inclusive) against offered rate${slo}${modelled}`,
		`${percentile} ${metricTitles[metric]} (ms) against offered rate${slo}${modelled}`,
		`${percentile} ${metricTitles[metric]} ms vs rate${slo}${modelled}`,
	];
	const title = titles.find(candidate => cellWidth(candidate) <= width) ?? titles.at(-1)!;
	const series = models.map((model, index) => ({
		model,
		index,
		points: kneeSeries(model, knee).map(([rate, ms]) => ({rate, ms})),
		color: noColor ? undefined : palette[index % palette.length],
	}));
	const plotted = series.filter(entry => entry.points.length > 0);
	const lines: ChartLine[] = [[{text: truncate(title, width), bold: true}]];
	if (plotted.length === 0) {
		lines.push([{text: truncate('no model ran a step: nothing to plot', width), color: colourOf('dim', noColor)}]);
		return lines;
	}

	// The legend: "1 name ≤2.5/s", packed to the width.
	const legend: ChartLine[] = [];
	let current: ChartSegment[] = [];
	let used = 0;
	for (const entry of series) {
		const selected = entry.model.id === input.selectedId;
		const text = `${marks[entry.index % marks.length]} ${truncate(sanitizeLine(entry.model.name), 24)}${entry.points.length === 0 ? ' (no step)' : ''}`;
		const cells = cellWidth(text) + 2;
		if (used > 0 && used + cells > width) {
			legend.push(current);
			current = [];
			used = 0;
		}

		current.push({text, color: entry.color, bold: selected, inverse: selected}, {text: '  '});
		used += cells;
	}

	legend.push(current);
	const rates = plotted.flatMap(entry => entry.points.map(point => point.rate));
	const values = plotted.flatMap(entry => entry.points.map(point => point.ms));
	const plotHeight = Math.max(3, height - 1 - 2 - legend.length);
	const shownLegend = height - 1 - 2 - plotHeight >= legend.length ? legend : legend.slice(0, Math.max(0, height - 3 - plotHeight));
	// A latency that explodes past saturation would flatten every knee: the axis stops at 4× the bound (marked ▲ above it).
	const highest = Math.max(...values, bound ?? 0);
	const yMax = (bound !== null && highest > bound * 4 ? bound * 4 : highest) * 1.05 || 1;
	const yTickList = yTicks(0, yMax, plotHeight);
	const left = Math.max(...yTickList.map(tick => tick.label.length)) + 1;
	const plotWidth = Math.max(10, width - left - 1);
	const logX = Math.max(...rates) / Math.min(...rates) >= 4;
	const xOf = (rate: number) =>
		logX
			? scale(Math.log2(rate), Math.log2(Math.min(...rates)), Math.log2(Math.max(...rates)), plotWidth)
			: scale(rate, 0, Math.max(...rates) * 1.05, plotWidth);
	const yOf = (ms: number) => plotHeight - 1 - scale(Math.min(ms, yMax), 0, yMax, plotHeight);
	const grid: Cell[][] = Array.from({length: plotHeight}, () => Array.from({length: plotWidth}, () => ({char: ' ', color: undefined, bold: false})));
	if (bound !== null) {
		const row = yOf(bound);
		for (const cell of grid[row]!) {
			Object.assign(cell, {char: '─', color: colourOf('error', noColor)});
		}
	}

	// Lines first (dots between a model's points), the selected model last so it shows on top; then the marks.
	const order = [...plotted].sort((a, b) => Number(a.model.id === input.selectedId) - Number(b.model.id === input.selectedId));
	for (const entry of order) {
		for (let index = 1; index < entry.points.length; index++) {
			const from = entry.points[index - 1]!;
			const to = entry.points[index]!;
			const [x0, y0, x1, y1] = [xOf(from.rate), yOf(from.ms), xOf(to.rate), yOf(to.ms)];
			const steps = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0));
			for (let step = 1; step < steps; step++) {
				const cell = grid[Math.round(y0 + ((y1 - y0) * step) / steps)]![Math.round(x0 + ((x1 - x0) * step) / steps)]!;
				Object.assign(cell, {char: '·', color: entry.color, bold: entry.model.id === input.selectedId});
			}
		}
	}

	for (const entry of order) {
		for (const point of entry.points) {
			const cell = grid[yOf(point.ms)]![xOf(point.rate)]!;
			const above = point.ms > yMax;
			Object.assign(cell, {char: above ? '▲' : marks[entry.index % marks.length]!, color: entry.color, bold: entry.model.id === input.selectedId});
		}
	}

	for (const [row, cells] of grid.entries()) {
		const tick = yTickList.find(candidate => candidate.at === row);
		const segments: ChartSegment[] = [{text: `${(tick?.label ?? '').padStart(left - 1)}${tick ? '┤' : '│'}`, color: colourOf('dim', noColor)}];
		for (const cell of cells) {
			const last = segments.at(-1)!;
			if (last.color === cell.color && Boolean(last.bold) === cell.bold && segments.length > 1) {
				segments[segments.length - 1] = {...last, text: last.text + cell.char};
			} else {
				segments.push({text: cell.char, color: cell.color, bold: cell.bold});
			}
		}

		lines.push(segments);
	}

	// The x axis: ticks at the rates stepped (log scale) or nice values (linear), labelled below.
	const ticks = logX
		? [...new Set(rates)].sort((a, b) => a - b).map(rate => ({at: xOf(rate), label: formatRate(rate).replace('/s', '')}))
		: xTicks(0, Math.max(...rates) * 1.05, plotWidth, 'ttft').map(tick => ({at: tick.at, label: tick.label}));
	const axis = [...'─'.repeat(plotWidth)];
	let labels = '';
	for (const tick of ticks) {
		axis[tick.at] = '┬';
		const start = Math.max(labels.length + (labels ? 1 : 0), tick.at - Math.floor(tick.label.length / 2));
		if (start + tick.label.length <= plotWidth) {
			labels = labels.padEnd(start) + tick.label;
		}
	}

	const xTitle =
		[`offered rate (req/s per model${logX ? ', log scale' : ''}) →`, 'req/s →', 'req/s'].find(title => labels.length + 2 + title.length <= plotWidth + 1) ?? '';
	lines.push([{text: `${' '.repeat(left - 1)}└${axis.join('')}`, color: colourOf('dim', noColor)}]);
	lines.push([
		{
			text: truncate(`${' '.repeat(left)}${labels}${xTitle ? `  ${xTitle}` : ''}`, width),
			color: colourOf('dim', noColor),
		},
	]);
	lines.push(...shownLegend);
	return lines.slice(0, height);
}
