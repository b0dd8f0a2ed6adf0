// `node bench/fresh-clone.js [rounds]`: the README's quick start, timed from a fresh clone to the race
// screen's first frame, in a real pseudo-terminal, as a newcomer runs it. Each round clones this checkout's
// HEAD into a temporary folder and runs there, in order:
//   1. the README's first command (`npm install … && npm run llmrace "…"`), spawn → first frame;
//   2. `npm run llmrace "…"` again (installed: what every later race costs);
//   3. `node distribution/cli.js "…"` (the floor: no npm in between);
//   4. `npx llmrace "…"`, what the README used to say: npx finds no llmrace in node_modules/.bin, installs
//      the clone into its cache (~/.npm/_npx) and builds it a second time.
// npm install needs the registry (or a warm npm cache): not part of npm test. Quote medians, and say how
// busy the machine was.
import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import pty from '@lydell/node-pty';
import {percentile, root, table} from './lib.js';

const rounds = Number(process.argv[2] ?? 3);
const prompt = 'Explain recursion in 200 words';

/** The README's first command: the first line of its Quick start block that races (`llmrace "`). */
function quickStart() {
	const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
	const section = readme.slice(readme.indexOf('## Quick start'));
	const line = section.split('\n').find(text => text.includes('llmrace "'));
	if (!line) {
		throw new Error('README.md: no quick start line with llmrace "');
	}

	return line.replace(/\s+#.*$/, '').trim();
}

/** The race screen's header and a panel: its first frame. */
const raceShown = output => {
	const text = output.replaceAll(/\u001B\[[\d;?]*[A-Za-z]/g, '');
	return /llmrace “/.test(text) && /queued|connecting|thinking|streaming|done/.test(text);
};

/** Run `command` under bash in a pty in `cwd`; resolve with seconds until the first frame (null if none). */
function timeToFrame(command, cwd, timeoutMs = 600_000) {
	return new Promise(resolve => {
		const startedAt = performance.now();
		const child = pty.spawn('bash', ['-c', command], {cols: 120, rows: 40, cwd, env: {...process.env, NO_COLOR: '1', CI: 'false'}});
		let output = '';
		let seconds = null;
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
		}, timeoutMs);
		child.onData(data => {
			output += data;
			if (seconds === null && raceShown(output)) {
				seconds = (performance.now() - startedAt) / 1000;
				// `q` stops the race; a second `q` leaves the leaderboard.
				child.write('q');
				setTimeout(() => child.write('q'), 1500);
				setTimeout(() => child.kill('SIGTERM'), 5000);
			}
		});
		child.onExit(() => {
			clearTimeout(timer);
			resolve({seconds, tail: output.slice(-400)});
		});
	});
}

/** Remove the copy `npx llmrace` made of the clone in npx's cache (and nothing else there). */
function forgetNpxCopy(dir) {
	const cache = path.join(execFileSync('npm', ['config', 'get', 'cache'], {encoding: 'utf8'}).trim(), '_npx');
	for (const entry of existsSync(cache) ? readdirSync(cache) : []) {
		const manifest = path.join(cache, entry, 'package.json');
		if (existsSync(manifest) && readFileSync(manifest, 'utf8').includes(path.basename(dir))) {
			rmSync(path.join(cache, entry), {recursive: true, force: true});
		}
	}
}

const line = quickStart();
console.log(`README's first command: ${line}\n`);
const results = {first: [], again: [], node: [], npx: []};
for (let round = 0; round < rounds; round++) {
	const dir = mkdtempSync(path.join(tmpdir(), 'llmrace-clone-'));
	try {
		execFileSync('git', ['clone', '--quiet', root, dir]);
		const steps = [
			['first', line],
			['again', `npm run llmrace "${prompt}"`],
			['node', `node distribution/cli.js "${prompt}"`],
			['npx', `npx --yes llmrace "${prompt}"`],
		];
		for (const [name, command] of steps) {
			const {seconds, tail} = await timeToFrame(command, dir);
			if (seconds === null) {
				console.log(`round ${round + 1}, ${name}: no race screen:\n${tail}`);
			} else {
				results[name].push(seconds);
				console.log(`round ${round + 1}, ${name}: ${seconds.toFixed(1)} s`);
			}
		}
	} finally {
		rmSync(dir, {recursive: true, force: true});
		forgetNpxCopy(dir);
	}
}

const row = (name, values) => [
	name,
	String(values.length),
	values.length ? percentile(values, 50).toFixed(1) : '—',
	values.length ? Math.max(...values).toFixed(1) : '—',
];
console.log(
	`\n${table(
		['from a fresh clone, spawn → race screen (s)', 'n', 'median', 'max'],
		[
			row(line.length > 60 ? `${line.slice(0, 57)}...` : line, results.first),
			row('npm run llmrace "…" (again)', results.again),
			row('node distribution/cli.js "…"', results.node),
			row('npx llmrace "…" (the old quick start)', results.npx),
		],
	)}`,
);
