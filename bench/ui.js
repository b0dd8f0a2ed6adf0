// The live UI rendering to a pseudo-terminal (tmux): TTFT and tok/s error versus the server's log,
// frames built and written per second, CPU seconds of the whole llmrace process per second of race.
import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {percentile, root, startSimProcess, table} from './lib.js';

const sleep = ms => new Promise(resolve => {
	setTimeout(resolve, ms);
});

async function waitForFile(file, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	while (!existsSync(file)) {
		if (Date.now() > deadline) {
			throw new Error(`${file} never appeared`);
		}

		await sleep(100);
	}
}

export async function uiBench({counts = [15, 32], rate = 200, races = 5} = {}) {
	execFileSync('tmux', ['-V']);
	const rows = [];
	for (const count of counts) {
		const tokens = 600;
		const models = Array.from({length: count}, (_, index) => ({id: `m${index}`, ttftMs: 150 + (index % 8) * 10, tokensPerSecond: rate, reasoning: false, outputTokens: tokens}));
		const sim = await startSimProcess({models, seed: 2, jitter: 0});
		const dir = mkdtempSync(path.join(tmpdir(), 'llmrace-uibench-'));
		const preset = path.join(dir, 'bench.yaml');
		writeFileSync(preset, `baseURL: ${sim.baseURL}\nmodels:\n${models.map(model => `  - {id: ${model.id}, price: {outputPerM: 1}}`).join('\n')}\n`);
		const ttftErrors = [];
		const tpsErrors = [];
		const stats = [];
		// The floor: the same load from a fresh process running the minimal raw client, without any UI.
		// One unmeasured pass first warms the simulator's own HTTP path; then floor and llmrace races
		// alternate, so both meet the simulator in the same state.
		const floorErrors = [];
		const floorRace = () => JSON.parse(execFileSync(process.execPath, [path.join(root, 'bench/raw-child.js'), sim.baseURL, String(tokens), ...models.map(model => model.id)], {encoding: 'utf8'}));
		floorRace();
		for (let race = 0; race < races; race++) {
			floorErrors.push(...floorRace());
			const out = path.join(dir, `race-${race}.json`);
			const statsFile = path.join(dir, `stats-${race}.json`);
			const session = `llmrace-bench-${process.pid}-${count}-${race}`;
			execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', '200', '-y', '60', '-c', dir,
				`CI=false LLMRACE_UI_STATS=${statsFile} ${process.execPath} ${path.join(root, 'distribution/cli.js')} -p ${preset} -o ${out} --max-tokens ${tokens} ${process.env.UI_BENCH_FLAGS ?? ''} 'Explain recursion'; sleep 1`]);
			await waitForFile(out, 60_000);
			await sleep(500);
			execFileSync('tmux', ['send-keys', '-t', session, 'q']);
			await waitForFile(statsFile, 10_000);
			await sleep(200);
			try {
				execFileSync('tmux', ['kill-session', '-t', session], {stdio: 'ignore'});
			} catch {}

			stats.push(JSON.parse(readFileSync(statsFile, 'utf8')));
			const transcript = JSON.parse(readFileSync(out, 'utf8'));
			for (const model of transcript.models) {
				for (const run of model.runs) {
					const server = run.serverTimings?.x_llmrace_sim;
					if (run.status !== 'ok' || !server) {
						throw new Error(`ui bench run failed: ${model.id} ${run.status}`);
					}

					ttftErrors.push(Math.abs(run.ttftMs - server.ttft_ms));
					tpsErrors.push(Math.abs(run.tokensPerSecond / server.decode_tps - 1) * 100);
				}
			}
		}

		await sim.close();
		const mean = key => stats.reduce((sum, entry) => sum + entry[key], 0) / stats.length;
		rows.push([count, rate, ttftErrors.length, percentile(ttftErrors, 50).toFixed(2), percentile(ttftErrors, 99).toFixed(2), percentile(floorErrors, 50).toFixed(2), percentile(floorErrors, 99).toFixed(2), percentile(tpsErrors, 99).toFixed(3),
			mean('builtPerSecond').toFixed(1), mean('framesPerSecond').toFixed(1), (mean('cpuSecondsPerSecond') * 100).toFixed(1)]);
	}

	return table(['models', 'tok/s', 'runs', 'TTFT err p50 ms', 'p99 ms', 'floor p50 ms', 'floor p99 ms', 'tok/s err p99 %', 'frames built/s', 'frames written/s', 'CPU % of a core'], rows);
}
