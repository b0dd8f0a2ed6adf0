// The floor of the stamping benches: a fresh process that warms node:http, then streams every model once
// from the paced server with a bare node:http reader (split events, JSON.parse, one stamp per read, nothing
// else), one request per event-loop turn, and prints each chunk's time error (arrival − the server's write) as JSON.
// argv: baseURL, maxTokens, streams.
import http from 'node:http';

const [baseURL, maxTokens, count] = process.argv.slice(2);
const agent = new http.Agent({keepAlive: true, maxSockets: Infinity});

function read(url, tokens) {
	const target = new URL(`${url}/chat/completions`);
	return new Promise((resolve, reject) => {
		const errors = [];
		let buffer = '';
		const t0 = performance.now();
		const request = http.request(
			{host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: {'content-type': 'application/json'}},
			response => {
				response.setEncoding('utf8');
				response.on('data', data => {
					const at = performance.now() - t0;
					buffer += data;
					let end;
					while ((end = buffer.indexOf('\n\n')) !== -1) {
						const event = buffer.slice(0, end);
						buffer = buffer.slice(end + 2);
						if (event.startsWith('data: {')) {
							const content = JSON.parse(event.slice(6)).choices?.[0]?.delta?.content;
							if (content) {
								errors.push(at - Number(content));
							}
						}
					}
				});
				response.on('end', () => resolve(errors));
			},
		);
		request.on('error', reject);
		request.end(JSON.stringify({model: 'm', stream: true, max_tokens: tokens, messages: [{role: 'user', content: 'x'}]}));
	});
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
