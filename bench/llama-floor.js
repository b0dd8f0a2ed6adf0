// The floor of the llama bench: a fresh process that streams the llama row's race (4 ids at once, 5 runs
// each one after another, 256 tokens, the same prompt) from a real llama-server with a bare node:http
// reader (split events, JSON.parse, one stamp per read, nothing else), and prints its event-loop delay p99
// over the race, measured as llmrace measures its stamping threads' (core/race/measure.ts: a 10 ms
// monitor, less its resolution), and each run's tok/s beside the server's own. argv: baseURL.
import http from 'node:http';
import {monitorEventLoopDelay} from 'node:perf_hooks';
import {bareStream} from './bare-stream.js';

const [baseURL] = process.argv.slice(2);
// A connection per request: llama-server closes each one after its stream, though it advertises keep-alive.
const agent = new http.Agent({keepAlive: false});
const resolutionMs = 10;
const monitor = monitorEventLoopDelay({resolution: resolutionMs});
const within = [];

async function run(id) {
	const arrivals = [];
	let timings;
	await bareStream({
		baseURL,
		agent,
		body: {model: id, stream: true, max_tokens: 256, messages: [{role: 'user', content: 'Write a long story about a cat'}]},
		onEvent(json, readAt) {
			const chunk = JSON.parse(json);
			if (chunk.choices?.[0]?.delta?.content) {
				arrivals.push(readAt);
			}

			timings = chunk.timings ?? timings;
		},
	});
	const server = timings?.predicted_per_second;
	if (server && arrivals.length > 1) {
		// The reader's tok/s: chunks after the first over the time they took (one token a chunk, as llama-server sends).
		const tps = (arrivals.length - 1) / ((arrivals.at(-1) - arrivals[0]) / 1000);
		within.push(Math.abs(tps / server - 1) <= 0.03);
	}
}

monitor.enable();
await Promise.all(
	['a', 'b', 'c', 'd'].map(async id => {
		for (let index = 0; index < 5; index++) {
			await run(id);
		}
	}),
);
monitor.disable();
const delayP99 = Math.max(0, monitor.percentile(99) / 1e6 - resolutionMs);
process.stdout.write(JSON.stringify({delayP99, within: within.filter(Boolean).length, runs: within.length}), () => {
	process.exit(0);
});
