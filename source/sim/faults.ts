// Ways a simulated model misbehaves, for tests and demonstrations: before the stream (statuses,
// pages, silence) and in it (cuts, stalls, broken JSON, error events).
import type {ServerResponse} from 'node:http';

export type SimFault =
	| {
			readonly kind: 'status';
			readonly status: number;
			readonly body?: string;
			readonly contentType?: string;
			readonly headers?: Readonly<Record<string, string>>;
	  }
	| {readonly kind: 'html'}
	| {readonly kind: 'cut'; readonly afterTokens: number}
	| {readonly kind: 'end-early'; readonly afterTokens: number}
	| {readonly kind: 'stall'; readonly afterTokens: number}
	| {readonly kind: 'no-headers'}
	| {readonly kind: 'malformed'; readonly afterTokens: number}
	| {readonly kind: 'error-event'; readonly afterTokens: number; readonly message: string}
	| {readonly kind: 'ignore-max-tokens'}
	| {readonly kind: 'reject-stream-options'}
	| {readonly kind: 'no-usage'};

export function errorBody(message: string, type: string, code: string | null = null) {
	return {error: {message, type, param: null, code}};
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	response.writeHead(status, {'content-type': 'application/json', ...headers});
	response.end(JSON.stringify(body));
}

/** A fault that answers instead of the stream (or never answers). True when it has taken the request. */
export function faultBeforeStream(fault: SimFault | undefined, askedForUsage: boolean, response: ServerResponse): boolean {
	switch (fault?.kind) {
		case 'status': {
			response.writeHead(fault.status, {'content-type': fault.contentType ?? 'application/json', ...fault.headers});
			response.end(fault.body ?? JSON.stringify(errorBody(`simulated error ${fault.status}`, 'server_error')));
			return true;
		}

		case 'reject-stream-options': {
			if (!askedForUsage) {
				return false;
			}

			sendJson(response, 400, errorBody('Unrecognized request argument supplied: stream_options', 'invalid_request_error'));
			return true;
		}

		case 'no-headers': {
			// Never answer; the client's timeout decides.
			return true;
		}

		case 'html': {
			response.writeHead(200, {'content-type': 'text/html'});
			response.end('<html><head><title>502 Bad Gateway</title></head><body>Bad Gateway</body></html>');
			return true;
		}

		default: {
			return false;
		}
	}
}

/** The token count after which a mid-stream fault strikes; -1 for none. */
export function faultPoint(fault: SimFault | undefined): number {
	return fault && 'afterTokens' in fault ? fault.afterTokens : -1;
}

/** Misbehave mid-stream, in place of the next token. True when the stream is over (cut, ended or stalled for good). */
export function faultMidStream(fault: SimFault | undefined, response: ServerResponse): boolean {
	switch (fault?.kind) {
		case 'cut': {
			// Let what was written reach the client, then reset the connection.
			const {socket} = response;
			socket?.write('', () => {
				setTimeout(() => socket.destroy(), 20);
			});
			return true;
		}

		case 'end-early': {
			response.end();
			return true;
		}

		case 'stall': {
			return true;
		}

		case 'malformed': {
			response.write('data: {"id": "broken", "choices": [{"delta": {"content": "oops\n\n');
			response.end();
			return true;
		}

		case 'error-event': {
			response.write(`data: ${JSON.stringify(errorBody(fault.message, 'server_error'))}\n\n`);
			response.end();
			return true;
		}

		default: {
			return false;
		}
	}
}
