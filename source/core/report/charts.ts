// The HTML report's four charts (SPEC §7) as ECharts options: pure data in, option objects out. The
// drawing is ECharts' own (report/html.ts renders these to SVG); nothing here plots by hand.
// Names go in as inert text (no control characters): ECharts escapes them as SVG text.
import type {Comparison} from '../stats/compare.js';
import {sanitizeLine} from '../text/sanitize.js';
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

/** SPEC's TTFT feel: green below 400 ms, yellow from 400 to 800 ms, red above. */
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

/** Chart 2: speed against price, one point per model (tok/s vs $/M output), coloured by bracket. */
export function speedPriceChart(models: readonly ModelResult[], race: string): ChartSpec {
	const labels = modelLabels(models);
	const points = models.map((model, index) => ({
		model,
		label: labels[index]!,
		price: model.price.outputPerM,
		tps: model.summary.tokensPerSecond?.median ?? null,
	}));
	const drawn = points.filter(point => point.price !== null && point.tps !== null);
	const left = points.filter(point => point.price === null || point.tps === null);
	const prices = drawn.map(point => point.price!);
	const logScale = prices.length > 1 && Math.min(...prices) > 0 && Math.max(...prices) / Math.min(...prices) >= 20;
	const subtext = [
		'median tok/s of the completed runs; up and to the left is fast and cheap',
		...(left.length > 0 ? [`not drawn (no price or no completed run): ${left.map(point => point.label).join(', ')}`] : []),
	].join('\n');
	const title = `Speed against price (${sanitizeLine(race)})`;
	const groups: Array<BracketName | null> = [...bracketNames, null];
	return {
		title,
		widthPx: chartWidthPx,
		heightPx: 560,
		option: {
			...base,
			title: titleOf(title, subtext, chartWidthPx),
			legend: {top: left.length > 0 ? 80 : 62, itemWidth: 14, itemHeight: 14, itemGap: 24},
			grid: {left: 80, right: 150, top: left.length > 0 ? 110 : 92, bottom: 60},
			xAxis: {
				type: logScale ? 'log' : 'value',
				logBase: 10,
				...axisName(`price ($ per million output tokens${logScale ? ', log scale' : ''})`, 34),
				splitLine: {show: true},
			},
			yAxis: {type: 'value', ...axisName('decode speed (tok/s)', 50)},
			series: groups.flatMap(bracket => {
				const members = drawn.filter(point => (point.model.bracket ?? null) === bracket);
				return members.length === 0
					? []
					: [
							{
								type: 'scatter',
								name: bracket ?? 'no bracket',
								symbol: bracket ? bracketSymbols[bracket] : 'pin',
								symbolSize: 12,
								itemStyle: {color: bracket ? bracketColors[bracket] : '#777777'},
								data: members.map(point => ({name: point.label, value: [point.price, Math.round(point.tps! * 10) / 10]})),
								label: {show: true, position: 'right', formatter: '{b}', fontSize: 11, color: '#333333'},
								labelLayout: {moveOverlap: 'shiftY'},
							},
						];
			}),
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

/** Chart 3: the race, cumulative tokens over time per model (the replay as a picture). */
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
	const rightPx = Math.min(220, Math.max(60, ...drawn.map(line => labelPx(line.label)))) + 20;
	const title = `The race: tokens received over time (${sanitizeLine(race)})`;
	const subtext = [
		"each model's run of median total time, from its chunk log",
		...(left.length > 0 ? [`no tokens received: ${left.map(line => line.label).join(', ')}`] : []),
	].join('\n');
	const topPx = left.length > 0 ? 90 : 72;
	return {
		title,
		widthPx: chartWidthPx,
		heightPx: 480 + legendPx,
		option: {
			...base,
			title: titleOf(title, subtext, chartWidthPx),
			legend: {type: 'plain', bottom: 8, left: 30, right: 30, data: drawn.map(line => line.label)},
			grid: {left: 80, right: rightPx, top: topPx, bottom: 62 + legendPx},
			xAxis: {type: 'value', min: 0, ...axisName('time since the request was sent (s)', 30)},
			yAxis: {type: 'value', min: 0, boundaryGap: [0, '8%'], ...axisName('tokens received (cumulative)', 50)},
			series: drawn.map(line => ({
				type: 'line',
				name: line.label,
				data: line.points,
				showSymbol: false,
				lineStyle: {width: 1.5},
				endLabel: {show: true, formatter: '{a}', fontSize: 11},
				labelLayout: {moveOverlap: 'shiftY'},
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
