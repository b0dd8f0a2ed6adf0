import {describe, expect, it} from 'vitest';
import {SseDecoder, type SseEvent} from '../../../../source/core/http/sse.js';
import {memoizeShort} from '../../../../source/core/meter/tokens.js';

function decode(pieces: readonly string[]): SseEvent[] {
	const events: SseEvent[] = [];
	const decoder = new SseDecoder();
	for (const piece of pieces) {
		decoder.push(piece, event => events.push(event));
	}

	decoder.end();
	return events;
}

describe('SseDecoder', () => {
	it('decodes events split anywhere, with LF, CRLF or CR line ends', () => {
		const stream = 'data: {"a":1}\n\ndata: {"b":2}\r\n\r\ndata: {"c":3}\r\rdata: [DONE]\n\n';
		const expected = [
			{event: null, data: '{"a":1}'},
			{event: null, data: '{"b":2}'},
			{event: null, data: '{"c":3}'},
			{event: null, data: '[DONE]'},
		];
		expect(decode([stream])).toEqual(expected);
		// Every split point, including between CR and LF.
		for (let cut = 1; cut < stream.length; cut++) {
			expect(decode([stream.slice(0, cut), stream.slice(cut)])).toEqual(expected);
		}

		expect(decode([...stream])).toEqual(expected);
	});

	it('skips comments, joins multi-line data, keeps the event name, ignores other fields', () => {
		expect(decode([': OPENROUTER PROCESSING\n\nevent: error\nid: 7\nretry: 10\ndata: line one\ndata:line two\n\n'])).toEqual([
			{event: 'error', data: 'line one\nline two'},
		]);
	});

	it('drops an event the stream never closed with a blank line', () => {
		expect(decode(['data: {"a":1}\n\ndata: {"cut'])).toEqual([{event: null, data: '{"a":1}'}]);
		expect(decode(['data: {"a":1}\n'])).toEqual([]);
	});
});

describe('memoizeShort', () => {
	it('gives the counter’s own answer, asking it once per short text', () => {
		const asked: string[] = [];
		const count = memoizeShort(text => {
			asked.push(text);
			return text.length;
		});
		expect([count(' the'), count(' the'), count(' a'), count(' the')]).toEqual([4, 4, 2, 4]);
		expect(asked).toEqual([' the', ' a']);
		const long = 'x'.repeat(100);
		expect([count(long), count(long)]).toEqual([100, 100]);
		expect(asked.filter(text => text === long)).toHaveLength(2);
	});
});
