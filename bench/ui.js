// The live UI rendering to a real pseudo-terminal (@lydell/node-pty, its output drawn by the @xterm/headless
// emulator as a terminal would): TTFT and tok/s error versus the server's log, frames built and written per second,
// CPU seconds of the whole llmrace process per second of race.
import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {spawn as spawnPty} from '@lydell/node-pty';
import xterm from '@xterm/headless';
import {percentile, root, startSimProcess, table} from './lib.js';

const sleep = ms =>
	new Promise(resolve => {
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

/**
 * `node distribution/cli.js ...args` in a pseudo-terminal (200×60 unless told) whose output a headless xterm consumes,
 * as a terminal would. `onData(text, elapsedMs)` sees every write with the time since the spawn (e.g. to time the first
 * frame); `screen()` is the visible text. Exported for other benchmarks.
 */
export function runInTerminal(args, {cwd, env, cols = 200, rows = 60, onData} = {}) {
	const terminal = new xterm.Terminal({cols, rows, allowProposedApi: true});
	const spawnedAt = performance.now();
	const child = spawnPty(process.execPath, [path.join(root, 'distribution/cli.js'), ...args], {
		name: 'xterm-256color',
		cols,
		rows,
		cwd: cwd ?? root,
		env: {...process.env, CI: 'false', ...env},
	});
	child.onData(data => {
		onData?.(data, performance.now() - spawnedAt);
		terminal.write(data);
	});
	const exit = new Promise(resolve => {
		child.onExit(resolve);
	});
	return {
		write: keys => child.write(keys),
		screen() {
			const buffer = terminal.buffer.active;
			return Array.from({length: rows}, (_, y) => buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? '').join('\n');
		},
		exit,
		async close() {
			const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
			await exit;
			clearTimeout(timer);
			terminal.dispose();
		},
	};
}

export async function uiBench({counts = [15, 32], rate = 200, races = 5} = {}) {
	const rows = [];
	for (const count of counts) {
		const tokens = 600;
		const models = Array.from({length: count}, (_, index) => ({
			id: `m${index}`,
			ttftMs: 150 + (index % 8) * 10,
			tokensPerSecond: rate,
			reasoning: false,
			outputTokens: tokens,
		}));
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
		const floorRace = () =>
			JSON.parse(
				execFileSync(process.execPath, [path.join(root, 'bench/raw-child.js'), sim.baseURL, String(tokens), ...models.map(model => model.id)], {
					encoding: 'utf8',
				}),
			);
		floorRace();
		for (let race = 0; race < races; race++) {
			floorErrors.push(...floorRace());
			const out = path.join(dir, `race-${race}.json`);
			const statsFile = path.join(dir, `stats-${race}.json`);
			const extra = (process.env.UI_BENCH_FLAGS ?? '').split(/\s+/).filter(Boolean);
			const term = runInTerminal(['-p', preset, '-o', out, '--max-tokens', String(tokens), ...extra, 'Explain recursion'], {
				cwd: dir,
				env: {LLMRACE_UI_STATS: statsFile},
			});
			await waitForFile(out, 60_000);
			await sleep(500);
			term.write('q');
			await waitForFile(statsFile, 10_000);
			await term.close();
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
		rows.push([
			count,
			rate,
			ttftErrors.length,
			percentile(ttftErrors, 50).toFixed(2),
			percentile(ttftErrors, 99).toFixed(2),
			percentile(floorErrors, 50).toFixed(2),
			percentile(floorErrors, 99).toFixed(2),
			percentile(tpsErrors, 99).toFixed(3),
			mean('builtPerSecond').toFixed(1),
			mean('framesPerSecond').toFixed(1),
			(mean('cpuSecondsPerSecond') * 100).toFixed(1),
		]);
	}

	return table(
		[
			'models',
			'tok/s',
			'runs',
			'TTFT err p50 ms',
			'p99 ms',
			'floor p50 ms',
			'floor p99 ms',
			'tok/s err p99 %',
			'frames built/s',
			'frames written/s',
			'CPU % of a core',
		],
		rows,
	);
}
