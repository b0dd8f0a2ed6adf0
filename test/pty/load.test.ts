// The load leaderboard of the real binary in real pseudo-terminals (80×24 and 200×50): `show <load.json>`,
// `Enter` a model's steps, `c` the knee chart, `w` saves, `q` quits.
import {existsSync, mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {cellWidth} from '../../source/core/text/cells.js';
import {readLoadTranscriptFile, saveLoadTranscript} from '../../source/io/load-transcript-file.js';
import {kneeTranscript} from '../helpers/load-fixtures.js';
import {spawnPty, type PtySession} from '../helpers/pty.js';

const folder = mkdtempSync(path.join(tmpdir(), 'llmrace-load-pty-'));
const file = path.join(folder, 'load.json');
saveLoadTranscript(kneeTranscript(), file, []);
afterAll(() => {
	rmSync(folder, {recursive: true, force: true});
});

function expectFits(screen: string, cols: number, rows: number) {
	const lines = screen.split('\n');
	expect(lines[0]).toMatch(/^llmrace /);
	const help = lines.findIndex(line => /q quit$/.test(line));
	expect(help, screen).toBeGreaterThan(0);
	expect(help, screen).toBeLessThanOrEqual(rows - 2);
	for (const line of lines) {
		expect(cellWidth(line), line).toBeLessThan(cols);
	}
}

describe('the load leaderboard in a pseudo-terminal', () => {
	let pty: PtySession | undefined;

	afterEach(() => {
		pty?.dispose();
		pty = undefined;
	});

	for (const [cols, rows] of [
		[80, 24],
		[200, 50],
	] as const) {
		it(`show <load.json> at ${cols}×${rows}: the board, Enter steps, c knee chart, w saves, q quits`, async () => {
			const work = mkdtempSync(path.join(folder, 'cwd-'));
			pty = spawnPty(['show', file], {cols, rows, cwd: work});
			const board = await pty.waitFor(screen => /sorted by ttfa/.test(screen) && /q quit$/m.test(screen), 30_000);
			expectFits(board, cols, rows);
			expect(board).toMatch(/› +1 {2}Fast Model/);
			expect(board).toContain('modelled, not measured');
			pty.write('j');
			await pty.waitFor(/› +2 {2}Knee Model/);
			pty.write('\r');
			const steps = await pty.waitFor(/Step 1: 1\/s offered/);
			expectFits(steps, cols, rows);
			expect(steps).toContain('Knee Model · Sim · mid');
			pty.write('\u001B');
			await pty.waitFor(/› +2 {2}Knee Model/);
			pty.write('c');
			const knee = await pty.waitFor(screen => /against offered rate/.test(screen) && /c\/Esc table · q quit$/m.test(screen));
			expectFits(knee, cols, rows);
			expect(knee).toMatch(/1 Fast Model +2 Knee Model +3 Slow Model/);
			pty.write('c');
			await pty.waitFor(/sorted by ttfa/);
			pty.write('w');
			const saved = await pty.waitFor(/saved llmrace-load-\d{8}-\d{6}\.json/);
			const name = path.join(work, /saved (llmrace-load-\S+\.json)/.exec(saved)![1]!);
			expect(existsSync(name)).toBe(true);
			expect(readLoadTranscriptFile(name).models).toHaveLength(3);
			expect(readdirSync(work)).toHaveLength(1);
			pty.write('q');
			expect((await pty.exit).exitCode).toBe(0);
		});
	}
});
