// Spawn → first frame and spawn → first t0 of a live race in a 200×50 pseudo-terminal (node-pty),
// next to a bare `node -e 0` in the same terminal. The first t0 comes from LLMRACE_BENCH_T0: the live
// command writes the first t0's wall time (performance.timeOrigin + now) to that file; nothing else reads it.
import {existsSync, mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import pty from '@lydell/node-pty';
import {percentile, root, table} from './lib.js';

const wallNow = () => performance.timeOrigin + performance.now();
const sleep = ms =>
	new Promise(resolve => {
		setTimeout(resolve, ms);
	});

/** Spawn `args` in a pty; resolve with ms until `seen(screenText)` first holds (or until exit when none). */
function spawnUntil(args, {env = {}, seen, timeoutMs = 20_000} = {}) {
	return new Promise((resolve, reject) => {
		const startedAt = wallNow();
		const child = pty.spawn(process.execPath, args, {cols: 200, rows: 50, cwd: root, env: {...process.env, NO_COLOR: '1', CI: 'false', ...env}});
		let output = '';
		let frameMs = null;
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`no first frame within ${timeoutMs} ms: ${JSON.stringify(output.slice(-300))}`));
		}, timeoutMs);
		child.onData(data => {
			output += data;
			if (seen && frameMs === null && seen(output)) {
				frameMs = wallNow() - startedAt;
			}
		});
		child.onExit(() => {
			clearTimeout(timer);
			resolve({startedAt, frameMs: seen ? frameMs : wallNow() - startedAt, output});
		});
		if (seen) {
			const poll = setInterval(() => {
				if (frameMs !== null && (!env.LLMRACE_BENCH_T0 || existsSync(env.LLMRACE_BENCH_T0) || wallNow() - startedAt > frameMs + 5000)) {
					clearInterval(poll);
					child.kill('SIGTERM');
				}
			}, 20);
		}
	});
}

/** The race screen's header and a queued (or later) panel are on screen. */
const headerShown = output => {
	const text = output.replaceAll(/\u001B\[[\d;?]*[A-Za-z]/g, '');
	return /llmrace “/.test(text) && /queued|connecting|thinking|streaming|done/.test(text);
};

export async function firstFrameBench({times = 10} = {}) {
	const dir = mkdtempSync(path.join(tmpdir(), 'llmrace-firstframe-'));
	const bare = [];
	const frames = [];
	const t0s = [];
	for (let index = 0; index < times; index++) {
		bare.push((await spawnUntil(['-e', '0'])).frameMs);
		const file = path.join(dir, `t0-${index}.json`);
		const {startedAt, frameMs} = await spawnUntil([path.join(root, 'distribution/cli.js'), '--seed', '1', 'Explain recursion'], {
			env: {LLMRACE_BENCH_T0: file},
			seen: headerShown,
		});
		frames.push(frameMs);
		t0s.push(existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).firstT0WallMs - startedAt : Number.NaN);
		await sleep(100);
	}

	const row = (name, values) => [name, percentile(values, 50).toFixed(1), percentile(values, 95).toFixed(1)];
	const gap = percentile(frames, 50) - percentile(bare, 50);
	return `${table(['from spawn (ms)', 'median', 'p95'], [row('node -e 0 (baseline, to exit)', bare), row('llmrace: first frame', frames), row('llmrace: first t0', t0s)])}\n\nfirst frame − bare node: ${gap.toFixed(1)} ms (target ≤ 250 ms)`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
	console.log(await firstFrameBench());
}
