// Server-sent events, decoded from text as it arrives. Pure and synchronous; bounded (1 MiB per line and per event).
// The engine reads the response body itself and hands each read to `push`, so a chunk is
// stamped when its bytes arrive, and the three async generators, the byte-array copies and
// the line decoder the SDK spends per chunk (~0.03 ms each, thousands a second in a race)
// are not paid. The event stream format: https://html.spec.whatwg.org/multipage/server-sent-events.html
import {Buffer} from 'node:buffer';

export type SseEvent = {
	/** The `event:` field, null when absent. */
	readonly event: string | null;
	/** The `data:` lines, joined with newlines. */
	readonly data: string;
};

/** The longest line, and the largest event, accepted: past it the stream is a protocol error. */
export const sseLimitBytes = 1024 * 1024;

/** A line or an event over `sseLimitBytes`: the stream is refused, and what the decoder held is already freed. */
export class SseLimitError extends Error {
	constructor(what: 'line' | 'event') {
		super(
			what === 'line'
				? 'an event-stream line longer than 1 MiB without a line end: the stream is refused (limit 1 MiB per line)'
				: 'an event-stream event larger than 1 MiB: the stream is refused (limit 1 MiB per event)',
		);
		this.name = 'SseLimitError';
	}
}

/** Byte length of `text` past the limit: cheap below a third of it (a UTF-16 unit is at most 3 bytes of UTF-8). */
function overLimit(text: string): boolean {
	return text.length > sseLimitBytes || (text.length * 3 > sseLimitBytes && Buffer.byteLength(text) > sseLimitBytes);
}

export class SseDecoder {
	private buffer = '';
	/** Characters in `data` so far (the event being built). */
	private dataLength = 0;
	/** The last piece ended with CR: a LF starting the next piece belongs to it. */
	private afterCr = false;
	private event: string | null = null;
	private data: string[] = [];

	/** Decode `text` (the next piece of the stream); `onEvent` gets each event completed by a blank line. */
	push(text: string, onEvent: (event: SseEvent) => void): void {
		const buffer = this.buffer ? this.buffer + text : text;
		let start = 0;
		if (this.afterCr && buffer.codePointAt(0) === 0x0a) {
			start = 1;
		}

		this.afterCr = false;
		let cr = buffer.indexOf('\r', start);
		let lf = buffer.indexOf('\n', start);
		for (;;) {
			if (cr !== -1 && cr < start) {
				cr = buffer.indexOf('\r', start);
			}

			if (lf !== -1 && lf < start) {
				lf = buffer.indexOf('\n', start);
			}

			let end: number;
			let next: number;
			if (cr !== -1 && (lf === -1 || cr < lf)) {
				// CR, or CR LF: one line end.
				end = cr;
				next = cr + 1;
				if (next === buffer.length) {
					this.afterCr = true;
				} else if (next === lf) {
					next++;
				}
			} else if (lf === -1) {
				break;
			} else {
				end = lf;
				next = lf + 1;
			}

			this.line(buffer.slice(start, end), onEvent);
			start = next;
		}

		const rest = start === 0 ? buffer : buffer.slice(start);
		if (overLimit(rest)) {
			this.end();
			throw new SseLimitError('line');
		}

		this.buffer = rest;
	}

	/** The stream ended: an event without its closing blank line is dropped, as the format says. */
	end(): void {
		this.buffer = '';
		this.event = null;
		this.data = [];
		this.dataLength = 0;
	}

	private line(line: string, onEvent: (event: SseEvent) => void): void {
		if (line === '') {
			if (this.event !== null || this.data.length > 0) {
				const event: SseEvent = {event: this.event, data: this.data.length === 1 ? this.data[0]! : this.data.join('\n')};
				this.event = null;
				this.data = [];
				this.dataLength = 0;
				onEvent(event);
			}

			return;
		}

		if (line.codePointAt(0) === 0x3a) {
			// A comment (OpenRouter sends ": OPENROUTER PROCESSING" while it waits).
			return;
		}

		const colon = line.indexOf(':');
		const field = colon === -1 ? line : line.slice(0, colon);
		let value = colon === -1 ? '' : line.slice(colon + 1);
		if (value.codePointAt(0) === 0x20) {
			value = value.slice(1);
		}

		if (field === 'data') {
			this.dataLength += value.length + 1;
			if (this.dataLength * 3 > sseLimitBytes && overLimit(this.data.join('\n') + value)) {
				this.end();
				throw new SseLimitError('event');
			}

			this.data.push(value);
		} else if (field === 'event') {
			this.event = value;
		}
	}
}
