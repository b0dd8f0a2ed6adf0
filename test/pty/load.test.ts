// The load leaderboard of the real binary in real pseudo-terminals (80×24 and 200×50): `show <load.json>`,
// `Enter` a model's steps, `c` the knee chart, `w` saves, `q` quits.
import {existsSync, mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, describe, expect, it} from 'vitest';
import {cellWidth} from '../../source/core/text/cells.js';
import {readLoadTranscriptFile} from '../../source/io/load-transcript-file.js';
import {saveLoadTranscript} from '../../source/io/load-transcript-file.js';
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
			// A whole frame: the steps and the help line under them (a frame read mid-write has only the top).
			const steps = await pty.waitFor(screen => /Step 1: 1\/s offered/.test(screen) && /q quit$/m.test(screen));
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

describe('the load leaderboard on a resize', () => {
	let pty: PtySession | undefined;

	afterEach(() => {
		pty?.dispose();
		pty = undefined;
	});

	it('from 200 to 80 columns: redrawn once, one header, no stray lines', async () => {
		pty = spawnPty(['show', file], {cols: 200, rows: 50, cwd: folder});
		const shown = (screen: string) => /sorted by ttfa/.test(screen) && /q quit$/m.test(screen);
		const wide = await pty.waitFor(screen => shown(screen) && screen.includes('Provider'), 30_000);
		expect(wide.match(/^llmrace “/gm)).toHaveLength(1);
		pty.resize(80, 24);
		const narrow = await pty.waitFor(screen => shown(screen) && !screen.includes('Provider'));
		// Give a second, stale frame the time to show up if it were going to.
		await new Promise(resolve => {
			setTimeout(resolve, 500);
		});
		const screen = pty.screen();
		expect(screen).toBe(narrow);
		expect(screen.match(/^llmrace “/gm), screen).toHaveLength(1);
		expect(screen.match(/sorted by/g), screen).toHaveLength(1);
		expect(screen.match(/q quit/g), screen).toHaveLength(1);
		expect(pty.wrappedRows()).toEqual([]);
		pty.write('q');
		expect((await pty.exit).exitCode).toBe(0);
	});
});

describe('llmrace load in a pseudo-terminal: the live view, then the load leaderboard', () => {
	let pty: PtySession | undefined;

	afterEach(() => {
		pty?.dispose();
		pty = undefined;
	});

	/** A frame of the live view: the header, the client's health, the lanes' titles and the help line. */
	const live = (screen: string) => pty!.isAlternate() && /^llmrace /.test(screen) && /client: /.test(screen) && /q\/Esc\/Ctrl-C stop the run/.test(screen);

	it('at 80×24 on the demo: 15 lanes with the client’s health and "modelled", then the leaderboard; Enter, c, q', async () => {
		const work = mkdtempSync(path.join(folder, 'live-'));
		pty = spawnPty(['load', '--rate', '2', '--duration', '3s', '--max-tokens', '20', '--seed', '7', 'Explain recursion'], {cols: 80, rows: 24, cwd: work});
		const frame = await pty.waitFor(screen => live(screen) && /ok\/fail/.test(screen) && /» /.test(screen), 60_000);
		expectLive(frame, 80, 24);
		expect(frame).toContain('modelled, not measured');
		expect(frame.split('\n').filter(line => /^[»·✓■] /.test(line))).toHaveLength(15);
		const board = await pty.waitFor(screen => !pty!.isAlternate() && /sorted by ttfa/.test(screen) && /q quit$/m.test(screen), 90_000);
		expectFits(board, 80, 24);
		expect(board).toContain('simulated: modelled, not measured');
		expect(board).toMatch(/› +1 {2}\S/);
		pty.write('\r');
		// A whole frame: the steps' table and the help line under it.
		const steps = await pty.waitFor(screen => /Step 1: 2\/s offered/.test(screen) && /TTFA +\d+/.test(screen) && /q quit$/m.test(screen));
		expect(steps).toMatch(/TTFA +\d+/);
		pty.write('\u001B');
		await pty.waitFor(/sorted by ttfa/);
		pty.write('c');
		await pty.waitFor(/against offered rate/);
		pty.write('q');
		expect((await pty.exit).exitCode).toBe(0);
	});

	it('at 200×50, a sweep: step k of ≤8 and the time left; q stops it and keeps what arrived', async () => {
		const work = mkdtempSync(path.join(folder, 'sweep-'));
		pty = spawnPty(['load', '--sweep', '--duration', '4s', '--max-tokens', '20', '--seed', '7', '-m', 'step-3.5-flash,glm-5', 'Explain recursion'], {
			cols: 200,
			rows: 50,
			cwd: work,
		});
		// The second step: the first one's requests have ended (a stopped run that completed none would exit 1).
		const frame = await pty.waitFor(screen => live(screen) && /step 2 of ≤8 · ≤ \d/.test(screen) && /p99 TTFT per s/.test(screen), 60_000);
		expectLive(frame, 200, 50);
		expect(frame).toMatch(/event-loop delay p99 [\d.]+/);
		expect(frame).toContain('SIMULATED: the load curve is modelled, not measured');
		pty.write('q');
		const board = await pty.waitFor(screen => !pty!.isAlternate() && /sorted by rate/.test(screen) && /q quit$/m.test(screen), 90_000);
		expectFits(board, 200, 50);
		expect(board).toContain('load stopped: the figures cover what arrived');
		pty.write('q');
		expect((await pty.exit).exitCode).toBe(0);
	});
});

describe('? in the load screens, in a pseudo-terminal at 80×24', () => {
	let pty: PtySession | undefined;

	afterEach(() => {
		pty?.dispose();
		pty = undefined;
	});

	it('opens over the live view and closes on any key (the run goes on); then over the leaderboard, the steps and the knee chart', async () => {
		const work = mkdtempSync(path.join(folder, 'keys-'));
		pty = spawnPty(['load', '--rate', '2', '--duration', '30s', '--max-tokens', '20', '--seed', '7', '-m', 'step-3.5-flash,glm-5', 'Explain recursion'], {
			cols: 80,
			rows: 24,
			cwd: work,
		});
		// Whole frames: each predicate includes the frame's last line (the help line).
		const helpLast = (screen: string, help: RegExp) => help.test(screen.trimEnd().split('\n').at(-1) ?? '');
		const liveHelp = /stop the run \(keeps what arrived\) · \? keys$/;
		await pty.waitFor(screen => pty!.isAlternate() && /ok\/fail/.test(screen) && helpLast(screen, liveHelp), 60_000);
		pty.write('?');
		const guide = await pty.waitFor(screen => pty!.isAlternate() && /Keys of the load screen/.test(screen) && helpLast(screen, liveHelp));
		expectLive(guide, 80, 24);
		expect(guide).toMatch(/client: /);
		expect(guide).toMatch(/q {2}Esc {2}Ctrl-C +stop the run, keeping what arrived/);
		expect(guide).not.toMatch(/ok\/fail/);
		pty.write('x');
		// The lanes again, once a request has completed (ok ≥ 1, then a TTFT p50/p99 such as 230/810): a stop then keeps a finished request.
		await pty.waitFor(
			screen => pty!.isAlternate() && / [1-9]\d*\/\d+ +\d[\d.]*s?\/\d/.test(screen) && !/Keys of/.test(screen) && helpLast(screen, liveHelp),
			60_000,
		);
		pty.write('q');
		const boardHelp = /\? keys · q quit$/;
		await pty.waitFor(screen => !pty!.isAlternate() && /sorted by ttfa/.test(screen) && helpLast(screen, boardHelp), 90_000);
		for (const [open, title, help] of [
			['', 'Keys of the load leaderboard screen', boardHelp],
			['\r', 'Keys of the steps screen', /q quit$/],
			['c', 'Keys of the knee chart screen', /c\/Esc table · q quit$/],
		] as const) {
			if (open) {
				pty.write(open);
				await pty.waitFor(screen => !/sorted by ttfa/.test(screen) && helpLast(screen, help));
			}

			pty.write('?');
			const list = await pty.waitFor(screen => screen.includes(title) && /any key: back/.test(screen) && helpLast(screen, help));
			expectFits(list, 80, 24);
			pty.write('x');
			await pty.waitFor(screen => !screen.includes(title) && helpLast(screen, help));
			if (open) {
				pty.write('\u001B');
				await pty.waitFor(screen => /sorted by ttfa/.test(screen) && helpLast(screen, boardHelp));
			}
		}

		pty.write('q');
		expect((await pty.exit).exitCode).toBe(0);
	});
});

function expectLive(screen: string, cols: number, rows: number) {
	const lines = screen.split('\n');
	expect(lines[0]).toMatch(/^llmrace /);
	const help = lines.findIndex(line => /stop the run/.test(line));
	expect(help, screen).toBeLessThanOrEqual(rows - 2);
	for (const line of lines) {
		expect(cellWidth(line), line).toBeLessThan(cols);
	}
}
