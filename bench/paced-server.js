// A paced OpenAI-compatible server in its own process, for the stamping benches: every model streams
// `max_tokens` one-token chunks at the rate given, after a 100 ms TTFT, from one 1 ms tick for all
// streams. Each chunk's text is its own write time (ms since the request arrived, e.g. " 123.45"), so
// a client's chunk-time error is its arrival offset minus that number. Logs the first request's wall time.
// argv[2]: tok/s. Prints the base URL; on SIGTERM prints {"firstRequestWallMs": …} and exits.
import http from 'node:http';

const rate = Number(process.argv[2] ?? 200);
const gapMs = 1000 / rate;
const ttftMs = 100;
let firstRequestWallMs = null;
const streams = new Set();
const chunk = (delta, finish, extra = {}) =>
	`data: ${JSON.stringify({id: 'b', object: 'chat.completion.chunk', created: 0, model: 'paced', choices: [{index: 0, delta, finish_reason: finish}], ...extra})}\n\n`;

const server = http.createServer((request, response) => {
	firstRequestWallMs ??= performance.timeOrigin + performance.now();
	const arrived = performance.now();
	let body = '';
	request.on('data', data => {
		body += data;
	});
	request.on('end', () => {
		const tokens = JSON.parse(body).max_tokens ?? 100;
		response.writeHead(200, {'content-type': 'text/event-stream'});
		response.flushHeaders();
		response.socket.setNoDelay(true);
		response.write(chunk({role: 'assistant', content: ''}, null));
		streams.add({response, arrived, tokens, sent: 0});
	});
});

// One tick for all streams: write every chunk that is due.
setInterval(() => {
	const now = performance.now();
	for (const stream of streams) {
		while (stream.sent < stream.tokens && now - stream.arrived >= ttftMs + stream.sent * gapMs) {
			stream.response.write(chunk({content: ` ${(performance.now() - stream.arrived).toFixed(2)}`}, null));
			stream.sent++;
		}

		if (stream.sent === stream.tokens) {
			streams.delete(stream);
			stream.response.end(
				`${chunk({}, 'stop', {usage: {prompt_tokens: 5, completion_tokens: stream.tokens, total_tokens: stream.tokens + 5}})}data: [DONE]\n\n`,
			);
		}
	}
}, 1);

server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
	process.stdout.write(`http://127.0.0.1:${server.address().port}/v1\n`);
});
process.on('SIGTERM', () => {
	process.stdout.write(`${JSON.stringify({firstRequestWallMs})}\n`);
	server.closeAllConnections();
	server.close(() => process.exit(0));
});
