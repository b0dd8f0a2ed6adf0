// The bare client of the benches' floors (bench/paced-reader.js, bench/load-floor.js): one streamed chat
// request over node:http, its events split by hand, nothing else. `onEvent(json, readAt)` gets each
// `data: {…}` event's JSON text and the time its read arrived (one stamp per read, as llmrace stamps).
import http from 'node:http';

export const bareAgent = () => new http.Agent({keepAlive: true, maxSockets: Number.POSITIVE_INFINITY});

/** POST `body` to `<baseURL>/chat/completions`; resolves when the stream ends, rejects on a request error. */
export function bareStream({baseURL, agent, body, onEvent}) {
	const target = new URL(`${baseURL}/chat/completions`);
	return new Promise((resolve, reject) => {
		let buffer = '';
		const request = http.request(
			{host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: {'content-type': 'application/json'}},
			response => {
				response.setEncoding('utf8');
				response.on('data', data => {
					const readAt = performance.now();
					buffer += data;
					let end;
					while ((end = buffer.indexOf('\n\n')) !== -1) {
						const event = buffer.slice(0, end);
						buffer = buffer.slice(end + 2);
						if (event.startsWith('data: {')) {
							onEvent(event.slice(6), readAt);
						}
					}
				});
				response.on('end', resolve);
			},
		);
		request.on('error', reject);
		request.end(JSON.stringify(body));
	});
}
