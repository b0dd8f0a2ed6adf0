// The floor of the stamping benches: a fresh process that warms node:http, then streams every model once
// from the paced server with a bare node:http reader (split events, JSON.parse, one stamp per read, nothing
// else), one request per event-loop turn, and prints each chunk's time error (arrival − the server's write) as JSON.
// argv: baseURL, maxTokens, streams.
import http from 'node:http';
import {bareAgent, bareStream} from './bare-stream.js';

const [baseURL, maxTokens, count] = process.argv.slice(2);
const agent = bareAgent();

async function read(url, tokens) {
	const errors = [];
	const t0 = performance.now();
	await bareStream({
		baseURL: url,
		agent,
		body: {model: 'm', stream: true, max_tokens: tokens, messages: [{role: 'user', content: 'x'}]},
		onEvent(json, readAt) {
			const content = JSON.parse(json).choices?.[0]?.delta?.content;
			if (content) {
				errors.push(readAt - t0 - Number(content));
			}
		},
	});
	return errors;
}

const warm = http.createServer((request, response) => {
	request.resume();
	request.on('end', () => {
		response.writeHead(200, {'content-type': 'text/event-stream'});
		response.end('data: {"choices":[{"delta":{"content":"0"}}]}\n\n');
	});
});
await new Promise(resolve => {
	warm.listen(0, '127.0.0.1', resolve);
});
for (let round = 0; round < 3; round++) {
	await read(`http://127.0.0.1:${warm.address().port}`, 1);
}

warm.close();
const runs = [];
for (let index = 0; index < Number(count); index++) {
	runs.push(read(baseURL, Number(maxTokens)));
	await new Promise(resolve => {
		setImmediate(resolve);
	});
}

const all = await Promise.all(runs);
// Exit once the pipe has taken it all: stdout to a pipe is asynchronous, and an exit right after a large write cuts it.
process.stdout.write(JSON.stringify({ttft: all.map(errors => errors[0]), chunks: all.flat()}), () => {
	process.exit(0);
});
