// The HTML report's four charts (docs/report.md#the-html-report) as ECharts options: pure data in, option objects out. The
// drawing is ECharts' own (report/html.ts renders these to SVG); nothing here plots by hand.
// Names go in as inert text (no control characters): ECharts escapes them as SVG text.
import type {Comparison} from '../stats/compare.js';
import {sanitizeLine} from '../text/sanitize.js';
import {niceScale, placeLabels, textWidthPx, type Rect} from './label-placement.js';
import {bracketNames, type BracketName, type ModelResult, type RunRecord} from '../types.js';

export type ChartSpec = {
	readonly title: string;
	readonly widthPx: number;
	readonly heightPx: number;
	readonly option: Record<string, unknown>;
};

export const chartWidthPx = 960;
/** The most points drawn per model in the race chart (the chunk log is downsampled to this). */
export const timelinePointsMax = 200;

/** docs/metrics.md's TTFT feel: green below 400 ms, yellow from 400 to 800 ms, red above. */
export function feelColor(ms: number): string {
	return ms < 400 ? '#2e9d4f' : ms <= 800 ? '#d9a400' : '#d23c3c';
}

export const bracketColors: Record<BracketName, string> = {'ultra-budget': '#1b9e77', budget: '#7570b3', mid: '#d95f02', premium: '#e7298a'};
const bracketSymbols: Record<BracketName, string> = {'ultra-budget': 'circle', budget: 'rect', mid: 'triangle', premium: 'diamond'};

const font = {fontFamily: 'system-ui, sans-serif'};
export const base = {animation: false, backgroundColor: '#ffffff', textStyle: font, aria: {enabled: false}};

export function titleOf(text: string, subtext: string, widthPx: number) {
	return {text, subtext, left: 'center', top: 8, textStyle: {fontSize: 16}, subtextStyle: {width: widthPx - 80, overflow: 'break', lineHeight: 16}};
}

/** Each model's label: its name, inert, with the id added where two models share a name. */
export function modelLabels(models: ReadonlyArray<Pick<ModelResult, 'id' | 'name'>>): string[] {
	const names = models.map(model => sanitizeLine(model.name));
	return names.map((name, index) => (names.filter(other => other === name).length > 1 ? `${name} (${sanitizeLine(models[index]!.id)})` : name));
}

/** A rough width of a label in px at 12 px (enough to leave room for it). */
export const labelPx = (text: string) => Math.ceil([...text].length * 7);

export function axisName(name: string, gapPx: number) {
	return {name, nameLocation: 'middle', nameGap: gapPx, nameTextStyle: {fontSize: 13, fontWeight: 'bold'}};
}

/** Chart 1: TTFT (and TTFA, when a model reasons) per model, bars coloured by TTFT feel. */
export function ttftChart(models: readonly ModelResult[], race: string): ChartSpec {
	const labels = modelLabels(models);
	const anyReasoning = models.some(model => model.summary.ttfaMs && model.summary.ttftMs && model.summary.ttfaMs.median > model.summary.ttftMs.median);
	const leftPx = Math.min(260, Math.max(80, ...labels.map(label => labelPx(label)))) + 20;
	const heightPx = 130 + models.length * (anyReasoning ? 34 : 24);
	const bar = (value: number | null | undefined, opacity: number) =>
		value === null || value === undefined ? '-' : {value: Math.round(value), itemStyle: {color: feelColor(value), opacity}};
	const title = `Time to first token per model (${sanitizeLine(race)})`;
	return {
		title,
		widthPx: chartWidthPx,
		heightPx,
		option: {
			...base,
			title: titleOf(title, 'median of the completed runs; green < 400 ms, yellow 400–800 ms, red > 800 ms', chartWidthPx),
			legend: anyReasoning ? {top: 56, data: ['TTFT', 'TTFA (first answer token)']} : undefined,
			grid: {left: leftPx, right: 70, top: anyReasoning ? 86 : 66, bottom: 50},
			xAxis: {type: 'value', ...axisName('time to first token (ms)', 30)},
			yAxis: {
				type: 'category',
				data: labels,
				inverse: true,
				axisLabel: {interval: 0, width: leftPx - 20, overflow: 'break'},
				...axisName('model', leftPx - 12),
			},
			series: [
				{
					type: 'bar',
					name: 'TTFT',
					itemStyle: {color: '#7a7a7a'},
					data: models.map(model => bar(model.summary.ttftMs?.median, 1)),
					label: {show: true, position: 'right', formatter: '{c} ms'},
				},
				...(anyReasoning
					? [
							{
								type: 'bar',
								name: 'TTFA (first answer token)',
								itemStyle: {color: 'rgba(122,122,122,0.45)'},
								data: models.map(model => bar(model.summary.ttfaMs?.median, 0.45)),
								label: {show: true, position: 'right', formatter: '{c} ms'},
							},
						]
					: []),
			],
		},
	};
}

/** The px box of a chart's plot area, from its size and grid margins. */
type Plot = {readonly left: number; readonly right: number; readonly top: number; readonly bottom: number};

const labelFontPx = 11;
const labelHeightPx = 14;

/** The x axis of the speed-against-price chart: log when prices span 20× or more, its ends explicit so points can be placed in px. */
function priceAxis(prices: readonly number[]): {log: boolean; min: number; max: number; interval?: number; at: (price: number) => number} {
	const most = Math.max(...prices, 0);
	const least = Math.min(...prices);
	if (prices.length > 1 && least > 0 && most / least >= 20) {
		const min = 10 ** Math.floor(Math.log10(least));
		const max = Math.max(min * 10, 10 ** Math.ceil(Math.log10(most)));
		return {log: true, min, max, at: price => (Math.log10(price) - Math.log10(min)) / (Math.log10(max) - Math.log10(min))};
	}

	const {step, top} = niceScale(most * 1.05 || 1);
	return {log: false, min: 0, max: top, interval: step, at: price => price / top};
}

/**
 * Label boxes for `groups` of points (px positions, one group per series) so that none covers another
 * label or a point (`placeLabels`), and the ECharts `labelLayout` that puts each label in its box.
 */
function labelBoxes(
	groups: ReadonlyArray<ReadonlyArray<{readonly x: number; readonly y: number; readonly label: string}>>,
	bounds: Rect,
	markerPx: number,
): {boxes: Rect[][]; layout: (params: {seriesIndex: number; dataIndex: number}) => Record<string, unknown>} {
	const all = groups.flat();
	const obstacles = all.map(point => ({x: point.x - markerPx / 2, y: point.y - markerPx / 2, width: markerPx, height: markerPx}));
	const flat = placeLabels(
		all.map(point => ({x: point.x, y: point.y, width: textWidthPx(point.label, labelFontPx), height: labelHeightPx})),
		obstacles,
		bounds,
	);
	let at = 0;
	const boxes = groups.map(group => group.map(() => flat[at++]!));
	return {
		boxes,
		layout({seriesIndex, dataIndex}) {
			const box = boxes[seriesIndex]?.[dataIndex];
			return box ? {x: box.x + 2, y: box.y + 1, align: 'left', verticalAlign: 'top'} : {};
		},
	};
}

/** Chart 2: speed against price, one point per model (tok/s vs $/M output), coloured by bracket, every label clear of the others. */
export function speedPriceChart(models: readonly ModelResult[], race: string): ChartSpec {
	const labels = modelLabels(models);
	const points = models.map((model, index) => ({
		model,
		label: labels[index]!,
		price: model.price.outputPerM,
		tps: model.summary.tokensPerSecond?.median ?? null,
	}));
	const drawn = points.filter(point => point.price !== null && point.tps !== null && point.price > 0);
	const left = points.filter(point => !drawn.includes(point));
	const xAxis = priceAxis(drawn.map(point => point.price!));
	const yScale = niceScale(Math.max(1, ...drawn.map(point => point.tps!)) * 1.08);
	const subtext = [
		'median tok/s of the completed runs; up and to the left is fast and cheap',
		...(left.length > 0 ? [`not drawn (no price or no completed run): ${left.map(point => point.label).join(', ')}`] : []),
	].join('\n');
	const title = `Speed against price (${sanitizeLine(race)})`;
	const heightPx = 560;
	const plot: Plot = {left: 80, right: chartWidthPx - 150, top: left.length > 0 ? 110 : 92, bottom: heightPx - 60};
	const groups = [...bracketNames, null]
		.map(bracket => ({bracket, members: drawn.filter(point => (point.model.bracket ?? null) === bracket)}))
		.filter(group => group.members.length > 0);
	const {layout} = labelBoxes(
		groups.map(group =>
			group.members.map(point => ({
				label: point.label,
				x: plot.left + xAxis.at(point.price!) * (plot.right - plot.left),
				y: plot.bottom - (point.tps! / yScale.top) * (plot.bottom - plot.top),
			})),
		),
		{x: 4, y: plot.top - 12, width: chartWidthPx - 8, height: plot.bottom - plot.top + 24},
		14,
	);
	return {
		title,
		widthPx: chartWidthPx,
		heightPx,
		option: {
			...base,
			title: titleOf(title, subtext, chartWidthPx),
			legend: {top: left.length > 0 ? 80 : 62, itemWidth: 14, itemHeight: 14, itemGap: 24},
			grid: {left: plot.left, right: chartWidthPx - plot.right, top: plot.top, bottom: heightPx - plot.bottom},
			xAxis: {
				type: xAxis.log ? 'log' : 'value',
				logBase: 10,
				min: xAxis.min,
				max: xAxis.max,
				...(xAxis.interval === undefined ? {} : {interval: xAxis.interval}),
				...axisName(`price ($ per million output tokens${xAxis.log ? ', log scale' : ''})`, 34),
				splitLine: {show: true},
			},
			yAxis: {type: 'value', min: 0, max: yScale.top, interval: yScale.step, ...axisName('decode speed (tok/s)', 50)},
			series: groups.map(({bracket, members}) => ({
				type: 'scatter',
				name: bracket ?? 'no bracket',
				symbol: bracket ? bracketSymbols[bracket] : 'pin',
				symbolSize: 12,
				itemStyle: {color: bracket ? bracketColors[bracket] : '#777777'},
				data: members.map(point => ({name: point.label, value: [point.price, Math.round(point.tps! * 10) / 10]})),
				label: {show: true, formatter: '{b}', fontSize: labelFontPx, color: '#333333'},
				labelLine: {show: true, lineStyle: {color: '#9a9a9a', width: 0.8}},
				labelLayout: layout,
			})),
		},
	};
}

/** The run a model's line is drawn from: the completed timed run of median total time, else its first run with text. */
export function representativeRun(model: ModelResult): RunRecord | null {
	const timed = model.runs.filter(run => !run.warmup);
	const completed = timed.filter(run => run.status === 'ok' && run.chunks.length > 0).sort((a, b) => (a.totalMs ?? 0) - (b.totalMs ?? 0));
	return completed[Math.floor((completed.length - 1) / 2)] ?? timed.find(run => run.chunks.length > 0) ?? null;
}

/**
 * Cumulative tokens over time of one run, from its chunk log, as [seconds, tokens] points: (0, 0), the
 * wait for the first chunk, then at most `maxPoints` chunks (evenly spaced, the last one always kept).
 * Tokens per chunk follow the text's share of the run's streamed tokens (its `outputTokens` less hidden
 * reasoning), so the line ends at the run's token count; without a count, one token per chunk.
 */
export function cumulativeTokens(run: RunRecord, maxPoints = timelinePointsMax): Array<[number, number]> {
	const {chunks} = run;
	if (chunks.length === 0) {
		return [];
	}

	const hidden = run.hiddenReasoning && run.reasoningTokens !== null ? run.reasoningTokens : 0;
	const total = run.outputTokens === null ? chunks.length : Math.max(1, run.outputTokens - hidden);
	const characters = chunks.reduce((sum, chunk) => sum + chunk[1].length, 0);
	const share = (count: number, index: number) => (characters > 0 ? (count / characters) * total : ((index + 1) / chunks.length) * total);
	const step = Math.max(1, Math.ceil(chunks.length / maxPoints));
	const points: Array<[number, number]> = [
		[0, 0],
		[round3(chunks[0]![0] / 1000), 0],
	];
	let seen = 0;
	for (const [index, chunk] of chunks.entries()) {
		seen += chunk[1].length;
		if (index % step === step - 1 || index === chunks.length - 1) {
			points.push([round3(chunk[0] / 1000), Math.round(share(seen, index) * 10) / 10]);
		}
	}

	return points;
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

/**
 * The race chart's line colours: 20 that tell apart (Tableau's, darkened where light, so the labels
 * written in them read on white); past 20 models, the colours come round again with a dashed line.
 */
export const lineColors = [
	'#1f77b4',
	'#d62728',
	'#2ca02c',
	'#9467bd',
	'#ff7f0e',
	'#8c564b',
	'#e377c2',
	'#17becf',
	'#7f7f7f',
	'#a6a61e',
	'#393b79',
	'#637939',
	'#8c6d31',
	'#843c39',
	'#7b4173',
	'#3182bd',
	'#e6550d',
	'#31a354',
	'#756bb1',
	'#252525',
] as const;

/** Chart 3: the race, cumulative tokens over time per model (the replay as a picture): a colour and a label at the end of each line. */
export function timelineChart(models: readonly ModelResult[], race: string): ChartSpec {
	const labels = modelLabels(models);
	const lines = models.map((model, index) => {
		const run = representativeRun(model);
		return {label: labels[index]!, points: run ? cumulativeTokens(run) : []};
	});
	const drawn = lines.filter(line => line.points.length > 0);
	const left = lines.filter(line => line.points.length === 0);
	// The legend names every model, in rows across the width.
	const legendRows = Math.max(1, Math.ceil(drawn.reduce((sum, line) => sum + labelPx(line.label) + 40, 0) / (chartWidthPx - 60)));
	const legendPx = legendRows * 22;
	const rightPx = Math.min(220, Math.max(60, ...drawn.map(line => textWidthPx(line.label, labelFontPx)))) + 24;
	const title = `The race: tokens received over time (${sanitizeLine(race)})`;
	const subtext = [
		"each model's run of median total time, from its chunk log",
		...(left.length > 0 ? [`no tokens received: ${left.map(line => line.label).join(', ')}`] : []),
	].join('\n');
	const heightPx = 480 + legendPx;
	const plot: Plot = {left: 80, right: chartWidthPx - rightPx, top: left.length > 0 ? 90 : 72, bottom: heightPx - 62 - legendPx};
	const xScale = niceScale(Math.max(0.001, ...drawn.map(line => line.points.at(-1)![0])));
	const yScale = niceScale(Math.max(1, ...drawn.map(line => Math.max(...line.points.map(point => point[1])))) * 1.08);
	const ends = drawn.map(line => {
		const [seconds, tokens] = line.points.at(-1)!;
		return {
			label: line.label,
			x: plot.left + (seconds / xScale.top) * (plot.right - plot.left),
			y: plot.bottom - (tokens / yScale.top) * (plot.bottom - plot.top),
		};
	});
	// Each line's label as near its end as it can be without covering another; one series per line, one label each.
	const {boxes, layout} = labelBoxes(
		ends.map(end => [end]),
		{x: plot.left + 2, y: plot.top - 10, width: chartWidthPx - plot.left - 6, height: plot.bottom - plot.top + 10},
		4,
	);
	// A label moved off its line's end gets a thin leader to it, in the line's colour (px back to the axes' units).
	const toData = (x: number, y: number) => [
		round3(((x - plot.left) / (plot.right - plot.left)) * xScale.top),
		round3(((plot.bottom - y) / (plot.bottom - plot.top)) * yScale.top),
	];
	const leaders = ends.flatMap((end, index) => {
		const box = boxes[index]![0]!;
		const x = Math.max(box.x, Math.min(end.x, box.x + box.width));
		const y = Math.max(box.y, Math.min(end.y, box.y + box.height));
		return Math.hypot(x - end.x, y - end.y) > 10 ? [{index, from: toData(end.x, end.y), to: toData(x, y)}] : [];
	});
	return {
		title,
		widthPx: chartWidthPx,
		heightPx,
		option: {
			...base,
			title: titleOf(title, subtext, chartWidthPx),
			legend: {type: 'plain', bottom: 8, left: 30, right: 30, data: drawn.map(line => line.label)},
			grid: {left: plot.left, right: rightPx, top: plot.top, bottom: heightPx - plot.bottom},
			xAxis: {type: 'value', min: 0, max: xScale.top, interval: xScale.step, ...axisName('time since the request was sent (s)', 30)},
			yAxis: {type: 'value', min: 0, max: yScale.top, interval: yScale.step, ...axisName('tokens received (cumulative)', 50)},
			series: drawn.map((line, index) => {
				const color = lineColors[index % lineColors.length]!;
				return {
					type: 'line',
					name: line.label,
					data: line.points,
					showSymbol: false,
					color,
					lineStyle: {width: 1.5, type: index < lineColors.length ? 'solid' : 'dashed'},
					endLabel: {show: true, formatter: '{a}', fontSize: labelFontPx, color},
					labelLayout: () => layout({seriesIndex: index, dataIndex: 0}),
				};
			}),
			...leaders.map(leader => ({
				type: 'line',
				name: `leader ${leader.index}`,
				data: [leader.from, leader.to],
				showSymbol: false,
				silent: true,
				color: lineColors[leader.index % lineColors.length],
				lineStyle: {width: 0.8, opacity: 0.8},
			})),
		},
	};
}

/** Chart 4: with several races, each model's median TTFT per race (regions side by side). */
export function regionsChart(comparison: Comparison): ChartSpec {
	const names = comparison.rows.map(row => sanitizeLine(row.name));
	const labels = names.map((name, index) =>
		names.filter(other => other === name).length > 1 ? `${name} (${sanitizeLine(comparison.rows[index]!.id)})` : name,
	);
	const races = comparison.races.map(label => sanitizeLine(label));
	const leftPx = Math.min(260, Math.max(80, ...labels.map(label => labelPx(label)))) + 20;
	const heightPx = 150 + labels.length * (races.length * 12 + 12);
	const title = 'Median time to first token per race';
	const subtext =
		comparison.missing.length > 0
			? `not in every race (left out): ${comparison.missing.map(id => sanitizeLine(id)).join(', ')}`
			: 'the same models, raced from each place';
	return {
		title,
		widthPx: chartWidthPx,
		heightPx,
		option: {
			...base,
			title: titleOf(title, subtext, chartWidthPx),
			legend: {top: 58, data: races},
			grid: {left: leftPx, right: 70, top: 88, bottom: 50},
			xAxis: {type: 'value', ...axisName('median time to first token (ms)', 30)},
			yAxis: {
				type: 'category',
				data: labels,
				inverse: true,
				axisLabel: {interval: 0, width: leftPx - 20, overflow: 'break'},
				...axisName('model', leftPx - 12),
			},
			series: races.map((race, raceIndex) => ({
				type: 'bar',
				name: race,
				barGap: '10%',
				data: comparison.rows.map(row => {
					const value = row.values[raceIndex];
					return value === null || value === undefined ? '-' : Math.round(value);
				}),
				label: {show: true, position: 'right', formatter: '{c}', fontSize: 10},
			})),
		},
	};
}
