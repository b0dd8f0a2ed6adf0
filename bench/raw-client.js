// The floor: a minimal node:http SSE client that stamps each socket read, doing nothing else.
// Its error versus the server's log is what this machine's loopback and scheduler cost any client.
import http from 'node:http';

const agent = new http.Agent({keepAlive: true, maxSockets: Infinity});

export function rawStream(baseURL, model, maxTokens) {
	const url = new URL(`${baseURL}/chat/completions`);
	return new Promise((resolve, reject) => {
		const arrivals = [];
		let buffer = '';
		let server;
		const t0 = performance.now();
		const request = http.request(
			{host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: {'content-type': 'application/json'}},
			response => {
				response.on('data', data => {
					const at = performance.now();
					buffer += data.toString('utf8');
					let end;
					while ((end = buffer.indexOf('\n\n')) !== -1) {
						const event = buffer.slice(0, end);
						buffer = buffer.slice(end + 2);
						if (!event.startsWith('data: {')) {
							continue;
						}

						const json = JSON.parse(event.slice(6));
						if (json.choices?.[0]?.delta?.content) {
							arrivals.push(at - t0);
						}

						server ??= json.x_llmrace_sim;
					}
				});
				response.on('end', () => {
					const tps = (arrivals.length - 1) / ((arrivals.at(-1) - arrivals[0]) / 1000);
					resolve({ttftMs: arrivals[0], tokensPerSecond: tps, server});
				});
			},
		);
		request.on('error', reject);
		request.end(JSON.stringify({model, stream: true, max_tokens: maxTokens, messages: [{role: 'user', content: 'Explain recursion'}]}));
	});
}
