// `npm run bench`: every benchmark, printed as tables. Never part of `npm test`.
import {spawnSync} from 'node:child_process';
import {engineBench} from './engine.js';
import {uiBench} from './ui.js';
import {soakBench} from './soak.js';
import {reportHtmlBench} from './report-html.js';
import {firstFrameBench} from './first-frame.js';
import {historyBench} from './history.js';
import {firstRequestBench, llamaBench, scaleBench, uiScaleBench} from './stamping.js';
import {loadBench} from './load.js';
import {percentile, root, table, timeCommand} from './lib.js';

const only = new Set(process.argv.slice(2));
// No benchmark writes to the user's history; the history bench turns recording on for its own stores.
process.env.LLMRACE_NO_HISTORY ??= '1';
const want = name => only.size === 0 || only.has(name);

if (want('startup')) {
	console.log('\n## Start-up (wall ms, median of 10 each, interleaved in one run; target: --help and --version within 60 ms of a bare node)\n');
	// Interleaved, so that a busy moment of the machine falls on all three alike.
	const nodeOnly = [];
	const helpRuns = [];
	const versionRuns = [];
	for (let round = 0; round < 10; round++) {
		nodeOnly.push(...timeCommand(['-e', '0'], 1));
		helpRuns.push(...timeCommand(['distribution/cli.js', '--help'], 1));
		versionRuns.push(...timeCommand(['distribution/cli.js', '--version'], 1));
	}

	const bare = percentile(nodeOnly, 50);
	console.log(
		table(
			['command', 'median', 'p95', 'median − bare'],
			[
				['node -e 0  (baseline)', bare.toFixed(1), percentile(nodeOnly, 95).toFixed(1), '—'],
				['llmrace --help', percentile(helpRuns, 50).toFixed(1), percentile(helpRuns, 95).toFixed(1), (percentile(helpRuns, 50) - bare).toFixed(1)],
				['llmrace --version', percentile(versionRuns, 50).toFixed(1), percentile(versionRuns, 95).toFixed(1), (percentile(versionRuns, 50) - bare).toFixed(1)],
			],
		),
	);
}

if (want('first-frame')) {
	console.log(
		'\n## First frame: spawn → race screen header with queued panels, spawn → first t0 (200×50 pty, demo, median of 10; target: first frame within 250 ms of a bare node)\n',
	);
	console.log(await firstFrameBench());
}

if (want('engine')) {
	console.log(
		"\n## Engine accuracy, no UI (error = measured − simulator's own log; targets: TTFT p99 ≤ 2 ms at 1 stream, ≤ 5 ms at 32 × 200 tok/s; tok/s ≤ 1 %)\n",
	);
	const {text} = await engineBench();
	console.log(text);
}

if (want('load')) {
	console.log(
		'\n## Load client: `llmrace load --json` as built (load worker + stamping threads), simulator in its own process: send lag and TTFT error (targets: send lag p99 ≤ 2 ms at 200 req/s; TTFT error as the engine bench)\n',
	);
	console.log(await loadBench());
}

if (want('sim')) {
	console.log('\n## Simulated demo race vs the published figures (10 runs per model, --max-tokens 60; target: medians within 10 %)\n');
	const result = spawnSync(
		process.execPath,
		['distribution/cli.js', '--json', '-n', '10', '--seed', '11', '--max-tokens', '60', 'Explain recursion in 200 words'],
		{cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024},
	);
	if (result.status !== 0) {
		throw new Error(`demo race failed: ${result.stderr}`);
	}

	const transcript = JSON.parse(result.stdout);
	const {loadPreset} = await import('../distribution/io/presets.js');
	const demo = await loadPreset('demo');
	const rows = transcript.models.map(model => {
		const reference = demo.models.find(candidate => candidate.id === model.id).reference;
		// For reasoning models the published TTFT is the first visible token (TTFA).
		const ttft = model.reasoning ? model.summary.ttfaMs.median : model.summary.ttftMs.median;
		const tps = model.summary.tokensPerSecond.median;
		return [
			model.name,
			reference.ttftMs,
			ttft.toFixed(1),
			`${((ttft / reference.ttftMs - 1) * 100).toFixed(1)} %`,
			reference.tokensPerSecond,
			tps.toFixed(2),
			`${((tps / reference.tokensPerSecond - 1) * 100).toFixed(1)} %`,
		];
	});
	console.log(table(['model', 'pub TTFT', 'median TTFT(A)', 'diff', 'pub tok/s', 'median tok/s', 'diff'], rows));
}

if (want('ui')) {
	console.log(
		'\n## Live UI in a 200×60 pseudo-terminal (node-pty, read by a headless xterm), engine in its worker, simulator in its own process (targets at 15 × 200 tok/s: TTFT p99 ≤ 5 ms, tok/s ≤ 1 %, ≤ 15 frames/s, < 30 % of a core)\n',
	);
	console.log(await uiBench());
}

if (want('soak')) {
	console.log('\n## Soak: 300 consecutive races in one process (target: within 10 % of after the first race)\n');
	console.log(await soakBench());
}

if (want('report')) {
	console.log('\n## HTML report of 32 models × 10 runs (targets: < 2 MB, < 2 s)\n');
	console.log(await reportHtmlBench());
}

if (want('history')) {
	console.log('\n## History: the end-of-race cost of recording, and history <model> over 10,000 stored races (npm run bench -- history)\n');
	console.log(await historyBench());
}

if (want('scale')) {
	console.log('\n## Scale, headless: stamping threads vs the one-thread baseline vs a bare reader, against a paced server\n');
	console.log(await scaleBench());
}

if (want('ui-scale')) {
	console.log('\n## Scale with the live UI: chunk-time error, stamping threads vs baseline vs a bare reader\n');
	console.log(await uiScaleBench());
}

if (want('first-request')) {
	console.log('\n## First request: spawn → the server sees it\n');
	console.log(await firstRequestBench());
}

if (want('llama')) {
	console.log('\n## A real llama-server with the live UI ($LLMRACE_LLAMA_URL)\n');
	console.log(await llamaBench());
}
