// `npm run bench -- load`: is the load client ever the bottleneck? What `llmrace load` runs (the built
// CLI, its load worker and stamping threads, `--json`) against a simulator in its own process: send lag
// (send − scheduled, the transcript's per-request queue time of requests that found a free slot) and
// TTFT error (measured − the simulator's own log of each request) at 200 requests/s across models, and
// at 1,000 streams in flight. Baselines, in the same run: the same schedule fired by the same timers
// with no request at all, and a floor: the same arrivals sent and read by a bare node:http client
// (bench/load-floor.js), beside the same simulator. Each case runs LLMRACE_BENCH_LOAD_ROUNDS rounds (5), the
// clients alternated in each; each figure is the median of the rounds.
import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {arrivalSchedule} from '../distribution/core/load/arrivals.js';
import {percentile, root, startSimProcess, table} from './lib.js';

const fmt = value => (Number.isFinite(value) ? value.toFixed(2) : '—');

/** The timers alone: each arrival of the schedule fired as the engine fires them, nothing sent. */
async function timerBaseline(rate, durationMs) {
	const {offsetsMs} = arrivalSchedule({rate, arrivals: 'poisson', seed: 1, durationMs, requests: null});
	const lags = [];
	const start = performance.now();
	await new Promise(resolve => {
		let next = 0;
		const tick = () => {
			const now = performance.now() - start;
			while (next < offsetsMs.length && offsetsMs[next] <= now) {
				lags.push(now - offsetsMs[next++]);
			}

			if (next < offsetsMs.length) {
				setTimeout(tick, Math.max(0, offsetsMs[next] - (performance.now() - start)));
			} else {
				resolve();
			}
		};

		tick();
	});
	return lags;
}

/** `llmrace load … --json` as a user runs it (history off); resolves with its transcript and its CPU time (ms, every thread). */
async function runLoad(args, directory, cli) {
	const cpuFile = path.join(directory, 'cpu');
	const child = spawn(process.execPath, [fileURLToPath(new URL('cli-cpu.js', import.meta.url)), ...args], {
		cwd: root,
		stdio: ['ignore', 'pipe', 'pipe'],
		env: {...process.env, LLMRACE_NO_HISTORY: '1', LLMRACE_BENCH_CPU: cpuFile, ...(cli ? {LLMRACE_BENCH_CLI: cli} : {})},
	});
	const out = [];
	const error = [];
	child.stdout.on('data', part => out.push(part));
	child.stderr.on('data', part => error.push(part));
	const [code] = await once(child, 'exit');
	if (code !== 0) {
		throw new Error(`llmrace load exited ${code}: ${Buffer.concat(error).toString('utf8').slice(0, 2000)}`);
	}

	return {transcript: JSON.parse(Buffer.concat(out).toString('utf8')), cpuMs: Number(readFileSync(cpuFile, 'utf8'))};
}

async function loadCase({models, ratePerModel, durationMs, ttftMs, tokensPerSecond, outputTokens}, cli) {
	const directory = mkdtempSync(path.join(tmpdir(), 'llmrace-bench-load-'));
	const logPath = path.join(directory, 'sim-log.json');
	const sim = await startSimProcess({
		models: Array.from({length: models}, (_, index) => ({id: `m${index}`, ttftMs, tokensPerSecond, reasoning: false, outputTokens})),
		seed: 1,
		jitter: 0,
		logPath,
	});
	let run;
	try {
		// The simulator lists m0…m<n> at /models: `--base-url` alone loads every one of them.
		run = await runLoad(
			[
				'load',
				'Explain recursion',
				'--base-url',
				sim.baseURL,
				'--rate',
				String(ratePerModel),
				'--duration',
				`${durationMs}ms`,
				'--arrivals',
				'poisson',
				'--seed',
				'1',
				'--max-tokens',
				String(outputTokens),
				'--max-concurrency',
				'100000',
				'--timeout',
				'120',
				'--slo',
				'ttft.p99<=800ms',
				'--json',
				'--yes',
			],
			directory,
			cli,
		);
	} finally {
		await sim.close();
	}

	// Each request's first line is `[request <token>-<model>-<step>-<index>]` (core/load/prompt.ts).
	const simTtft = new Map(
		JSON.parse(readFileSync(logPath, 'utf8')).flatMap(([line, ttft]) => {
			const match = /-(\d+)-(\d+)-(\d+)\]$/.exec(line);
			return match ? [[`${match[1]}-${match[2]}-${match[3]}`, ttft]] : [];
		}),
	);
	rmSync(directory, {recursive: true, force: true});
	const {transcript} = run;
	const lags = [];
	const ttftErrors = [];
	let requests = 0;
	let failed = 0;
	let mostInFlight = 0;
	let clientLimited = 0;
	for (const [number, model] of transcript.models.entries()) {
		for (const [step, {requests: columns, summary, clientLimited: limited}] of model.steps.entries()) {
			requests += summary.completed + summary.failed;
			failed += summary.failed;
			mostInFlight += summary.maxInFlight;
			clientLimited += limited ? 1 : 0;
			for (let index = 0; index < columns.status.length; index++) {
				// No cap (--max-concurrency 100000): every request found a free slot, its queue time is its send lag.
				if (columns.queueMs[index] !== null) {
					lags.push(columns.queueMs[index]);
				}

				const server = simTtft.get(`${number}-${step}-${index}`);
				if (columns.status[index] === 'ok' && columns.ttftMs[index] !== null && server !== undefined) {
					ttftErrors.push(columns.ttftMs[index] - server);
				}
			}
		}
	}

	const stamping = transcript.measurement?.threads ?? [];
	return {
		requests,
		failed,
		lags,
		ttftErrors,
		matched: ttftErrors.length,
		mostInFlight,
		clientLimited,
		delayP99: stamping.map(thread => fmt(thread.eventLoopDelayMs.p99)).join(' · ') || '—',
		cpuMsPerRequest: run.cpuMs / Math.max(1, requests),
	};
}

/** The floor: the same schedule fired and read by a bare node:http client in its own process (bench/load-floor.js). */
async function floorCase({models, ratePerModel, durationMs, ttftMs, tokensPerSecond, outputTokens}) {
	const sim = await startSimProcess({
		models: Array.from({length: models}, (_, index) => ({id: `m${index}`, ttftMs, tokensPerSecond, reasoning: false, outputTokens})),
		seed: 1,
		jitter: 0,
	});
	try {
		const child = spawn(
			process.execPath,
			[fileURLToPath(new URL('load-floor.js', import.meta.url)), sim.baseURL, String(models), String(ratePerModel), String(durationMs), String(outputTokens)],
			{cwd: root, stdio: ['ignore', 'pipe', 'inherit']},
		);
		const out = [];
		child.stdout.on('data', part => out.push(part));
		const [code] = await once(child, 'exit');
		if (code !== 0) {
			throw new Error(`the floor client exited ${code}`);
		}

		return JSON.parse(Buffer.concat(out).toString('utf8'));
	} finally {
		await sim.close();
	}
}

/** One round's figures of a client on a case: pooled over its models' requests. */
function caseFigures(result) {
	return {
		requests: result.requests,
		failed: result.failed,
		mostInFlight: result.mostInFlight ?? null,
		lagP50: percentile(result.lags, 50),
		lagP99: percentile(result.lags, 99),
		lagMax: Math.max(...result.lags),
		ttftP50: result.ttftErrors ? percentile(result.ttftErrors, 50) : Number.NaN,
		ttftP99: result.ttftErrors ? percentile(result.ttftErrors, 99) : Number.NaN,
		delayP99: result.delayP99 ?? '—',
		cpuMsPerRequest: result.cpuMsPerRequest ?? Number.NaN,
		clientLimited: result.clientLimited ?? null,
	};
}

/**
 * A client's row of a case from its rounds: medians of the rounds, each round's send lag p99, the ratio to the floor's
 * median (`floorP99`; undefined for the floor's own row, which has no TTFT log, loop monitor or CPU figure).
 */
function clientRow(name, rounds, floorP99, models) {
	const isFloor = floorP99 === undefined;
	const median = key => percentile(rounds.map(round => round[key]).filter(Number.isFinite), 50);
	const lagP99 = median('lagP99');
	return [
		name,
		new Set(rounds.map(round => round.requests)).size === 1 ? rounds[0].requests : rounds.map(round => round.requests).join(' '),
		rounds.reduce((sum, round) => sum + round.failed, 0),
		rounds[0].mostInFlight ?? '—',
		`${fmt(median('lagP50'))} / ${fmt(lagP99)} / ${fmt(Math.max(...rounds.map(round => round.lagMax)))}`,
		isFloor ? '—' : `${(lagP99 / floorP99).toFixed(2)}×`,
		rounds.map(round => fmt(round.lagP99)).join(' '),
		isFloor ? '—' : `${fmt(median('ttftP50'))} / ${fmt(median('ttftP99'))}`,
		isFloor ? '—' : rounds.map(round => round.delayP99).join(', '),
		isFloor ? '—' : fmt(median('cpuMsPerRequest')),
		isFloor ? '—' : `${rounds.reduce((sum, round) => sum + round.clientLimited, 0)}/${models * rounds.length}`,
	];
}

export async function loadBench() {
	// LLMRACE_BENCH_LOAD_SCALE=0.2 shortens every case (a smoke run on a busy machine); figures come from 1.
	const scale = Number(process.env.LLMRACE_BENCH_LOAD_SCALE ?? 1);
	const cases = [
		{
			name: '200 req/s (4 models × 50/s, ~1.1 s each, 10 s)',
			models: 4,
			ratePerModel: 50,
			durationMs: 10_000,
			ttftMs: 100,
			tokensPerSecond: 50,
			outputTokens: 50,
		},
		{
			name: '1,000 in flight (4 models × 50/s, ~5 s each, 15 s)',
			models: 4,
			ratePerModel: 50,
			durationMs: 15_000,
			ttftMs: 100,
			tokensPerSecond: 20,
			outputTokens: 100,
		},
		{
			// The demo's shape: many models at a light load, each arrival due for every model at once.
			name: '15 models × 0.5/s (7.5 req/s, ~2.2 s each, 30 s)',
			models: 15,
			ratePerModel: 0.5,
			durationMs: 30_000,
			ttftMs: 200,
			tokensPerSecond: 50,
			outputTokens: 100,
		},
	];
	// LLMRACE_BENCH_LOAD_AGAINST=<another build's distribution/cli.js>: each case runs that build too, right
	// after this one, on the same machine in the same run (an A/B; the figures to quote are the ratios).
	const against = process.env.LLMRACE_BENCH_LOAD_AGAINST;
	const builds = [{label: '', cli: undefined}, ...(against ? [{label: ' [against]', cli: against}] : [])];
	// LLMRACE_BENCH_LOAD_ROUNDS: each case runs this many rounds, the clients alternated within each (this build,
	// the other build, the floor): one run's p99 is one sample of this machine's noise (the floor alone read 3.2–10.1 ms
	// at 200 req/s across runs), so each figure is the median of the rounds.
	const rounds = Math.max(1, Number(process.env.LLMRACE_BENCH_LOAD_ROUNDS ?? 5));
	const rows = [];
	for (const full of cases) {
		const spec = {...full, durationMs: Math.round(full.durationMs * scale)};
		const timers = await timerBaseline(spec.models * spec.ratePerModel, spec.durationMs);
		const results = builds.map(() => []);
		const floor = [];
		for (let round = 0; round < rounds; round++) {
			for (const [index, build] of builds.entries()) {
				results[index].push(caseFigures(await loadCase(spec, build.cli)));
			}

			floor.push(caseFigures(await floorCase(spec)));
		}

		const floorP99 = percentile(
			floor.map(round => round.lagP99),
			50,
		);
		rows.push(
			[
				`${spec.name} [timers only]`,
				timers.length,
				0,
				'—',
				`${fmt(percentile(timers, 50))} / ${fmt(percentile(timers, 99))} / ${fmt(Math.max(...timers))}`,
				'—',
				'—',
				'—',
				'—',
				'—',
				'—',
			],
			...builds.map((build, index) => clientRow(`${spec.name}${build.label}`, results[index], floorP99, spec.models)),
			clientRow(`${spec.name} [floor: bare node:http]`, floor, undefined, spec.models),
		);
	}

	return `${rounds} rounds a case, the clients alternated in each; send lag pooled over every model's requests, each figure the median of the rounds (max: the worst of them)\n\n${table(
		[
			'case',
			'requests (each round)',
			'failed',
			'most in flight',
			'send lag p50 / p99 / max ms',
			'p99 vs floor',
			'p99 each round',
			'TTFT error p50 / p99 ms',
			'stamping loop delay p99 ms (each round)',
			'CPU ms / request (all threads)',
			'client-limited steps',
		],
		rows,
	)}`;
}
