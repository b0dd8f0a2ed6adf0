// `npm run bench -- load`: is the load client ever the bottleneck? Send lag (send − scheduled) and TTFT
// error (measured − the simulator's own log) at 200 requests/s across models, and at 1,000 streams in
// flight. Baseline, in the same run: the same schedule fired by the same timers with no request at all.
import {monitorEventLoopDelay} from 'node:perf_hooks';
import {arrivalSchedule} from '../distribution/core/load/arrivals.js';
import {costBudget} from '../distribution/core/load/budget.js';
import {startLoadEngine} from '../distribution/core/load/engine.js';
import {parseSlo} from '../distribution/core/load/slo.js';
import {streamOnce} from '../distribution/core/http/stream.js';
import {warmUpHttp} from '../distribution/core/http/warm-up.js';
import {loadTokenCounter} from '../distribution/core/meter/tokens.js';
import {defaultBrackets} from '../distribution/core/presets/brackets.js';
import {percentile, startSimProcess, table} from './lib.js';

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

async function loadCase({models, ratePerModel, durationMs, ttftMs, tokensPerSecond, outputTokens, countTokens}) {
	const sim = await startSimProcess({
		models: Array.from({length: models}, (_, index) => ({id: `m${index}`, ttftMs, tokensPerSecond, reasoning: false, outputTokens})),
		seed: 1,
		jitter: 0,
	});
	try {
		const ttftErrors = [];
		const lags = [];
		let inFlight = 0;
		let mostInFlight = 0;
		const histogram = monitorEventLoopDelay({resolution: 10});
		histogram.enable();
		const cpuBefore = process.cpuUsage();
		const engine = startLoadEngine({
			models: Array.from({length: models}, (_, index) => ({
				id: `m${index}`,
				name: `m${index}`,
				provider: null,
				baseURL: sim.baseURL,
				apiKeyEnv: null,
				headers: {},
				price: {inputPerM: null, outputPerM: null},
				reasoning: false,
				reference: null,
			})),
			prompt: 'Explain recursion',
			settings: {
				rates: [ratePerModel],
				arrivals: 'poisson',
				durationMs,
				requests: null,
				maxConcurrency: 100_000,
				slo: parseSlo('ttft.p99<=800ms'),
				sweep: false,
				seed: 1,
				uniquePrompts: true,
				maxTokens: outputTokens,
				temperature: null,
				timeoutMs: 120_000,
				maxCostUSD: null,
				keepText: false,
			},
			seed: 1,
			simulated: true,
			brackets: defaultBrackets,
			runToken: 'bench',
			apiKeyOf: () => null,
			countTokens,
			budget: costBudget(null),
			requestCostUSD: () => 0,
			onSendLag: lag => lags.push(lag),
			async stream(options) {
				inFlight++;
				mostInFlight = Math.max(mostInFlight, inFlight);
				const record = await streamOnce(options);
				inFlight--;
				const server = record.serverTimings?.x_llmrace_sim;
				if (record.status === 'ok' && server && record.ttftMs !== null) {
					ttftErrors.push(record.ttftMs - server.ttft_ms);
				}

				return record;
			},
		});
		const results = await engine.done;
		histogram.disable();
		const cpu = process.cpuUsage(cpuBefore);
		const steps = results.map(model => model.steps[0]);
		const requests = steps.reduce((sum, step) => sum + step.summary.completed + step.summary.failed, 0);
		return {
			requests,
			failed: steps.reduce((sum, step) => sum + step.summary.failed, 0),
			lags,
			ttftErrors,
			mostInFlight,
			clientLimited: steps.filter(step => step.clientLimited).length,
			delayP99: Math.max(0, histogram.percentile(99) / 1e6 - 10),
			cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / Math.max(1, requests),
		};
	} finally {
		await sim.close();
	}
}

export async function loadBench() {
	const countTokens = await loadTokenCounter();
	await warmUpHttp(countTokens);
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
	];
	const rows = [];
	for (const full of cases) {
		const spec = {...full, durationMs: full.durationMs * scale};
		const baseline = await timerBaseline(spec.models * spec.ratePerModel, spec.durationMs);
		const result = await loadCase({...spec, countTokens});
		rows.push([
			spec.name,
			result.requests,
			result.failed,
			result.mostInFlight,
			`${fmt(percentile(baseline, 50))} / ${fmt(percentile(baseline, 99))}`,
			`${fmt(percentile(result.lags, 50))} / ${fmt(percentile(result.lags, 99))} / ${fmt(Math.max(...result.lags))}`,
			`${fmt(percentile(result.ttftErrors, 50))} / ${fmt(percentile(result.ttftErrors, 99))}`,
			fmt(result.delayP99),
			fmt(result.cpuMsPerRequest),
			`${result.clientLimited}/${spec.models}`,
		]);
	}

	return table(
		[
			'case',
			'requests',
			'failed',
			'most in flight',
			'timers only: lag p50 / p99 ms',
			'send lag p50 / p99 / max ms',
			'TTFT error p50 / p99 ms',
			'loop delay p99 ms',
			'CPU ms / request',
			'client-limited steps',
		],
		rows,
	);
}
