// The HTML report at scale: a transcript of 32 models × 10 runs × 512 one-token chunks, made in-process
// with fake data, rendered to HTML (ECharts' SSR SVG). Targets: under 2 MB and under 2 s.
import {performance} from 'node:perf_hooks';
import {mkdtempSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {table, timeCommand} from './lib.js';

export async function reportHtmlBench({models: modelCount = 32, runs = 10, tokens = 512, times = 3} = {}) {
	const {buildTranscript} = await import('../distribution/core/transcript/build.js');
	const {bracketOf} = await import('../distribution/core/presets/brackets.js');
	const {labelRaces} = await import('../distribution/core/report/report.js');
	const words = ['recursion', ' is', ' a', ' function', ' that', ' calls', ' itself', ' until', ' a', ' base', ' case', '.'];
	const models = Array.from({length: modelCount}, (_, index) => {
		const outputPerM = [0.05, 0.2, 0.5, 2][index % 4] * (1 + index / 40);
		const spec = {
			id: `model-${index}`,
			name: `Model ${index} ${'x'.repeat(index % 7)}`,
			provider: `Provider ${index % 5}`,
			baseURL: 'http://127.0.0.1:1/v1',
			apiKeyEnv: null,
			headers: {},
			price: {inputPerM: null, outputPerM},
			reasoning: index % 9 === 0,
			reference: null,
		};
		const ttftMs = 100 + ((index * 37) % 900);
		const tps = 20 + ((index * 13) % 180);
		return {
			spec,
			bracket: bracketOf(outputPerM),
			runs: Array.from({length: runs}, (_, run) => {
				const chunks = Array.from({length: tokens}, (_, position) => [ttftMs + run + (position * 1000) / tps, words[position % words.length]]);
				const text = chunks.map(chunk => chunk[1]).join('');
				return {
					index: run,
					warmup: false,
					status: 'ok',
					error: null,
					ttftMs: ttftMs + run,
					ttfaMs: ttftMs + run,
					totalMs: chunks.at(-1)[0],
					promptTokens: 14,
					outputTokens: tokens,
					tokenSource: 'usage',
					reasoningTokens: null,
					hiddenReasoning: false,
					serverTimings: null,
					tokensPerSecond: tps,
					interChunkMs: {p50: 1000 / tps, p95: 1000 / tps, p99: 1000 / tps, max: 1000 / tps},
					costUSD: (tokens * outputPerM) / 1e6,
					finishReason: 'stop',
					truncated: false,
					phases: null,
					flags: [],
					servedModel: null,
					reconnected: false,
					text,
					reasoningText: '',
					chunks,
				};
			}),
		};
	});
	const transcript = (region, shift) =>
		buildTranscript({
			toolVersion: '0.1.0',
			startedAt: new Date('2026-05-20T10:00:00Z'),
			finishedAt: new Date('2026-05-20T10:01:00Z'),
			region,
			prompt: 'Explain recursion',
			preset: 'bench',
			simulated: true,
			settings: {runs, warmup: 0, maxTokens: tokens, temperature: null, concurrency: null, timeoutMs: 120_000, seed: 1},
			aborted: false,
			models: models.map(model => ({...model, runs: model.runs.map(run => ({...run, ttftMs: run.ttftMs + shift, ttfaMs: run.ttfaMs + shift}))})),
		});
	const one = labelRaces([{file: 'us.json', transcript: transcript('us-east', 0)}]);
	const two = labelRaces([
		{file: 'us.json', transcript: transcript('us-east', 0)},
		{file: 'sg.json', transcript: transcript('singapore', 40)},
	]);
	const startedImport = performance.now();
	const {reportHtml} = await import('../distribution/core/report/html.js');
	// As `llmrace report` does before it writes (core/text/cells.ts): string-width for the Markdown tables.
	await (await import('../distribution/core/text/cells.js')).loadCellWidths();
	const importMs = performance.now() - startedImport;
	const rows = [];
	for (const [label, races] of [
		['1 race', one],
		['2 races (4 charts)', two],
	]) {
		const durations = [];
		let size = 0;
		for (let time = 0; time < times; time++) {
			const started = performance.now();
			const html = await reportHtml(races);
			durations.push(performance.now() - started);
			size = Buffer.byteLength(html);
		}

		durations.sort((a, b) => a - b);
		rows.push([
			`${modelCount} models × ${runs} runs × ${tokens} chunks, ${label}`,
			(size / 1024 / 1024).toFixed(2),
			durations[0].toFixed(0),
			durations.at(-1).toFixed(0),
		]);
	}

	// The whole command, as a user runs it: node start, read both transcripts, load echarts, render, write.
	const folder = mkdtempSync(path.join(tmpdir(), 'llmrace-bench-report-'));
	try {
		const {transcriptToJson} = await import('../distribution/core/transcript/build.js');
		const files = two.map((race, index) => {
			const file = path.join(folder, `race-${index}.json`);
			writeFileSync(file, transcriptToJson(race.transcript));
			return file;
		});
		const out = path.join(folder, 'race.html');
		const wall = timeCommand(['distribution/cli.js', 'report', '--format', 'html', ...files, '-o', out], times).sort((a, b) => a - b);
		rows.push([
			`llmrace report --format html (2 files of ${(statSync(files[0]).size / 1024 / 1024).toFixed(1)} MB)`,
			(statSync(out).size / 1024 / 1024).toFixed(2),
			wall[0].toFixed(0),
			wall.at(-1).toFixed(0),
		]);
	} finally {
		rmSync(folder, {recursive: true, force: true});
	}

	return `${table(['report', 'size (MB)', 'best ms', 'worst ms'], rows)}\n(import of the report module: ${importMs.toFixed(0)} ms; echarts loads on the first render, inside the first run's time)`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
	console.log(await reportHtmlBench());
}
