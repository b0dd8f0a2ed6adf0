// The floor of the load bench: a fresh process that fires the same open-loop schedule as `llmrace load`
// (every model the same Poisson arrivals from seed 1, bench/load.js) with bare node:http requests, each
// sent at once in the timer's turn (no SDK, no one-at-a-time gate, no coordinator), and reads every
// stream to its end (split events, JSON.parse, nothing else). Prints each send's lag (the request
// handed to the socket − its scheduled time, ms) as JSON: what this machine's timers, loopback and
// scheduler cost any client at that load, beside the simulator sharing its cores.
// argv: baseURL, models, ratePerModel, durationMs, maxTokens.
import {arrivalSchedule} from '../distribution/core/load/arrivals.js';
import {bareAgent, bareStream} from './bare-stream.js';

const [baseURL, models, ratePerModel, durationMs, maxTokens] = process.argv.slice(2);
const agent = bareAgent();

/** One request read to its end: true, or false when it failed. */
async function stream(model) {
	const body = {model, stream: true, max_tokens: Number(maxTokens), messages: [{role: 'user', content: 'Explain recursion'}]};
	return bareStream({baseURL, agent, body, onEvent: json => JSON.parse(json)}).then(
		() => true,
		() => false,
	);
}

// Warm node:http and the JIT on a few requests first, as llmrace's stamping thread warms up before its first t0.
await Promise.all(Array.from({length: 4}, () => stream('m0')));

const {offsetsMs} = arrivalSchedule({rate: Number(ratePerModel), arrivals: 'poisson', seed: 1, durationMs: Number(durationMs), requests: null});
const ids = Array.from({length: Number(models)}, (_, index) => `m${index}`);
const lags = [];
const pending = [];
const start = performance.now();
await new Promise(resolve => {
	let next = 0;
	const tick = () => {
		while (next < offsetsMs.length && offsetsMs[next] <= performance.now() - start) {
			for (const id of ids) {
				const due = offsetsMs[next];
				pending.push(stream(id));
				lags.push(performance.now() - start - due);
			}

			next++;
		}

		if (next < offsetsMs.length) {
			setTimeout(tick, Math.max(0, offsetsMs[next] - (performance.now() - start)));
		} else {
			resolve();
		}
	};

	tick();
});
const completed = (await Promise.all(pending)).filter(Boolean).length;
process.stdout.write(`${JSON.stringify({lags, requests: pending.length, failed: pending.length - completed})}\n`);
agent.destroy();
