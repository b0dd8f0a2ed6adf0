// Reading an event-stream body as it arrives: each piece carries the stamp of the socket read that
// brought it (taken before any parsing, see http/http1.ts), decoded by SseDecoder, recorded
// by the meter. The SDK's own rules apply: after [DONE] nothing counts, a JSON `error` member is an
// APIError, bad JSON a SyntaxError; a line or event over 1 MiB an SseLimitError.
import {APIError} from './sdk.js';
import type {RequestTrace} from './connections.js';
import type {BodyStream} from './fetch-response.js';
import {ResponseBody} from './http1.js';
import type {RunMeter, StreamChunk} from '../meter/meter.js';
import {SseDecoder, type SseEvent} from './sse.js';

export type BodyReading = {
	readonly body: BodyStream;
	readonly trace: RequestTrace;
	readonly meter: RunMeter;
	readonly t0: number;
	readonly headers: Headers;
	/** Token events after which the run is cut (flagged truncated). */
	readonly hardCapTokens: number;
	/** Bytes of kept text (answer, reasoning, tool calls) after which the run is cut. */
	readonly keptCapBytes: number;
	/** Each read, with its stamp. */
	readonly onActivity: (at: number) => void;
	/** The first token event, with its stamp. */
	readonly onFirstToken: (at: number) => void;
	readonly onChunk?: (() => void) | undefined;
};

/** The text a run keeps is past `capBytes` of UTF-8 (exact bytes are counted only near the cap). */
function keptTextOver(meter: RunMeter, capBytes: number): boolean {
	const length = meter.generatedLength;
	return length > capBytes || (length * 3 > capBytes && meter.generatedBytes() > capBytes);
}

/**
 * Read the stream to its end, or until a cap cuts it (resolves `{truncated: true}`). Rejects on a
 * broken stream (what arrived before stays in the meter). The connection is closed when reading stops early.
 */
export async function readEventStream(reading: BodyReading): Promise<{readonly truncated: boolean}> {
	const {body, trace, meter, t0} = reading;
	// Straight from the connection, each piece carries its own read's stamp; through a decompressor, the latest read's.
	const direct = body instanceof ResponseBody ? body : null;
	body.setEncoding('utf8');
	const events = new SseDecoder();
	let arrived = 0;
	let done = false;
	let ended = false;
	let truncated = false;
	let gotFirstToken = false;
	const onEvent = (sse: SseEvent) => {
		if (done || truncated) {
			return;
		}

		if (sse.data.startsWith('[DONE]')) {
			done = true;
			return;
		}

		const data = JSON.parse(sse.data) as {error?: object} | null;
		if (sse.event?.startsWith('thread.')) {
			// Assistants events, never part of a chat completion.
			return;
		}

		if (data?.error) {
			throw new APIError(undefined, data.error, undefined, reading.headers);
		}

		if (meter.record(arrived - t0, data as unknown as StreamChunk) && !gotFirstToken) {
			gotFirstToken = true;
			reading.onFirstToken(arrived);
		}

		reading.onChunk?.();
		if (meter.tokenEvents > reading.hardCapTokens || keptTextOver(meter, reading.keptCapBytes)) {
			truncated = true;
		}
	};

	try {
		await new Promise<void>((resolve, reject) => {
			body.on('data', (text: string) => {
				// The stamp of the socket read that brought these bytes (for a body compressed unasked,
				// the latest read when the decompressor hands them over).
				arrived = direct ? direct.at : trace.readAt;
				reading.onActivity(arrived);
				try {
					events.push(text, onEvent);
				} catch (error) {
					reject(error);
					return;
				}

				if (truncated) {
					resolve();
				}
			});
			body.on('end', () => {
				ended = true;
				events.end();
				resolve();
			});
			body.on('error', reject);
			// Closed before its end without an error of its own: the server hung up mid-stream.
			body.on('close', () => {
				if (!ended) {
					reject(Object.assign(new Error('terminated'), {code: 'ECONNRESET'}));
				}
			});
		});
	} finally {
		// Stopped reading early (a cap, an error event, bad JSON, an oversized line): close the connection, as the SDK would.
		if (!ended) {
			body.removeAllListeners('data');
			body.destroy();
			events.end();
		}
	}

	return {truncated};
}
