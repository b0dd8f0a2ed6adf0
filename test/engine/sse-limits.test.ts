// The event-stream decoder's bounds (docs/untrusted-text.md): no line and no event over 1 MiB, whatever arrives.
import {describe, expect, it} from 'vitest';
import {SseDecoder, SseLimitError, sseLimitBytes, type SseEvent} from '../../source/core/http/sse.js';

function collect(decoder: SseDecoder, pieces: readonly string[]): SseEvent[] {
	const events: SseEvent[] = [];
	for (const piece of pieces) {
		decoder.push(piece, event => events.push(event));
	}

	return events;
}

describe('SseDecoder limits', () => {
	it('a line over 1 MiB without a line end is refused, naming the limit; events before it were delivered', () => {
		const decoder = new SseDecoder();
		const events: SseEvent[] = [];
		const piece = 'x'.repeat(64 * 1024);
		const push = (text: string) => {
			decoder.push(text, event => events.push(event));
		};

		push('data: before\n\ndata: ');
		let thrown: unknown;
		let pushed = 0;
		try {
			for (; pushed < 32; pushed++) {
				push(piece);
			}
		} catch (error) {
			thrown = error;
		}

		expect(thrown).toBeInstanceOf(SseLimitError);
		expect((thrown as Error).message).toContain('1 MiB');
		expect(events).toEqual([{event: null, data: 'before'}]);
		// Refused at the first piece past 1 MiB (the 16th of 64 KiB, after the 6 bytes of `data: `), not at the line's end.
		expect(pushed).toBe(15);
	});

	it('counts bytes, not characters: 400 000 three-byte characters are over the limit', () => {
		const decoder = new SseDecoder();
		expect(() => collect(decoder, ['data: ', '€'.repeat(400_000)])).toThrow(SseLimitError);
		expect(() => collect(new SseDecoder(), ['data: ', 'e'.repeat(400_000), '\n\n'])).not.toThrow();
	});

	it('an event of many short data lines over 1 MiB in all is refused too', () => {
		const line = `data: ${'y'.repeat(1000)}\n`;
		expect(() =>
			collect(
				new SseDecoder(),
				Array.from({length: 1100}, () => line),
			),
		).toThrow(/event-stream event larger than 1 MiB/);
		// Just under the limit, the event is delivered whole.
		const events = collect(new SseDecoder(), [...Array.from({length: 1000}, () => line), '\n']);
		expect(events).toHaveLength(1);
		expect(events[0]!.data.length).toBe(1000 * 1001 - 1);
	});

	it('after a refusal the decoder holds nothing: the next stream decodes from a clean state', () => {
		const decoder = new SseDecoder();
		expect(() => collect(decoder, ['event: big\ndata: ', 'z'.repeat(sseLimitBytes + 1)])).toThrow(SseLimitError);
		expect(collect(decoder, ['data: fresh\n\n'])).toEqual([{event: null, data: 'fresh'}]);
	});
});
