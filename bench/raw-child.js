// The floor for the live-UI bench: a fresh process (as llmrace is) that warms node:http on a
// server of its own, then streams every model once from the simulator with the minimal raw
// client, one request per event-loop turn, and prints the TTFT errors versus the server's log.
// argv: baseURL, maxTokens, model ids…
import http from 'node:http';
import {rawStream} from './raw-client.js';

const [baseURL, maxTokens, ...ids] = process.argv.slice(2);
const warm = http.createServer((request, response) => {
	request.resume();
	request.on('end', () => {
		response.writeHead(200, {'content-type': 'text/event-stream'});
		response.end('data: {"choices":[{"delta":{"content":"a"}}],"x_llmrace_sim":{}}\n\ndata: {"choices":[{"delta":{"content":"b"}}]}\n\n');
	});
});
await new Promise(resolve => {
	warm.listen(0, '127.0.0.1', resolve);
});
for (let round = 0; round < 3; round++) {
	await rawStream(`http://127.0.0.1:${warm.address().port}`, 'warm', 2);
}

warm.close();
const runs = [];
for (const id of ids) {
	runs.push(rawStream(baseURL, id, Number(maxTokens)));
	await new Promise(resolve => {
		setImmediate(resolve);
	});
}

const results = await Promise.all(runs);
process.stdout.write(JSON.stringify(results.map(run => Math.abs(run.ttftMs - run.server.ttft_ms))), () => {
	process.exit(0);
});
