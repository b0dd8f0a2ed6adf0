// The stamping threads' benches (docs/stamping-threads.md). Each row runs three clients
// against the same paced server in one run, interleaved: llmrace as shipped (streams on stamping
// threads), the baseline (LLMRACE_STAMPING=inline: the previous engine, stamping beside the tokenizer
// and the snapshots on one thread) and the floor (bench/paced-reader.js: a bare node:http reader).
// Errors are arrival − the server's own write time of the chunk (bench/paced-server.js).
//   npm run bench -- scale           256 × 200 tok/s and 512 × 100 tok/s headless (target: TTFT error max ≤ 10 / 20 ms)
//   npm run bench -- ui-scale        32 × 200 tok/s with the live UI in a pty (target: chunk-time error p99 ≤ 5 ms)
//   npm run bench -- first-request   spawn → first request, headless and live, against `node -e 0` (target: ≤ 300 ms over it)
//   npm run bench -- llama           live races against a real llama-server at $LLMRACE_LLAMA_URL, rounds alternated (skipped when unset)
import {execFileSync, spawn, spawnSync} from 'node:child_process';
import {once} from 'node:events';
import {existsSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {percentile, root, table} from './lib.js';
import {runInTerminal} from './ui.js';

const sleep = ms =>
	new Promise(resolve => {
		setTimeout(resolve, ms);
	});
const wallNow = () => performance.timeOrigin + performance.now();
const cli = path.join(root, 'distribution/cli.js');

async function startPaced(rate) {
	const child = spawn(process.execPath, [path.join(root, 'bench/paced-server.js'), String(rate)], {stdio: ['ignore', 'pipe', 'inherit']});
	const [data] = await once(child.stdout, 'data');
	return {
		baseURL: data.toString().trim(),
		async close() {
			const lines = [];
			child.stdout.on('data', more => lines.push(more.toString()));
			child.kill('SIGTERM');
			await once(child, 'exit');
			const last = lines.join('').trim().split('\n').at(-1);
			return last ? JSON.parse(last) : {};
		},
	};
}

function presetFor(dir, baseURL, count) {
	const file = path.join(dir, `paced-${count}.yaml`);
	writeFileSync(file, `baseURL: ${baseURL}\nmodels:\n${Array.from({length: count}, (_, index) => `  - {id: m${index}}`).join('\n')}\n`);
	return file;
}

/** Chunk-time errors of a transcript (each chunk's text is the server's write time), TTFT errors, and what the client measured of itself. */
function errorsOf(transcript) {
	const ttft = [];
	const chunks = [];
	for (const model of transcript.models) {
		for (const run of model.runs) {
			if (run.status !== 'ok') {
				throw new Error(`bench run failed: ${model.id} ${run.status} ${run.error?.message}`);
			}

			const errors = run.chunks.map(([offset, text]) => offset - Number(text));
			ttft.push(errors[0]);
			chunks.push(...errors);
		}
	}

	const delay = transcript.measurement?.eventLoopDelayMs;
	return {ttft, chunks, delayP99: delay?.p99 ?? Number.NaN, threads: transcript.measurement?.threads?.length ?? 1};
}

function headless(preset, tokens, env) {
	const out = execFileSync(process.execPath, [cli, '--json', '-p', preset, '--max-tokens', String(tokens), 'x'], {
		encoding: 'utf8',
		maxBuffer: 1024 * 1024 * 1024,
		env: {...process.env, ...env},
		stdio: ['ignore', 'pipe', 'ignore'],
	});
	return errorsOf(JSON.parse(out));
}

function floor(baseURL, tokens, count) {
	return JSON.parse(
		execFileSync(process.execPath, [path.join(root, 'bench/paced-reader.js'), baseURL, String(tokens), String(count)], {
			encoding: 'utf8',
			maxBuffer: 1024 * 1024 * 1024,
		}),
	);
}

async function live(dir, preset, tokens, env, name) {
	const out = path.join(dir, `${name}.json`);
	const term = runInTerminal(['-p', preset, '-o', out, '--max-tokens', String(tokens), 'x'], {cwd: dir, env});
	while (!existsSync(out)) {
		await sleep(100);
	}

	await sleep(500);
	term.write('q');
	await term.close();
	return errorsOf(JSON.parse(readFileSync(out, 'utf8')));
}

function summary(name, samples) {
	const ttft = samples.flatMap(sample => sample.ttft).map(Math.abs);
	const chunks = samples.flatMap(sample => sample.chunks).map(Math.abs);
	const delays = samples.map(sample => sample.delayP99).filter(Number.isFinite);
	// The worst of one run is one sample of this machine's noise: each round's worst, and their median, beside the worst of all.
	const roundMax = samples.map(sample => Math.max(...sample.ttft.map(Math.abs)));
	return [
		name,
		percentile(ttft, 50).toFixed(2),
		Math.max(...ttft).toFixed(2),
		`${percentile(roundMax, 50).toFixed(2)} (${roundMax.map(value => value.toFixed(0)).join(' · ')})`,
		percentile(chunks, 99).toFixed(2),
		delays.length > 0 ? Math.max(...delays).toFixed(1) : '—',
		samples[0]?.threads ?? '—',
	];
}

const header = ['client', 'TTFT err p50 ms', 'TTFT err max', 'max per round: median (each)', 'chunk err p99', 'own delay p99 (worst)', 'threads'];

/** 256 × 200 tok/s and 512 × 100 tok/s, headless. */
export async function scaleBench({
	rounds = 5,
	loads = [
		[256, 200, 200],
		[512, 100, 100],
	],
} = {}) {
	const parts = [];
	for (const [count, rate, tokens] of loads) {
		const server = await startPaced(rate);
		const dir = mkdtempSync(path.join(tmpdir(), 'llmrace-scale-'));
		const preset = presetFor(dir, server.baseURL, count);
		const results = {threads: [], inline: [], floor: []};
		floor(server.baseURL, tokens, count);
		for (let round = 0; round < rounds; round++) {
			results.floor.push(floor(server.baseURL, tokens, count));
			results.threads.push(headless(preset, tokens, {}));
			results.inline.push(headless(preset, tokens, {LLMRACE_STAMPING: 'inline'}));
		}

		await server.close();
		parts.push(
			`${count} streams × ${rate} tok/s, ${tokens} tokens, headless, ${rounds} rounds (target: TTFT err max ≤ ${count > 256 ? 20 : 10} ms)\n\n${table(header, [
				summary('llmrace (stamping threads)', results.threads),
				summary('baseline (one engine thread)', results.inline),
				summary('floor (bare node:http reader)', results.floor),
			])}`,
		);
	}

	return parts.join('\n\n');
}

/** 32 × 200 tok/s with the live UI in a 200×60 pty. */
export async function uiScaleBench({rounds = 5, count = 32, rate = 200, tokens = 400} = {}) {
	const server = await startPaced(rate);
	const dir = mkdtempSync(path.join(tmpdir(), 'llmrace-uiscale-'));
	const preset = presetFor(dir, server.baseURL, count);
	const results = {threads: [], inline: [], floor: []};
	floor(server.baseURL, tokens, count);
	for (let round = 0; round < rounds; round++) {
		results.floor.push(floor(server.baseURL, tokens, count));
		results.threads.push(await live(dir, preset, tokens, {}, `threads-${round}`));
		results.inline.push(await live(dir, preset, tokens, {LLMRACE_STAMPING: 'inline'}, `inline-${round}`));
	}

	await server.close();
	return `${count} streams × ${rate} tok/s, live UI, ${rounds} rounds (target: chunk err p99 ≤ 5 ms)\n\n${table(header, [
		summary('llmrace (stamping threads)', results.threads),
		summary('baseline (one engine thread)', results.inline),
		summary('floor (bare node:http reader)', results.floor),
	])}`;
}

/** Spawn → the server sees the first request; median of `times`, interleaved with a bare `node -e 0`. */
export async function firstRequestBench({times = 5} = {}) {
	const dir = mkdtempSync(path.join(tmpdir(), 'llmrace-firstreq-'));
	const runs = {bare: [], headless: [], live: [], headlessInline: [], liveInline: []};
	const once1 = async (mode, env) => {
		const server = await startPaced(200);
		const preset = presetFor(dir, server.baseURL, 1);
		const spawnedAt = wallNow();
		if (mode === 'headless') {
			spawnSync(process.execPath, [cli, '--json', '-p', preset, '--max-tokens', '5', 'x'], {stdio: 'ignore', env: {...process.env, ...env}});
		} else {
			const out = path.join(dir, `first-${Math.random()}.json`);
			const term = runInTerminal(['-p', preset, '-o', out, '--max-tokens', '5', 'x'], {cwd: dir, env});
			while (!existsSync(out)) {
				await sleep(50);
			}

			term.write('q');
			await term.close();
		}

		const {firstRequestWallMs} = await server.close();
		return firstRequestWallMs - spawnedAt;
	};

	for (let index = 0; index < times; index++) {
		const start = wallNow();
		spawnSync(process.execPath, ['-e', '0'], {stdio: 'ignore'});
		runs.bare.push(wallNow() - start);
		runs.headless.push(await once1('headless', {}));
		runs.live.push(await once1('live', {}));
		runs.headlessInline.push(await once1('headless', {LLMRACE_STAMPING: 'inline'}));
		runs.liveInline.push(await once1('live', {LLMRACE_STAMPING: 'inline'}));
	}

	const bare = percentile(runs.bare, 50);
	const row = (name, values) => [name, percentile(values, 50).toFixed(1), (percentile(values, 50) - bare).toFixed(1)];
	return `spawn → first request at the server, median of ${times} (target: ≤ 300 ms over a bare node)\n\n${table(
		['', 'median ms', 'over bare node'],
		[
			['node -e 0 (to exit)', bare.toFixed(1), '—'],
			row('llmrace --json', runs.headless),
			row('llmrace live (pty)', runs.live),
			row('baseline --json (inline engine)', runs.headlessInline),
			row('baseline live (inline engine)', runs.liveInline),
		],
	)}`;
}

/**
 * The llama row's floor: the same race read by a bare node:http reader in a fresh process (bench/llama-floor.js), its
 * own loop's delay p99 and its runs within 3 %. In a session of its own (setsid), as the live race runs in its
 * terminal's: Linux's autogroups share the cores between sessions first, and a reader in the server's own session
 * read 2–4 ms where one in its own read 7–27 ms.
 */
async function llamaFloor(baseURL) {
	const child = spawn('setsid', ['-w', process.execPath, fileURLToPath(new URL('llama-floor.js', import.meta.url)), baseURL], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	let out = '';
	child.stdout.on('data', data => {
		out += data;
	});
	await once(child, 'exit');
	return JSON.parse(out);
}

/**
 * Live races against a real llama-server (4 ids × 5 runs × 256 tokens): as shipped, the baseline and the floor, a race
 * of each a round; and, during llmrace's own race, the floor's reader too, at the same moment.
 */
export async function llamaBench({baseURL = process.env.LLMRACE_LLAMA_URL, rounds = Number(process.env.LLMRACE_BENCH_LLAMA_ROUNDS ?? 6)} = {}) {
	if (!baseURL) {
		return 'skipped: set LLMRACE_LLAMA_URL to a running llama-server (see CONTRIBUTING/README, "Benchmarks")';
	}

	const dir = mkdtempSync(path.join(tmpdir(), 'llmrace-llama-'));
	const preset = path.join(dir, 'llama.yaml');
	writeFileSync(preset, `baseURL: ${baseURL}\nmodels:\n${['a', 'b', 'c', 'd'].map(id => `  - {id: ${id}}`).join('\n')}\n`);
	const blank = name => ({name, delays: [], within: 0, runs: 0, flags: {}});
	const llmrace = {...blank('llmrace (stamping threads)'), env: {}};
	const baseline = {...blank('baseline (one engine thread)'), env: {LLMRACE_STAMPING: 'inline'}};
	const floor = {...blank('floor (bare node:http reader, own session)'), floor: true};
	// The same reader during llmrace's race: the same moment of the machine, llmrace's own threads included (a floor
	// that cannot see them, only that the stamps are as punctual as a bare reader's beside them).
	const alongside = {...blank('floor alongside llmrace (same moment)'), floor: true};
	const clients = [llmrace, baseline, floor];
	const addFloor = (client, result) => {
		client.delays.push(result.delayP99);
		client.within += result.within;
		client.runs += result.runs;
	};

	// One live race of each client a round, the clients alternated: the server decoding on the same cores makes
	// one race's p99 one sample of the machine's noise (a bare reader alone read 4 to 94 ms across six races).
	for (let round = 0; round < rounds; round++) {
		for (const client of clients) {
			if (client.floor) {
				addFloor(client, await llamaFloor(baseURL));
				continue;
			}

			const beside = client === llmrace ? llamaFloor(baseURL) : undefined;
			const out = path.join(dir, `${client.env.LLMRACE_STAMPING ?? 'threads'}-${round}.json`);
			const term = runInTerminal(['-p', preset, '-n', '5', '-o', out, '--max-tokens', '256', 'Write a long story about a cat'], {cwd: dir, env: client.env});
			while (!existsSync(out)) {
				await sleep(200);
			}

			await sleep(300);
			term.write('q');
			await term.close();
			if (beside) {
				addFloor(alongside, await beside);
			}

			const transcript = JSON.parse(readFileSync(out, 'utf8'));
			client.delays.push(transcript.measurement?.eventLoopDelayMs?.p99 ?? Number.NaN);
			for (const model of transcript.models) {
				for (const run of model.runs) {
					const server = run.serverTimings?.timings?.predicted_per_second;
					if (run.status === 'ok' && server && run.tokensPerSecond) {
						client.runs++;
						client.within += Math.abs(run.tokensPerSecond / server - 1) <= 0.03 ? 1 : 0;
					}

					for (const flag of run.flags) {
						client.flags[flag] = (client.flags[flag] ?? 0) + 1;
					}
				}
			}
		}
	}

	const median = client => percentile(client.delays, 50);
	const rows = [...clients, alongside].map(client => [
		client.name,
		median(client).toFixed(1),
		client.floor ? '—' : `${(median(client) / median(floor)).toFixed(2)}×`,
		client === llmrace ? `${(median(client) / median(alongside)).toFixed(2)}×` : '—',
		client.delays.map(delay => delay.toFixed(0)).join(' '),
		`${((client.within / client.runs) * 100).toFixed(0)} % of ${client.runs}`,
		client.floor
			? '—'
			: Object.entries(client.flags)
					.map(([flag, count]) => `${flag} ${count}`)
					.join(', ') || 'none',
	]);
	return `live race vs llama-server at ${baseURL}, 4 ids × 5 runs × 256 tokens, ${rounds} rounds alternated; the floor also alongside llmrace's race (start the server with -np 8 so that both are served at once) (targets: delay p99 ≤ 20 ms; tok/s within 3 % of predicted_per_second for ≥ 90 % of runs)\n\n${table(
		['client', 'stamping delay p99 ms, median', 'vs floor', 'vs floor alongside', 'each round', 'runs within 3 %', 'flags'],
		rows,
	)}`;
}
