// Measurement accuracy of the engine (no UI): measured TTFT and tok/s versus the simulator's own log of
// when it wrote each chunk, for 1, 15 and 32 concurrent streams at 50, 200 and 1000 tok/s; CPU per 1000 tokens.
import {startRace} from '../distribution/core/race/race.js';
import {warmUpHttp} from '../distribution/core/http/warm-up.js';
import {loadTokenCounter} from '../distribution/core/meter/tokens.js';
import {settleHeap} from '../distribution/runtime/heap.js';
import {defaultBrackets} from '../distribution/core/presets/brackets.js';
import {rawStream} from './raw-client.js';
import {percentile, startSimProcess, table} from './lib.js';

export async function engineBench({streams = [1, 15, 32], rates = [50, 200, 1000], races = 5} = {}) {
	const countTokens = await loadTokenCounter();
	await warmUpHttp();
	// As the app does after its warm-up.
	settleHeap();
	const rows = [];
	const results = [];
	for (const count of streams) {
		for (const rate of rates) {
			const tokens = rate >= 1000 ? 400 : rate >= 200 ? 200 : 100;
			const models = Array.from({length: count}, (_, index) => ({
				id: `m${index}`,
				ttftMs: 100 + (index % 8) * 5,
				tokensPerSecond: rate,
				reasoning: false,
				outputTokens: tokens,
			}));
			const sim = await startSimProcess({models, seed: 1, jitter: 0});
			const ttftErrors = [];
			const tpsErrors = [];
			let cpuMicros = 0;
			let totalTokens = 0;
			// The same load from the minimal raw client: the floor of this machine. One unmeasured pass
			// warms the simulator's HTTP path; then floor and engine races alternate, meeting it alike.
			const floorErrors = [];
			const floorRace = async () => {
				const runs = [];
				for (const model of models) {
					runs.push(rawStream(sim.baseURL, model.id, tokens));
					await new Promise(resolve => {
						setImmediate(resolve);
					});
				}

				return (await Promise.all(runs)).map(run => Math.abs(run.ttftMs - run.server.ttft_ms));
			};

			await floorRace();
			for (let race = 0; race < races; race++) {
				floorErrors.push(...(await floorRace()));
				const specs = models.map(model => ({
					id: model.id,
					name: model.id,
					provider: null,
					baseURL: sim.baseURL,
					apiKeyEnv: null,
					headers: {},
					price: {inputPerM: null, outputPerM: 1},
					reasoning: false,
					reference: null,
				}));
				const cpuBefore = process.cpuUsage();
				const transcript = await startRace({
					models: specs,
					prompt: 'Explain recursion',
					countTokens,
					apiKeyOf: () => null,
					toolVersion: 'bench',
					region: null,
					settings: {runs: 1, warmup: 0, maxTokens: tokens, temperature: null, concurrency: null, timeoutMs: 60_000, seed: 1},
					preset: {name: 'bench', simulated: true, brackets: defaultBrackets},
				}).done;
				const cpu = process.cpuUsage(cpuBefore);
				cpuMicros += cpu.user + cpu.system;
				for (const model of transcript.models) {
					for (const run of model.runs) {
						const server = run.serverTimings?.x_llmrace_sim;
						if (run.status !== 'ok' || !server) {
							throw new Error(`bench run failed: ${model.id} ${run.status} ${run.error?.message}`);
						}

						totalTokens += run.outputTokens;
						ttftErrors.push(run.ttftMs - server.ttft_ms);
						tpsErrors.push(Math.abs(run.tokensPerSecond / server.decode_tps - 1) * 100);
					}
				}
			}

			await sim.close();
			const absolute = ttftErrors.map(Math.abs);
			const result = {
				streams: count,
				rate,
				samples: ttftErrors.length,
				ttftP50: percentile(absolute, 50),
				ttftP99: percentile(absolute, 99),
				ttftMax: Math.max(...absolute),
				floorP50: percentile(floorErrors, 50),
				floorP99: percentile(floorErrors, 99),
				tpsP99: percentile(tpsErrors, 99),
				tpsMax: Math.max(...tpsErrors),
				cpuPer1000: cpuMicros / 1e6 / (totalTokens / 1000),
			};
			results.push(result);
			rows.push([
				count,
				rate,
				result.samples,
				result.ttftP50.toFixed(2),
				result.ttftP99.toFixed(2),
				result.floorP50.toFixed(2),
				result.floorP99.toFixed(2),
				(result.ttftP99 - result.floorP99).toFixed(2),
				result.tpsP99.toFixed(3),
				result.cpuPer1000.toFixed(4),
			]);
		}
	}

	return {
		results,
		text: table(['streams', 'tok/s', 'runs', 'TTFT err p50', 'p99', 'floor p50', 'floor p99', 'p99 over floor', 'tok/s err p99 %', 'CPU s/1k tok'], rows),
	};
}
