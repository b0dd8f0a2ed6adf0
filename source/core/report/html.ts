// The HTML report (docs/report.md#the-html-report): one self-contained file, everything of the Markdown report plus four
// charts drawn at report time to inline SVG by ECharts' server-side SVG renderer (pure JS: no DOM, no
// canvas, runs on Node 20). ECharts is imported here only, and this module only for --format html.
// Nothing from a transcript becomes markup: every string is escaped (escapeHtml), chart labels are
// SVG text that ECharts escapes, and a Content-Security-Policy forbids any script (the file ships none).
import {createRequire} from 'node:module';
import {regionsChart, speedPriceChart, timelineChart, ttftChart, type ChartSpec} from './charts.js';
import type {Labelled} from '../stats/compare.js';
import {escapeHtml} from '../text/escape.js';
import {kneeChart, loadTimelineChart} from './load-charts.js';
import {reportDocument, type Block, type ChartRequest} from './document.js';

type Echarts = typeof import('echarts');

export const contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const css = `
:root { color-scheme: light; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d1d1f; background: #f6f6f4; margin: 0; }
main { max-width: 1000px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 28px; margin: 8px 0 16px; }
h2 { font-size: 22px; margin: 36px 0 8px; border-bottom: 1px solid #d8d8d4; padding-bottom: 4px; }
h3 { font-size: 17px; margin: 24px 0 8px; }
h4 { font-size: 15px; margin: 16px 0 6px; color: #444; }
table { border-collapse: collapse; background: #fff; margin: 4px 0 12px; font-size: 13px; }
th, td { border: 1px solid #dcdcd8; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #efefeb; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
figure.chart { margin: 16px 0; background: #fff; border: 1px solid #dcdcd8; }
figure.chart svg { display: block; width: 100%; height: auto; }
details { background: #fff; border: 1px solid #dcdcd8; margin: 4px 0; padding: 4px 8px; }
summary { cursor: pointer; font-weight: 600; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; font: 13px/1.4 ui-monospace, Menlo, Consolas, monospace; margin: 6px 0; }
footer { margin-top: 40px; color: #666; font-size: 12px; }
`.trim();

function specOf(chart: ChartRequest): ChartSpec {
	switch (chart.kind) {
		case 'ttft': {
			return ttftChart(chart.models, chart.race);
		}

		case 'speed-price': {
			return speedPriceChart(chart.models, chart.race);
		}

		case 'timeline': {
			return timelineChart(chart.models, chart.race);
		}

		case 'regions': {
			return regionsChart(chart.comparison);
		}

		case 'knee': {
			return kneeChart(chart.load, chart.label);
		}

		case 'load-timeline': {
			return loadTimelineChart(chart.load, chart.label);
		}
	}
}

/**
 * One chart as an SVG string. zrender numbers its ids and CSS classes with counters global to the process
 * (zr0-cls-7, zr1-c0…): they are renumbered in order of appearance, prefixed with the chart's place in the
 * report, so ids stay unique in the file and the file is the same whatever was drawn before it.
 */
export function renderChartSvg(echarts: Echarts, spec: ChartSpec, index: number): string {
	const chart = echarts.init(null, null, {renderer: 'svg', ssr: true, width: spec.widthPx, height: spec.heightPx});
	try {
		chart.setOption(spec.option);
		const names = new Map<string, string>();
		const counts = new Map<string, number>();
		return chart.renderToSVGString().replaceAll(/\bzr\d+-([a-z]+-?)(\d+)\b/g, (name: string, kind: string) => {
			let renamed = names.get(name);
			if (renamed === undefined) {
				const count = counts.get(kind) ?? 0;
				counts.set(kind, count + 1);
				renamed = `chart${index}-${kind}${count}`;
				names.set(name, renamed);
			}

			return renamed;
		});
	} finally {
		chart.dispose();
	}
}

function table(block: Extract<Block, {kind: 'table'}>): string {
	const cls = (index: number) => (block.numeric.has(index) ? ' class="n"' : '');
	const head = block.header.every(title => title === '')
		? ''
		: `<thead><tr>${block.header.map((title, index) => `<th${cls(index)}>${escapeHtml(title)}</th>`).join('')}</tr></thead>`;
	const body = block.rows.map(row => `<tr>${block.header.map((_, index) => `<td${cls(index)}>${escapeHtml(row[index] ?? '')}</td>`).join('')}</tr>`).join('\n');
	return `<table>${head}<tbody>\n${body}\n</tbody></table>`;
}

/**
 * ECharts, loaded on first use: its single-file build (dist/echarts.js, what `require` resolves to) loads
 * 3–4 times faster here than the ESM tree of several hundred modules (measured: ~0.5 s against 1.5–2.2 s).
 */
function loadEcharts(): Echarts {
	return createRequire(import.meta.url)('echarts') as Echarts;
}

/** The most characters of an answer shown (a run keeps up to 64 × 4 × --max-tokens bytes): the file stays small. */
export const answerCharsMax = 4000;

function answerText(text: string): string {
	const characters = [...text];
	return characters.length <= answerCharsMax
		? text
		: `${characters.slice(0, answerCharsMax).join('')}\n… (${characters.length - answerCharsMax} more characters in the transcript)`;
}

/** A report's blocks as one self-contained HTML page titled `title`, the charts drawn to inline SVG. */
export function blocksHtml(blocks: readonly Block[], title: string, tool: string): string {
	const echarts = loadEcharts();
	let charts = 0;
	const body = blocks
		.map(block => {
			switch (block.kind) {
				case 'heading': {
					return `<h${block.level}>${escapeHtml(block.text)}</h${block.level}>`;
				}

				case 'table': {
					return table(block);
				}

				case 'paragraph': {
					return `<p>${escapeHtml(block.text)}</p>`;
				}

				case 'list': {
					return `<ul>${block.items.map(item => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`;
				}

				case 'chart': {
					const spec = specOf(block.chart);
					const svg = renderChartSvg(echarts, spec, charts++);
					return `<figure class="chart" aria-label="${escapeHtml(spec.title)}">\n${svg}\n</figure>`;
				}

				case 'answers': {
					if (block.answers.length === 0) {
						return '';
					}

					return [
						'<h3>Answers</h3>',
						...block.answers.map(
							answer => `<details><summary>${escapeHtml(answer.model)}</summary><pre>${escapeHtml(answerText(answer.text))}</pre></details>`,
						),
					].join('\n');
				}

				default: {
					return '';
				}
			}
		})
		.filter(part => part !== '');
	return [
		'<!doctype html>',
		'<html lang="en">',
		'<head>',
		'<meta charset="utf-8">',
		`<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy}">`,
		'<meta name="viewport" content="width=device-width, initial-scale=1">',
		`<title>${escapeHtml(title)}</title>`,
		`<style>\n${css}\n</style>`,
		'</head>',
		'<body>',
		'<main>',
		...body,
		`<footer>Written by ${escapeHtml(tool)}. Charts drawn with Apache ECharts (SVG, rendered when the report was made). This file loads nothing from the network.</footer>`,
		'</main>',
		'</body>',
		'</html>',
		'',
	].join('\n');
}

export async function reportHtml(races: readonly Labelled[]): Promise<string> {
	const [first] = races;
	const title = first ? `llmrace report: ${races.map(race => race.label).join(', ')}` : 'llmrace report';
	return blocksHtml(reportDocument(races), title, first ? `${first.transcript.tool.name} ${first.transcript.tool.version}` : 'llmrace');
}
