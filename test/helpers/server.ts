// A scripted OpenAI-compatible server on 127.0.0.1 for engine tests: each test says what each request gets.
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';

export type SeenRequest = {readonly url: string; readonly headers: IncomingMessage['headers']; readonly body: Record<string, unknown>};

export type Handler = (request: SeenRequest, response: ServerResponse) => void | Promise<void>;

export type TestServer = {
	readonly baseURL: string;
	readonly requests: SeenRequest[];
	readonly close: () => Promise<void>;
};

export async function startServer(handler: Handler): Promise<TestServer> {
	const requests: SeenRequest[] = [];
	const server = createServer(async (request, response) => {
		const parts: Buffer[] = [];
		for await (const part of request) {
			parts.push(part as Buffer);
		}

		const text = Buffer.concat(parts).toString('utf8');
		const seen: SeenRequest = {url: request.url ?? '', headers: request.headers, body: text ? JSON.parse(text) as Record<string, unknown> : {}};
		requests.push(seen);
		try {
			await handler(seen, response);
		} catch {
			response.destroy();
		}
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const {port} = server.address() as AddressInfo;
	return {
		baseURL: `http://127.0.0.1:${port}/v1`,
		requests,
		async close() {
			server.closeAllConnections();
			await new Promise<void>(resolve => {
				server.close(() => {
					resolve();
				});
			});
		},
	};
}

export const sleep = async (ms: number) => new Promise<void>(resolve => {
	setTimeout(resolve, ms);
});

export function chunk(delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}): Record<string, unknown> {
	return {id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{index: 0, delta, finish_reason: finish}], ...extra};
}

/** Start an event stream and flush the headers at once. */
export function openStream(response: ServerResponse): void {
	response.writeHead(200, {'content-type': 'text/event-stream'});
	response.flushHeaders();
}

export function send(response: ServerResponse, data: unknown): void {
	response.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
}

/** Stream these events with `gapMs` between them, then [DONE]. */
export async function streamEvents(response: ServerResponse, events: readonly unknown[], gapMs = 5, firstDelayMs = 20): Promise<void> {
	openStream(response);
	await sleep(firstDelayMs);
	for (const [index, event] of events.entries()) {
		if (index > 0) {
			await sleep(gapMs);
		}

		if (typeof event === 'string' && event.startsWith(':')) {
			response.write(`${event}\n\n`);
		} else {
			send(response, event);
		}
	}

	response.end('data: [DONE]\n\n');
}

/** A plain answer, one chunk per word, with usage when asked. */
export function answerEvents(words: readonly string[], usage: Record<string, unknown> | null = null): unknown[] {
	return [
		chunk({role: 'assistant', content: ''}),
		...words.map(word => chunk({content: word})),
		chunk({}, 'stop'),
		...(usage ? [{id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage}] : []),
	];
}
