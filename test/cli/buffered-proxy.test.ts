// End to end: a server (or a proxy in front of it) that holds the stream back and delivers all 200 chunks
// in one write. The built command (`npm run build` first) flags every run `buffered` and its plain table says so (`!` and a note).
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import type {Transcript} from '../../source/core/types.js';
import {runCli} from '../helpers/cli.js';
import {chunk, openStream, sleep, startServer, type TestServer} from '../helpers/server.js';

let server: TestServer | undefined;

afterEach(async () => {
	await server?.close();
	server = undefined;
});

/** Every event of one answer (200 one-word chunks, usage, [DONE]) as one piece of text, written at once. */
function bufferedAnswer(): string {
	const words = Array.from({length: 200}, () => ' hello'); // 200 tokens of o200k_base, as the usage says
	const events = [
		chunk({role: 'assistant', content: ''}),
		...words.map(word => chunk({content: word})),
		chunk({}, 'stop'),
		{id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: {prompt_tokens: 5, completion_tokens: 200, total_tokens: 205}},
	];
	return `${events.map(event => `data: ${JSON.stringify(event)}\n\n`).join('')}data: [DONE]\n\n`;
}

describe('a buffered stream, end to end', () => {
	it('flags every run buffered (--json) and the plain table shows ! and the buffered note', async () => {
		server = await startServer(async (_request, response) => {
			openStream(response);
			await sleep(30);
			response.end(bufferedAnswer());
		});
		const dir = mkdtempSync(path.join(tmpdir(), 'llmrace-buffered-'));
		const preset = path.join(dir, 'proxied.yaml');
		writeFileSync(
			preset,
			`baseURL: ${server.baseURL}\nmodels: [{id: held-back, name: Held Back, provider: Proxy}, {id: also-held, name: Also Held, provider: Proxy}]\n`,
		);

		const json = await runCli(['-p', preset, '--runs', '3', '--json', 'Explain recursion']);
		expect(json.code, json.stderr).toBe(0);
		const transcript = JSON.parse(json.stdout) as Transcript;
		const runs = transcript.models.flatMap(model => model.runs);
		expect(runs).toHaveLength(6);
		for (const run of runs) {
			expect(run.status).toBe('ok');
			// Buffered, unless this busy machine made the run's own stamping thread late (then client-late, never both).
			expect(run.flags).toContain(run.clientDelayMs! > 20 ? 'client-late' : 'buffered');
			expect(run.flags.includes('buffered') && run.flags.includes('client-late')).toBe(false);
		}

		const plain = await runCli(['-p', preset, '--runs', '3', 'Explain recursion']);
		expect(plain.code, plain.stderr).toBe(0);
		const lines = plain.stdout.split('\n');
		const titles = lines[0]!.trim().split(/ {2,}/);
		for (const name of ['Held Back', 'Also Held']) {
			const cells = lines
				.find(line => line.includes(`  ${name}  `))!
				.trim()
				.split(/ {2,}/);
			const row = Object.fromEntries(cells.map((cell, index) => [titles[index]!, cell]));
			expect(row.TTFT, row.TTFT).toMatch(/!$/);
			// All in one read: no decode time to divide by, so no tok/s to doubt ("—" takes no mark).
			expect(row['tok/s']).toMatch(/^—$|!$/);
			// Only what buffering makes doubtful: the usage matches the text, nothing stalled or was cut.
			expect(row.Tokens).toBe('200');
			expect(row.Total).not.toMatch(/!$/);
		}

		const notes = lines.slice(lines.indexOf('notes: (! marks a figure these make doubtful)') + 1);
		// Every run carries one of the two (see above): buffered, or client-late on a busy machine.
		const noted = (name: string) =>
			notes
				.map(line => new RegExp(`^ {2}${name}: (buffered|client-late) in (\\d) of 3 runs`).exec(line))
				.reduce((sum, match) => sum + Number(match?.[2] ?? 0), 0);
		expect(noted('Held Back')).toBe(3);
		expect(noted('Also Held')).toBe(3);
		if (notes.some(line => line.startsWith('  Held Back: buffered in 3 of 3 runs'))) {
			expect(notes).toContainEqual(expect.stringMatching(/^ {2}Held Back: buffered in 3 of 3 runs: .*TTFT and tok\/s describe that buffer, not the model\.$/));
		}
		expect(plain.stdout).not.toContain('\u001B');
	});
});
