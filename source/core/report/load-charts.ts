// The load report's charts (docs/load.md) as ECharts options, drawn to SVG by report/html.ts: the knee chart
// (p99 latency against offered rate per model, the SLO bound as a line) and latency over time per model
// (p99 of each second's queue-inclusive latency, across the run's steps). Pure: data in, options out.
import type {LoadModelResult, LoadTranscript} from '../load/types.js';
import {percentileSorted} from '../stats/stats.js';
import {sanitizeLine} from '../text/sanitize.js';
import {axisName, base, chartWidthPx, labelPx, modelLabels, titleOf, type ChartSpec} from './charts.js';

export type KneeMetric = {readonly metric: 'ttft' | 'ttfa' | 'e2e'; readonly percentile: 'p50' | 'p90' | 'p99' | 'p999'; readonly bound: number | null};

const metricTitles = {ttfa: 'TTFA', ttft: 'TTFT', e2e: 'e2e'} as const;

/** The latency the knee chart plots: the SLO's first latency bound (`ttfa.p99<=800ms` by default), else p99 TTFA. */
export function kneeMetricOf(transcript: Pick<LoadTranscript, 'settings'>): KneeMetric {
	const term = transcript.settings.slo.find(term => (term.metric === 'ttfa' || term.metric === 'ttft' || term.metric === 'e2e') && term.op === '<=');
	return term
		? {metric: term.metric as KneeMetric['metric'], percentile: term.percentile, bound: term.bound}
		: {metric: 'ttfa', percentile: 'p99', bound: null};
}

/** A model's knee: [offered rate, latency] per step, in rate order (steps without a figure left out). */
export function kneeSeries(model: LoadModelResult, metric: KneeMetric): Array<[number, number]> {
	const key = `${metric.metric}Ms` as const;
	return model.steps
		.flatMap((step): Array<[number, number]> => {
			const stat = step.summary[key];
			return stat ? [[step.rate, Math.round(stat[metric.percentile] * 10) / 10]] : [];
		})
		.sort((a, b) => a[0] - b[0]);
}

const legendPx = (labels: readonly string[]) => Math.max(1, Math.ceil(labels.reduce((sum, label) => sum + labelPx(label) + 40, 0) / (chartWidthPx - 60))) * 22;

/** The knee chart: each model's latency percentile against offered rate; the SLO bound as a dashed red line. */
export function kneeChart(transcript: LoadTranscript, label: string): ChartSpec {
	const metric = kneeMetricOf(transcript);
	const labels = modelLabels(transcript.models);
	const series = transcript.models.map((model, index) => ({label: labels[index]!, points: kneeSeries(model, metric)})).filter(entry => entry.points.length > 0);
	const rates = series.flatMap(entry => entry.points.map(point => point[0]));
	const logX = rates.length > 0 && Math.max(...rates) / Math.min(...rates) >= 4;
	const name = `${metric.percentile} ${metricTitles[metric.metric]}`;
	const title = `The knee: ${name} against offered rate (${sanitizeLine(label)})`;
	const subtext = [
		`queue-inclusive, from each request's scheduled time${metric.bound === null ? '' : `; red line: the SLO bound, ${metric.bound} ms`}`,
		...(transcript.simulated ? ['simulated: these curves are modelled, not measured'] : []),
	].join('\n');
	const legend = legendPx(series.map(entry => entry.label));
	const values = series.flatMap(entry => entry.points.map(point => point[1]));
	return {
		title,
		widthPx: chartWidthPx,
		heightPx: 460 + legend,
		option: {
			...base,
			title: titleOf(title, subtext, chartWidthPx),
			legend: {type: 'plain', bottom: 8, left: 30, right: 30, data: series.map(entry => entry.label)},
			grid: {left: 80, right: 40, top: transcript.simulated ? 90 : 72, bottom: 62 + legend},
			xAxis: {
				type: logX ? 'log' : 'value',
				...(logX
					? {logBase: 2, min: Math.min(...rates) / 1.2, max: Math.max(...rates) * 1.2, axisLabel: {showMinLabel: false, showMaxLabel: false}}
					: {min: 0}),
				...axisName(`offered rate (requests/s per model${logX ? ', log scale' : ''})`, 30),
			},
			yAxis: {type: 'value', min: 0, max: metric.bound === null ? undefined : Math.max(metric.bound * 1.15, ...values), ...axisName(`${name} (ms)`, 56)},
			series: series.map((entry, index) => ({
				type: 'line',
				name: entry.label,
				data: entry.points,
				symbolSize: 7,
				lineStyle: {width: 1.8},
				...(index === 0 && metric.bound !== null
					? {
							markLine: {
								silent: true,
								symbol: 'none',
								lineStyle: {color: '#d23c3c', type: 'dashed', width: 1.5},
								label: {formatter: `SLO ${metric.bound} ms`, position: 'insideEndTop', color: '#d23c3c'},
								data: [{yAxis: metric.bound}],
							},
						}
					: {}),
			})),
		},
	};
}

/** Bucket width of the latency-over-time chart: 1 s, wider for long runs (at most 600 buckets). */
export function bucketMs(totalMs: number): number {
	return Math.max(1000, Math.ceil(totalMs / 600 / 1000) * 1000);
}

/**
 * Latency over time of one model: per bucket of scheduled time since the run's start, the p99 of the
 * queue-inclusive latency (queue + TTFA, else TTFT) of the requests scheduled in it; [seconds, ms] pairs.
 */
export function latencyOverTime(model: LoadModelResult, runStartedAt: string, widthMs: number): Array<[number, number]> {
	const start = Date.parse(runStartedAt);
	const buckets = new Map<number, number[]>();
	for (const step of model.steps) {
		const offset = Date.parse(step.startedAt) - start;
		const {scheduledMs, queueMs, ttfaMs, ttftMs} = step.requests;
		for (const [index, scheduled] of scheduledMs.entries()) {
			const latency = ttfaMs[index] ?? ttftMs[index] ?? null;
			if (latency === null) {
				continue;
			}

			const bucket = Math.floor((offset + scheduled) / widthMs);
			const values = buckets.get(bucket) ?? [];
			values.push((queueMs[index] ?? 0) + latency);
			buckets.set(bucket, values);
		}
	}

	return [...buckets.entries()]
		.sort((a, b) => a[0] - b[0])
		.map(([bucket, values]) => [
			((bucket + 0.5) * widthMs) / 1000,
			Math.round(
				percentileSorted(
					values.sort((a, b) => a - b),
					99,
				) * 10,
			) / 10,
		]);
}

/** Latency over time per model: one line each, the steps' starts marked. */
export function loadTimelineChart(transcript: LoadTranscript, label: string): ChartSpec {
	const labels = modelLabels(transcript.models);
	const totalMs = Math.max(1000, Date.parse(transcript.finishedAt) - Date.parse(transcript.startedAt));
	const width = bucketMs(totalMs);
	const series = transcript.models
		.map((model, index) => ({label: labels[index]!, points: latencyOverTime(model, transcript.startedAt, width)}))
		.filter(entry => entry.points.length > 0);
	const legend = legendPx(series.map(entry => entry.label));
	const title = `Latency over time per model (${sanitizeLine(label)})`;
	const subtext = [
		`p99 of the queue-inclusive TTFA of the requests scheduled in each ${width / 1000} s, over the run's steps`,
		...(transcript.simulated ? ['simulated: these curves are modelled, not measured'] : []),
	].join('\n');
	return {
		title,
		widthPx: chartWidthPx,
		heightPx: 460 + legend,
		option: {
			...base,
			title: titleOf(title, subtext, chartWidthPx),
			legend: {type: 'plain', bottom: 8, left: 30, right: 30, data: series.map(entry => entry.label)},
			grid: {left: 80, right: 40, top: transcript.simulated ? 90 : 72, bottom: 62 + legend},
			xAxis: {type: 'value', min: 0, ...axisName('time since the run started (s)', 30)},
			yAxis: {type: 'value', min: 0, ...axisName('p99 TTFA, queue-inclusive (ms)', 56)},
			series: series.map(entry => ({type: 'line', name: entry.label, data: entry.points, showSymbol: false, lineStyle: {width: 1.5}})),
		},
	};
}
