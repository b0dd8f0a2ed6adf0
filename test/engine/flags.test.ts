// The `buffered` and `client-late` flags from real streams over loopback, with no timing in the test:
// the server writes each burst in one write and waits until the client has recorded it (lockstep),
// so what arrives in one socket read is what the test says.
import type {ServerResponse} from 'node:http';
import {afterEach, describe, expect, it} from 'vitest';
import {streamOnce} from '../../source/core/http/stream.js';
import type {RunRecord} from '../../source/core/types.js';
import {countTokens, modelAt} from '../helpers/models.js';
import {chunk, openStream, startServer, type TestServer} from '../helpers/server.js';

let server: TestServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

const event = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`;

/** The client's chunks against the server's writes: the server writes its next burst once the client has recorded the last. */
function lockstep() {
	let seen = 0;
	let written = 0;
	let wake: (() => void) | undefined;
	return {
		/** The client recorded a chunk (called from onChunk). */
		seen(): number {
			seen++;
			if (wake && seen >= written) {
				wake();
				wake = undefined;
			}

			return seen;
		},
		write(response: ServerResponse, events: readonly unknown[]): void {
			written += events.length;
			response.write(events.map(data => event(data)).join(''));
		},
		async caughtUp(): Promise<void> {
			if (seen < written) {
				await new Promise<void>(resolve => {
					wake = resolve;
				});
			}
		},
	};
}

type Burst = readonly string[];

/** Stream these bursts (each one write of its texts as content chunks), lockstep with the client; `onSeen` sees each chunk's number. */
async function race(bursts: readonly Burst[], onSeen: (seen: number) => void = () => {}): Promise<RunRecord> {
	const gate = lockstep();
	server = await startServer(async (_request, response) => {
		openStream(response);
		gate.write(response, [chunk({role: 'assistant', content: ''})]);
		for (const burst of bursts) {
			await gate.caughtUp();
			gate.write(
				response,
				burst.map(text => chunk({content: text})),
			);
		}

		await gate.caughtUp();
		response.end(`${event(chunk({}, 'stop'))}data: [DONE]\n\n`);
	});
	return streamOnce({
		model: modelAt(server.baseURL),
		apiKey: null,
		prompt: 'Count',
		maxTokens: 1000,
		temperature: null,
		timeoutMs: 30_000,
		idleTimeoutMs: 30_000,
		index: 0,
		warmup: false,
		countTokens,
		noUsageOption: new Set(),
		onChunk() {
			onSeen(gate.seen());
		},
	});
}

const ones = (count: number): Burst => Array.from({length: count}, (_, index) => ` w${index}`);
/** An event of `tokens` words. */
const wordy = (tokens: number) => Array.from({length: tokens}, () => ' word').join('');

/** The flag a burst shape earns: `buffered`, unless this very run's thread was late (then `client-late`, never both). */
function expectedFlag(record: RunRecord): 'buffered' | 'client-late' {
	return record.clientDelayMs !== null && record.clientDelayMs !== undefined && record.clientDelayMs > 20 ? 'client-late' : 'buffered';
}

describe('buffered: a proxy that holds the stream back', () => {
	it('catches 200 one-token events in 12 reads', async () => {
		const bursts = [...Array.from({length: 11}, () => ones(17)), ones(13)];
		const record = await race(bursts);
		expect(record.status).toBe('ok');
		expect(record.outputTokens).toBeGreaterThanOrEqual(200);
		expect(record.flags).toContain(expectedFlag(record));
	});

	it('catches 30 events of 10–40 tokens in 4 reads', async () => {
		const sizes = [10, 25, 40, 17, 33, 12, 38, 21];
		const events = Array.from({length: 30}, (_, index) => wordy(sizes[index % sizes.length]!));
		const record = await race([events.slice(0, 8), events.slice(8, 16), events.slice(16, 23), events.slice(23)]);
		expect(record.status).toBe('ok');
		expect(record.flags).toContain(expectedFlag(record));
		expect(record.flags.includes('buffered') && record.flags.includes('client-late')).toBe(false);
	});

	it('never fires on a direct stream, however fast: one event a read, 400 of them', async () => {
		const record = await race(Array.from({length: 400}, (_, index) => [` t${index}`]));
		expect(record.status).toBe('ok');
		expect(record.flags).not.toContain('buffered');
	});
});

describe('client-late: the stamping thread itself was late', () => {
	it('a thread blocked for 100 ms mid-stream is client-late, never buffered, though the chunks then came in one read', async () => {
		const block = (ms: number) => {
			const until = performance.now() + ms;
			while (performance.now() < until) {
				// The stamping thread, busy on purpose.
			}
		};

		// 20 chunks one a read; the thread blocks for 100 ms; meanwhile 40 chunks pile up in its socket.
		const bursts = [...Array.from({length: 20}, (_, index) => [` a${index}`]), ones(40), ...Array.from({length: 20}, (_, index) => [` b${index}`])];
		const record = await race(bursts, seen => {
			if (seen === 15) {
				block(100);
			}
		});
		expect(record.status).toBe('ok');
		expect(record.clientDelayMs).toBeGreaterThan(20);
		expect(record.flags).toContain('client-late');
		expect(record.flags).not.toContain('buffered');
	});
});
