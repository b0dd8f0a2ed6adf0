// Soak: 300 consecutive races of one run in one process against a loopback simulator in another.
// Sockets, handles, heap (after a full GC) and open file descriptors after the last race must stay
// within 10 % of after the first. Run by `npm run bench` with --expose-gc.
import {readdirSync, readlinkSync} from 'node:fs';
import {defaultBrackets} from '../distribution/core/presets/brackets.js';
import {startRace} from '../distribution/core/race/race.js';
import {warmUpHttp} from '../distribution/core/http/warm-up.js';
import {loadTokenCounter} from '../distribution/core/meter/tokens.js';
import {startSimProcess, table} from './lib.js';

function measure() {
	globalThis.gc?.();
	globalThis.gc?.();
	const fds = readdirSync('/proc/self/fd');
	const links = fds.map(fd => {
		try {
			return readlinkSync(`/proc/self/fd/${fd}`);
		} catch {
			return '';
		}
	});
	return {
		// Every open socket of the process, pooled keep-alive ones included.
		sockets: links.filter(link => link.startsWith('socket:')).length,
		handles: process._getActiveHandles().length,
		heapMB: process.memoryUsage().heapUsed / 1024 / 1024,
		fds: fds.length,
	};
}

export async function soakBench(runs = 300) {
	if (!globalThis.gc) {
		throw new Error('run with node --expose-gc');
	}

	const countTokens = await loadTokenCounter();
	await warmUpHttp();
	const sim = await startSimProcess({models: [{id: 'soak', ttftMs: 5, tokensPerSecond: 2000, reasoning: false, outputTokens: 60}], seed: 9, jitter: 0.1});
	const spec = {
		id: 'soak',
		name: 'soak',
		provider: null,
		baseURL: sim.baseURL,
		apiKeyEnv: null,
		headers: {},
		price: {inputPerM: null, outputPerM: 1},
		reasoning: false,
		reference: null,
	};
	let first;
	let failures = 0;
	const started = performance.now();
	for (let index = 0; index < runs; index++) {
		const transcript = await startRace({
			models: [spec],
			prompt: 'Explain recursion',
			countTokens,
			apiKeyOf: () => null,
			toolVersion: 'soak',
			region: null,
			settings: {runs: 1, warmup: 0, maxTokens: 60, temperature: null, concurrency: null, timeoutMs: 10_000, seed: 9},
			preset: {name: 'soak', simulated: true, brackets: defaultBrackets},
		}).done;
		failures += transcript.models[0].summary.failed;
		if (index === 0) {
			// Let the first race's sockets settle as the later ones will have.
			await new Promise(resolve => {
				setTimeout(resolve, 50);
			});
			first = measure();
		}
	}

	await new Promise(resolve => {
		setTimeout(resolve, 50);
	});
	const last = measure();
	const seconds = (performance.now() - started) / 1000;
	await sim.close();
	const row = (name, key, digits = 0) => {
		const change = first[key] === 0 ? (last[key] === 0 ? 0 : Infinity) : (last[key] / first[key] - 1) * 100;
		return [
			name,
			first[key].toFixed(digits),
			last[key].toFixed(digits),
			`${change >= 0 ? '+' : ''}${change.toFixed(1)} %`,
			Math.abs(change) <= 10 ? 'ok' : 'OVER 10 %',
		];
	};

	return `${runs} races in ${seconds.toFixed(1)} s, ${failures} failed runs\n\n${table(
		['', 'after race 1', `after race ${runs}`, 'change', ''],
		[row('open sockets', 'sockets'), row('active handles', 'handles'), row('heap used (MB, after GC)', 'heapMB', 2), row('open file descriptors', 'fds')],
	)}`;
}
