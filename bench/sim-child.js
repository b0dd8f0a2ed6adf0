// A simulator in its own process for benchmarks: argv[2] is the SimConfig as JSON; prints the base URL.
// With `logPath` in the config, it also logs its own TTFT of each request (`x_llmrace_sim.ttft_ms`: from the
// request's arrival to its first token written) under the request's unique first line, written to that
// file as JSON when it is stopped: the truth a client's measured TTFT is compared with (bench/load.js).
import {writeFileSync} from 'node:fs';
import {createSimServer, listen} from '../distribution/sim/server.js';

const config = JSON.parse(process.argv[2]);
const server = createSimServer(config);
/** [first line of the prompt, the simulator's TTFT ms] per request. */
const log = [];
if (config.logPath) {
	server.prependListener('request', (request, response) => {
		const parts = [];
		// Sees each part the simulator's own reader takes (read() emits 'data' too).
		request.on('data', part => parts.push(part));
		const write = response.write.bind(response);
		response.write = (chunk, ...rest) => {
			const text = String(chunk);
			if (text.includes('"x_llmrace_sim"')) {
				const timings = JSON.parse(text.slice(text.indexOf('{'))).x_llmrace_sim;
				const prompt = JSON.parse(Buffer.concat(parts).toString('utf8')).messages?.[0]?.content ?? '';
				log.push([prompt.split('\n')[0], timings.ttft_ms]);
			}

			return write(chunk, ...rest);
		};
	});
}

const baseURL = await listen(server);
process.stdout.write(`${baseURL}\n`);
process.on('SIGTERM', () => {
	if (config.logPath) {
		writeFileSync(config.logPath, JSON.stringify(log));
	}

	server.closeAllConnections();
	server.close(() => process.exit(0));
});
